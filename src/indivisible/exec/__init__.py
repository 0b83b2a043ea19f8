"""Executors and sweeps: the same chunked work in-process or on Dask, with the same numbers.

Robustness draws, Monte Carlo runs and package searches cut their items into chunks
(:func:`plan_chunks`), run a function over them with an :class:`Executor`
(:func:`get_executor`: ``local`` threads or a ``dask`` cluster), and, when long, save
them as a resumable :class:`Sweep` (:func:`run_sweep`). Names load lazily so that the
command line starts without importing pyarrow or Dask.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Chunk": "chunks",
    "chunk_seed": "chunks",
    "plan_chunks": "chunks",
    "Executor": "executor",
    "get_executor": "executor",
    "available_cores": "executor",
    "LocalExecutor": "local",
    "DaskExecutor": "dask_executor",
    "Progress": "progress",
    "progress_bar": "progress",
    "Sweep": "sweep",
    "open_sweep": "sweep",
    "run_sweep": "sweep",
    "RunInfo": "runs",
    "list_runs": "runs",
    "runs_home": "runs",
    "query_run": "query",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'indivisible.exec' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"indivisible.exec.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
