"""The shipped territory distance table equals what the geography code computes."""

from __future__ import annotations

import random

import pytest
import shapely

from indivisible.world import geo


def test_table_matches_the_natural_earth_file_in_use() -> None:
    table = geo._shipped_distances()
    codes = sorted(geo.OSCE_STATES)
    assert len(table) == len(codes) * (len(codes) - 1) // 2 + 2 * (len(codes) - 2) + 1


@pytest.mark.parametrize("crimea", ["UKR", "RUS"])
def test_sampled_pairs_equal_a_fresh_computation(crimea: str) -> None:
    table = geo._shipped_distances()
    keys = sorted(k for k in table if k[2] == crimea)
    sample = random.Random(20211215).sample(keys, 25)
    sample += [k for k in keys if set(k[:2]) in ({"RUS", "UKR"}, {"FRA", "POL"}, {"ROU", "UKR"})]
    for a, b, c in sample:
        assert table[(a, b, c)] == geo.compute_pair_km(a, b, c), (a, b, c)


def test_matrix_uses_the_table_and_the_crimea_setting() -> None:
    m_ukr = geo.territory_distance_matrix(["FRA", "POL", "RUS", "TUR", "UKR"])
    m_rus = geo.territory_distance_matrix(["FRA", "POL", "RUS", "TUR", "UKR"], crimea="RUS")
    assert m_ukr[0, 1] == pytest.approx(519.5, abs=0.1)
    # Crimea moves from Ukraine to Russia: Turkey is then nearer Russia, not nearer Ukraine.
    assert m_rus[3, 2] <= m_ukr[3, 2] and m_rus[3, 4] >= m_ukr[3, 4]


# -------------------------------------------------------------- core territories


def test_core_tables_match_the_files_and_capitals_in_use() -> None:
    gap, table = geo._shipped_core_distances()
    assert gap == geo.CORE_GAP_KM
    assert set(table) == set(geo._shipped_distances())  # the same pairs and settings
    parts = geo._shipped_parts()
    assert set(parts) == {(c, "UKR") for c in geo.OSCE_STATES} | {("RUS", "RUS"), ("UKR", "RUS")}
    for (iso3, crimea), km in parts.items():
        keys = {geo.part_key(p) for p in shapely.get_parts(geo.territory(iso3, crimea))}
        assert set(km) == keys, iso3


@pytest.mark.parametrize(("iso3", "crimea"), [
    ("FRA", "UKR"), ("NOR", "UKR"), ("ESP", "UKR"), ("PRT", "UKR"), ("GRC", "UKR"),
    ("DNK", "UKR"), ("RUS", "UKR"), ("RUS", "RUS"), ("UKR", "RUS"), ("NLD", "UKR"),
])
def test_shipped_parts_equal_a_fresh_computation(iso3: str, crimea: str) -> None:
    shipped = geo._shipped_parts()[(iso3, crimea)]
    polygons, _ = geo._polygons(iso3, crimea)
    fresh = geo.compute_part_km(iso3, crimea)
    assert [shipped[geo.part_key(p)] for p in polygons] == list(fresh)
    main = geo._parts(iso3, crimea).main
    order = [main, *(k for k in range(len(fresh)) if k != main)]
    assert [km for _, km in geo.territory_parts(iso3, crimea)] == [fresh[k] for k in order]


@pytest.mark.parametrize("crimea", ["UKR", "RUS"])
def test_sampled_core_pairs_equal_a_fresh_computation(crimea: str) -> None:
    _, table = geo._shipped_core_distances()
    keys = sorted(k for k in table if k[2] == crimea)
    sample = random.Random(20211215).sample(keys, 20)
    pairs = ({"RUS", "USA"}, {"ISL", "NOR"}, {"NLD", "USA"}, {"CAN", "NOR"}, {"RUS", "UKR"},
             {"FRA", "PRT"}, {"ESP", "MLT"})
    sample += [k for k in keys if set(k[:2]) in pairs]
    for a, b, c in sample:
        assert table[(a, b, c)] == geo.compute_core_pair_km(a, b, c, geo.CORE_GAP_KM), (a, b, c)


def test_core_matrix_uses_the_table_and_differs_only_where_cores_do() -> None:
    _, table = geo._shipped_core_distances()
    whole = geo._shipped_distances()
    assert geo.core_distance_matrix(["RUS", "USA"])[0, 1] == table[("RUS", "USA", "UKR")]
    changed = {k[:2] for k in table if table[k] != whole[k]}
    outlying = {c for c in geo.OSCE_STATES if geo.core_territory(c) is not geo.territory(c)}
    # Parts beyond 500 km: Canada's far Arctic islands, the Canaries, the French overseas
    # departments, the Caribbean Netherlands, Svalbard, Jan Mayen and Bouvet, Madeira and the
    # Azores, Franz Josef Land and the southern Kurils, Alaska and Hawaii.
    assert outlying == {"CAN", "ESP", "FRA", "NLD", "NOR", "PRT", "RUS", "USA"}
    assert changed and all(set(pair) & outlying for pair in changed)
