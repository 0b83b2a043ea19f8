"""Search a menu for packages under which no state's security falls by more than epsilon.

The steps: group the measures by interaction and build exact tables
(:mod:`~indivisible.search.decompose`); evaluate every package in chunks on an executor
(:mod:`~indivisible.search.enumerate`) — or, beyond ``max_exhaustive`` measures, climb
from many starts (:mod:`~indivisible.search.heuristic`); keep the best packages under the
objective and the Pareto front of (sum of changes, smallest change); then assess each
reported package on its own: apply it to the world, evaluate it directly (the numbers
``indivisible assess`` gives), refuse to go on if the tables disagree, and measure its
robustness — the share of parameter draws in which nobody loses more than epsilon.

Long enumerations are saved chunk by chunk as a resumable run
(:func:`indivisible.exec.run_sweep`), so an interrupted search continues where it stopped.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from indivisible.errors import InputError
from indivisible.exec.chunks import plan_chunks
from indivisible.exec.executor import Executor, get_executor
from indivisible.exec.progress import progress_bar
from indivisible.search import heuristic
from indivisible.search.decompose import MAX_EVALUATIONS, Decomposition, apply_measures, decompose
from indivisible.search.enumerate import CHUNK, enumerate_chunk
from indivisible.search.menu import Menu
from indivisible.search.select import COLUMNS, OBJECTIVES, concat, pareto, ranked, unique
from indivisible.search.tables import release_workspace
from indivisible.security import Params, SecurityModel, draw_params, load_params
from indivisible.world.scenario import World

#: Menus up to this many measures are enumerated exhaustively (2**20 packages).
MAX_EXHAUSTIVE = 20
#: Enumerations of at least this many packages are saved as resumable runs by default.
SAVE_FROM = 1 << 16
#: Reported numbers must equal a direct evaluation to this tolerance (units of S).
TOLERANCE = 1e-9
RUN_KIND = "search"


@dataclass
class Package:
    measures: list[str]
    mask: int
    min_delta: float
    sum_delta: float
    losers: list[str]
    gainers: list[str]
    robustness: float | None
    rank: int | None
    equivalent: int | None
    delta: dict[str, float] = field(repr=False)

    @property
    def feasible(self) -> bool:
        return not self.losers

    def to_json(self) -> dict[str, Any]:
        return {"measures": self.measures, "min_delta": self.min_delta,
                "sum_delta": self.sum_delta, "losers": self.losers, "robustness": self.robustness,
                "feasible": self.feasible, "rank": self.rank, "equivalent": self.equivalent,
                "gainers": self.gainers,
                "delta": self.delta}


@dataclass
class SearchResult:
    menu: Menu
    date: dt.date
    objective: str
    method: str
    evaluated: int
    feasible: int
    packages: list[Package]
    pareto: list[int]
    epsilon: float
    draws: int
    seed: int
    top: int
    executor: dict[str, Any]
    decomposition: Decomposition
    timings: dict[str, float]
    run: dict[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        d = self.decomposition
        iso3 = d.tables.iso3
        group_of = {i: k for k, g in enumerate(d.groups) for i in g}
        s0 = d.base.security
        measures = []
        for i, m in enumerate(self.menu.measures):
            delta = d.alone[i].security - s0
            measures.append({
                **m.payload(),
                "group": group_of[i],
                "stance": i in d.stance_group,
                "inert": d.footprints[i].empty,
                "alone": {"min_delta": float(delta.min()), "sum_delta": float(delta.sum()),
                          "losers": [c for c, x in zip(iso3, delta, strict=True)
                                     if x < -self.epsilon]},
            })
        return {
            "menu": self.menu.id,
            "menu_description": self.menu.description,
            "date": self.date.isoformat(),
            "objective": self.objective,
            "method": self.method,
            "evaluated": self.evaluated,
            "feasible": self.feasible,
            "epsilon": self.epsilon,
            "draws": self.draws,
            "seed": self.seed,
            "top": self.top,
            "packages": [p.to_json() for p in self.packages],
            "pareto": self.pareto,
            "measures": measures,
            "skipped": list(self.menu.skipped),
            "groups": [{"measures": [self.menu.measures[i].id for i in g],
                        "stance": tuple(g) == tuple(d.stance_group) and bool(g)}
                       for g in d.groups],
            "direct_evaluations": d.evaluations,
            "executor": self.executor,
            "timings_s": self.timings,
            "run": self.run,
        }


def _digest(obj: str) -> str:
    return hashlib.sha256(obj.encode()).hexdigest()


def _enumerate(d: Decomposition, objective: str, top: int, executor: Executor,
               chunk_size: int, seed: int, save: bool, runs_dir: str | Path | None,
               inputs: Mapping[str, Any], parameters: Mapping[str, Any]
               ) -> tuple[dict[str, NDArray], dict[str, str] | None]:
    n = 1 << d.tables.n_measures
    fn = functools.partial(enumerate_chunk, d.tables, objective, top)
    with progress_bar("packages", n) as bar:
        if not save:
            parts = executor.map(fn, plan_chunks(n, chunk_size, seed), progress=bar)
            return concat(parts) | _stack(parts, "chunk", "evaluated", "feasible"), None
        from indivisible.exec.sweep import open_sweep, run_sweep

        sweep = open_sweep(RUN_KIND, inputs, seed, n, chunk_size, parameters=parameters,
                           runs_dir=runs_dir)
        table = run_sweep(fn, sweep, executor, progress=bar)
    cols = {k: table.column(k).to_numpy() for k in table.column_names}
    return cols, {"id": sweep.run_dir.name, "path": str(sweep.run_dir)}


def _stack(parts: list[dict[str, NDArray]], *names: str) -> dict[str, NDArray]:
    return {k: np.concatenate([p[k] for p in parts]) for k in names}


def _counts(cols: Mapping[str, NDArray]) -> tuple[int, int]:
    """(evaluated, feasible) summed over chunks (each chunk repeats its counts per row)."""
    _, first = np.unique(cols["chunk"], return_index=True)
    return int(cols["evaluated"][first].sum()), int(cols["feasible"][first].sum())


def search_packages(
    world: World,
    menu: Menu,
    *,
    at: dt.date,
    params: Params | None = None,
    objective: str = "min",
    draws: int = 100,
    seed: int = 0,
    top: int = 10,
    claims: Mapping[str, str] | None = None,
    executor: Executor | None = None,
    max_exhaustive: int = MAX_EXHAUSTIVE,
    starts: int = heuristic.STARTS,
    max_evaluations: int = MAX_EVALUATIONS,
    chunk_size: int | None = None,
    save: bool | None = None,
    runs_dir: str | Path | None = None,
    model: SecurityModel | None = None,
) -> SearchResult:
    """Find the packages of ``menu`` under which nobody loses; see the module docstring.

    ``model`` replaces the model built from ``params`` and ``claims`` (tests use it to
    give a stand-in geography). ``chunk_size`` fixes the chunk plan (packages, or starts
    of the heuristic, per chunk); the numbers never depend on it. ``save`` (default: from
    ``SAVE_FROM`` packages) keeps the enumeration as a resumable run under ``runs_dir``.
    """
    if objective not in OBJECTIVES:
        raise InputError(f"expected one of {', '.join(OBJECTIVES)}, got {objective!r}",
                         field="--objective")
    for name, value, low in (("--draws", draws, 0), ("--top", top, 1), ("--seed", seed, 0),
                             ("--max-exhaustive", max_exhaustive, 0), ("--starts", starts, 1),
                             ("--max-evaluations", max_evaluations, 1)):
        if value < low:
            raise InputError(f"expected an integer >= {low}, got {value}", field=name)
    if model is None:
        model = SecurityModel(params if params is not None else load_params(), claims=claims)
    params = model.params
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    actions = [m.action for m in menu.measures]
    with progress_bar("measures and their combinations", None) as bar:
        d = decompose(world, at, model, actions, menu.ids, max_evaluations=max_evaluations,
                      progress=bar.advance)
    timings["decompose"] = time.perf_counter() - t0
    m = d.tables.n_measures
    own = executor is None
    ex = executor if executor is not None else get_executor("local")
    t1 = time.perf_counter()
    run = None
    try:
        if m <= max_exhaustive:
            method = "exhaustive"
            n = 1 << m
            size = chunk_size or min(CHUNK, n)
            inputs = {"menu": menu.id, "menu_digest": menu.digest(),
                      "world_digest": _digest(world.model_dump_json()), "date": at.isoformat(),
                      "claims": dict(sorted((claims or model.claims).items()))}
            parameters = {"params": dict(params.values), "objective": objective, "top": top}
            cols, run = _enumerate(d, objective, top, ex, size, seed,
                                   save if save is not None else n >= SAVE_FROM, runs_dir,
                                   inputs, parameters)
        else:
            method = heuristic.describe(starts, seed)
            fn = functools.partial(heuristic.climb_chunk, d.tables, objective, top, 4 * m)
            chunks = plan_chunks(starts, chunk_size or heuristic.STARTS_PER_CHUNK, seed)
            with progress_bar("starts", starts) as bar:
                parts = ex.map(fn, chunks, progress=bar)
            cols = concat(parts) | _stack(parts, "chunk", "evaluated", "feasible")
    finally:
        release_workspace()  # the inline executor ran chunks in this thread
        if own:
            ex.close()
    timings["search"] = time.perf_counter() - t1
    evaluated, feasible = _counts(cols)
    found = {k: np.asarray(cols[k]) for k in COLUMNS}
    exhaustive = method == "exhaustive"
    if not exhaustive:  # the same package may come from several starts
        found = unique(found)
    best_idx, best_n = ranked(found, objective, top, m)
    front_idx, front_n = pareto(found, m)
    best, front = best_idx.tolist(), front_idx.tolist()
    equivalent = dict(zip(best + front, best_n.tolist() + front_n.tolist(), strict=True))
    order = best + sorted((i for i in front if i not in best),
                          key=lambda i: (-found["sum_delta"][i], -found["min_delta"][i]))
    t2 = time.perf_counter()
    packages = _assess_each(world, at, menu, d, model, found, order, best, draws, seed,
                            equivalent if exhaustive else None)
    timings["assess"] = time.perf_counter() - t2
    on_front = set(front)
    return SearchResult(
        menu=menu, date=at, objective=objective, method=method, evaluated=evaluated,
        feasible=feasible, packages=packages,
        pareto=sorted((k for k, i in enumerate(order) if i in on_front),
                      key=lambda k: (-found["sum_delta"][order[k]],
                                     -found["min_delta"][order[k]])),
        epsilon=d.tables.epsilon, draws=draws, seed=seed, top=top, executor=ex.describe(),
        decomposition=d, timings=timings, run=run,
    )


def _assess_each(world: World, at: dt.date, menu: Menu, d: Decomposition,
                 model: SecurityModel, found: Mapping[str, NDArray], order: list[int],
                 best: list[int], draws: int, seed: int, equivalent: dict[int, int] | None
                 ) -> list[Package]:
    """Each reported package applied to the world and evaluated on its own, with robustness."""
    tables = d.tables
    iso3 = tables.iso3
    eps = tables.epsilon
    before = world.at(at)
    s_before = model.evaluate(before).security
    batch = draw_params(model.params, draws, seed) if draws > 0 else None
    s_before_draws = model.evaluate_batch(before, batch) if batch is not None else None
    rank = {i: k + 1 for k, i in enumerate(best)}
    out: list[Package] = []
    with progress_bar("assessing packages", len(order)) as bar:
        for i in order:
            mask = int(found["mask"][i])
            chosen = [k for k in range(tables.n_measures) if mask >> k & 1]
            ids = [menu.measures[k].id for k in chosen]
            after_world = apply_measures(world, [menu.measures[k].action for k in chosen], ids,
                                         at)
            after = after_world.at(at)
            delta = model.evaluate(after).security - s_before
            predicted = tables.deltas(tables.from_menu(np.array([mask], dtype=np.int64)))[0]
            gap = float(np.max(np.abs(predicted - delta)))
            if gap > TOLERANCE:
                raise RuntimeError(
                    f"internal error: the package tables disagree with a direct evaluation of "
                    f"{', '.join(ids) or 'the empty package'} by {gap:.3g}; please report it")
            robustness = None
            if batch is not None and s_before_draws is not None:
                d_draws = model.evaluate_batch(after, batch) - s_before_draws
                tol = np.asarray(batch.values["epsilon"], dtype=float)[:, None]
                robustness = float(np.mean(np.all(d_draws >= -tol, axis=1)))
            out.append(Package(
                measures=ids, mask=mask, min_delta=float(delta.min()),
                sum_delta=float(delta.sum()),
                losers=[c for c, x in zip(iso3, delta, strict=True) if x < -eps],
                gainers=[c for c, x in zip(iso3, delta, strict=True) if x > eps],
                robustness=robustness, rank=rank.get(i),
                equivalent=None if equivalent is None else equivalent[i],
                delta={c: float(x) for c, x in zip(iso3, delta, strict=True)},
            ))
            bar.advance(1)
    return out
