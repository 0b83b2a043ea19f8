"""Assess an action: who gains, who loses, which rights and obligations, which verdicts.

This answers the letter's question for one action with numbers: every state's
security before and after, the change decomposed into its causes, the rights the
action invokes and the obligations it engages (register clause ids), the verdict
under each reading with its robustness over parameter draws, and two indicators
(sphere of influence, commensurate capabilities) that are labelled as indicators.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from indivisible.actions import BaseAction, Case, ChangeCapability, Deploy, HoldExercise
from indivisible.assess.indicators import Indicators, compute_indicators
from indivisible.assess.verdicts import ReadingRule, Verdict, decide
from indivisible.errors import InputError
from indivisible.world.scenario import Snapshot, World

TOP_ELEMENTS = 8
#: More draws than this would not fit in memory on an ordinary machine (B x E x N arrays).
MAX_DRAWS = 1_000_000


@dataclass
class StateResult:
    iso3: str
    name: str
    before: float
    after: float
    delta: float
    by_owner: dict[str, float]
    by_factor: dict[str, float]
    by_kind: dict[str, float]
    top_elements: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "iso3": self.iso3,
            "name": self.name,
            "before": self.before,
            "after": self.after,
            "delta": self.delta,
            "contributions": {
                "by_owner": self.by_owner,
                "by_factor": self.by_factor,
                "by_kind": self.by_kind,
                "top_elements": self.top_elements,
            },
        }


@dataclass
class Assessment:
    action: str
    description: str
    date: dt.date
    actors: tuple[str, ...]
    states: list[StateResult]
    gainers: list[str]
    losers: list[str]
    rights_invoked: list[str]
    obligations_engaged: list[str]
    verdicts: dict[str, Verdict]
    indicators: Indicators
    params: dict[str, float]
    seed: int
    draws: int
    epsilon: float
    settings: dict[str, Any]
    claims: dict[str, str]
    sources: list[str]
    sites: list[dict[str, Any]] = field(default_factory=list)
    citations: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    claims_used: dict[str, Any] = field(default_factory=dict)

    def state(self, iso3: str) -> StateResult:
        for s in self.states:
            if s.iso3 == iso3:
                return s
        raise KeyError(iso3)

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "description": self.description,
            "date": self.date.isoformat(),
            "actors": list(self.actors),
            "states": [s.to_json() for s in self.states],
            "gainers": self.gainers,
            "losers": self.losers,
            "rights_invoked": self.rights_invoked,
            "obligations_engaged": self.obligations_engaged,
            "verdicts": {k: v.to_json() for k, v in self.verdicts.items()},
            "indicators": self.indicators.to_json(),
            "params": self.params,
            "seed": self.seed,
            "draws": self.draws,
            "epsilon": self.epsilon,
            "scenario": self.settings,
            "assumptions": {
                "claims": self.claims,
                "claims_used": self.claims_used,
                "crimea": self.settings.get("crimea"),
            },
            "sites": self.sites,
            "sources": self.sources,
            "citations": self.citations,
            "notes": self.notes,
        }


def _reading_rules(reg: Any) -> list[ReadingRule]:
    rules = []
    for rid, r in reg.readings.items():
        clauses = tuple(getattr(r, "clauses", None) or getattr(r, "rests_on", None) or ())
        rules.append(
            ReadingRule(
                id=rid,
                conditions=str(getattr(r, "conditions", "none")),
                tolerance_param=getattr(r, "tolerance_param", None),
                clauses=tuple(str(c) for c in clauses),
                summary=str(getattr(r, "summary", "") or getattr(r, "rule", "") or ""),
            )
        )
    return rules


def _clause_in_force(reg: Any, clause_id: str, on: dt.date) -> bool:
    """A clause binds on a date only if its document is adopted by then (legal or political)."""
    clause = reg.clauses.get(clause_id)
    if clause is None:
        return False
    doc = reg.documents.get(clause.document)
    if doc is None:
        return False
    when = getattr(doc, "date", None)
    status = str(getattr(doc, "status", ""))
    return (when is None or when <= on) and status in ("legal", "political")


def _clauses_with_topic(reg: Any, topic: str, on: dt.date) -> list[str]:
    return sorted(
        cid
        for cid, c in reg.clauses.items()
        if topic in tuple(getattr(c, "topics", ()))
        and _clause_in_force(reg, cid, on)
        and str(getattr(c, "kind", "")) in ("obligation", "prohibition", "principle")
    )


def _citation(reg: Any, cid: str) -> str:
    c = reg.clauses.get(cid)
    if c is None:
        return cid
    doc = reg.documents.get(c.document)
    title = getattr(doc, "title", c.document) if doc else c.document
    date = getattr(doc, "date", None)
    art = getattr(c, "article", "") or ""
    return f"{title}{f' ({date})' if date else ''}, {art}".strip().rstrip(",")


def assess(
    world: World,
    case: Case | BaseAction,
    *,
    at: dt.date | None = None,
    params: Any = None,
    draws: int = 1000,
    seed: int = 0,
    claims: dict[str, str] | None = None,
    readings: Sequence[str] | None = None,
    register: Any = None,
    model: Any = None,
) -> Assessment:
    """Assess ``case`` on ``world`` at ``at`` (default: the case's own date, else 2021-12-15).

    ``model`` (a :class:`~indivisible.security.SecurityModel`) replaces ``params`` and
    ``claims`` when given, for example to evaluate on another geography.
    """
    from indivisible.register import load_register
    from indivisible.security import SecurityModel, draw_params, load_params

    if isinstance(case, BaseAction):
        case = Case(
            name=case.id or case.kind,
            action=case,
            default_at=None,  # type: ignore[attr-defined]
            description=case.description,
            sources=(case.source,),
        )
    if not 0 <= draws <= MAX_DRAWS:
        raise InputError(f"expected 0 to {MAX_DRAWS:,} draws, got {draws}", field="--draws")
    date = at or case.default_at or dt.date(2021, 12, 15)
    if model is not None:  # a prebuilt model brings its own parameters and claims
        params, claims = model.params, dict(model.claims)
    params = params if params is not None else load_params()
    reg = register if register is not None else load_register()
    model = model if model is not None else SecurityModel(params, claims=claims)

    before_world = world
    after_world = apply_case(case, world, date)
    before, after = before_world.at(date), after_world.at(date)
    cmp = model.compare(before, after)
    iso3 = tuple(cmp.iso3)
    actors = tuple(a for a in case.action.actors() if a in iso3)
    others = np.array([c not in actors for c in iso3])

    if draws > 0:
        batch = draw_params(params, draws, seed)
        s0, s1 = model.compare_batch(before, after, batch)
        delta_draws = s1 - s0
    else:
        batch = None
        delta_draws = np.asarray(cmp.delta)[None, :]

    eps = float(params["epsilon"])
    robust_high = float(params["robust_high"])
    robust_low = float(params["robust_low"])
    rights = [r for r in dict.fromkeys(case.action.rights()) if _clause_in_force(reg, r, date)]
    rules = _reading_rules(reg)
    if readings:
        unknown = [r for r in readings if r not in {x.id for x in rules}]
        if unknown:
            raise InputError(f"unknown reading(s) {', '.join(unknown)}", field="--reading")
        rules = [r for r in rules if r.id in readings]
    verdicts: dict[str, Verdict] = {}
    for rule in rules:
        tol = tol_draws = None
        if rule.conditions != "none":
            name = rule.tolerance_param or "epsilon"
            tol = float(params[name])
            tol_draws = batch.values[name] if batch is not None else np.array([tol])
        verdicts[rule.id] = _no_draws(
            draws,
            decide(
                rule,
                iso3=iso3,
                delta=np.asarray(cmp.delta),
                delta_draws=delta_draws,
                others=others,
                tolerance=tol,
                tolerance_draws=tol_draws,
                robust_high=robust_high,
                robust_low=robust_low,
                has_right=bool(rights),
            ),
        )

    delta = np.asarray(cmp.delta)
    gainers = [c for c, d in zip(iso3, delta, strict=True) if d > eps]
    losers = [c for c, d in zip(iso3, delta, strict=True) if d < -eps]
    indicators = compute_indicators(model, before, after, actors, params)

    obligations: list[str] = []
    other_losers = [c for c in losers if c not in actors]
    if other_losers:
        obligations += _clauses_with_topic(reg, "no-detriment", date)
    tol_lc = (
        float(params["tolerance_legitimate_concerns"])
        if "tolerance_legitimate_concerns" in params.values
        else eps
    )
    if any(-delta[before.index[c]] > tol_lc for c in other_losers):
        obligations += _clauses_with_topic(reg, "legitimate-concerns", date)
    steps = case.action.steps()
    if any(isinstance(s, Deploy) and s.owner != s.host for s in steps):
        obligations += _clauses_with_topic(reg, "host-consent", date)
    if any(isinstance(s, ChangeCapability) for s in steps) or indicators.commensurate_flagged:
        obligations += _clauses_with_topic(reg, "commensurate-capabilities", date)
    if indicators.sphere_flagged:
        obligations += _clauses_with_topic(reg, "no-sphere-of-influence", date)
    if any(isinstance(s, HoldExercise) for s in steps):
        obligations += _clauses_with_topic(reg, "notification", date)
    obligations = list(dict.fromkeys(obligations))

    states = _state_results(cmp, before, model)
    sites = [
        {
            "owner": s.owner,
            "host": s.host,
            "site": s.site,
            "lat": s.lat,
            "lon": s.lon,
            "system": s.system,
            "range_km": after.system(s.system).range_for((claims or {}).get(s.system)),
        }
        for s in steps
        if isinstance(s, Deploy)
    ]
    cited = set(rights) | set(obligations) | {c for v in verdicts.values() for c in v.clauses}
    notes = _notes(case.action, before_world, after_world, before)
    claims_used = _claims_used(before, after, claims or {})
    return Assessment(
        action=case.name,
        description=case.description or case.action.label(),
        date=date,
        actors=actors,
        states=states,
        gainers=gainers,
        losers=losers,
        rights_invoked=rights,
        obligations_engaged=obligations,
        verdicts=verdicts,
        indicators=indicators,
        params={k: float(v) for k, v in params.to_dict().items()},
        seed=seed,
        draws=draws,
        epsilon=eps,
        settings=before.settings.model_dump(mode="json"),
        claims=dict(claims or {}),
        sources=list(case.sources),
        sites=sites,
        citations={c: _citation(reg, c) for c in sorted(cited)},
        notes=notes,
        claims_used=claims_used,
    )


def _claims_used(before: Snapshot, after: Snapshot, pinned: dict[str, str]) -> dict[str, Any]:
    """Each contested figure in play in either world: the one used and the others.

    The model needs one range per system and one reading per launcher claim: it takes the
    pinned one, else the default the data states as a convention (for the Mk 41 launchers of
    the Aegis Ashore sites, the US position). Reports list the alternatives so that a reader
    can rerun with ``--claim``; see :func:`indivisible.security.claims.claims_used`.
    """
    from indivisible.security.claims import claims_used

    return claims_used((before, after), pinned)


def apply_case(case: Case, world: World, date: dt.date) -> World:
    """Apply a case's action; an error it raises names the file and line it was read from."""
    try:
        return case.action.apply(world, date)
    except InputError as exc:
        if exc.file is not None or case.origin is None:
            raise
        file, line = case.origin
        field = f"action.{exc.field}" if exc.field else "action"
        raise InputError(
            f"{exc.message} (in the scenario used)", file=file, line=line, field=field
        ) from None


def _notes(action: BaseAction, before: World, after: World, snap: Snapshot) -> list[str]:
    """Warnings a reader needs: an action that changes nothing, or adds to what exists."""
    out = []
    if after == before:
        out.append(
            f"The action changes nothing in this world on {snap.date} (for example, the state "
            "is already a member, or nothing matches the withdrawal): every change is zero."
        )
    for step in action.steps():
        if isinstance(step, Deploy):
            same = [
                d.id
                for d in snap.deployments
                if (d.owner, d.host, d.system) == (step.owner, step.host, step.system)
            ]
            if same:
                out.append(
                    f"{step.owner} already has {step.system} in {step.host} on {snap.date} "
                    f"({', '.join(same)}): the action adds to it. For a historical case, "
                    "assess it at a date before it took effect."
                )
    return out


def _no_draws(draws: int, v: Verdict) -> Verdict:
    """Without parameter draws there is no robustness to report: say so rather than 100%."""
    if draws > 0:
        return v
    return dataclasses.replace(
        v, robustness=None, reason=v.reason + " (No parameter draws: robustness not computed.)"
    )


def _state_results(cmp: Any, snap: Snapshot, model: Any) -> list[StateResult]:
    iso3 = tuple(cmp.iso3)
    by_el = np.asarray(cmp.by_element)
    ids = list(cmp.element_ids)
    labels = dict(zip(ids, (str(x) for x in cmp.element_label), strict=True))
    owners = dict(zip(ids, (str(x) for x in cmp.element_owner), strict=True))
    out = []
    for j, c in enumerate(iso3):
        col = by_el[:, j] if by_el.size else np.zeros(0)
        order = np.argsort(-np.abs(col))[:TOP_ELEMENTS] if col.size else []
        top = [
            {
                "id": ids[k],
                "label": labels.get(ids[k], ids[k]),
                "owner": owners.get(ids[k], ""),
                "value": float(col[k]),
            }
            for k in order
            if col[k] != 0.0
        ]
        out.append(
            StateResult(
                iso3=c,
                name=snap.state(c).name,
                before=float(cmp.before[j]),
                after=float(cmp.after[j]),
                delta=float(cmp.delta[j]),
                by_owner={o: float(v[j]) for o, v in sorted(cmp.by_owner.items()) if v[j] != 0.0},
                by_factor={f: float(v[j]) for f, v in cmp.by_factor.items()},
                by_kind={k: float(v[j]) for k, v in cmp.by_kind.items()},
                top_elements=top,
            )
        )
    return out
