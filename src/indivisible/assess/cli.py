"""``indivisible assess`` and ``indivisible answer``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from indivisible.errors import InputError
from indivisible.options import (
    DEFAULT_DATE,
    ClaimOpt,
    DrawsOpt,
    FormatOpt,
    OutputOpt,
    ParamOpt,
    ParamsFileOpt,
    ScenarioOpt,
    SeedOpt,
    check_claims,
    model_params,
    parse_claims,
    parse_date,
)
from indivisible.output import Format, Section, emit


def _pct(value: float | None) -> str:
    return "not computed" if value is None else f"{value:.0%}"


def assessment_sections(data: dict[str, Any]) -> list[Section]:
    states = sorted(data["states"], key=lambda s: s["delta"])
    eps = data["epsilon"]
    moved = [s for s in states if abs(s["delta"]) > eps]
    rows = [
        [
            s["iso3"],
            s["name"],
            s["before"],
            s["after"],
            s["delta"],
            ", ".join(
                f"{k} {v:+.3g}"
                for k, v in sorted(
                    s["contributions"]["by_owner"].items(), key=lambda kv: abs(kv[1]), reverse=True
                )[:3]
            ),
        ]
        for s in moved
    ]
    verdicts = [
        [rid, v["verdict"], _pct(v["robustness"]), v["reason"]]
        for rid, v in data["verdicts"].items()
    ]
    cites = data.get("citations", {})
    rights = [[c, cites.get(c, "")] for c in data["rights_invoked"]]
    obligations = [[c, cites.get(c, "")] for c in data["obligations_engaged"]]
    ind = data["indicators"]
    sphere = [
        [x["iso3"], x["of"], x["power"], x["share_before"], x["share_after"]]
        for x in ind["sphere_of_influence"]["states"]
    ]
    comm = [
        [x["iso3"], x["ratio_before"], x["ratio_after"], x["exceeds_after"]]
        for x in ind["commensurate_capabilities"]["actors"]
    ]
    return [
        Section(
            "Verdicts by reading",
            ["reading", "verdict", "robustness", "reason"],
            verdicts,
            note=f"Robustness: share of {data['draws']} parameter draws (seed {data['seed']}) "
            "in which the reported verdict holds.",
        ),
        Section(
            f"States whose security changes by more than epsilon = {eps:g}",
            ["iso3", "name", "before", "after", "change", "largest causes (by owner)"],
            rows,
            note=f"{len(states) - len(moved)} other states change by less than epsilon.",
        ),
        Section("Rights invoked", ["clause", "citation"], rights),
        Section("Obligations engaged", ["clause", "citation"], obligations),
        Section(
            "Indicator (not a verdict): sphere of influence",
            ["state", "of", "power", "share before", "share after"],
            sphere,
            note="States whose threat or protection comes over "
            f"{ind['sphere_of_influence']['threshold']:g} from one outside power after the action.",
        ),
        Section(
            "Indicator (not a verdict): commensurate capabilities",
            ["actor", "own protection / threat before", "after", "exceeds ratio"],
            comm,
        ),
    ]


def assess_command(
    action: Annotated[
        str,
        typer.Argument(
            help="A library case (e.g. ukraine-joins-nato), proposal:ID, or an action YAML file."
        ),
    ],
    at: Annotated[
        str | None,
        typer.Option(
            "--at", help="Date (YYYY-MM-DD); default: the case's own date, else 2021-12-15."
        ),
    ] = None,
    scenario: ScenarioOpt = None,
    draws: DrawsOpt = 1000,
    seed: SeedOpt = 0,
    params_file: ParamsFileOpt = None,
    param: ParamOpt = None,
    claim: ClaimOpt = None,
    reading: Annotated[
        list[str] | None, typer.Option("--reading", help="Only these readings.")
    ] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the HTML report: en or fr.")
    ] = "en",
) -> None:
    """Assess an action: every state's security before and after, rights, obligations, verdicts."""
    from indivisible.actions import load_case
    from indivisible.assess.assessment import assess
    from indivisible.security.claims import claim_lines
    from indivisible.world.loader import load_scenario

    date = parse_date(at) if at else None
    if lang not in ("en", "fr"):
        raise InputError(f"expected en or fr, got {lang!r}", field="--lang")
    claims = parse_claims(claim)
    params = model_params(params_file, param)
    world = load_scenario(scenario)
    check_claims(world, claims)
    case = load_case(action)
    result = assess(
        world, case, at=date, params=params, draws=draws, seed=seed, claims=claims, readings=reading
    )
    data = result.to_json()
    title = f"Assessment: {data['action']} at {data['date']}"
    pre = (
        f"{data['description']}\nActors: {', '.join(data['actors']) or '—'}. "
        f"Gainers: {', '.join(data['gainers']) or 'none'}. "
        f"Losers: {', '.join(data['losers']) or 'none'}. "
        f"Territorial setting: Crimea counted as part of {data['scenario']['crimea']}."
        + "".join(f"\nNote: {n}" for n in data.get("notes", []))
        + "".join(f"\n{line}" for line in claim_lines(data["assumptions"]["claims_used"]))
    )
    html = None
    if fmt is Format.html:
        from indivisible.report import render_assessment_html

        def html() -> str:
            return render_assessment_html(data, lang=lang)

        if output is None:
            output = Path(f"indivisible-{data['action'].replace(':', '_')}-{data['date']}.html")
    emit(
        data,
        fmt,
        title=title,
        sections=lambda: assessment_sections(data),
        preamble=pre,
        html=html,
        output=output,
    )


def answer_command(
    iso3: Annotated[str, typer.Argument(help="The state answering (ISO3).")],
    since: Annotated[
        str, typer.Option("--since", help="Start of the period (exclusive).")
    ] = "1990-01-01",
    at: Annotated[str, typer.Option("--at", help="End of the period (inclusive).")] = DEFAULT_DATE,
    scenario: ScenarioOpt = None,
    draws: DrawsOpt = 200,
    seed: SeedOpt = 0,
    params_file: ParamsFileOpt = None,
    param: ParamOpt = None,
    claim: ClaimOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Answer the letter's question for one state from its own dated changes in a period."""
    from indivisible.assess.answer import national_answer
    from indivisible.security.claims import claim_lines
    from indivisible.world.loader import load_scenario

    world = load_scenario(scenario)
    claims = parse_claims(claim)
    check_claims(world, claims)
    data = national_answer(
        world,
        iso3.upper(),
        parse_date(since, "--since"),
        parse_date(at),
        params=model_params(params_file, param),
        draws=draws,
        seed=seed,
        claims=claims,
    )
    rows = []
    for ch in data["changes"]:
        verdicts = "; ".join(
            f"{k}: {v['verdict']} ({_pct(v['robustness'])})" for k, v in ch["verdicts"].items()
        )
        rows.append(
            [
                ch["date"],
                ch["description"],
                ch["own_delta"],
                ", ".join(ch["losers"]) or "none",
                verdicts,
            ]
        )
    sections = [
        Section(
            "Changes and their verdicts",
            ["date", "change", f"{iso3.upper()}'s own change", "losers", "verdicts"],
            rows,
        )
    ]
    emit(
        data,
        fmt,
        title=f"National answer: {data['name']} ({data['since']} – {data['at']})",
        sections=sections,
        preamble="\n".join([data["question"], *claim_lines(data["assumptions"]["claims_used"])]),
        output=output,
    )


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
    app.command("answer")(answer_command)
