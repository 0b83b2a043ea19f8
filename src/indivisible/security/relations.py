"""Hostility and alignment between states, from the alliance structure.

Walt's balance of threat (1987) weighs power by perceived intentions. The model reads
intentions from the alliance structure, for each ordered pair (owner ``o`` of a force,
target ``i``), in this order of precedence:

1. ``o == i``: hostility 0, alignment 1 (one's own forces);
2. a scenario override ``(o, i)``: hostility as given (alignment still from alliances);
3. allies (a shared alliance with a collective-defence clause): hostility 0,
   alignment ``kappa``;
4. members of rival alliances: hostility ``h_rival``, alignment 0;
5. a declared neutral on either side: hostility ``h_neutral`` (by default equal to
   ``h_other``), alignment 0;
6. anyone else: hostility ``h_other``, alignment 0.

A pair is stored as a *class* so that parameter draws only change a small table of
values (``class_values``), not the pair structure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from indivisible.world.scenario import Snapshot

H_ZERO, H_RIVAL, H_OTHER, H_NEUTRAL = 0, 1, 2, 3
N_BASE_CLASSES = 4
A_NONE, A_SELF, A_ALLY = 0, 1, 2

HOSTILITY_LABELS = ("self or ally", "rival alliance", "other", "neutral")


@dataclass(frozen=True)
class Stance:
    """Pair classes (owner x target) and the fixed hostilities of overrides."""

    iso3: tuple[str, ...]
    hostility_class: NDArray[np.int64]  # (N, N); >= N_BASE_CLASSES indexes override_values
    override_values: NDArray[np.float64]  # (K,)
    alignment_class: NDArray[np.int64]  # (N, N)

    def hostility_table(self, values: Mapping[str, NDArray[np.float64]]) -> NDArray:
        """(B, 4 + K) hostility per class for each draw."""
        b = np.asarray(values["h_rival"]).shape[0]
        cols = [
            np.zeros(b),
            np.asarray(values["h_rival"], dtype=float),
            np.asarray(values["h_other"], dtype=float),
            np.asarray(values["h_neutral"], dtype=float),
        ]
        cols += [np.full(b, v) for v in self.override_values]
        return np.stack(cols, axis=1)

    def alignment_table(self, values: Mapping[str, NDArray[np.float64]]) -> NDArray:
        """(B, 3) alignment per class for each draw."""
        kappa = np.asarray(values["kappa"], dtype=float)
        return np.stack([np.zeros_like(kappa), np.ones_like(kappa), kappa], axis=1)


def stance(snap: Snapshot) -> Stance:
    iso3 = snap.iso3
    n = len(iso3)
    hcls = np.full((n, n), H_OTHER, dtype=np.int64)
    acls = np.zeros((n, n), dtype=np.int64)
    alliances = {c: snap.alliances_of(c) for c in iso3}
    neutral = {c: snap.neutral(c) is not None for c in iso3}
    overrides = snap.overrides
    values: list[float] = []
    for o, a in enumerate(iso3):
        for i, b in enumerate(iso3):
            if o == i:
                hcls[o, i], acls[o, i] = H_ZERO, A_SELF
                continue
            allied = snap.allied(a, b)
            if allied:
                acls[o, i] = A_ALLY
            if (a, b) in overrides:
                hcls[o, i] = N_BASE_CLASSES + len(values)
                values.append(float(overrides[(a, b)]))
            elif allied:
                hcls[o, i] = H_ZERO
            elif any(snap.rival_alliances(x, y) for x in alliances[a] for y in alliances[b]):
                hcls[o, i] = H_RIVAL
            elif neutral[a] or neutral[b]:
                hcls[o, i] = H_NEUTRAL
    return Stance(
        iso3=iso3,
        hostility_class=hcls,
        override_values=np.array(values, dtype=float),
        alignment_class=acls,
    )
