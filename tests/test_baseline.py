"""The shipped baseline against published facts.

Each assertion is a fact from a cited source (accession dates, published strengths, declared
exercise sizes) or an invariant the data must keep (no state both neutral and allied, no
overlapping spells, sites near their host), so a wrong or mistyped entry fails here.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import math
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from indivisible.world.loader import COLLECTIONS, load_baseline
from indivisible.world.scenario import World

ROOT = Path(__file__).resolve().parents[1]
FORMER_USSR = set("ARM AZE BLR EST GEO KAZ KGZ LTU LVA MDA RUS TJK TKM UKR UZB".split())
EFP_2017 = {"EST", "LVA", "LTU", "POL"}
EFP_2022_NEW = {"BGR", "HUN", "ROU", "SVK"}


@pytest.fixture(scope="module")
def world() -> World:
    return load_baseline()


def _efp(world: World, on: str) -> list:
    return [d for d in world.at(on).deployments if d.id.startswith("efp-")]


# -- states and capabilities ----------------------------------------------------------------


def test_57_osce_states_with_unique_codes(world: World) -> None:
    codes = [s.iso3 for s in world.states]
    assert len(codes) == 57
    assert len(set(codes)) == 57
    assert all(s.osce for s in world.states)


def test_former_ussr_and_nuclear_weapon_states(world: World) -> None:
    assert {s.iso3 for s in world.states if s.former_ussr} == FORMER_USSR
    assert {s.iso3 for s in world.states if s.nuclear_weapon_state} == {"FRA", "GBR", "RUS", "USA"}


def test_every_entry_is_sourced(world: World) -> None:
    for collection in COLLECTIONS:
        for entry in getattr(world, collection):
            assert len(entry.source.strip()) >= 20, (collection, entry)
    for system in world.systems:
        for claim in system.range_claims:
            assert len(claim.source.strip()) >= 20, (system.id, claim.claimant)


def test_capabilities_2021_with_missing_left_missing(world: World) -> None:
    caps = {c.iso3: c for c in world.capabilities if c.year == 2021}
    assert set(caps) == {s.iso3 for s in world.states}
    assert {c.year for c in caps.values()} == {2021}
    no_milex = {k for k, c in caps.items() if c.milex_usd_m is None}
    assert no_milex == {"AND", "VAT", "LIE", "MCO", "SMR", "TKM", "UZB"}
    assert caps["ISL"].milex_usd_m == 0  # SIPRI lists zero: a figure, not a gap
    assert caps["USA"].milex_usd_m == pytest.approx(806230.2)
    assert caps["RUS"].milex_usd_m == pytest.approx(65907.7)
    # WDI 2020 series (includes paramilitary), kept for Russia too rather than IISS's 900,000.
    assert caps["RUS"].personnel == 1454000
    assert "paramilitary" in caps["FRA"].source and "2020" in caps["FRA"].source
    assert "900,000" in caps["RUS"].source and "196,000" in caps["UKR"].source


def test_warheads_sipri_yearbook_2022(world: World) -> None:
    caps = {c.iso3: c for c in world.capabilities if c.year == 2021}
    total = {k: c.warheads for k, c in caps.items() if c.warheads}
    deployed = {k: c.warheads_deployed for k, c in caps.items() if c.warheads_deployed}
    assert total == {"USA": 5428, "RUS": 5977, "GBR": 225, "FRA": 290}
    assert deployed == {"USA": 1744, "RUS": 1588, "GBR": 120, "FRA": 280}


# -- alliances and neutrality ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "count"),
    [
        ("1949-04-04", 12),
        ("1997-05-27", 16),  # the Founding Act date: the 16 members named in the 2021 draft
        ("1999-03-12", 19),
        ("2004-03-28", 19),
        ("2004-03-29", 26),
        ("2009-04-01", 28),
        ("2017-06-05", 29),
        ("2020-03-27", 30),
        ("2023-04-03", 30),
        ("2023-04-04", 31),
        ("2024-03-06", 31),
        ("2024-03-07", 32),
    ],
)
def test_nato_size_by_date(world: World, date: str, count: int) -> None:
    assert len(world.at(date).members("NATO")) == count


def test_nato_1997_members_are_the_sixteen(world: World) -> None:
    assert set(world.at("1997-05-27").members("NATO")) == set(
        "BEL CAN DNK FRA DEU GRC ISL ITA LUX NLD NOR PRT ESP TUR GBR USA".split()
    )


def test_csto_spells(world: World) -> None:
    assert "UZB" in world.at("2010-01-01").members("CSTO")
    assert "UZB" not in world.at("2013-01-01").members("CSTO")
    assert "UZB" not in world.at("2003-01-01").members("CSTO")
    for iso3 in ("AZE", "GEO"):
        assert iso3 in world.at("1998-01-01").members("CSTO")
        assert iso3 not in world.at("1999-04-02").members("CSTO")
    late = world.at("2024-06-01")
    assert "ARM" in late.members("CSTO")
    arm = [m for m in late.memberships if m.iso3 == "ARM" and m.alliance == "CSTO"]
    assert "frozen" in arm[0].status
    assert all(world.alliance_by_id[a].collective_defence for a in ("NATO", "CSTO"))


def test_rivalry_is_a_dated_modelling_assumption(world: World) -> None:
    assert world.at("2021-12-15").rival_alliances("NATO", "CSTO")
    assert not world.at("2014-03-31").rival_alliances("NATO", "CSTO")
    assert all("Modelling assumption" in r.source for r in world.rivalries)


def test_ukraine_non_bloc_spell(world: World) -> None:
    assert world.at("2012-01-01").neutral("UKR") is not None
    assert world.at("2010-06-30").neutral("UKR") is None
    assert world.at("2014-12-22").neutral("UKR") is not None
    assert world.at("2015-01-01").neutral("UKR") is None


@pytest.mark.parametrize(("iso3", "joined"), [("FIN", "2023-04-04"), ("SWE", "2024-03-07")])
def test_nordic_non_alignment_ends_on_accession(world: World, iso3: str, joined: str) -> None:
    before = world.at(dt.date.fromisoformat(joined) - dt.timedelta(days=1))
    after = world.at(joined)
    assert iso3 not in before.members("NATO")
    assert before.neutral(iso3) is not None and "non-alignment" in before.neutral(iso3).kind
    assert iso3 in after.members("NATO")
    assert after.neutral(iso3) is None
    assert world.at("2022-01-01").neutral(iso3) is not None


def test_no_state_neutral_and_in_a_defence_alliance(world: World) -> None:
    dates = [dt.date(y, 1, 1) for y in range(1990, 2026)]
    dates += [s.start for s in world.neutrality] + [m.start for m in world.memberships]
    for day in dates:
        snap = world.at(day)
        for state in snap.iso3:
            if snap.neutral(state) is not None:
                assert not snap.alliances_of(state), (day, state)


def test_neutral_states_listed_in_reference(world: World) -> None:
    neutral_2021 = {s for s in world.at("2021-12-15").iso3 if world.at("2021-12-15").neutral(s)}
    assert neutral_2021 == set("AUT CHE IRL MLT LIE SMR VAT MDA TKM SRB MNG FIN SWE".split())


# -- systems ----------------------------------------------------------------------------------


def test_9m729_keeps_both_named_ranges(world: World) -> None:
    s = world.system_by_id["9m729"]
    assert s.range_km is None
    assert {c.claimant: c.range_km for c in s.range_claims} == {
        "us-assessment": 2500,
        "russia-claim": 480,
    }
    assert s.default_claim == "russia-claim"  # the fielding state's declaration (one rule)
    assert "convention" in s.source
    # INF Treaty Art. II: shorter range 500-1,000 km, intermediate 1,000-5,500 km.
    assert 500 <= s.range_for("us-assessment") <= 5500
    assert s.range_for("russia-claim") < 500


def test_catalogue_covers_reference_rows(world: World) -> None:
    ids = set(world.system_by_id)
    assert {
        "iskander-m", "iskander-k", "9m729", "kalibr", "kinzhal", "avangard", "zircon",
        "oreshnik", "rs-24-yars", "tomahawk", "sm-3-ib", "sm-3-iia", "sm-6", "pershing-2",
        "ss-20", "dark-eagle", "prsm", "atacms", "gmlrs", "typhon", "b61", "storm-shadow",
        "taurus-kepd-350", "ground-forces", "dual-capable-aircraft",
    } == ids
    unknown_range = {s.id for s in world.systems if s.range_km is None and not s.range_claims}
    assert unknown_range == {"sm-3-ib", "sm-3-iia", "b61", "ground-forces", "dual-capable-aircraft"}
    # The INF systems eliminated by 1991 sit in the intermediate band.
    for sid in ("pershing-2", "ss-20"):
        assert 1000 < world.system_by_id[sid].range_km <= 5500
    assert {s.id for s in world.systems if s.role == "defensive"} == {"sm-3-ib", "sm-3-iia"}


# -- deployments ----------------------------------------------------------------------------


def test_b61_hosts_in_december_2021(world: World) -> None:
    b61 = [d for d in world.at("2021-12-15").deployments if d.system == "b61"]
    assert {d.host for d in b61} == {"BEL", "DEU", "ITA", "NLD", "TUR"}
    assert len(b61) == 6
    assert sum(d.count for d in b61) == 100  # FAS 2021: about 100 in Europe
    founding = set(world.at("1997-05-27").members("NATO"))
    assert {d.host for d in b61} <= founding


def test_efp_four_then_eight_battlegroups(world: World) -> None:
    dec_2021 = _efp(world, "2021-12-15")
    assert {d.host for d in dec_2021} == EFP_2017
    july_2022 = _efp(world, "2022-07-01")
    assert {d.host for d in july_2022} == EFP_2017 | EFP_2022_NEW
    # NATO press office, 28 Jun 2022: 9,641 troops in the eight battlegroups.
    assert sum(d.count for d in july_2022) == 9641
    assert not _efp(world, "2017-08-27")
    assert all(not d.permanent for d in july_2022)


def test_missile_defence_and_missile_dates(world: World) -> None:
    def active(day: str) -> set[str]:
        return {d.id for d in world.at(day).deployments}

    assert "aegis-ashore-deveselu" in active("2021-12-15")
    assert "aegis-ashore-deveselu" not in active("2016-05-11")
    assert "aegis-ashore-redzikowo" not in active("2021-12-15")
    assert "aegis-ashore-redzikowo" in active("2024-07-10")
    assert "iskander-m-kaliningrad" in active("2021-12-15")
    assert "iskander-m-kaliningrad" not in active("2018-02-04")
    assert "rus-nsnw-belarus" not in active("2023-06-15")
    assert "rus-nsnw-belarus" in active("2023-06-16")


def test_russian_build_up_near_ukraine(world: World) -> None:
    def build_up(day: str) -> list:
        return [d for d in world.at(day).deployments if d.id.startswith("rus-forces-near-ukraine")]

    assert [d.count for d in build_up("2021-12-15")] == [70000]
    assert [d.count for d in build_up("2022-02-01")] == [100000]
    assert 169000 <= build_up("2022-02-20")[0].count <= 190000
    assert build_up("2022-02-24") == []
    assert build_up("2021-11-08") == []


def test_spells_of_one_site_do_not_overlap(world: World) -> None:
    groups: dict[tuple, list] = defaultdict(list)
    for d in world.deployments:
        groups[(d.owner, d.host, d.site, d.system)].append(d)
    for spells in groups.values():
        spells.sort(key=lambda d: d.start)
        for prev, nxt in zip(spells, spells[1:], strict=False):
            assert prev.end is not None and prev.end <= nxt.start, (prev.id, nxt.id)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def test_sites_lie_near_their_host(world: World) -> None:
    """Catches swapped or mistyped coordinates: every site is within 1,300 km of its host's
    capital (the farthest, Chernyakhovsk, is about 1,100 km from Moscow)."""
    for d in world.deployments:
        host = world.state_by_iso3[d.host]
        assert _km(d.lat, d.lon, host.capital_lat, host.capital_lon) < 1300, d.id


# -- exercises --------------------------------------------------------------------------------


def test_exercise_declared_below_observation_threshold(world: World) -> None:
    ex = {e.id: e for e in world.exercises}
    zapad = ex["zapad-2021"]
    assert zapad.notified_troops < 13000 < zapad.reported_troops
    assert zapad.troops == zapad.reported_troops
    assert world.at("2021-09-10").exercises and not world.at("2021-09-17").exercises
    assert ex["zapad-2017"].notified_troops == 12700
    assert ex["kavkaz-2016"].notified_troops < 13000 < ex["kavkaz-2016"].reported_troops


@pytest.mark.parametrize(
    ("exercise", "partners"),
    [("trident-juncture-2018", {"FIN", "SWE"}), ("steadfast-defender-2024", {"SWE"})],
)
def test_nato_exercises_list_the_allies_of_the_day(
    world: World, exercise: str, partners: set[str]
) -> None:
    ex = next(e for e in world.exercises if e.id == exercise)
    allies = set(world.at(ex.start).members("NATO"))
    assert set(ex.conducted_by) == allies | partners


# -- loading and the command line -----------------------------------------------------------


def test_cli_world_json_lists_57_states() -> None:
    from indivisible.cli import app

    result = CliRunner().invoke(app, ["world", "--at", "2021-12-15", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["states"]) == 57
    assert len(data["alliances"]["NATO"]) == 30
    fin = next(s for s in data["states"] if s["iso3"] == "FIN")
    assert fin["neutral"] == "military non-alignment"


def test_generated_files_match_reference_csvs() -> None:
    """Where the reference CSVs are present, the generated baseline files are up to date."""
    script = ROOT / "scripts" / "build_baseline.py"
    spec = importlib.util.spec_from_file_location("build_baseline", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not (module.DEFAULT_REFERENCE / "osce_states.csv").exists():
        pytest.skip("reference CSVs not available here")
    assert module.main(["--check"]) == 0
