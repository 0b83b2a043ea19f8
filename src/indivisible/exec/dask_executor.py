"""The Dask executor: the same chunks on a ``dask.distributed`` cluster.

Without a scheduler address it starts a ``LocalCluster`` of single-threaded worker
processes (``processes=False`` keeps them as threads of this process, which tests use
to start fast); with one it connects to the user's cluster. The function is shipped to
every worker once (``scatter(..., broadcast=True)``), not once per chunk, so a task
closing over large arrays costs one transfer per worker. Chunks are submitted in a
bounded window and collected as they complete; the results are the same numbers as the
local executor's because each chunk carries its own bounds and seed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from indivisible.errors import InputError
from indivisible.exec.chunks import Chunk
from indivisible.exec.executor import ExecutorBase, check_workers

T = TypeVar("T")


def _apply(fn: Callable[[Chunk], T], chunk: Chunk) -> T:
    return fn(chunk)


class DaskExecutor(ExecutorBase):
    """Runs chunks on a Dask cluster: a new local one, or the one at ``scheduler``."""

    name = "dask"

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int = 2,
        *,
        processes: bool = True,
        timeout: float = 10.0,
    ) -> None:
        from distributed import Client, LocalCluster

        self.workers = check_workers(workers, field="workers") or 1
        self.scheduler = scheduler
        self._cluster: Any = None
        self._client: Any = None
        if scheduler is not None:
            if not isinstance(scheduler, str) or not scheduler.strip():
                raise InputError(f"expected a scheduler address such as tcp://host:8786, "
                                 f"got {scheduler!r}", field="--scheduler")
            try:
                self._client = Client(scheduler, timeout=timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise InputError(f"cannot reach the Dask scheduler at {scheduler!r}: {first}",
                                 field="--scheduler") from None
            return
        self._cluster = LocalCluster(
            n_workers=self.workers,
            threads_per_worker=1,
            processes=processes,
            # only this machine may connect; any free port, so clusters never collide
            **({"host": "127.0.0.1"} if processes else {}),
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        )
        self._client = Client(self._cluster, set_as_default=False)

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` (for callers that need the cluster directly)."""
        return self._client

    def _threads(self) -> int:
        try:
            return max(1, sum(self._client.nthreads().values()))
        except Exception:  # a cluster that is still scaling up
            return self.workers

    def imap_unordered(
        self, fn: Callable[[Chunk], T], chunks: Sequence[Chunk]
    ) -> Iterator[tuple[int, T]]:
        from distributed import as_completed

        if self._client is None:
            raise RuntimeError("the Dask executor is closed")
        if not chunks:
            return
        client = self._client
        fn_future = client.scatter(fn, broadcast=True, hash=False)
        window = 2 * self._threads()
        todo = iter(enumerate(chunks))
        positions: dict[Any, int] = {}

        def submit() -> Any | None:
            nxt = next(todo, None)
            if nxt is None:
                return None
            fut = client.submit(_apply, fn_future, nxt[1], pure=False)
            positions[fut] = nxt[0]
            return fut

        first = [f for f in (submit() for _ in range(window)) if f is not None]
        queue = as_completed(first, loop=client.loop)
        try:
            for fut in queue:
                pos = positions.pop(fut)
                result = fut.result()
                fut.release()
                nxt = submit()
                if nxt is not None:
                    queue.add(nxt)
                yield pos, result
        finally:
            if positions:
                client.cancel(list(positions))
            fn_future.release()

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"executor": self.name, "workers": self.workers}
        if self.scheduler is not None:
            out["scheduler"] = self.scheduler
        return out

    def close(self) -> None:
        # The scheduler of a local cluster lives in this process and reports its shutdown
        # at INFO level; keep that out of the user's terminal.
        logger = logging.getLogger("distributed")
        level = logger.level
        logger.setLevel(logging.ERROR)
        try:
            if self._client is not None:
                self._client.close()
                self._client = None
            if self._cluster is not None:
                self._cluster.close()
                self._cluster = None
        finally:
            logger.setLevel(level)

    def __repr__(self) -> str:
        where = self.scheduler or f"LocalCluster({self.workers} workers)"
        return f"DaskExecutor({where})"
