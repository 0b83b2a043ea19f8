"""The 2x2 game a dyad plays, read off the security model.

For states ``a`` and ``b``, take the model's threat and protection matrices by owner
(``T[i, j]``, ``D[i, j]``: what j's forces do to i). Arming scales a side's forces by
``1 + arm_step``; restraint keeps them. For each of the four profiles every force is scaled
by its owner's armament and each side's security is recomputed,
``S_i = sum_j D_ij x_j / (sum_j D_ij x_j + sum_j T_ij x_j)``; the payoff is that security
minus the cost of arming, ``arm_cost * arm_step`` in security points. Third states keep
their forces: the game is the dyad's, other things equal.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from indivisible.games.twobytwo import Game


def security(threat: np.ndarray, protection: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Security of every state when each owner's forces are scaled by ``x`` (last axis)."""
    dx = x @ protection.T
    tx = x @ threat.T
    denom = dx + tx
    return np.where(denom > 0, dx / np.where(denom > 0, denom, 1.0), 1.0)


def dyad_game(
    threat: ArrayLike,
    protection: ArrayLike,
    a: int,
    b: int,
    *,
    arm_step: float,
    arm_cost: float,
    base: ArrayLike | None = None,
    players: tuple[str, str] = ("row", "column"),
) -> Game:
    """The game of ``a`` (row) and ``b`` (column) from (N, N) threat and protection matrices."""
    t = np.asarray(threat, dtype=float)
    d = np.asarray(protection, dtype=float)
    n = t.shape[0]
    if a == b:
        raise ValueError("a dyad needs two different states")
    x0 = np.ones(n) if base is None else np.asarray(base, dtype=float)
    profiles = np.array([[ra, cb] for ra in (0, 1) for cb in (0, 1)])  # (4, 2)
    x = np.tile(x0, (4, 1))
    x[:, a] *= 1.0 + arm_step * profiles[:, 0]
    x[:, b] *= 1.0 + arm_step * profiles[:, 1]
    s = security(t, d, x)  # (4, N)
    cost = arm_cost * arm_step
    row = (s[:, a] - cost * profiles[:, 0]).reshape(2, 2)
    col = (s[:, b] - cost * profiles[:, 1]).reshape(2, 2)
    return Game(row, col, players)
