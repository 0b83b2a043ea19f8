"""Check an agreement's provisions against the world at a date.

The result lists every violation with its provision, clause, party, subject, host, the
numbers and the citation, plus what the result rests on: the parameters, the contested
claims used, the encoding assumptions, and what could not be evaluated for want of data.
A draft is checked as if it were in force; a treaty outside its window reports nothing,
and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from indivisible.errors import InputError
from indivisible.output import Section
from indivisible.provisions.activities import Activities
from indivisible.provisions.catalogue import agreement as get_agreement
from indivisible.provisions.catalogue import default_parameters
from indivisible.provisions.context import Context
from indivisible.provisions.model import Agreement, Provision, Violation
from indivisible.provisions.params import ParameterSet
from indivisible.world.scenario import World


@dataclass(frozen=True)
class ProvisionResult:
    provision: Provision
    applies: str  # "in force", "as if in force", "not in force"
    violations: tuple[Violation, ...]


@dataclass
class CheckResult:
    agreement: Agreement
    date: dt.date
    world: World
    results: list[ProvisionResult]
    params: ParameterSet
    assumptions: list[str] = field(default_factory=list)
    not_evaluated: list[dict[str, str]] = field(default_factory=list)
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    activities_file: str | None = None

    @property
    def violations(self) -> list[Violation]:
        return [v for r in self.results for v in r.violations]

    def payload(self) -> dict[str, Any]:
        spec = self.agreement.spec
        return {
            "agreement": spec.id,
            "title": spec.title,
            "status": spec.status,
            "hypothetical": spec.hypothetical,
            "date": self.date.isoformat(),
            "scenario": self.world.settings.title,
            "crimea": self.world.settings.crimea,
            "activities": self.activities_file,
            "in_force": spec.hypothetical is False and spec.applies.holds(self.date),
            "provisions": [
                {
                    "id": r.provision.id, "clause": r.provision.spec.clause,
                    "title": r.provision.spec.title, "cite": r.provision.spec.cite,
                    "binds": r.provision.spec.binds, "mutual": r.provision.spec.mutual,
                    "measure": r.provision.spec.measure, "applies": r.applies,
                    "window": _window(r.provision),
                    "violations": len(r.violations),
                }
                for r in self.results
            ],
            "violations": [v.payload() for v in self.violations],
            "assumptions": self.assumptions,
            "claims": self.claims,
            "not_evaluated": self.not_evaluated,
            "parameters": self.params.payload(spec.id),
            "not_encoded": spec.not_encoded,
        }


def _window(p: Provision) -> dict[str, str | None]:
    w = p.window
    return {"start": w.start.isoformat() if w.start else None,
            "end": w.end.isoformat() if w.end else None, "confidence": w.confidence}


@lru_cache(maxsize=1)
def _register() -> Any:
    from indivisible.register import load_register

    return load_register()


def citation(p: Provision) -> str:
    """'<cite> — <document>, <article>: <sources>' from the register, or the cite alone."""
    try:
        reg = _register()
        clause = reg.clauses.get(p.spec.clause)
    except InputError:
        clause = None
    if clause is None:
        return f"{p.spec.cite} (clause {p.spec.clause} not found in the register)"
    doc = reg.documents.get(clause.document)
    title = doc.title if doc else clause.document
    text = f"{p.spec.cite} — {title}, {clause.article}; {reg.citation(list(clause.sources))}"
    if not clause.confirmed:
        text += " (register: unconfirmed)"
    return text


def check(
    agreement_id: str,
    world: World,
    date: dt.date,
    *,
    activities: Activities | None = None,
    claims: Mapping[str, str] | None = None,
    overrides: Iterable[str] = (),
    params: ParameterSet | None = None,
) -> CheckResult:
    """Every violation of the agreement's provisions in ``world`` on ``date``."""
    agr = get_agreement(agreement_id)
    base = params if params is not None else default_parameters()
    pset = base.with_overrides(list(overrides), namespace=agr.id)
    ctx = Context(world=world, date=date, params=pset, claims=dict(claims or {}),
                  activities=activities or Activities())
    results = []
    for prov in agr.provisions:
        if agr.spec.hypothetical:
            applies = "as if in force"
        elif prov.window.holds(date):
            applies = "in force"
        else:
            results.append(ProvisionResult(prov, "not in force", ()))
            continue
        cite = citation(prov)
        found = []
        seen: set[tuple[str, str, str | None]] = set()
        for f in prov.predicate(ctx, prov):
            key = (f.party, f.subject, f.host)
            if key in seen:
                continue
            seen.add(key)
            found.append(Violation(provision=prov.id, clause=prov.spec.clause, party=f.party,
                                   subject=f.subject, host=f.host, detail=f.detail,
                                   citation=cite, numbers=f.numbers))
        results.append(ProvisionResult(prov, applies, tuple(found)))
    if agr.spec.hypothetical:
        ctx.assume(f"{agr.spec.title} was never in force ({agr.spec.status}): checked as if "
                   f"it were on {date}")
    return CheckResult(agreement=agr, date=date, world=world, results=results, params=pset,
                       assumptions=list(ctx.assumptions), not_evaluated=ctx.not_evaluated,
                       claims=ctx.claims_used,
                       activities_file=(activities.file if activities else None))


def sections(result: CheckResult) -> list[Section]:
    """Tables for people: one per provision, then what the result rests on."""
    out = []
    for r in result.results:
        spec = r.provision.spec
        rows = [(v.party, v.subject, v.host, v.detail) for v in r.violations]
        cite = r.violations[0].citation if r.violations else citation(r.provision)
        note = (f"{spec.measure}. Binds {spec.binds} ({'mutual' if spec.mutual else 'one-sided'})"
                f"; {r.applies}. Source: {cite}")
        title = f"{spec.cite}: {spec.title} — {len(r.violations)} violation(s)"
        if r.applies == "not in force":
            title = f"{spec.cite}: {spec.title} — not in force on {result.date}"
        out.append(Section(title, ["party", "subject", "host", "detail"], rows, note=note))
    out.append(Section("Assumptions and claims used", ["assumption"],
                       [(a,) for a in result.assumptions]))
    if result.not_evaluated:
        out.append(Section("Not evaluated (data missing)", ["provision", "subject", "why"],
                           [(n["provision"], n["subject"], n["why"])
                            for n in result.not_evaluated]))
    params = result.params.payload(result.agreement.id)
    out.append(Section("Parameters", ["name", "value", "unit", "confidence", "changed"],
                       [(k.split(".", 1)[1], p["value"], p["unit"], p["confidence"],
                         p["overridden"]) for k, p in params.items()],
                       note="Change any with --param NAME=VALUE."))
    return out
