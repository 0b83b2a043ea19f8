"""Minsk: heavy weapons withdrawn from the contact line, by type and calibre.

Distances are measured on the ellipsoid from each position to the line its side measures
from (the contact line, or the side's own line when an activities file gives one). Each
side pulls back its share of the zone width (equal distances, point 2), and the Addendum's
lighter weapons 15 km, each stage from its own deadline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from indivisible.provisions.activities import WeaponPosition
from indivisible.provisions.context import Context
from indivisible.provisions.geography import distance_to_line_km
from indivisible.provisions.model import Finding, Provision
from indivisible.provisions.rules import rule


def _norm(name: str | None) -> str:
    return re.sub(r"[\s\-_]", "", (name or "").lower())


def point2_zone(ctx: Context, prov: Provision, pos: WeaponPosition) -> tuple[float, str] | None:
    """The zone width that applies to a position under point 2, or None when it does not."""
    heavy = {_norm(m) for m in prov.param(ctx, "heavy_models")}
    min_cal = prov.param(ctx, "artillery_min_calibre_mm")
    if pos.type == "tactical-missile":
        return prov.param(ctx, "heavy_zone_km"), "tactical missile system"
    if pos.type == "mlrs":
        if _norm(pos.model) in heavy:
            return prov.param(ctx, "heavy_zone_km"), f"MLRS {pos.model}"
        return prov.param(ctx, "mlrs_zone_km"), f"MLRS {pos.model or ''}".strip()
    if pos.type == "artillery" and pos.calibre_mm is not None and pos.calibre_mm >= min_cal:
        return prov.param(ctx, "artillery_zone_km"), f"artillery {pos.calibre_mm:g} mm"
    if pos.type == "mortar" and pos.calibre_mm is not None:
        mortar_max = prov.param(ctx, "mortar_max_calibre_mm")
        if pos.calibre_mm > mortar_max and pos.calibre_mm >= min_cal:
            return prov.param(ctx, "artillery_zone_km"), f"mortar {pos.calibre_mm:g} mm"
    return None


def _host(ctx: Context, prov: Provision, pos: WeaponPosition) -> str | None:
    candidates = [s for s in prov.param(ctx, "host_states") if s in ctx.world.state_by_iso3]
    return ctx.geo.located_in(pos.lat, pos.lon, candidates)


def _measured(ctx: Context, prov: Provision) -> Iterator[tuple[WeaponPosition, float]]:
    for pos in ctx.positions():
        line = ctx.activities.line_for(pos.side)
        if line is None:
            ctx.skip(prov.id, pos.id, f"no line to measure from for side {pos.side!r}")
            continue
        yield pos, distance_to_line_km(pos.lat, pos.lon, line)


@rule("minsk-2015/heavy-weapons")
def heavy_weapons(ctx: Context, prov: Provision) -> Iterator[Finding]:
    share = prov.param(ctx, "pullback_share")
    for pos, dist in _measured(ctx, prov):
        if pos.type in ("artillery", "mortar") and pos.calibre_mm is None:
            ctx.skip(prov.id, pos.id, f"{pos.type} without a calibre")
            continue
        zone = point2_zone(ctx, prov, pos)
        if zone is None:
            continue
        width, what = zone
        required = share * width
        if dist < required:
            yield Finding(
                party=pos.side, subject=pos.id, host=_host(ctx, prov, pos),
                detail=(f"{pos.count} x {what} at {dist:,.1f} km from the line; at least "
                        f"{required:,.1f} km required ({share:g} of the {width:,.0f} km zone)"),
                numbers={"distance_km": round(dist, 2), "required_km": required,
                         "zone_km": width, "count": pos.count},
            )


@rule("minsk-2015/addendum")
def addendum(ctx: Context, prov: Provision) -> Iterator[Finding]:
    limit = prov.param(ctx, "addendum_km")
    min_cal = prov.param(ctx, "artillery_min_calibre_mm")
    mortar_max = prov.param(ctx, "mortar_max_calibre_mm")
    for pos, dist in _measured(ctx, prov):
        if pos.type == "tank":
            due, what = prov.param(ctx, "addendum_tanks_by"), "tank"
        elif pos.type in ("artillery", "mortar"):
            if pos.calibre_mm is None:
                ctx.skip(prov.id, pos.id, f"{pos.type} without a calibre")
                continue
            light = (pos.calibre_mm < min_cal if pos.type == "artillery"
                     else pos.calibre_mm <= mortar_max)
            if not light:
                continue
            due, what = prov.param(ctx, "addendum_others_by"), f"{pos.type} {pos.calibre_mm:g} mm"
        else:
            continue
        if ctx.date < due or dist >= limit:
            continue
        yield Finding(
            party=pos.side, subject=pos.id, host=_host(ctx, prov, pos),
            detail=(f"{pos.count} x {what} at {dist:,.1f} km from the line; at least "
                    f"{limit:,.0f} km required from {due}"),
            numbers={"distance_km": round(dist, 2), "required_km": limit, "count": pos.count,
                     "due": due.isoformat()},
        )
