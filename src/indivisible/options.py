"""Shared command-line options and argument parsers, so every command reads alike."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from indivisible.errors import InputError
from indivisible.output import Format

DEFAULT_DATE = "2021-12-15"

FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="table (default), json, markdown or html.")
]
AtOpt = Annotated[str, typer.Option("--at", help="Date of the snapshot (YYYY-MM-DD).")]
ScenarioOpt = Annotated[
    Path | None,
    typer.Option("--scenario", "-s", help="A scenario YAML file extending the baseline."),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]


def parse_date(value: str, field: str = "--at") -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"expected a date as YYYY-MM-DD, got {value!r}", field=field) from None
