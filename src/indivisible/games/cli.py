"""``indivisible game``: the 2x2 game of a dyad, its equilibria, Jervis's world, iterated play."""

from __future__ import annotations

from typing import Annotated

import typer

from indivisible.errors import InputError
from indivisible.options import (
    DEFAULT_DATE,
    AtOpt,
    ClaimOpt,
    FormatOpt,
    OutputOpt,
    ParamOpt,
    ScenarioOpt,
    SeedOpt,
    check_claims,
    parse_claims,
    parse_date,
)
from indivisible.output import Format, emit


def game_command(
    a: Annotated[str, typer.Argument(help="First state (ISO3), the row side.")],
    b: Annotated[str, typer.Argument(help="Second state (ISO3), the column side.")],
    at: AtOpt = DEFAULT_DATE,
    scenario: ScenarioOpt = None,
    measures: Annotated[str | None, typer.Option(
        "--measures", "-m", help="A package of measures (its transparency lowers "
                                 "misperception in iterated play).")] = None,
    rounds: Annotated[int, typer.Option("--rounds", help="Rounds of iterated play.")] = 200,
    runs: Annotated[int, typer.Option("--runs", "-r", help="Runs of each match.")] = 100,
    seed: SeedOpt = 0,
    param: ParamOpt = None,
    claim: ClaimOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """The dyad's game from the model: arm or restrain, payoff = security minus cost of arms."""
    from indivisible.dynamics.cli import split_params
    from indivisible.dynamics.measures import NONE, load_measures
    from indivisible.dynamics.params import load_dynamics_params
    from indivisible.games.view import game_view, sections
    from indivisible.world.loader import load_scenario

    if not 1 <= rounds <= 100_000:
        raise InputError(f"expected 1 to 100000 rounds, got {rounds}", field="--rounds")
    if not 1 <= runs <= 100_000 or rounds * runs > 20_000_000:
        raise InputError("expected 1 to 100000 runs and rounds x runs at most 20,000,000",
                         field="--runs")
    if seed < 0:
        raise InputError(f"the seed must be non-negative, got {seed}", field="--seed")
    dparams = load_dynamics_params()
    dyn_over, model_over = split_params(param, dparams)
    dparams = dparams.with_overrides(dyn_over)
    model_params = None
    if model_over:
        from indivisible.security import load_params

        model_params = load_params(None, model_over)
    claims = parse_claims(claim)
    world = load_scenario(scenario)
    check_claims(world, claims)
    package = load_measures(measures) if measures is not None else NONE
    data = game_view(world, a.upper(), b.upper(), parse_date(at), measures=package,
                     params=dparams, model_params=model_params, claims=claims, rounds=rounds,
                     runs=runs, seed=seed)
    from indivisible.security.claims import claim_lines, claims_used

    data["assumptions"] = {"claims": dict(claims),
                           "claims_used": claims_used([world.at(parse_date(at))], claims)}
    cls = data["classification"]
    title = f"Game {a.upper()} – {b.upper()} at {data['date']}: {cls['name']}"
    emit(data, fmt, title=title, sections=lambda: sections(data),
         preamble=f"Scenario: {data['scenario']}. Security now: "
                  + ", ".join(f"{k} {v:.3f}" for k, v in data["security"].items()) + "."
                  + "".join(f"\n{x}" for x in claim_lines(data["assumptions"]["claims_used"])),
         output=output)


def register(app: typer.Typer) -> None:
    app.command("game")(game_command)
