"""Assessment: verdict semantics per reading on small hand-computed worlds, robustness, answers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from indivisible.actions import ChangeCapability, Deploy
from indivisible.assess.answer import changes_for, national_answer
from indivisible.assess.assessment import assess
from indivisible.assess.verdicts import DEPENDS, NOT_PERMITTED, PERMITTED, ReadingRule, decide
from indivisible.errors import InputError
from indivisible.security import load_params
from indivisible.world.loader import load_scenario
from tests.test_security_model import model_for

D = dt.date(2021, 12, 15)
EPS = ReadingRule("indivisible", "epsilon", "epsilon", ("istanbul-1999:8-no-detriment",), "")
FREE = ReadingRule("free-choice", "none", None, ("istanbul-1999:8-right",), "")
ISO3 = ("AAA", "BBB", "CCC")


def _decide(rule, delta, draws, tol=0.001, actors=("AAA",), has_right=True):
    others = np.array([c not in actors for c in ISO3])
    draws = np.asarray(draws, dtype=float)
    return decide(rule, iso3=ISO3, delta=np.asarray(delta, dtype=float), delta_draws=draws,
                  others=others, tolerance=tol, tolerance_draws=np.full(len(draws), tol),
                  robust_high=0.8, robust_low=0.2, has_right=has_right)


def test_epsilon_reading_by_hand() -> None:
    # CCC loses 0.002 > epsilon 0.001 in every draw: not permitted, fully robust.
    v = _decide(EPS, [0.05, 0.0, -0.002], [[0.05, 0.0, -0.002]] * 10)
    assert (v.verdict, v.robustness, v.worst_loser) == (NOT_PERMITTED, 1.0, "CCC")
    assert v.worst_loss == pytest.approx(0.002)
    # The actor's own loss does not count: AAA loses, nobody else does.
    v = _decide(EPS, [-0.5, 0.0, 0.0], [[-0.5, 0.0, 0.0]] * 10)
    assert (v.verdict, v.robustness) == (PERMITTED, 1.0)
    # A loss exactly at the tolerance is permitted (no more than epsilon).
    assert _decide(EPS, [0, 0, -0.001], [[0, 0, -0.001]]).verdict == PERMITTED


def test_robustness_is_the_share_of_draws() -> None:
    ok, bad = [0, 0, -0.0005], [0, 0, -0.01]
    v = _decide(EPS, ok, [ok] * 9 + [bad])  # permitted in 90% >= 80%
    assert (v.verdict, v.robustness, v.share_permitted) == (PERMITTED, 0.9, 0.9)
    v = _decide(EPS, ok, [ok] * 5 + [bad] * 5)  # 50%: between the bounds
    assert (v.verdict, v.robustness) == (DEPENDS, 0.5)
    v = _decide(EPS, ok, [ok] * 1 + [bad] * 9)  # 10% <= 20%: the draws overrule the default
    assert (v.verdict, v.robustness) == (NOT_PERMITTED, 0.9)
    assert "disagree" in v.reason


def test_free_choice_is_unconditioned() -> None:
    v = _decide(FREE, [0, 0, -0.9], [[0, 0, -0.9]], tol=None)
    assert (v.verdict, v.robustness) == (PERMITTED, 1.0)
    assert _decide(FREE, [0, 0, 0], [[0, 0, 0]], has_right=False).verdict == NOT_PERMITTED


@pytest.fixture
def toy(toy_file):
    return load_scenario(toy_file)


def _model(world, **overrides):
    return model_for(world, params=load_params(overrides=overrides or None))


def test_hostile_deployment_next_to_a_neutral_is_judged_per_reading(toy) -> None:
    act = Deploy(owner="AAA", host="BBB", site="border", lat=50.0, lon=26.0, system="msl",
                 count=400)
    a = assess(toy, act, at=D, draws=50, seed=1, model=_model(toy))
    ccc = a.state("CCC")
    assert ccc.delta < -a.epsilon and "CCC" in a.losers
    assert a.verdicts["free-choice"].verdict == PERMITTED
    assert a.verdicts["indivisible"].verdict == NOT_PERMITTED
    assert a.verdicts["indivisible"].worst_loser == "CCC"
    assert "istanbul-1999:8-no-detriment" in a.obligations_engaged
    assert "code-of-conduct-1994:para14" in a.obligations_engaged  # foreign host: consent
    assert set(a.rights_invoked) >= {"istanbul-1999:8-right", "astana-2010:3-right"}
    for v in a.verdicts.values():
        assert 0.0 <= v.robustness <= 1.0
    # The decomposition in the result sums to the change, state by state.
    for s in a.states:
        assert sum(s.by_owner.values()) == pytest.approx(s.delta, abs=1e-12)
        assert sum(s.by_factor.values()) == pytest.approx(s.delta, abs=1e-12)


def test_a_loss_near_epsilon_depends_on_assumptions(toy) -> None:
    # Ten times smaller: CCC's loss is close to epsilon and falls below it in some draws.
    act = Deploy(owner="AAA", host="BBB", site="border", lat=50.0, lon=26.0, system="msl",
                 count=40)
    v = assess(toy, act, at=D, draws=50, seed=1, model=_model(toy)).verdicts["indivisible"]
    assert v.verdict == DEPENDS and 0.2 < v.share_permitted < 0.8


def test_a_large_tolerance_permits_under_legitimate_concerns(toy) -> None:
    act = Deploy(owner="AAA", host="BBB", site="border", lat=50.0, lon=26.0, system="msl",
                 count=400)
    a = assess(toy, act, at=D, draws=20, seed=1,
               model=_model(toy, tolerance_legitimate_concerns=0.2))
    assert a.verdicts["legitimate-concerns"].verdict == PERMITTED
    assert a.verdicts["indivisible"].verdict == NOT_PERMITTED


def test_unilateral_disarmament_is_permitted_everywhere(toy) -> None:
    a = assess(toy, ChangeCapability(state="CCC", milex_factor=0.5, personnel_factor=0.5),
               at=D, draws=50, seed=3, model=_model(toy))
    assert a.losers in ([], ["CCC"])
    assert all(v.verdict == PERMITTED for v in a.verdicts.values())
    assert a.verdicts["indivisible"].robustness == 1.0


def test_same_seed_same_numbers(toy) -> None:
    act = Deploy(owner="AAA", host="BBB", site="s", lat=50.0, lon=24.0, system="msl", count=5)
    one = assess(toy, act, at=D, draws=40, seed=7, model=_model(toy)).to_json()
    two = assess(toy, act, at=D, draws=40, seed=7, model=_model(toy)).to_json()
    assert one == two


def test_rights_only_from_texts_adopted_by_then(toy) -> None:
    act = Deploy(owner="AAA", host="BBB", site="s", lat=50.0, lon=24.0, system="msl", count=5)
    a = assess(toy, act, at=dt.date(1995, 1, 1), draws=0, model=_model(toy))
    assert "istanbul-1999:8-right" not in a.rights_invoked
    assert "helsinki-1975:principle-1" in a.rights_invoked
    assert not any(c.startswith(("istanbul", "astana")) for c in a.obligations_engaged)


def test_national_answer_replays_each_dated_change(toy) -> None:
    changes = changes_for(toy, "BBB", dt.date(1990, 1, 1), D)
    assert [(c.date.isoformat(), c.kind) for c in changes] == [
        ("2000-01-01", "accession"), ("2005-01-01", "deployment"), ("2010-01-01", "departure")]
    out = national_answer(toy, "BBB", dt.date(1990, 1, 1), D, draws=10, model=_model(toy))
    first = out["changes"][0]
    # The accession, against the world without it: BBB gains an ally's protection.
    assert first["own_delta"] > 0
    assert set(first["verdicts"]) == {"free-choice", "legitimate-concerns", "indivisible"}
    with pytest.raises(InputError):
        changes_for(toy, "ZZZ", dt.date(1990, 1, 1), D)
    with pytest.raises(InputError):
        national_answer(toy, "BBB", D, dt.date(1990, 1, 1))


def test_top_elements_carry_labels_and_owners(toy) -> None:
    act = Deploy(id="dx", owner="AAA", host="BBB", site="border", lat=50.0, lon=26.0,
                 system="msl", count=400)
    a = assess(toy, act, at=D, draws=0, model=_model(toy))
    top = a.state("CCC").top_elements[0]
    assert top["id"] == "deploy:dx" and top["owner"] == "AAA"
    assert top["label"] != top["id"] and "msl" in top["label"].lower() or "Missile" in top["label"]
