"""Contested launcher claims in the security model: the Mk 41 at the Aegis Ashore sites.

Under the Russian claim each ground Aegis Ashore site gets one more, offensive, element: a
Tomahawk per launcher cell at the site. Under the US position (the model's stated default)
there is no such element. The tests check that the element is exactly what an actual
Tomahawk deployment of that size at that site would be, that the change it makes decomposes
exactly to it, and that every command accepts the claim and reports which side it took.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from indivisible.cli import app, main
from indivisible.errors import InputError
from indivisible.options import check_claims, parse_claims
from indivisible.provisions.catalogue import catalogue
from indivisible.security import SecurityModel
from indivisible.security.claims import claim_lines, claims_used
from indivisible.security.elements import build_elements
from indivisible.world.entities import Deployment
from indivisible.world.launcher_claims import launcher_claims, read_launcher_claims
from indivisible.world.loader import load_baseline

DAY = dt.date(2021, 12, 15)
RUSSIA = {"mk41-glcm": "russia-claim"}
US = {"mk41-glcm": "us-position"}
ELEMENT = "deploy:aegis-ashore-deveselu:mk41-glcm"
runner = CliRunner()


@pytest.fixture(scope="module")
def world():  # noqa: ANN201
    return load_baseline()


@pytest.fixture(scope="module")
def evals(world):  # noqa: ANN001, ANN201
    """The baseline on 15 Dec 2021 under the default, the US position and the Russian claim."""
    return {name: SecurityModel(claims=claims).evaluate(world.at(DAY))
            for name, claims in (("default", None), ("us", US), ("russia", RUSSIA))}


def test_the_russian_claim_adds_one_offensive_tomahawk_element(evals) -> None:  # noqa: ANN001
    es = evals["russia"].elements
    extra = sorted(set(es.ids.tolist()) - set(evals["default"].elements.ids.tolist()))
    assert extra == [ELEMENT]  # Redzikowo starts in 2024: only Deveselu on this date
    k = es.index()[ELEMENT]
    assert (es.owner[k], es.host[k], es.kind[k]) == ("USA", "ROU", "deployment")
    assert (es.system[k], es.role[k], es.regime[k]) == ("tomahawk", "offensive", "cruise")
    assert es.range_km[k] == 1600 and es.speed_kmh[k] == 880 and not es.ballistic[k]
    assert es.count[k] == 24  # one per launcher cell: the site's 24 interceptors
    assert tuple(es.strength_params[k]) == ("unit_weight_launcher", "")
    dev = es.index()["deploy:aegis-ashore-deveselu"]
    assert (es.lat[k], es.lon[k]) == (es.lat[dev], es.lon[dev])
    assert es.role[dev] == "defensive"  # the interceptors stay what they are


def test_the_element_equals_an_actual_tomahawk_deployment_at_the_site(world) -> None:  # noqa: ANN001
    site = next(d for d in world.deployments if d.id == "aegis-ashore-deveselu")
    real = Deployment(id="tlam-at-deveselu", owner="USA", host="ROU", site=site.site,
                      lat=site.lat, lon=site.lon, system="tomahawk", count=24,
                      unit="launchers", start=site.start, source="test: hypothetical")
    with_real = world.replace(deployments=(*world.deployments, real))
    ev_claim = SecurityModel(claims=RUSSIA).evaluate(world.at(DAY))
    ev_real = SecurityModel().evaluate(with_real.at(DAY))
    k_claim = ev_claim.elements.index()[ELEMENT]
    k_real = ev_real.elements.index()["deploy:tlam-at-deveselu"]
    np.testing.assert_array_equal(ev_claim.threat_by_element[k_claim],
                                  ev_real.threat_by_element[k_real])
    np.testing.assert_array_equal(ev_claim.protection_by_element[k_claim],
                                  ev_real.protection_by_element[k_real])
    np.testing.assert_allclose(ev_claim.security, ev_real.security, rtol=1e-13)


def test_russia_and_belarus_lose_and_the_change_decomposes_to_the_element(evals) -> None:  # noqa: ANN001
    base, claim = evals["default"], evals["russia"]
    cmp_ = SecurityModel().compare(base, claim)
    k = claim.iso3.index
    for c in ("RUS", "BLR"):
        assert claim.of(c) < base.of(c), c
    np.testing.assert_allclose(cmp_.by_element.sum(axis=0), cmp_.delta, rtol=1e-9, atol=1e-15)
    moved = cmp_.element_ids[np.any(cmp_.by_element != 0.0, axis=1)].tolist()
    assert moved == [ELEMENT]
    e = list(cmp_.element_ids).index(ELEMENT)
    np.testing.assert_allclose(cmp_.by_element[e], cmp_.delta, rtol=1e-9, atol=1e-15)
    # Threat grows by exactly the element's threat; nothing else moves.
    i = claim.elements.index()[ELEMENT]
    np.testing.assert_allclose(claim.threat - base.threat, claim.threat_by_element[i],
                               rtol=1e-9, atol=1e-15)
    # The Tomahawk reaches Minsk (about 1,100 km) but not Moscow (about 1,650 km).
    es = claim.elements
    assert es.cover_capital[i, k("BLR")] == 1.0 and es.cover_capital[i, k("RUS")] == 0.0
    assert 0 < es.cover_area[i, k("RUS")] < 1
    assert 0 < claim.factors["warning"][i, k("RUS")] < 1  # cruise flight time, warned


def test_no_self_threat_for_the_host_or_the_owner(evals) -> None:  # noqa: ANN001
    base, claim = evals["default"], evals["russia"]
    i = claim.elements.index()[ELEMENT]
    for c in ("ROU", "USA"):
        k = claim.iso3.index(c)
        assert claim.threat_by_element[i, k] == 0.0, c
        assert claim.threat[k] == base.threat[k], c
        # An ally's offensive force counts as protection (def_of_offensive): never a loss.
        assert claim.of(c) >= base.of(c), c
    k = claim.iso3.index("ROU")
    assert claim.protection[k] - base.protection[k] == pytest.approx(
        claim.protection_by_element[i, k], rel=1e-9)


def test_the_us_position_is_the_default_exactly(evals) -> None:  # noqa: ANN001
    base, us = evals["default"], evals["us"]
    assert us.elements.ids.tolist() == base.elements.ids.tolist()
    np.testing.assert_array_equal(us.security, base.security)
    np.testing.assert_array_equal(us.threat, base.threat)


def test_both_sites_in_2024_and_a_ship_is_outside_the_claim(world) -> None:  # noqa: ANN001
    ship = Deployment(id="aegis-ship", owner="USA", host="ROU", site="Black Sea",
                      lat=44.0, lon=31.0, system="sm-3-ib", count=2, unit="ships",
                      start=dt.date(2016, 1, 1), source="test: hypothetical")
    w = world.replace(deployments=(*world.deployments, ship))
    es = SecurityModel(claims=RUSSIA).elements(w.at("2024-12-31"))
    extra = sorted(e for e in es.ids.tolist() if e.endswith(":mk41-glcm"))
    assert extra == [ELEMENT, "deploy:aegis-ashore-redzikowo:mk41-glcm"]
    k = es.index()["deploy:aegis-ashore-redzikowo:mk41-glcm"]
    assert (es.host[k], es.count[k]) == ("POL", 24)


def test_batches_see_the_claim(world, evals) -> None:  # noqa: ANN001
    from indivisible.security import ParamBatch

    model = SecurityModel(claims=RUSSIA)
    s = model.evaluate_batch(world.at(DAY), ParamBatch.constant(model.params, 2))
    np.testing.assert_allclose(s[1], evals["russia"].security, rtol=1e-12)


def test_claims_used_names_the_side_taken_and_the_convention(world) -> None:  # noqa: ANN001
    snap = world.at(DAY)
    default = claims_used([snap], {})["mk41-glcm"]
    assert (default["used"], default["pinned"], default["launches"]) == (
        "us-position", False, None)
    assert default["alternatives"] == {"russia-claim": "tomahawk"}
    assert default["deployments"] == ["aegis-ashore-deveselu"]
    assert "convention" in default["convention"].lower()
    assert set(default["sources"]) == {"russia-claim", "us-position"}
    pinned = claims_used([snap], RUSSIA)["mk41-glcm"]
    assert (pinned["used"], pinned["pinned"], pinned["launches"]) == (
        "russia-claim", True, "tomahawk")
    assert pinned["alternatives"] == {"us-position": None} and "convention" not in pinned
    line = next(x for x in claim_lines({"mk41-glcm": default}) if "mk41-glcm" in x)
    assert "us-position" in line and "convention, not a finding" in line
    # Before Deveselu existed, nothing is in play unless pinned.
    early = world.at("2010-01-01")
    assert "mk41-glcm" not in claims_used([early], {})
    assert claims_used([early], RUSSIA)["mk41-glcm"]["deployments"] == []


def test_assess_runs_under_the_claim_and_lists_it() -> None:
    out = {}
    for claim in ("russia-claim", None):
        argv = ["assess", "aegis-ashore-redzikowo", "--draws", "20", "--format", "json"]
        argv += ["--claim", f"mk41-glcm={claim}"] if claim else []
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, result.output
        out[claim] = json.loads(result.stdout)
    used = out["russia-claim"]["assumptions"]["claims_used"]["mk41-glcm"]
    assert (used["used"], used["pinned"], used["launches"]) == ("russia-claim", True, "tomahawk")
    assert used["deployments"] == ["aegis-ashore-deveselu", "aegis-redzikowo-case"]
    assert out["russia-claim"]["assumptions"]["claims"] == RUSSIA
    default = out[None]["assumptions"]["claims_used"]["mk41-glcm"]
    assert (default["used"], default["pinned"]) == ("us-position", False)
    assert "convention" in default

    def delta(data: dict, iso3: str) -> float:
        return next(s["delta"] for s in data["states"] if s["iso3"] == iso3)

    # Under the claim the new site also brings Tomahawks: Russia loses more.
    assert delta(out["russia-claim"], "RUS") < delta(out[None], "RUS") <= 0


@pytest.mark.parametrize("command", [
    ["assess", "aegis-ashore-redzikowo"], ["answer", "ROU"], ["game", "RUS", "ROU"],
    ["simulate"], ["search"]])
def test_an_unknown_claimant_exits_2_with_one_line(command, capsys) -> None:  # noqa: ANN001
    with pytest.raises(SystemExit) as info:
        main([*command, "--claim", "mk41-glcm=nobody"])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "unknown claimant 'nobody' for mk41-glcm; expected one of russia-claim, us-position" \
        in err
    assert "\n" not in err and "Traceback" not in err


def test_pins_are_read_alike_by_the_model_commands_and_by_check(world) -> None:  # noqa: ANN001
    assert parse_claims(["mk41-glcm=russia-claim"]) == RUSSIA
    check_claims(world, RUSSIA)
    with pytest.raises(InputError, match="pinned twice"):
        parse_claims(["mk41-glcm=russia-claim", "mk41-glcm=us-position"])
    with pytest.raises(InputError, match="did you mean mk41-glcm"):
        check_claims(world, {"mk41": "russia-claim"})
    from indivisible.provisions.context import parse_claims as check_parse

    inf = catalogue()["inf-1987"].spec.launcher_claims
    with pytest.raises(InputError, match="pinned twice"):
        check_parse(["mk41-glcm=russia-claim", "mk41-glcm=us-position"], world, inf)


def test_the_agreement_and_the_model_read_one_definition(world) -> None:  # noqa: ANN001
    shared = launcher_claims()
    assert catalogue()["inf-1987"].spec.launcher_claims == {"mk41-glcm": shared["mk41-glcm"]}
    for cid, spec in shared.items():
        for sid in spec.systems:
            assert sid in world.system_by_id, (cid, sid)
        for alt in spec.claims:
            assert alt.launches is None or alt.launches in world.system_by_id, (cid, alt)
            assert len(alt.source) > 20, (cid, alt.claimant)  # attributed with its source


def test_a_bad_launcher_claims_file_names_file_line_field(write) -> None:  # noqa: ANN001
    path = write("""\
        launcher_claims:
          x-claim:
            title: Some launchers
            systems: [msl]
            model_default: nobody
            model_default_note: a stated convention
            claims:
              - {claimant: a, launches: msl, source: test fixture, confidence: confirmed}
              - {claimant: b, launches: null, source: test fixture, confidence: confirmed}
        """)
    with pytest.raises(InputError) as info:
        read_launcher_claims(path)
    err = info.value
    assert "model_default 'nobody'" in err.message and str(err.file) == str(path)
    assert err.line is not None and err.field and err.field.startswith("launcher_claims.x-claim")


def test_the_model_refuses_a_claimant_or_missile_it_cannot_use(world) -> None:  # noqa: ANN001
    snap = world.at(DAY)
    params = SecurityModel().params.values
    spec = launcher_claims()["mk41-glcm"]
    unknown = spec.model_copy(update={"claims": [
        spec.alternative("russia-claim").model_copy(update={"launches": "no-such-missile"}),
        spec.alternative("us-position")]})
    with pytest.raises(InputError, match="'no-such-missile', which is not a system of this"):
        build_elements(snap, params, RUSSIA, launcher_claims={"mk41-glcm": unknown})
    with pytest.raises(InputError, match="unknown claimant 'nobody' for mk41-glcm"):
        build_elements(snap, params, {"mk41-glcm": "nobody"})
    # The default (nothing launched) needs no missile: the world builds.
    es = build_elements(snap, params, {}, launcher_claims={"mk41-glcm": unknown})
    assert not any(e.endswith(":mk41-glcm") for e in es.ids.tolist())
