"""NATO-Russia Founding Act: what NATO said it would not station on new members' territory.

"New members" are the states whose current NATO membership began after the Act was signed.
The forces pledge is read per host state: the additional foreign combat forces stationed
there since 1997 are added up and compared with the 'substantial' figure, a parameter
because the text gives none.
"""

from __future__ import annotations

from collections.abc import Iterator

from indivisible.provisions.classify import combat_forces, nuclear_weapons
from indivisible.provisions.context import Context
from indivisible.provisions.model import Finding, Provision
from indivisible.provisions.rules import rule


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
