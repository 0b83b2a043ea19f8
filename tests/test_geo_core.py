"""Core territories: the part of a state around its capital, without far outlying parts."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from indivisible.errors import InputError
from indivisible.world import geo

GEOD = Geod(ellps="WGS84")

# Points well inside the Natural Earth polygons (checked against the whole territory too).
CAYENNE = (4.9, -52.3)  # French Guiana
CORTE = (42.306, 9.150)  # Corsica
KALININGRAD = (54.71, 20.51)
LAS_PALMAS = (28.12, -15.43)  # Gran Canaria
PALMA = (39.57, 2.65)  # Majorca
SPITSBERGEN = (78.6, 16.0)  # Svalbard
BJORNOYA = (74.45, 19.05)  # Bear Island, Svalbard's southern outlier
BOUVET = (-54.42, 3.36)
FAIRBANKS = (64.84, -147.72)  # Alaska
HONOLULU = (21.31, -157.86)  # Hawaii
FUNCHAL = (32.65, -16.91)  # Madeira
AZORES = (37.78, -25.5)  # Sao Miguel
BELFAST = (54.6, -5.93)
RONNE = (55.1, 14.7)  # Bornholm
VISBY = (57.64, 18.3)  # Gotland
HERAKLION = (35.34, 25.13)  # Crete
PALERMO = (38.12, 13.36)  # Sicily
CAGLIARI = (39.22, 9.12)  # Sardinia
KRALENDIJK = (12.15, -68.27)  # Bonaire, Caribbean Netherlands


def _vertices(geom: shapely.Geometry) -> np.ndarray:
    return shapely.get_coordinates(shapely.boundary(geom))


def _brute_min_km(a: np.ndarray, b: np.ndarray) -> float:
    """Minimum geodesic distance between every vertex of a and of b, the slow way."""
    lo1, la1 = np.repeat(a[:, 0], len(b)), np.repeat(a[:, 1], len(b))
    lo2, la2 = np.tile(b[:, 0], len(a)), np.tile(b[:, 1], len(a))
    return float(np.min(GEOD.inv(lo1, la1, lo2, la2)[2])) / 1000.0


@pytest.mark.parametrize(
    ("iso3", "point", "in_core"),
    [
        ("FRA", CAYENNE, False), ("FRA", CORTE, True),
        ("RUS", KALININGRAD, True),
        ("ESP", LAS_PALMAS, False), ("ESP", PALMA, True),
        ("NOR", SPITSBERGEN, False), ("NOR", BOUVET, False), ("NOR", BJORNOYA, True),
        ("USA", FAIRBANKS, False), ("USA", HONOLULU, False),
        ("PRT", FUNCHAL, False), ("PRT", AZORES, False),
        ("GBR", BELFAST, True), ("DNK", RONNE, True), ("SWE", VISBY, True),
        ("GRC", HERAKLION, True), ("ITA", PALERMO, True), ("ITA", CAGLIARI, True),
        ("NLD", KRALENDIJK, False),
    ],
)
def test_what_the_default_core_keeps_and_leaves_out(iso3, point, in_core) -> None:  # noqa: ANN001
    assert geo.point_in_territory(*point, iso3)  # every point is in the whole territory
    assert geo.point_in_core(*point, iso3) is in_core
    km = geo.point_to_core_km(*point, iso3)
    # Outlying points are hundreds of km off the core (Spitsbergen 450 km from Bear Island).
    assert km == 0.0 if in_core else km > 400.0


def test_the_gap_decides_kaliningrad_svalbard_and_alaska() -> None:
    # Kaliningrad is 364 km from the Russian mainland, Spitsbergen 669 km from mainland
    # Norway, Alaska 820 km from the contiguous United States (across British Columbia).
    assert not geo.point_in_core(*KALININGRAD, "RUS", gap_km=300)
    assert geo.point_in_core(*SPITSBERGEN, "NOR", gap_km=800)
    assert not geo.point_in_core(*FAIRBANKS, "USA", gap_km=800)
    assert geo.point_in_core(*FAIRBANKS, "USA", gap_km=1000)
    parts = geo.territory_parts("RUS")
    km_kaliningrad = next(km for p, km in parts if p.covers(shapely.Point(KALININGRAD[::-1])))
    assert 355.0 < km_kaliningrad < 375.0
    alaska = next(km for p, km in geo.territory_parts("USA")
                  if p.covers(shapely.Point(FAIRBANKS[::-1])))
    assert 800.0 < alaska < 840.0


def test_parts_partition_the_territory_and_the_core_is_inside_it() -> None:
    for iso3 in ("FRA", "NOR", "USA", "GRC", "DEU"):
        terr = geo.territory(iso3)
        parts = geo.territory_parts(iso3)
        assert parts[0][1] == 0.0 and parts[0][0].covers(shapely.Point(geo.capital_points()[
            iso3][::-1]))
        assert sum(p.area for p, _ in parts) == pytest.approx(terr.area, rel=1e-12)
        assert all(km >= 0.0 for _, km in parts)
        for gap in (0.0, 300.0, 500.0):
            core = geo.core_territory(iso3, gap_km=gap)
            assert shapely.covered_by(core, terr)
            kept = sum(p.area for p, km in parts if km <= gap)
            assert core.area == pytest.approx(kept, rel=1e-12)
    # A state with one part has that part as its core at any gap.
    assert geo.core_territory("AUT", gap_km=0) is geo.territory("AUT")


def test_usa_russia_cores_are_thousands_of_km_apart() -> None:
    whole = geo.territory_distance_matrix(["USA", "RUS"])[0, 1]
    core = geo.core_distance_matrix(["USA", "RUS"])[0, 1]
    assert whole < 10.0  # Alaska and Chukotka across the Bering Strait
    # Cape Flattery (Washington) to the Chukotka coast: about 3,204 km.
    assert 3150.0 < core < 3250.0
    for crimea in ("UKR", "RUS"):
        assert geo.core_distance_matrix(["RUS", "USA"], crimea=crimea)[0, 1] == core


def test_core_distance_is_exact_over_the_facing_vertices() -> None:
    got = float(geo.core_distance_matrix(["USA", "RUS"])[0, 1])
    usa = _vertices(geo.core_territory("USA"))
    rus = _vertices(geo.core_territory("RUS"))
    usa = usa[(usa[:, 0] < -122.0) & (usa[:, 1] > 46.0)]  # the coast of Washington
    rus = rus[(rus[:, 0] < -168.0) & (rus[:, 1] > 64.0)]  # Chukotka's eastern tip
    brute = _brute_min_km(usa, rus)
    assert got <= brute + 1e-9 and brute - got < 2.3


def test_neighbours_touch_the_matrix_is_symmetric_and_cores_are_never_nearer() -> None:
    codes = sorted(geo.OSCE_STATES)
    k = {c: i for i, c in enumerate(codes)}
    for crimea in ("UKR", "RUS"):
        core = geo.core_distance_matrix(codes, crimea=crimea)
        whole = geo.territory_distance_matrix(codes, crimea=crimea)
        assert np.array_equal(core, core.T) and np.all(np.diag(core) == 0.0)
        assert np.all(core >= whole)  # a core is part of the territory
        for a, b in [("RUS", "UKR"), ("FRA", "DEU"), ("POL", "BLR"), ("POL", "RUS"),
                     ("LTU", "RUS"), ("USA", "CAN")]:
            assert core[k[a], k[b]] == 0.0, (a, b)
    # Iceland and Norway: 542 km to Jan Mayen, 972 km to the mainland.
    assert whole[k["ISL"], k["NOR"]] < 550.0 < 950.0 < core[k["ISL"], k["NOR"]]


def test_without_kaliningrad_russia_no_longer_borders_poland_or_lithuania() -> None:
    m = geo.core_distance_matrix(["RUS", "POL", "LTU", "BLR"], gap_km=300)
    assert m[0, 1] > 300.0 and m[0, 2] > 100.0 and m[0, 3] == 0.0


def test_a_gap_of_half_the_equator_gives_the_whole_territories() -> None:
    codes = sorted(geo.OSCE_STATES)
    for crimea in ("UKR", "RUS"):
        got = geo.core_distance_matrix(codes, crimea=crimea, gap_km=20000)
        assert np.array_equal(got, geo.territory_distance_matrix(codes, crimea=crimea))
    for iso3 in ("USA", "FRA", "NOR", "RUS"):
        assert geo.core_territory(iso3, gap_km=20000) is geo.territory(iso3)
        assert geo.point_to_core_km(*CAYENNE, iso3, gap_km=20000) == geo.point_to_territory_km(
            *CAYENNE, iso3)


def test_crimea_follows_the_setting_in_the_cores() -> None:
    simferopol = (44.95, 34.10)
    assert geo.point_in_core(*simferopol, "UKR")
    assert not geo.point_in_core(*simferopol, "RUS")
    assert geo.point_in_core(*simferopol, "RUS", crimea="RUS")  # across the Kerch Strait
    assert not geo.point_in_core(*simferopol, "UKR", crimea="RUS")


def test_point_to_core_km() -> None:
    # A point in Alaska is in the US territory but far from its core.
    assert geo.point_to_territory_km(*FAIRBANKS, "USA") == 0.0
    assert 1500.0 < geo.point_to_core_km(*FAIRBANKS, "USA") < 2500.0
    # Where the core is the whole territory, it is the territory distance.
    assert geo.point_to_core_km(*PALMA, "DEU") == geo.point_to_territory_km(*PALMA, "DEU")
    # Never nearer than the territory.
    for iso3 in ("FRA", "ESP", "NOR", "USA", "RUS"):
        assert geo.point_to_core_km(*CAYENNE, iso3) >= geo.point_to_territory_km(*CAYENNE, iso3)


@pytest.mark.parametrize("gap", [-1.0, float("nan"), float("inf"), "far"])
def test_bad_gaps_and_states_are_refused(gap) -> None:  # noqa: ANN001
    with pytest.raises(InputError, match="core_gap_km|distance"):
        geo.core_distance_matrix(["FRA", "DEU"], gap_km=gap)
    with pytest.raises(InputError):
        geo.core_territory("ZZZ")
    with pytest.raises(InputError):
        geo.core_distance_matrix(["FRA", "DEU"], crimea="none")
