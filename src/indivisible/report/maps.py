"""A map of Europe coloured by the change in every state's security.

The map answers "who loses, who gains, and from where" at a glance: states filled by
their change in security on a diverging scale centred on zero, the action's sites with
their systems' ranges as geodesic circles, the actors outlined. Changes within epsilon
are grey, so "no change" is never mistaken for "a small change".

Projection: Lambert azimuthal equal-area centred on Europe (the ETRS89-LAEA family of
EPSG:3035, recentred at 17.5E so that the frame 25W-60E, 34N-72N is balanced). Areas
stay comparable, which matters when colour stands for a quantity. Participating states
mostly outside that frame (North America, Central and East Asia) are listed under the
map with their colour instead.

Colour: the scale is symmetric (limits +-max|delta|) and square-root compressed
(``signed_sqrt``), because one actor's own gain is often far larger than the losses it
causes, and a linear scale would paint every loser almost white.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from matplotlib import colormaps
from matplotlib.colors import FuncNorm, to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from pyproj import Geod, Transformer
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from indivisible.errors import InputError
from indivisible.report.labels import labels
from indivisible.report.svg import figure_svg, svg_style

NEUTRAL = "#c9c9c9"  # |delta| <= epsilon: no change worth a colour
LAND = "#f1efe9"  # land outside the OSCE area, context only
SEA = "#e6eef4"
EDGE = "#ffffff"
ACTOR_EDGE = "#111111"
SITE = "#111111"
CMAP = "RdBu"  # red: loss, blue: gain
_SPAN = 0.42  # use the colormap from 0.08 to 0.92: the extremes are too dark for labels

EXTENT = (-25.0, 60.0, 34.0, 72.0)  # lon_min, lon_max, lat_min, lat_max
LAEA = "+proj=laea +lat_0=53 +lon_0=17.5 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs"
SIMPLIFY_M = 4000.0  # about half a pixel at the rendered width (~6.5 km per pixel)
CIRCLE_POINTS = 180
LABEL_MIN_AREA_M2 = 2.0e10  # label a state with its ISO3 code if at least ~20,000 km2 show
OFF_FRAME_SHARE = 0.25  # listed under the map when under a quarter of its area is in the frame

# Neighbours drawn as context so that the sea, coasts and borders read right.
CONTEXT = ("MAR", "DZA", "TUN", "LBY", "EGY", "ISR", "PSX", "LBN", "JOR", "SYR", "IRQ", "IRN",
           "SAU", "KWT", "AFG", "PAK", "CHN", "GRL", "FRO", "ESH", "SAH")

_GEOD = Geod(ellps="WGS84")


def signed_sqrt(x: np.ndarray | float) -> np.ndarray:
    """The colour scale's forward map: monotone, odd, compresses large magnitudes."""
    a = np.asarray(x, dtype=float)
    return np.sign(a) * np.sqrt(np.abs(a))


def _signed_square(y: np.ndarray | float) -> np.ndarray:
    a = np.asarray(y, dtype=float)
    return np.sign(a) * a * a


def colour_norm(vmax: float) -> FuncNorm:
    """The norm shared by the fills and the colour bar, symmetric around zero."""
    vmax = vmax if vmax > 0 else 1.0
    return FuncNorm((signed_sqrt, _signed_square), vmin=-vmax, vmax=vmax, clip=True)


def delta_colour(delta: float, vmax: float, epsilon: float) -> str:
    """Hex fill for a change in security: grey within epsilon, red for a loss, blue for a gain."""
    if not math.isfinite(delta) or abs(delta) <= epsilon or vmax <= 0:
        return NEUTRAL
    t = float(colour_norm(vmax)(delta))  # 0..1, 0.5 at zero
    return to_hex(colormaps[CMAP](0.5 + (t - 0.5) * 2 * _SPAN))


def vmax_of(deltas: Iterable[float]) -> float:
    """Symmetric colour limit: the largest change in either direction."""
    return max((abs(d) for d in deltas if math.isfinite(d)), default=0.0)


@functools.cache
def _to_map() -> Transformer:
    return Transformer.from_crs("EPSG:4326", LAEA, always_xy=True)


def project(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = _to_map().transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x), np.asarray(y)


def _project_geom(geom: BaseGeometry) -> BaseGeometry:
    return shapely.transform(geom, lambda c: np.column_stack(project(c[:, 0], c[:, 1])))


@functools.cache
def frame() -> tuple[float, float, float, float]:
    """The projected rectangle (xmin, xmax, ymin, ymax) that holds the lon/lat extent."""
    lo0, lo1, la0, la1 = EXTENT
    t = np.linspace(0.0, 1.0, 200)
    lon = np.concatenate([lo0 + (lo1 - lo0) * t, np.full_like(t, lo1),
                          lo1 - (lo1 - lo0) * t, np.full_like(t, lo0)])
    lat = np.concatenate([np.full_like(t, la0), la0 + (la1 - la0) * t,
                          np.full_like(t, la1), la1 - (la1 - la0) * t])
    x, y = project(lon, lat)
    # Trim the corners the lon/lat box leaves empty, keep the middle of each edge.
    return float(np.percentile(x, 2)), float(np.percentile(x, 98)), float(y.min()), float(y.max())


# Wider than the frame so clipped shapes reach past its edges; excludes the antimeridian.
_CLIP = box(-60.0, 15.0, 110.0, 85.0)


@functools.cache
def _shape(iso3: str, crimea: str) -> tuple[BaseGeometry, float] | None:
    """Projected, simplified territory and the share of its area inside the frame."""
    from indivisible.world.geo import territory

    try:
        geom = territory(iso3, crimea)
    except (KeyError, LookupError, InputError):
        return None
    if geom is None or geom.is_empty:
        return None
    # A first cut at ~1 km in degrees, well under the final tolerance, so that projecting
    # the full 1:10m outlines of the largest states does not dominate the render time.
    geom = geom.simplify(0.01, preserve_topology=True)
    full = _project_geom(geom.intersection(box(-179.9, -89.0, 179.9, 89.0)))
    x0, x1, y0, y1 = frame()
    pad = 0.02 * (x1 - x0)
    clipped = _project_geom(geom.intersection(_CLIP))
    # Only what can show is kept: the frame and a margin, so borders do not end at its edge.
    clipped = clipped.intersection(box(x0 - pad, y0 - pad, x1 + pad, y1 + pad))
    shown = clipped.simplify(SIMPLIFY_M, preserve_topology=True)
    inside = full.intersection(box(x0, y0, x1, y1)).area if not full.is_empty else 0.0
    share = inside / full.area if full.area > 0 else 0.0
    return shown, share


def _polygons(geom: BaseGeometry) -> list[BaseGeometry]:
    """The polygons in any geometry (clipping can leave lines and points in a collection)."""
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    return [p for part in getattr(geom, "geoms", []) for p in _polygons(part)]


def _mpl_path(geom: BaseGeometry) -> MplPath | None:
    rings = []
    for p in _polygons(geom):
        rings.append(MplPath(np.asarray(p.exterior.coords), closed=True))
        rings.extend(MplPath(np.asarray(r.coords), closed=True) for r in p.interiors)
    return MplPath.make_compound_path(*rings) if rings else None


def _ink_on(fill: Any) -> str:
    """Dark text on light fills, white on dark ones (relative luminance below 0.4)."""
    r, g, b = to_rgb(fill)
    return "#ffffff" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.4 else "#2b2b2b"


def range_ring(lon: float, lat: float, range_km: float, n: int = CIRCLE_POINTS
               ) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat of the geodesic circle of ``range_km`` around a site (WGS84), closed."""
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = _GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, range_km * 1000.0))
    return np.append(lons, lons[0]), np.append(lats, lats[0])


def _check_sites(sites: Sequence[Mapping[str, Any]]) -> None:
    for i, s in enumerate(sites):
        for key, lo, hi in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
            v = s.get(key)
            if not isinstance(v, int | float) or not lo <= v <= hi:
                raise InputError(f"expected a number in [{lo:g}, {hi:g}], got {v!r}",
                                 field=f"sites[{i}].{key}")
        r = s.get("range_km")
        if r is not None and (not isinstance(r, int | float) or r < 0):
            raise InputError(f"expected a range in km >= 0 or null, got {r!r}",
                             field=f"sites[{i}].range_km")


def _site_label(s: Mapping[str, Any], lab: Mapping[str, str]) -> str:
    r = s.get("range_km")
    rng = f"{r:,.0f} km" if isinstance(r, int | float) else lab["range_unknown"]
    return f"{s.get('system', '?')} · {rng}"


def map_figure(
    deltas: Mapping[str, float],
    sites: Sequence[Mapping[str, Any]],
    crimea: str = "UKR",
    *,
    actors: Iterable[str] = (),
    epsilon: float = 0.0,
    lang: str = "en",
) -> Figure:
    """The map as a matplotlib figure (for SVG here, PNG or PDF elsewhere)."""
    if crimea not in ("UKR", "RUS"):
        raise InputError(f"expected UKR or RUS, got {crimea!r}", field="scenario.crimea")
    _check_sites(sites)
    lab = labels(lang)
    actors = set(actors)
    vmax = vmax_of(deltas.values())
    x0, x1, y0, y1 = frame()
    width = 10.0
    map_h = width * (y1 - y0) / (x1 - x0)

    below = 1.0  # inches under the map for the colour bar and the off-frame list
    top = map_h + below
    fig = Figure(figsize=(width, top), layout=None)
    ax = fig.add_axes((0.0, below / top, 1.0, map_h / top))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for sp in ax.spines.values():
        sp.set_visible(True)
        sp.set_color("#9aa5ae")

    for code in CONTEXT:
        if code in deltas:
            continue
        got = _shape(code, crimea)
        path = _mpl_path(got[0]) if got else None
        if path is not None:
            ax.add_patch(PathPatch(path, facecolor=LAND, edgecolor=EDGE, linewidth=0.4, zorder=1))

    off_frame: list[str] = []
    # Labels stay real text (searchable, small): a light box instead of a halo effect,
    # which matplotlib would turn into outlines.
    plate = {"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.75,
             "edgecolor": "none"}
    for iso3 in sorted(deltas):
        got = _shape(iso3, crimea)
        if got is None:
            off_frame.append(iso3)
            continue
        geom, share = got
        if share < OFF_FRAME_SHARE:
            off_frame.append(iso3)
        path = _mpl_path(geom)
        if path is None:
            continue
        patch = PathPatch(path, facecolor=delta_colour(deltas[iso3], vmax, epsilon),
                          edgecolor=EDGE, linewidth=0.5, zorder=2)
        patch.set_gid(f"state-{iso3}")
        ax.add_patch(patch)
        if iso3 in actors:
            ax.add_patch(PathPatch(path, facecolor="none", edgecolor=ACTOR_EDGE, linewidth=1.6,
                                   zorder=4))
        inside = geom.intersection(box(x0, y0, x1, y1))
        if inside.area >= LABEL_MIN_AREA_M2:
            biggest = max(_polygons(inside), key=lambda g: g.area)
            pt = biggest.representative_point()
            ax.text(pt.x, pt.y, iso3, ha="center", va="center", fontsize=6.5, zorder=5,
                    color=_ink_on(patch.get_facecolor()))

    for i, s in enumerate(sites):
        sx, sy = project(np.array([s["lon"]]), np.array([s["lat"]]))
        r = s.get("range_km")
        label = f"{_site_label(s, lab)}\n{s.get('site', '')}".strip()
        anchor: tuple[float, float] | None = None
        if isinstance(r, int | float) and r > 0:
            lon_r, lat_r = range_ring(float(s["lon"]), float(s["lat"]), float(r))
            cx, cy = project(lon_r, lat_r)
            line, = ax.plot(cx, cy, color=SITE, linewidth=1.0, linestyle=(0, (4, 2.5)), zorder=6)
            line.set_gid(f"range-{i}")
            # The label sits on the circle's north point (south for every second site, so
            # that labels of neighbouring sites part), or the other one when that point is
            # outside the frame: it names the circle and leaves the site clear.
            order = (0, CIRCLE_POINTS // 2) if i % 2 == 0 else (CIRCLE_POINTS // 2, 0)
            for k in order:
                if x0 <= cx[k] <= x1 and y0 <= cy[k] <= y1:
                    anchor = (float(cx[k]), float(cy[k]))
                    break
        marker, = ax.plot(sx, sy, marker="^", markersize=8, color=SITE,
                          markeredgecolor="white", markeredgewidth=0.8, linestyle="none", zorder=7)
        marker.set_gid(f"site-{i}")
        if anchor is not None:
            north = anchor[1] > sy[0]
            ax.annotate(label, anchor, xytext=(0, 3 if north else -3), textcoords="offset points",
                        ha="center", va="bottom" if north else "top", fontsize=7.5,
                        color="#111111", zorder=8, bbox=plate, linespacing=1.1)
        else:
            ax.annotate(label, (sx[0], sy[0]), xytext=(7, -3), textcoords="offset points",
                        fontsize=7.5, color="#111111", zorder=8, bbox=plate,
                        annotation_clip=True, va="top", linespacing=1.1)

    handles = [
        Patch(facecolor=NEUTRAL, edgecolor="#999999", linewidth=0.5, label=lab["neutral"]),
        Patch(facecolor="none", edgecolor=ACTOR_EDGE, linewidth=1.6, label=lab["actor_outline"]),
    ]
    if sites:
        handles += [
            Line2D([], [], marker="^", color=SITE, linestyle="none", markeredgecolor="white",
                   markersize=8, label=lab["site"]),
            Line2D([], [], color=SITE, linewidth=1.0, linestyle=(0, (4, 2.5)), label=lab["range"]),
        ]
    ax.legend(handles=handles, loc="lower left", fontsize=7.5, frameon=True, framealpha=0.9,
              edgecolor="#cccccc")

    _colour_bar(fig, vmax, epsilon, lab, top)
    _off_frame_strip(fig, off_frame, deltas, vmax, epsilon, lab, top)
    return fig


def _colour_bar(fig: Figure, vmax: float, epsilon: float, lab: Mapping[str, str],
                top: float) -> None:
    from matplotlib.cm import ScalarMappable

    cax = fig.add_axes((0.06, 0.56 / top, 0.42, 0.16 / top))
    sm = ScalarMappable(norm=colour_norm(vmax), cmap=_truncated_cmap())
    cb = fig.colorbar(sm, cax=cax, orientation="horizontal")
    v = vmax if vmax > 0 else 1.0
    ticks = [-v, -v / 4, -v / 16, 0.0, v / 16, v / 4, v]
    cb.set_ticks(ticks)
    cb.set_ticklabels([f"{t:+.2g}" if t else "0" for t in ticks])
    cb.ax.tick_params(labelsize=7, length=2)
    if 0 < epsilon < v:
        cb.ax.axvspan(-epsilon, epsilon, color=NEUTRAL, zorder=3)
    cb.set_label(f"{lab['colourbar']} ({lab['sqrt_scale']})", fontsize=8)
    cb.outline.set_linewidth(0.4)


@functools.cache
def _truncated_cmap() -> Any:
    from matplotlib.colors import ListedColormap

    base = colormaps[CMAP]
    return ListedColormap(base(np.linspace(0.5 - _SPAN, 0.5 + _SPAN, 256)), name="report")


def _off_frame_strip(fig: Figure, codes: Sequence[str], deltas: Mapping[str, float], vmax: float,
                     epsilon: float, lab: Mapping[str, str], top: float) -> None:
    if not codes:
        return
    ax = fig.add_axes((0.54, 0.05 / top, 0.45, 0.85 / top))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.text(0.0, 0.97, lab["off_frame"], fontsize=7.5, va="top", color="#333333")
    per_row = 6
    for k, code in enumerate(codes):
        row, col = divmod(k, per_row)
        x, y = col / per_row, 0.62 - row * 0.3
        r = Rectangle((x, y), 0.04, 0.2, facecolor=delta_colour(deltas[code], vmax, epsilon),
                      edgecolor="#999999", linewidth=0.5)
        r.set_gid(f"state-{code}-swatch")
        ax.add_patch(r)
        ax.text(x + 0.055, y + 0.1, code, fontsize=7, va="center", color="#333333")


def map_svg(
    deltas: Mapping[str, float],
    sites: Sequence[Mapping[str, Any]],
    crimea: str = "UKR",
    *,
    actors: Iterable[str] = (),
    epsilon: float = 0.0,
    lang: str = "en",
) -> str:
    """The map as an inline ``<svg>`` element; each state's fill carries id ``state-ISO3``."""
    with svg_style("indivisible-map"):
        fig = map_figure(deltas, sites, crimea, actors=actors, epsilon=epsilon, lang=lang)
        return figure_svg(fig)
