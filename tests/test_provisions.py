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


def test_inf_2018_reports_both_sides_allegations_as_contested(baseline) -> None:
    """The US allegation (9M729) and Russia's (Mk 41 at Deveselu) are evaluated alike."""
    on = dt.date(2018, 6, 1)
    result = check("inf-1987", baseline, on)
    found = {(v.provision, v.party, v.subject): v for v in result.violations}
    assert set(found) == {
        ("inf-1987/intermediate-range", "RUS", "9m729"),
        ("inf-1987/launchers", "USA", "aegis-ashore-deveselu"),
        # The Iskander-M is at the band's edge (500 km: Art. II(6) includes 500) only under
        # the upper open-source estimate.
        ("inf-1987/shorter-range", "RUS", "iskander-m"),
    }
    ssc8 = found[("inf-1987/intermediate-range", "RUS", "9m729")]
    assert ssc8.contested and (ssc8.holds_under, ssc8.fails_under) == (
        ["us-assessment"], ["russia-claim"])
    mk41 = found[("inf-1987/launchers", "USA", "aegis-ashore-deveselu")]
    assert mk41.contested and mk41.host == "ROU"
    assert (mk41.holds_under, mk41.fails_under) == (["russia-claim"], ["us-position"])
    assert mk41.numbers["missile"] == "tomahawk" and mk41.numbers["range_km"] == 1600
    isk = found[("inf-1987/shorter-range", "RUS", "iskander-m")]
    assert (isk.holds_under, isk.fails_under) == (["estimate-upper"], ["estimate-lower"])
    # No default decides anything: the headline has no uncontested violation.
    assert result.counts() == {"violations": 3, "uncontested": 0, "contested": 3}
    payload = result.payload()
    assert payload["counts"]["contested"] == 3
    v = next(x for x in payload["violations"] if x["subject"] == "aegis-ashore-deveselu")
    assert v["contested"] is True and v["holds_under"] == ["russia-claim"]
    assert v["fails_under"] == ["us-position"] and v["contested_on"][0]["claim"] == "mk41-glcm"
    assert result.claims["9m729"]["pinned"] is False
    assert result.claims["mk41-glcm"]["alternatives"] == {"russia-claim": "tomahawk",
                                                          "us-position": None}
    runs = {r.provision.id: r.combinations for r in result.results}
    assert runs == {"inf-1987/shorter-range": 4, "inf-1987/intermediate-range": 4,
                    "inf-1987/launchers": 2}
    # The 9M729 is not deployed in the baseline: it is held through its service dates.
    assert not any(d.system == "9m729" for d in baseline.deployments)
    # Redzikowo (operational 2024) is not an INF matter: the treaty had ended.
    assert "aegis-ashore-redzikowo" not in {x.subject for x in result.violations}


def test_inf_pinned_claims_are_not_varied(baseline) -> None:
    on = dt.date(2018, 6, 1)
    accused = {"9m729": "russia-claim", "mk41-glcm": "us-position",
               "iskander-m": "estimate-lower"}
    quiet = check("inf-1987", baseline, on, claims=accused)
    assert quiet.violations == []
    assert all(r.combinations == 1 and r.varied == () for r in quiet.results)
    assert quiet.claims["9m729"]["pinned"] and quiet.claims["9m729"]["range_km"] == 480
    assert quiet.claims["mk41-glcm"]["launches"] is None
    assert any("9m729 range taken as 480 km (russia-claim; pinned with --claim): alternatives "
               "not evaluated: us-assessment 2,500 km" in a for a in quiet.assumptions)
    accusers = {"9m729": "us-assessment", "mk41-glcm": "russia-claim",
                "iskander-m": "estimate-lower"}
    both = check("inf-1987", baseline, on, claims=accusers)
    assert {(v.party, v.subject, v.contested) for v in both.violations} == {
        ("RUS", "9m729", False), ("USA", "aegis-ashore-deveselu", False)}
    # Pinning one figure leaves the others varied.
    one = check("inf-1987", baseline, on, claims={"9m729": "russia-claim"})
    assert "9m729" not in {v.subject for v in one.violations}
    assert next(v for v in one.violations if v.subject == "aegis-ashore-deveselu").contested
    inter = next(r for r in one.results if r.provision.id == "inf-1987/intermediate-range")
    assert inter.varied == ("iskander-m",) and inter.combinations == 2
    # A pin that no provision reads is said to be unused.
    unused = check("founding-act-1997", baseline, D2021, claims={"9m729": "russia-claim"})
    assert any("9m729 pinned with --claim, but no provision in force read it" in a
               for a in unused.assumptions)


def test_contested_on_names_only_the_deciding_figure() -> None:
    from indivisible.provisions.check import _contested_on

    items = {"x": ("a", "b"), "y": ("c", "d")}
    k = ("P", "s", None)
    runs = [({"x": "a", "y": "c"}, {k: None}), ({"x": "a", "y": "d"}, {k: None}),
            ({"x": "b", "y": "c"}, {}), ({"x": "b", "y": "d"}, {})]
    (only,) = _contested_on(k, items, runs)
    assert (only.claim, only.holds_under, only.fails_under) == ("x", ("a",), ("b",))
    assert _contested_on(k, items, [(c, {k: None}) for c, _ in runs]) == ()
    # Both figures needed (holds only under a and c): both decide it.
    both = _contested_on(k, items, [(c, {k: None} if c == {"x": "a", "y": "c"} else {})
                                    for c, _ in runs])
    assert {(c.claim, c.holds_under, c.fails_under) for c in both} == {
        ("x", ("a",), ("b",)), ("y", ("c",), ("d",))}


def test_check_rejects_unknown_claims(baseline) -> None:
    with pytest.raises(InputError, match="unknown system or claim 'mk41'"):
        check("inf-1987", baseline, dt.date(2018, 6, 1), claims={"mk41": "us-position"})
    with pytest.raises(InputError, match="expected one of russia-claim, us-position"):
        check("inf-1987", baseline, dt.date(2018, 6, 1), claims={"mk41-glcm": "nato"})


def test_contested_ranges_reach_every_agreement(baseline) -> None:
    """A contested range decides nothing by default in the drafts either."""
    result = check("draft-nato-russia-2021", baseline, D2021)
    art5 = {v.subject: v for v in result.violations if v.provision == "draft-nato-russia-2021/art5"}
    isk = art5["iskander-m-kaliningrad"]
    assert isk.contested and (isk.holds_under, isk.fails_under) == (
        ["estimate-upper"], ["estimate-lower"])
    pinned = check("draft-nato-russia-2021", baseline, D2021,
                   claims={"iskander-m": "estimate-upper"})
    assert not next(v for v in pinned.violations if v.subject == isk.subject).contested


def test_no_rule_hard_codes_a_state() -> None:
    """Parties and places are data: no rule module has an ISO3 code as a string literal."""
    import ast

    import indivisible.provisions.rules as rules_pkg

    codes = {s.iso3 for s in load_baseline().states} | {"USA", "RUS", "CAN", "UKR"}
    found = []
    for path in sorted(Path(rules_pkg.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
                      and n.body and isinstance(n.body[0], ast.Expr)
                      and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docstrings):
                words = set(node.value.replace(",", " ").split())
                for code in sorted(words & codes):
                    found.append(f"{path.name}:{node.lineno}: {code}")
    assert found == []


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
    default = check("founding-act-1997", baseline, D2021)
    assert not any(v.provision == "founding-act-1997/substantial-forces"
                   for v in default.violations)
    assert strict.params.get("founding-act-1997.substantial_troops").overridden


def test_founding_act_checks_both_sides_with_one_rule(baseline) -> None:
    """NATO's pledge and Russia's restraint share the figure and the rotation rule."""
    result = check("founding-act-1997", baseline, D2021)
    binds = {r.provision.id: r.provision.spec.binds for r in result.results}
    assert binds["founding-act-1997/russia-restraint"] == "RUS"
    assert "NATO" in binds["founding-act-1997/substantial-forces"]
    uses = {p.id: set(p.spec.uses) for p in catalogue()["founding-act-1997"].provisions}
    shared = {"substantial_troops", "rotational_counts", "signature_date"}
    assert shared <= uses["founding-act-1997/substantial-forces"]
    assert shared <= uses["founding-act-1997/russia-restraint"]
    # Baseline 2021: Russian bases added in Georgia (2009) and forces in Crimea (counted as
    # Ukraine's by default) are flagged; NATO's rotational battlegroups are not permanent.
    restraint = {(v.subject, v.host) for v in result.violations
                 if v.provision == "founding-act-1997/russia-restraint"}
    assert restraint == {("rus-7th-base-gudauta", "GEO"), ("rus-4th-base-tskhinvali", "GEO"),
                         ("rus-forces-crimea-2019", "UKR")}
    assert set(result.by_party()) == {"RUS"}
    # The same rotation rule: counting rotations flags both sides' rotational forces.
    rot = check("founding-act-1997", baseline, dt.date(2022, 2, 20),
                overrides=["rotational_counts=true", "substantial_troops=1000"])
    rotational = {(v.party, v.subject) for v in rot.violations
                  if not next(d for d in baseline.deployments if d.id == v.subject).permanent}
    assert ("RUS", "rus-union-resolve-belarus-2022") in rotational
    assert {p for p, _ in rotational} >= {"RUS", "USA"}
    # The wording is unconfirmed and the report says so.
    assert result.payload()["provisions"][2]["confidence"] == "unconfirmed"
    assert any("russia-restraint encodes wording that is unconfirmed" in a
               for a in result.assumptions)


def test_founding_act_symmetry_on_mirrored_forces(write) -> None:
    """The same force on each side (count, start, permanence, distance class) gets the same
    verdict under every threshold."""
    from indivisible.world.loader import load_scenario

    path = write("""\
        extends: none
        states:
          - {iso3: USA, name: US, capital: W, capital_lat: 38.9, capital_lon: -77.0, source: test}
          - {iso3: RUS, name: RU, capital: M, capital_lat: 55.75, capital_lon: 37.6, source: test}
          - {iso3: POL, name: PL, capital: W, capital_lat: 52.2, capital_lon: 21.0, source: test}
          - {iso3: BLR, name: BY, capital: M, capital_lat: 53.9, capital_lon: 27.6, source: test}
        alliances:
          - {id: NATO, name: NATO, collective_defence: true, clause: Art. 5, founded: 1949-04-04,
             source: test}
        memberships:
          - {alliance: NATO, iso3: USA, start: 1949-08-24, source: test}
          - {alliance: NATO, iso3: POL, start: 1999-03-12, source: test}
        systems:
          - {id: gf, name: Ground forces, category: ground-forces, role: offensive,
             regime: ground, ground_launched: true, source: test}
        deployments:
          - {id: nato-side, owner: USA, host: POL, site: P, lat: 52.2, lon: 21.0, system: gf,
             count: 4000, unit: troops, start: 2017-01-01, permanent: false, source: test}
          - {id: russia-side, owner: RUS, host: BLR, site: B, lat: 53.1, lon: 26.0, system: gf,
             count: 4000, unit: troops, start: 2017-01-01, permanent: false, source: test}
        """)
    world = load_scenario(path)
    for rotational in ("true", "false"):
        for threshold in (3000, 4000, 4001, 9000):
            r = check("founding-act-1997", world, D2021,
                      overrides=[f"rotational_counts={rotational}",
                                 f"substantial_troops={threshold}"])
            flagged = {v.subject for v in r.violations}
            assert ("nato-side" in flagged) == ("russia-side" in flagged), (rotational, threshold)
            assert ("nato-side" in flagged) == (rotational == "true" and threshold <= 4000)


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
    launchers = catalogue()["inf-1987"].spec.launcher_claims
    assert parse_claims(["mk41-glcm=us-position"], baseline, launchers) == {
        "mk41-glcm": "us-position"}
    with pytest.raises(InputError, match="expected one of russia-claim, us-position"):
        parse_claims(["mk41-glcm=nobody"], baseline, launchers)
    with pytest.raises(InputError, match="unknown system or claim 'mk41-glcm'"):
        parse_claims(["mk41-glcm=us-position"], baseline)  # not a claim of this agreement
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
    assert data["claims"]["9m729"]["claim"] == "russia-claim" and data["claims"]["9m729"]["pinned"]
    assert data["claims"]["mk41-glcm"]["pinned"] is False
    assert "inf-1987.shorter_min_km" in data["parameters"]
    subjects = {v["subject"]: v for v in data["violations"]}
    assert "9m729" not in subjects
    assert subjects["aegis-ashore-deveselu"]["holds_under"] == ["russia-claim"]
    assert data["counts"] == {"violations": 2, "uncontested": 0, "contested": 2}


def test_cli_check_table_states_contested(capsys) -> None:
    assert run(["check", "inf-1987", "--at", "2018-06-01", "--claim", "mk41-glcm=russia-claim",
                "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "contested — holds under us-assessment, not under russia-claim (9m729)" in out
    assert "1 uncontested, 2 contested" in out
    assert "pinned mk41-glcm=russia-claim" in out and "every claim evaluated for" in out


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
