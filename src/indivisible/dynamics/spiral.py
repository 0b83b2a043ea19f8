"""The security dilemma's spiral: Richardson dynamics over the security model, in ensembles.

State ``x_i(t)`` is state i's armament as an index (1 = its level at the start date). The
security model at the start date gives, by owner of the forces, the threat matrix
``T[i, j]`` (threat to i from j's forces) and the protection matrix ``D[i, j]``. Each year:

- **hostility** of the dyad, as actually felt, is ``H_ij(t) = 1 + B_ij(t)``, where ``B`` is the
  memory of incidents: ``B(t+1) = decay * B(t) + bump * N(t)``, ``N`` the incidents of the year,
  Poisson with the dyad's rate (:mod:`.incidents`), applied to both directions of the dyad;
- **perceived threat** (an index, 1 = the threat i felt before any change) is
  ``p_i = sum_j (T_ij / R_i) x_j H_ij e_ij`` with ``R_i`` the total threat to i at the start
  (before the action, if any) and ``e_ij = exp(sigma u_ij - sigma^2 / 2)`` a mean-one
  lognormal misperception of j's intent; ``u`` is a standard normal belief error that
  persists from year to year (``u(t+1) = rho u(t) + sqrt(1 - rho^2) z``), ``sigma`` is lowered
  by transparency;
- **armament** follows Richardson: ``x_i(t+1) = max(0, x_i + k_i p_i - m_i x_i + g_i)``;
- **security** is the model's share of force on one's side, with every force scaled by its
  owner's armament: ``S_i = sum_j D_ij x_j / (sum_j D_ij x_j + sum_j T_ij x_j H_ij)``.
  Misperception changes what states do, not what the model computes.

An **arms spiral** is a run in which total armament (each state weighted by its starting
strength) reaches ``spiral_factor`` times its starting level within ``spiral_horizon`` years.

Runs are the leading axis of every array (runs x states), never a Python loop; the only loop
is over time. With noise and incidents off and no floor, the system is the linear one of
:mod:`.linear` with ``W = diag(1/R) T`` and obeys its closed form.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from indivisible.dynamics.incidents import Activity, IncidentRates, incident_rates
from indivisible.dynamics.linear import analyse, richardson_matrix
from indivisible.dynamics.measures import NONE, Measures
from indivisible.dynamics.params import PER_STATE, DynamicsParams
from indivisible.exec.progress import NullProgress, Progress

Array = NDArray[np.float64]

#: Bytes the recorded trajectories may take before a run is refused.
MAX_RECORD_BYTES = 1_500_000_000
#: Up to this many states a shared noise-free system iterates ``x A' + g`` (fewer calls);
#: beyond, perceiving first is cheaper because it makes the threat product unnecessary.
SHARED_MAX_STATES = 200


@dataclass(frozen=True)
class SpiralSystem:
    """The arrays the spiral runs on (state axis = ``iso3`` order)."""

    iso3: tuple[str, ...]
    threat: Array  # (N, N): T[i, j], threat to i from j's forces
    protection: Array  # (N, N): D[i, j], protection of i by j's forces
    reference_threat: Array | None = None  # (N,): R_i, total threat before the action
    weights: Array | None = None  # (N,): starting strength, for total armament
    activities: tuple[Activity, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.iso3)
        t = np.asarray(self.threat, dtype=float)
        d = np.asarray(self.protection, dtype=float)
        for name, arr in (("threat", t), ("protection", d)):
            if arr.shape != (n, n):
                raise ValueError(f"{name} must be ({n}, {n}), got {arr.shape}")
            if not np.all(np.isfinite(arr)) or np.any(arr < 0):
                raise ValueError(f"{name} must be finite and non-negative")
        object.__setattr__(self, "threat", t)
        object.__setattr__(self, "protection", d)
        ref = t.sum(axis=1) if self.reference_threat is None else np.asarray(
            self.reference_threat, dtype=float)
        if ref.shape == (n,):
            # A state that felt no threat before measures its perceived threat against the
            # threat it faces now (an index of nothing would be undefined).
            ref = np.where(ref > 0, ref, t.sum(axis=1))
        w = np.ones(n) if self.weights is None else np.asarray(self.weights, dtype=float)
        if ref.shape != (n,) or w.shape != (n,) or np.any(ref < 0) or np.any(w < 0):
            raise ValueError("reference_threat and weights must be (N,) and non-negative")
        object.__setattr__(self, "reference_threat", ref)
        object.__setattr__(self, "weights", w)

    @property
    def n(self) -> int:
        return len(self.iso3)

    @cached_property
    def tau(self) -> Array:
        """``W = diag(1/R) T``: the perceived-threat weights (zero rows where R = 0)."""
        ref = self.reference_threat
        assert ref is not None
        safe = np.where(ref > 0, ref, 1.0)
        return np.where(ref[:, None] > 0, self.threat / safe[:, None], 0.0)


@dataclass(frozen=True)
class Coefficients:
    """One parameter set per run: per-state (R, N) for Richardson's, (R,) for the rest."""

    reaction: Array
    fatigue: Array
    grievance: Array
    perception_noise: Array
    transparency_efficacy: Array
    perception_persistence: Array
    incident_rate: Array
    approach_scale_km: Array
    exercise_scale_km: Array
    exercise_troops_unit: Array
    prevention_efficacy: Array
    incident_bump: Array
    incident_decay: Array

    @property
    def runs(self) -> int:
        return int(self.reaction.shape[0])

    @classmethod
    def fixed(cls, n: int, runs: int = 1, **values: Any) -> Coefficients:
        """Every run with the same values (keyword per field; arrays broadcast)."""
        defaults = {"reaction": 0.1, "fatigue": 0.15, "grievance": 0.05,
                    "perception_noise": 0.0, "transparency_efficacy": 0.5,
                    "perception_persistence": 0.0,
                    "incident_rate": 0.0, "approach_scale_km": 50.0,
                    "exercise_scale_km": 150.0, "exercise_troops_unit": 10000.0,
                    "prevention_efficacy": 0.5, "incident_bump": 0.0, "incident_decay": 0.5}
        unknown = set(values) - set(defaults)
        if unknown:
            raise TypeError(f"unknown coefficients: {sorted(unknown)}")
        defaults.update(values)
        out: dict[str, Array] = {}
        for name, v in defaults.items():
            shape = (runs, n) if name in ("reaction", "fatigue", "grievance") else (runs,)
            out[name] = np.broadcast_to(np.asarray(v, dtype=float), shape).copy()
        return cls(**out)


def draw_coefficients(
    params: DynamicsParams,
    iso3: Sequence[str],
    runs: int,
    seed: int,
    *,
    uncertainty: bool = True,
) -> Coefficients:
    """Coefficients for ``runs`` runs: drawn from the stated ranges, or all at defaults.

    Each parameter has its own random stream (from the seed and its name), so adding a
    parameter to the file does not change the draws of the others. Per-state values fixed in
    ``params.by_state`` (e.g. fitted ones) override the draws.
    """
    n = len(iso3)
    names = {"reaction": "reaction", "fatigue": "fatigue", "grievance": "grievance",
             "perception_noise": "perception_noise",
             "transparency_efficacy": "transparency_efficacy", "incident_rate": "incident_rate",
             "perception_persistence": "perception_persistence",
             "approach_scale_km": "approach_scale_km", "exercise_scale_km": "exercise_scale_km",
             "exercise_troops_unit": "exercise_troops_unit",
             "prevention_efficacy": "incident_prevention_efficacy",
             "incident_bump": "incident_bump", "incident_decay": "incident_decay"}
    out: dict[str, Array] = {}
    for attr, pname in names.items():
        shape = (runs, n) if pname in PER_STATE else (runs,)
        if uncertainty:
            rng = np.random.default_rng([int(seed), zlib.crc32(pname.encode())])
            out[attr] = params.draw(pname, shape, rng)
        else:
            out[attr] = np.full(shape, params[pname])
    index = {c: i for i, c in enumerate(iso3)}
    for code, vals in params.by_state.items():
        if code in index:
            for pname, v in vals.items():
                out[pname][:, index[code]] = v
    return Coefficients(**out)


@dataclass(frozen=True)
class Ensemble:
    """The recorded runs: trajectories are (steps + 1, runs, states)."""

    iso3: tuple[str, ...]
    armament: Array
    perceived: Array
    security: Array
    total: Array  # (steps + 1, runs): weighted total armament / its start
    incidents: Array  # (runs,): incidents over the whole run
    spiral: NDArray[np.bool_]  # (runs,)
    spiral_step: NDArray[np.int64]  # (runs,), -1 where no spiral
    seed: int
    measures: Measures
    spiral_factor: float
    spiral_horizon: int
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def steps(self) -> int:
        return int(self.armament.shape[0] - 1)

    @property
    def runs(self) -> int:
        return int(self.armament.shape[1])

    @property
    def p_spiral(self) -> float:
        return float(np.mean(self.spiral))

    def bands(self, what: str, q: Sequence[float] = (0.05, 0.5, 0.95)) -> Array:
        """Quantiles over runs: (len(q), steps + 1, states) for armament/perceived/security."""
        arr = {"armament": self.armament, "perceived": self.perceived,
               "security": self.security}[what]
        return np.quantile(arr, q, axis=1)

    def final_security(self) -> dict[str, dict[str, float]]:
        """Each state's security at the last step: median and 90 % band over runs."""
        final = self.security[-1]
        q05, med, q95 = np.quantile(final, (0.05, 0.5, 0.95), axis=0)
        start = np.median(self.security[0], axis=0)
        return {c: {"median": float(med[i]), "q05": float(q05[i]), "q95": float(q95[i]),
                    "start": float(start[i]), "change_median": float(med[i] - start[i])}
                for i, c in enumerate(self.iso3)}

    def summary(self, q: Sequence[float] = (0.05, 0.5, 0.95)) -> dict[str, Any]:
        """Trajectory bands of the aggregates, per step (the JSON ``trajectories``)."""
        def band(arr: Array) -> dict[str, list[float]]:
            qs = np.quantile(arr, q, axis=1)
            return {"q05": qs[0].tolist(), "median": qs[1].tolist(), "q95": qs[2].tolist()}

        return {
            "step": list(range(self.steps + 1)),
            "total_armament": band(self.total),
            "mean_perceived_threat": band(self.perceived.mean(axis=2)),
            "mean_security": band(self.security.mean(axis=2)),
            "min_security": band(self.security.min(axis=2)),
        }


def record_bytes(runs: int, steps: int, n: int) -> int:
    return 3 * 8 * runs * (steps + 1) * n


def _poisson_inverse(u: Array, lam: Array) -> Array:
    """Poisson counts by inversion, monotone in the rate: common random numbers across
    packages of measures (a lower rate never gives more incidents for the same ``u``)."""
    count = np.zeros_like(lam)
    pmf = np.exp(-lam)
    cdf = pmf.copy()
    k = 0
    while k < 200:
        more = u > cdf
        if not more.any():
            break
        count += more
        k += 1
        pmf = pmf * lam / k
        cdf = cdf + pmf
    return count


def simulate(
    system: SpiralSystem,
    coeffs: Coefficients,
    steps: int,
    *,
    measures: Measures = NONE,
    seed: int = 0,
    noise: bool = True,
    incidents: bool = True,
    floor: float | None = 0.0,
    x0: Array | None = None,
    spiral_factor: float = 1.5,
    spiral_horizon: int = 20,
    progress: Progress | None = None,
) -> Ensemble:
    """Run ``coeffs.runs`` runs of the spiral for ``steps`` years (see the module docstring).

    ``seed`` fixes the misperception and incident draws; two calls with the same seed and
    different measures share their random numbers (common random numbers), so their
    difference is the measures' effect, not luck.
    """
    if steps < 0:
        raise ValueError("steps must be non-negative")
    n, runs = system.n, coeffs.runs
    if record_bytes(runs, steps, n) > MAX_RECORD_BYTES:
        raise ValueError("too many runs x steps x states to record")
    progress = progress or NullProgress()
    noise_seq, incident_seq = np.random.SeedSequence(seed).spawn(2)
    noise_rng = np.random.default_rng(noise_seq)
    incident_rng = np.random.default_rng(incident_seq)

    tau = system.tau
    k, m, g = coeffs.reaction, coeffs.fatigue, coeffs.grievance
    sigma = coeffs.perception_noise * (1.0 - coeffs.transparency_efficacy * measures.transparency)
    use_noise = noise and bool(np.any(sigma > 0))
    rates: IncidentRates | None = None
    if incidents and system.activities:
        rates = incident_rates(
            system.activities, measures, incident_rate=coeffs.incident_rate,
            approach_scale_km=coeffs.approach_scale_km,
            exercise_scale_km=coeffs.exercise_scale_km,
            exercise_troops_unit=coeffs.exercise_troops_unit,
            prevention_efficacy=coeffs.prevention_efficacy)
        if rates.empty:
            rates = None

    # Directed entries (i, j) of incident-prone dyads, as indices into the dyad list.
    ent_rows = ent_cols = ent_pair = np.zeros(0, dtype=int)
    if rates is not None:
        i, j = rates.pairs[:, 0], rates.pairs[:, 1]
        ent_rows = np.concatenate([i, j])
        ent_cols = np.concatenate([j, i])
        ent_pair = np.concatenate([np.arange(len(i)), np.arange(len(i))])

    x_start = np.ones(n) if x0 is None else np.asarray(x0, dtype=float)
    armament = np.empty((steps + 1, runs, n))
    perceived = np.empty((steps + 1, runs, n))
    bumps = np.zeros((steps + 1, runs, len(ent_pair) // 2)) if rates is not None else None
    armament[0] = x_start
    total_incidents = np.zeros(runs)

    if use_noise:
        rows, cols = np.nonzero(tau)
        tv = tau[rows, cols]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if rows.size else rows
        urows = rows[starts]
        ent_flat = _entry_positions(rows, cols, ent_rows, ent_cols)
        ent_valid = ent_flat >= 0
        # The misperception factors are drawn and applied in single precision: they are
        # random factors of order one, and this is where an ensemble spends its time.
        f32 = np.float32
        tv32 = tv.astype(f32)
        sig32 = sigma.astype(f32)[:, None]
        half_var = (0.5 * sigma**2).astype(f32)[:, None]
        rho = coeffs.perception_persistence.astype(f32)[:, None]
        innov = np.sqrt(1.0 - rho**2)
        belief: NDArray[np.float32] | None = None  # unit-variance belief error, AR(1)
        factor = np.empty((runs, tv.size), dtype=f32)

    tau_t = np.ascontiguousarray(tau.T)
    # Noise-free with one parameter set for all runs and few states: iterate x A' + g (one
    # product and one add per year); otherwise perceive, then update (the perceived threat is
    # needed anyway, and with noise-free perception it gives the actual threat for free).
    shared = (not use_noise and rates is None and runs > 0 and n <= SHARED_MAX_STATES
              and bool(np.all(k == k[0])) and bool(np.all(m == m[0])))
    if shared:
        a_t = np.ascontiguousarray(richardson_matrix(k[0], m[0], tau).T)
    one_minus_m = 1.0 - m
    tmp = np.empty((runs, n))

    def perceive(t: int, x: Array, b: Array | None) -> None:
        nonlocal belief
        p = perceived[t]
        if use_noise:
            z = noise_rng.standard_normal((runs, tv.size), dtype=f32)
            if belief is None:
                belief = z
            else:
                belief *= rho
                z *= innov
                belief += z
            contrib = factor
            np.multiply(belief, sig32, out=contrib)
            contrib -= half_var
            np.exp(contrib, out=contrib)
            contrib *= tv32
            contrib *= x.astype(f32)[:, cols]
            if b is not None and ent_valid.any():
                contrib[:, ent_flat[ent_valid]] *= 1.0 + b[:, ent_pair[ent_valid]]
            p.fill(0.0)
            if tv.size:
                p[:, urows] = np.add.reduceat(contrib, starts, axis=1, dtype=np.float64)
        else:
            np.matmul(x, tau_t, out=p)
            if b is not None:
                corr = tau[ent_rows, ent_cols] * b[:, ent_pair] * x[:, ent_cols]
                np.add.at(p, (slice(None), ent_rows), corr)

    for t in range(steps):
        x = armament[t]
        nxt = armament[t + 1]
        if shared:
            np.matmul(x, a_t, out=nxt)
            nxt += g
        else:
            perceive(t, x, bumps[t] if bumps is not None else None)
            np.multiply(x, one_minus_m, out=nxt)
            np.multiply(k, perceived[t], out=tmp)
            nxt += tmp
            nxt += g
        if floor is not None:
            np.maximum(nxt, floor, out=nxt)
        if rates is not None and bumps is not None:
            u = incident_rng.random(rates.rates.shape)
            count = _poisson_inverse(u, rates.rates)
            total_incidents += count.sum(axis=1)
            bumps[t + 1] = (coeffs.incident_decay[:, None] * bumps[t]
                            + coeffs.incident_bump[:, None] * count)
        progress.advance(1)

    if shared:
        np.matmul(armament.reshape(-1, n), tau_t, out=perceived.reshape(-1, n))
    else:
        perceive(steps, armament[steps], bumps[steps] if bumps is not None else None)

    security = _security(system, armament, None if use_noise else perceived, bumps, ent_rows,
                         ent_cols, ent_pair)
    w = system.weights
    assert w is not None
    start_total = x_start @ w
    total = (armament @ w) / (start_total if start_total > 0 else 1.0)
    horizon = int(min(spiral_horizon, steps))
    reached = total[1 : horizon + 1] >= spiral_factor
    spiral = reached.any(axis=0)
    spiral_step = np.where(spiral, reached.argmax(axis=0) + 1, -1)
    return Ensemble(
        iso3=tuple(system.iso3), armament=armament, perceived=perceived, security=security,
        total=total, incidents=total_incidents, spiral=spiral, spiral_step=spiral_step,
        seed=seed, measures=measures, spiral_factor=float(spiral_factor),
        spiral_horizon=horizon,
        meta={"noise": use_noise, "incidents": rates is not None,
              "incident_dyads": 0 if rates is None else int(rates.pairs.shape[0])},
    )


def _entry_positions(rows: NDArray[np.int64], cols: NDArray[np.int64],
                     ent_rows: NDArray[np.int64], ent_cols: NDArray[np.int64]) -> NDArray:
    """Positions, in the sparse (rows, cols) list, of each directed incident entry (or -1)."""
    where = {(int(r), int(c)): i for i, (r, c) in enumerate(zip(rows, cols, strict=True))}
    pos = np.array([where.get((int(r), int(c)), -1)
                    for r, c in zip(ent_rows, ent_cols, strict=True)], dtype=int)
    return pos


def _security(system: SpiralSystem, armament: Array, perceived: Array | None,
              bumps: Array | None, ent_rows: NDArray, ent_cols: NDArray,
              ent_pair: NDArray) -> Array:
    """S = Dx / (Dx + T_H x) for every step and run, by blocks of rows that stay in cache.

    With noise-free perception the actual threat is the perceived index times the reference
    threat (``T_H x = R * p``, incidents included), so only ``D x`` needs a matrix product;
    otherwise ``T x`` is one more, plus the incident terms.
    """
    n = system.n
    out = np.empty_like(armament)
    flat, oflat = armament.reshape(-1, n), out.reshape(-1, n)
    d_t = system.protection.T  # BLAS reads the transpose in place
    t_t = system.threat.T
    ref = system.reference_threat
    pflat = perceived.reshape(-1, n) if perceived is not None else None
    incident_terms = perceived is None and bumps is not None and ent_rows.size > 0
    safe = bool(np.all(np.diag(system.protection) > 0)) and armament.min() > 0
    chunk = max(64, 32768 // max(n, 1))
    tmp = np.empty((min(chunk, flat.shape[0]), n))
    for a in range(0, flat.shape[0], chunk):
        b = min(a + chunk, flat.shape[0])
        o, t = oflat[a:b], tmp[: b - a]
        np.matmul(flat[a:b], d_t, out=o)  # D x
        if pflat is not None:
            np.multiply(pflat[a:b], ref, out=t)
        else:
            np.matmul(flat[a:b], t_t, out=t)
        if incident_terms:
            assert bumps is not None
            runs = armament.shape[1]
            step, run = np.divmod(np.arange(a, b), runs)
            tvals = system.threat[ent_rows, ent_cols]
            corr = tvals * bumps[step, run][:, ent_pair] * flat[a:b][:, ent_cols]
            np.add.at(t, (slice(None), ent_rows), corr)
        t += o
        if safe:  # every state protects itself and keeps some arms: no zero denominator
            np.divide(o, t, out=o)
        else:
            np.divide(o, t, out=o, where=t > 0)
            o[~(t > 0)] = 1.0
    return out


def streams(seed: int) -> tuple[int, int]:
    """The parameter-draw seed and the simulation seed derived from one user seed."""
    params_seq, sim_seq = np.random.SeedSequence(seed).spawn(2)
    return int(params_seq.generate_state(1)[0]), int(sim_seq.generate_state(1)[0])


def run_ensemble(
    system: SpiralSystem,
    params: DynamicsParams,
    *,
    runs: int,
    steps: int,
    seed: int,
    measures: Measures = NONE,
    uncertainty: bool = True,
    noise: bool = True,
    incidents: bool = True,
    progress: Progress | None = None,
) -> Ensemble:
    """Draw coefficients and simulate: the whole ensemble from one seed."""
    draw_seed, sim_seed = streams(seed)
    coeffs = draw_coefficients(params, system.iso3, runs, draw_seed, uncertainty=uncertainty)
    ens = simulate(system, coeffs, steps, measures=measures, seed=sim_seed, noise=noise,
                   incidents=incidents, spiral_factor=params["spiral_factor"],
                   spiral_horizon=int(params["spiral_horizon"]), progress=progress)
    return Ensemble(**{**ens.__dict__, "seed": seed})


def compare(
    system: SpiralSystem,
    params: DynamicsParams,
    measures: Measures,
    *,
    runs: int,
    steps: int,
    seed: int,
    progress: Progress | None = None,
    **kwargs: Any,
) -> tuple[Ensemble, Ensemble]:
    """The same ensemble without and with a package of measures (common random numbers)."""
    without = run_ensemble(system, params, runs=runs, steps=steps, seed=seed,
                           progress=progress, **kwargs)
    with_ = run_ensemble(system, params, runs=runs, steps=steps, seed=seed, measures=measures,
                         progress=progress, **kwargs)
    return without, with_


def linear_analysis(system: SpiralSystem, params: DynamicsParams | Mapping[str, float]) -> Any:
    """Closed-form equilibrium and stability of the default-coefficient linear system."""
    n = system.n
    k = np.full(n, float(params["reaction"]))
    m = np.full(n, float(params["fatigue"]))
    g = np.full(n, float(params["grievance"]))
    return analyse(richardson_matrix(k, m, system.tau), g)
