"""Forces stationed abroad by Russia, Türkiye and Greece in the shipped baseline.

The baseline must apply the same rules to every state, so the foreign deployments of both sides
are recorded. Each assertion is a published figure or date (declared strengths, handover and
withdrawal dates), a convention the data file states (midpoints of ranges, one spell after
another), or an invariant of the geography (every site on or next to its host's territory), so a
mistyped, misplaced or dropped entry fails here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest

from indivisible.provisions.check import check
from indivisible.world import geo
from indivisible.world.entities import Deployment, ScenarioSettings
from indivisible.world.loader import load_baseline
from indivisible.world.scenario import World

D2021 = dt.date(2021, 12, 15)

#: The entries of the section "Forces stationed abroad by Russia, Türkiye and Greece".
NEW_IDS = frozenset({
    "rus-102nd-base-gyumri",
    "rus-ogrf-transnistria-1995", "rus-ogrf-transnistria-2006",
    "rus-forces-georgia-1993", "rus-62nd-base-akhalkalaki", "rus-12th-base-batumi",
    "rus-pkf-abkhazia-1994", "rus-pkf-abkhazia-2007", "rus-jpkf-south-ossetia",
    "rus-7th-base-gudauta", "rus-4th-base-tskhinvali",
    "rus-201st-division-tajikistan", "rus-201st-base-tajikistan-2004",
    "rus-201st-base-tajikistan-2014",
    "rus-kant-air-base",
    "rus-peacekeepers-karabakh", "rus-gabala-radar",
    "rus-baranovichi-radar", "rus-vileyka-communications", "rus-union-resolve-belarus-2022",
    "rus-bsf-sevastopol-1997", "rus-forces-crimea-2014", "rus-forces-crimea-2019",
    "tur-forces-cyprus", "grc-eldyk-cyprus",
})  # fmt: skip

#: Spells that continue one another: each ends on the day the next begins.
SERIES = (
    ("rus-ogrf-transnistria-1995", "rus-ogrf-transnistria-2006"),
    ("rus-201st-division-tajikistan", "rus-201st-base-tajikistan-2004",
     "rus-201st-base-tajikistan-2014"),
    ("rus-pkf-abkhazia-1994", "rus-pkf-abkhazia-2007"),
    ("rus-bsf-sevastopol-1997", "rus-forces-crimea-2014", "rus-forces-crimea-2019"),
    ("rus-forces-georgia-1993", "rus-62nd-base-akhalkalaki"),
    ("rus-forces-georgia-1993", "rus-12th-base-batumi"),
)

SEVASTOPOL = (44.60795, 33.52134)


@pytest.fixture(scope="module")
def world() -> World:
    return load_baseline()


@pytest.fixture(scope="module")
def new(world: World) -> dict[str, Deployment]:
    return {d.id: d for d in world.deployments if d.id in NEW_IDS}


def _abroad(world: World, on: dt.date | str, owner: str) -> dict[str, float]:
    """Troops (or other units) of ``owner`` stationed outside its territory, by host."""
    out: dict[str, float] = defaultdict(float)
    for d in world.at(on).deployments:
        if d.owner == owner and d.host != owner:
            out[d.host] += d.count
    return dict(out)


# -- the record ------------------------------------------------------------------------------


def test_every_new_entry_is_loaded_once(world: World, new: dict[str, Deployment]) -> None:
    assert set(new) == NEW_IDS
    ids = [d.id for d in world.deployments]
    assert len(ids) == len(set(ids))
    # Every foreign deployment of these three owners is in the section (plus the 2023 Russian
    # nuclear weapons in Belarus recorded earlier in the file), so none is dropped silently.
    foreign = {d.id for d in world.deployments
               if d.owner in {"RUS", "TUR", "GRC"} and d.host != d.owner}
    assert foreign == NEW_IDS | {"rus-nsnw-belarus"}


def test_russian_forces_abroad_in_december_2021(world: World) -> None:
    abroad = _abroad(world, D2021, "RUS")
    assert set(abroad) == {"ARM", "AZE", "BLR", "GEO", "KGZ", "MDA", "TJK", "UKR"}
    assert all(n > 0 for n in abroad.values())
    # Published figures: 1,960 peacekeepers (Russian MoD), up to 7,000 at the 201st base (TASS).
    assert abroad["AZE"] == 1960
    assert abroad["TJK"] == 7000
    # Georgia: the 7th (Gudauta) and 4th (Tskhinvali) bases, nothing left of the pre-2008 ones.
    in_georgia = {d.id for d in world.at(D2021).deployments if d.owner == "RUS" and d.host == "GEO"}
    assert in_georgia == {"rus-7th-base-gudauta", "rus-4th-base-tskhinvali"}


def test_turkish_and_greek_forces_in_cyprus(world: World) -> None:
    assert _abroad(world, D2021, "TUR").get("CYP", 0) == 35000  # midpoint of 30,000-40,000
    assert _abroad(world, D2021, "GRC") == {"CYP": 950}  # Treaty of Alliance (1960)
    # Both predate the baseline period: present from its first day, by the stated convention.
    assert _abroad(world, "1990-01-01", "TUR").get("CYP") == 35000
    assert _abroad(world, "1989-12-31", "TUR") == {}


def test_every_new_entry_is_sourced_and_graded(new: dict[str, Deployment]) -> None:
    for d in new.values():
        assert len(d.source.strip()) >= 80, d.id
        assert "GeoNames" in d.source, d.id  # the point is named, as the file's convention asks
        assert d.confidence in {"confirmed", "approximate", "unconfirmed"}
        assert d.count_note and d.count > 0, d.id
        assert d.system == "ground-forces" and d.unit == "troops", d.id
    # Only the declared peacekeeping strength for Karabakh is an official figure.
    assert {d.id for d in new.values() if d.confidence == "confirmed"} == {
        "rus-peacekeepers-karabakh"}
    # Figures nobody publishes stay marked unconfirmed.
    assert new["rus-baranovichi-radar"].confidence == "unconfirmed"
    assert new["rus-vileyka-communications"].confidence == "unconfirmed"


def test_ranges_use_their_midpoint(new: dict[str, Deployment]) -> None:
    checked = 0
    for d in new.values():
        note = d.count_note or ""
        if "midpoint" not in note:
            continue
        low, high = (float(x.replace(",", ""))
                     for x in re.search(r"(\d[\d,]*)-(\d[\d,]*)", note).groups())
        assert d.count == (low + high) / 2, d.id
        checked += 1
    assert checked == 6


def test_split_figures_add_up_to_the_source(new: dict[str, Deployment]) -> None:
    # About 3,000 at Akhalkalaki and Batumi (Reuters, May 2005); up to 1,450 at the two
    # Russian sites in Belarus (2023): each split equally by the file's convention.
    assert new["rus-62nd-base-akhalkalaki"].count + new["rus-12th-base-batumi"].count == 3000
    assert new["rus-baranovichi-radar"].count + new["rus-vileyka-communications"].count == 1450


# -- dates -----------------------------------------------------------------------------------


def test_spells_do_not_overlap_at_one_place(new: dict[str, Deployment]) -> None:
    groups: dict[tuple, list[Deployment]] = defaultdict(list)
    for d in new.values():
        groups[(d.owner, d.host, d.lat, d.lon)].append(d)
    assert len(groups) < len(new)  # several places hold more than one spell
    for spells in groups.values():
        spells.sort(key=lambda d: d.start)
        for prev, nxt in zip(spells, spells[1:], strict=False):
            assert prev.end is not None and prev.end <= nxt.start, (prev.id, nxt.id)


def test_series_follow_one_another(new: dict[str, Deployment]) -> None:
    for series in SERIES:
        for prev, nxt in zip(series, series[1:], strict=False):
            assert new[prev].end == new[nxt].start, (prev, nxt)
    assert all(new[s[-1]].end is None for s in SERIES[:2])


def test_karabakh_peacekeepers_2020_to_june_2024(world: World, new: dict[str, Deployment]) -> None:
    pk = new["rus-peacekeepers-karabakh"]
    assert (pk.start, pk.end) == (dt.date(2020, 11, 10), dt.date(2024, 6, 12))

    def present(day: str) -> bool:
        return pk.id in {d.id for d in world.at(day).deployments}

    assert not present("2020-11-09") and present("2020-11-10")
    assert present("2024-06-11") and not present("2024-06-12")


def test_georgia_withdrawals_follow_istanbul_and_2008(world: World) -> None:
    def ids(day: str) -> set[str]:
        return {d.id for d in world.at(day).deployments if d.owner == "RUS" and d.host == "GEO"}

    # Vaziani handed over on 29 Jun 2001; Akhalkalaki on 27 Jun 2007; Batumi on 13 Nov 2007.
    assert "rus-forces-georgia-1993" in ids("2001-06-28")
    assert ids("2001-06-29") >= {"rus-62nd-base-akhalkalaki", "rus-12th-base-batumi"}
    assert "rus-62nd-base-akhalkalaki" not in ids("2007-06-27")
    assert ids("2007-11-13") == {"rus-pkf-abkhazia-1994", "rus-jpkf-south-ossetia"}
    # From 2008 until the war only peacekeepers; the bases from 1 Feb 2009.
    assert ids("2008-08-07") == {"rus-pkf-abkhazia-2007", "rus-jpkf-south-ossetia"}
    assert ids("2009-02-01") == {"rus-7th-base-gudauta", "rus-4th-base-tskhinvali"}


def test_crimea_before_and_after_2014(world: World, new: dict[str, Deployment]) -> None:
    fleet = new["rus-bsf-sevastopol-1997"]
    assert fleet.start == dt.date(1997, 5, 28)  # the Black Sea Fleet agreements
    assert fleet.count <= 25000  # the agreements' personnel ceiling
    assert _abroad(world, "2014-02-27", "RUS")["UKR"] == fleet.count
    assert _abroad(world, "2014-02-28", "RUS")["UKR"] == 16000
    assert _abroad(world, D2021, "RUS")["UKR"] == 31500
    for d in ("rus-forces-crimea-2014", "rus-forces-crimea-2019", "rus-bsf-sevastopol-1997"):
        assert "crimea=RUS" in (new[d].count_note or ""), d


def test_gabala_lease_and_union_resolve(world: World) -> None:
    assert "AZE" not in _abroad(world, "2002-01-24", "RUS")
    assert _abroad(world, "2012-12-09", "RUS")["AZE"] == 900
    assert "AZE" not in _abroad(world, "2012-12-10", "RUS")
    belarus = _abroad(world, "2022-02-10", "RUS")["BLR"]
    assert belarus == 30000 + 1450  # NATO's figure plus the two long-standing sites
    assert _abroad(world, "2022-02-24", "RUS")["BLR"] == 1450


# -- geography -------------------------------------------------------------------------------


def test_every_site_is_on_or_next_to_its_host(new: dict[str, Deployment]) -> None:
    for d in new.values():
        assert geo.point_to_territory_km(d.lat, d.lon, d.host) <= 50.0, d.id
    # All but the coastal Batumi point lie inside their host's Natural Earth polygon.
    outside = {d.id for d in new.values() if not geo.point_in_territory(d.lat, d.lon, d.host)}
    assert outside <= {"rus-12th-base-batumi"}


def test_sevastopol_follows_the_crimea_setting() -> None:
    lat, lon = SEVASTOPOL
    assert geo.point_to_territory_km(lat, lon, "UKR") == 0.0
    assert geo.point_to_territory_km(lat, lon, "RUS", crimea="RUS") == 0.0
    assert geo.point_to_territory_km(lat, lon, "UKR", crimea="RUS") > 50.0


# -- the mutual checks now see both sides ---------------------------------------------------


def test_us_draft_deployments_abroad_flags_both_parties(world: World) -> None:
    result = check("draft-us-russia-2021", world, D2021)
    art51 = [v for v in result.violations if v.provision == "draft-us-russia-2021/art5.1"]
    assert {v.party for v in art51} == {"USA", "RUS"}
    hosts = {v.host for v in art51 if v.party == "RUS"}
    assert hosts == {"ARM", "AZE", "BLR", "GEO", "KGZ", "MDA", "TJK", "UKR"}


def test_nato_reply_host_consent_follows_the_territory(world: World) -> None:
    def flagged(w: World) -> set[tuple[str, str]]:
        result = check("nato-reply-2022", w, D2021)
        return {(v.host, v.subject) for v in result.violations
                if v.provision == "nato-reply-2022/host-consent"}

    default = flagged(world)
    assert default == {("GEO", "rus-7th-base-gudauta"), ("GEO", "rus-4th-base-tskhinvali"),
                       ("MDA", "rus-ogrf-transnistria-2006"), ("UKR", "rus-forces-crimea-2019")}
    # With Crimea counted as Russian territory the Crimean site is no longer in Ukraine.
    russian = flagged(world.replace(settings=ScenarioSettings(crimea="RUS")))
    assert russian == default - {("UKR", "rus-forces-crimea-2019")}
