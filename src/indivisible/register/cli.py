"""``indivisible register``: the texts, their clauses, the readings, the record, the positions.

Each command prints tables by default and takes ``--format json`` for scripts; the JSON
shape of each command is given in its docstring. Unknown ids are input errors (exit 2)
with a suggestion of close ids.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from indivisible.errors import InputError
from indivisible.options import FormatOpt, OutputOpt, parse_date
from indivisible.output import Format, Section, emit
from indivisible.register.loader import load_register
from indivisible.register.models import Clause, Event
from indivisible.register.register import Register
from indivisible.register.vocabulary import CLAUSE_KINDS, TOPICS

register_app = typer.Typer(
    help="The register of texts: documents, clauses, readings, the record, positions.",
)

WARN = "⚠"


def _flag(confirmed: bool) -> str:
    return "" if confirmed else WARN


def _clause_row(c: Clause) -> dict[str, Any]:
    return {
        "id": c.id, "document": c.document, "article": c.article, "kind": c.kind,
        "topics": list(c.topics), "paraphrase": c.paraphrase, "bound": list(c.bound),
        "quantities": dict(c.quantities), "sources": list(c.sources),
        "confirmed": c.confirmed, "note": c.note,
    }


def _event_row(e: Event) -> dict[str, Any]:
    return {
        "id": e.id, "date": e.date.isoformat(), "date_precision": e.date_precision,
        "end": e.end.isoformat() if e.end else None, "title": e.title, "kind": e.kind,
        "actors": list(e.actors), "summary": e.summary, "documents": list(e.documents),
        "sources": list(e.sources),
        "claims": [{"date": c.date.isoformat(), "date_precision": c.date_precision,
                    "source": c.source, "note": c.note} for c in e.claims],
        "discrepancy": e.discrepancy, "confirmed": e.confirmed, "note": e.note,
    }


@register_app.callback(invoke_without_command=True)
def _overview(ctx: typer.Context) -> None:
    """Show the sub-commands when none is given (a usage hint, not an error)."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


@register_app.command("documents")
def documents(fmt: FormatOpt = Format.table, output: OutputOpt = None) -> None:
    """List the documents of the register.

    JSON: ``{"documents": [{"id", "title", "date", "date_note", "parties", "status",
    "summary", "cites", "clauses": int, "sources", "confirmed", "note"}]}``.
    """
    reg = load_register()
    rows = [
        {**d.model_dump(mode="json"), "clauses": len(reg.clauses_for(document=d.id))}
        for d in sorted(reg.documents.values(), key=lambda d: (d.date, d.id))
    ]
    sec = Section(
        "Documents", ["id", "date", "status", "title", "clauses", "sources", WARN],
        [[r["id"], r["date"], r["status"], r["title"], r["clauses"], ", ".join(r["sources"]),
          _flag(r["confirmed"])] for r in rows],
        note=f"{WARN} = something about the entry is unconfirmed (see its note in JSON). "
             "Source ids: indivisible register sources.",
    )
    emit({"documents": rows}, fmt, title="Register: documents", sections=[sec], output=output)


@register_app.command("clauses")
def clauses(
    document: Annotated[str | None, typer.Option("--document", "-d", help="Document id.")] = None,
    topic: Annotated[str | None, typer.Option("--topic", "-t", help="Topic tag.")] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", "-k", help=f"Clause kind: {', '.join(CLAUSE_KINDS)}.")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """List clauses, optionally only one document's, one topic's or one kind's.

    JSON: ``{"filters": {"document", "topic", "kind"}, "clauses": [{"id", "document",
    "article", "kind", "topics", "paraphrase", "bound", "quantities", "sources", "confirmed",
    "note"}]}``.
    """
    reg = load_register()
    found = reg.clauses_for(document=document, topic=topic, kind=kind)
    rows = [_clause_row(c) for c in found]
    sec = Section(
        "Clauses", ["id", "article", "kind", "topics", WARN, "paraphrase"],
        [[r["id"], r["article"], r["kind"], r["topics"], _flag(r["confirmed"]), r["paraphrase"]]
         for r in rows],
        note=f"{len(rows)} clauses. {WARN} = citation or wording unconfirmed.",
    )
    payload = {"filters": {"document": document, "topic": topic, "kind": kind}, "clauses": rows}
    emit(payload, fmt, title="Register: clauses", sections=[sec], output=output)


@register_app.command("compare")
def compare(
    doc_a: Annotated[str, typer.Argument(help="First document id.")],
    doc_b: Annotated[str, typer.Argument(help="Second document id.")],
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Which topics each document contains, and the links between their clauses.

    JSON: ``{"documents": [{"id", "title", "date", "status", "topics", "clauses"}, ...],
    "both": [topic], "only": {doc_a: [topic], doc_b: [topic]}, "by_topic": [{"topic",
    doc_a: [clause id], doc_b: [clause id]}], "links": [{"id", "from", "relation", "to",
    "summary", "confirmed", "note"}]}`` — ``summary`` names the main topics, e.g.
    "no-detriment conditions free-choice".
    """
    reg = load_register()
    data = reg.compare(doc_a, doc_b)
    a, b = (d["id"] for d in data["documents"])
    topics = Section(
        "Topics", ["topic", a, b],
        [[row["topic"], ", ".join(row[a]) or "—", ", ".join(row[b]) or "—"]
         for row in data["by_topic"]],
        note=f"Only in {a}: {', '.join(data['only'][a]) or 'none'}. "
             f"Only in {b}: {', '.join(data['only'][b]) or 'none'}.",
    )
    links = Section(
        "Links", ["link", "from", "to", WARN],
        [[lk["summary"], lk["from"], lk["to"], _flag(lk["confirmed"])] for lk in data["links"]],
        note="Links between clauses of these two documents (readings say which they apply).",
    )
    emit(data, fmt, title=f"Register: {a} vs {b}", sections=[topics, links], output=output)


@register_app.command("readings")
def readings(fmt: FormatOpt = Format.table, output: OutputOpt = None) -> None:
    """The readings of the texts, with the clauses they rest on and their machine fields.

    JSON: ``{"readings": [{"id", "name", "summary", "rule", "conditions", "tolerance_param",
    "allows_offsets", "indicators", "rests_on", "applies_links", "sources",
    "invoked_by": [position id]}]}``.
    """
    reg = load_register()
    rows = [
        {**r.model_dump(mode="json"),
         "invoked_by": [p.id for p in reg.positions_of(reading=r.id)]}
        for r in reg.readings.values()
    ]
    sec = Section(
        "Readings", ["id", "conditions", "parameter", "offsets", "indicators", "rests on", "rule"],
        [[r["id"], r["conditions"], r["tolerance_param"], r["allows_offsets"], r["indicators"],
          r["rests_on"], r["rule"]] for r in rows],
    )
    emit({"readings": rows}, fmt, title="Register: readings", sections=[sec], output=output)


@register_app.command("timeline")
def timeline(
    start: Annotated[str | None, typer.Option("--from", help="First date (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last date (YYYY-MM-DD).")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """The dated record; events whose sources disagree on the date are marked ⚠.

    JSON: ``{"from", "to", "events": [{"id", "date", "date_precision", "end", "title",
    "kind", "actors", "summary", "documents", "sources", "claims": [{"date",
    "date_precision", "source", "note"}], "discrepancy", "confirmed", "note"}]}``.
    """
    reg = load_register()
    d0 = parse_date(start, "--from") if start else None
    d1 = parse_date(end, "--to") if end else None
    if d0 and d1 and d1 < d0:
        raise InputError(f"--to {d1} is before --from {d0}", field="--to")
    events = reg.timeline(d0, d1)
    rows = [_event_row(e) for e in events]
    main = Section(
        "Events", ["date", WARN, "event", "actors", "sources"],
        [[r["date"] + (f" – {r['end']}" if r["end"] else ""),
          WARN if r["discrepancy"] or not r["confirmed"] else "", r["title"], r["actors"],
          ", ".join(r["sources"])] for r in rows],
        note=f"{WARN} = sources disagree on the date, or the entry is unconfirmed.",
    )
    disc = Section(
        "Discrepancies between sources", ["event", "date claimed", "source", "claim note"],
        [[e.id, c.date.isoformat(), c.source, c.note]
         for e in events if e.discrepancy for c in e.claims],
        note="Every claim is kept; the register does not pick one silently.",
    )
    payload = {"from": start, "to": end, "events": rows}
    emit(payload, fmt, title="Register: timeline", sections=[main, disc], output=output)


@register_app.command("positions")
def positions(
    actor: Annotated[str | None, typer.Option("--actor", help="Only this actor.")] = None,
    reading: Annotated[str | None, typer.Option("--reading", help="Only this reading.")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Who invokes which reading or clause, with the source.

    JSON: ``{"positions": [{"id", "actor", "speaker", "date", "summary", "readings",
    "clauses", "documents", "event", "reported_by", "sources", "confirmed", "note"}]}``.
    """
    reg = load_register()
    found = reg.positions_of(actor=actor, reading=reading)
    rows = [p.model_dump(mode="json") for p in found]
    sec = Section(
        "Positions", ["date", "actor", WARN, "readings", "cites", "summary", "source"],
        [[r["date"], r["actor"] + (f" (reported by {r['reported_by']})" if r["reported_by"]
                                   else ""),
          _flag(r["confirmed"]), r["readings"], r["clauses"] or r["documents"], r["summary"],
          ", ".join(r["sources"])] for r in rows],
    )
    emit({"positions": rows}, fmt, title="Register: positions", sections=[sec], output=output)


@register_app.command("sources")
def sources(fmt: FormatOpt = Format.table, output: OutputOpt = None) -> None:
    """The sources the register cites, each as what it is (text, report, commentary...).

    JSON: ``{"sources": [{"id", "title", "outlet", "date", "kind", "language", "url",
    "locator", "note"}]}``.
    """
    reg = load_register()
    rows = [s.model_dump(mode="json") for s in reg.sources.values()]
    sec = Section("Sources", ["id", "kind", "outlet", "date", "title", "locator"],
                  [[r["id"], r["kind"], r["outlet"], r["date"], r["title"],
                    r["locator"] or r["url"]] for r in rows])
    emit({"sources": rows}, fmt, title="Register: sources", sections=[sec], output=output)


@register_app.command("topics")
def topics(fmt: FormatOpt = Format.table, output: OutputOpt = None) -> None:
    """The closed topic vocabulary and how many clauses carry each tag.

    JSON: ``{"topics": [{"topic", "description", "clauses": int}]}``.
    """
    reg: Register = load_register()
    rows = [{"topic": t, "description": d, "clauses": len(reg.clauses_for(topic=t))}
            for t, d in TOPICS.items()]
    sec = Section("Topics", ["topic", "clauses", "description"],
                  [[r["topic"], r["clauses"], r["description"]] for r in rows])
    emit({"topics": rows}, fmt, title="Register: topics", sections=[sec], output=output)


def register(app: typer.Typer) -> None:
    app.add_typer(register_app, name="register")
