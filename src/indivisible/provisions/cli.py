"""``indivisible check`` and ``indivisible proposals``: agreements as code, from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from indivisible.options import (
    DEFAULT_DATE,
    AtOpt,
    FormatOpt,
    OutputOpt,
    ScenarioOpt,
    parse_date,
)
from indivisible.output import Format, Section, emit

ActivitiesOpt = Annotated[
    Path | None,
    typer.Option("--activities", "-a",
                 help="Activities YAML: exercises, patrols, contact line and weapon positions."),
]
ClaimOpt = Annotated[
    list[str] | None,
    typer.Option("--claim", help="Pin a contested figure, KEY=CLAIMANT: a system's range "
                 "claim (9m729=russia-claim) or a launcher claim (mk41-glcm=us-position). "
                 "Unpinned figures are evaluated under every claim. Repeatable."),
]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="Change a parameter, NAME=VALUE (e.g. "
                 "border_zone_km=100). Repeatable."),
]


def check_command(
    agreement: Annotated[str, typer.Argument(help="Agreement id, e.g. inf-1987 (or 'list').")],
    at: AtOpt = DEFAULT_DATE,
    scenario: ScenarioOpt = None,
    activities: ActivitiesOpt = None,
    claim: ClaimOpt = None,
    param: ParamOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Check an agreement's measurable provisions against the world at a date."""
    from indivisible.provisions.activities import load_activities
    from indivisible.provisions.catalogue import catalogue
    from indivisible.provisions.check import check, sections
    from indivisible.provisions.context import parse_claims
    from indivisible.world.loader import load_scenario

    if agreement == "list":
        _list_agreements(fmt, output)
        return
    date = parse_date(at)
    catalogue()  # validate the shipped data before reading user input
    from indivisible.provisions.catalogue import agreement as get_agreement

    agr = get_agreement(agreement)
    world = load_scenario(scenario)
    acts = load_activities(activities, world) if activities is not None else None
    claims = parse_claims(claim or [], world, agr.spec.launcher_claims)
    result = check(agreement, world, date, activities=acts, claims=claims,
                   overrides=param or [])
    payload = result.payload()
    spec = result.agreement.spec
    status = ("as if in force (never agreed)" if spec.hypothetical else
              "in force" if payload["in_force"] else "not in force")
    counts = result.counts()
    title = (f"{spec.title} — {date} — {counts['violations']} violation(s): "
             f"{counts['uncontested']} uncontested, {counts['contested']} contested")
    pinned = [f"{k}={v['claim']}" for k, v in result.claims.items() if v["pinned"]]
    varied = [k for k, v in result.claims.items() if not v["pinned"]]
    claims_text = ""
    if pinned or varied:
        claims_text = (" Contested figures: "
                       + "; ".join(([f"pinned {', '.join(pinned)}"] if pinned else [])
                                   + ([f"every claim evaluated for {', '.join(varied)}"]
                                      if varied else [])) + ".")
    pre = (f"Status: {spec.status}, {status} on {date}. Scenario: {payload['scenario']} "
           f"(Crimea counted as {payload['crimea']})."
           + (f" Activities: {payload['activities']}." if payload["activities"] else "")
           + claims_text)
    emit(payload, fmt, title=title, sections=lambda: sections(result), preamble=pre,
         output=output)


def _list_agreements(fmt: Format, output: Path | None) -> None:
    from indivisible.provisions.catalogue import catalogue

    rows = []
    payload = []
    for a in catalogue().values():
        w = a.spec.applies
        window = "never in force" if a.spec.hypothetical else f"{w.start or '…'} to {w.end or '…'}"
        rows.append((a.id, a.spec.status, window, len(a.provisions), a.spec.title))
        payload.append({"id": a.id, "status": a.spec.status, "hypothetical": a.spec.hypothetical,
                        "provisions": [p.id for p in a.provisions], "title": a.spec.title})
    emit({"agreements": payload}, fmt, title="Agreements as code",
         sections=[Section("Agreements", ["id", "status", "applies", "provisions", "title"],
                           rows)], output=output)


def proposals_command(fmt: FormatOpt = Format.table, output: OutputOpt = None) -> None:
    """The 2021 drafts and the 2022 replies side by side, item by item, as actions."""
    from indivisible.provisions.proposals import proposal_items

    items = proposal_items()
    payload = {"date": items[0].default_at.isoformat() if items else None,
               "items": [i.payload() for i in items]}
    by_topic: dict[str, list] = {}
    for i in items:
        by_topic.setdefault(i.topic, []).append(i)
    secs = []
    for topic, group in by_topic.items():
        rows = [(i.id, i.title, ", ".join(i.bound), "mutual" if i.mutual else "one-sided",
                 i.effect if i.action else f"no action: {i.channel or 'no force change'}")
                for i in group]
        secs.append(Section(f"Topic: {topic}", ["item", "what", "binds", "mutual",
                                                "effect in the baseline"], rows))
    emit(payload, fmt, title="Drafts of 2021 and replies of 2022, item by item",
         sections=secs,
         preamble=("An item with an action can be assessed: indivisible assess proposal:ITEM. "
                   "An item without one acts on the named channel of the dynamics."),
         output=output)


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)
    app.command("proposals")(proposals_command)
