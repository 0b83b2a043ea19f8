"""The security model: a snapshot in, every state's security and its causes out.

    S_i = D_i / (D_i + T_i),   0 < S_i <= 1

State i's security is the share, of all force that can reach it, that is on its side
(DESIGN.md, "The security model"). Home forces, nuclear arsenals and latent bases reach
other states from their core territories (the part of a territory around its capital,
outlying parts beyond ``core_gap_km`` left out: Alaska does not make the United States
Russia's neighbour); see :mod:`indivisible.security.elements`.

``evaluate`` gives S with the contribution of every element; ``evaluate_batch`` gives S
for many parameter draws in one vectorised computation; ``compare`` decomposes a change
exactly (see :mod:`indivisible.security.decompose`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from indivisible.security import kernel
from indivisible.security.decompose import Comparison, compare_evaluations
from indivisible.security.elements import (
    ElementSet,
    Geography,
    build_elements,
    default_geography,
    is_geometry_param,
)
from indivisible.security.factors import element_factors
from indivisible.security.params import ParamBatch, Params, load_params
from indivisible.world.scenario import Snapshot


@dataclass
class Evaluation:
    """Security of every state in one world, with each element's threat and protection."""

    iso3: tuple[str, ...]
    security: NDArray[np.float64]  # (N,)
    threat: NDArray[np.float64]  # (N,)
    protection: NDArray[np.float64]  # (N,)
    elements: ElementSet
    threat_by_element: NDArray[np.float64]  # (E, N)
    protection_by_element: NDArray[np.float64]  # (E, N)
    factors: Mapping[str, NDArray[np.float64]]  # (E, N) or (E, 1) per factor
    params: Params

    def of(self, iso3: str) -> float:
        return float(self.security[self.iso3.index(iso3)])


class SecurityModel:
    """The model with one parameter set and one reading of each contested figure (``claims``).

    ``claims`` maps a system id to the claimant whose range figure to use (for example
    the 9M729: the US assessment or the Russian statement), and a launcher-claim id
    (``data/launcher_claims.yaml``, for example ``mk41-glcm``) to the claimant whose reading
    of the launchers to use; anything not named takes its stated default, a convention that
    :func:`indivisible.security.claims.claims_used` reports with every result. ``geography``
    replaces :mod:`indivisible.world.geo` (for tests).
    """

    def __init__(
        self,
        params: Params | None = None,
        claims: Mapping[str, str] | None = None,
        geography: Geography | None = None,
    ) -> None:
        self.params = params if params is not None else load_params()
        self.claims = dict(claims or {})
        self._geography = geography

    @property
    def geography(self) -> Geography:
        if self._geography is None:
            self._geography = default_geography()
        return self._geography

    def _geometry_key(self) -> tuple:
        ranges = tuple(sorted((k, v) for k, v in self.params.values.items()
                              if is_geometry_param(k)))
        return ("security.elements", self.geography, tuple(sorted(self.claims.items())), ranges)

    def elements(self, snap: Snapshot) -> ElementSet:
        """The snapshot's elements and geometry, cached on the snapshot."""
        key = self._geometry_key()
        cached = snap._cache.get(key)
        if cached is None:
            cached = build_elements(snap, self.params.values, self.claims, self.geography)
            snap._cache[key] = cached
        return cached

    def _values(self, batch: ParamBatch | None) -> dict[str, NDArray[np.float64]]:
        if batch is None:
            return {k: np.array([v], dtype=float) for k, v in self.params.values.items()}
        unknown = set(batch.values) - set(self.params.values)
        if unknown:
            raise ValueError(f"unknown parameters in batch: {', '.join(sorted(unknown))}")
        out: dict[str, NDArray[np.float64]] = {}
        for name, default in self.params.values.items():
            if name not in batch.values:
                out[name] = np.full(batch.n, default)
                continue
            v = np.asarray(batch.values[name], dtype=float)
            if v.shape != (batch.n,):
                raise ValueError(f"parameter {name!r}: expected shape ({batch.n},), got {v.shape}")
            if is_geometry_param(name) and np.any(v != default):
                raise ValueError(
                    f"{name} changes geometry and cannot vary within a batch; "
                    "set it on the model's parameters instead"
                )
            out[name] = v
        return out

    def evaluate(self, snap: Snapshot) -> Evaluation:
        es = self.elements(snap)
        f = element_factors(es, self._values(None))
        t_by = f.threat()[0]
        d_by = f.protection()[0]
        threat = t_by.sum(axis=0)
        protection = d_by.sum(axis=0)
        factors = MappingProxyType({
            "hostility": f.hostility[0], "alignment": f.alignment[0], "strength": f.strength[0],
            "reach": f.reach[0], "warning": f.warning[0], "off": f.off[0], "dfn": f.dfn[0],
        })
        return Evaluation(
            iso3=es.iso3,
            security=protection / (protection + threat),
            threat=threat,
            protection=protection,
            elements=es,
            threat_by_element=t_by,
            protection_by_element=d_by,
            factors=factors,
            params=self.params,
        )

    def evaluate_batch(self, snap: Snapshot, batch: ParamBatch,
                       chunk: int | None = None) -> NDArray[np.float64]:
        """(B, N) security for every draw: one vectorised computation per chunk of draws."""
        es = self.elements(snap)
        values = self._values(batch)
        size = chunk if chunk is not None else kernel.default_chunk(es)
        if size < 1:
            raise ValueError("chunk must be at least 1")
        out = np.empty((batch.n, es.n_states))
        for start in range(0, batch.n, size):
            part = {k: v[start:start + size] for k, v in values.items()}
            threat, protection = kernel.totals(es, part)
            out[start:start + size] = protection / (protection + threat)
        return out

    def compare(self, before: Snapshot | Evaluation, after: Snapshot | Evaluation) -> Comparison:
        """Security in two worlds and the change, decomposed exactly."""
        e0 = before if isinstance(before, Evaluation) else self.evaluate(before)
        e1 = after if isinstance(after, Evaluation) else self.evaluate(after)
        return compare_evaluations(e0, e1)

    def compare_batch(self, before: Snapshot, after: Snapshot, batch: ParamBatch,
                      chunk: int | None = None) -> tuple[NDArray, NDArray]:
        """(S_before, S_after), each (B, N), under the same draws."""
        return (self.evaluate_batch(before, batch, chunk),
                self.evaluate_batch(after, batch, chunk))
