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


DrawsOpt = Annotated[int, typer.Option("--draws", "-n", help="Parameter draws for robustness.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed (same seed, same numbers).")]
ParamsFileOpt = Annotated[
    Path | None, typer.Option("--params", help="YAML file of parameter values to override.")
]
ParamOpt = Annotated[
    list[str] | None, typer.Option("--param", "-p", help="Override one parameter: NAME=VALUE.")
]
ClaimOpt = Annotated[
    list[str] | None,
    typer.Option("--claim", help="Which named figure of a contested system: SYSTEM=CLAIMANT."),
]


def parse_claims(items: list[str] | None) -> dict[str, str]:
    """``--claim 9m729=russia-claim`` pairs, checked against the scenario later."""
    out: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise InputError(f"expected SYSTEM=CLAIMANT, got {item!r}", field="--claim")
        k, v = (x.strip() for x in item.split("=", 1))
        if not k or not v:
            raise InputError(f"expected SYSTEM=CLAIMANT, got {item!r}", field="--claim")
        if k in out and out[k] != v:
            raise InputError(f"{k} is pinned twice ({out[k]} and {v}); choose one",
                             field="--claim")
        out[k] = v
    return out


def check_claims(world: object, claims: dict[str, str]) -> None:
    systems = getattr(world, "system_by_id", {})
    for sid, claimant in claims.items():
        if sid not in systems:
            raise InputError(f"unknown system {sid!r}", field="--claim")
        names = [c.claimant for c in systems[sid].range_claims]
        if claimant not in names:
            raise InputError(
                f"system {sid!r} has no claim {claimant!r}; known: {', '.join(names) or 'none'}",
                field="--claim",
            )
