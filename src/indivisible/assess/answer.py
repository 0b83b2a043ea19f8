"""National answers to the letter of 1 February 2022.

The letter asked each government how, nationally, it fulfils the obligation not to
strengthen its security at the expense of others. For a state, this replays the world's
own dated changes that concern it in a period — accessions and departures, neutrality,
deployments it made or hosted and their withdrawals — and assesses each against the
counterfactual world in which that one change did not happen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ConfigDict

from indivisible.actions import FREE_CHOICE, HOST_CONSENT, NEUTRALITY, BaseAction, Case
from indivisible.assess.assessment import Assessment, assess
from indivisible.errors import InputError
from indivisible.world.scenario import World


class Replay(BaseAction):
    """Restore one real change into a counterfactual world that lacks it."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    kind: Literal["replay"] = "replay"
    real: World
    invoked: tuple[str, ...] = ()
    acting: tuple[str, ...] = ()

    def apply(self, world: World, on: dt.date) -> World:
        return self.real

    def rights(self) -> tuple[str, ...]:
        return self.invoked

    def actors(self) -> tuple[str, ...]:
        return self.acting


@dataclass
class Change:
    date: dt.date
    kind: str
    description: str
    counterfactual: World
    rights: tuple[str, ...]
    actors: tuple[str, ...]
    source: str


def _without(world: World, collection: str, item: Any) -> World:
    return world.replace(**{collection: [x for x in getattr(world, collection) if x is not item]})


def _extended(world: World, collection: str, item: Any) -> World:
    return world.replace(
        **{
            collection: [
                x.model_copy(update={"end": None}) if x is item else x
                for x in getattr(world, collection)
            ]
        }
    )


def changes_for(world: World, iso3: str, since: dt.date, until: dt.date) -> list[Change]:
    """The dated changes concerning ``iso3`` with since < date <= until, oldest first."""
    if iso3 not in world.state_by_iso3:
        raise InputError(f"unknown state {iso3!r}", field="ISO3")

    def inside(d: dt.date | None) -> bool:
        return d is not None and since < d <= until

    out: list[Change] = []
    for m in world.memberships:
        if m.iso3 != iso3:
            continue
        if inside(m.start):
            out.append(
                Change(
                    m.start,
                    "accession",
                    f"{iso3} joins {m.alliance}",
                    _without(world, "memberships", m),
                    FREE_CHOICE,
                    (iso3,),
                    m.source,
                )
            )
        if inside(m.end):
            out.append(
                Change(
                    m.end,
                    "departure",
                    f"{iso3} leaves {m.alliance}",
                    _extended(world, "memberships", m),
                    FREE_CHOICE,
                    (iso3,),
                    m.source,
                )
            )
    for n in world.neutrality:
        if n.iso3 != iso3:
            continue
        if inside(n.start):
            out.append(
                Change(
                    n.start,
                    "neutrality",
                    f"{iso3} adopts {n.kind}",
                    _without(world, "neutrality", n),
                    NEUTRALITY,
                    (iso3,),
                    n.source,
                )
            )
        if inside(n.end):
            out.append(
                Change(
                    n.end,
                    "neutrality-ends",
                    f"{iso3} ends {n.kind}",
                    _extended(world, "neutrality", n),
                    FREE_CHOICE,
                    (iso3,),
                    n.source,
                )
            )
    for d in world.deployments:
        if iso3 not in (d.owner, d.host):
            continue
        rights = ("helsinki-1975:principle-1",) if d.owner == d.host else FREE_CHOICE + HOST_CONSENT
        actors = tuple(dict.fromkeys((d.owner, d.host)))
        what = f"{d.owner} {d.system} ({d.count:g} {d.unit}) at {d.site}, {d.host}"
        if inside(d.start):
            out.append(
                Change(
                    d.start,
                    "deployment",
                    f"deploys {what}",
                    _without(world, "deployments", d),
                    rights,
                    actors,
                    d.source,
                )
            )
        if inside(d.end):
            out.append(
                Change(
                    d.end,
                    "withdrawal",
                    f"withdraws {what}",
                    _extended(world, "deployments", d),
                    FREE_CHOICE,
                    actors,
                    d.source,
                )
            )
    out.sort(key=lambda c: (c.date, c.kind, c.description))
    return out


def national_answer(
    world: World,
    iso3: str,
    since: dt.date,
    until: dt.date,
    *,
    params: Any = None,
    draws: int = 200,
    seed: int = 0,
    claims: dict[str, str] | None = None,
    model: Any = None,
) -> dict[str, Any]:
    """Assess each change concerning ``iso3``; the JSON contract of ``indivisible answer``."""
    if until < since:
        raise InputError(f"--at {until} is before --since {since}", field="--since")
    from indivisible.security.claims import claims_used

    if model is not None:  # a prebuilt model brings its own claims
        claims = dict(model.claims)
    items: list[dict[str, Any]] = []
    snaps = [world.at(until)]
    for ch in changes_for(world, iso3, since, until):
        snaps += [world.at(ch.date), ch.counterfactual.at(ch.date)]
        action = Replay(
            real=world,
            invoked=ch.rights,
            acting=ch.actors,
            description=ch.description,
            source=ch.source,
        )
        case = Case(
            name=f"{ch.kind}:{ch.date}",
            action=action,
            default_at=ch.date,
            description=ch.description,
            sources=(ch.source,),
        )
        a: Assessment = assess(
            ch.counterfactual,
            case,
            at=ch.date,
            params=params,
            draws=draws,
            seed=seed,
            claims=claims,
            model=model,
        )
        items.append(
            {
                "date": ch.date.isoformat(),
                "kind": ch.kind,
                "description": ch.description,
                "actors": list(ch.actors),
                "source": ch.source,
                "delta": {s.iso3: s.delta for s in a.states if s.delta != 0.0},
                "own_delta": a.state(iso3).delta,
                "gainers": a.gainers,
                "losers": a.losers,
                "rights_invoked": a.rights_invoked,
                "obligations_engaged": a.obligations_engaged,
                "verdicts": {k: v.to_json() for k, v in a.verdicts.items()},
            }
        )
    return {
        "state": iso3,
        "name": world.state_by_iso3[iso3].name,
        "since": since.isoformat(),
        "at": until.isoformat(),
        "question": (
            "How does this government fulfil, nationally, the obligation not to strengthen "
            "its security at the expense of the security of other states? (letter of "
            "1 February 2022, invoking Istanbul 1999 and Astana 2010)"
        ),
        "changes": items,
        "draws": draws,
        "seed": seed,
        "assumptions": {"claims": dict(claims or {}),
                        "claims_used": claims_used(snaps, claims or {})},
    }
