"""Russia's draft treaty with the United States (2021): what each article would require.

Mutual articles are applied to both Parties, each against the other ("the other Party"); the
two one-sided articles (4(1), 4(2)) bind the United States only, as the text does. Who the
Parties are, and which of them Art. 4 binds, is data (the agreement file's parameters).
"""

from __future__ import annotations

from collections.abc import Iterator

from indivisible.provisions.classify import nuclear_weapons
from indivisible.provisions.context import Context
from indivisible.provisions.model import Finding, Provision
from indivisible.provisions.rules import rule
from indivisible.provisions.rules.common import missile_in_band, pairs


def _non_nato_former_ussr(ctx: Context, alliance: str) -> list[str]:
    members = set(ctx.members(alliance))
    return sorted(s.iso3 for s in ctx.world.states if s.former_ussr and s.iso3 not in members)


@rule("draft-us-russia-2021/art4.1")
def no_expansion(ctx: Context, prov: Provision) -> Iterator[Finding]:
    alliance = prov.param(ctx, "alliance")
    since = prov.param(ctx, "reference_date")
    any_accession = prov.param(ctx, "count_any_accession")
    bound = prov.param(ctx, "art4_party")
    for m in ctx.snap.memberships:
        if m.alliance != alliance or m.start <= since:
            continue
        fus = ctx.world.state_by_iso3[m.iso3].former_ussr
        if not (fus or any_accession):
            continue
        why = "a state of the former USSR" if fus else "further expansion"
        yield Finding(party=bound, subject=f"membership:{alliance}:{m.iso3}", host=m.iso3,
                      detail=f"{m.iso3} joined {alliance} on {m.start}, after {since} ({why})",
                      numbers={"joined": m.start.isoformat(), "former_ussr": fus})


@rule("draft-us-russia-2021/art4.2")
def no_bases(ctx: Context, prov: Provision) -> Iterator[Finding]:
    bound = prov.param(ctx, "art4_party")
    if bound not in ctx.world.state_by_iso3:
        return
    alliance = prov.param(ctx, "alliance")
    states = _non_nato_former_ussr(ctx, alliance)
    outside = f"a former-USSR state outside {alliance}"
    for d in ctx.deployments:
        if d.owner == bound and d.host in states:
            yield Finding(party=bound, subject=d.id, host=d.host,
                          detail=f"{bound} {ctx.system(d.system).name} ({d.count:,.0f} "
                                 f"{d.unit}) in {d.host}, {outside}",
                          numbers={"count": d.count, "unit": d.unit})
    for ex in ctx.exercises():
        if bound not in ex.conducted_by:
            continue
        where = [h for h in ex.hosts if h in states] or (
            [loc] if (loc := ctx.geo.located_in(ex.lat, ex.lon, states)) else [])
        for host in where:
            yield Finding(party=bound, subject=ex.id, host=host,
                          detail=f"{bound} exercise {ex.name} on the territory of {host}, "
                                 f"{outside}",
                          numbers={"troops": ex.troops})


def _allies(ctx: Context, party: str) -> set[str]:
    return {s for s in ctx.snap.iso3 if s != party and ctx.snap.allied(party, s)}


@rule("draft-us-russia-2021/art5.1")
def no_deployments_abroad(ctx: Context, prov: Provision) -> Iterator[Finding]:
    reading = prov.param(ctx, "perceived_threat")
    radius = prov.param(ctx, "threat_radius_km")
    via_allies = prov.param(ctx, "via_allies")
    for party, other in pairs(ctx, prov):
        owners = {party} | (_allies(ctx, party) if via_allies else set())
        for d in ctx.deployments:
            if d.owner not in owners or d.host == d.owner or d.host == party:
                continue
            system = ctx.system(d.system)
            via = "" if d.owner == party else f" (an ally of {party}: {d.owner})"
            numbers = {"count": d.count, "unit": d.unit, "reading": reading}
            if reading == "reach":
                rng = ctx.range_km(system)
                reach = rng if rng is not None else radius
                dist = ctx.geo.distance_to(d.lat, d.lon, other)
                if dist > reach:
                    continue
                numbers |= {"distance_km": round(dist, 1), "reach_km": reach}
                how = (f"{dist:,.0f} km from {other}, within "
                       f"{'range' if rng is not None else 'the threat radius'} {reach:,.0f} km")
            else:
                how = "outside national territory (reading: every such deployment)"
            yield Finding(party=party, subject=d.id, host=d.host,
                          detail=f"{system.name} ({d.count:,.0f} {d.unit}) in {d.host}{via}: "
                                 f"{how}", numbers=numbers)


def _strike_km(ctx: Context, prov: Provision, kind: str, given: float | None) -> float:
    if given is not None:
        return given
    return prov.param(ctx, "bomber_strike_km" if kind == "aircraft" else "warship_strike_km")


@rule("draft-us-russia-2021/art5.2")
def no_bombers_or_warships(ctx: Context, prov: Provision) -> Iterator[Finding]:
    sea = prov.param(ctx, "territorial_sea_km")
    for party, other in pairs(ctx, prov):
        for p in ctx.patrols():
            if p.owner != party:
                continue
            points = ctx.patrol_points(p)
            outside = max(ctx.geo.distance_to(lat, lon, party) for lat, lon in points)
            if outside <= sea:
                continue
            if p.kind == "aircraft":
                ctx.assume("aircraft patrols are taken to be heavy-bomber flights (Art. 5(2))")
            strike = _strike_km(ctx, prov, p.kind, getattr(p, "weapon_range_km", None))
            approach = ctx.approach_km(p, other)
            if approach > strike:
                continue
            what = "heavy bomber" if p.kind == "aircraft" else "surface warship"
            yield Finding(party=party, subject=p.id, host=None,
                          detail=(f"{what} {p.units} x, {outside:,.0f} km from its own territory, "
                                  f"came within {approach:,.0f} km of {other} (weapon reach "
                                  f"{strike:,.0f} km)"),
                          numbers={"approach_km": round(approach, 1), "strike_km": strike,
                                   "outside_km": round(outside, 1), "units": p.units})
        for d in ctx.deployments:
            system = ctx.system(d.system)
            if d.owner != party or d.host == party or system.category not in ("bomber",
                                                                                "warship"):
                continue
            rng = ctx.range_km(system)
            reach = rng if rng is not None else _strike_km(
                ctx, prov, "aircraft" if system.category == "bomber" else "ship", None)
            dist = ctx.geo.distance_to(d.lat, d.lon, other)
            if dist <= reach:
                yield Finding(party=party, subject=d.id, host=d.host,
                              detail=f"{system.name} based in {d.host}, {dist:,.0f} km from "
                                     f"{other} (reach {reach:,.0f} km)",
                              numbers={"distance_km": round(dist, 1), "reach_km": reach})


@rule("draft-us-russia-2021/art6")
def no_missiles(ctx: Context, prov: Provision) -> Iterator[Finding]:
    ctx.assume("intermediate- and shorter-range = the INF bands, 500-5,500 km (the 2021 "
               "drafts give no figures)")
    for party, other in pairs(ctx, prov):
        for d in ctx.deployments:
            if d.owner != party:
                continue
            rng = missile_in_band(ctx, prov, d)
            if rng is None:
                continue
            name = ctx.system(d.system).name
            if d.host != party:
                yield Finding(party=party, subject=d.id, host=d.host,
                              detail=f"{name} ({rng:,.0f} km) deployed outside national "
                                     f"territory, in {d.host}",
                              numbers={"range_km": rng, "abroad": True})
                continue
            dist = ctx.geo.distance_to(d.lat, d.lon, other)
            if dist <= rng:
                yield Finding(party=party, subject=d.id, host=d.host,
                              detail=f"{name} ({rng:,.0f} km) at {d.site}, {dist:,.0f} km from "
                                     f"{other}: can reach its territory",
                              numbers={"range_km": rng, "distance_km": round(dist, 1),
                                       "abroad": False})


@rule("draft-us-russia-2021/art7")
def no_nuclear_abroad(ctx: Context, prov: Provision) -> Iterator[Finding]:
    reading = prov.param(ctx, "nuclear_reading")
    for party in dict.fromkeys(p for p, _ in pairs(ctx, prov)):
        for d in ctx.deployments:
            system = ctx.system(d.system)
            if d.owner == party and d.host != party and nuclear_weapons(system, d, reading):
                yield Finding(party=party, subject=d.id, host=d.host,
                              detail=f"{system.name} ({d.count:,.0f} {d.unit}) at {d.site}, "
                                     f"{d.host} (reading: {reading})",
                              numbers={"count": d.count, "unit": d.unit, "reading": reading})
