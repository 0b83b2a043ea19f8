"""The spiral on our engine against the same spiral written as a Mesa model, side by side.

Peer: Mesa (``pip install -e '.[bench]'``), the agent-based framework, with the usual
pattern — one agent per state; each step every agent updates its armament from what it
perceived (``update``), all commit at once (``advance``), every agent observes the new
armaments (perceived threat and security, ``observe``), and a ``DataCollector`` records
armament, perceived threat and security of every agent at every step; exactly ``--steps``
calls to ``model.step()``. Each agent does its own arithmetic on its row of the matrices
with NumPy (a dot product per quantity), which is how one writes it well in Mesa.

Ours: :func:`indivisible.dynamics.spiral.simulate` — runs x states arrays, one loop over
time, the security of every step and run as one matrix product at the end.

Cases, each with noise off and on (perception noise with persistence, incidents off in
both so the two models do exactly the same work):

- one run of the 57 OSCE states (threat and protection matrices of the baseline at
  2021-12-15 from the security model; ``--synthetic`` uses random ones instead);
- one run of 500 states (random matrices, seeded);
- an ensemble of 100 runs of 57 states (Mesa: 100 model instances; ours: one call), each run
  with its own coefficients drawn from the parameter file.

Printed: agent-steps per second for both and the ratio; beside each noise-off row, the same
for a bare NumPy loop of the linear model that records armament only (the floor: one
matrix-vector product per year, which ours also pays); and the check that with noise off
both give the same trajectories (armament, perceived threat, security; max relative
difference). The machine's load average is printed because shared machines skew timings.

    python benchmarks/bench_spiral.py [--steps 100] [--repeat 5] [--runs 100] [--synthetic]
        [--blas-threads 1]

BLAS runs on one thread by default, like Mesa's single core (on a busy two-core machine more
threads only contend).
"""

from __future__ import annotations

import argparse
import os
import sys


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--repeat", type=int, default=5, help="timed repetitions of ours (best)")
    p.add_argument("--mesa-repeat", type=int, default=3,
                   help="timed repetitions of Mesa (best; 1 for the ensemble)")
    p.add_argument("--runs", type=int, default=100, help="runs in the ensemble case")
    p.add_argument("--synthetic", action="store_true", help="random 57-state matrices")
    p.add_argument("--seed", type=int, default=20220201)
    p.add_argument("--blas-threads", type=int, default=1,
                   help="BLAS threads for ours (Mesa runs on one core; 0 = BLAS default)")
    return p.parse_args()


ARGS = _args() if __name__ == "__main__" else None
if ARGS is not None and ARGS.blas_threads:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.blas_threads)

import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import numpy as np  # noqa: E402

from indivisible.dynamics.params import load_dynamics_params  # noqa: E402
from indivisible.dynamics.spiral import (  # noqa: E402
    Coefficients,
    SpiralSystem,
    draw_coefficients,
    simulate,
)


def synthetic_system(n: int, seed: int) -> SpiralSystem:
    rng = np.random.default_rng(seed)
    hostile = rng.random((n, n)) < 0.5
    t = np.where(hostile, rng.lognormal(-3, 1, (n, n)), 0.0)
    np.fill_diagonal(t, 0.0)
    d = np.where(~hostile, rng.lognormal(-3, 1, (n, n)) * 0.3, 0.0)
    np.fill_diagonal(d, rng.lognormal(-1, 0.5, n))
    return SpiralSystem(tuple(f"S{i:03d}" for i in range(n)), t, d)


def baseline_system() -> SpiralSystem:
    from indivisible.dynamics.coupling import spiral_system
    from indivisible.security import SecurityModel
    from indivisible.world.loader import load_scenario

    system, _, _ = spiral_system(SecurityModel(), load_scenario(None).at("2021-12-15"))
    return SpiralSystem(system.iso3, system.threat, system.protection,
                        system.reference_threat, system.weights)  # no activities


# -- the Mesa peer ---------------------------------------------------------------------


def mesa_classes():
    import mesa

    class StateAgent(mesa.Agent):
        def __init__(self, model, idx: int, k: float, m: float, g: float) -> None:
            super().__init__(model)
            self.idx, self.k, self.m, self.g = idx, k, m, g
            self.tau_row = model.tau[idx]
            self.t_row = model.threat[idx]
            self.d_row = model.protection[idx]
            self.nz = np.flatnonzero(self.tau_row)
            self.tau_nz = self.tau_row[self.nz]
            self.belief: np.ndarray | None = None
            self.armament = float(model.x[idx])
            self.threat = 0.0
            self.security = 0.0
            self._next = 0.0

        def observe(self) -> None:
            x = self.model.x
            if self.model.sigma > 0:
                z = self.model.rng.standard_normal(self.nz.size)
                rho = self.model.rho
                self.belief = z if self.belief is None else rho * self.belief + np.sqrt(
                    1 - rho * rho) * z
                e = np.exp(self.model.sigma * self.belief - 0.5 * self.model.sigma ** 2)
                self.threat = float((self.tau_nz * e) @ x[self.nz])
            else:
                self.threat = float(self.tau_row @ x)
            t = float(self.t_row @ x)
            d = float(self.d_row @ x)
            self.security = d / (d + t) if d + t > 0 else 1.0

        def update(self) -> None:
            x = self.armament
            self._next = max(0.0, x + self.k * self.threat - self.m * x + self.g)

        def advance(self) -> None:
            self.armament = self._next
            self.model.x[self.idx] = self._next

    class SpiralModel(mesa.Model):
        def __init__(self, system: SpiralSystem, k, m, g, sigma: float, rho: float,
                     seed: int) -> None:
            super().__init__(seed=seed)
            self.tau = system.tau
            self.threat = system.threat
            self.protection = system.protection
            self.sigma, self.rho = sigma, rho
            self.x = np.ones(system.n)
            for i in range(system.n):
                StateAgent(self, i, float(k[i]), float(m[i]), float(g[i]))
            self.datacollector = mesa.DataCollector(
                agent_reporters={"armament": "armament", "threat": "threat",
                                 "security": "security"})
            self.agents.do("observe")
            self.datacollector.collect(self)

        def step(self) -> None:
            self.agents.do("update")
            self.agents.do("advance")
            self.agents.do("observe")
            self.datacollector.collect(self)

    return SpiralModel


def mesa_run(model_cls, system, coeffs: Coefficients, steps: int, noise: bool, seed: int):
    """All runs of the ensemble, one Mesa model each; returns (seconds, trajectories)."""
    models = []
    t0 = time.perf_counter()
    for r in range(coeffs.runs):
        sigma = float(coeffs.perception_noise[r]) if noise else 0.0
        model = model_cls(system, coeffs.reaction[r], coeffs.fatigue[r], coeffs.grievance[r],
                          sigma, float(coeffs.perception_persistence[r]), seed + r)
        for _ in range(steps):
            model.step()
        models.append(model)
    seconds = time.perf_counter() - t0
    return seconds, models


def mesa_arrays(models, n: int, steps: int) -> dict[str, np.ndarray]:
    out = {}
    for name in ("armament", "threat", "security"):
        arr = np.empty((steps + 1, len(models), n))
        for r, model in enumerate(models):
            df = model.datacollector.get_agent_vars_dataframe()[name]
            arr[:, r, :] = df.to_numpy().reshape(steps + 1, n)
        out[name] = arr
    return out


def plain_loop(system: SpiralSystem, coeffs: Coefficients, steps: int) -> float:
    """Reference floor: a bare NumPy loop of the linear model recording armament only."""
    k, m, g = coeffs.reaction, coeffs.fatigue, coeffs.grievance
    tau_t = np.ascontiguousarray(system.tau.T)
    t0 = time.perf_counter()
    x = np.empty((steps + 1, coeffs.runs, system.n))
    x[0] = 1.0
    for t in range(steps):
        x[t + 1] = x[t] * (1.0 - m) + k * (x[t] @ tau_t) + g
    return time.perf_counter() - t0


@dataclass
class Row:
    case: str
    noise: str
    agent_steps: int
    mesa_s: float
    ours_s: float
    max_rel_diff: float | None

    def line(self) -> str:
        m = self.agent_steps / self.mesa_s
        o = self.agent_steps / self.ours_s
        diff = "—" if self.max_rel_diff is None else f"{self.max_rel_diff:.1e}"
        return (f"{self.case:<24} {self.noise:<5} {m:>14,.0f} {o:>16,.0f} {o / m:>8.0f}x "
                f"{diff:>12}")


def rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def bench_case(name: str, system: SpiralSystem, runs: int, steps: int, repeat: int,
               mesa_repeat: int, model_cls, seed: int) -> list[Row]:
    """Ours and Mesa in interleaved rounds (so load hits both alike); best time of each."""
    params = load_dynamics_params()
    coeffs = draw_coefficients(params, system.iso3, runs, seed)
    rows = []
    plain = min(plain_loop(system, coeffs, steps) for _ in range(repeat))
    for noise in (False, True):
        ours = mesa = float("inf")
        ens = models = None
        for r in range(max(repeat, mesa_repeat)):
            if r < repeat:
                t0 = time.perf_counter()
                ens = simulate(system, coeffs, steps, noise=noise, incidents=False, seed=seed)
                ours = min(ours, time.perf_counter() - t0)
            if r < mesa_repeat:
                seconds, models = mesa_run(model_cls, system, coeffs, steps, noise, seed)
                mesa = min(mesa, seconds)
        diff = None
        if not noise and ens is not None and models is not None:
            ref = mesa_arrays(models, system.n, steps)
            diff = max(rel_diff(ens.armament, ref["armament"]),
                       rel_diff(ens.perceived, ref["threat"]),
                       rel_diff(ens.security, ref["security"]))
        rows.append(Row(name, "on" if noise else "off", system.n * runs * steps, mesa, ours,
                        diff))
        print(rows[-1].line(), flush=True)
        if not noise:
            ref = Row(name, "plain", system.n * runs * steps, mesa, plain, None)
            print(ref.line().replace("—", " "), "(bare NumPy loop, linear, armament only)",
                  flush=True)
    return rows


def main(args: argparse.Namespace) -> int:
    try:
        import mesa
    except ImportError:
        print("Mesa is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 1
    model_cls = mesa_classes()
    print(f"Mesa {mesa.__version__}, NumPy {np.__version__}, {os.cpu_count()} CPUs, "
          f"BLAS threads {args.blas_threads or 'default'}, load average "
          f"{os.getloadavg()[0]:.2f}; {args.steps} steps; best of {args.repeat} (ours) and "
          f"{args.mesa_repeat} (Mesa; 1 for the ensemble), interleaved")
    osce = synthetic_system(57, args.seed) if args.synthetic else baseline_system()
    big = synthetic_system(500, args.seed + 1)
    print(f"{'case':<24} {'noise':<5} {'Mesa agent-st/s':>14} {'ours agent-st/s':>16} "
          f"{'ratio':>9} {'max rel diff':>12}")
    rows = []
    rows += bench_case("57 states, 1 run", osce, 1, args.steps, args.repeat,
                       args.mesa_repeat, model_cls, args.seed)
    rows += bench_case("500 states, 1 run", big, 1, args.steps, args.repeat,
                       args.mesa_repeat, model_cls, args.seed)
    rows += bench_case(f"57 states, {args.runs} runs", osce, args.runs, args.steps,
                       args.repeat, 1, model_cls, args.seed)
    bad = [r for r in rows if r.max_rel_diff is not None and r.max_rel_diff > 1e-9]
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if bad:
        print("MISMATCH: noise-off trajectories differ from Mesa's", file=sys.stderr)
        return 1
    print("noise off: same trajectories as Mesa (relative difference <= 1e-9)")
    return 0


if __name__ == "__main__":
    assert ARGS is not None
    sys.exit(main(ARGS))
