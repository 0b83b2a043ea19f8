"""One interface for every batch of independent chunks: robustness draws, Monte Carlo, search.

An executor runs ``fn(chunk)`` for each chunk and hands the results back. Because every
chunk carries its own bounds and seed (see :mod:`indivisible.exec.chunks`), the numbers
cannot depend on which executor ran them, how many workers it had, or in what order the
chunks finished; only the order of the returned list is fixed (chunk order).

``fn`` must be a picklable module-level callable (or a :func:`functools.partial` of
one) so the same task runs in-process and on a Dask cluster.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any, Protocol, TypeVar, runtime_checkable

from indivisible.errors import InputError
from indivisible.exec.chunks import Chunk
from indivisible.exec.progress import Progress

T = TypeVar("T")

EXECUTORS = ("local", "dask")


@runtime_checkable
class Executor(Protocol):
    """Runs a function over chunks; results in chunk order whatever the completion order."""

    name: str

    def imap_unordered(
        self, fn: Callable[[Chunk], T], chunks: Sequence[Chunk]
    ) -> Iterator[tuple[int, T]]:
        """Yield ``(position in chunks, result)`` as chunks finish, so callers can save early."""
        ...

    def map(
        self, fn: Callable[[Chunk], T], chunks: Sequence[Chunk], progress: Progress | None = None
    ) -> list[T]: ...

    def describe(self) -> dict[str, Any]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


class ExecutorBase:
    """The parts every executor shares: ordered ``map`` on top of ``imap_unordered``."""

    name = "base"

    def imap_unordered(
        self, fn: Callable[[Chunk], T], chunks: Sequence[Chunk]
    ) -> Iterator[tuple[int, T]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def map(
        self, fn: Callable[[Chunk], T], chunks: Sequence[Chunk], progress: Progress | None = None
    ) -> list[T]:
        """Run ``fn`` over ``chunks``; advance ``progress`` by each chunk's item count."""
        out: list[Any] = [None] * len(chunks)
        for pos, result in self.imap_unordered(fn, chunks):
            out[pos] = result
            if progress is not None:
                progress.advance(chunks[pos].size)
        return out

    def describe(self) -> dict[str, Any]:
        return {"executor": self.name}

    def close(self) -> None:
        return None

    def __enter__(self) -> ExecutorBase:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def available_cores() -> int:
    """Cores this process may run on (the affinity mask where the OS exposes it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def check_workers(workers: int | None, field: str = "--workers") -> int | None:
    if workers is None:
        return None
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(f"expected a whole number of workers >= 1, got {workers!r}", field=field)
    return workers


def get_executor(
    name: str = "local", scheduler: str | None = None, workers: int | None = None
) -> Executor:
    """The executor called ``name``: ``local`` (default) or ``dask``.

    ``scheduler`` (dask only) is the address of an existing Dask scheduler; without it a
    local Dask cluster of ``workers`` processes is started. ``workers`` defaults to the
    cores available.
    """
    workers = check_workers(workers)
    if name == "local":
        if scheduler is not None:
            raise InputError("a scheduler address only applies to --executor dask",
                             field="--scheduler")
        from indivisible.exec.local import LocalExecutor

        return LocalExecutor(workers=workers or available_cores())
    if name == "dask":
        from indivisible.exec.dask_executor import DaskExecutor

        return DaskExecutor(scheduler=scheduler, workers=workers or available_cores())
    raise InputError(f"unknown executor {name!r}; expected one of: {', '.join(EXECUTORS)}",
                     field="--executor")
