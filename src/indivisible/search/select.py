"""Which packages to keep: the best under the objective, and the Pareto front of (sum, minimum).

Both selections compose: the best ``k`` of a union are among the best ``k`` of its parts,
and a point on the union's front is on its own part's front. So every chunk of an
enumeration keeps only its own best and its own front, and the merge of those gives
exactly what a single pass over every package would — whatever the chunking.

Packages with exactly the same smallest change and sum are one *outcome* (typically a
package plus measures that change nothing at the date): an outcome is represented by
its package with the fewest measures, then the smallest mask in menu order, and counts
how many packages give it (``equivalent``). Counts add up across chunks, and they are
exact for every outcome kept in the end: an outcome among the best ``k`` or on the front
of all packages is among the best ``k`` or on the front of every chunk that holds it.
Rankings break ties by the other objective, then as above, so the choice never depends
on the order in which packages were met.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from indivisible.search.tables import popcount

OBJECTIVES = ("min", "sum")
COLUMNS = ("mask", "min_delta", "sum_delta", "n_losers", "equivalent")

Candidates = dict[str, NDArray[Any]]


def candidates(mask: NDArray[np.int64], min_delta: NDArray[np.float64],
               sum_delta: NDArray[np.float64], n_losers: NDArray[np.int64],
               equivalent: NDArray[np.int64] | None = None) -> Candidates:
    mask = np.asarray(mask, dtype=np.int64)
    return {"mask": mask,
            "min_delta": np.asarray(min_delta, dtype=float),
            "sum_delta": np.asarray(sum_delta, dtype=float),
            "n_losers": np.asarray(n_losers, dtype=np.int64),
            "equivalent": (np.ones(len(mask), dtype=np.int64) if equivalent is None
                           else np.asarray(equivalent, dtype=np.int64))}


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


def collapse(c: Candidates, bits: int) -> Candidates:
    """One row per outcome (min, sum): its representative package and how many give it."""
    if not len(c["mask"]):
        return c
    order = np.lexsort((c["mask"], popcount(c["mask"], bits), c["sum_delta"], c["min_delta"]))
    mn, sm = c["min_delta"][order], c["sum_delta"][order]
    start = np.concatenate([[True], (mn[1:] != mn[:-1]) | (sm[1:] != sm[:-1])])
    first = np.nonzero(start)[0]
    out = take(c, order[first])
    out["equivalent"] = np.add.reduceat(c["equivalent"][order], first)
    return out


def ranked(c: Candidates, objective: str, top: int, bits: int) -> NDArray[np.int64]:
    """Indices of the best ``top`` outcomes under which nobody loses, best first (ties:
    the other objective, then fewer measures, then the smaller mask)."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}")
    feasible = np.nonzero(c["n_losers"] == 0)[0]
    first, second = ("min_delta", "sum_delta") if objective == "min" else \
        ("sum_delta", "min_delta")
    mask = c["mask"][feasible]
    order = np.lexsort((mask, popcount(mask, bits), -c[second][feasible], -c[first][feasible]))
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
    """The outcomes worth keeping from ``c``: its best ``top`` and its front."""
    c = collapse(c, bits)
    keep = np.union1d(ranked(c, objective, top, bits), pareto(c, bits))
    return take(c, keep.astype(np.int64))
