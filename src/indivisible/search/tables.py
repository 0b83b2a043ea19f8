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

import threading
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

#: Floating-point operations per package besides the product: adding the base (2N),
#: D + T, the division, the change against the base world, the minimum and the sum (5N).
ELEMENTWISE_FLOPS_PER_STATE = 7


@dataclass
class Workspace:
    """Arrays reused from one batch to the next in the same thread.

    A batch's temporaries are megabytes each; allocating them afresh for every chunk costs
    a page fault per 4 KiB wherever freed memory goes back to the system at once (Dask
    workers set ``MALLOC_TRIM_THRESHOLD_``), which doubled the time of a chunk. Arrays
    returned by a call with a workspace are overwritten by the next such call.
    """

    arrays: dict[str, np.ndarray] = field(default_factory=dict)

    def get(self, name: str, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
        size = int(np.prod(shape))
        a = self.arrays.get(name)
        if a is None or a.size < size or a.dtype != dtype:
            a = self.arrays[name] = np.empty(max(size, 1), dtype=dtype)
        return a[:size].reshape(shape)

    def arange(self, start: int, stop: int) -> NDArray[np.int64]:
        n = stop - start
        ramp = self.arrays.get("ramp")
        if ramp is None or ramp.size < n:
            ramp = self.arrays["ramp"] = np.arange(max(n, 1), dtype=np.int64)
        return np.add(ramp[:n], start, out=self.get("q", (n,), np.int64))


_LOCAL = threading.local()


def workspace() -> Workspace:
    """This thread's workspace."""
    ws = getattr(_LOCAL, "workspace", None)
    if ws is None:
        ws = _LOCAL.workspace = Workspace()
    return ws


def release_workspace() -> None:
    """Drop this thread's workspace (a long-lived thread keeps it otherwise)."""
    _LOCAL.workspace = None


@dataclass(frozen=True)
class Group:
    """Measures on consecutive internal bits ``offset .. offset + size - 1``."""

    offset: int
    size: int
    column: int  # first column of its subsets in the one-hot matrix


@dataclass(frozen=True)
class Summary:
    """Per package: the smallest change, the sum of changes, how many states lose more than
    epsilon, and by how much in all (the total excess loss, for the heuristic; else 0)."""

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
    def onehot(self, q: NDArray[np.int64], work: Workspace | None = None
               ) -> NDArray[np.float64]:
        shape = (len(q), self.n_columns)
        if work is None:
            x, s = np.zeros(shape), np.empty(len(q), dtype=np.int64)
        else:
            x, s = work.get("onehot", shape), work.get("bits", (len(q),), np.int64)
            x.fill(0.0)
        for g in self.groups:
            np.right_shift(q, g.offset, out=s)
            np.bitwise_and(s, (1 << g.size) - 1, out=s)
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
    def totals(self, q: NDArray[np.int64], work: Workspace | None = None
               ) -> NDArray[np.float64]:
        """(B, 2N): threat then protection of each package (internal masks)."""
        q = np.asarray(q, dtype=np.int64)
        x = self.onehot(q, work)
        shape = (len(q), 2 * self.n_states)
        out = np.empty(shape) if work is None else work.get("totals", shape)
        # The stance bits are the highest, so q >> offset is the stance subset and grows
        # with q: if the smallest and largest masks share it, every mask does.
        first = int(q.min()) >> self.sigma_offset if len(q) else 0
        if not len(q) or int(q.max()) >> self.sigma_offset == first:
            np.matmul(x, self.y[first], out=out)
            out += self.base[first]
            return out
        sig = q >> self.sigma_offset
        for s in np.unique(sig).tolist():
            rows = np.nonzero(sig == s)[0]
            out[rows] = x[rows] @ self.y[s] + self.base[s]
        return out

    def deltas(self, q: NDArray[np.int64], work: Workspace | None = None
               ) -> NDArray[np.float64]:
        """(B, N): every state's change in security under each package."""
        td = self.totals(q, work)
        n = self.n_states
        t, d = td[:, :n], td[:, n:]
        np.add(d, t, out=t)  # in place: one pass each for D + T, the division, the change
        np.divide(d, t, out=t)
        t -= self.s0
        return t

    def summarise(self, q: NDArray[np.int64], excess: bool = False,
                  work: Workspace | None = None) -> Summary:
        """Smallest change, sum, losers; with ``excess``, also the total loss beyond epsilon."""
        delta = self.deltas(q, work)
        b, n = delta.shape

        def buf(name: str, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
            return np.empty(shape, dtype=dtype) if work is None else work.get(name, shape, dtype)

        losing = np.less(delta, -self.epsilon, out=buf("losing", (b, n), np.bool_))
        return Summary(
            min_delta=np.min(delta, axis=1, out=buf("min", (b,))),
            sum_delta=np.sum(delta, axis=1, out=buf("sum", (b,))),
            n_losers=np.sum(losing, axis=1, dtype=np.int64, out=buf("losers", (b,), np.int64)),
            excess=(np.where(losing, -self.epsilon - delta, 0.0).sum(axis=1) if excess
                    else np.zeros(b)),
        )


def popcount(mask: NDArray[np.int64], bits: int) -> NDArray[np.int64]:
    out = np.zeros_like(mask)
    for b in range(bits):
        out += (mask >> b) & 1
    return out
