"""Batched, exact evaluation of packages held as bit masks.

A package is an integer whose bits say which measures it holds. The measures are laid
out in *internal* order: the independent groups first (each group's measures on
consecutive bits), then the *stance group* (the measures that change alliances or
neutrality) on the highest bits. For stance subset ``s`` and the physical groups'
subsets, the package's threat and protection are (see :mod:`indivisible.search.view`)

    [T | D] = base[s] + onehot(package) @ Y[s]

where ``onehot`` has one column per non-empty subset of each physical group (a single
measure is one column, its own bit) and ``Y[s]`` holds each subset's change of masses
weighted by stance ``s``. That is one matrix product per batch of packages; security
and its change follow element-wise (``S = D / (D + T)``). ``base`` and ``Y`` come from
evaluating the world itself (:mod:`indivisible.search.decompose`), so the numbers are
the model's own up to floating-point rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

#: Floating-point operations per package besides the product: adding the base (2N),
#: D + T, the division, the change against the base world, the minimum and the sum (5N).
ELEMENTWISE_FLOPS_PER_STATE = 7


@dataclass(frozen=True)
class Group:
    """Measures on consecutive internal bits ``offset .. offset + size - 1``."""

    offset: int
    size: int
    column: int  # first column of its subsets in the one-hot matrix


@dataclass(frozen=True)
class Summary:
    """Per package: the smallest change, the sum of changes, how many states lose more than
    epsilon, and by how much in all (the total excess loss, for the heuristic)."""

    min_delta: NDArray[np.float64]
    sum_delta: NDArray[np.float64]
    n_losers: NDArray[np.int64]
    excess: NDArray[np.float64]


@dataclass(frozen=True)
class Tables:
    """Everything needed to evaluate any package: small arrays, cheap to ship to workers."""

    iso3: tuple[str, ...]
    order: NDArray[np.int64]  # internal bit -> menu index
    groups: tuple[Group, ...]  # physical groups
    sigma_offset: int
    sigma_size: int
    base: NDArray[np.float64]  # (2**sigma_size, 2N)
    y: NDArray[np.float64]  # (2**sigma_size, K, 2N)
    s0: NDArray[np.float64]  # (N,) security in the base world
    epsilon: float

    @property
    def n_measures(self) -> int:
        return len(self.order)

    @property
    def n_states(self) -> int:
        return len(self.iso3)

    @property
    def n_columns(self) -> int:
        return int(self.y.shape[1])

    def flops_per_package(self) -> int:
        """Floating-point operations of one package's evaluation (product + element-wise)."""
        n = self.n_states
        return 2 * self.n_columns * 2 * n + ELEMENTWISE_FLOPS_PER_STATE * n

    # -- masks ----------------------------------------------------------------------
    def onehot(self, q: NDArray[np.int64]) -> NDArray[np.float64]:
        x = np.zeros((len(q), self.n_columns))
        for g in self.groups:
            s = (q >> g.offset) & ((1 << g.size) - 1)
            if g.size == 1:
                x[:, g.column] = s
                continue
            rows = np.nonzero(s)[0]
            x[rows, g.column + s[rows] - 1] = 1.0
        return x

    def to_menu(self, q: NDArray[np.int64]) -> NDArray[np.int64]:
        """Internal masks -> masks in menu order (bit i = the menu's i-th measure)."""
        out = np.zeros_like(q)
        for bit, menu_index in enumerate(self.order.tolist()):
            out |= ((q >> bit) & 1) << menu_index
        return out

    def from_menu(self, mask: NDArray[np.int64]) -> NDArray[np.int64]:
        out = np.zeros_like(mask)
        for bit, menu_index in enumerate(self.order.tolist()):
            out |= ((mask >> menu_index) & 1) << bit
        return out

    # -- evaluation -----------------------------------------------------------------
    def totals(self, q: NDArray[np.int64]) -> NDArray[np.float64]:
        """(B, 2N): threat then protection of each package (internal masks)."""
        q = np.asarray(q, dtype=np.int64)
        x = self.onehot(q)
        sig = (q >> self.sigma_offset) & ((1 << self.sigma_size) - 1)
        first = int(sig[0]) if len(sig) else 0
        if not len(sig) or np.all(sig == first):
            out = x @ self.y[first]
            out += self.base[first]
            return out
        out = np.empty((len(q), 2 * self.n_states))
        for s in np.unique(sig).tolist():
            rows = np.nonzero(sig == s)[0]
            out[rows] = x[rows] @ self.y[s] + self.base[s]
        return out

    def deltas(self, q: NDArray[np.int64]) -> NDArray[np.float64]:
        """(B, N): every state's change in security under each package."""
        td = self.totals(q)
        n = self.n_states
        t, d = td[:, :n], td[:, n:]
        return d / (d + t) - self.s0

    def summarise(self, q: NDArray[np.int64]) -> Summary:
        delta = self.deltas(q)
        loss = -self.epsilon - delta
        return Summary(
            min_delta=delta.min(axis=1),
            sum_delta=delta.sum(axis=1),
            n_losers=(loss > 0).sum(axis=1).astype(np.int64),
            excess=np.where(loss > 0, loss, 0.0).sum(axis=1),
        )


def popcount(mask: NDArray[np.int64], bits: int) -> NDArray[np.int64]:
    out = np.zeros_like(mask)
    for b in range(bits):
        out += (mask >> b) & 1
    return out
