"""The security model on small hand-built worlds with a stand-in geography.

States are disks around their capitals on a sphere (``DiskGeo``), so every distance
and coverage share is known in closed form and the tests do not depend on the
Natural Earth borders.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from indivisible.errors import InputError
from indivisible.security import (
    FACTORS,
    ParamBatch,
    SecurityModel,
    draw_params,
    load_params,
    shapley_product,
)
from indivisible.security.factors import element_factors
from indivisible.security.flight import ballistic_coast_min
from indivisible.world import (
    Alliance,
    CapabilityRecord,
    Deployment,
    DyadOverride,
    Membership,
    NeutralitySpell,
    Rivalry,
    State,
    System,
    World,
)
from indivisible.world.entities import RangeClaim

SRC = "test fixture"
DAY = dt.date(2021, 12, 15)
EARTH_KM = 6371.0


class DiskGeo:
    """A stand-in for ``indivisible.world.geo``: each state a disk of ``radius`` km."""

    def __init__(self, centres: dict[str, tuple[float, float]], radius: float = 250.0) -> None:
        self.centres = centres
        self.radius = radius
        self.crimea_seen: set[str] = set()

    @staticmethod
    def distance_km(lat1, lon1, lat2, lon2):  # noqa: ANN001, ANN205 - mirrors geo's signature
        p1, p2 = np.radians(lat1), np.radians(lat2)
        dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
        h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
        return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))

    def _to(self, lat: float, lon: float, iso3: str) -> float:
        c = self.centres[iso3]
        return float(self.distance_km(lat, lon, c[0], c[1]))

    def territory_distance_matrix(self, iso3s, crimea="UKR"):  # noqa: ANN001, ANN201
        self.crimea_seen.add(crimea)
        out = np.array([[max(0.0, self._to(*self.centres[a], b) - 2 * self.radius)
                         for b in iso3s] for a in iso3s])
        np.fill_diagonal(out, 0.0)
        return out

    def point_to_territory_km(self, lat, lon, iso3, crimea="UKR"):  # noqa: ANN001, ANN201
        self.crimea_seen.add(crimea)
        return max(0.0, self._to(lat, lon, iso3) - self.radius)

    def coverage_matrix(self, lats, lons, ranges_km, iso3s, crimea="UKR", capitals=None,
                        capital_weight=0.0):  # noqa: ANN001, ANN201
        assert capitals is None and capital_weight == 0.0
        self.crimea_seen.add(crimea)
        r = self.radius
        return np.array([[min(1.0, max(0.0, (rng - (self._to(la, lo, c) - r)) / (2 * r)))
                          for c in iso3s] for la, lo, rng in zip(lats, lons, ranges_km,
                                                                 strict=True)])


def state(iso3: str, lat: float, lon: float) -> State:
    return State(iso3=iso3, name=iso3.title(), capital=f"{iso3} city", capital_lat=lat,
                 capital_lon=lon, source=SRC)


def cap(iso3: str, milex: float | None, personnel: float | None, warheads: float = 0
        ) -> CapabilityRecord:
    return CapabilityRecord(iso3=iso3, year=2021, milex_usd_m=milex, personnel=personnel,
                            warheads=warheads, source=SRC)


def alliance(aid: str) -> Alliance:
    return Alliance(id=aid, name=aid, collective_defence=True, clause="Art. 1",
                    founded=dt.date(1990, 1, 1), source=SRC)


def member(aid: str, iso3: str, start: str = "1990-01-01") -> Membership:
    return Membership(alliance=aid, iso3=iso3, start=dt.date.fromisoformat(start), source=SRC)


MISSILE = System(id="msl", name="Missile", category="GLBM", role="offensive", regime="ballistic",
                 range_km=1500, source=SRC)
CRUISE = System(id="cm", name="Cruise", category="GLCM", role="offensive", regime="cruise",
                range_km=1500, source=SRC)
INTERCEPTOR = System(id="int", name="Interceptor", category="bmd-interceptor", role="defensive",
                     regime="interceptor", range_km=1500, source=SRC)
TROOPS = System(id="bg", name="Battlegroup", category="ground-forces", role="offensive",
                regime="ground", source=SRC)
SECRET = System(id="sec", name="Secret", category="GLBM", role="offensive", regime="ballistic",
                source=SRC)
DISPUTED = System(id="dsp", name="Disputed", category="GLCM", role="offensive", regime="cruise",
                  range_claims=(RangeClaim(claimant="USA", range_km=2500, source=SRC),
                                RangeClaim(claimant="RUS", range_km=480, source=SRC)),
                  default_claim="USA", source=SRC)
SYSTEMS = (MISSILE, CRUISE, INTERCEPTOR, TROOPS, SECRET, DISPUTED)


def deploy(did: str, owner: str, host: str, lat: float, lon: float, system: str = "msl",
           count: float = 12, unit: str = "launchers") -> Deployment:
    return Deployment(id=did, owner=owner, host=host, site=did, lat=lat, lon=lon, system=system,
                      count=count, unit=unit, start=dt.date(2000, 1, 1), source=SRC)


def model_for(world: World, params=None, claims=None) -> SecurityModel:  # noqa: ANN001
    geo = DiskGeo({s.iso3: (s.capital_lat, s.capital_lon) for s in world.states})
    return SecurityModel(params=params, claims=claims, geography=geo)


# -- a mirror-symmetric five-state world ------------------------------------------------
#
#   WWW (lon -10) and EEE (lon +10) are mirror images across lon 0, both in alliance WEST;
#   RRR sits on the mirror axis in a rival alliance; NNN is a neutral-ish outsider on the
#   axis; FAR is on the other side of the globe.


def mirror_world(**changes) -> World:  # noqa: ANN003
    w = World(
        states=(state("WWW", 50, -10), state("EEE", 50, 10), state("RRR", 58, 0),
                state("NNN", 42, 0), state("FAR", -40, 180)),
        capabilities=(cap("WWW", 100, 1000), cap("EEE", 100, 1000), cap("RRR", 150, 3000, 50),
                      cap("NNN", 20, 500), cap("FAR", 60, 800)),
        alliances=(alliance("WEST"), alliance("EASTPACT")),
        memberships=(member("WEST", "WWW"), member("WEST", "EEE"), member("EASTPACT", "RRR")),
        rivalries=(Rivalry(a="WEST", b="EASTPACT", start=dt.date(2000, 1, 1), source=SRC),),
        systems=SYSTEMS,
        deployments=(deploy("w1", "WWW", "WWW", 52, -8), deploy("e1", "EEE", "EEE", 52, 8)),
    )
    return w.replace(**changes) if changes else w


def test_mirror_states_have_equal_security_and_swapping_their_data_swaps_results() -> None:
    world = mirror_world()
    model = model_for(world)
    ev = model.evaluate(world.at(DAY))
    i = {c: k for k, c in enumerate(ev.iso3)}
    assert ev.security[i["WWW"]] == pytest.approx(ev.security[i["EEE"]], rel=1e-12)
    assert ev.threat[i["WWW"]] == pytest.approx(ev.threat[i["EEE"]], rel=1e-12)

    caps = list(world.capabilities)
    caps[0] = cap("WWW", 300, 2500)
    strong_w = world.replace(capabilities=caps)
    caps = list(world.capabilities)
    caps[1] = cap("EEE", 300, 2500)
    strong_e = world.replace(capabilities=caps)
    s_w = model_for(strong_w).evaluate(strong_w.at(DAY)).security
    s_e = model_for(strong_e).evaluate(strong_e.at(DAY)).security
    assert s_w[i["WWW"]] == pytest.approx(s_e[i["EEE"]], rel=1e-12)
    assert s_w[i["EEE"]] == pytest.approx(s_e[i["WWW"]], rel=1e-12)
    assert s_w[i["RRR"]] == pytest.approx(s_e[i["RRR"]], rel=1e-12)
    assert s_w[i["WWW"]] != pytest.approx(s_w[i["EEE"]], rel=1e-6)


def test_security_is_in_the_open_unit_interval_for_any_draw() -> None:
    world = mirror_world(capabilities=(cap("WWW", 100, 1000), cap("EEE", 100, 1000),
                                       cap("RRR", 150, 3000, 50), cap("NNN", None, None),
                                       cap("FAR", 0, 0)))
    model = model_for(world)
    snap = world.at(DAY)
    s = model.evaluate_batch(snap, draw_params(model.params, 300, seed=11))
    assert np.all(s > 0) and np.all(s <= 1)
    ev = model.evaluate(snap)
    assert np.all(ev.protection > 0)
    # A state with no data (NNN) or nothing (FAR) still defends itself with c_min.
    nnn = ev.iso3.index("NNN")
    assert ev.protection_by_element[ev.elements.index()["home:NNN"], nnn] == model.params["c_min"]


def test_a_hostile_deployment_lowers_security_and_its_withdrawal_restores_it() -> None:
    base = mirror_world()
    moved = base.replace(deployments=(*base.deployments, deploy("r1", "RRR", "RRR", 56, 0)))
    model = model_for(base)
    s0 = model.evaluate(base.at(DAY)).security
    s1 = model.evaluate(moved.at(DAY)).security
    k = base.at(DAY).index
    assert s1[k["WWW"]] < s0[k["WWW"]] and s1[k["EEE"]] < s0[k["EEE"]]
    assert s1[k["RRR"]] > s0[k["RRR"]]  # its own missiles also protect it (def_of_offensive)
    back = model.evaluate(moved.replace(deployments=base.deployments).at(DAY)).security
    np.testing.assert_allclose(back, s0, rtol=1e-14)


def test_a_far_unaligned_state_out_of_reach_is_unchanged_by_a_move() -> None:
    base = mirror_world()
    moved = base.replace(deployments=(deploy("w1", "WWW", "EEE", 51, 9), base.deployments[1]))
    model = model_for(base)
    cmp_ = model.compare(base.at(DAY), moved.at(DAY))
    far = cmp_.iso3.index("FAR")
    assert abs(cmp_.delta[far]) <= 1e-12 * cmp_.before[far]
    assert np.any(np.abs(cmp_.delta) > 1e-6)  # the move does change security nearer by


def latent_world(joined: bool) -> World:
    """Alliance PACT of AAA and BBB far west; CCC next to the unaligned outsider OUT."""
    members = [member("PACT", "AAA"), member("PACT", "BBB")]
    if joined:
        members.append(member("PACT", "CCC", "2020-01-01"))
    return World(
        states=(state("AAA", 45, -30), state("BBB", 50, -35), state("CCC", 55, 20),
                state("OUT", 55, 27)),
        capabilities=(cap("AAA", 500, 3000), cap("BBB", 300, 2000), cap("CCC", 50, 500),
                      cap("OUT", 100, 1000)),
        alliances=(alliance("PACT"),),
        memberships=tuple(members),
        systems=SYSTEMS,
    )


@pytest.mark.parametrize("gamma", [0.0, 1.0])
def test_latent_basing_changes_an_outsiders_security_before_any_deployment(gamma: float) -> None:
    before, after = latent_world(False).at(DAY), latent_world(True).at(DAY)
    out = before.index["OUT"]
    for beta in (0.3, 0.0):
        params = load_params(overrides={"beta": beta, "latent_host_exponent": gamma})
        model = model_for(latent_world(False), params)
        cmp_ = model.compare(before, after)
        if beta > 0:
            assert cmp_.delta[out] < -1e-4
            assert cmp_.by_kind["latent"][out] == pytest.approx(cmp_.delta[out], rel=1e-9)
        else:
            assert abs(cmp_.delta[out]) <= 1e-12 * cmp_.before[out]


def test_closed_form_two_state_world() -> None:
    # A: milex 300, personnel 1000; B: milex 100, personnel 1000, 10 warheads.
    # Composite c = mean(milex share, personnel share): c_A = 0.625, c_B = 0.375.
    world = World(
        states=(state("AAA", 0, 0), state("BBB", 0, 9)),
        capabilities=(cap("AAA", 300, 1000), cap("BBB", 100, 1000, 10)),
    )
    model = model_for(world)
    p = model.params
    ev = model.evaluate(world.at(DAY))
    d_cap = 2 * math.pi * EARTH_KM * 9 / 360  # capitals on the equator, 9 degrees apart
    d_terr = d_cap - 2 * 250.0
    reach = math.exp(-d_terr / p["lambda_km"])
    nuclear = p["nuclear_weight"] * 1.0  # B holds every warhead
    warn = math.exp(-(float(ballistic_coast_min(d_cap)) + p["boost_time_min"]) / p["tau_min"])
    t_a = p["h_other"] * 0.375 * reach + p["h_other"] * nuclear * math.exp(
        -d_terr / p["lambda_nuclear_km"]) * warn
    d_a = 0.625
    t_b = p["h_other"] * 0.625 * reach
    d_b = 0.375 + nuclear
    np.testing.assert_allclose(ev.threat, [t_a, t_b], rtol=1e-12)
    np.testing.assert_allclose(ev.protection, [d_a, d_b], rtol=1e-12)
    np.testing.assert_allclose(ev.security, [d_a / (d_a + t_a), d_b / (d_b + t_b)], rtol=1e-12)


def changed_world() -> World:
    """The mirror world after several kinds of change at once."""
    w = mirror_world()
    caps = list(w.capabilities)
    caps[2] = cap("RRR", 180, 3000, 60)
    return w.replace(
        capabilities=caps,
        memberships=(*w.memberships, member("WEST", "NNN", "2021-01-01")),
        deployments=(w.deployments[0], deploy("e1", "EEE", "EEE", 54, 6, system="cm"),
                     deploy("x1", "WWW", "NNN", 42, 1, system="int", count=24,
                            unit="interceptors"),
                     deploy("bg", "EEE", "NNN", 43, 0, system="bg", count=1000, unit="troops")),
        overrides=(DyadOverride(of="FAR", to="RRR", hostility=0.9, start=dt.date(2000, 1, 1),
                                source=SRC),),
    )


def test_decomposition_sums_exactly_to_the_change() -> None:
    model = model_for(mirror_world())
    cmp_ = model.compare(mirror_world().at(DAY), changed_world().at(DAY))
    assert np.max(np.abs(cmp_.delta)) > 1e-3
    kw = dict(rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(cmp_.by_element.sum(axis=0), cmp_.delta, **kw)
    np.testing.assert_allclose(sum(cmp_.by_owner.values()), cmp_.delta, **kw)
    np.testing.assert_allclose(sum(cmp_.by_factor.values()), cmp_.delta, **kw)
    np.testing.assert_allclose(sum(cmp_.by_kind.values()), cmp_.delta, **kw)
    assert set(cmp_.by_factor) == set(FACTORS)
    ids = set(cmp_.element_ids)
    assert {"deploy:x1", "deploy:bg", "latent:NNN@WWW", "latent:WWW@NNN"} <= ids
    assert cmp_.by_owner.keys() == {"EEE", "FAR", "NNN", "RRR", "WWW"}


@pytest.mark.parametrize(
    ("change", "factor"),
    [
        ("capability", "strength"),
        ("override", "hostility"),
        ("new deployment", "strength"),
        ("system swap", "warning"),
    ],
)
def test_factor_attribution_of_single_causes(change: str, factor: str) -> None:
    w = mirror_world()
    if change == "capability":
        caps = list(w.capabilities)
        caps[2] = cap("RRR", 200, 3000, 50)
        after = w.replace(capabilities=caps)
    elif change == "override":
        after = w.replace(overrides=(DyadOverride(of="RRR", to="NNN", hostility=0.7,
                                                  start=dt.date(2000, 1, 1), source=SRC),))
    elif change == "new deployment":
        after = w.replace(deployments=(*w.deployments, deploy("r1", "RRR", "RRR", 56, 0)))
    else:  # a ballistic missile replaced by a cruise missile of equal range: only warning moves
        after = w.replace(deployments=(w.deployments[0], deploy("e1", "EEE", "EEE", 52, 8, "cm")))
    cmp_ = model_for(w).compare(w.at(DAY), after.at(DAY))
    assert np.max(np.abs(cmp_.delta)) > 1e-6
    np.testing.assert_allclose(cmp_.by_factor[factor], cmp_.delta, rtol=1e-9, atol=1e-15)
    for other in FACTORS:
        if other != factor:
            assert np.all(cmp_.by_factor[other] == 0.0)


def test_shapley_of_a_product_matches_the_two_factor_closed_form() -> None:
    x0, y0, x1, y1 = 2.0, 3.0, 5.0, 7.0
    phi = shapley_product(np.array([x0, y0]), np.array([x1, y1]))
    assert phi[0] == pytest.approx((x1 - x0) * (y0 + y1) / 2)
    assert phi[1] == pytest.approx((y1 - y0) * (x0 + x1) / 2)
    rng = np.random.default_rng(0)
    f0, f1 = rng.uniform(0, 1, (5, 4, 3)), rng.uniform(0, 1, (5, 4, 3))
    f1[2] = f0[2]  # an unchanged factor gets nothing
    phi = shapley_product(f0, f1)
    np.testing.assert_allclose(phi.sum(axis=0), f1.prod(axis=0) - f0.prod(axis=0), rtol=1e-12)
    assert np.all(phi[2] == 0.0)


def test_batch_at_defaults_reproduces_evaluate_and_the_kernel_matches_element_sums() -> None:
    world = changed_world()
    model = model_for(world)
    snap = world.at(DAY)
    ev = model.evaluate(snap)
    s = model.evaluate_batch(snap, ParamBatch.constant(model.params, 4))
    np.testing.assert_allclose(s, np.broadcast_to(ev.security, s.shape), rtol=1e-12)
    batch = draw_params(model.params, 37, seed=5)
    fast = model.evaluate_batch(snap, batch, chunk=10)
    f = element_factors(model.elements(snap), dict(batch.values))
    t, d = f.threat().sum(axis=1), f.protection().sum(axis=1)
    np.testing.assert_allclose(fast, d / (d + t), rtol=1e-11)
    np.testing.assert_allclose(model.evaluate_batch(snap, batch), fast, rtol=1e-13)


def test_same_seed_same_numbers() -> None:
    world = changed_world()
    model = model_for(world)
    snap = world.at(DAY)
    a = model.evaluate_batch(snap, draw_params(model.params, 64, seed=42))
    b = model_for(world).evaluate_batch(world.at(DAY), draw_params(model.params, 64, seed=42))
    c = model.evaluate_batch(snap, draw_params(model.params, 64, seed=43))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    s0, s1 = model.compare_batch(mirror_world().at(DAY), snap, draw_params(model.params, 8, 1))
    assert s0.shape == s1.shape == (8, 5)


def test_warning_weight_of_ballistic_versus_cruise_flight() -> None:
    w = mirror_world(deployments=(deploy("b", "RRR", "RRR", 56, 0),
                                  deploy("c", "RRR", "RRR", 56, 0, system="cm")))
    model = model_for(w)
    ev = model.evaluate(w.at(DAY))
    idx = ev.elements.index()
    k = ev.iso3.index("WWW")
    dist = ev.elements.flight_km[idx["deploy:b"], k]
    p = model.params
    t_ballistic = float(ballistic_coast_min(dist)) + p["boost_time_min"]
    t_cruise = dist / p["cruise_speed_kmh"] * 60
    ratio = ev.threat_by_element[idx["deploy:b"], k] / ev.threat_by_element[idx["deploy:c"], k]
    assert ratio == pytest.approx(math.exp((t_cruise - t_ballistic) / p["tau_min"]), rel=1e-12)


def test_roles_ranges_claims_and_reported_defaults() -> None:
    w = mirror_world(deployments=(deploy("o", "RRR", "RRR", 56, 0),
                                  deploy("d", "RRR", "RRR", 56, 0, "int", 12, "launchers"),
                                  deploy("s", "RRR", "RRR", 56, 0, "sec"),
                                  deploy("q", "RRR", "RRR", 56, 0, "dsp")))
    model = model_for(w)
    ev = model.evaluate(w.at(DAY))
    idx, p, k = ev.elements.index(), model.params, ev.iso3.index("WWW")
    # Same strength and coverage; an interceptor threatens by off_of_defensive only, and
    # protects its owner fully where the offensive missile protects by def_of_offensive.
    off_t = ev.threat_by_element[idx["deploy:o"], k]
    def_t = ev.threat_by_element[idx["deploy:d"], k]
    assert def_t == pytest.approx(off_t * p["off_of_defensive"], rel=1e-12)
    r = ev.iso3.index("RRR")
    assert ev.protection_by_element[idx["deploy:o"], r] == pytest.approx(
        ev.protection_by_element[idx["deploy:d"], r] * p["def_of_offensive"], rel=1e-12)
    assert ev.elements.range_km[idx["deploy:s"]] == p["default_range_km_glbm"]
    assert any("sec" in note for note in ev.elements.notes)
    assert ev.elements.range_km[idx["deploy:q"]] == 2500
    claimed = model_for(w, claims={"dsp": "RUS"}).elements(w.at(DAY))
    assert claimed.range_km[claimed.index()["deploy:q"]] == 480
    with pytest.raises(InputError, match="no range claim"):
        model_for(w, claims={"dsp": "CHN"}).elements(w.at(DAY))


def test_coverage_reach_is_capital_weighted() -> None:
    w = mirror_world(deployments=(deploy("o", "RRR", "RRR", 56, 0),))
    model = model_for(w)
    es = model.elements(w.at(DAY))
    e = es.index()["deploy:o"]
    for cw in (0.0, 0.5):
        ev = model_for(w, load_params(overrides={"capital_weight": cw})).evaluate(w.at(DAY))
        expect = es.cover_area[e] + cw * (es.cover_capital[e] - es.cover_area[e])
        np.testing.assert_allclose(ev.factors["reach"][e], expect, rtol=1e-14)


def test_troops_count_at_the_owners_capability_per_soldier() -> None:
    w = mirror_world(deployments=(deploy("bg", "EEE", "NNN", 43, 0, "bg", 1000, "troops"),))
    ev = model_for(w).evaluate(w.at(DAY))
    es = ev.elements
    home, bg = es.index()["home:EEE"], es.index()["deploy:bg"]
    assert ev.factors["strength"][bg, 0] == pytest.approx(ev.factors["strength"][home, 0] * 1000
                                                         / 1000, rel=1e-12)


def test_geometry_is_cached_per_snapshot_and_bad_batches_are_refused() -> None:
    world = mirror_world()
    model = model_for(world)
    snap = world.at(DAY)
    assert model.elements(snap) is model.elements(snap)
    with pytest.raises(ValueError, match="geometry"):
        batch = ParamBatch.constant(model.params, 2)
        values = dict(batch.values)
        values["default_range_km_glbm"] = np.array([500.0, 900.0])
        model.evaluate_batch(snap, ParamBatch(values=values, n=2))
    other = World(states=(state("AAA", 0, 0),))
    with pytest.raises(ValueError, match="same states"):
        model.compare(snap, model_for(other).evaluate(other.at(DAY)))


def test_stance_precedence_and_neutrality() -> None:
    w = mirror_world(
        neutrality=(NeutralitySpell(iso3="NNN", kind="declared", start=dt.date(2000, 1, 1),
                                    source=SRC),),
        overrides=(DyadOverride(of="WWW", to="EEE", hostility=0.4, start=dt.date(2000, 1, 1),
                                source=SRC),),
    )
    snap = w.at(DAY)
    st = model_for(w).elements(snap).stance
    k = snap.index
    hc, ac = st.hostility_class, st.alignment_class
    assert hc[k["WWW"], k["WWW"]] == 0 and ac[k["WWW"], k["WWW"]] == 1
    assert st.override_values[hc[k["WWW"], k["EEE"]] - 4] == 0.4 and ac[k["WWW"], k["EEE"]] == 2
    assert hc[k["EEE"], k["WWW"]] == 0 and ac[k["EEE"], k["WWW"]] == 2
    assert hc[k["RRR"], k["WWW"]] == 1 and ac[k["RRR"], k["WWW"]] == 0
    assert hc[k["NNN"], k["RRR"]] == 3 and hc[k["RRR"], k["NNN"]] == 3
    assert hc[k["FAR"], k["RRR"]] == 2
    # By default a neutral is treated like any other state; h_neutral changes only its dyads.
    plain = model_for(w).evaluate(snap).security
    neutral_free = mirror_world(overrides=w.overrides)
    np.testing.assert_allclose(
        model_for(neutral_free).evaluate(neutral_free.at(DAY)).security, plain, rtol=1e-14)
    wary = model_for(w, load_params(overrides={"h_neutral": 0.5})).evaluate(snap).security
    assert wary[k["NNN"]] < plain[k["NNN"]]
    assert wary[k["WWW"]] < plain[k["WWW"]]  # NNN's forces now count as more hostile to WWW


def test_overlapping_alliances_use_the_general_latent_product() -> None:
    w = changed_world()
    w = w.replace(alliances=(*w.alliances, alliance("SOUTH")),
                  memberships=(*w.memberships, member("SOUTH", "EEE"), member("SOUTH", "FAR")))
    model = model_for(w)
    snap = w.at(DAY)
    from indivisible.security import kernel

    assert kernel.plan(model.elements(snap)).cliques is None
    assert kernel.plan(model.elements(changed_world().at(DAY))).cliques is not None
    batch = draw_params(model.params, 9, seed=2)
    f = element_factors(model.elements(snap), dict(batch.values))
    t, d = f.threat().sum(axis=1), f.protection().sum(axis=1)
    np.testing.assert_allclose(model.evaluate_batch(snap, batch), d / (d + t), rtol=1e-11)


def test_the_scenarios_crimea_setting_reaches_the_geography() -> None:
    from indivisible.world import ScenarioSettings

    w = mirror_world(deployments=(deploy("o", "RRR", "RRR", 56, 0),
                                  deploy("bg", "EEE", "NNN", 43, 0, "bg", 1000, "troops")),
                     settings=ScenarioSettings(crimea="RUS"))
    model = model_for(w)
    model.evaluate(w.at(DAY))
    assert model.geography.crimea_seen == {"RUS"}
