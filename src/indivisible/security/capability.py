"""Home capability: a Correlates-of-War style composite of a state's military means.

The Composite Index of National Capability (Singer, Bremer & Stuckey 1972) averages a
state's shares of the system totals of several components. The model uses the two
military components the world holds, expenditure and personnel, each as a share of
the snapshot's states that report it, and averages the components a state has. A
state with neither figure, or with both at zero, would have no strength at all; the
model gives every state at least ``c_min`` (a parameter) so that each state's own
forces protect it a little and security stays strictly positive.

Warheads are a separate element (the nuclear forces), counted as shares of all the
snapshot's warheads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from indivisible.world.scenario import Snapshot


@dataclass(frozen=True)
class Capabilities:
    """Per state, in snapshot order; missing figures are NaN (warheads: 0)."""

    iso3: tuple[str, ...]
    milex: NDArray[np.float64]
    personnel: NDArray[np.float64]
    warheads: NDArray[np.float64]
    milex_share: NDArray[np.float64]
    personnel_share: NDArray[np.float64]
    warhead_share: NDArray[np.float64]
    composite: NDArray[np.float64]
    has_data: NDArray[np.bool_]


def _share(x: NDArray[np.float64]) -> NDArray[np.float64]:
    total = np.nansum(x)
    if total <= 0:
        return np.where(np.isnan(x), np.nan, 0.0)
    return x / total


def capabilities(snap: Snapshot) -> Capabilities:
    """The composite capability of every state of ``snap`` (shares sum to about 1)."""
    recs = [snap.capability(c) for c in snap.iso3]

    def column(field: str) -> NDArray[np.float64]:
        return np.array(
            [np.nan if r is None or getattr(r, field) is None else float(getattr(r, field))
             for r in recs],
            dtype=float,
        )

    milex, personnel, warheads = column("milex_usd_m"), column("personnel"), column("warheads")
    ms, ps = _share(milex), _share(personnel)
    parts = np.vstack([ms, ps])
    present = ~np.isnan(parts)
    counts = present.sum(axis=0)
    composite = np.where(counts > 0, np.nansum(parts, axis=0) / np.maximum(counts, 1), 0.0)
    warheads = np.nan_to_num(warheads, nan=0.0)
    total_w = warheads.sum()
    return Capabilities(
        iso3=snap.iso3,
        milex=milex,
        personnel=personnel,
        warheads=warheads,
        milex_share=ms,
        personnel_share=ps,
        warhead_share=warheads / total_w if total_w > 0 else np.zeros_like(warheads),
        composite=composite,
        has_data=counts > 0,
    )


def floored(composite: NDArray[np.float64], c_min: NDArray[np.float64] | float) -> NDArray:
    """Capability with the floor applied; broadcasts ``c_min`` of shape (B,) to (B, N)."""
    c = np.asarray(c_min, dtype=float)
    if c.ndim == 0:
        return np.maximum(composite, c)
    return np.maximum(composite[None, :], c[:, None])
