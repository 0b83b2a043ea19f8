"""Classic strategies of the iterated game, vectorized over runs, with Axelrod-style classifiers.

A strategy decides its next move from the history *as it saw it*: its own moves (known) and
the other side's moves as perceived (possibly misread). Histories are (runs, t) arrays of 0
(restrain) and 1 (arm); a decision is a (runs,) array, so one call plays every run at once.
Decisions are pure functions of the histories and a uniform random draw, which makes each
rule testable on scripted histories.

Definitions follow the Axelrod library's (Knight et al., "An Open Framework for the
Reproducible Study of the Iterated Prisoner's Dilemma", J. Open Research Software 4, 2016),
which is the reference for names and classifiers; the code is written here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from indivisible.games.twobytwo import ARM, RESTRAIN, Letters

Moves = NDArray[np.int8]
Decide = Callable[[Moves, Moves, NDArray[np.float64], "Context"], Moves]


@dataclass(frozen=True)
class Context:
    """What a strategy may know about the game besides the history: its own payoff letters."""

    letters: Letters


@dataclass(frozen=True)
class Strategy:
    """A named rule with its classifier (keys as in the Axelrod library)."""

    key: str
    name: str
    decide: Decide
    classifier: Mapping[str, Any]
    description: str
    reference: str

    def __call__(self, own: Moves, seen: Moves, u: NDArray[np.float64], ctx: Context) -> Moves:
        return self.decide(own, seen, u, ctx).astype(np.int8)


def _classifier(memory_depth: float, stochastic: bool, makes_use_of: frozenset[str] = frozenset()
                ) -> Mapping[str, Any]:
    return MappingProxyType({
        "memory_depth": memory_depth,
        "stochastic": stochastic,
        "makes_use_of": makes_use_of,
        "long_run_time": False,
        "inspects_source": False,
        "manipulates_source": False,
        "manipulates_state": False,
    })


def _runs(own: Moves) -> int:
    return own.shape[0]


def always_restrain(own: Moves, seen: Moves, u: NDArray, ctx: Context) -> Moves:
    return np.full(_runs(own), RESTRAIN, dtype=np.int8)


def always_arm(own: Moves, seen: Moves, u: NDArray, ctx: Context) -> Moves:
    return np.full(_runs(own), ARM, dtype=np.int8)


def tit_for_tat(own: Moves, seen: Moves, u: NDArray, ctx: Context) -> Moves:
    if seen.shape[1] == 0:
        return np.full(_runs(own), RESTRAIN, dtype=np.int8)
    return seen[:, -1].copy()


def generosity(letters: Letters) -> float:
    """GTFT's probability of forgiving an arming: ``min(1 - (T-R)/(R-S), (R-P)/(T-P))``.

    Nowak and Sigmund (1992) — the largest forgiveness that still does not pay
    unconditional arming; clipped to [0, 1] for games that are not a prisoner's dilemma.
    """
    R, S, T, P = letters.R, letters.S, letters.T, letters.P
    if R == S or T == P:
        return 0.0
    g = min(1.0 - (T - R) / (R - S), (R - P) / (T - P))
    return float(min(max(g, 0.0), 1.0))


def generous_tit_for_tat(own: Moves, seen: Moves, u: NDArray, ctx: Context) -> Moves:
    if seen.shape[1] == 0:
        return np.full(_runs(own), RESTRAIN, dtype=np.int8)
    last = seen[:, -1]
    forgive = u < generosity(ctx.letters)
    return np.where((last == ARM) & ~forgive, ARM, RESTRAIN).astype(np.int8)


def grim_trigger(own: Moves, seen: Moves, u: NDArray, ctx: Context) -> Moves:
    if seen.shape[1] == 0:
        return np.full(_runs(own), RESTRAIN, dtype=np.int8)
    return np.any(seen == ARM, axis=1).astype(np.int8)


def win_stay_lose_shift(own: Moves, seen: Moves, u: NDArray, ctx: Context) -> Moves:
    if seen.shape[1] == 0:
        return np.full(_runs(own), RESTRAIN, dtype=np.int8)
    # Win (R or T: the other restrained) -> repeat; lose (S or P) -> switch.
    # Equivalent: restrain iff both did the same last round.
    return (own[:, -1] != seen[:, -1]).astype(np.int8)


_ALL = (
    Strategy("tit-for-tat", "Tit For Tat", tit_for_tat, _classifier(1, False),
             "Restrain first, then do what the other did last.",
             "Axelrod (1980), 'Effective Choice in the Prisoner's Dilemma', JCR 24(1)."),
    Strategy("generous-tit-for-tat", "Generous Tit For Tat", generous_tit_for_tat,
             _classifier(1, True, frozenset({"game"})),
             "Restrain first; after a restraint restrain; after an arming forgive (restrain) "
             "with probability min(1-(T-R)/(R-S), (R-P)/(T-P)), else arm.",
             "Nowak and Sigmund (1992), 'Tit for tat in heterogeneous populations', "
             "Nature 355; Molander (1985), JCR 29(4)."),
    Strategy("grim-trigger", "Grim Trigger", grim_trigger, _classifier(float("inf"), False),
             "Restrain until the other arms once, then arm for ever.",
             "Friedman (1971), 'A non-cooperative equilibrium for supergames', RES 38(1)."),
    Strategy("win-stay-lose-shift", "Win-Stay Lose-Shift", win_stay_lose_shift,
             _classifier(1, False),
             "Restrain first; after R or T repeat the last move, after S or P switch.",
             "Nowak and Sigmund (1993), 'A strategy of win-stay, lose-shift…', Nature 364."),
    Strategy("always-arm", "Always Arm (Defector)", always_arm, _classifier(0, False),
             "Arm every round.", "Axelrod (1984), The Evolution of Cooperation."),
    Strategy("always-restrain", "Always Restrain (Cooperator)", always_restrain,
             _classifier(0, False), "Restrain every round.",
             "Axelrod (1984), The Evolution of Cooperation."),
)

#: The registry: key -> strategy.
STRATEGIES: Mapping[str, Strategy] = MappingProxyType({s.key: s for s in _ALL})


@dataclass(frozen=True)
class Filter:
    """Select strategies by classifier values (like ``axelrod.filtered_strategies``)."""

    criteria: Mapping[str, Any] = field(default_factory=dict)

    def __call__(self, strategy: Strategy) -> bool:
        for key, want in self.criteria.items():
            if key == "min_memory_depth":
                if strategy.classifier["memory_depth"] < want:
                    return False
            elif key == "max_memory_depth":
                if strategy.classifier["memory_depth"] > want:
                    return False
            elif strategy.classifier.get(key) != want:
                return False
        return True


def filtered(**criteria: Any) -> list[Strategy]:
    """Strategies whose classifier matches, e.g. ``filtered(stochastic=False)``."""
    f = Filter(criteria)
    return [s for s in STRATEGIES.values() if f(s)]


def get(key: str) -> Strategy:
    from indivisible.errors import InputError

    if key not in STRATEGIES:
        raise InputError(f"unknown strategy {key!r}; expected one of {', '.join(STRATEGIES)}",
                         field="strategy")
    return STRATEGIES[key]
