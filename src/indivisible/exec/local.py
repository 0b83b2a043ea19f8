"""The in-process executor: a pool of threads over the chunks.

Threads, not processes, because the chunk work this project does is NumPy array work
(batched evaluation is a matrix product plus element-wise maps) and NumPy releases the
GIL inside those loops, so threads run them in parallel on separate cores. Threads share
the world's arrays without copying or pickling them, start in microseconds, and need
nothing beyond the standard library; the price — pure-Python chunk code does not scale —
is what the Dask executor (worker processes) is for. ``benchmarks/bench_exec.py``
prints both side by side.

At most ``2 * workers`` chunks are in flight, so results that the caller saves as they
arrive (see :mod:`indivisible.exec.sweep`) never pile up in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

from indivisible.exec.chunks import Chunk
from indivisible.exec.executor import ExecutorBase, check_workers

T = TypeVar("T")


class LocalExecutor(ExecutorBase):
    """Runs chunks on ``workers`` threads of this process (inline when ``workers == 1``)."""

    name = "local"

    def __init__(self, workers: int = 2) -> None:
        self.workers = check_workers(workers, field="workers") or 1
        self._pool: ThreadPoolExecutor | None = None

    def _get_pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.workers,
                                            thread_name_prefix="indivisible-exec")
        return self._pool

    def imap_unordered(
        self, fn: Callable[[Chunk], T], chunks: Sequence[Chunk]
    ) -> Iterator[tuple[int, T]]:
        if self.workers == 1:
            for pos, chunk in enumerate(chunks):
                yield pos, fn(chunk)
            return
        pool = self._get_pool()
        window = 2 * self.workers
        pending: dict[Future[Any], int] = {}
        todo = iter(enumerate(chunks))
        try:
            while True:
                while len(pending) < window:
                    nxt = next(todo, None)
                    if nxt is None:
                        break
                    pending[pool.submit(fn, nxt[1])] = nxt[0]
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=pending.__getitem__):
                    pos = pending.pop(fut)
                    yield pos, fut.result()
        finally:
            for fut in pending:
                fut.cancel()

    def describe(self) -> dict[str, Any]:
        return {"executor": self.name, "workers": self.workers}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __repr__(self) -> str:
        return f"LocalExecutor(workers={self.workers})"
