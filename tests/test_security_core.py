"""Home forces, nuclear arsenals and latent bases project from core territories.

First on a hand-built world whose stand-in geography gives one state an outlying islet
next to its rival (so whole-territory and core distances differ by construction), then on
the shipped baseline with the Natural Earth borders (Alaska and Russia).
"""

from __future__ import annotations

import numpy as np
import pytest

from indivisible.security import ParamBatch, SecurityModel, load_params
from indivisible.world import World, geo
from indivisible.world.loader import load_baseline
from tests.test_security_model import (
    DAY,
    SYSTEMS,
    DiskGeo,
    alliance,
    cap,
    deploy,
    member,
    state,
)

ISLET_GAP_KM = 900.0  # the islet's distance from its owner's core disk


class IsletGeo(DiskGeo):
    """Disks, plus an islet of FAR's lying inside RRR's disk ``ISLET_GAP_KM`` from FAR.

    Whole territories: FAR touches RRR (distance 0) and a point near RRR is on FAR's
    territory; cores (for any gap below ``ISLET_GAP_KM``): the plain disks.
    """

    def __init__(self, centres: dict[str, tuple[float, float]]) -> None:
        super().__init__(centres)
        self.gaps_seen: set[float] = set()

    def _islet_in(self, gap_km: float | None) -> bool:
        return gap_km is None or gap_km >= ISLET_GAP_KM

    def territory_distance_matrix(self, iso3s, crimea="UKR"):  # noqa: ANN001, ANN201
        return self.core_distance_matrix(iso3s, crimea, gap_km=None)

    def core_distance_matrix(self, iso3s, crimea="UKR", gap_km=None):  # noqa: ANN001, ANN201
        if gap_km is not None:
            self.gaps_seen.add(gap_km)
        out = super().territory_distance_matrix(iso3s, crimea)
        if self._islet_in(gap_km) and {"FAR", "RRR"} <= set(iso3s):
            f, r = list(iso3s).index("FAR"), list(iso3s).index("RRR")
            out[f, r] = out[r, f] = 0.0
        return out

    def point_to_territory_km(self, lat, lon, iso3, crimea="UKR"):  # noqa: ANN001, ANN201
        return self.point_to_core_km(lat, lon, iso3, crimea, gap_km=None)

    def point_to_core_km(self, lat, lon, iso3, crimea="UKR", gap_km=None):  # noqa: ANN001, ANN201
        d = super().point_to_territory_km(lat, lon, iso3, crimea)
        if iso3 == "FAR" and self._islet_in(gap_km):
            d = min(d, super().point_to_territory_km(lat, lon, "RRR", crimea))
        return d


def islet_world() -> World:
    return World(
        states=(state("WWW", 50, -10), state("RRR", 58, 0), state("FAR", -40, 180)),
        capabilities=(cap("WWW", 100, 1000), cap("RRR", 150, 3000, 50),
                      cap("FAR", 120, 1500, 80)),
        alliances=(alliance("WEST"),),
        memberships=(member("WEST", "WWW"), member("WEST", "FAR")),
        systems=SYSTEMS,
        deployments=(deploy("bg", "WWW", "WWW", 50, -10, system="bg", count=5000,
                            unit="troops"),
                     deploy("m", "WWW", "WWW", 52, -8)),
    )


def islet_model(gap: float | None = None) -> tuple[SecurityModel, IsletGeo]:
    world = islet_world()
    g = IsletGeo({s.iso3: (s.capital_lat, s.capital_lon) for s in world.states})
    params = load_params()
    if gap is not None:
        params = params.with_overrides({"core_gap_km": gap})
    return SecurityModel(params=params, geography=g), g


def test_home_nuclear_and_latent_reach_use_core_distances() -> None:
    model, g = islet_model()
    snap = islet_world().at(DAY)
    ev = model.evaluate(snap)
    es, reach = ev.elements, ev.factors["reach"]
    i, e = es.iso3.index, es.index()
    lam, lam_n = model.params["lambda_km"], model.params["lambda_nuclear_km"]
    d_core = g.core_distance_matrix(list(es.iso3), gap_km=500.0)[i("FAR"), i("RRR")]
    assert g.gaps_seen == {500.0}  # the parameter's default reaches the geography
    assert d_core > 10000.0 and es.territory_km[i("FAR"), i("RRR")] == 0.0
    assert reach[e["home:FAR"], i("RRR")] == pytest.approx(np.exp(-d_core / lam), rel=1e-12)
    assert reach[e["nuclear:FAR"], i("RRR")] == pytest.approx(np.exp(-d_core / lam_n), rel=1e-12)
    # WWW's forces latent on FAR project from FAR's core, as FAR's home forces do.
    assert reach[e["latent:WWW@FAR"], i("RRR")] == reach[e["home:FAR"], i("RRR")]
    # The batched kernel uses the same core distances as the element-wise factors.
    s = model.evaluate_batch(snap, ParamBatch.constant(model.params, 2))
    np.testing.assert_allclose(s, np.broadcast_to(ev.security, s.shape), rtol=1e-12)


def test_a_gap_beyond_the_islet_gives_the_whole_territory_reading() -> None:
    core, _ = islet_model()
    whole, g = islet_model(gap=ISLET_GAP_KM)
    snap = islet_world().at(DAY)
    e0, e1 = core.evaluate(snap), whole.evaluate(snap)
    i, e = e1.elements.iso3.index, e1.elements.index()
    assert g.gaps_seen == {ISLET_GAP_KM}
    assert e1.factors["reach"][e["home:FAR"], i("RRR")] == 1.0  # neighbours through the islet
    assert e1.threat[i("RRR")] > e0.threat[i("RRR")]
    s = whole.evaluate_batch(snap, ParamBatch.constant(whole.params, 2))
    np.testing.assert_allclose(s, np.broadcast_to(e1.security, s.shape), rtol=1e-12)


def test_ground_forces_reach_the_core_and_missiles_cover_the_whole_territory() -> None:
    model, g = islet_model()
    ev = model.evaluate(islet_world().at(DAY))
    es = ev.elements
    i, e = es.iso3.index, es.index()
    bg, m = e["deploy:bg"], e["deploy:m"]
    expected = [g.point_to_core_km(50, -10, c, gap_km=500.0) for c in es.iso3]
    np.testing.assert_array_equal(es.reach_km[bg], expected)
    assert es.reach_km[bg, i("FAR")] > 10000.0  # the islet near RRR is not FAR's core
    # Coverage by a missile is the geography's whole-territory coverage, whatever the gap.
    whole = g.coverage_matrix([52], [-8], [1500], list(es.iso3))[0]
    np.testing.assert_array_equal(es.cover_area[m], np.clip(whole, 0, 1))
    other, _ = islet_model(gap=ISLET_GAP_KM)
    es1 = other.evaluate(islet_world().at(DAY)).elements
    np.testing.assert_array_equal(es1.cover_area[m], es.cover_area[m])
    assert es1.reach_km[bg, i("FAR")] < es.reach_km[bg, i("FAR")]


def test_core_gap_is_geometry_fixed_and_cached_apart() -> None:
    model, _ = islet_model()
    spec = model.params.specs["core_gap_km"]
    assert spec.distribution == "fixed" and spec.low == 0 and spec.high >= 20000
    snap = islet_world().at(DAY)
    batch = ParamBatch.constant(model.params, 2)
    values = dict(batch.values)
    values["core_gap_km"] = np.array([500.0, 20000.0])
    with pytest.raises(ValueError, match="geometry"):
        model.evaluate_batch(snap, ParamBatch(values=values, n=2))
    # Two models on one snapshot keep their own geometry.
    other = SecurityModel(params=model.params.with_overrides({"core_gap_km": ISLET_GAP_KM}),
                          geography=model.geography)
    assert other.elements(snap) is not model.elements(snap)
    assert model.elements(snap) is model.elements(snap)


# ------------------------------------------------------------------- on the baseline


@pytest.fixture(scope="module")
def baseline():  # noqa: ANN201
    return load_baseline().at("2021-12-15")


def test_us_home_forces_reach_russia_from_the_contiguous_states(baseline) -> None:  # noqa: ANN001
    model = SecurityModel()
    ev = model.evaluate(baseline)
    es, reach = ev.elements, ev.factors["reach"]
    i, e = es.iso3.index, es.index()
    lam = model.params["lambda_km"]
    d_core = geo.core_distance_matrix(["RUS", "USA"])[0, 1]
    d_whole = geo.territory_distance_matrix(["RUS", "USA"])[0, 1]
    assert d_whole < 10.0 < 3000.0 < d_core
    assert es.core_km[i("USA"), i("RUS")] == d_core
    assert reach[e["home:USA"], i("RUS")] == pytest.approx(np.exp(-d_core / lam), rel=1e-12)
    assert reach[e["home:USA"], i("RUS")] < 0.05  # it was exp(-4/1000) = 0.996
    # Canada still touches the US core.
    assert reach[e["home:USA"], i("CAN")] == 1.0
    np.testing.assert_array_equal(es.core_km, es.core_km.T)
    assert np.all(es.core_km >= es.territory_km)
    # The literal whole-territory reading remains one parameter away.
    whole = SecurityModel(load_params().with_overrides({"core_gap_km": 20000}))
    ew = whole.evaluate(baseline)
    assert ew.factors["reach"][e["home:USA"], i("RUS")] == pytest.approx(
        np.exp(-d_whole / lam), rel=1e-12)
    np.testing.assert_array_equal(ew.elements.core_km, ew.elements.territory_km)
    s = whole.evaluate_batch(baseline, ParamBatch.constant(whole.params, 2))
    np.testing.assert_allclose(s, np.broadcast_to(ew.security, s.shape), rtol=1e-12)
