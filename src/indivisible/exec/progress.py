"""Progress bars for long runs, with the time left, that stay out of pipes and scripts.

Executors report progress through the tiny :class:`Progress` protocol, so they do not
depend on rich; commands open a bar with :func:`progress_bar`. The bar is drawn on
stderr and only when both stdout and stderr are terminals and ``INDIVISIBLE_NO_PROGRESS``
is not ``1`` — a JSON result piped to another program must never be mixed with it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, runtime_checkable


@runtime_checkable
class Progress(Protocol):
    """Something that can be told that ``amount`` more items are done."""

    def advance(self, amount: int = 1) -> None: ...


class NullProgress:
    """A progress sink that shows nothing (non-interactive runs)."""

    def advance(self, amount: int = 1) -> None:
        return None


class _RichProgress:
    def __init__(self, progress: object, task: object) -> None:
        self._progress = progress
        self._task = task

    def advance(self, amount: int = 1) -> None:
        self._progress.advance(self._task, amount)  # type: ignore[attr-defined]


def progress_enabled() -> bool:
    """Whether a bar should be drawn: interactive terminal and not switched off by env."""
    if os.environ.get("INDIVISIBLE_NO_PROGRESS", "").strip() == "1":
        return False
    try:
        return sys.stdout.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed streams
        return False


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Progress]:
    """A bar for ``total`` items with elapsed and remaining time; a no-op when disabled."""
    if not progress_enabled():
        yield NullProgress()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as RichProgress

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    with RichProgress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(description, total=total)
        yield _RichProgress(bar, task)
