"""INF Treaty: the parties may not have missile classes in the banned range bands.

The obligation is about possession (Art. I: eliminate, never have again), so the check asks
what each party *holds* on the date (provisions.holdings), not only what it has deployed. A
class whose range is contested is judged at the claim chosen (``--claim``), and the report
names it.
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
                detail=(f"holds {system.name}: {label} range {rng:,.0f} km ({band}); "
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
