"""The stochastic spiral: reproducibility, vectorisation, noise, incidents, measures, spirals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indivisible.dynamics.incidents import Activity
from indivisible.dynamics.measures import NONE, PACKAGES, Measures, load_measures
from indivisible.dynamics.params import PER_STATE, load_dynamics_params
from indivisible.dynamics.spiral import (
    Coefficients,
    SpiralSystem,
    compare,
    draw_coefficients,
    run_ensemble,
    simulate,
)
from indivisible.errors import InputError

PARAMS = load_dynamics_params()


def small_system(n: int = 5, seed: int = 0, activities: tuple[Activity, ...] = ()) -> SpiralSystem:
    rng = np.random.default_rng(seed)
    t = rng.uniform(0.2, 1.0, (n, n))
    np.fill_diagonal(t, 0)
    d = rng.uniform(0.0, 0.5, (n, n)) + 2 * np.eye(n)
    return SpiralSystem(tuple(f"S{i}" for i in range(n)), t, d, activities=activities)


ACTS = (Activity("patrol", 0, 1, 20.0, 2.0), Activity("exercise", 2, 3, 100.0, 30000.0))


def test_same_seed_same_ensemble_and_other_seed_differs() -> None:
    s = small_system(activities=ACTS)
    a = run_ensemble(s, PARAMS, runs=64, steps=15, seed=9)
    b = run_ensemble(s, PARAMS, runs=64, steps=15, seed=9)
    c = run_ensemble(s, PARAMS, runs=64, steps=15, seed=10)
    for name in ("armament", "perceived", "security", "incidents"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.armament, c.armament)
    assert a.p_spiral == b.p_spiral


def test_arrays_are_runs_by_states_and_runs_are_independent_systems() -> None:
    s = small_system(6)
    k = np.random.default_rng(1).uniform(0.02, 0.12, (4, 6))
    coeffs = Coefficients.fixed(6, runs=4, reaction=k)
    ens = simulate(s, coeffs, 20, noise=False, incidents=False)
    assert ens.armament.shape == (21, 4, 6)
    assert ens.security.shape == (21, 4, 6)
    assert ens.total.shape == (21, 4)
    for r in range(4):
        one = simulate(s, Coefficients.fixed(6, runs=1, reaction=k[r]), 20, noise=False,
                       incidents=False)
        np.testing.assert_allclose(ens.armament[:, r], one.armament[:, 0], rtol=1e-13)


def test_status_quo_is_steady_at_defaults_without_noise() -> None:
    s = small_system()
    ens = run_ensemble(s, PARAMS, runs=3, steps=40, seed=0, uncertainty=False, noise=False,
                       incidents=False)
    np.testing.assert_allclose(ens.armament, 1.0, rtol=1e-12)
    np.testing.assert_allclose(ens.perceived, 1.0, rtol=1e-12)
    assert ens.p_spiral == 0.0


def test_security_is_the_models_formula_with_scaled_forces() -> None:
    s = small_system(4)
    ens = simulate(s, Coefficients.fixed(4, runs=2, reaction=np.array([[0.3] * 4, [0.05] * 4])),
                   10, noise=False, incidents=False)
    for t in (0, 5, 10):
        for r in range(2):
            x = ens.armament[t, r]
            dx, tx = s.protection @ x, s.threat @ x
            np.testing.assert_allclose(ens.security[t, r], dx / (dx + tx), rtol=1e-12)
    start = s.protection.sum(1) / (s.protection.sum(1) + s.threat.sum(1))
    np.testing.assert_allclose(ens.security[0, 0], start)


def test_perception_noise_is_mean_one_and_transparency_narrows_it() -> None:
    s = small_system(3)
    runs = 20000
    coeffs = Coefficients.fixed(3, runs=runs, perception_noise=0.3, transparency_efficacy=0.5)
    ens = simulate(s, coeffs, 1, noise=True, incidents=False)
    p0 = ens.perceived[0]  # x = 1, so the noise-free value is 1 for every state
    se = np.sqrt(np.exp(0.09) - 1) / np.sqrt(runs)
    assert np.all(np.abs(p0.mean(axis=0) - 1.0) < 5 * se)
    full = simulate(s, coeffs, 1, noise=True, incidents=False,
                    measures=Measures(transparency=1.0))
    assert full.perceived[0].std(axis=0).max() < 0.6 * p0.std(axis=0).min()
    # Common random numbers: the same draws, only scaled — the errors move together.
    for i in range(3):
        assert np.corrcoef(full.perceived[0][:, i], p0[:, i])[0, 1] > 0.98


def test_noise_fully_removed_equals_noise_off() -> None:
    s = small_system(4)
    coeffs = Coefficients.fixed(4, runs=3, perception_noise=0.4, transparency_efficacy=1.0)
    clear = simulate(s, coeffs, 12, measures=Measures(transparency=1.0), incidents=False)
    off = simulate(s, coeffs, 12, noise=False, incidents=False)
    np.testing.assert_allclose(clear.armament, off.armament, rtol=1e-12)


def test_incident_rate_and_measures() -> None:
    act = (Activity("patrol", 0, 1, 30.0, 2.0),)
    s = small_system(3, activities=act)
    runs, steps = 4000, 10
    coeffs = Coefficients.fixed(3, runs=runs, incident_rate=0.4, approach_scale_km=60.0,
                                incident_bump=0.1, prevention_efficacy=0.5)
    base = simulate(s, coeffs, steps, noise=False, seed=3)
    rate = 0.4 * 2.0 * np.exp(-30.0 / 60.0)
    mean = base.incidents.mean() / steps
    assert mean == pytest.approx(rate, abs=5 * np.sqrt(rate / (runs * steps)))
    # A 90 km floor on approaches and full incident prevention (half removed).
    pkg = Measures(min_approach_km=90.0, incident_prevention=1.0)
    fewer = simulate(s, coeffs, steps, noise=False, seed=3, measures=pkg)
    rate2 = 0.4 * 2.0 * np.exp(-90.0 / 60.0) * 0.5
    assert fewer.incidents.mean() / steps == pytest.approx(
        rate2, abs=5 * np.sqrt(rate2 / (runs * steps)))
    assert np.all(fewer.incidents <= base.incidents)  # common random numbers: monotone
    # Incidents raise the dyad's hostility, so perceived threat and armament rise.
    assert base.perceived[:, :, 0].mean() > fewer.perceived[:, :, 0].mean()
    assert base.security[-1, :, 1].mean() < fewer.security[-1, :, 1].mean()


def test_incident_hostility_enters_both_perception_paths_alike() -> None:
    """With noise on but sigma zero for every run, the noisy path equals the noise-free one
    (to single precision, in which misperception factors are applied)."""
    s = small_system(4, activities=ACTS)
    c = Coefficients.fixed(4, runs=5, incident_rate=0.5, incident_bump=0.2,
                           perception_noise=1e-300)
    noisy = simulate(s, c, 15, seed=4)
    plain = simulate(s, c, 15, seed=4, noise=False)
    assert noisy.meta["noise"] and not plain.meta["noise"]
    np.testing.assert_allclose(noisy.armament, plain.armament, rtol=2e-6)
    np.testing.assert_allclose(noisy.perceived, plain.perceived, rtol=2e-6)
    assert noisy.incidents.sum() > 0 and np.array_equal(noisy.incidents, plain.incidents)


def test_exercise_ceiling_inside_zone() -> None:
    ex = (Activity("exercise", 0, 1, 50.0, 40000.0), Activity("exercise", 0, 2, 400.0, 40000.0))
    s = small_system(3, activities=ex)
    c = Coefficients.fixed(3, runs=1, incident_rate=1.0, exercise_scale_km=100.0)
    from indivisible.dynamics.incidents import incident_rates

    kw = dict(incident_rate=c.incident_rate, approach_scale_km=c.approach_scale_km,
              exercise_scale_km=c.exercise_scale_km, exercise_troops_unit=c.exercise_troops_unit,
              prevention_efficacy=c.prevention_efficacy)
    free = incident_rates(s.activities, NONE, **kw)
    capped = incident_rates(s.activities, PACKAGES["drafts-2021"], **kw)
    np.testing.assert_allclose(free.rates[0], [4 * np.exp(-0.5), 4 * np.exp(-4.0)])
    # Inside the 150 km zone the exercise is cut to 5,000 troops; outside it is untouched;
    # and the package's incident prevention (the unquantified level, 0.5) times the efficacy
    # (0.5) is applied to both.
    level = PACKAGES["drafts-2021"].incident_prevention
    assert level == PACKAGES["replies-2022"].incident_prevention  # one rule for both sides
    np.testing.assert_allclose(capped.rates[0],
                               np.array([0.5 * np.exp(-0.5), 4 * np.exp(-4.0)])
                               * (1 - 0.5 * level))


def test_spiral_definition() -> None:
    s = small_system(4)
    hot = simulate(s, Coefficients.fixed(4, runs=1, reaction=0.4, fatigue=0.1, grievance=0.0),
                   30, noise=False, incidents=False, spiral_factor=1.5, spiral_horizon=20)
    assert hot.spiral[0]
    step = hot.spiral_step[0]
    assert hot.total[step, 0] >= 1.5 > hot.total[step - 1, 0]
    assert 1 <= step <= 20
    late = simulate(s, Coefficients.fixed(4, runs=1, reaction=0.4, fatigue=0.1, grievance=0.0),
                    30, noise=False, incidents=False, spiral_factor=1.5, spiral_horizon=step - 1)
    assert not late.spiral[0]


def test_measures_lower_the_spiral_probability_with_common_random_numbers() -> None:
    s = small_system(6, activities=ACTS)
    without, with_ = compare(s, PARAMS, PACKAGES["both"], runs=400, steps=25, seed=1)
    assert with_.incidents.sum() < without.incidents.sum()
    assert with_.p_spiral <= without.p_spiral
    assert without.armament[0].shape == (400, 6)


def test_draws_are_per_state_within_ranges_and_fitted_values_override() -> None:
    iso3 = ("AAA", "BBB", "CCC")
    c = draw_coefficients(PARAMS, iso3, 500, 0)
    for name in PER_STATE:
        arr = getattr(c, name)
        spec = PARAMS.specs[name]
        assert arr.shape == (500, 3)
        assert arr.min() >= spec.low and arr.max() <= spec.high
        assert not np.allclose(arr[:, 0], arr[:, 1])  # independent per state
    assert np.array_equal(draw_coefficients(PARAMS, iso3, 500, 0).reaction, c.reaction)
    # A pinned parameter does not move the draws of the others (one stream per name).
    pinned = draw_coefficients(PARAMS.with_overrides({"fatigue": 0.12}), iso3, 500, 0)
    assert np.all(pinned.fatigue == 0.12)
    assert np.array_equal(pinned.reaction, c.reaction)
    fixed = PARAMS.with_state_values({"BBB": {"reaction": 0.33}})
    c2 = draw_coefficients(fixed, iso3, 10, 0)
    assert np.all(c2.reaction[:, 1] == 0.33)
    c3 = draw_coefficients(PARAMS, iso3, 4, 1, uncertainty=False)
    assert np.all(c3.fatigue == PARAMS["fatigue"])


def test_params_file_checks(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="outside"):
        PARAMS.with_overrides({"reaction": 5.0})
    with pytest.raises(InputError, match="unknown parameter"):
        PARAMS.with_overrides({"nope": 1.0})
    assert PARAMS.with_overrides({"reaction": 0.05})["reaction"] == 0.05
    bad = tmp_path / "p.yaml"
    bad.write_text("version: 1\nparameters:\n  - name: reaction\n    default: 0.1\n"
                   "    unit: x\n    distribution: normal\n    low: 0\n    high: 1\n"
                   "    rationale: long enough text\n")
    with pytest.raises(InputError) as exc:
        load_dynamics_params(bad)
    assert exc.value.line == 6 and "distribution" in (exc.value.field or "")


def test_measures_loading(tmp_path: Path) -> None:
    assert load_measures("replies-2022").transparency == 0.5
    assert load_measures(None).empty
    f = tmp_path / "m.yaml"
    f.write_text("transparency: 0.3\nmin_approach_km: 40\n")
    m = load_measures(f)
    assert m.transparency == 0.3 and m.name == "m"
    f.write_text("transparency: 0.3\nincident_prevention: 2\n")
    with pytest.raises(InputError) as exc:
        load_measures(f)
    assert exc.value.line == 2 and exc.value.field == "incident_prevention"
    with pytest.raises(InputError, match="unknown measures package"):
        load_measures("nonsense")


def test_misperception_persists_with_the_stated_correlation() -> None:
    t = np.array([[0.0, 1.0], [1.0, 0.0]])
    s = SpiralSystem(("A", "B"), t, np.eye(2))
    c = Coefficients.fixed(2, runs=4000, reaction=0.0, fatigue=0.0, grievance=0.0,
                           perception_noise=0.3, perception_persistence=0.7)
    ens = simulate(s, c, 6, incidents=False)
    u = (np.log(ens.perceived[:, :, 0]) + 0.045) / 0.3  # the belief error, unit variance
    assert np.std(u[3]) == pytest.approx(1.0, abs=0.05)
    assert np.corrcoef(u[3], u[4])[0, 1] == pytest.approx(0.7, abs=0.03)
    assert np.corrcoef(u[2], u[4])[0, 1] == pytest.approx(0.49, abs=0.04)
