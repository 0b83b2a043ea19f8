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
from indivisible.search.select import candidates, select
from indivisible.search.tables import Tables

#: Packages per chunk: 2**14 keeps a chunk's arrays near 20 MB for the 57 OSCE states.
CHUNK = 1 << 14


def enumerate_chunk(tables: Tables, objective: str, top: int, chunk: Chunk
                    ) -> dict[str, NDArray[np.int64] | NDArray[np.float64]]:
    """Evaluate one chunk of packages; its best ``top`` and its front, with its counts."""
    q = np.arange(chunk.start, chunk.stop, dtype=np.int64)
    s = tables.summarise(q)
    c = candidates(tables.to_menu(q), s.min_delta, s.sum_delta, s.n_losers)
    kept = select(c, objective, top, tables.n_measures)
    rows = len(kept["mask"])
    kept["chunk"] = np.full(rows, chunk.index, dtype=np.int64)
    kept["evaluated"] = np.full(rows, chunk.size, dtype=np.int64)
    kept["feasible"] = np.full(rows, int(np.count_nonzero(s.n_losers == 0)), dtype=np.int64)
    return kept
