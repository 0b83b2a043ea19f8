"""INF Treaty: the parties may not have missile classes in the banned range bands, nor their
launchers.

The obligation is about possession (Art. I: eliminate, never have again), so the check asks
what each party *holds* on the date (provisions.holdings), not only what it has deployed.
Each side's allegation against the other is a contested figure: the range of a class with
named range claims, or what a launcher can fire under a named launcher claim. The check
evaluates every claim unless one is pinned, and reports which side's reading a finding needs.
"""

from __future__ import annotations

from collections.abc import Iterator

from indivisible.provisions.classify import ground_missile, in_band
from indivisible.provisions.context import Context
from indivisible.provisions.model import Finding, Provision
from indivisible.provisions.rules import rule


def _banned(ctx: Context, prov: Provision, low: float, high: float, low_open: bool,
            label: str) -> Iterator[Finding]:
    glide = prov.param(ctx, "glide_as_missile")
    for party in prov.param(ctx, "parties"):
        if party not in ctx.world.state_by_iso3:
            continue
        for held in ctx.held(party):
            system = held.system
            if not ground_missile(system, glide):
                continue
            rng = ctx.range_km(system)
            if rng is None:
                ctx.skip(prov.id, system.id, "range not known")
                continue
            if not in_band(rng, low, high, low_open=low_open):
                continue
            if held.basis == "undated":
                ctx.assume(f"{system.id} counted as held by {party} on every date: it is the "
                           "owner's class and no service dates are known (holdings.yaml)")
            band = f"{'>' if low_open else '>='} {low:,.0f} and <= {high:,.0f} km"
            yield Finding(
                party=party, subject=system.id, host=None,
                detail=(f"holds {system.name}: range {rng:,.0f} km, {label} ({band}); "
                        f"held by {held.basis}: {held.evidence}"),
                numbers={"range_km": rng, "band_km": [low, high], "basis": held.basis},
            )


@rule("inf-1987/shorter-range")
def shorter_range(ctx: Context, prov: Provision) -> Iterator[Finding]:
    low, high = prov.param(ctx, "shorter_min_km"), prov.param(ctx, "shorter_max_km")
    yield from _banned(ctx, prov, low, high, False, "shorter-range")


@rule("inf-1987/intermediate-range")
def intermediate_range(ctx: Context, prov: Provision) -> Iterator[Finding]:
    low, high = prov.param(ctx, "shorter_max_km"), prov.param(ctx, "intermediate_max_km")
    yield from _banned(ctx, prov, low, high, True, "intermediate-range")


@rule("inf-1987/launchers")
def launchers(ctx: Context, prov: Provision) -> Iterator[Finding]:
    low, high = prov.param(ctx, "shorter_min_km"), prov.param(ctx, "intermediate_max_km")
    shorter_max = prov.param(ctx, "shorter_max_km")
    for party in prov.param(ctx, "parties"):
        if party not in ctx.world.state_by_iso3:
            continue
        for d in ctx.deployments:
            if d.owner != party or d.unit == "ships":
                continue
            system = ctx.system(d.system)
            for claim_id, missile_id in ctx.launched_by(system):
                if missile_id is None:
                    continue
                missile = ctx.world.system_by_id.get(missile_id)
                if missile is None:
                    ctx.skip(prov.id, d.id, f"{claim_id}: missile {missile_id!r} is not in the "
                             "world")
                    continue
                rng = ctx.range_km(missile)
                if rng is None:
                    ctx.skip(prov.id, d.id, f"{claim_id}: range of {missile.id} not known")
                    continue
                if not in_band(rng, low, high):
                    continue
                band = "intermediate-range" if rng > shorter_max else "shorter-range"
                yield Finding(
                    party=party, subject=d.id, host=d.host,
                    detail=(f"{system.name} launchers at {d.site} ({d.host}): under "
                            f"{claim_id} they can launch {missile.name} ({rng:,.0f} km, "
                            f"{band}) from the ground"),
                    numbers={"range_km": rng, "band_km": [low, high], "claim": claim_id,
                             "missile": missile.id, "count": d.count, "unit": d.unit},
                )
