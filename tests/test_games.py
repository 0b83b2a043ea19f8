"""2x2 games: classification on textbook orders, equilibria against nashpy, derivation, Jervis."""

from __future__ import annotations

import itertools

import nashpy
import numpy as np
import pytest

from indivisible.games.derive import dyad_game, security
from indivisible.games.twobytwo import Game, Letters, kind_of
from indivisible.games.worlds import jervis_world

# (R, S, T, P) for textbook instances of each game.
TEXTBOOK = {
    "prisoner's dilemma": (3, 0, 5, 1),  # T > R > P > S (Axelrod's payoffs)
    "stag hunt": (4, 0, 3, 1),  # R > T >= P > S
    "chicken": (3, 1, 4, 0),  # T > R > S > P
    "harmony": (4, 3, 2, 1),  # R > T, S > P
    "deadlock": (2, 0, 4, 3),  # T > P > R > S
}


@pytest.mark.parametrize(("kind", "letters"), TEXTBOOK.items())
def test_textbook_orders(kind: str, letters: tuple[int, ...]) -> None:
    g = Game.symmetric(*letters)
    c = g.classify()
    assert c.name == kind and c.row == c.col == kind


def test_every_strict_order_gets_exactly_the_definition() -> None:
    """All 24 strict orders of R, S, T, P against the definitions written independently."""
    for perm in itertools.permutations((1, 2, 3, 4)):
        R, S, T, P = perm
        expect = []
        if T > R > P > S:
            expect.append("prisoner's dilemma")
        if R > T >= P > S:
            expect.append("stag hunt")
        if T > R > S > P:
            expect.append("chicken")
        if R > T and S > P:
            expect.append("harmony")
        if T > P > R > S:
            expect.append("deadlock")
        assert len(expect) <= 1
        assert kind_of(Letters(R=R, S=S, T=T, P=P)) == (expect[0] if expect else "other")


def test_stag_hunt_tie_and_letters_order() -> None:
    assert kind_of(Letters(R=4, S=0, T=2, P=2)) == "stag hunt"  # T = P allowed
    assert Letters(R=3, S=0, T=5, P=1).order() == "T > R > P > S"


def test_asymmetric_game_names_both_sides() -> None:
    pd = np.array([[3, 0], [5, 1]], float)
    sh = np.array([[4, 0], [3, 1]], float)
    g = Game(pd, sh.T.copy())
    c = g.classify()
    assert c.row == "prisoner's dilemma" and c.col == "stag hunt"
    assert c.name.startswith("asymmetric")


def as_set(eqs):
    return sorted((tuple(np.round(e.row, 9)), tuple(np.round(e.col, 9))) for e in eqs)


def nash_set(g: Game):
    out = []
    for sr, sc in nashpy.Game(g.row, g.col).support_enumeration():
        out.append((tuple(np.round(sr, 9)), tuple(np.round(sc, 9))))
    return sorted(out)


@pytest.mark.parametrize("kind", TEXTBOOK)
def test_equilibria_of_textbook_games_match_nashpy(kind: str) -> None:
    g = Game.symmetric(*TEXTBOOK[kind])
    assert as_set(g.equilibria()) == nash_set(g)


def test_known_equilibria() -> None:
    pd = Game.symmetric(3, 0, 5, 1).equilibria()
    assert [e.label() for e in pd] == ["(arm, arm)"]
    chicken = Game.symmetric(3, 1, 4, 0).equilibria()
    assert {e.label() for e in chicken if e.pure} == {"(restrain, arm)", "(arm, restrain)"}
    mixed = [e for e in chicken if not e.pure][0]
    # Row indifferent: 3q + 1(1-q) = 4q + 0 -> q = 1/2.
    assert mixed.col[0] == pytest.approx(0.5) and mixed.row[0] == pytest.approx(0.5)
    assert mixed.payoff_row == pytest.approx(2.0)
    stag = Game.symmetric(4, 0, 3, 1).equilibria()
    assert len(stag) == 3


def test_random_games_match_nashpy() -> None:
    rng = np.random.default_rng(0)
    for _ in range(300):
        g = Game(rng.normal(size=(2, 2)), rng.normal(size=(2, 2)))
        assert as_set(g.equilibria()) == nash_set(g)
        for e in g.equilibria():
            # Expected payoffs are those of the profile.
            x, y = np.array(e.row), np.array(e.col)
            assert e.payoff_row == pytest.approx(x @ g.row @ y)


def model_dyad(n: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    t = rng.uniform(0.2, 1.0, (n, n))
    np.fill_diagonal(t, 0)
    d = np.diag(rng.uniform(1, 3, n)) + rng.uniform(0, 0.2, (n, n))
    return t, d


def test_dyad_game_payoffs_are_security_minus_cost() -> None:
    t, d = model_dyad()
    g = dyad_game(t, d, 0, 2, arm_step=0.25, arm_cost=0.1)
    for a, b in itertools.product((0, 1), repeat=2):
        x = np.ones(4)
        x[0] *= 1 + 0.25 * a
        x[2] *= 1 + 0.25 * b
        s = (d @ x) / (d @ x + t @ x)
        assert g.row[a, b] == pytest.approx(s[0] - 0.1 * 0.25 * a)
        assert g.col[a, b] == pytest.approx(s[2] - 0.1 * 0.25 * b)
    # Arming raises one's own security and lowers the other's (hostile dyad).
    assert g.row[1, 0] + 0.025 > g.row[0, 0]
    assert g.row[0, 1] < g.row[0, 0]


def test_cost_of_arms_moves_the_game_from_deadlock_to_harmony() -> None:
    t, d = model_dyad()
    free = dyad_game(t, d, 0, 1, arm_step=0.25, arm_cost=0.0).classify()
    dear = dyad_game(t, d, 0, 1, arm_step=0.25, arm_cost=10.0).classify()
    assert free.row in ("prisoner's dilemma", "deadlock")  # arming dominates when free
    assert dear.row == "harmony" and dear.col == "harmony"


def test_security_helper_matches_formula() -> None:
    t, d = model_dyad()
    x = np.array([[1, 2, 1, 1], [1, 1, 1, 3.0]])
    s = security(t, d, x)
    np.testing.assert_allclose(s[1], (d @ x[1]) / (d @ x[1] + t @ x[1]))


@pytest.mark.parametrize(
    ("off", "dfn", "dual", "number"),
    [(3, 1, 0.9, 1), (1, 3, 0.9, 2), (3, 1, 0.1, 3), (1, 3, 0.1, 4)],
)
def test_jervis_four_worlds(off: float, dfn: float, dual: float, number: int) -> None:
    w = jervis_world(off, dfn, dual)
    assert w.number == number
    assert w.offense_share == pytest.approx(off / (off + dfn))


def test_jervis_names() -> None:
    assert jervis_world(3, 1, 0.9).name == "doubly dangerous"
    assert jervis_world(1, 3, 0.1).name == "doubly stable"
    with pytest.raises(ValueError):
        jervis_world(1, 1, 1.5)
