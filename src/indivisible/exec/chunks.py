"""The chunk plan: how a run's items are cut into pieces, and which random stream each gets.

Results must not depend on how many workers run a task, nor on which executor. So the
task fixes the chunk boundaries (from the item count and a chunk size, never from the
worker count) and chunk ``i`` always draws from child ``i`` of the run's
:class:`numpy.random.SeedSequence` — the same stream whoever computes it, whenever.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indivisible.errors import InputError


@dataclass(frozen=True)
class Chunk:
    """Items ``start`` (inclusive) to ``stop`` (exclusive) of a run, with their own seed."""

    index: int
    start: int
    stop: int
    seed: np.random.SeedSequence

    @property
    def size(self) -> int:
        return self.stop - self.start

    def rng(self) -> np.random.Generator:
        """A fresh generator on this chunk's stream (PCG64, NumPy's default bit generator)."""
        return np.random.default_rng(self.seed)


def _check_int(value: object, field: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InputError(f"expected an integer, got {value!r}", field=field)
    if value < minimum:
        raise InputError(f"expected an integer >= {minimum}, got {value}", field=field)
    return int(value)


def chunk_seed(seed: int, index: int) -> np.random.SeedSequence:
    """Child ``index`` of ``SeedSequence(seed)``: what ``SeedSequence(seed).spawn(n)[index]`` is.

    Built directly from the spawn key so that it does not depend on how many children
    were spawned before, nor on the chunk size or the number of items.
    """
    seed = _check_int(seed, "seed", 0)
    return np.random.SeedSequence(seed, spawn_key=(int(index),))


def plan_chunks(n_items: int, chunk_size: int, seed: int) -> list[Chunk]:
    """Cut ``n_items`` into consecutive chunks of ``chunk_size`` (the last may be shorter)."""
    n_items = _check_int(n_items, "n_items", 0)
    chunk_size = _check_int(chunk_size, "chunk_size", 1)
    seed = _check_int(seed, "seed", 0)
    return [
        Chunk(index=i, start=start, stop=min(start + chunk_size, n_items),
              seed=chunk_seed(seed, i))
        for i, start in enumerate(range(0, n_items, chunk_size))
    ]
