"""The game view of one dyad at a date: its 2x2 game, Jervis's world, iterated play.

The thin layer between the model and the model-free game code: the owner matrices come from
:mod:`indivisible.dynamics.coupling`, the arming step and its cost and the misperception
rate from the dynamics parameter file, the transparency from a package of measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np

from indivisible.dynamics.coupling import owner_matrices
from indivisible.dynamics.measures import NONE, Measures
from indivisible.dynamics.params import DynamicsParams, load_dynamics_params
from indivisible.errors import InputError
from indivisible.games.derive import dyad_game
from indivisible.games.iterated import tournament, transparency_noise
from indivisible.games.strategies import STRATEGIES
from indivisible.games.twobytwo import ACTIONS
from indivisible.games.worlds import JervisWorld, jervis_world
from indivisible.output import Section
from indivisible.world.scenario import World


def dyad_world(evaluation: Any, a: int, b: int, *, offense_threshold: float,
               distinguishable_threshold: float) -> JervisWorld:
    """Jervis's world of the dyad from the model's per-element threat and protection."""
    es = evaluation.elements
    owner = np.asarray(es.owner_idx)
    t_by = np.asarray(evaluation.threat_by_element)
    d_by = np.asarray(evaluation.protection_by_element)
    mine = (owner == a) | (owner == b)
    offense = float(t_by[owner == a, b].sum() + t_by[owner == b, a].sum())
    defense = float(d_by[owner == a, a].sum() + d_by[owner == b, b].sum())
    weight = (t_by[mine] + d_by[mine]).sum(axis=1)
    dual = np.asarray(es.role)[mine] == "dual"
    total = float(weight.sum())
    dual_share = float(weight[dual].sum() / total) if total > 0 else 1.0
    return jervis_world(offense, defense, dual_share, offense_threshold=offense_threshold,
                        distinguishable_threshold=distinguishable_threshold)


def game_view(
    world: World,
    a: str,
    b: str,
    date: dt.date,
    *,
    measures: Measures = NONE,
    params: DynamicsParams | None = None,
    model_params: Any = None,
    claims: Mapping[str, str] | None = None,
    rounds: int = 200,
    runs: int = 100,
    seed: int = 0,
) -> dict[str, Any]:
    """Everything ``indivisible game`` shows, as its JSON payload."""
    from indivisible.security import SecurityModel

    params = params or load_dynamics_params()
    snap = world.at(date)
    for code, name in ((a, "A"), (b, "B")):
        if code not in snap.index:
            raise InputError(f"unknown state {code!r} at {date} (ISO3 code expected)",
                             field=name)
    if a == b:
        raise InputError("a dyad needs two different states", field="B")
    ev = SecurityModel(model_params, claims=claims).evaluate(snap)
    om = owner_matrices(ev)
    i, j = snap.index[a], snap.index[b]
    step, cost = params["game_arm_step"], params["game_arm_cost"]
    game = dyad_game(om.threat, om.protection, i, j, arm_step=step, arm_cost=cost,
                     players=(a, b))
    cls = game.classify()
    eqs = game.equilibria()
    jw = dyad_world(ev, i, j, offense_threshold=params["jervis_offense_threshold"],
                    distinguishable_threshold=params["jervis_distinguishable_threshold"])
    noise = transparency_noise(params["game_noise"], measures.transparency,
                               params["transparency_efficacy"])
    strategies = list(STRATEGIES.values())
    tour = tournament(game, strategies, rounds=rounds, runs=runs, noise=noise, seed=seed)
    keys = tour.keys

    def cells(m: np.ndarray) -> dict[str, dict[str, float]]:
        return {f"{a} {ACTIONS[x]}": {f"{b} {ACTIONS[y]}": float(m[x, y]) for y in (0, 1)}
                for x in (0, 1)}

    return {
        "command": "game",
        "dyad": [a, b],
        "date": date.isoformat(),
        "scenario": world.settings.title,
        "security": {a: float(om.security[i]), b: float(om.security[j])},
        "arm_step": step,
        "arm_cost": cost,
        "payoffs": {a: cells(game.row), b: cells(game.col)},
        "classification": {"name": cls.name, a: cls.row, b: cls.col,
                           f"{a}_order": cls.row_order, f"{b}_order": cls.col_order},
        "equilibria": [{"label": e.label(), "pure": e.pure,
                        a: {"restrain": e.row[0], "arm": e.row[1]},
                        b: {"restrain": e.col[0], "arm": e.col[1]},
                        "payoffs": {a: e.payoff_row, b: e.payoff_col}} for e in eqs],
        "jervis": {"world": jw.number, "name": jw.name,
                   "offense_advantage": jw.offense_advantage,
                   "distinguishable": jw.distinguishable,
                   "offense_share": jw.offense_share, "dual_share": jw.dual_share},
        "iterated": {
            "noise": noise, "noise_kind": "perception", "measures": measures.name,
            "transparency": measures.transparency, "rounds": rounds, "runs": runs,
            "seed": seed,
            "score": {k: {k2: float(tour.score[x, y]) for y, k2 in enumerate(keys)}
                      for x, k in enumerate(keys)},
            "mutual_restraint": {k: {k2: float(tour.restraint[x, y])
                                     for y, k2 in enumerate(keys)}
                                 for x, k in enumerate(keys)},
            "ranking": [{"strategy": k, "mean_score": v} for k, v in tour.ranking()],
        },
    }


def sections(data: Mapping[str, Any]) -> list[Section]:
    a, b = data["dyad"]
    pay = data["payoffs"]
    rows = []
    for x in ("restrain", "arm"):
        rows.append([f"{a} {x}"] + [f"{pay[a][f'{a} {x}'][f'{b} {y}']:.5f} / "
                                    f"{pay[b][f'{a} {x}'][f'{b} {y}']:.5f}"
                                    for y in ("restrain", "arm")])
    cls = data["classification"]
    eq_rows = [[e["label"], e[a]["restrain"], e[b]["restrain"], e["payoffs"][a],
                e["payoffs"][b]] for e in data["equilibria"]]
    jw = data["jervis"]
    it = data["iterated"]
    keys = list(it["score"])
    score_rows = [[k] + [it["score"][k][k2] for k2 in keys] for k in keys]
    return [
        Section(f"The game ({a} rows, {b} columns; payoff {a} / {b} = security minus the cost "
                "of arms)", ["", f"{b} restrain", f"{b} arm"], rows,
                note=f"Arming raises a side's forces by {data['arm_step']:.0%} at a cost of "
                     f"{data['arm_cost'] * data['arm_step']:g} security points."),
        Section("Classification", ["", "value"],
                [["game", cls["name"]], [f"{a}'s order", cls[f"{a}_order"]],
                 [f"{b}'s order", cls[f"{b}_order"]]]),
        Section("Nash equilibria", ["equilibrium", f"P({a} restrains)", f"P({b} restrains)",
                                    f"payoff {a}", f"payoff {b}"], eq_rows),
        Section("Jervis's four worlds", ["", "value"],
                [["world", f"{jw['world']}: {jw['name']}"],
                 ["offense has the advantage", jw["offense_advantage"]],
                 ["postures distinguishable", jw["distinguishable"]],
                 ["offense share", jw["offense_share"]], ["dual-role share", jw["dual_share"]]],
                note="Jervis, 'Cooperation under the Security Dilemma', World Politics 30(2), "
                     "1978."),
        Section(f"Iterated play: mean payoff per round of {a}'s strategy (rows) against "
                f"{b}'s (columns)", ["strategy", *keys], score_rows,
                note=f"{it['rounds']} rounds x {it['runs']} runs, misperception "
                     f"{it['noise']:.3g} per move (measures: {it['measures']}), seed "
                     f"{it['seed']}."),
    ]
