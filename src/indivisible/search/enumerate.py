"""Exhaustive search: every package of a menu, a chunk of consecutive masks at a time.

Chunk ``i`` evaluates the internal masks ``start .. stop - 1`` in one batch (a matrix
product and element-wise maps, :class:`~indivisible.search.tables.Tables`) and keeps only
its best packages and its Pareto front (:mod:`indivisible.search.select`), so what travels
back from a worker is a few rows whatever the chunk size. Chunks depend only on their
bounds, so any executor and any number of workers give the same rows.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from indivisible.exec.chunks import Chunk
from indivisible.search.select import candidates, prefilter, select
from indivisible.search.tables import Tables, workspace

#: Packages per chunk: 2**14 keeps a chunk's arrays near 20 MB for the 57 OSCE states.
CHUNK = 1 << 14


def enumerate_chunk(tables: Tables, objective: str, top: int, chunk: Chunk
                    ) -> dict[str, NDArray[np.int64] | NDArray[np.float64]]:
    """Evaluate one chunk of packages; its best ``top`` and its front, with its counts."""
    work = workspace()
    q = work.arange(chunk.start, chunk.stop)
    s = tables.summarise(q, work=work)
    rows = prefilter(s.min_delta, s.sum_delta, s.n_losers, objective, top)
    c = candidates(tables.to_menu(q[rows]), s.min_delta[rows], s.sum_delta[rows],
                   s.n_losers[rows])
    kept = select(c, objective, top, tables.n_measures)
    n = len(kept["mask"])
    kept["chunk"] = np.full(n, chunk.index, dtype=np.int64)
    kept["evaluated"] = np.full(n, chunk.size, dtype=np.int64)
    kept["feasible"] = np.full(n, chunk.size - int(np.count_nonzero(s.n_losers)),
                               dtype=np.int64)
    return kept
