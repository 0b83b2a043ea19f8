"""Package search on a small hand-made world: exactness, selection, heuristic, executors, runs.

The world has five states on a line (disks around their capitals, so the geometry is
closed-form), two rival alliances, missiles, interceptors and troops abroad. Its menu is
built to interact in every way the search must handle: two withdrawals of one
deployment, a deployment followed by "withdraw everything abroad", an accession and a
declaration of neutrality (stance), and a capability change (shares).
"""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pytest

from indivisible.actions import (
    ChangeCapability,
    DeclareNeutrality,
    Deploy,
    JoinAlliance,
    Withdraw,
)
from indivisible.errors import InputError
from indivisible.exec import DaskExecutor, LocalExecutor
from indivisible.search import Menu, decompose, search_packages
from indivisible.search.decompose import apply_measures
from indivisible.search.menu import Measure
from indivisible.search.select import candidates, pareto, prefilter, ranked, select, take
from indivisible.security import SecurityModel, draw_params, load_params
from indivisible.world import (
    Alliance,
    CapabilityRecord,
    Deployment,
    Membership,
    Rivalry,
    State,
    System,
    World,
)

SRC = "test fixture"
DAY = dt.date(2021, 12, 15)
EARTH_KM = 6371.0


class Disks:
    """Geography stand-in: each state a disk of ``radius`` km around its capital."""

    def __init__(self, centres: dict[str, tuple[float, float]], radius: float = 200.0) -> None:
        self.centres, self.radius = centres, radius

    @staticmethod
    def distance_km(lat1, lon1, lat2, lon2):  # noqa: ANN001, ANN205
        p1, p2 = np.radians(lat1), np.radians(lat2)
        dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
        h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
        return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))

    def _to(self, lat: float, lon: float, iso3: str) -> float:
        c = self.centres[iso3]
        return float(self.distance_km(lat, lon, c[0], c[1]))

    def territory_distance_matrix(self, iso3s, crimea="UKR"):  # noqa: ANN001, ANN201
        out = np.array([[max(0.0, self._to(*self.centres[a], b) - 2 * self.radius)
                         for b in iso3s] for a in iso3s])
        np.fill_diagonal(out, 0.0)
        return out

    def point_to_territory_km(self, lat, lon, iso3, crimea="UKR"):  # noqa: ANN001, ANN201
        return max(0.0, self._to(lat, lon, iso3) - self.radius)

    def coverage_matrix(self, lats, lons, ranges_km, iso3s, crimea="UKR", capitals=None,
                        capital_weight=0.0):  # noqa: ANN001, ANN201
        r = self.radius
        return np.array([[min(1.0, max(0.0, (rng - (self._to(la, lo, c) - r)) / (2 * r)))
                          for c in iso3s]
                         for la, lo, rng in zip(lats, lons, ranges_km, strict=True)])


def toy_world() -> World:
    def st(c: str, lon: float) -> State:
        return State(iso3=c, name=c.title(), capital=c, capital_lat=50.0, capital_lon=lon,
                     source=SRC)

    def cap(c: str, milex: float, pers: float, warheads: float = 0) -> CapabilityRecord:
        return CapabilityRecord(iso3=c, year=2021, milex_usd_m=milex, personnel=pers,
                                warheads=warheads, source=SRC)

    def alliance(a: str) -> Alliance:
        return Alliance(id=a, name=a, collective_defence=True, clause="Art. 1",
                        founded=dt.date(1990, 1, 1), source=SRC)

    def member(a: str, c: str) -> Membership:
        return Membership(alliance=a, iso3=c, start=dt.date(1995, 1, 1), source=SRC)

    def dep(i: str, owner: str, host: str, lon: float, system: str, count: float,
            unit: str) -> Deployment:
        return Deployment(id=i, owner=owner, host=host, site=i, lat=50.5, lon=lon,
                          system=system, count=count, unit=unit, start=dt.date(2010, 1, 1),
                          source=SRC)

    return World(
        states=(st("AAA", 0), st("BBB", 6), st("CCC", 12), st("DDD", 18), st("EEE", 24)),
        capabilities=(cap("AAA", 300, 3000, 100), cap("BBB", 80, 900),
                      cap("CCC", 250, 2500, 120), cap("DDD", 40, 400), cap("EEE", 60, 700)),
        alliances=(alliance("ALPHA"), alliance("BETA")),
        memberships=(member("ALPHA", "AAA"), member("ALPHA", "BBB"), member("BETA", "CCC"),
                     member("BETA", "EEE")),
        rivalries=(Rivalry(a="ALPHA", b="BETA", start=dt.date(1995, 1, 1), source=SRC),),
        systems=(
            System(id="msl", name="Missile", category="GLBM", role="offensive",
                   regime="ballistic", range_km=1200, source=SRC),
            System(id="bg", name="Battlegroup", category="ground-forces", role="offensive",
                   regime="ground", source=SRC),
            System(id="int", name="Interceptor", category="bmd-interceptor", role="defensive",
                   regime="interceptor", range_km=900, source=SRC),
        ),
        deployments=(dep("d1", "AAA", "BBB", 6.5, "msl", 10, "launchers"),
                     dep("d2", "CCC", "EEE", 23.5, "msl", 8, "launchers"),
                     dep("d3", "AAA", "BBB", 5.5, "bg", 1500, "troops"),
                     dep("d4", "EEE", "EEE", 24.0, "int", 20, "interceptors")),
    )


MEASURES = {
    "w-d1": Withdraw(deployments=("d1",)),
    "w-d1-again": Withdraw(deployments=("d1",)),
    "deploy-x": Deploy(id="x", owner="AAA", host="BBB", site="X", lat=50.2, lon=7.0,
                       system="bg", count=2000, unit="troops"),
    "w-aaa-abroad": Withdraw(owner="AAA", foreign_only=True),
    "ddd-joins": JoinAlliance(state="DDD", alliance="ALPHA"),
    "eee-neutral": DeclareNeutrality(state="EEE"),
    "w-d2": Withdraw(deployments=("d2",)),
    "deploy-y": Deploy(id="y", owner="CCC", host="CCC", site="Y", lat=50.0, lon=12.5,
                       system="msl", count=6, unit="launchers"),
    "w-d4": Withdraw(deployments=("d4",)),
    "bbb-arms": ChangeCapability(state="BBB", milex_factor=2.0),
}
NO_CAPABILITY = tuple(k for k in MEASURES if k != "bbb-arms")


def toy_menu(*ids: str) -> Menu:
    ids = ids or tuple(MEASURES)
    return Menu(id="toy", description="A toy menu.",
                measures=tuple(Measure(id=i, action=MEASURES[i], label=i, origin="action")
                               for i in ids))


@pytest.fixture(scope="module")
def world() -> World:
    return toy_world()


@pytest.fixture(scope="module")
def model(world: World) -> SecurityModel:
    return SecurityModel(load_params(), geography=Disks(
        {s.iso3: (s.capital_lat, s.capital_lon) for s in world.states}))


def direct(world: World, model: SecurityModel, menu: Menu, mask: int) -> np.ndarray:
    """Every state's change under the package, by applying it and evaluating the world."""
    chosen = [i for i in range(len(menu.measures)) if mask >> i & 1]
    after = apply_measures(world, [menu.measures[i].action for i in chosen],
                           [menu.measures[i].id for i in chosen], DAY)
    return model.evaluate(after.at(DAY)).security - model.evaluate(world.at(DAY)).security


@pytest.fixture(scope="module")
def brute(world: World, model: SecurityModel) -> dict[tuple[str, ...], np.ndarray]:
    """Direct evaluation of every subset of both toy menus (1,536 worlds)."""
    out = {}
    for ids in (NO_CAPABILITY, tuple(MEASURES)):
        menu = toy_menu(*ids)
        out[ids] = np.array([direct(world, model, menu, k) for k in range(1 << len(ids))])
    return out


# -- exactness ------------------------------------------------------------------------


@pytest.mark.parametrize("ids", [NO_CAPABILITY, tuple(MEASURES)], ids=["stance", "capability"])
def test_mask_evaluation_equals_direct_evaluation_of_every_package(world, model, brute, ids):
    menu = toy_menu(*ids)
    d = decompose(world, DAY, model, [m.action for m in menu.measures], menu.ids)
    masks = np.arange(1 << len(ids), dtype=np.int64)
    got = d.tables.deltas(d.tables.from_menu(masks))
    np.testing.assert_allclose(got, brute[ids], rtol=0, atol=1e-12)
    # the interactions are real: adding single-measure changes would be wrong
    single = np.array([brute[ids][1 << i] for i in range(len(ids))])
    naive = np.array([sum((single[i] for i in range(len(ids)) if k >> i & 1), np.zeros(5))
                      for k in masks])
    assert np.abs(naive - brute[ids]).max() > 1e-3


def test_interacting_measures_are_grouped_and_the_rest_stay_alone(world, model):
    menu = toy_menu(*NO_CAPABILITY)
    d = decompose(world, DAY, model, [m.action for m in menu.measures], menu.ids)
    groups = {tuple(menu.ids[i] for i in g) for g in d.groups}
    # same record twice; a deployment then "everything abroad" that withdraws it too
    assert ("w-d1", "w-d1-again", "deploy-x", "w-aaa-abroad") in groups
    assert tuple(menu.ids[i] for i in d.stance_group) == ("ddd-joins", "eee-neutral")
    assert {("w-d2",), ("deploy-y",), ("w-d4",)} <= groups
    # a capability change joins everything whose strength scales with capabilities
    full = toy_menu()
    d2 = decompose(world, DAY, model, [m.action for m in full.measures], full.ids)
    stance = {full.ids[i] for i in d2.stance_group}
    assert {"bbb-arms", "ddd-joins", "deploy-x", "w-d1"} <= stance
    assert "w-d2" not in stance  # launchers: strength not a capability share


def test_a_group_beyond_the_evaluation_limit_is_refused_with_its_measures(world, model):
    menu = toy_menu(*NO_CAPABILITY)
    with pytest.raises(InputError, match="w-d1, w-d1-again, deploy-x, w-aaa-abroad interact"):
        decompose(world, DAY, model, [m.action for m in menu.measures], menu.ids,
                  max_evaluations=20)


# -- selection ------------------------------------------------------------------------


def test_pareto_front_of_a_hand_built_example_is_non_dominated_and_complete():
    #            mask  min    sum
    points = [(0b0001, -0.1, 2.0),   # front (largest sum)
              (0b0010, 0.0, 1.0),    # front
              (0b0100, 0.0, 0.5),    # dominated by 0b0010
              (0b1000, 0.2, 0.2),    # front (largest min)
              (0b0011, -0.1, 1.5),   # dominated by 0b0001
              (0b0101, 0.2, 0.2),    # same outcome as 0b1000, more measures
              (0b1001, 0.1, 1.0),    # front: beats 0b0010 on min, same sum
              (0b0110, -0.3, 2.0)]   # dominated by 0b0001 (same sum, lower min)
    c = candidates(np.array([p[0] for p in points]), np.array([p[1] for p in points]),
                   np.array([p[2] for p in points]), np.zeros(len(points), dtype=np.int64))
    idx, counts = pareto(c, 4)
    assert [points[i][0] for i in idx] == [0b0001, 0b1001, 0b1000]
    assert counts.tolist() == [1, 1, 2]  # 0b1000 and 0b0101 give the same numbers


def test_ranking_keeps_nobody_loses_breaks_ties_and_counts_equivalents():
    #            mask    min    sum  losers
    points = [(0b00000, 0.0, 0.0, 0),
              (0b00001, 0.02, 0.1, 0),
              (0b00110, 0.02, 0.3, 0),   # same min, larger sum: ranks first under "min"
              (0b10000, 0.02, 0.3, 0),   # same outcome, fewer measures: represents it
              (0b01000, 0.05, -0.2, 1),  # someone loses: never ranked
              (0b00010, -0.01, 0.9, 0)]
    c = candidates(*(np.array([p[k] for p in points]) for k in range(4)))
    idx, counts = ranked(c, "min", 3, 5)
    assert [points[i][0] for i in idx] == [0b10000, 0b00001, 0b00000]
    assert counts.tolist() == [2, 1, 1]
    idx, counts = ranked(c, "sum", 2, 5)
    assert [points[i][0] for i in idx] == [0b00010, 0b10000]


def test_pareto_front_equals_pairwise_dominance_on_random_points():
    rng = np.random.default_rng(5)
    mn = np.round(rng.normal(size=400), 1)  # coarse: many ties
    sm = np.round(rng.normal(size=400), 1)
    c = candidates(np.arange(400), mn, sm, np.zeros(400, dtype=np.int64))
    idx, _ = pareto(c, 9)
    dominated = [any((mn[j] >= mn[i] and sm[j] >= sm[i] and (mn[j] > mn[i] or sm[j] > sm[i]))
                     for j in range(400)) for i in range(400)]
    points = {(mn[i], sm[i]) for i in range(400) if not dominated[i]}
    assert {(mn[i], sm[i]) for i in idx} == points and len(idx) == len(points)
    for i in idx:  # the representative of its point: the smallest mask with it
        assert i == min(k for k in range(400) if (mn[k], sm[k]) == (mn[i], sm[i]))


def test_selection_of_chunks_equals_selection_of_the_whole():
    rng = np.random.default_rng(8)
    n = 3000
    c = candidates(rng.permutation(n), np.round(rng.normal(size=n), 2),
                   np.round(rng.normal(size=n), 2), (rng.random(n) < 0.3).astype(np.int64))
    whole = select(c, "min", 7, 12)
    parts = [select({k: v[s:s + 500] for k, v in c.items()}, "min", 7, 12)
             for s in range(0, n, 500)]
    merged = select({k: np.concatenate([p[k] for p in parts]) for k in c}, "min", 7, 12)
    for k in c:
        assert np.array_equal(whole[k], merged[k]), k


@pytest.mark.parametrize("objective", ["min", "sum"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prefilter_keeps_every_row_of_every_kept_outcome(objective, seed):
    rng = np.random.default_rng(seed)
    n = 5000
    base = rng.normal(size=(300, 2)).round(2)  # few outcomes, each repeated (inert measures)
    pick = rng.integers(0, 300, n)
    c = candidates(rng.permutation(n), base[pick, 0], base[pick, 1],
                   (base[pick, 0] < -0.5).astype(np.int64))
    rows = prefilter(c["min_delta"], c["sum_delta"], c["n_losers"], objective, 6)
    assert len(rows) < n // 4  # it does filter
    whole, part = select(c, objective, 6, 13), select(take(c, rows), objective, 6, 13)
    for k in c:
        assert np.array_equal(whole[k], part[k]), k


# -- the search -------------------------------------------------------------------------


def _brute_outcomes(menu: Menu, deltas: np.ndarray, eps: float):
    n = len(menu.measures)
    rows = []
    for k in range(1 << n):
        d = deltas[k]
        rows.append((k, round(float(d.min()), 11), round(float(d.sum()), 11),
                     bool(np.all(d >= -eps)), bin(k).count("1")))
    return rows


@pytest.mark.parametrize("objective", ["min", "sum"])
def test_exhaustive_search_equals_brute_force_over_every_package(world, model, brute, objective):
    menu = toy_menu(*NO_CAPABILITY)
    res = search_packages(world, menu, at=DAY, objective=objective, draws=0, top=5,
                          model=model, executor=LocalExecutor(1), save=False)
    eps = res.epsilon
    rows = _brute_outcomes(menu, brute[NO_CAPABILITY], eps)
    assert res.method == "exhaustive" and res.evaluated == 1 << len(NO_CAPABILITY)
    assert res.feasible == sum(r[3] for r in rows)
    # best outcomes, each represented by its smallest package
    key = (lambda r: (-r[1], -r[2], r[4], r[0])) if objective == "min" else \
        (lambda r: (-r[2], -r[1], r[4], r[0]))
    best, seen = [], set()
    for r in sorted((r for r in rows if r[3]), key=key):
        if (r[1], r[2]) not in seen:
            seen.add((r[1], r[2]))
            best.append(r)
    got = [p for p in res.packages if p.rank is not None]
    assert [p.mask for p in got] == [r[0] for r in best[:5]]
    assert [p.rank for p in got] == [1, 2, 3, 4, 5]
    for p in got:
        assert p.equivalent == sum(1 for r in rows if (r[1], r[2]) == (round(p.min_delta, 11),
                                                                      round(p.sum_delta, 11)))
    # the front: every undominated outcome, nothing else
    front = {(r[1], r[2]) for r in rows
             if not any(o[1] >= r[1] and o[2] >= r[2] and (o[1], o[2]) != (r[1], r[2])
                        for o in rows)}
    assert {(round(res.packages[k].min_delta, 11), round(res.packages[k].sum_delta, 11))
            for k in res.pareto} == front
    assert len(res.pareto) == len(front)
    sums = [res.packages[k].sum_delta for k in res.pareto]
    mins = [res.packages[k].min_delta for k in res.pareto]
    assert sums == sorted(sums, reverse=True)  # the front as a curve: sum down, minimum up
    assert all(a < b for a, b in zip(mins, mins[1:], strict=False))
    # every reported number is the package's own direct evaluation
    for p in res.packages:
        d = brute[NO_CAPABILITY][p.mask]
        assert p.min_delta == pytest.approx(d.min(), abs=1e-12)
        assert p.sum_delta == pytest.approx(d.sum(), abs=1e-12)
        assert p.losers == [c for c, x in zip(sorted(s.iso3 for s in world.states), d,
                                               strict=True) if x < -eps]
        assert p.feasible == (p.rank is not None or not p.losers)


def test_robustness_is_the_share_of_draws_in_which_nobody_loses(world, model):
    menu = toy_menu(*NO_CAPABILITY)
    res = search_packages(world, menu, at=DAY, draws=40, seed=3, top=3, model=model,
                          executor=LocalExecutor(1), save=False)
    batch = draw_params(model.params, 40, 3)
    s0 = model.evaluate_batch(world.at(DAY), batch)
    checked = 0
    for p in res.packages:
        after = apply_measures(world, [MEASURES[i] for i in p.measures], p.measures, DAY)
        d = model.evaluate_batch(after.at(DAY), batch) - s0
        expected = np.mean(np.all(d >= -batch.values["epsilon"][:, None], axis=1))
        assert p.robustness == pytest.approx(expected, abs=0)
        checked += 0 < p.robustness < 1
    assert res.packages[0].measures == [] and res.packages[0].robustness == 1.0
    assert checked  # some package is neither always nor never safe


def test_heuristic_beyond_the_limit_is_labelled_and_cannot_beat_exhaustive(world, model, brute):
    menu = toy_menu(*NO_CAPABILITY)
    exact = search_packages(world, menu, at=DAY, draws=0, top=3, model=model,
                            executor=LocalExecutor(1), save=False)
    res = search_packages(world, menu, at=DAY, draws=0, top=3, model=model, max_exhaustive=4,
                          starts=12, seed=2, executor=LocalExecutor(1), save=False)
    assert res.method.startswith("heuristic: ") and "not guaranteed" in res.method
    assert res.to_json()["method"] == res.method
    assert 0 < res.evaluated <= 12 * (1 << len(NO_CAPABILITY))
    best = res.packages[0]
    assert best.min_delta <= exact.packages[0].min_delta + 1e-15
    for p in res.packages:  # numbers are exact even when the search is not exhaustive
        d = brute[NO_CAPABILITY][p.mask]
        assert p.min_delta == pytest.approx(d.min(), abs=1e-12)
        assert p.equivalent is None


def _fingerprint(res) -> list:
    return [(p.mask, p.min_delta, p.sum_delta, p.robustness, p.rank, p.equivalent)
            for p in res.packages] + [res.pareto, res.evaluated, res.feasible, res.method]


def test_same_seed_same_result_on_local_1_and_2_workers_and_dask(world, model):
    menu = toy_menu(*NO_CAPABILITY)
    common = dict(at=DAY, draws=25, seed=11, top=4, model=model, save=False)
    results = {}
    with LocalExecutor(1) as l1, LocalExecutor(2) as l2, \
            DaskExecutor(workers=2, processes=False) as dk:
        for ex in (l1, l2, dk):
            for limit in (20, 5):  # exhaustive in 16 chunks, then the heuristic
                res = search_packages(world, menu, max_exhaustive=limit, chunk_size=32,
                                      starts=10, executor=ex, **common)
                results[(ex.name, ex.workers, limit)] = _fingerprint(res)
    exhaustive = [v for k, v in results.items() if k[2] == 20]
    heuristic = [v for k, v in results.items() if k[2] == 5]
    assert all(r == exhaustive[0] for r in exhaustive)
    assert all(r == heuristic[0] for r in heuristic)
    other = search_packages(world, menu, max_exhaustive=5, starts=10, executor=LocalExecutor(1),
                            **{**common, "seed": 12})
    assert _fingerprint(other) != heuristic[0]


def test_chunk_task_survives_pickling(world, model):
    menu = toy_menu(*NO_CAPABILITY)
    d = decompose(world, DAY, model, [m.action for m in menu.measures], menu.ids)
    tables = pickle.loads(pickle.dumps(d.tables))
    q = np.arange(1 << len(NO_CAPABILITY), dtype=np.int64)
    assert np.array_equal(tables.deltas(q), d.tables.deltas(q))


def test_a_saved_search_resumes_and_gives_the_same_result(world, model, tmp_path):
    menu = toy_menu(*NO_CAPABILITY)
    common = dict(at=DAY, draws=0, top=3, model=model, chunk_size=64, save=True,
                  runs_dir=tmp_path, executor=LocalExecutor(1))
    first = search_packages(world, menu, **common)
    run_dir = tmp_path / first.run["id"]
    chunks = sorted((run_dir / "chunks").glob("chunk-*.parquet"))
    assert len(chunks) == (1 << len(NO_CAPABILITY)) // 64
    chunks[3].unlink()  # as if interrupted
    again = search_packages(world, menu, **common)
    assert again.run["id"] == first.run["id"]
    assert _fingerprint(again) == _fingerprint(first)
    other = search_packages(world, menu, **{**common, "objective": "sum"})
    assert other.run["id"] != first.run["id"]


def test_bad_arguments_are_input_errors(world, model):
    menu = toy_menu("w-d2")
    with pytest.raises(InputError, match="--objective"):
        search_packages(world, menu, at=DAY, objective="max", model=model)
    with pytest.raises(InputError, match="--draws"):
        search_packages(world, menu, at=DAY, draws=-1, model=model)


def test_deploy_then_withdraw_everything_abroad_leaves_nothing(world, model):
    """Record-level interaction: the search must see that the pair is the withdrawal alone."""
    menu = toy_menu("deploy-x", "w-aaa-abroad")
    d = decompose(world, DAY, model, [m.action for m in menu.measures], menu.ids)
    assert d.groups == ((0, 1),)
    got = d.tables.deltas(np.array([0b11], dtype=np.int64))[0]
    np.testing.assert_allclose(got, direct(world, model, menu, 0b10), rtol=0, atol=1e-15)
    assert np.abs(direct(world, model, menu, 0b01)).max() > 1e-3  # the deployment matters


@pytest.mark.parametrize("other", ["deploy-x", "w-d3", "ccc-arms"])
def test_capability_changes_combine_exactly_with_what_scales_with_them(world, model, other):
    """Strengths are shares of all capabilities: troops abroad (new or withdrawn) and other
    capability changes do not add up with a change of one state's expenditure."""
    extra = {"w-d3": Withdraw(deployments=("d3",)),
             "ccc-arms": ChangeCapability(state="CCC", personnel_factor=0.5)}
    actions = [MEASURES["bbb-arms"], MEASURES.get(other) or extra[other]]
    menu = Menu(id="pair", description="", measures=tuple(
        Measure(id=i, action=a, label=i, origin="action")
        for i, a in zip(("bbb-arms", other), actions, strict=True)))
    d = decompose(world, DAY, model, actions, menu.ids)
    assert d.groups == ((0, 1),)
    want = np.array([direct(world, model, menu, k) for k in range(4)])
    np.testing.assert_allclose(d.tables.deltas(np.arange(4, dtype=np.int64)), want, rtol=0,
                               atol=1e-12)
    assert np.abs(want[3] - want[1] - want[2]).max() > 1e-9  # not additive


def test_a_package_whose_tables_disagree_with_the_world_is_never_reported(world, model,
                                                                          monkeypatch):
    from indivisible.search.tables import Tables

    menu = toy_menu("w-d2", "deploy-y")
    real = Tables.deltas
    monkeypatch.setattr(Tables, "deltas", lambda self, q, work=None: real(self, q, work) + 1e-6)
    with pytest.raises(RuntimeError, match="disagree with a direct evaluation"):
        search_packages(world, menu, at=DAY, draws=0, model=model, executor=LocalExecutor(1),
                        save=False)
