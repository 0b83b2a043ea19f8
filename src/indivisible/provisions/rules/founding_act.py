"""NATO-Russia Founding Act: NATO's pledges about new members' territory, and Russia's
reciprocal restraint in its conventional force deployments.

"New members" are the states whose current NATO membership began after the Act was signed.
The forces pledge is read per host state: the additional foreign combat forces stationed
there since 1997 are added up and compared with the 'substantial' figure, a parameter
because the text gives none. Russia's restraint (wording unconfirmed) is read with the same
figure and the same permanent/rotational rule: Russian combat forces added since 1997 abroad
in Europe (per host state), or at home within a border zone of the European NATO members
(the mirror of the new members' territory, which borders Russia).
"""

from __future__ import annotations

from collections.abc import Iterator

from indivisible.provisions.catalogue import region
from indivisible.provisions.classify import combat_forces, nuclear_weapons
from indivisible.provisions.context import Context
from indivisible.provisions.model import Finding, Provision
from indivisible.provisions.rules import rule
from indivisible.world.entities import Deployment


def new_members(ctx: Context, alliance: str, since) -> list[str]:
    """Members on the date whose current membership spell began after ``since``."""
    return sorted({m.iso3 for m in ctx.snap.memberships
                   if m.alliance == alliance and m.start > since})


@rule("founding-act-1997/substantial-forces")
def substantial_forces(ctx: Context, prov: Provision) -> Iterator[Finding]:
    alliance = prov.param(ctx, "alliance")
    since = prov.param(ctx, "signature_date")
    threshold = prov.param(ctx, "substantial_troops")
    rotational = prov.param(ctx, "rotational_counts")
    members = set(ctx.members(alliance))
    for host in new_members(ctx, alliance, since):
        counted, left_out = [], []
        for d in ctx.deployments:
            if (d.host != host or d.owner == host or d.owner not in members
                    or d.start <= since or d.unit != "troops"
                    or not combat_forces(ctx.system(d.system))):
                continue
            (counted if d.permanent or rotational else left_out).append(d)
        if left_out:
            ids = ", ".join(f"{d.id} ({d.count:,.0f})" for d in left_out)
            ctx.assume(f"rotational forces in {host} not counted as permanent stationing "
                       f"(founding-act-1997.rotational_counts=false): {ids}")
        total = sum(d.count for d in counted)
        if counted and total >= threshold:
            for d in counted:
                kind = "permanent" if d.permanent else "rotational"
                yield Finding(
                    party=d.owner, subject=d.id, host=host,
                    detail=(f"{d.count:,.0f} troops ({kind}, since {d.start}) in {host}, a "
                            f"member since after {since}; foreign combat forces added there "
                            f"total {total:,.0f} >= {threshold:,.0f} ('substantial', a parameter)"),
                    numbers={"troops": d.count, "host_total": total, "threshold": threshold,
                             "permanent": d.permanent},
                )


@rule("founding-act-1997/nuclear")
def nuclear(ctx: Context, prov: Provision) -> Iterator[Finding]:
    alliance = prov.param(ctx, "alliance")
    since = prov.param(ctx, "signature_date")
    reading = prov.param(ctx, "nuclear_reading")
    hosts = set(new_members(ctx, alliance, since))
    members = set(ctx.members(alliance))
    for d in ctx.deployments:
        system = ctx.system(d.system)
        if d.host in hosts and d.owner in members and nuclear_weapons(system, d, reading):
            yield Finding(
                party=d.owner, subject=d.id, host=d.host,
                detail=(f"{system.name} ({d.count:,.0f} {d.unit}) in {d.host}, a member since "
                        f"after {since} (reading: {reading})"),
                numbers={"count": d.count, "unit": d.unit, "reading": reading},
            )


def _russian_zone(ctx: Context, prov: Provision, d: Deployment, rus: str,
                  nato_europe: list[str], outside: set[str]) -> tuple[str, str] | None:
    """(group, where) for a Russian deployment the restraint covers, else None.

    At home (as the scenario draws Russia's territory, so Crimea follows its setting) a
    deployment counts within the border zone of a European NATO member; abroad, in any
    European state.
    """
    if d.host == rus or ctx.geo.inside(d.lat, d.lon, rus):
        zone = prov.param(ctx, "russia_border_zone_km")
        nearest, dist = ctx.geo.nearest(d.lat, d.lon, nato_europe)
        if nearest is None or dist > zone:
            return None
        if d.host != rus:
            ctx.assume(f"{d.id} (host {d.host}) stands on territory the scenario counts as "
                       f"{rus} (Crimea counted as {ctx.world.settings.crimea}): read as at home")
        return rus, f"in {rus}, {dist:,.0f} km from {nearest} (border zone {zone:,.0f} km)"
    if d.host in outside:
        return None
    return d.host, f"in {d.host}"


@rule("founding-act-1997/russia-restraint")
def russia_restraint(ctx: Context, prov: Provision) -> Iterator[Finding]:
    rus = prov.param(ctx, "russia")
    if rus not in ctx.world.state_by_iso3:
        return
    since = prov.param(ctx, "signature_date")
    threshold = prov.param(ctx, "substantial_troops")
    rotational = prov.param(ctx, "rotational_counts")
    outside = set(region(prov.param(ctx, "outside_europe")))
    nato_europe = [s for s in ctx.members(prov.param(ctx, "alliance"))
                   if s not in outside and s != rus]
    groups: dict[str, list[tuple[Deployment, str]]] = {}
    left_out: dict[str, list[Deployment]] = {}
    for d in ctx.deployments:
        if (d.owner != rus or d.start <= since or d.unit != "troops"
                or not combat_forces(ctx.system(d.system))):
            continue
        placed = _russian_zone(ctx, prov, d, rus, nato_europe, outside)
        if placed is None:
            continue
        group, where = placed
        if d.permanent or rotational:
            groups.setdefault(group, []).append((d, where))
        else:
            left_out.setdefault(group, []).append(d)
    for group, deps in left_out.items():
        ids = ", ".join(f"{d.id} ({d.count:,.0f})" for d in deps)
        ctx.assume(f"rotational forces of {rus} ({group}) not counted as permanent stationing "
                   f"(founding-act-1997.rotational_counts=false): {ids}")
    for group, items in groups.items():
        total = sum(d.count for d, _ in items)
        if total < threshold:
            continue
        for d, where in items:
            kind = "permanent" if d.permanent else "rotational"
            yield Finding(
                party=rus, subject=d.id, host=group,
                detail=(f"{d.count:,.0f} troops ({kind}, since {d.start}) {where}; Russian "
                        f"combat forces added there since {since} total {total:,.0f} >= "
                        f"{threshold:,.0f} ('substantial', the same parameter as NATO's pledge)"),
                numbers={"troops": d.count, "group_total": total, "threshold": threshold,
                         "permanent": d.permanent},
            )
