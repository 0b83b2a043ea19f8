"""Check an agreement's provisions against the world at a date.

The result lists every violation with its provision, clause, party, subject, host, the
numbers and the citation, plus what the result rests on: the parameters, the contested
claims, the encoding assumptions, and what could not be evaluated for want of data.
A draft is checked as if it were in force; a treaty outside its window reports nothing,
and says so.

Contested figures (a range with named claims, a launcher claim) never decide a finding by
default: each provision is evaluated under every combination of the alternatives its
predicate reads, and a violation that holds under some but not all is reported as
contested, with the claimants under which it holds and fails. A figure pinned with
``--claim`` is not varied, and the report says its alternatives were not evaluated.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from indivisible.errors import InputError
from indivisible.output import Section
from indivisible.provisions.activities import Activities
from indivisible.provisions.catalogue import agreement as get_agreement
from indivisible.provisions.catalogue import default_parameters
from indivisible.provisions.context import Context, validate_claims
from indivisible.provisions.model import (
    Agreement,
    ContestedOn,
    Finding,
    Provision,
    Violation,
)
from indivisible.provisions.params import ParameterSet
from indivisible.world.scenario import World

#: Most combinations of contested figures one provision is evaluated under.
MAX_COMBINATIONS = 256

Key = tuple[str, str, str | None]


@dataclass(frozen=True)
class ProvisionResult:
    provision: Provision
    applies: str  # "in force", "as if in force", "not in force"
    violations: tuple[Violation, ...]
    combinations: int = 0  # how many combinations of contested figures were evaluated
    varied: tuple[str, ...] = ()  # the contested figures varied (pinned ones are not)

    @property
    def contested(self) -> int:
        return sum(v.contested for v in self.violations)


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

    def counts(self) -> dict[str, int]:
        """The headline: uncontested and contested violations apart."""
        contested = sum(v.contested for v in self.violations)
        return {"violations": len(self.violations),
                "uncontested": len(self.violations) - contested, "contested": contested}

    def by_party(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for v in self.violations:
            row = out.setdefault(v.party, {"uncontested": 0, "contested": 0})
            row["contested" if v.contested else "uncontested"] += 1
        return dict(sorted(out.items()))

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
                    "confidence": r.provision.spec.confidence,
                    "window": _window(r.provision),
                    "violations": len(r.violations),
                    "contested": r.contested,
                    "claim_combinations": r.combinations,
                    "claims_varied": list(r.varied),
                }
                for r in self.results
            ],
            "counts": self.counts(),
            "by_party": self.by_party(),
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


def _runs(ctx: Context, prov: Provision
          ) -> tuple[dict[str, tuple[str, ...]], list[tuple[dict[str, str], dict[Key, Finding]]]]:
    """The provision's findings under every combination of the contested figures it reads.

    The figures are discovered by running the predicate: each run records those it read,
    and a figure first read in a later run restarts the enumeration with it included.
    """
    items: dict[str, tuple[str, ...]] = {}
    while True:
        combos = list(itertools.product(*items.values()))
        if len(combos) > MAX_COMBINATIONS:
            raise InputError(
                f"{prov.id} reads {len(items)} contested figures ({', '.join(items)}): "
                f"{len(combos)} combinations is more than {MAX_COMBINATIONS}; pin some with "
                "--claim KEY=CLAIMANT", field="--claim")
        runs: list[tuple[dict[str, str], dict[Key, Finding]]] = []
        grown = False
        for combo in combos:
            choice = dict(zip(items, combo, strict=True))
            ctx.begin_run(choice)
            found: dict[Key, Finding] = {}
            for f in prov.predicate(ctx, prov):
                found.setdefault((f.party, f.subject, f.host), f)
            new = {k: v for k, v in ctx.consulted.items() if k not in items}
            if new:
                items.update(new)
                grown = True
                break
            runs.append((choice, found))
        if not grown:
            ctx.begin_run({})
            return items, runs


def _contested_on(key: Key, items: dict[str, tuple[str, ...]],
                  runs: list[tuple[dict[str, str], dict[Key, Finding]]]) -> tuple[ContestedOn, ...]:
    """The figures on which a finding's existence turns, with the claimants for and against.

    A figure decides the finding when changing it alone (the others held) changes whether
    the finding holds. A claimant is listed under ``holds_under`` when the finding holds in
    some combination with it, else under ``fails_under``.
    """
    present = [key in found for _, found in runs]
    if all(present):
        return ()
    out = []
    for item, names in items.items():
        groups: dict[tuple[tuple[str, str], ...], set[bool]] = {}
        for (choice, _), here in zip(runs, present, strict=True):
            rest = tuple(sorted((k, v) for k, v in choice.items() if k != item))
            groups.setdefault(rest, set()).add(here)
        if not any(len(g) > 1 for g in groups.values()):
            continue
        holds = [n for n in names
                 if any(here and choice[item] == n
                        for (choice, _), here in zip(runs, present, strict=True))]
        out.append(ContestedOn(item, tuple(holds), tuple(n for n in names if n not in holds)))
    return tuple(out)


def _evaluate(ctx: Context, prov: Provision, cite: str) -> ProvisionResult:
    items, runs = _runs(ctx, prov)
    order: dict[Key, Finding] = {}
    for _, found in runs:
        for key, f in found.items():
            order.setdefault(key, f)
    found_list = []
    for key, f in order.items():
        found_list.append(Violation(
            provision=prov.id, clause=prov.spec.clause, party=f.party, subject=f.subject,
            host=f.host, detail=f.detail, citation=cite, numbers=f.numbers,
            contested_on=_contested_on(key, items, runs)))
    applies = "as if in force" if prov.agreement.hypothetical else "in force"
    return ProvisionResult(prov, applies, tuple(found_list), combinations=len(runs),
                           varied=tuple(items))


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
    """Every violation of the agreement's provisions in ``world`` on ``date``.

    ``claims`` pins contested figures (``{"9m729": "russia-claim"}``); every figure not
    pinned is evaluated under each of its alternatives.
    """
    agr = get_agreement(agreement_id)
    base = params if params is not None else default_parameters()
    pset = base.with_overrides(list(overrides), namespace=agr.id)
    pinned = dict(claims or {})
    validate_claims(pinned, world, agr.spec.launcher_claims)
    ctx = Context(world=world, date=date, params=pset, claims=pinned,
                  activities=activities or Activities(),
                  launcher_claims=agr.spec.launcher_claims)
    results = []
    for prov in agr.provisions:
        if not agr.spec.hypothetical and not prov.window.holds(date):
            results.append(ProvisionResult(prov, "not in force", ()))
            continue
        results.append(_evaluate(ctx, prov, citation(prov)))
    for text in ctx.claim_assumptions():
        ctx.assume(text)
    for key in pinned:
        if key not in ctx.contested:
            ctx.assume(f"{key} pinned with --claim, but no provision in force read it")
    for prov in agr.provisions:
        if prov.spec.confidence == "unconfirmed":
            ctx.assume(f"{prov.id} encodes wording that is unconfirmed: {prov.spec.note}")
    if agr.spec.hypothetical:
        ctx.assume(f"{agr.spec.title} was never in force ({agr.spec.status}): checked as if "
                   f"it were on {date}")
    return CheckResult(agreement=agr, date=date, world=world, results=results, params=pset,
                       assumptions=list(ctx.assumptions), not_evaluated=ctx.not_evaluated,
                       claims=ctx.claims_used(),
                       activities_file=(activities.file if activities else None))


def sections(result: CheckResult) -> list[Section]:
    """Tables for people: one per provision, then what the result rests on."""
    out = []
    for r in result.results:
        spec = r.provision.spec
        rows = [(v.party, v.subject, v.host, v.status(), v.detail) for v in r.violations]
        cite = r.violations[0].citation if r.violations else citation(r.provision)
        note = (f"{spec.measure}. Binds {spec.binds} ({'mutual' if spec.mutual else 'one-sided'})"
                f"; {r.applies}. Source: {cite}")
        if spec.confidence == "unconfirmed":
            note += f". Wording unconfirmed: {spec.note}"
        if r.varied:
            note += (f". Evaluated under {r.combinations} combination(s) of the contested "
                     f"figures {', '.join(r.varied)}")
        n = len(r.violations)
        title = (f"{spec.cite}: {spec.title} — {n - r.contested} uncontested, {r.contested} "
                 "contested violation(s)")
        if r.applies == "not in force":
            title = f"{spec.cite}: {spec.title} — not in force on {result.date}"
        out.append(Section(title, ["party", "subject", "host", "status", "detail"], rows,
                           note=note))
    parties = result.by_party()
    if parties:
        out.append(Section("Violations by party", ["party", "uncontested", "contested"],
                           [(p, c["uncontested"], c["contested"]) for p, c in parties.items()]))
    if result.claims:
        out.append(Section(
            "Contested figures: each side's claim and its source",
            ["figure", "claimant", "value", "source"],
            [(cid, name, "—" if value is None else value, c["sources"].get(name, ""))
             for cid, c in result.claims.items() for name, value in c["alternatives"].items()],
            note="A violation that holds under some claims only is marked contested; pin a "
                 "claim with --claim FIGURE=CLAIMANT."))
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
