"""Command-line options shared by every command that runs chunked work or saves runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ExecutorOpt = Annotated[
    str, typer.Option("--executor", help="Where chunks run: local (threads, default) or dask.")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Address of a Dask scheduler (tcp://host:8786); without "
                 "it --executor dask starts a local cluster."),
]
WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", help="Worker threads (local) or processes (dask local cluster); "
                 "default: the cores available."),
]
RunsDirOpt = Annotated[
    Path | None,
    typer.Option("--runs-dir", help="Folder of saved runs (default $INDIVISIBLE_HOME/runs, "
                 "else ~/.indivisible/runs)."),
]
