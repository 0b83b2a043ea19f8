"""Helpers shared by the rules of several agreements."""

from __future__ import annotations

from collections.abc import Iterator

from indivisible.provisions.classify import ground_missile, in_band
from indivisible.provisions.context import Context
from indivisible.provisions.model import Provision
from indivisible.world.entities import Deployment


def pairs(ctx: Context, prov: Provision) -> Iterator[tuple[str, str]]:
    """(party, other party) for both directions, for the parties present in the world."""
    parties = [p for p in prov.param(ctx, "parties") if p in ctx.world.state_by_iso3]
    for p in parties:
        for q in parties:
            if p != q:
                yield p, q


def missile_in_band(ctx: Context, prov: Provision, d: Deployment) -> float | None:
    """The range of a deployment's system if it is a ground-launched missile in the band."""
    system = ctx.system(d.system)
    if not ground_missile(system, prov.param(ctx, "glide_as_missile")):
        return None
    rng = ctx.range_km(system)
    if rng is None:
        ctx.skip(prov.id, d.id, f"range of {system.id} not known")
        return None
    low, high = prov.param(ctx, "missile_min_km"), prov.param(ctx, "missile_max_km")
    return rng if in_band(rng, low, high) else None
