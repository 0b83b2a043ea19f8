"""Which packages to keep: the best under the objective, and the Pareto front of (sum, minimum).

Both selections compose: the best ``k`` of a union are among the best ``k`` of its parts,
and a point on the union's front is on its own part's front. So every chunk of an
enumeration keeps only its own best and its own front, and the merge of those gives
exactly what a single pass over every package would — whatever the chunking.

Packages with exactly the same smallest change and sum are one *outcome* (typically a
package plus measures that change nothing at the date). An outcome is represented by
its package with the fewest measures, then the smallest mask in menu order, and counts
how many packages give it (``equivalent``). Counts add up across chunks and are exact
for every outcome kept in the end: an outcome among the best ``k`` or on the front of
all packages is among the best ``k`` or on the front of every chunk that holds it.
Rankings break ties by the other objective, then as above, so the choice never depends
on the order in which packages were met. Whether nobody loses depends only on the
smallest change (``min >= -epsilon``), so all packages of an outcome agree on it.
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


def unique(c: Mapping[str, NDArray[Any]]) -> Candidates:
    """One row per mask (the same package met twice, e.g. from two starts)."""
    _, first = np.unique(c["mask"], return_index=True)
    return take(c, np.sort(first))


def _runs(c: Candidates, rows: NDArray[np.int64], keys: tuple[NDArray, ...]
          ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Sort ``rows`` by ``keys`` (last is primary); each outcome's first row and its count.

    Every key sorts rows of one outcome together, so an outcome is a run of equal
    (min, sum) in the sorted order.
    """
    order = rows[np.lexsort(keys)]
    if not len(order):
        return order, np.zeros(0, dtype=np.int64)
    mn, sm = c["min_delta"][order], c["sum_delta"][order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (mn[1:] != mn[:-1]) | (sm[1:] != sm[:-1])
    starts = np.nonzero(new)[0]
    return order[starts], np.add.reduceat(c["equivalent"][order], starts)


def ranked(c: Candidates, objective: str, top: int, bits: int
           ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The best ``top`` outcomes under which nobody loses, best first, with their counts.

    Ties: the other objective, then fewer measures, then the smaller mask.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}")
    rows = np.nonzero(c["n_losers"] == 0)[0]
    first, second = ("min_delta", "sum_delta") if objective == "min" else \
        ("sum_delta", "min_delta")
    mask = c["mask"][rows]
    reps, counts = _runs(c, rows, (mask, popcount(mask, bits), -c[second][rows],
                                   -c[first][rows]))
    return reps[:top], counts[:top]


def pareto(c: Candidates, bits: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The non-dominated (sum, minimum) outcomes by decreasing sum, with their counts.

    An outcome is dominated when another has a sum and a minimum at least as large and one
    of them larger. Sorted by sum, then minimum, decreasing, an outcome is on the front
    exactly when its minimum exceeds every minimum before it.
    """
    rows = np.arange(len(c["mask"]))
    mask = c["mask"]
    reps, counts = _runs(c, rows, (mask, popcount(mask, bits), -c["min_delta"],
                                   -c["sum_delta"]))
    if not len(reps):
        return reps, counts
    mins = c["min_delta"][reps]
    before = np.concatenate([[-np.inf], np.maximum.accumulate(mins)[:-1]])
    keep = mins > before
    return reps[keep], counts[keep]


def prefilter(min_delta: NDArray[np.float64], sum_delta: NDArray[np.float64],
              n_losers: NDArray[np.int64], objective: str, top: int) -> NDArray[np.int64]:
    """Rows that may belong to a kept outcome (a superset), found without sorting them all.

    Best ``top``: an outcome among them has its objective at least the ``top``-th largest
    distinct objective value among packages under which nobody loses (each distinct value
    is at least one outcome). Front: a row dominated by any other row is not on it, so
    rows dominated by a few good *anchors* (the best rows under weighted sums of the two
    criteria) are dropped. Rows that equal a kept outcome are never dropped, so counts of
    equivalent packages stay exact.
    """
    n = len(min_delta)
    if n <= 4 * top + 64:
        return np.arange(n)
    feasible = np.nonzero(n_losers == 0)[0]
    value = (min_delta if objective == "min" else sum_delta)[feasible]
    keep = np.zeros(n, dtype=bool)
    if len(value):
        m = min(len(value), 64 * top)
        largest = np.unique(np.partition(value, len(value) - m)[len(value) - m:])
        if len(largest) < top and m < len(value):
            largest = np.unique(value)
        threshold = largest[max(len(largest) - top, 0)]
        keep[feasible[value >= threshold]] = True
    spread = [float(np.ptp(min_delta)) or 1.0, float(np.ptp(sum_delta)) or 1.0]
    anchors = {int(np.argmax(min_delta)), int(np.argmax(sum_delta))}
    for w in np.linspace(0.05, 0.95, 7):
        anchors.add(int(np.argmax(w * min_delta / spread[0] + (1 - w) * sum_delta / spread[1])))
    dominated = np.zeros(n, dtype=bool)
    for a in sorted(anchors):
        am, asum = min_delta[a], sum_delta[a]
        dominated |= ((min_delta <= am) & (sum_delta <= asum)
                      & ((min_delta < am) | (sum_delta < asum)))
    keep |= ~dominated
    return np.nonzero(keep)[0]


def select(c: Candidates, objective: str, top: int, bits: int) -> Candidates:
    """The outcomes worth keeping from ``c`` (its best ``top`` and its front), each once,
    with ``equivalent`` set to the number of packages that give it."""
    best, best_n = ranked(c, objective, top, bits)
    front, front_n = pareto(c, bits)
    idx = np.concatenate([best, front])
    counts = np.concatenate([best_n, front_n])
    idx, first = np.unique(idx, return_index=True)
    out = take(c, idx)
    out["equivalent"] = counts[first]
    return out
