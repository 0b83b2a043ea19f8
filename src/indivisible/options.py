"""Shared command-line options and argument parsers, so every command reads alike."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from indivisible.errors import InputError
from indivisible.output import Format
from indivisible.world.claims import check_pins, split_pins

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
    typer.Option("--claim", help="Which side's figure of a contested system or launcher claim: "
                                 "KEY=CLAIMANT (for example 9m729=russia-claim, "
                                 "mk41-glcm=russia-claim)."),
]


def parse_claims(items: list[str] | None) -> dict[str, str]:
    """``--claim 9m729=russia-claim`` or ``--claim mk41-glcm=russia-claim`` pairs, checked
    against the scenario later by :func:`check_claims`."""
    return split_pins(items)


def check_claims(world: object, claims: dict[str, str]) -> None:
    """Every key is a system with named range claims or a shipped launcher claim
    (``data/launcher_claims.yaml``), pinned to one of its claimants."""
    from indivisible.world.launcher_claims import launcher_claims

    check_pins(claims, world, launcher_claims())  # type: ignore[arg-type]


def model_params(params_file: Path | None, param: list[str] | None) -> Any:
    """The security model's parameters with a user's file and ``--param`` overrides applied."""
    from indivisible.security import load_params, parse_param_assignments

    return load_params(params_file, parse_param_assignments(param or []))
