"""The shipped territory distance table equals what the geography code computes."""

from __future__ import annotations

import random

import pytest

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
