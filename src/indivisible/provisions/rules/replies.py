"""The US and NATO replies of January 2022: their offers read as measures both sides take.

The replies name no figures for most offers, so every figure here is a parameter that says
where its default comes from. Checking an offer against a world shows what it would ask of
each side there.
"""

from __future__ import annotations

from collections.abc import Iterator

from indivisible.provisions.classify import (
    CRUISE_CATEGORIES,
    combat_forces,
    exercise_troops,
    ground_missile,
    offensive,
)
from indivisible.provisions.context import Context, extra
from indivisible.provisions.geography import distance_km
from indivisible.provisions.model import Finding, Provision
from indivisible.provisions.rules import rule
from indivisible.provisions.rules.common import missile_in_band, pairs
from indivisible.world.entities import Deployment, Exercise

# ---------------------------------------------------------------- US reply


@rule("us-reply-2022/aegis-transparency")
def aegis_transparency(ctx: Context, prov: Provision) -> Iterator[Finding]:
    radius = prov.param(ctx, "site_radius_km")
    active = {d.id: d for d in ctx.deployments}
    known = {d.id for d in ctx.world.deployments}
    for site_id in prov.param(ctx, "aegis_sites"):
        if site_id not in known:
            ctx.skip(prov.id, site_id, "no such deployment in the world")
            continue
        site = active.get(site_id)
        if site is None:
            continue
        for d in ctx.deployments:
            if d.id == site.id or d.owner != site.owner:
                continue
            system = ctx.system(d.system)
            cruise = system.category in CRUISE_CATEGORIES or (
                ground_missile(system, True) and system.regime == "cruise")
            if not (cruise and offensive(system)):
                continue
            dist = distance_km(site.lat, site.lon, d.lat, d.lon)
            if dist <= radius:
                yield Finding(party=site.owner, subject=d.id, host=site.host,
                              detail=f"{system.name} at the Aegis Ashore site {site.site} "
                                     f"({dist:,.1f} km from it)",
                              numbers={"distance_km": round(dist, 2), "site": site.id})
    rus = prov.param(ctx, "russia")
    bases = list(prov.param(ctx, "russian_bases"))
    if not bases:
        ctx.assume(f"us-reply-2022: the two bases of {rus} are not named, so every "
                   f"ground-launched missile deployment of {rus} on its territory is checked")
    for d in ctx.deployments:
        if bases and d.id not in bases:
            continue
        if d.owner != rus or (not bases and d.host != rus):
            continue
        rng = missile_in_band(ctx, prov, d)
        if rng is not None:
            yield Finding(party=rus, subject=d.id, host=d.host,
                          detail=f"{ctx.system(d.system).name} ({rng:,.0f} km, in the "
                                 f"500-5,500 km bands) at {d.site}",
                          numbers={"range_km": rng})


def _in_state(ctx: Context, d: Deployment, iso3: str) -> bool:
    """Whether a deployment stands on the state's territory as the scenario draws it."""
    return ctx.geo.inside(d.lat, d.lon, iso3)


@rule("us-reply-2022/ukraine-restraint")
def ukraine_restraint(ctx: Context, prov: Provision) -> Iterator[Finding]:
    ukr = prov.param(ctx, "ukraine")
    if ukr not in ctx.world.state_by_iso3:
        return
    ctx.assume(f"territory of {ukr} as the scenario draws it (Crimea counted as "
               f"{ctx.world.settings.crimea})")
    glide = prov.param(ctx, "glide_as_missile")
    for party in dict.fromkeys(p for p, _ in pairs(ctx, prov)):
        for d in ctx.deployments:
            if d.owner != party or d.owner == ukr or not _in_state(ctx, d, ukr):
                continue
            system = ctx.system(d.system)
            missile = ground_missile(system, glide) and offensive(system)
            force = combat_forces(system) and d.permanent
            if missile or force:
                what = "offensive ground-launched missile system" if missile else (
                    "permanent combat force")
                yield Finding(party=party, subject=d.id, host=ukr,
                              detail=f"{what}: {system.name} ({d.count:,.0f} {d.unit}) at "
                                     f"{d.site}, on the territory of {ukr}",
                              numbers={"count": d.count, "unit": d.unit})


def _notification_gap(ex: Exercise, threshold: float) -> tuple[bool | None, str]:
    """Whether an exercise at or above ``threshold`` went unnotified (None: not known)."""
    troops = exercise_troops(ex)
    if troops is None or troops < threshold:
        return False, ""
    if ex.notified is False:
        return True, f"{troops:,.0f} troops >= {threshold:,.0f}; not notified"
    if ex.notified_troops is not None and ex.notified_troops < threshold:
        return True, (f"{troops:,.0f} troops >= {threshold:,.0f}; declared "
                      f"{ex.notified_troops:,.0f}")
    if ex.notified is None and ex.notified_troops is None:
        return None, ""
    return False, ""


@rule("us-reply-2022/exercise-notification")
def exercise_notification(ctx: Context, prov: Provision) -> Iterator[Finding]:
    threshold = prov.param(ctx, "notification_troops")
    parties = list(dict.fromkeys(p for p, _ in pairs(ctx, prov)))
    for ex in ctx.exercises():
        mine = [p for p in ex.conducted_by if p in parties]
        if not mine:
            continue
        gap, text = _notification_gap(ex, threshold)
        if gap is None:
            ctx.skip(prov.id, ex.id, "whether it was notified is not recorded")
        elif gap:
            snap_note = " (an alert activity: not exempt here)" if extra(ex, "alert") else ""
            for party in mine:
                yield Finding(party=party, subject=ex.id, host=ex.hosts[0] if ex.hosts else None,
                              detail=f"{ex.name}: {text}{snap_note}",
                              numbers={"troops": exercise_troops(ex), "threshold": threshold,
                                       "notified_troops": ex.notified_troops})


@rule("us-reply-2022/incidents")
def incidents(ctx: Context, prov: Provision) -> Iterator[Finding]:
    minimum = prov.param(ctx, "min_approach_km")
    for party, other in pairs(ctx, prov):
        for p in ctx.patrols():
            if p.owner != party:
                continue
            approach = ctx.approach_km(p, other)
            if approach < minimum:
                yield Finding(party=party, subject=p.id, host=other,
                              detail=f"{p.kind} patrol came within {approach:,.1f} km of "
                                     f"{other} (minimum {minimum:,.1f} km, a parameter)",
                              numbers={"approach_km": round(approach, 2), "minimum_km": minimum})


# ---------------------------------------------------------------- NATO reply


@rule("nato-reply-2022/exercise-briefings")
def exercise_briefings(ctx: Context, prov: Provision) -> Iterator[Finding]:
    threshold = prov.param(ctx, "briefing_troops")
    parties = set(ctx.members(prov.param(ctx, "alliance"))) | {prov.param(ctx, "russia")}
    for ex in ctx.exercises():
        mine = [p for p in ex.conducted_by if p in parties]
        troops = exercise_troops(ex)
        if not mine or troops is None or troops < threshold:
            continue
        briefed = extra(ex, "briefed")
        if briefed is None:
            ctx.skip(prov.id, ex.id, "whether it was briefed is not recorded")
        elif briefed is False:
            for party in mine:
                yield Finding(party=party, subject=ex.id, host=ex.hosts[0] if ex.hosts else None,
                              detail=f"{ex.name}: {troops:,.0f} troops >= {threshold:,.0f}, "
                                     "not briefed",
                              numbers={"troops": troops, "threshold": threshold})


@rule("nato-reply-2022/lower-thresholds")
def lower_thresholds(ctx: Context, prov: Provision) -> Iterator[Finding]:
    threshold = prov.param(ctx, "notification_troops")
    for ex in ctx.exercises():
        gap, text = _notification_gap(ex, threshold)
        if gap is None:
            ctx.skip(prov.id, ex.id, "whether it was notified is not recorded")
        elif gap:
            for party in dict.fromkeys((*ex.conducted_by, *ex.hosts)):
                yield Finding(party=party, subject=ex.id,
                              host=party if party in ex.hosts else (ex.hosts[0] if ex.hosts
                                                                    else None),
                              detail=f"{ex.name}: {text} (lowered threshold, a parameter)",
                              numbers={"troops": exercise_troops(ex), "threshold": threshold,
                                       "notified_troops": ex.notified_troops})


@rule("nato-reply-2022/host-consent")
def host_consent(ctx: Context, prov: Provision) -> Iterator[Finding]:
    rus = prov.param(ctx, "russia")
    states = [s for s in prov.param(ctx, "no_consent_states") if s in ctx.world.state_by_iso3]
    ctx.assume("host consent is not in the world: every Russian deployment on the territory "
               f"of {', '.join(states)} is taken to be without it, as the reply does (Crimea "
               f"counted as {ctx.world.settings.crimea})")
    for d in ctx.deployments:
        if d.owner != rus:
            continue
        where = next((s for s in states if s != rus and _in_state(ctx, d, s)), None)
        if where is not None:
            yield Finding(party=rus, subject=d.id, host=where,
                          detail=f"{ctx.system(d.system).name} ({d.count:,.0f} {d.unit}) at "
                                 f"{d.site}, on the territory of {where}",
                          numbers={"count": d.count, "unit": d.unit})
