"""The spiral's linear skeleton against its closed form: equilibrium, stability, path."""

from __future__ import annotations

import numpy as np
import pytest

from indivisible.dynamics.linear import (
    analyse,
    closed_form_path,
    equilibrium,
    richardson_matrix,
    simulate_linear,
    spectral_radius,
    two_state_eigenvalues,
    two_state_stable,
    uniform_stable,
)
from indivisible.dynamics.spiral import Coefficients, SpiralSystem, simulate


def random_matrix(rng: np.random.Generator, n: int, radius: float) -> np.ndarray:
    a = rng.normal(size=(n, n))
    return a * (radius / spectral_radius(a))


def steps_to(radius: float, tol: float = 1e-12) -> int:
    return int(np.ceil(np.log(tol) / np.log(radius))) + 50


@pytest.mark.parametrize("seed", range(8))
def test_stable_random_matrix_converges_to_closed_form(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 12))
    radius = float(rng.uniform(0.3, 0.95))
    a = random_matrix(rng, n, radius)
    g = rng.normal(size=n)
    x0 = rng.normal(size=(5, n)) * 10
    path = simulate_linear(a, g, x0, steps_to(radius))
    x_star = np.linalg.inv(np.eye(n) - a) @ g
    st = analyse(a, g)
    assert st.stable and st.spectral_radius == pytest.approx(radius)
    np.testing.assert_allclose(st.equilibrium, x_star, rtol=1e-12)
    for r in range(5):
        np.testing.assert_allclose(path[-1, r], x_star, rtol=1e-6, atol=1e-9 * np.abs(x_star).max())


@pytest.mark.parametrize("seed", range(8))
def test_unstable_random_matrix_diverges(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(2, 12))
    radius = float(rng.uniform(1.05, 1.5))
    a = random_matrix(rng, n, radius)
    g = rng.normal(size=n)
    x0 = rng.normal(size=n)
    st = analyse(a, g)
    assert not st.stable
    steps = int(np.ceil(np.log(1e8) / np.log(radius))) + 20
    path = simulate_linear(a, g, x0, steps)
    gap0 = np.linalg.norm(x0 - st.equilibrium)
    assert np.linalg.norm(path[-1, 0] - st.equilibrium) > 1e6 * gap0


def test_path_matches_matrix_power_closed_form() -> None:
    rng = np.random.default_rng(7)
    a = random_matrix(rng, 6, 0.9)
    g, x0 = rng.normal(size=6), rng.normal(size=6)
    path = simulate_linear(a, g, x0, 25)
    for t in (0, 1, 7, 25):
        np.testing.assert_allclose(path[t, 0], closed_form_path(a, g, x0, t), rtol=1e-9,
                                   atol=1e-12)


def test_batched_matrices_are_each_their_own_system() -> None:
    rng = np.random.default_rng(3)
    a = np.stack([random_matrix(rng, 4, r) for r in (0.5, 0.8, 0.9)])
    g = rng.normal(size=(3, 4))
    path = simulate_linear(a, g, np.zeros((3, 4)), 400)
    for r in range(3):
        np.testing.assert_allclose(path[-1, r], equilibrium(a[r], g[r]), rtol=1e-6)


def richardson_case(rng: np.random.Generator, n: int, stable: bool):
    """A random model-shaped system: non-negative threat, protection, coefficients."""
    threat = rng.uniform(0, 1, (n, n)) * (rng.random((n, n)) < 0.7)
    np.fill_diagonal(threat, 0)
    threat[np.arange(n), (np.arange(n) + 1) % n] += 0.1  # every state feels some threat
    protection = rng.uniform(0, 1, (n, n)) + np.eye(n)
    system = SpiralSystem(tuple(f"S{i:02d}" for i in range(n)), threat, protection)
    k = rng.uniform(0.05, 0.2, n)
    m = rng.uniform(0.1, 0.3, n)
    g = rng.uniform(0.0, 0.1, n)
    a = richardson_matrix(k, m, system.tau)
    scale = 0.9 if stable else 1.2
    # Rescale the reactions until the spectral radius is on the chosen side of one.
    for _ in range(200):
        rad = spectral_radius(richardson_matrix(k, m, system.tau))
        if (rad < scale) if stable else (rad > scale):
            break
        k = k * (0.8 if stable else 1.25)
    a = richardson_matrix(k, m, system.tau)
    return system, k, m, g, a


@pytest.mark.parametrize("seed", range(6))
def test_spiral_engine_noise_free_converges_to_richardson_equilibrium(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 15))
    system, k, m, g, a = richardson_case(rng, n, stable=True)
    st = analyse(a, g)
    assert st.stable
    x_star = (np.linalg.inv(np.diag(m) - k[:, None] * system.tau)) @ g  # (M - K W)^-1 g
    np.testing.assert_allclose(st.equilibrium, x_star, rtol=1e-10)
    # Several runs with different coefficients: each run has its own equilibrium.
    k2 = np.stack([k, k * 0.5, k * 0.9])
    coeffs = Coefficients.fixed(n, runs=3, reaction=k2, fatigue=m, grievance=g)
    ens = simulate(system, coeffs, steps_to(st.spectral_radius), floor=None, noise=False,
                   incidents=False)
    for r in range(3):
        xr = equilibrium(richardson_matrix(k2[r], m, system.tau), g)
        np.testing.assert_allclose(ens.armament[-1, r], xr, rtol=1e-6)


@pytest.mark.parametrize("seed", range(4))
def test_spiral_engine_diverges_when_unstable(seed: int) -> None:
    rng = np.random.default_rng(50 + seed)
    n = int(rng.integers(3, 10))
    system, k, m, g, a = richardson_case(rng, n, stable=False)
    st = analyse(a, g)
    assert not st.stable
    coeffs = Coefficients.fixed(n, runs=1, reaction=k, fatigue=m, grievance=g)
    ens = simulate(system, coeffs, 300, floor=None, noise=False, incidents=False)
    assert np.abs(ens.armament[-1, 0]).max() > 1e6
    assert ens.spiral[0]


def test_shared_and_per_run_paths_agree() -> None:
    """The fast path (one matrix for all runs) and the general path give the same numbers."""
    rng = np.random.default_rng(11)
    system, k, m, g, _ = richardson_case(rng, 8, stable=True)
    shared = simulate(system, Coefficients.fixed(8, runs=2, reaction=k, fatigue=m, grievance=g),
                      60, noise=False, incidents=False)
    general = simulate(system, Coefficients.fixed(8, runs=2, reaction=np.stack([k, k * 0.5]),
                                                  fatigue=m, grievance=g), 60, noise=False,
                       incidents=False)
    np.testing.assert_allclose(shared.armament[:, 0], general.armament[:, 0], rtol=1e-12)
    np.testing.assert_allclose(shared.perceived[:, 0], general.perceived[:, 0], rtol=1e-12)


def test_two_state_closed_form() -> None:
    rng = np.random.default_rng(5)
    for _ in range(200):
        k1, k2 = rng.uniform(0, 0.5, 2)
        m1, m2 = rng.uniform(0, 0.6, 2)
        a = np.array([[1 - m1, k1], [k2, 1 - m2]])
        lam = sorted(np.linalg.eigvals(a).real)
        cf = sorted(z.real for z in two_state_eigenvalues(k1, k2, m1, m2))
        np.testing.assert_allclose(lam, cf, atol=1e-12)
        assert two_state_stable(k1, k2, m1, m2) == (spectral_radius(a) < 1)
    # Richardson's condition: fatigue must outweigh mutual reaction.
    assert two_state_stable(0.1, 0.1, 0.2, 0.2)
    assert not two_state_stable(0.3, 0.3, 0.2, 0.2)
    # The yearly step adds an overshoot bound: heavy fatigue oscillates and blows up.
    assert not two_state_stable(0.0, 0.0, 2.5, 0.1)


def test_half_life() -> None:
    st = analyse(np.diag([0.5, 0.25]), np.zeros(2))
    assert st.half_life == pytest.approx(1.0)


def test_uniform_coefficients_closed_form() -> None:
    rng = np.random.default_rng(9)
    for _ in range(200):
        n = int(rng.integers(2, 9))
        w = rng.random((n, n)) * (rng.random((n, n)) < 0.6)
        if rng.random() < 0.5:
            w = w / np.maximum(w.sum(axis=1, keepdims=True), 1e-12)  # the spiral's W
        k = float(rng.uniform(0, 0.4))
        m = float(rng.uniform(0.01, 1.0))
        a = richardson_matrix(np.full(n, k), np.full(n, m), w)
        assert uniform_stable(k, m, w) == (spectral_radius(a) < 1)
    stochastic = np.full((3, 3), 0.5) - 0.5 * np.eye(3)
    assert uniform_stable(0.1, 0.15, stochastic) and not uniform_stable(0.2, 0.15, stochastic)
