"""The geographic tests the provisions need, on the scenario's borders, with caching.

Provisions ask yes/no questions ("can a missile at this site reach that state?", "is this
exercise within 250 km of the other side?") many times for the same points, so answers are
cached per check. Territories follow the scenario's Crimea setting (indivisible.world.geo).

"Can reach" is read as: some part of the territory lies within range, i.e. the geodesic
distance from the site to the territory is at most the range. That is the same test as a
coverage share above zero, without the sampling grid that could miss a thin strip.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import shapely
from pyproj import Geod, Proj
from shapely.geometry import LineString, Point

from indivisible.world import geo

_GEOD = Geod(ellps="WGS84")
#: Lines are densified to geodesic steps of at most this many km before measuring.
LINE_STEP_KM = 2.0


class Geography:
    """Cached territory tests for one Crimea setting."""

    def __init__(self, crimea: str = "UKR") -> None:
        self.crimea = crimea
        self._inside: dict[tuple[float, float, str], bool] = {}
        self._dist: dict[tuple[float, float, str], float] = {}

    def inside(self, lat: float, lon: float, iso3: str) -> bool:
        key = (round(lat, 6), round(lon, 6), iso3)
        if key not in self._inside:
            self._inside[key] = geo.point_in_territory(lat, lon, iso3, self.crimea)
        return self._inside[key]

    def distance_to(self, lat: float, lon: float, iso3: str) -> float:
        """Geodesic km from the point to the territory (0 inside)."""
        key = (round(lat, 6), round(lon, 6), iso3)
        if key not in self._dist:
            self._dist[key] = geo.point_to_territory_km(lat, lon, iso3, self.crimea)
        return self._dist[key]

    def reaches(self, lat: float, lon: float, range_km: float, iso3: str) -> bool:
        return self.distance_to(lat, lon, iso3) <= range_km

    def nearest(self, lat: float, lon: float, states: Sequence[str]) -> tuple[str | None, float]:
        """The closest of ``states`` to the point and its distance (inf when none)."""
        best: tuple[str | None, float] = (None, math.inf)
        for iso3 in states:
            d = self.distance_to(lat, lon, iso3)
            if d < best[1]:
                best = (iso3, d)
        return best

    def located_in(self, lat: float, lon: float, states: Sequence[str]) -> str | None:
        """The first of ``states`` whose territory holds the point."""
        for iso3 in states:
            if self.inside(lat, lon, iso3):
                return iso3
        return None

    def coverage(self, lat: float, lon: float, range_km: float, iso3: str) -> float:
        """Share of the territory's area within range (for the numbers of a finding)."""
        return geo.coverage_share(lat, lon, range_km, iso3, self.crimea)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(_GEOD.inv(lon1, lat1, lon2, lat2)[2]) / 1000.0


@lru_cache(maxsize=64)
def _dense(line: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
    out: list[tuple[float, float]] = [line[0]]
    for (lon1, lat1), (lon2, lat2) in zip(line, line[1:], strict=False):
        seg = distance_km(lat1, lon1, lat2, lon2)
        n = int(seg // LINE_STEP_KM)
        if n > 0:
            out.extend((float(x), float(y)) for x, y in _GEOD.npts(lon1, lat1, lon2, lat2, n))
        out.append((lon2, lat2))
    return tuple(out)


def distance_to_line_km(lat: float, lon: float, line: tuple[tuple[float, float], ...]) -> float:
    """Geodesic km from a point to a line of [lon, lat] vertices.

    The line is densified along geodesics (steps of at most 2 km) and projected on an
    azimuthal equidistant plane centred on the point, where distances from the centre are
    exact; the residual error is that of a 2 km chord, well under 100 m at these scales.
    """
    dense = _dense(tuple(line))
    proj = Proj(proj="aeqd", lat_0=lat, lon_0=lon, ellps="WGS84", units="m")
    xs, ys = proj([p[0] for p in dense], [p[1] for p in dense])
    geom = LineString(list(zip(xs, ys, strict=True))) if len(dense) > 1 else Point(xs[0], ys[0])
    return float(shapely.distance(geom, Point(0.0, 0.0))) / 1000.0
