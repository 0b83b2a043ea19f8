"""The 2021 drafts and the 2022 replies, item by item, as actions an assessment can evaluate.

Each item (``data/provisions/proposals.yaml``) says who it binds and whether it is mutual; an
item that changes forces becomes an action built from the world (``proposal_case``), and
every item says what it would change in the 2021 world, computed by applying the action,
not written by hand. An item that changes no force (talks, transparency, notification)
carries no action and says why, and names the dynamics channel it acts on instead.

Actions are built against the baseline on 15 Dec 2021 (the day the drafts were handed
over) with the provisions' default parameters, so they reflect the readings the check uses
by default; the item text says so where a reading matters. A contested figure (a range with
named claims) decides nothing by default here either: an item covers what it would cover
under any of the claims, as the check reports contested violations beside the others.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from indivisible.actions.kinds import (
    BaseAction,
    Composite,
    HoldExercise,
    LeaveAlliance,
    Withdraw,
)
from indivisible.actions.library import Case
from indivisible.errors import InputError
from indivisible.options import DEFAULT_DATE
from indivisible.provisions.catalogue import (
    _validate,
    catalogue,
    data_dir,
    default_parameters,
    region,
)
from indivisible.provisions.check import check
from indivisible.provisions.classify import combat_forces, ground_missile, in_band, offensive
from indivisible.world.entities import System
from indivisible.world.loader import load_baseline
from indivisible.world.scenario import World
from indivisible.yamlio import LineList, load_yaml_file

Channel = Literal["transparency", "incident-prevention", "min-approach", "exercise-cap"]
PROPOSAL_SOURCE = "Indivisible: proposal item modelled as an action (provisions/proposals.py)"


class ItemSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    document: str
    clause: str
    topic: str
    title: str = Field(min_length=3)
    bound: list[str] = Field(min_length=1)
    mutual: bool
    provision: str | None = None
    model: str | None = None
    channel: Channel | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _action_or_reason(self) -> ItemSpec:
        if self.model is None and not (self.reason or "").strip():
            raise ValueError("an item without a model needs a reason")
        if not self.clause.startswith(self.document + ":"):
            raise ValueError(f"clause {self.clause!r} is not in document {self.document!r}")
        return self


@dataclass(frozen=True)
class ProposalItem:
    """One item of a draft or reply, with its action (or why there is none) and its effect."""

    id: str
    document: str
    clause: str
    topic: str
    title: str
    bound: tuple[str, ...]
    mutual: bool
    provision: str | None
    action: BaseAction | None
    reason: str
    effect: str
    channel: str | None
    default_at: dt.date

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.id, "document": self.document, "clause": self.clause,
            "topic": self.topic, "title": self.title, "bound": list(self.bound),
            "mutual": self.mutual, "provision": self.provision,
            "action": self.action.model_dump(mode="json") if self.action else None,
            "reason": self.reason, "effect": self.effect, "channel": self.channel,
            "default_at": self.default_at.isoformat(),
            "assess": f"proposal:{self.id}" if self.action else None,
        }


# ------------------------------------------------------------------ building actions


@dataclass
class _Env:
    world: World
    on: dt.date

    def param(self, name: str) -> Any:
        return default_parameters()[name]

    def members(self, alliance: str, on: dt.date | None = None) -> tuple[str, ...]:
        return self.world.at(on or self.on).members(alliance)


Built = tuple[BaseAction | None, str]


def _composite(steps: list[BaseAction], label: str) -> BaseAction | None:
    if not steps:
        return None
    return steps[0] if len(steps) == 1 else Composite(actions=tuple(steps), description=label,
                                                      source=PROPOSAL_SOURCE)


def _foreclose(env: _Env, states: list[str], ref: dt.date, alliance: str, label: str) -> Built:
    steps: list[BaseAction] = [
        LeaveAlliance(state=s, alliance=alliance, date=ref, source=PROPOSAL_SOURCE)
        for s in states
    ]
    return _composite(steps, label), (
        f"Modelled as removing any {alliance} membership of these {len(states)} states from "
        f"{ref} on (LeaveAlliance on a non-member removes only later spells).")


def _foreclose_former_ussr(env: _Env) -> Built:
    alliance = env.param("draft-us-russia-2021.alliance")
    ref = env.param("draft-us-russia-2021.reference_date")
    members = set(env.members(alliance, ref))
    states = sorted(s.iso3 for s in env.world.states if s.former_ussr and s.iso3 not in members)
    return _foreclose(env, states, ref, alliance, "No NATO accession of former-USSR states")


def _foreclose_enlargement(env: _Env) -> Built:
    alliance = env.param("draft-nato-russia-2021.alliance")
    ref = env.param("draft-nato-russia-2021.reference_date")
    members = set(env.members(alliance, ref))
    states = sorted(s.iso3 for s in env.world.states if s.iso3 not in members)
    return _foreclose(env, states, ref, alliance, "No further NATO enlargement")


def _withdraw(label: str, **criteria: Any) -> Withdraw:
    return Withdraw(description=label, source=PROPOSAL_SOURCE, **criteria)


def _us_out_of_former_ussr(env: _Env) -> Built:
    alliance = env.param("draft-us-russia-2021.alliance")
    bound = env.param("draft-us-russia-2021.art4_party")
    members = set(env.members(alliance))
    hosts = tuple(sorted(s.iso3 for s in env.world.states
                         if s.former_ussr and s.iso3 not in members))
    return _withdraw(f"{bound} forces out of non-{alliance} former-USSR states", owner=bound,
                     hosts=hosts), (
        "Withdraws US deployments there; exercises and bilateral cooperation, which the article "
        "also bars, are not actions the world can undo.")


def _home_only(env: _Env) -> Built:
    steps: list[BaseAction] = [
        _withdraw(f"{p} forces home", owner=p, foreign_only=True)
        for p in env.param("draft-us-russia-2021.parties") if p in env.world.state_by_iso3
    ]
    return _composite(steps, "US and Russian forces and armaments home"), (
        "Reading 'foreign' (the default): every deployment outside national territory is "
        "withdrawn, since the text exempts only national territory.")


def _posture_1997(env: _Env) -> Built:
    alliance = env.param("draft-nato-russia-2021.alliance")
    since = env.param("draft-nato-russia-2021.baseline_date")
    rus = env.param("draft-nato-russia-2021.russia")
    members_1997 = list(env.members(alliance, since))
    outside = set(region(env.param("draft-nato-russia-2021.outside_europe")))
    european = {s.iso3 for s in env.world.states if s.iso3 not in outside}
    hosts = tuple(sorted(european - set(members_1997)))
    owners = [*members_1997, rus] if rus in env.world.state_by_iso3 else members_1997
    steps: list[BaseAction] = [
        _withdraw(f"{o}: back to the 1997 posture", owner=o, hosts=hosts, started_after=since,
                  foreign_only=True)
        for o in owners
    ]
    return _composite(steps, "Back to the posture of 27 May 1997"), (
        f"Withdraws every foreign deployment begun after {since} by Russia or a 1997 NATO "
        "member in a European state that was not a NATO member then (the check's default "
        "reading of the hosts).")


def _nato_out_of_regions(env: _Env) -> Built:
    alliance = env.param("draft-nato-russia-2021.alliance")
    rus = env.param("draft-nato-russia-2021.russia")
    nato = list(env.members(alliance))
    states = {s for name in env.param("draft-nato-russia-2021.art7_regions")
              for s in region(name)}
    states -= set(nato) | {rus}
    hosts = tuple(sorted(states & set(env.world.state_by_iso3)))
    steps: list[BaseAction] = [
        _withdraw(f"{o} out of the Art. 7(1) regions", owner=o, hosts=hosts) for o in nato
    ]
    return _composite(steps, "NATO members' forces out of the Art. 7(1) regions"), (
        f"Withdraws NATO members' deployments from {', '.join(hosts)}; exercises there, which "
        "the article also bars, are not actions the world can undo.")


def _ukraine_restraint(env: _Env) -> Built:
    ukr = env.param("us-reply-2022.ukraine")
    glide = env.param("us-reply-2022.glide_as_missile")
    steps: list[BaseAction] = []
    for p in env.param("us-reply-2022.parties"):
        if p not in env.world.state_by_iso3:
            continue
        for s in env.world.systems:
            owned = s.owner in (None, p)
            if owned and ((ground_missile(s, glide) and offensive(s)) or combat_forces(s)):
                steps.append(_withdraw(f"no {s.id} of {p} in {ukr}", owner=p, host=ukr,
                                       system=s.id))
    return _composite(steps, "No offensive ground-launched missiles or combat forces in "
                             "Ukraine (reciprocal)"), (
        "A reciprocal commitment: withdraws any such US or Russian deployment recorded with "
        f"host {ukr}. (The check tests the territory as drawn, Crimea per the scenario.)")


def _russia_out_without_consent(env: _Env) -> Built:
    rus = env.param("nato-reply-2022.russia")
    states = tuple(env.param("nato-reply-2022.no_consent_states"))
    return _withdraw("Russian forces out of Ukraine, Georgia and Moldova", owner=rus,
                     hosts=states), (
        "Withdraws Russian deployments recorded with these hosts; host consent is not in the "
        "world, so all are taken to be without it, as the reply does.")


def _flagged(env: _Env, provision: str) -> list[tuple[str, str, str]]:
    """(owner, host, system) of the deployments a provision flags on the date."""
    agreement = provision.split("/", 1)[0]
    result = check(agreement, env.world, env.on)
    by_id = {d.id: d for d in env.world.deployments}
    out = []
    for v in result.violations:
        d = by_id.get(v.subject)
        if v.provision == provision and d is not None:
            out.append((d.owner, d.host, d.system))
    return sorted(set(out))


def _in_band_under_any_claim(system: System, low: float, high: float) -> bool:
    ranges = [c.range_km for c in system.range_claims] or [system.range_km]
    return any(in_band(r, low, high) for r in ranges)


def _missiles_home_out_of_reach(env: _Env) -> Built:
    glide = env.param("draft-us-russia-2021.glide_as_missile")
    low = env.param("draft-us-russia-2021.missile_min_km")
    high = env.param("draft-us-russia-2021.missile_max_km")
    parties = [p for p in env.param("draft-us-russia-2021.parties")
               if p in env.world.state_by_iso3]
    deployed = {(d.owner, d.system) for d in env.world.deployments}
    steps: list[BaseAction] = []
    for s in env.world.systems:
        if not ground_missile(s, glide) or not _in_band_under_any_claim(s, low, high):
            continue
        for p in parties:
            if s.owner == p or (p, s.id) in deployed:
                steps.append(_withdraw(f"no {s.id} of {p} abroad", owner=p, system=s.id,
                                       foreign_only=True))
    for owner, host, system in _flagged(env, "draft-us-russia-2021/art6"):
        if owner == host:
            steps.append(_withdraw(f"{system} of {owner} out of reach", owner=owner, host=host,
                                   system=system))
    return _composite(steps, "Ground-launched 500-5,500 km missiles home and out of reach"), (
        "Withdraws such missiles from abroad, and those at home that can reach the other "
        "Party (INF bands; a class in them under any named range claim is included).")


def _missiles_out_of_reach(env: _Env) -> Built:
    steps: list[BaseAction] = [
        _withdraw(f"{system} of {owner} in {host} out of reach", owner=owner, host=host,
                  system=system)
        for owner, host, system in _flagged(env, "draft-nato-russia-2021/art5")
    ]
    return _composite(steps, "Missiles within reach of other Parties withdrawn"), (
        "Withdraws every deployment of a system, by owner and host, that the check flags on "
        "the date (INF bands, literal 'other Parties'; contested violations included).")


def _nuclear_home(env: _Env) -> Built:
    parties = [p for p in env.param("draft-us-russia-2021.parties")
               if p in env.world.state_by_iso3]
    weapons = {d.system for d in env.world.deployments if d.unit == "weapons"}
    steps: list[BaseAction] = []
    for s in env.world.systems:
        nuclear = s.category == "nuclear-gravity-bomb" or (s.nuclear_capable and s.id in weapons)
        if not nuclear:
            continue
        for p in parties:
            if s.owner == p or any(d.owner == p and d.system == s.id
                                   for d in env.world.deployments):
                steps.append(_withdraw(f"{s.id} of {p} home", owner=p, system=s.id,
                                       foreign_only=True))
    return _composite(steps, "Nuclear weapons back to national territory"), (
        "Withdraws every deployment abroad of the systems the world counts in nuclear weapons; "
        "infrastructure and training, which the article also bars, are not in the world.")


def _bombers_warships_home(env: _Env) -> Built:
    systems = [s for s in env.world.systems if s.category in ("bomber", "warship")]
    parties = [p for p in env.param("draft-us-russia-2021.parties")
               if p in env.world.state_by_iso3]
    steps: list[BaseAction] = [
        _withdraw(f"{s.id} of {p} home", owner=p, system=s.id, foreign_only=True)
        for s in systems for p in parties
    ]
    if not steps:
        return None, ("The world has no bomber or warship deployments, and flights and "
                      "sailings are patrols, which no action kind removes: the item acts on "
                      "the min-approach channel of the dynamics.")
    return _composite(steps, "Bombers and warships home"), (
        "Withdraws bomber and warship deployments abroad; flights and sailings (patrols) act "
        "on the min-approach channel of the dynamics.")


def _exercises_capped(env: _Env) -> Built:
    brigade = env.param("draft-nato-russia-2021.brigade_troops")
    steps: list[BaseAction] = []
    for ex in env.world.exercises:
        result = check("draft-nato-russia-2021", env.world, ex.start)
        if not any(v.provision == "draft-nato-russia-2021/art7.2" and v.subject == ex.id
                   for v in result.violations):
            continue

        def cap(v: float | None) -> float | None:
            return None if v is None else min(v, brigade)

        capped = ex.model_copy(update={"troops": cap(ex.troops),
                                       "reported_troops": cap(ex.reported_troops),
                                       "notified_troops": cap(ex.notified_troops)})
        steps.append(HoldExercise(exercise=capped, source=PROPOSAL_SOURCE,
                                  description=f"{ex.id} held at brigade size"))
    if not steps:
        return None, "No exercise in the world falls under it."
    return _composite(steps, "Exercises in the border zone held at brigade level"), (
        f"Re-holds each exercise the check flags (on its own dates) at brigade size "
        f"({brigade:,.0f} troops, a parameter); the zone width is a parameter too.")


BUILDERS: dict[str, Callable[[_Env], Built]] = {
    "foreclose-former-ussr": _foreclose_former_ussr,
    "foreclose-enlargement": _foreclose_enlargement,
    "us-out-of-former-ussr": _us_out_of_former_ussr,
    "home-only": _home_only,
    "posture-1997": _posture_1997,
    "nato-out-of-regions": _nato_out_of_regions,
    "ukraine-restraint": _ukraine_restraint,
    "russia-out-without-consent": _russia_out_without_consent,
    "missiles-home-out-of-reach": _missiles_home_out_of_reach,
    "missiles-out-of-reach": _missiles_out_of_reach,
    "nuclear-home": _nuclear_home,
    "bombers-warships-home": _bombers_warships_home,
    "exercises-capped": _exercises_capped,
}


# ------------------------------------------------------------------ effects


def effect_of(action: BaseAction | None, world: World, on: dt.date) -> str:
    """What the action changes in the world on the date, and what it forecloses later."""
    if action is None:
        return "changes no force in the world"
    after = action.apply(world, on)
    now_before, now_after = world.at(on), after.at(on)
    parts = []
    gone = sorted({d.id for d in now_before.deployments} - {d.id for d in now_after.deployments})
    if gone:
        parts.append(f"withdraws {len(gone)} deployment(s) active on {on}: {', '.join(gone)}")
    left = sorted(set(now_before.memberships) - set(now_after.memberships),
                  key=lambda m: (m.alliance, m.iso3))
    if left:
        parts.append("ends memberships: " + ", ".join(f"{m.iso3} in {m.alliance}" for m in left))
    after_ex = {e.id: e for e in after.exercises}
    changed_ex = sorted(e.id for e in world.exercises if after_ex.get(e.id) != e)
    future_members = sorted((set(world.memberships) - set(after.memberships)) - set(left),
                            key=lambda m: m.start)
    future_deps = sorted({d.id for d in world.deployments if d.start > on}
                         - {d.id for d in after.deployments if d.start > on})
    if not parts:
        parts.append(f"changes nothing in the {on.year} world (on {on})")
    later = []
    if future_members:
        later.append("removes later accessions in this world: " + ", ".join(
            f"{m.iso3} ({m.start})" for m in future_members))
    if future_deps:
        later.append("removes later deployments in this world: " + ", ".join(future_deps))
    if changed_ex:
        later.append("re-holds exercises at a smaller size: " + ", ".join(changed_ex))
    text = "; ".join(parts + later)
    if not gone and not left and not future_members:
        if all(isinstance(st, Withdraw) for st in action.steps()):
            text += ("; forecloses future deployments (a commitment: the action itself ends "
                     "only what stands on the date)")
        elif any(isinstance(st, LeaveAlliance) for st in action.steps()):
            text += "; forecloses future accessions (later memberships are removed)"
        else:
            text += "; forecloses future ones of its kind"
    return text


# ------------------------------------------------------------------ items


def proposals_path() -> Path:
    return data_dir() / "proposals.yaml"


@lru_cache(maxsize=1)
def item_specs() -> tuple[ItemSpec, ...]:
    path = proposals_path()
    data = load_yaml_file(path)
    raw = data.get("items", []) if isinstance(data, dict) else []
    out = []
    seen: set[str] = set()
    provisions = {p.id for a in catalogue().values() for p in a.provisions}
    for i, item in enumerate(raw):
        spec = _validate(ItemSpec, item, path, f"items[{i}].")
        line = raw.item_lines[i] if isinstance(raw, LineList) else None
        if spec.id in seen:
            raise InputError(f"duplicate item {spec.id!r}", file=path, line=line,
                             field=f"items[{i}].id")
        if spec.model is not None and spec.model not in BUILDERS:
            raise InputError(f"unknown model {spec.model!r}; expected one of "
                             f"{', '.join(BUILDERS)}", file=path, line=line,
                             field=f"items[{i}].model")
        if spec.provision is not None and spec.provision not in provisions:
            raise InputError(f"unknown provision {spec.provision!r}", file=path, line=line,
                             field=f"items[{i}].provision")
        seen.add(spec.id)
        out.append(spec)
    return tuple(out)


def _default_at() -> dt.date:
    return dt.date.fromisoformat(DEFAULT_DATE)


def _build(spec: ItemSpec, world: World, on: dt.date) -> ProposalItem:
    action, note = (None, spec.reason or "")
    if spec.model is not None:
        action, note = BUILDERS[spec.model](_Env(world, on))
        if spec.reason:
            note = f"{note} {spec.reason}".strip()
    if action is not None:
        action = action.model_copy(update={"id": f"proposal-{spec.id}",
                                           "description": f"{spec.title} ({spec.clause})"})
    return ProposalItem(
        id=spec.id, document=spec.document, clause=spec.clause, topic=spec.topic,
        title=spec.title, bound=tuple(spec.bound), mutual=spec.mutual,
        provision=spec.provision, action=action, reason=note,
        effect=effect_of(action, world, on), channel=spec.channel, default_at=on,
    )


@lru_cache(maxsize=1)
def _baseline_items() -> tuple[ProposalItem, ...]:
    world, on = load_baseline(), _default_at()
    return tuple(_build(s, world, on) for s in item_specs())


def proposal_items(world: World | None = None, on: dt.date | None = None) -> list[ProposalItem]:
    """Every item of the drafts and replies, built against the baseline (or ``world``)."""
    if world is None and on is None:
        return list(_baseline_items())
    w = world if world is not None else load_baseline()
    d = on or _default_at()
    return [_build(s, w, d) for s in item_specs()]


def proposal_case(id: str) -> Case:
    """The action of one item, as a case ``indivisible assess proposal:ID`` evaluates."""
    specs = {s.id: s for s in item_specs()}
    if id not in specs:
        close = difflib.get_close_matches(id, list(specs), n=3, cutoff=0.5)
        hint = (f"; did you mean {', '.join(close)}?" if close
                else f"; known: {', '.join(specs)}")
        raise InputError(f"unknown proposal {id!r}{hint}", field="ACTION")
    item = next(i for i in _baseline_items() if i.id == id)
    if item.action is None:
        with_action = [i.id for i in _baseline_items() if i.action is not None]
        raise InputError(f"proposal {id!r} changes no force, so there is nothing to assess: "
                         f"{item.reason} Items with an action: {', '.join(with_action)}",
                         field="ACTION")
    from indivisible.provisions.check import citation

    prov = next((p for a in catalogue().values() for p in a.provisions
                 if p.id == item.provision), None)
    sources = (citation(prov),) if prov else (item.clause,)
    return Case(name=f"proposal:{id}", action=item.action, default_at=item.default_at,
                description=f"{item.title}. {item.reason} Effect: {item.effect}.",
                sources=sources)
