"""The spiral of a world at a date, with or without an action and a package of measures.

This is what ``indivisible simulate`` runs and what the Python API offers: build the
arrays from the model (:mod:`.coupling`), run the ensemble (and, with measures, the same
ensemble without them, on common random numbers), and summarise it as the JSON contract
and as tables.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from indivisible.dynamics.coupling import OwnerMatrices, spiral_system
from indivisible.dynamics.measures import Measures
from indivisible.dynamics.params import DynamicsParams, load_dynamics_params
from indivisible.dynamics.spiral import Ensemble, SpiralSystem, linear_analysis, run_ensemble
from indivisible.errors import InputError
from indivisible.exec.progress import Progress
from indivisible.output import Section
from indivisible.world.scenario import World

SPIRAL_TEXT = ("a run is an arms spiral when total armament (each state weighted by its "
               "starting strength) reaches {factor:g} times its starting level within "
               "{horizon} years")


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (the spiral probability's sampling error)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class SpiralResult:
    date: dt.date
    scenario: str
    action: str | None
    system: SpiralSystem
    before: OwnerMatrices
    ensemble: Ensemble  # with the measures, when there are any
    without: Ensemble | None  # the same ensemble without measures
    params: DynamicsParams
    uncertainty: bool
    model_security: np.ndarray  # the model's security after the action (check on the arrays)

    def to_json(self, per_state: bool = False) -> dict[str, Any]:
        ens = self.ensemble
        lo, hi = wilson(int(ens.spiral.sum()), ens.runs)
        stab = linear_analysis(self.system, self.params)
        w = self.system.weights
        assert w is not None
        eq_total = (float(stab.equilibrium @ w / w.sum())
                    if stab.equilibrium is not None and w.sum() > 0 else None)
        traj = ens.summary()
        if per_state:
            bands = {k: ens.bands(k) for k in ("armament", "perceived", "security")}
            traj["by_state"] = {
                c: {k: {"q05": b[0, :, i].tolist(), "median": b[1, :, i].tolist(),
                        "q95": b[2, :, i].tolist()} for k, b in bands.items()}
                for i, c in enumerate(ens.iso3)}
        final = ens.final_security()
        if self.action is not None:
            s0 = self.before.security
            for i, c in enumerate(ens.iso3):
                final[c]["before_action"] = float(s0[i])
        out: dict[str, Any] = {
            "command": "simulate",
            "date": self.date.isoformat(),
            "scenario": self.scenario,
            "action": self.action,
            "runs": ens.runs,
            "steps": ens.steps,
            "seed": ens.seed,
            "measures": None if self.without is None else ens.measures.model_dump(mode="json"),
            "p_spiral": ens.p_spiral,
            "p_spiral_interval95": [lo, hi],
            "spiral_definition": {
                "factor": ens.spiral_factor, "horizon": ens.spiral_horizon,
                "text": SPIRAL_TEXT.format(factor=ens.spiral_factor,
                                           horizon=ens.spiral_horizon)},
            "median_spiral_year": (float(np.median(ens.spiral_step[ens.spiral]))
                                   if ens.spiral.any() else None),
            "final_security": final,
            "trajectories": traj,
            "incidents_per_year": float(ens.incidents.mean() / max(ens.steps, 1)),
            "incident_dyads": ens.meta["incident_dyads"],
            "stability": {
                "what": "linear, noise-free, incident-free system at the default coefficients",
                "spectral_radius": stab.spectral_radius, "stable": stab.stable,
                "half_life_years": stab.half_life if math.isfinite(stab.half_life) else None,
                "equilibrium_total_armament": eq_total},
            "uncertainty": self.uncertainty,
            "parameters": self.params.to_dict(),
            "comparison": None,
        }
        if self.without is not None:
            w0 = self.without
            fs0, fs1 = w0.final_security(), ens.final_security()
            change = {c: fs1[c]["median"] - fs0[c]["median"] for c in ens.iso3}
            # Common random numbers: each run with and without the package is a pair, so the
            # change in the spiral probability has a paired standard error.
            paired = ens.spiral.astype(float) - w0.spiral.astype(float)
            se = float(paired.std(ddof=1) / math.sqrt(len(paired))) if len(paired) > 1 else None
            d_p = ens.p_spiral - w0.p_spiral
            if se is None:
                verdict = "one run: no standard error"
            elif abs(d_p) > 2 * se:
                verdict = "beyond two paired standard errors: a real effect in this model"
            else:
                verdict = ("within two paired standard errors of zero: in this model the "
                           "spread between runs, driven mostly by the uncertain coefficients, "
                           "outweighs the package's effect on the spiral")
            out["comparison"] = {
                "measures": ens.measures.name,
                "p_spiral_without": w0.p_spiral, "p_spiral_with": ens.p_spiral,
                "p_spiral_change": d_p,
                "p_spiral_change_se": se,
                "p_spiral_change_reading": verdict,
                "runs_spiralling_only_without": int((w0.spiral & ~ens.spiral).sum()),
                "runs_spiralling_only_with": int((ens.spiral & ~w0.spiral).sum()),
                "incidents_per_year_without": float(w0.incidents.mean() / max(w0.steps, 1)),
                "incidents_per_year_with": out["incidents_per_year"],
                "final_security_without": fs0,
                "final_security_median_change": change,
                "states_more_secure": sorted(c for c, v in change.items() if v > 1e-9),
                "states_less_secure": sorted(c for c, v in change.items() if v < -1e-9),
            }
        return out

    def sections(self, data: Mapping[str, Any]) -> list[Section]:
        fs = data["final_security"]
        cmp = data["comparison"]
        rows = []
        for c in sorted(fs, key=lambda k: fs[k]["change_median"]):
            v = fs[c]
            row = [c, v["start"], v["median"], v["q05"], v["q95"], v["change_median"]]
            if cmp:
                row.append(cmp["final_security_median_change"][c])
            rows.append(row)
        cols = ["state", "start", "final median", "q05", "q95", "change (median)"]
        if cmp:
            cols.append(f"effect of {cmp['measures']}")
        traj = data["trajectories"]
        steps = traj["step"]
        pick = sorted(set([0, *range(0, len(steps), max(1, len(steps) // 10)), len(steps) - 1]))
        trows = [[steps[i], traj["total_armament"]["median"][i], traj["total_armament"]["q05"][i],
                  traj["total_armament"]["q95"][i], traj["mean_security"]["median"][i],
                  traj["mean_perceived_threat"]["median"][i]] for i in pick]
        head = [["probability of an arms spiral", data["p_spiral"]],
                ["95 % interval (sampling)", data["p_spiral_interval95"]],
                ["definition", data["spiral_definition"]["text"]],
                ["incidents per year (mean)", data["incidents_per_year"]],
                ["linear system stable at defaults", data["stability"]["stable"]],
                ["spectral radius", data["stability"]["spectral_radius"]]]
        if cmp:
            head += [["without measures: probability of a spiral", cmp["p_spiral_without"]],
                     ["with measures: probability of a spiral", cmp["p_spiral_with"]],
                     ["incidents per year without / with",
                      [cmp["incidents_per_year_without"], cmp["incidents_per_year_with"]]],
                     ["change in the probability (paired SE)",
                      [cmp["p_spiral_change"], cmp["p_spiral_change_se"]]],
                     ["reading", cmp["p_spiral_change_reading"]]]
        out = [Section("Spiral", ["quantity", "value"], head),
               Section("Total armament and security over time (quantiles over runs)",
                       ["year", "total armament median", "q05", "q95", "mean security median",
                        "mean perceived threat median"], trows),
               Section("Final security by state", cols, rows,
                       note="Security after the last year, quantiles over runs; change from "
                            "the start date.")]
        if data["measures"]:
            m = data["measures"]
            out.append(Section(f"Measures: {m['name']}", ["field", "value"],
                               [[k, m[k]] for k in ("transparency", "incident_prevention",
                                                    "min_approach_km", "exercise_zone_km",
                                                    "exercise_max_troops")]
                               + [["assumption", a] for a in m["assumptions"]]
                               + [["source", s] for s in m["sources"]],
                               note=m.get("note")))
        return out


def simulate_world(
    world: World,
    date: dt.date,
    *,
    action: Any = None,
    action_name: str | None = None,
    measures: Measures | None = None,
    runs: int = 500,
    steps: int = 30,
    seed: int = 0,
    params: DynamicsParams | None = None,
    model_params: Any = None,
    claims: Mapping[str, str] | None = None,
    uncertainty: bool = True,
    progress: Progress | None = None,
) -> SpiralResult:
    """Run the spiral on ``world`` at ``date`` (after ``action``, with and without measures)."""
    from indivisible.security import SecurityModel

    params = params or load_dynamics_params()
    model = SecurityModel(model_params, claims=claims)
    before = world.at(date)
    if len(before.iso3) < 2:
        raise InputError(
            f"the scenario has {len(before.iso3)} state(s); a spiral needs at least two",
            field="--scenario",
        )
    after = action.apply(world, date).at(date) if action is not None else None
    system, m0, m1 = spiral_system(model, before, after)
    with_measures = measures is not None and not measures.empty
    kwargs = dict(runs=runs, steps=steps, seed=seed, uncertainty=uncertainty, progress=progress)
    without = run_ensemble(system, params, **kwargs) if with_measures else None
    ens = run_ensemble(system, params, measures=measures if with_measures else Measures(
        name="none"), **kwargs)
    if not with_measures and measures is not None:
        ens = Ensemble(**{**ens.__dict__, "measures": measures})
    return SpiralResult(date=date, scenario=world.settings.title, action=action_name,
                        system=system, before=m0, ensemble=ens, without=without, params=params,
                        uncertainty=uncertainty, model_security=m1.security)
