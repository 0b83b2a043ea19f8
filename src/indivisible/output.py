"""One way to show any result: as rich tables, Markdown, JSON or HTML.

A command builds two things: the JSON payload (the stable contract scripts read) and a
list of :class:`Section` (titled tables) for people. ``emit`` renders whichever the user
asked for, so every command supports every format the same way.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


@dataclass
class Section:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    note: str | None = None
    styles: dict[int, str] = field(default_factory=dict)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        return f"{value:.4g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.3e}"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def to_json(payload: Any) -> str:
    def default(o: Any) -> Any:
        if hasattr(o, "isoformat"):
            return o.isoformat()
        if hasattr(o, "tolist"):
            return o.tolist()
        if hasattr(o, "model_dump"):
            return o.model_dump(mode="json")
        if isinstance(o, set | frozenset | tuple):
            return list(o)
        raise TypeError(f"not JSON serialisable: {type(o).__name__}")

    return json.dumps(payload, indent=2, ensure_ascii=False, default=default, allow_nan=False)


def to_markdown(title: str, sections: Sequence[Section], preamble: str | None = None) -> str:
    lines = [f"# {title}", ""]
    if preamble:
        lines += [preamble, ""]
    for s in sections:
        lines += [f"## {s.title}", ""]
        if s.rows:
            lines.append("| " + " | ".join(s.columns) + " |")
            lines.append("|" + "|".join("---" for _ in s.columns) + "|")
            for row in s.rows:
                lines.append("| " + " | ".join(_cell(v).replace("|", "\\|") for v in row) + " |")
        else:
            lines.append("(none)")
        if s.note:
            lines += ["", s.note]
        lines.append("")
    return "\n".join(lines)


def print_tables(
    title: str,
    sections: Sequence[Section],
    preamble: str | None = None,
    console: Console | None = None,
) -> None:
    console = console or Console()
    console.rule(f"[bold]{title}")
    if preamble:
        console.print(preamble)
    for s in sections:
        table = Table(title=s.title, title_justify="left", show_lines=False)
        for i, c in enumerate(s.columns):
            table.add_column(c, style=s.styles.get(i))
        for row in s.rows:
            table.add_row(*(_cell(v) for v in row))
        if not s.rows:
            table.add_row(*(["(none)"] + [""] * (len(s.columns) - 1)))
        console.print(table)
        if s.note:
            console.print(f"[dim]{s.note}[/dim]")


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that a reader never sees half of it; OS problems become InputError."""
    from indivisible.errors import InputError

    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError("is a directory; expected a file name", file=path, field="--output")
    if not parent.is_dir():
        raise InputError(f"folder {parent} does not exist", file=path, field="--output")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=parent)
    except OSError as exc:
        msg = f"cannot write here ({exc.strerror})"
        raise InputError(msg, file=path, field="--output") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file ordinary permissions
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write ({exc.strerror})", file=path, field="--output") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit(
    payload: dict[str, Any],
    fmt: Format,
    *,
    title: str,
    sections: Sequence[Section] | Callable[[], Sequence[Section]],
    preamble: str | None = None,
    html: Callable[[], str] | None = None,
    output: Path | None = None,
) -> None:
    """Render a result in the requested format to stdout, or to ``output`` when given."""
    secs = sections() if callable(sections) else sections
    if fmt is Format.json:
        text = to_json(payload) + "\n"
    elif fmt is Format.markdown:
        text = to_markdown(title, secs, preamble)
    elif fmt is Format.html:
        if html is None:
            from indivisible.report_html import sections_to_html

            text = sections_to_html(title, secs, preamble)
        else:
            text = html()
    else:
        if output is None:
            print_tables(title, secs, preamble)
            return
        buf = Console(record=True, width=120, file=open(os.devnull, "w"))  # noqa: SIM115
        print_tables(title, secs, preamble, console=buf)
        text = buf.export_text()
    if output is not None:
        write_atomic(output, text)
        Console(stderr=True).print(f"[green]wrote[/green] {output}")
    else:
        sys.stdout.write(text)
