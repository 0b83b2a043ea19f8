"""Agreements as code: real-world checks on the baseline, the data, the loaders and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest

from indivisible.actions import Composite, Withdraw, load_case
from indivisible.cli import main
from indivisible.errors import InputError
from indivisible.provisions.activities import load_activities
from indivisible.provisions.catalogue import catalogue, default_parameters, region
from indivisible.provisions.check import check
from indivisible.provisions.context import parse_claims
from indivisible.provisions.geography import distance_km, distance_to_line_km
from indivisible.provisions.proposals import proposal_case, proposal_items
from indivisible.register import load_register
from indivisible.world.loader import load_baseline
from indivisible.world.scenario import COLLECTIONS, World

D2021 = dt.date(2021, 12, 15)
EXAMPLE = Path(__file__).parents[1] / "src/indivisible/data/activities/example.yaml"


@pytest.fixture(scope="module")
def baseline():
    return load_baseline()


def fresh(world: World, **collections) -> World:
    """A new World (World.replace would keep the cached system index of the old one)."""
    data = {c: getattr(world, c) for c in COLLECTIONS} | collections
    return World(settings=world.settings, **data)


# ------------------------------------------------------------------ the data


def test_every_clause_is_in_the_register() -> None:
    reg = load_register()
    clauses = {p.spec.clause for a in catalogue().values() for p in a.provisions}
    clauses |= {i.clause for i in proposal_items()}
    missing = sorted(c for c in clauses if c not in reg.clauses)
    assert missing == []
    for a in catalogue().values():
        assert a.spec.document in reg.documents


def test_unconfirmed_figures_stay_marked() -> None:
    params = default_parameters()
    for name in ("notification_tanks", "notice_days", "observation_tanks"):
        assert params.get(f"vienna-document-2011.{name}").confidence == "unconfirmed"
    for name in ("notification_troops", "observation_troops"):
        assert params.get(f"vienna-document-2011.{name}").confidence == "confirmed"
    assert params["vienna-document-2011.notification_troops"] == 9000
    assert params["vienna-document-2011.observation_troops"] == 13000
    assert params["vienna-document-2011.notice_days"] == 42
    # INF bands as published (Art. II(5), II(6)).
    assert (params["inf-1987.shorter_min_km"], params["inf-1987.shorter_max_km"],
            params["inf-1987.intermediate_max_km"]) == (500, 1000, 5500)
    assert (params["minsk-2015.artillery_zone_km"], params["minsk-2015.mlrs_zone_km"],
            params["minsk-2015.heavy_zone_km"], params["minsk-2015.addendum_km"]) == (
        50, 70, 140, 15)
    # Every parameter the text leaves open says so.
    for name in ("draft-nato-russia-2021.border_zone_km", "draft-nato-russia-2021.brigade_troops",
                 "founding-act-1997.substantial_troops"):
        assert params.get(name).confidence == "assumption" and params.get(name).note


def test_regions_and_1997_members(baseline) -> None:
    assert "UKR" in region("eastern-europe") and "RUS" in region("eastern-europe")
    assert set(region("central-asia")) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
    members_1997 = set(baseline.at(dt.date(1997, 5, 27)).members("NATO"))
    assert members_1997 == {"BEL", "CAN", "DNK", "FRA", "DEU", "GRC", "ISL", "ITA", "LUX",
                            "NLD", "NOR", "PRT", "ESP", "TUR", "GBR", "USA"}


# ------------------------------------------------------------------ the baseline


def test_us_draft_nuclear_article_flags_the_five_hosts(baseline) -> None:
    result = check("draft-us-russia-2021", baseline, D2021)
    art7 = [v for v in result.violations if v.provision == "draft-us-russia-2021/art7"]
    assert {v.host for v in art7} == {"BEL", "DEU", "ITA", "NLD", "TUR"}
    assert {v.party for v in art7} == {"USA"}
    subjects = {v.subject for v in art7}
    assert all(baseline.system_by_id[d.system].id == "b61"
               for d in baseline.deployments if d.id in subjects)
    assert all(v.clause == "draft-us-russia-2021:art7" and "Art. 7" in v.citation for v in art7)


def test_nato_draft_flags_the_battlegroups_since_2017(baseline) -> None:
    result = check("draft-nato-russia-2021", baseline, D2021)
    art4 = {v.subject: v for v in result.violations
            if v.provision == "draft-nato-russia-2021/art4"}
    battlegroups = {d.id for d in baseline.at(D2021).deployments
                    if d.id.startswith("efp-") and d.start >= dt.date(2017, 1, 1)}
    assert len(battlegroups) == 4
    assert battlegroups <= set(art4)
    assert {art4[b].host for b in battlegroups} == {"EST", "LVA", "LTU", "POL"}
    # Nothing stationed before 27 May 1997 or in a 1997 member's territory is flagged.
    members_1997 = set(baseline.at(dt.date(1997, 5, 27)).members("NATO"))
    assert all(v.host not in members_1997 for v in art4.values())


def test_inf_2018_turns_on_the_9m729_claim(baseline) -> None:
    on = dt.date(2018, 6, 1)
    us = check("inf-1987", baseline, on, claims={"9m729": "us-assessment"})
    ru = check("inf-1987", baseline, on, claims={"9m729": "russia-claim"})
    assert ("RUS", "9m729") in {(v.party, v.subject) for v in us.violations}
    assert "9m729" not in {v.subject for v in ru.violations}
    assert ru.claims["9m729"]["range_km"] == 480 and us.claims["9m729"]["range_km"] == 2500
    assert any("9m729 range taken as 480 km (russia-claim" in a for a in ru.assumptions)
    # The 9M729 is not deployed in the baseline: it is held through its service dates.
    assert not any(d.system == "9m729" for d in baseline.deployments)
    # The only other flag is the Iskander-M at the upper open-source estimate (500 km: Art. II(6)
    # includes 500 km); at its lower estimate nothing else is flagged.
    rest = {v.subject for v in ru.violations}
    assert rest <= {"iskander-m"}
    both = {"9m729": "russia-claim", "iskander-m": "estimate-lower"}
    assert check("inf-1987", baseline, on, claims=both).violations == []
    lower = {v.subject for v in check("inf-1987", baseline, on,
                                      claims={"iskander-m": "estimate-lower"}).violations}
    assert lower == {"9m729"}


def test_inf_outside_its_window_reports_nothing(baseline) -> None:
    after = check("inf-1987", baseline, dt.date(2021, 12, 15))
    assert after.violations == [] and all(r.applies == "not in force" for r in after.results)
    assert after.payload()["in_force"] is False


def test_vienna_document_zapad_2021(baseline) -> None:
    result = check("vienna-document-2011", baseline, dt.date(2021, 9, 12))
    obs = {(v.party, v.subject) for v in result.violations
           if v.provision == "vienna-document-2011/observation"}
    assert obs == {("RUS", "zapad-2021"), ("BLR", "zapad-2021")}
    v = next(v for v in result.violations if v.party == "RUS")
    assert v.numbers["notified_troops"] == 12800 and v.numbers["met"]["troops"]["value"] == 200000


def test_payload_contract_and_determinism(baseline) -> None:
    a = check("draft-us-russia-2021", baseline, D2021).payload()
    b = check("draft-us-russia-2021", baseline, D2021).payload()
    assert a == b
    for key in ("agreement", "date", "violations", "assumptions", "parameters"):
        assert key in a
    for v in a["violations"]:
        assert set(v) >= {"provision", "clause", "party", "subject", "host", "detail", "citation"}
    json.dumps(a)  # JSON-ready


def test_mutual_articles_bind_both_sides(baseline) -> None:
    """A mirrored Russian deployment abroad is flagged exactly like the American one."""
    dep = next(d for d in baseline.deployments if d.id == "b61-buechel-2021")
    mirror = dep.model_copy(update={"id": "mirror", "owner": "RUS", "host": "BLR", "lat": 53.1,
                                    "lon": 26.0, "system": "iskander-m"})
    world = baseline.replace(deployments=[*baseline.deployments, mirror])
    result = check("draft-us-russia-2021", world, D2021)
    flagged = {(v.provision, v.party) for v in result.violations if v.subject in (dep.id, "mirror")}
    assert ("draft-us-russia-2021/art7", "USA") in flagged
    assert ("draft-us-russia-2021/art7", "RUS") in flagged
    assert ("draft-us-russia-2021/art5.1", "RUS") in flagged


def test_parameter_override_changes_the_result(baseline) -> None:
    strict = check("founding-act-1997", baseline, D2021,
                   overrides=["rotational_counts=true", "substantial_troops=1000"])
    hosts = {v.host for v in strict.violations
             if v.provision == "founding-act-1997/substantial-forces"}
    assert hosts == {"EST", "LVA", "LTU", "POL"}
    assert check("founding-act-1997", baseline, D2021).violations == []
    assert strict.params.get("founding-act-1997.substantial_troops").overridden


# ------------------------------------------------------------------ proposals


def test_proposal_items_side_by_side() -> None:
    items = proposal_items()
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids))
    docs = {i.document for i in items}
    assert docs == {"draft-us-russia-2021", "draft-nato-russia-2021", "us-reply-2022",
                    "nato-reply-2022"}
    for i in items:
        assert i.action is not None or i.reason
        assert i.effect
    by_id = {i.id: i for i in items}
    assert by_id["us-draft-art4.1"].mutual is False and by_id["us-draft-art7"].mutual is True
    restraint = by_id["us-reply-ukraine-restraint"]
    assert restraint.action is not None
    # Reciprocal: with Crimea counted as Ukraine's (the default, UN GA res. 68/262) the
    # Russian forces recorded there are the only ones it would withdraw in 2021.
    assert restraint.effect == "withdraws 1 deployment(s) active on 2021-12-15: rus-forces-crimea-2019"
    assert by_id["us-reply-aegis-transparency"].action is None
    assert by_id["us-reply-aegis-transparency"].channel == "transparency"


def test_nato_art4_proposal_is_a_criteria_withdrawal(baseline) -> None:
    case = proposal_case("nato-draft-art4")
    assert case.name == "proposal:nato-draft-art4" and case.default_at == D2021
    steps = case.action.steps()
    assert all(isinstance(s, Withdraw) and s.started_after == dt.date(1997, 5, 27)
               and s.foreign_only for s in steps)
    hosts = set(steps[0].hosts)
    later = set(baseline.at(D2021).members("NATO")) - set(
        baseline.at(dt.date(1997, 5, 27)).members("NATO"))
    assert later <= hosts
    after = case.action.apply(baseline, D2021).at(D2021)
    left = {d.id for d in after.deployments}
    assert not any(d.startswith("efp-") for d in left)
    assert "us-forces-deu-2021" in left and "b61-buechel-2021" in left


def test_us_art7_proposal_removes_exactly_the_b61_abroad(baseline) -> None:
    case = load_case("proposal:us-draft-art7")  # through the actions library
    before = {d.id for d in baseline.at(D2021).deployments}
    after = {d.id for d in case.action.apply(baseline, D2021).at(D2021).deployments}
    removed = before - after
    assert removed == {d.id for d in baseline.at(D2021).deployments if d.system == "b61"}


def test_every_proposal_action_applies_to_the_baseline(baseline) -> None:
    for item in proposal_items():
        if item.action is None:
            with pytest.raises(InputError, match="changes no force"):
                proposal_case(item.id)
            continue
        case = proposal_case(item.id)
        assert case.action.apply(baseline, D2021).at(D2021) is not None
        assert isinstance(case.action, Composite | Withdraw) or case.action.kind


def test_unknown_proposal_suggests() -> None:
    with pytest.raises(InputError, match="us-draft-art7"):
        proposal_case("us-draft-art8")


# ------------------------------------------------------------------ inputs


def test_claims_are_checked(baseline) -> None:
    assert parse_claims(["9m729=russia-claim"], baseline) == {"9m729": "russia-claim"}
    with pytest.raises(InputError, match="did you mean 9m729"):
        parse_claims(["9m72=russia-claim"], baseline)
    with pytest.raises(InputError, match="expected one of us-assessment, russia-claim"):
        parse_claims(["9m729=nobody"], baseline)
    with pytest.raises(InputError, match="no named range claims"):
        parse_claims(["kalibr=x"], baseline)


def test_parameter_overrides_are_typed() -> None:
    p = default_parameters()
    q = p.with_overrides(["border_zone_km=100", "use_exercise_radius=no",
                          "art7_regions=central-asia"], namespace="draft-nato-russia-2021")
    assert q["draft-nato-russia-2021.border_zone_km"] == 100
    assert q["draft-nato-russia-2021.use_exercise_radius"] is False
    assert q["draft-nato-russia-2021.art7_regions"] == ["central-asia"]
    assert p["draft-nato-russia-2021.border_zone_km"] == 250  # the original is untouched
    for bad, msg in (("border_zone_km=wide", "expected a number"),
                     ("border_zone_km=-5", ">= 0"), ("art4_hosts=some", "expected one of"),
                     ("nothing=1", "unknown parameter"), ("border_zone_km", "NAME=VALUE"),
                     ("parties=USA", "ambiguous")):
        with pytest.raises(InputError, match=msg):
            p.with_overrides([bad], namespace="draft-nato-russia-2021" if "parties" not in bad
                             else None)


def test_example_activities_file_loads_and_checks(baseline) -> None:
    acts = load_activities(EXAMPLE, baseline)
    assert acts.exercises and acts.patrols and acts.positions and acts.contact_line
    result = check("minsk-2015", baseline, dt.date(2017, 4, 10), activities=acts)
    assert result.violations, "the example's positions include some inside the zones"


def test_activities_errors_name_file_line_field(write, baseline) -> None:
    bad = write("""\
        exercises:
          - id: a
            name: A
            conducted_by: [POL]
            start: 2021-01-01
            lat: 52.0
            lon: 19.0
            tanks: many
            source: test
        """, "bad.yaml")
    with pytest.raises(InputError) as err:
        load_activities(bad)
    assert err.value.line == 8 and err.value.field == "exercises[0].tanks"
    cases = {
        "exercises:\n  - {id: a, name: A, conducted_by: [POL], start: 2021-01-01, source: test}\n":
            ("give lat and lon, or an area", 2),
        "positions:\n  - {id: p, side: A, type: tank, lat: 48, lon: 38, source: test}\n":
            ("need a contact_line", 1),
        "contact_line: [[38, 48]]\n": ("at least 2", 1),
        "patrols:\n  - {id: p, owner: RUS, kind: ship, near: XXX, start: 2021-01-01, lat: 1,"
        " lon: 1, closest_approach_km: 3, source: test}\n": ("unknown state 'XXX'", 2),
        "exercises: []\nsurprise: 1\n": ("unknown section", 2),
        "positions:\n  - {id: p, side: A, type: howitzer, lat: 48, lon: 38, source: test}\n"
        "contact_line: [[38, 47], [38, 49]]\n": ("Input should be", 2),
    }
    for text, (msg, line) in cases.items():
        p = write(text, "case.yaml")
        with pytest.raises(InputError, match=msg) as err:
            load_activities(p, baseline)
        assert err.value.file == str(p) and err.value.line == line


def test_exercise_area_gives_centre_and_radius(write) -> None:
    p = write("""\
        exercises:
          - id: a
            name: A
            conducted_by: [POL]
            start: 2021-01-01
            area: [[19.0, 52.0], [21.0, 52.0], [21.0, 53.0], [19.0, 53.0]]
            source: test
        """)
    ex = load_activities(p).exercises[0]
    assert (ex.lat, ex.lon) == (52.5, 20.0)
    corners = [distance_km(52.5, 20.0, lat, lon) for lat in (52.0, 53.0) for lon in (19.0, 21.0)]
    assert ex.radius_km == pytest.approx(max(corners), rel=1e-9)
    assert max(corners) > min(corners)  # the southern corners are farther


def test_distance_to_line_matches_geodesics() -> None:
    line = ((30.0, 45.0), (30.0, 50.0))
    # Perpendicular to a meridian: the geodesic to the foot point (to ~0.1 % at this scale).
    assert distance_to_line_km(47.5, 31.0, line) == pytest.approx(
        distance_km(47.5, 31.0, 47.5, 30.0), rel=2e-3)
    assert distance_to_line_km(48.0, 30.0, line) < 0.01  # on the line
    # Beyond the end: the distance to the end vertex.
    assert distance_to_line_km(51.0, 30.0, line) == pytest.approx(
        distance_km(51.0, 30.0, 50.0, 30.0), rel=1e-3)
    # Symmetric either side.
    assert math.isclose(distance_to_line_km(47.5, 29.0, line),
                        distance_to_line_km(47.5, 31.0, line), rel_tol=1e-3)


# ------------------------------------------------------------------ the CLI


def run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as ex:
        return int(ex.code or 0)
    return 0


def test_cli_check_json(capsys) -> None:
    assert run(["check", "inf-1987", "--at", "2018-06-01", "--claim", "9m729=russia-claim",
                "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["agreement"] == "inf-1987" and data["date"] == "2018-06-01"
    assert data["claims"]["9m729"]["claim"] == "russia-claim"
    assert "inf-1987.shorter_min_km" in data["parameters"]


def test_cli_bad_inputs_exit_2(capsys, write) -> None:
    bad = write("exercises:\n  - {id: a}\n", "acts.yaml")
    for argv, msg in (
        (["check", "inf-198"], "did you mean inf-1987"),
        (["check", "minsk-2015", "--activities", str(bad)], f"{bad}:2"),
        (["check", "inf-1987", "--param", "zone=1"], "unknown parameter"),
        (["check", "inf-1987", "--at", "2018-13-01"], "YYYY-MM-DD"),
    ):
        assert run(argv) == 2
        err = capsys.readouterr().err
        assert msg in err and "Traceback" not in err


def test_cli_proposals_markdown(capsys) -> None:
    assert run(["proposals", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "nato-draft-art4" in out and "Topic: enlargement" in out
    assert "no action: transparency" in out and "assess proposal:ITEM" in out
