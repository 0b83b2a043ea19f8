"""Which packages to keep: the best under the objective, and the Pareto front of (sum, minimum).

Both selections compose: the best ``k`` of a union are among the best ``k`` of its parts,
and a point on the union's front is on its own part's front. So every chunk of an
enumeration keeps only its own best and its own front, and the merge of those gives
exactly what a single pass over every package would — whatever the chunking.

Ties are broken the same way everywhere, so the choice never depends on the order in
which packages were met: fewer measures first, then the smaller mask in menu order.
Packages with the same (sum, minimum) count as one point on the front, represented by
the package that wins the tie-break.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from indivisible.search.tables import popcount

OBJECTIVES = ("min", "sum")
COLUMNS = ("mask", "min_delta", "sum_delta", "n_losers")

Candidates = dict[str, NDArray[Any]]


def candidates(mask: NDArray[np.int64], min_delta: NDArray[np.float64],
               sum_delta: NDArray[np.float64], n_losers: NDArray[np.int64]) -> Candidates:
    return {"mask": np.asarray(mask, dtype=np.int64),
            "min_delta": np.asarray(min_delta, dtype=float),
            "sum_delta": np.asarray(sum_delta, dtype=float),
            "n_losers": np.asarray(n_losers, dtype=np.int64)}


def take(c: Mapping[str, NDArray[Any]], idx: NDArray[np.int64]) -> Candidates:
    return {k: np.asarray(c[k])[idx] for k in COLUMNS}


def concat(parts: Sequence[Mapping[str, NDArray[Any]]]) -> Candidates:
    if not parts:
        return candidates(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0, np.int64))
    return {k: np.concatenate([np.asarray(p[k]) for p in parts]) for k in COLUMNS}


def unique(c: Candidates) -> Candidates:
    """One row per mask (the same package met twice, e.g. from two starts)."""
    _, first = np.unique(c["mask"], return_index=True)
    return take(c, np.sort(first))


def ranked(c: Candidates, objective: str, top: int, bits: int) -> NDArray[np.int64]:
    """Indices of the best ``top`` packages under which nobody loses, best first."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}")
    feasible = np.nonzero(c["n_losers"] == 0)[0]
    value = c["min_delta" if objective == "min" else "sum_delta"][feasible]
    mask = c["mask"][feasible]
    order = np.lexsort((mask, popcount(mask, bits), -value))
    return feasible[order[:top]]


def pareto(c: Candidates, bits: int) -> NDArray[np.int64]:
    """Indices of the non-dominated (sum, minimum) points, by decreasing sum.

    A package is dominated when another has a sum and a minimum at least as large and one
    of them larger. Sorted by sum (then minimum) decreasing, a point is on the front
    exactly when its minimum exceeds every minimum before it.
    """
    if not len(c["mask"]):
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((c["mask"], popcount(c["mask"], bits), -c["min_delta"], -c["sum_delta"]))
    mins = c["min_delta"][order]
    before = np.concatenate([[-np.inf], np.maximum.accumulate(mins)[:-1]])
    return order[mins > before]


def select(c: Candidates, objective: str, top: int, bits: int) -> Candidates:
    """The rows worth keeping from ``c``: its best ``top`` and its front."""
    keep = np.union1d(ranked(c, objective, top, bits), pareto(c, bits))
    return take(c, keep.astype(np.int64))
