"""The linear Richardson system in discrete time, and what can be said about it in closed form.

One step of a year is ``x(t+1) = x(t) + k * p(t) - m * x(t) + g`` with the perceived threat
``p = W x`` linear in the others' armament. Written as ``x(t+1) = A x(t) + g`` with

    A = I - diag(m) + diag(k) W

the system has a closed-form equilibrium ``x* = (I - A)^{-1} g = (diag(m) - diag(k) W)^{-1} g``
and a closed-form path ``x(t) = x* + A^t (x(0) - x*)``. It converges to ``x*`` from every
start if and only if the spectral radius of ``A`` is below one; otherwise (for a generic start)
armament grows without bound or oscillates — Richardson's arms race. For two states reacting
only to each other the eigenvalues are explicit (:func:`two_state_eigenvalues`), and the
classic condition ``k1 k2 < m1 m2`` reappears as the bound on the larger one.

Reference: L. F. Richardson, *Arms and Insecurity* (Pittsburgh: Boxwood, 1960).

The simulation here is the noise-free, incident-free skeleton of :mod:`.spiral`; tests hold
the two to the closed form.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def richardson_matrix(k: ArrayLike, m: ArrayLike, w: ArrayLike) -> Array:
    """``A = I - diag(m) + diag(k) W`` for one parameter set (k, m of shape (N,), W (N, N))."""
    k_ = np.asarray(k, dtype=float)
    m_ = np.asarray(m, dtype=float)
    w_ = np.asarray(w, dtype=float)
    n = w_.shape[0]
    if w_.shape != (n, n) or k_.shape != (n,) or m_.shape != (n,):
        raise ValueError(f"shapes do not agree: k {k_.shape}, m {m_.shape}, W {w_.shape}")
    return np.eye(n) - np.diag(m_) + k_[:, None] * w_


def spectral_radius(a: ArrayLike) -> float:
    """The largest eigenvalue modulus: the system is stable iff it is below one."""
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(a, dtype=float)))))


@dataclass(frozen=True)
class Stability:
    """The closed-form answer for one linear system."""

    equilibrium: Array | None  # x*, or None when I - A is singular
    spectral_radius: float
    stable: bool
    eigenvalues: Array

    @property
    def half_life(self) -> float:
        """Steps for a deviation from equilibrium to halve (inf when not stable)."""
        r = self.spectral_radius
        if not self.stable or r == 0.0:
            return 0.0 if r == 0.0 else float("inf")
        return float(np.log(0.5) / np.log(r))


def equilibrium(a: ArrayLike, g: ArrayLike) -> Array:
    """``x* = (I - A)^{-1} g``; raises ``np.linalg.LinAlgError`` when ``I - A`` is singular."""
    a_ = np.asarray(a, dtype=float)
    return np.linalg.solve(np.eye(a_.shape[0]) - a_, np.asarray(g, dtype=float))


def analyse(a: ArrayLike, g: ArrayLike) -> Stability:
    """Equilibrium, eigenvalues and the stability verdict of ``x(t+1) = A x(t) + g``."""
    a_ = np.asarray(a, dtype=float)
    eig = np.linalg.eigvals(a_)
    radius = float(np.max(np.abs(eig)))
    try:
        x_star: Array | None = equilibrium(a_, g)
    except np.linalg.LinAlgError:
        x_star = None
    return Stability(equilibrium=x_star, spectral_radius=radius, stable=radius < 1.0,
                     eigenvalues=eig)


def two_state_eigenvalues(k1: float, k2: float, m1: float, m2: float) -> tuple[complex, complex]:
    """Eigenvalues of A for two states each reacting only to the other (W = [[0,1],[1,0]]).

    ``A = [[1-m1, k1], [k2, 1-m2]]`` so ``lambda = 1 - (m1+m2)/2 ± sqrt(((m1-m2)/2)^2 + k1 k2)``.
    """
    centre = 1.0 - (m1 + m2) / 2.0
    root = np.sqrt(complex(((m1 - m2) / 2.0) ** 2 + k1 * k2))
    return complex(centre + root), complex(centre - root)


def two_state_stable(k1: float, k2: float, m1: float, m2: float) -> bool:
    """The two-state stability condition in closed form.

    For non-negative reactions the eigenvalues are real. The larger is below one iff
    ``k1 k2 < m1 m2`` (Richardson's condition: fatigue outweighs mutual reaction); the
    smaller is above minus one iff ``k1 k2 < (2 - m1)(2 - m2)`` (no overshooting oscillation,
    which the yearly step adds to the continuous-time condition).
    """
    if min(k1, k2) < 0:
        lam = two_state_eigenvalues(k1, k2, m1, m2)
        return max(abs(lam[0]), abs(lam[1])) < 1.0
    return (k1 * k2 < m1 * m2 and k1 * k2 < (2.0 - m1) * (2.0 - m2)
            and 0.0 < m1 + m2 < 4.0)


def uniform_stable(k: float, m: float, w: ArrayLike) -> bool:
    """Stability in closed form when every state has the same reaction k >= 0 and fatigue m.

    The eigenvalues of A are ``1 - m + k lambda`` for the eigenvalues ``lambda`` of W. For a
    non-negative W with Perron root ``r = rho(W)`` and ``0 < m <= 1``: the Perron eigenvalue
    needs ``k r < m``, and then every other one satisfies
    ``|1 - m + k lambda| <= 1 - m + k r < 1``. So the system is stable iff ``k r < m``; with
    the spiral's W (rows summing to one) ``r = 1`` and the condition is ``k < m``.
    """
    w_ = np.asarray(w, dtype=float)
    if k < 0 or np.any(w_ < 0) or not 0.0 < m <= 1.0:
        raise ValueError("needs k >= 0, a non-negative W and 0 < m <= 1")
    return bool(k * spectral_radius(w_) < m)


def closed_form_path(a: ArrayLike, g: ArrayLike, x0: ArrayLike, t: int) -> Array:
    """``x(t) = x* + A^t (x(0) - x*)``, computed by matrix power (for checks, not for speed)."""
    a_ = np.asarray(a, dtype=float)
    x_star = equilibrium(a_, g)
    return x_star + np.linalg.matrix_power(a_, t) @ (np.asarray(x0, dtype=float) - x_star)


def simulate_linear(a: ArrayLike, g: ArrayLike, x0: ArrayLike, steps: int) -> Array:
    """Iterate ``x(t+1) = A x(t) + g`` for a batch of runs at once.

    ``a`` is (N, N) or (R, N, N); ``g`` and ``x0`` are (N,) or (R, N). Returns the path as a
    (steps + 1, R, N) array, row 0 being ``x0``. Runs are a leading axis, never a Python loop.
    """
    a_ = np.asarray(a, dtype=float)
    g_ = np.atleast_2d(np.asarray(g, dtype=float))
    x = np.atleast_2d(np.asarray(x0, dtype=float))
    runs = max(x.shape[0], g_.shape[0], a_.shape[0] if a_.ndim == 3 else 1)
    n = a_.shape[-1]
    out = np.empty((steps + 1, runs, n))
    out[0] = x
    if a_.ndim == 2:
        at = np.ascontiguousarray(a_.T)
        for t in range(steps):
            np.matmul(out[t], at, out=out[t + 1])
            out[t + 1] += g_
    else:
        at = np.ascontiguousarray(np.swapaxes(a_, 1, 2))
        for t in range(steps):
            out[t + 1] = np.einsum("rj,rji->ri", out[t], at) + g_
    return out
