"""Strategies against their definitions, matches against scores computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from indivisible.games.iterated import play, tournament, transparency_noise
from indivisible.games.strategies import (
    STRATEGIES,
    Context,
    filtered,
    generosity,
)
from indivisible.games.twobytwo import ARM, RESTRAIN, Game, Letters

PD = Game.symmetric(R=3, S=0, T=5, P=1)
CTX = Context(Letters(R=3, S=0, T=5, P=1))
C, D = RESTRAIN, ARM

# Every (own last, seen last) combination, with a longer past in front.
OWN = np.array([[C, C, C], [C, D, C], [D, C, D], [D, D, D], [C, C, D]], dtype=np.int8)
SEEN = np.array([[C, C, C], [C, C, D], [C, C, C], [C, D, D], [D, C, C]], dtype=np.int8)
EMPTY = np.zeros((5, 0), dtype=np.int8)
U = np.array([0.1, 0.3, 0.2, 0.9, 0.0])


def decide(key: str, own=OWN, seen=SEEN, u=U) -> list[int]:
    return STRATEGIES[key](own, seen, u, CTX).tolist()


def test_registry_and_classifiers() -> None:
    assert set(STRATEGIES) == {"tit-for-tat", "generous-tit-for-tat", "grim-trigger",
                               "win-stay-lose-shift", "always-arm", "always-restrain"}
    depth = {k: s.classifier["memory_depth"] for k, s in STRATEGIES.items()}
    assert depth == {"tit-for-tat": 1, "generous-tit-for-tat": 1, "grim-trigger": float("inf"),
                     "win-stay-lose-shift": 1, "always-arm": 0, "always-restrain": 0}
    assert [s.key for s in filtered(stochastic=True)] == ["generous-tit-for-tat"]
    assert {s.key for s in filtered(max_memory_depth=0)} == {"always-arm", "always-restrain"}
    assert "game" in STRATEGIES["generous-tit-for-tat"].classifier["makes_use_of"]


def test_first_moves() -> None:
    for key, s in STRATEGIES.items():
        first = s(EMPTY, EMPTY, U, CTX).tolist()
        assert first == ([D] * 5 if key == "always-arm" else [C] * 5), key


def test_tit_for_tat_copies_what_it_saw_last() -> None:
    assert decide("tit-for-tat") == SEEN[:, -1].tolist() == [C, D, C, D, C]


def test_grim_trigger_arms_for_ever_after_one_arming() -> None:
    # Rows 1, 3 and 4 saw an arming at some point (row 4 only at the start).
    assert decide("grim-trigger") == [C, D, C, D, D]


def test_win_stay_lose_shift() -> None:
    # (own, seen) last: (C,C) R win stay C; (C,D) S lose shift D; (D,C) T win stay D;
    # (D,D) P lose shift C; (D,C) T win stay D.
    assert decide("win-stay-lose-shift") == [C, D, D, C, D]


def test_generous_tit_for_tat() -> None:
    g = generosity(CTX.letters)
    assert g == pytest.approx(min(1 - 2 / 3, 2 / 4)) == pytest.approx(1 / 3)
    # After a restraint: restrain. After an arming: restrain iff u < g.
    # Row 1 saw an arming with u = 0.3 < 1/3 (forgives); row 3 with u = 0.9 (retaliates).
    assert decide("generous-tit-for-tat") == [C, C, C, D, C]
    got = STRATEGIES["generous-tit-for-tat"](
        np.zeros((20000, 1), np.int8), np.ones((20000, 1), np.int8),
        np.random.default_rng(0).random(20000), CTX)
    assert np.mean(got == C) == pytest.approx(1 / 3, abs=0.02)


def test_unconditional_strategies() -> None:
    assert decide("always-arm") == [D] * 5
    assert decide("always-restrain") == [C] * 5


def test_tit_for_tat_against_always_arm_by_hand() -> None:
    m = play(PD, STRATEGIES["tit-for-tat"], STRATEGIES["always-arm"], rounds=10, runs=3)
    # TFT: S then nine P = 0 + 9 * 1; Always Arm: T then nine P = 5 + 9 * 1.
    assert m.scores[0].tolist() == [9.0] * 3
    assert m.scores[1].tolist() == [14.0] * 3
    assert m.moves[0][0].tolist() == [C] + [D] * 9


def test_more_matches_by_hand() -> None:
    wsls = play(PD, STRATEGIES["win-stay-lose-shift"], STRATEGIES["always-arm"], rounds=10)
    # WSLS alternates C, D, C, D...: five S (0) and five P (1); the defector five T and five P.
    assert wsls.moves[0][0].tolist() == [C, D] * 5
    assert wsls.scores[0][0] == 5.0 and wsls.scores[1][0] == 30.0
    nice = play(PD, STRATEGIES["grim-trigger"], STRATEGIES["tit-for-tat"], rounds=10)
    assert nice.scores[0][0] == nice.scores[1][0] == 30.0


def test_perception_noise_by_hand() -> None:
    # Noise 1: every move is misread. TFT reads the cooperator's restraint as arming.
    m = play(PD, STRATEGIES["tit-for-tat"], STRATEGIES["always-restrain"], rounds=10,
             noise=1.0)
    assert m.scores[0][0] == 3 + 9 * 5 and m.scores[1][0] == 3 + 9 * 0
    # Two TFTs misreading everything alternate mutual restraint and mutual arming.
    tt = play(PD, STRATEGIES["tit-for-tat"], STRATEGIES["tit-for-tat"], rounds=10, noise=1.0)
    assert tt.moves[0][0].tolist() == [C, D] * 5
    assert tt.scores[0][0] == 5 * 3 + 5 * 1
    # Execution noise 1: every move comes out flipped and is seen as it came out.
    ex = play(PD, STRATEGIES["always-restrain"], STRATEGIES["always-restrain"], rounds=10,
              noise=1.0, noise_kind="execution")
    assert ex.scores[0][0] == 10.0


def test_noise_is_seeded_and_vectorized() -> None:
    a = play(PD, STRATEGIES["tit-for-tat"], STRATEGIES["generous-tit-for-tat"], rounds=50,
             runs=200, noise=0.05, seed=3)
    b = play(PD, STRATEGIES["tit-for-tat"], STRATEGIES["generous-tit-for-tat"], rounds=50,
             runs=200, noise=0.05, seed=3)
    assert a.moves[0].shape == (200, 50)
    assert np.array_equal(a.moves[0], b.moves[0]) and np.array_equal(a.seen[1], b.seen[1])
    # Misreading happens at about the stated rate.
    misread = np.mean(a.seen[0] != a.moves[1])
    assert misread == pytest.approx(0.05, abs=0.01)


def test_tournament_facts() -> None:
    keys = ["always-arm", "always-restrain", "tit-for-tat"]
    t = tournament(PD, [STRATEGIES[k] for k in keys], rounds=20, runs=5)
    i = {k: n for n, k in enumerate(keys)}
    assert t.score[i["always-arm"], i["always-restrain"]] == 5.0
    assert t.score[i["always-restrain"], i["always-arm"]] == 0.0
    assert t.score[i["tit-for-tat"], i["tit-for-tat"]] == 3.0
    assert t.restraint[i["tit-for-tat"], i["always-restrain"]] == 1.0
    assert t.score[i["tit-for-tat"], i["always-arm"]] == pytest.approx((0 + 19) / 20)


def test_transparency_lowers_noise() -> None:
    assert transparency_noise(0.1, 0.0, 0.5) == 0.1
    assert transparency_noise(0.1, 1.0, 0.5) == pytest.approx(0.05)
