"""Russia's draft agreement with the NATO member states (2021): what each article would require.

The Parties are Russia and the NATO members on the date checked; Art. 4 binds only Russia
and the sixteen states that were members on 27 May 1997, as the text says. Collective
obligations of the Alliance (no enlargement) are attributed to the alliance as a party.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from indivisible.provisions.activities import ECHELONS
from indivisible.provisions.catalogue import region
from indivisible.provisions.classify import exercise_troops
from indivisible.provisions.context import Context, extra
from indivisible.provisions.model import Finding, Provision
from indivisible.provisions.rules import rule
from indivisible.provisions.rules.common import missile_in_band
from indivisible.world.entities import Deployment


def _nato(ctx: Context, prov: Provision) -> list[str]:
    return list(ctx.members(prov.param(ctx, "alliance")))


def _russia(ctx: Context, prov: Provision) -> str | None:
    rus = prov.param(ctx, "russia")
    return rus if rus in ctx.world.state_by_iso3 else None


@rule("draft-nato-russia-2021/art4")
def posture_1997(ctx: Context, prov: Provision) -> Iterator[Finding]:
    alliance = prov.param(ctx, "alliance")
    since = prov.param(ctx, "baseline_date")
    members_1997 = set(ctx.members(alliance, since))
    rus = _russia(ctx, prov)
    bound = members_1997 | ({rus} if rus else set())
    outside = set(region(prov.param(ctx, "outside_europe")))
    european = {s for s in ctx.snap.iso3 if s not in outside}
    if prov.param(ctx, "art4_hosts") == "later-members-and-others":
        hosts = european - members_1997
        ctx.assume("Art. 4 hosts: European states that were not NATO members on 27 May 1997 "
                   "(draft-nato-russia-2021.art4_hosts)")
    else:
        hosts = european

    def groups(deps: tuple[Deployment, ...]) -> dict[tuple[str, str, str, str], list[Deployment]]:
        out: dict[tuple[str, str, str, str], list[Deployment]] = defaultdict(list)
        for d in deps:
            if d.owner in bound and d.host in hosts and d.host != d.owner:
                out[(d.owner, d.host, d.system, d.unit)].append(d)
        return out

    now = groups(ctx.deployments)
    then = groups(ctx.world.at(since).deployments)
    for key, deps in sorted(now.items()):
        level = sum(d.count for d in deps)
        before = sum(d.count for d in then.get(key, []))
        if level <= before:
            continue
        owner, host, system_id, unit = key
        name = ctx.system(system_id).name
        added = [d for d in deps if d.start > since] or deps
        for d in added:
            yield Finding(
                party=owner, subject=d.id, host=host,
                detail=(f"{name} in {host}: {level:,.0f} {unit} on {ctx.date} against "
                        f"{before:,.0f} on {since} ({d.id}: {d.count:,.0f} since {d.start})"),
                numbers={"level": level, "level_1997": before, "unit": unit, "count": d.count},
            )


@rule("draft-nato-russia-2021/art5")
def missiles_in_reach(ctx: Context, prov: Provision) -> Iterator[Finding]:
    ctx.assume("intermediate- and shorter-range = the INF bands, 500-5,500 km (the 2021 "
               "drafts give no figures)")
    nato = _nato(ctx, prov)
    rus = _russia(ctx, prov)
    parties = nato + ([rus] if rus else [])
    literal = prov.param(ctx, "reach_targets") == "all-parties"
    for d in ctx.deployments:
        if d.owner not in parties:
            continue
        rng = missile_in_band(ctx, prov, d)
        if rng is None:
            continue
        if literal:
            targets = [p for p in parties if p != d.owner]
        else:
            targets = nato if d.owner == rus else ([rus] if rus else [])
        reached = sorted(t for t in targets if ctx.geo.reaches(d.lat, d.lon, rng, t))
        if reached:
            yield Finding(
                party=d.owner, subject=d.id, host=d.host,
                detail=(f"{ctx.system(d.system).name} ({rng:,.0f} km) at {d.site} can reach "
                        f"{', '.join(reached)}"),
                numbers={"range_km": rng, "reached": reached},
            )


@rule("draft-nato-russia-2021/art6")
def no_enlargement(ctx: Context, prov: Provision) -> Iterator[Finding]:
    alliance = prov.param(ctx, "alliance")
    since = prov.param(ctx, "reference_date")
    for m in ctx.snap.memberships:
        if m.alliance == alliance and m.start > since:
            yield Finding(party=alliance, subject=f"membership:{alliance}:{m.iso3}", host=m.iso3,
                          detail=f"{m.iso3} joined {alliance} on {m.start}, after {since}",
                          numbers={"joined": m.start.isoformat()})


@rule("draft-nato-russia-2021/art7.1")
def no_activity_in_regions(ctx: Context, prov: Provision) -> Iterator[Finding]:
    nato = _nato(ctx, prov)
    rus = _russia(ctx, prov)
    states = {s for name in prov.param(ctx, "art7_regions") for s in region(name)}
    if not prov.param(ctx, "art7_include_parties"):
        states -= set(nato) | {rus}
        ctx.assume("Art. 7(1) regions exclude the Parties' own territory "
                   "(draft-nato-russia-2021.art7_include_parties=false)")
    states &= set(ctx.snap.iso3)
    ordered = sorted(states)
    for d in ctx.deployments:
        if d.owner in nato and d.host in states and d.host != d.owner:
            yield Finding(party=d.owner, subject=d.id, host=d.host,
                          detail=f"{ctx.system(d.system).name} ({d.count:,.0f} {d.unit}) "
                                 f"deployed in {d.host}",
                          numbers={"count": d.count, "unit": d.unit})
    for ex in ctx.exercises():
        where = [h for h in ex.hosts if h in states] or (
            [loc] if (loc := ctx.geo.located_in(ex.lat, ex.lon, ordered)) else [])
        for party in ex.conducted_by:
            if party not in nato:
                continue
            for host in where:
                if host == party:
                    continue
                yield Finding(party=party, subject=ex.id, host=host,
                              detail=f"exercise {ex.name} on the territory of {host}",
                              numbers={"troops": ex.troops})


def _above_brigade(ctx: Context, prov: Provision, ex) -> tuple[bool | None, str]:
    echelon = extra(ex, "echelon")
    if echelon is not None:
        above = ECHELONS.index(echelon) > ECHELONS.index("brigade")
        return above, f"echelon {echelon}"
    troops = exercise_troops(ex)
    if troops is None:
        return None, "size unknown"
    limit = prov.param(ctx, "brigade_troops")
    ctx.assume(f"'above brigade level' = more than {limit:,.0f} troops where no echelon is "
               "given (draft-nato-russia-2021.brigade_troops)")
    return troops > limit, f"{troops:,.0f} troops (brigade taken as {limit:,.0f})"


@rule("draft-nato-russia-2021/art7.2")
def no_large_exercises_near_border(ctx: Context, prov: Provision) -> Iterator[Finding]:
    nato = _nato(ctx, prov)
    rus = _russia(ctx, prov)
    if rus is None:
        return
    russia_side = sorted({rus} | set(ctx.members(prov.param(ctx, "russia_allies"))))
    zone = prov.param(ctx, "border_zone_km")
    use_radius = prov.param(ctx, "use_exercise_radius")
    for ex in ctx.exercises():
        parties = [p for p in ex.conducted_by if p == rus or p in nato]
        if not parties:
            continue
        above, size = _above_brigade(ctx, prov, ex)
        if above is None:
            ctx.skip(prov.id, ex.id, "neither echelon nor troops recorded")
            continue
        if not above:
            continue
        for party in parties:
            other = nato if party == rus else russia_side
            nearest, dist = ctx.geo.nearest(ex.lat, ex.lon, [s for s in other if s != party])
            if nearest is None:
                continue
            edge = max(0.0, dist - ex.radius_km) if use_radius else dist
            if edge > zone:
                continue
            yield Finding(
                party=party, subject=ex.id, host=ex.hosts[0] if len(ex.hosts) == 1 else None,
                detail=(f"{ex.name}: above brigade level ({size}); its area comes within "
                        f"{edge:,.0f} km of {nearest} (zone {zone:,.0f} km, a parameter)"),
                numbers={"distance_km": round(edge, 1), "centre_distance_km": round(dist, 1),
                         "zone_km": zone, "troops": exercise_troops(ex), "nearest": nearest},
            )
