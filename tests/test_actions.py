"""Actions are pure World -> World functions that declare the rights they invoke."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from indivisible.actions import (
    FREE_CHOICE,
    HOST_CONSENT,
    ChangeCapability,
    Composite,
    DeclareNeutrality,
    Deploy,
    JoinAlliance,
    LeaveAlliance,
    Withdraw,
    load_case,
    parse_action,
)
from indivisible.errors import InputError
from indivisible.world.loader import load_scenario

D = dt.date(2021, 12, 15)


@pytest.fixture
def world(toy_file: Path):
    return load_scenario(toy_file)


def test_join_is_pure_and_dated(world) -> None:
    after = JoinAlliance(state="CCC", alliance="ALPHA").apply(world, D)
    assert "CCC" in after.at(D).members("ALPHA")
    assert "CCC" not in after.at(D - dt.timedelta(days=1)).members("ALPHA")
    assert "CCC" not in world.at(D).members("ALPHA")  # the old world is untouched
    assert JoinAlliance(state="AAA", alliance="ALPHA").apply(world, D) is world  # already a member


def test_join_before_a_later_real_accession_does_not_overlap(world) -> None:
    w = JoinAlliance(state="BBB", alliance="ALPHA").apply(world, dt.date(1999, 6, 1))
    spells = sorted((m.start, m.end) for m in w.memberships if m.iso3 == "BBB")
    assert spells[0] == (dt.date(1999, 6, 1), dt.date(2000, 1, 1))


def test_leave_and_neutrality(world) -> None:
    left = LeaveAlliance(state="AAA", alliance="ALPHA").apply(world, D)
    assert "AAA" not in left.at(D).members("ALPHA")
    assert "AAA" in left.at(D - dt.timedelta(days=1)).members("ALPHA")
    neutral = DeclareNeutrality(state="AAA").apply(world, D)
    assert neutral.at(D).neutral("AAA") is not None
    assert neutral.at(D).alliances_of("AAA") == ()


def test_deploy_and_withdraw(world) -> None:
    dep = Deploy(owner="AAA", host="CCC", site="X", lat=50, lon=30, system="msl", count=2)
    w = dep.apply(world, D)
    assert {d.host for d in w.at(D).deployments} == {"BBB", "CCC"}
    assert set(dep.rights()) == set(FREE_CHOICE + HOST_CONSENT)
    w2 = Withdraw(owner="AAA", host="CCC").apply(w, D)
    assert {d.host for d in w2.at(D).deployments} == {"BBB"}
    with pytest.raises(InputError):
        Withdraw(deployments=("nope",)).apply(world, D)
    with pytest.raises(InputError, match="unknown system"):
        Deploy(owner="AAA", host="CCC", site="X", lat=0, lon=0, system="zz", count=1).apply(world, D)


def test_withdraw_foreign_only_after_date(world) -> None:
    own = Deploy(id="own", owner="CCC", host="CCC", site="X", lat=50, lon=30, system="msl", count=1)
    w = own.apply(world, D)
    out = Withdraw(hosts=("BBB", "CCC"), started_after=dt.date(2000, 1, 1), foreign_only=True).apply(w, D)
    assert [d.id for d in out.at(D).deployments] == ["own"]


def test_change_capability_scales_from_that_year(world) -> None:
    w = ChangeCapability(state="AAA", milex_factor=2.0).apply(world, D)
    assert w.at(D).capability("AAA").milex_usd_m == 200
    assert world.at(D).capability("AAA").milex_usd_m == 100


def test_composite_applies_in_order_and_unions_rights(world) -> None:
    pkg = Composite(actions=(JoinAlliance(state="CCC", alliance="ALPHA"),
                             LeaveAlliance(state="CCC", alliance="ALPHA")))
    w = pkg.apply(world, D)
    assert "CCC" not in w.at(D).members("ALPHA")
    assert pkg.actors() == ("CCC",)
    assert len(pkg.steps()) == 2


def test_parse_action_errors_name_field(write) -> None:
    with pytest.raises(InputError, match="unknown action kind"):
        parse_action({"kind": "invade", "state": "AAA"})
    with pytest.raises(InputError) as info:
        parse_action({"kind": "deploy", "owner": "AAA", "host": "BBB", "site": "s", "lat": 91,
                      "lon": 0, "system": "msl", "count": 1})
    assert info.value.field == "action.lat"
    p = write("kind: join-alliance\nstate: AAA\nalliance: ALPHA\nextra: 1\n", "a.yaml")
    with pytest.raises(InputError) as info:
        load_case(str(p))
    assert info.value.file == str(p) and info.value.field == "action.extra" and info.value.line == 4


def test_unknown_case_suggests(monkeypatch) -> None:
    with pytest.raises(InputError, match="unknown action"):
        load_case("no-such-case-anywhere")


REQUIRED_CASES = {
    "ukraine-joins-nato", "georgia-joins-nato", "finland-joins-nato", "sweden-joins-nato",
    "nato-enlargement-1999", "nato-enlargement-2004", "efp-2017", "aegis-ashore-redzikowo",
    "iskander-kaliningrad", "b61-withdrawal", "russian-nuclear-weapons-belarus",
    "us-long-range-fires-germany", "nato-posture-1997", "ukraine-neutrality",
}


def test_library_cases_change_the_baseline_at_their_date() -> None:
    from indivisible.actions import library
    from indivisible.world.loader import load_baseline

    lib = library()
    assert REQUIRED_CASES <= set(lib)
    w = load_baseline()
    for name, case in lib.items():
        assert case.sources, name
        at = case.default_at
        before, after = w.at(at), case.action.apply(w, at).at(at)
        changed = (before.members_by_alliance != after.members_by_alliance
                   or before.deployments != after.deployments
                   or before.neutral("UKR") != after.neutral("UKR"))
        assert changed, f"{name} changes nothing at {at}"


def test_posture_1997_withdraws_exactly_the_post_1997_foreign_forces() -> None:
    from indivisible.actions import library
    from indivisible.world.loader import load_baseline

    w = load_baseline()
    at = dt.date(2021, 12, 15)
    gone = {d.id for d in w.at(at).deployments} - {
        d.id for d in library()["nato-posture-1997"].action.apply(w, at).at(at).deployments}
    assert {"efp-est-2017", "efp-lva-2017", "efp-ltu-2017", "efp-pol-2017"} <= gone
    assert all(not x.startswith("b61") for x in gone)  # B61 hosts joined before 1997
