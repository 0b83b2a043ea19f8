"""``indivisible world``: the snapshot at a date, and scenario validation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from indivisible.options import DEFAULT_DATE, AtOpt, FormatOpt, OutputOpt, ScenarioOpt, parse_date
from indivisible.output import Format, emit
from indivisible.world.loader import load_scenario
from indivisible.world.summary import sections, summarise

world_app = typer.Typer(help="The dated world: states, alliances, forces, deployments.")


@world_app.callback(invoke_without_command=True)
def world(
    ctx: typer.Context,
    at: AtOpt = DEFAULT_DATE,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Summarise the world at a date: states, alliances, deployments, exercises."""
    if ctx.invoked_subcommand is not None:
        return
    date = parse_date(at)
    snap = load_scenario(scenario).at(date)
    data = summarise(snap)
    title = f"World at {data['date']} — {data['scenario']}"
    pre = f"Crimea counted as territory of {snap.settings.crimea} (scenario setting)."
    emit(data, fmt, title=title, sections=lambda: sections(data), preamble=pre, output=output)


@world_app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file to check.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """Check a scenario file; exit code 2 with the file, line and field of the first problem.

    Beyond loading, every state must have a territory (the model needs its geography).
    """
    from indivisible.world.loader import check_territories

    w = load_scenario(file)
    check_territories(file, w)
    counts = {
        c: len(getattr(w, c))
        for c in ("states", "memberships", "systems", "deployments", "exercises")
    }
    payload = {"file": str(file), "valid": True, "counts": counts}
    from indivisible.output import Section

    emit(
        payload,
        fmt,
        title=f"{file}: valid",
        sections=[Section("Entries after merging", ["collection", "count"], list(counts.items()))],
    )


def register(app: typer.Typer) -> None:
    app.add_typer(world_app, name="world")
