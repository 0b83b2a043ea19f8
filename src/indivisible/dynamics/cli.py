"""``indivisible simulate`` (the spiral) and ``indivisible fit`` (its calibration)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from indivisible.errors import InputError
from indivisible.options import (
    DEFAULT_DATE,
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
from indivisible.output import Format, Section, emit

MAX_RUNS = 100_000
MAX_STEPS = 1000

MeasuresOpt = Annotated[
    str | None,
    typer.Option("--measures", "-m",
                 help="A package of measures: replies-2022, drafts-2021, both, none, or a YAML "
                      "file (transparency, incident_prevention, min_approach_km, "
                      "exercise_zone_km, exercise_max_troops)."),
]
DynamicsParamsOpt = Annotated[
    Path | None,
    typer.Option("--dynamics-params", help="A full dynamics parameter file to use instead of "
                                           "the shipped one."),
]


def split_params(items: list[str] | None, dynamics: Any) -> tuple[dict[str, float], dict]:
    """``--param NAME=VALUE``: dynamics parameters by name, the rest to the security model."""
    from indivisible.security import parse_param_assignments

    values = parse_param_assignments(items or [])
    dyn = {k: v for k, v in values.items() if k in dynamics}
    rest = {k: v for k, v in values.items() if k not in dynamics}
    return dyn, rest


def load_coefficients(path: Path, iso3: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Per-state coefficients from ``indivisible fit --index --format json`` output."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", file=path) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not JSON: {exc}", file=path) from None
    if not isinstance(data, dict) or not isinstance(data.get("fits"), dict):
        raise InputError("expected the JSON output of 'indivisible fit' (a 'fits' object)",
                         file=path, field="fits")
    if not data.get("index"):
        raise InputError("fit with --index so that the coefficients are in index units",
                         file=path, field="index")
    out: dict[str, dict[str, float]] = {}
    for actor, fit in data["fits"].items():
        if actor not in iso3:
            raise InputError(f"{actor!r} is not a state of the snapshot (ISO3 expected)",
                             file=path, field=f"fits.{actor}")
        try:
            out[actor] = {k: float(fit[k]["estimate"]) for k in ("reaction", "fatigue",
                                                                 "grievance")}
        except (KeyError, TypeError, ValueError):
            raise InputError("expected reaction, fatigue and grievance estimates", file=path,
                             field=f"fits.{actor}") from None
    return out


def simulate_command(
    action: Annotated[str | None, typer.Argument(
        help="An action (library case, proposal:ID, or YAML file) whose consequences to "
             "simulate; none: the status quo.")] = None,
    measures: MeasuresOpt = None,
    at: Annotated[str | None, typer.Option(
        "--at", help="Start date (YYYY-MM-DD); default: the action's own date, else "
                     f"{DEFAULT_DATE}.")] = None,
    runs: Annotated[int, typer.Option("--runs", "-r", help="Monte Carlo runs.")] = 500,
    steps: Annotated[int, typer.Option("--steps", "-t", help="Years simulated.")] = 30,
    seed: SeedOpt = 0,
    scenario: ScenarioOpt = None,
    param: ParamOpt = None,
    dynamics_params: DynamicsParamsOpt = None,
    coefficients: Annotated[Path | None, typer.Option(
        "--coefficients", help="Per-state reaction/fatigue/grievance from "
                               "'indivisible fit --index --format json'.")] = None,
    fixed: Annotated[bool, typer.Option(
        "--fixed", help="No parameter uncertainty: every run at the default values.")] = False,
    per_state: Annotated[bool, typer.Option(
        "--per-state", help="Include every state's trajectory bands in the JSON.")] = False,
    claim: ClaimOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """The security dilemma's spiral: armament, perceived threat and security over time.

    With --measures, the same ensemble (same seed, common random numbers) is run without and
    with the package; the headline figures are those with it, the comparison gives both.
    """
    from indivisible.dynamics.analysis import simulate_world
    from indivisible.dynamics.measures import load_measures
    from indivisible.dynamics.params import load_dynamics_params
    from indivisible.exec.progress import progress_bar
    from indivisible.world.loader import load_scenario

    if not 1 <= runs <= MAX_RUNS:
        raise InputError(f"expected 1 to {MAX_RUNS} runs, got {runs}", field="--runs")
    if not 1 <= steps <= MAX_STEPS:
        raise InputError(f"expected 1 to {MAX_STEPS} steps, got {steps}", field="--steps")
    if seed < 0:
        raise InputError(f"the seed must be non-negative, got {seed}", field="--seed")
    dparams = load_dynamics_params(dynamics_params)
    dyn_over, model_over = split_params(param, dparams)
    dparams = dparams.with_overrides(dyn_over)
    model_params = None
    if model_over:
        from indivisible.security import load_params

        model_params = load_params(None, model_over)
    package = load_measures(measures) if measures is not None else None
    claims = parse_claims(claim)
    world = load_scenario(scenario)
    check_claims(world, claims)
    case = None
    if action is not None:
        from indivisible.actions import load_case

        case = load_case(action)
    date = parse_date(at) if at else (case.default_at if case and case.default_at else
                                      parse_date(DEFAULT_DATE))
    snap_iso3 = world.at(date).iso3
    if coefficients is not None:
        dparams = dparams.with_state_values(load_coefficients(coefficients, snap_iso3))
    from indivisible.dynamics.spiral import MAX_RECORD_BYTES, record_bytes

    if record_bytes(runs, steps, len(snap_iso3)) > MAX_RECORD_BYTES:
        raise InputError(f"{runs} runs x {steps} steps x {len(snap_iso3)} states is too much "
                         "to record; use fewer runs or steps", field="--runs")
    ensembles = 2 if package is not None and not package.empty else 1
    with progress_bar("simulating", total=steps * ensembles) as bar:
        result = simulate_world(
            world, date, action=case.action if case else None,
            action_name=case.name if case else None, measures=package, runs=runs,
            steps=steps, seed=seed, params=dparams, model_params=model_params, claims=claims,
            uncertainty=not fixed, progress=bar)
    data = result.to_json(per_state=per_state)
    from indivisible.security.claims import claim_lines, claims_used

    snaps = [world.at(date)] + ([case.action.apply(world, date).at(date)] if case else [])
    data["assumptions"] = {"claims": dict(claims), "claims_used": claims_used(snaps, claims)}
    what = f"after {data['action']}" if data["action"] else "status quo"
    title = f"Spiral from {data['date']} ({what}) — {runs} runs x {steps} years, seed {seed}"
    pre = (f"Scenario: {data['scenario']}. Richardson dynamics over the security model; "
           f"coefficients {'drawn from their ranges' if not fixed else 'at their defaults'}"
           f"{' and fitted per state' if coefficients else ''}."
           + "".join(f"\n{line}" for line in claim_lines(data["assumptions"]["claims_used"])))
    emit(data, fmt, title=title, sections=lambda: result.sections(data), preamble=pre,
         output=output)


def fit_command(
    file: Annotated[Path, typer.Argument(help="CSV: year, then one column per actor or bloc.")],
    index: Annotated[bool, typer.Option(
        "--index", help="Divide each series by its first year and react to the others' mean: "
                        "the units of 'simulate' (use the output with --coefficients).")] = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Estimate Richardson's reaction, fatigue and grievance from expenditure series."""
    from indivisible.dynamics.fit import fit_csv

    res = fit_csv(file, index=index)
    st = res.stability()
    s = res.series
    data = {
        "command": "fit",
        "file": str(file),
        "actors": list(s.actors),
        "years": [int(s.years[0]), int(s.years[-1])],
        "index": index,
        "threat": "mean of the others' index" if index else "sum of the others' expenditure",
        "equation": "x_i(t+1) - x_i(t) = reaction * threat_i(t) - fatigue * x_i(t) + grievance",
        "fits": {f.actor: f.as_dict() for f in res.fits},
        "stability": {"spectral_radius": st.spectral_radius, "stable": st.stable,
                      "equilibrium": (None if st.equilibrium is None
                                      else dict(zip(s.actors, st.equilibrium.tolist(),
                                                    strict=True)))},
    }
    rows = [[f.actor, f.reaction, f.se_reaction, f.fatigue, f.se_fatigue, f.grievance,
             f.se_grievance, f.r_squared, f.n] for f in res.fits]
    sections = [
        Section("Coefficients (least squares, standard errors)",
                ["actor", "reaction", "se", "fatigue", "se", "grievance", "se", "R²", "n"],
                rows, note=data["equation"] + f"; threat = {data['threat']}."),
        Section("The fitted system", ["quantity", "value"],
                [["spectral radius", st.spectral_radius], ["stable", st.stable]]
                + ([[f"equilibrium {a}", v] for a, v in data["stability"]["equilibrium"].items()]
                   if data["stability"]["equilibrium"] else [])),
    ]
    emit(data, fmt, title=f"Richardson fit: {file.name} ({data['years'][0]}–{data['years'][1]})",
         sections=sections, output=output)


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate_command)
    app.command("fit")(fit_command)
