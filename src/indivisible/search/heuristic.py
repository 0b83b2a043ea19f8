"""The search beyond exhaustive reach: multi-start steepest-ascent local search.

When a menu has too many measures to enumerate, each *start* (the empty package, and
random packages in which each measure is present with a probability drawn between 0.05
and 0.5) climbs: it evaluates every package that adds or removes one measure — all in one
batch — and moves to the best of them if it is better, until none is. "Better" puts
packages under which nobody loses more than epsilon first, ranked by the objective; among
the others, the one with the smaller total excess loss. Every visited package is
evaluated exactly (the same tables as the exhaustive search), and the best packages and
the Pareto front are taken from all visited packages; neither is guaranteed to be the
true optimum or the complete front, and the result says so.

Starts are cut into chunks with their own random streams, so the result depends on the
seed and the number of starts, never on the executor or the number of workers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from indivisible.exec.chunks import Chunk
from indivisible.search.select import candidates, concat, select, unique
from indivisible.search.tables import Tables, popcount

STARTS = 64
STARTS_PER_CHUNK = 8
#: Infeasible packages score below every feasible one (objectives lie within [-N, N]).
INFEASIBLE = -1.0e6


def describe(starts: int, seed: int) -> str:
    return (f"heuristic: multi-start steepest-ascent local search adding or removing one "
            f"measure at a time, {starts} starts (the empty package and {starts - 1} random "
            f"packages, seed {seed}); every visited package is evaluated exactly, but the best "
            "package and the Pareto front are not guaranteed to be found")


def _evaluate(tables: Tables, masks: NDArray[np.int64], objective: str
              ) -> tuple[dict[str, NDArray], NDArray[np.float64]]:
    s = tables.summarise(tables.from_menu(masks), excess=True)
    value = s.min_delta if objective == "min" else s.sum_delta
    score = np.where(s.n_losers == 0, value, INFEASIBLE - s.excess)
    return candidates(masks, s.min_delta, s.sum_delta, s.n_losers), score


def climb_chunk(tables: Tables, objective: str, top: int, max_steps: int, chunk: Chunk
                ) -> dict[str, NDArray[np.int64] | NDArray[np.float64]]:
    """Run this chunk's starts to their local optima; keep the best and the front seen."""
    m = tables.n_measures
    rng = chunk.rng()
    starts = np.zeros(chunk.size, dtype=np.int64)
    for k in range(chunk.size):
        if chunk.start + k == 0:
            continue  # global start 0 is the empty package
        present = rng.random(m) < rng.uniform(0.05, 0.5)
        starts[k] = int(np.sum(np.left_shift(1, np.nonzero(present)[0].astype(np.int64))))
    seen, score = _evaluate(tables, starts, objective)
    archive = [seen]
    current, cur_score = starts, score
    active = np.ones(len(current), dtype=bool)
    flips = np.left_shift(np.int64(1), np.arange(m, dtype=np.int64))
    for _ in range(max_steps):
        rows = np.nonzero(active)[0]
        if not len(rows):
            break
        neigh = (current[rows, None] ^ flips[None, :]).reshape(-1)
        seen, score = _evaluate(tables, neigh, objective)
        archive.append(seen)
        # best neighbour of each row: highest score, then fewer measures, then smaller mask
        row_of = np.repeat(np.arange(len(rows)), m)
        order = np.lexsort((neigh, popcount(neigh, m), -score, row_of))
        best = order[np.arange(len(rows)) * m]
        better = score[best] > cur_score[rows]
        current[rows[better]] = neigh[best[better]]
        cur_score[rows[better]] = score[best[better]]
        active[rows[~better]] = False
    visited = unique(concat(archive))
    kept = select(visited, objective, top, m)
    n = len(kept["mask"])
    kept["chunk"] = np.full(n, chunk.index, dtype=np.int64)
    kept["evaluated"] = np.full(n, len(visited["mask"]), dtype=np.int64)
    kept["feasible"] = np.full(n, int(np.count_nonzero(visited["n_losers"] == 0)), dtype=np.int64)
    return kept
