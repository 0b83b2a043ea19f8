"""The dated capability records (1990-2024) against their sources and published figures.

The figures come from the extracts in ``scripts/data/`` (SIPRI, WDI, FAS); the 2021 records
come unchanged from the reference CSV. Each assertion is a published number, a cross-check
between two sources, or the record rule of ``scripts/build_baseline.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from indivisible.world.entities import CapabilityRecord
from indivisible.world.loader import load_baseline
from indivisible.world.scenario import World

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "scripts" / "data"
REFERENCE_CSV = ROOT.parent / "shared" / "reference" / "data" / "capabilities.csv"
YEARS = range(1990, 2025)
NUCLEAR = {"FRA", "GBR", "RUS", "USA"}

#: States SIPRI gives no figure for, in the years the tests sample (the gaps are SIPRI's).
NO_MILEX = {
    1995: {"AND", "BIH", "GEO", "LIE", "MCO", "MKD", "MNE", "SMR", "SRB", "VAT"},
    2005: {"AND", "LIE", "MCO", "SMR", "TJK", "TKM", "UZB", "VAT"},
    2015: {"AND", "LIE", "MCO", "SMR", "TKM", "UZB", "VAT"},
}
#: States WDI gives no armed-forces figure for in those years.
NO_PERSONNEL = {
    1995: {"AND", "LIE", "MCO", "MNE", "SMR", "VAT"},
    2005: {"AND", "ISL", "LIE", "MCO", "MNE", "SMR", "VAT"},
    2015: {"AND", "LIE", "MCO", "SMR", "VAT"},
}
#: 2021 milex that SIPRI's 1949-2024 edition revised from the 1949-2022 edition the 2021
#: records keep (US$ m: 2023 edition, 2025 edition). Reported, not silently changed.
REVISED_2021 = {
    "BLR": (762.8, 951.2), "CHE": (6214.0, 5485.2), "FIN": (3752.4, 3831.6),
    "FRA": (56647.0, 58734.6), "GBR": (67500.7, 65148.6), "HRV": (1361.2, 1360.3),
    "HUN": (3060.1, 2409.6), "ITA": (36249.3, 36232.7), "KGZ": (133.3, 262.7),
    "MDA": (52.3, 51.3), "MNG": (108.3, 97.2), "NLD": (13941.6, 14395.7),
    "POL": (15112.5, 15295.5), "PRT": (3896.6, 3882.5), "ROU": (5300.0, 5300.5),
    "SRB": (1270.8, 1813.0), "TJK": (81.7, 90.0), "TUR": (15567.4, 15254.8),
    "UKR": (5942.8, 6898.1),
}


@pytest.fixture(scope="module")
def world() -> World:
    return load_baseline()


@pytest.fixture(scope="module")
def records(world: World) -> dict[tuple[str, int], CapabilityRecord]:
    return {(c.iso3, c.year): c for c in world.capabilities}


def _extract(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _reference() -> dict[str, dict[str, str]]:
    with REFERENCE_CSV.open(encoding="utf-8") as fh:
        return {r["iso3"]: r for r in csv.DictReader(fh)}


def _num(text: str) -> float | None:
    text = text.split("(")[0].replace(",", "").strip()
    return float(text) if text else None


def test_one_record_per_state_and_year(world: World, records: dict) -> None:
    states = {s.iso3 for s in world.states}
    assert len(world.capabilities) == len(records) == 57 * len(YEARS)
    assert set(records) == {(s, y) for s in states for y in YEARS}


@pytest.mark.parametrize("year", sorted(NO_MILEX))
def test_sampled_years_have_figures_except_the_sources_gaps(records: dict, year: int) -> None:
    rows = {iso3: rec for (iso3, y), rec in records.items() if y == year}
    assert len(rows) == 57
    assert {k for k, r in rows.items() if r.milex_usd_m is None} == NO_MILEX[year]
    assert {k for k, r in rows.items() if r.personnel is None} == NO_PERSONNEL[year]
    assert {k for k, r in rows.items() if r.warheads} == NUCLEAR


def test_2021_records_equal_the_reference_csv(records: dict) -> None:
    for iso3, row in _reference().items():
        rec = records[(iso3, 2021)]
        assert rec.milex_usd_m == _num(row["milex_2021_usd_current_millions"]), iso3
        assert rec.personnel == _num(row["armed_forces_personnel_wdi_2020"]), iso3
        assert rec.warheads == _num(row["nuclear_warheads_total_inventory_jan2022"]), iso3
        assert rec.warheads_deployed == _num(row["nuclear_warheads_deployed_jan2022"]), iso3
        assert "capabilities.csv" in rec.source


def test_sipri_2025_edition_revisions_of_2021_are_the_listed_ones() -> None:
    ref = _reference()
    revised = {}
    for row in _extract("sipri_milex.csv"):
        new, old = _num(row["2021"]), _num(ref[row["iso3"]]["milex_2021_usd_current_millions"])
        assert (new is None) == (old is None), row["iso3"]
        if new is not None and old is not None and abs(new - old) > 0.05:
            revised[row["iso3"]] = (old, new)
    assert revised == REVISED_2021


def test_wdi_extract_2020_equals_the_reference_csv() -> None:
    ref = _reference()
    rows = _extract("wdi_personnel.csv")
    assert {r["iso3"] for r in rows} == set(ref)
    for row in rows:
        assert _num(row["2020"]) == _num(ref[row["iso3"]]["armed_forces_personnel_wdi_2020"])


def test_fas_early_2022_inventory_confirms_the_2021_warheads(records: dict) -> None:
    # FAS's inventory for early 2022 is a second source for the SIPRI Yearbook 2022 figures.
    for row in _extract("fas_warheads.csv"):
        if row["series"] == "inventory" and row["fas_year"] == "2022":
            rec = records[(row["iso3"], 2021)]
            assert rec.warheads == float(row["total"])
            deployed = float(row["deployed_strategic"]) + float(row["deployed_nonstrategic"])
            assert rec.warheads_deployed == deployed


def test_russia_spent_far_less_in_2000_than_in_2021(records: dict) -> None:
    # SIPRI, current US$ m: Russia 9,228.2 in 2000 (2025 edition) and 65,907.7 in 2021.
    assert records[("RUS", 2000)].milex_usd_m == pytest.approx(9228.2)
    assert records[("RUS", 2021)].milex_usd_m == pytest.approx(65907.7)
    assert records[("RUS", 2000)].milex_usd_m < 0.15 * records[("RUS", 2021)].milex_usd_m
    # SIPRI's Russia series starts in 1993; the USSR is another state: missing, not copied.
    assert [records[("RUS", y)].milex_usd_m for y in (1990, 1991, 1992)] == [None] * 3
    assert records[("RUS", 1993)].milex_usd_m == pytest.approx(7766.7)


def test_published_totals_for_other_years(records: dict) -> None:
    # SIPRI current US$ m: US 1999 298,094.9; Germany 1999 30,548.0; Ukraine 2022 41,183.9.
    assert records[("USA", 1999)].milex_usd_m == pytest.approx(298094.9)
    assert records[("DEU", 1999)].milex_usd_m == pytest.approx(30548.0)
    assert records[("UKR", 2022)].milex_usd_m == pytest.approx(41183.9)
    assert records[("ISL", 2005)].milex_usd_m == 0  # Iceland: SIPRI lists zero
    # WDI MS.MIL.TOTL.P1: Russia 1,900,000 in 1992, Ukraine 298,000 in 2020.
    assert records[("RUS", 1992)].personnel == 1_900_000
    assert records[("UKR", 2020)].personnel == 298_000


def test_us_and_russian_arsenals_shrank_after_the_cold_war(records: dict) -> None:
    # FAS stockpile 1995: US 10,904, Russia 18,179; FAS total inventory early 2023: 5,244, 5,889.
    assert records[("USA", 1995)].warheads == 10904
    assert records[("RUS", 1995)].warheads == 18179
    assert records[("USA", 2022)].warheads == 5244
    assert records[("RUS", 2022)].warheads == 5889
    for iso3 in ("USA", "RUS"):
        assert records[(iso3, 1995)].warheads > records[(iso3, 2022)].warheads
    # SIPRI Yearbook 2021 (January 2021), the reference CSV's other column.
    assert records[("USA", 2020)].warheads == 5550
    assert records[("RUS", 2020)].warheads == 6255


def test_soviet_weapons_stay_in_the_soviet_russian_count(records: dict) -> None:
    for iso3 in ("BLR", "KAZ", "UKR"):
        rec = records[(iso3, 1993)]
        assert rec.warheads == 0
        assert "Soviet/Russian count" in rec.source
    assert "Soviet Union" in records[("RUS", 1990)].source


def test_carried_figures_are_said_and_only_after_the_source_ends(records: dict) -> None:
    for (iso3, year), rec in records.items():
        carried = "carried forward" in rec.source
        if 2022 <= year and rec.personnel is not None:
            assert carried and rec.personnel == records[(iso3, 2020)].personnel
            assert rec.confidence != "confirmed"
        if year <= 2020:
            assert not carried, (iso3, year)
    assert records[("FRA", 2024)].warheads == records[("FRA", 2022)].warheads == 290


def test_every_record_names_its_sources(records: dict) -> None:
    for (iso3, year), rec in records.items():
        for part in ("milex_usd_m", "personnel", "warheads"):
            assert part in rec.source, (iso3, year, part)
        if year == 2021:
            continue  # the reference CSV's own wording and row confidence
        assert "scripts/data/" in rec.source
        if rec.milex_usd_m is None or rec.personnel is None:
            assert rec.confidence == "unconfirmed"
    for path in sorted(DATA.glob("*.csv")):
        head = path.read_text(encoding="utf-8").splitlines()[0]
        assert head.startswith("# ") and len(head) > 40, path.name


def test_a_1999_snapshot_uses_1999_figures(world: World) -> None:
    snap = world.at("1999-03-11")
    assert {snap.capability(c).year for c in snap.iso3} == {1999}
    assert snap.capability("DEU").milex_usd_m == pytest.approx(30548.0)
    assert snap.capability("USA").warheads == 10685  # FAS stockpile 1999
    assert world.at("2004-06-01").capability("POL").milex_usd_m == pytest.approx(4778.6)
