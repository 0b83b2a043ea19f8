"""The multiplicative factors of every element's threat and protection, for a batch of draws.

For element e and state i (DESIGN.md, "The security model"):

    threat     T_ei = h[o(e), i] * c_e * r_e(i) * off_e * w_e(i)
    protection D_ei = a[o(e), i] * c_e * r_e(i) * def_e

This module evaluates each factor for parameter values given as arrays of shape (B,)
(one value per draw), element by element. It is the plain, readable form of the model;
:mod:`indivisible.security.kernel` computes the same sums faster for large batches and
is tested against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from indivisible.security.capability import floored
from indivisible.security.elements import REACH_COVERAGE, REACH_NUCLEAR, ElementSet

Values = Mapping[str, NDArray[np.float64]]


@dataclass(frozen=True)
class Factors:
    """Factor arrays, each broadcastable to (B, E, N)."""

    hostility: NDArray[np.float64]  # (B, E, N)
    alignment: NDArray[np.float64]  # (B, E, N)
    strength: NDArray[np.float64]  # (B, E, 1)
    reach: NDArray[np.float64]  # (B, E, N)
    warning: NDArray[np.float64]  # (B, E, N)
    off: NDArray[np.float64]  # (B, E, 1)
    dfn: NDArray[np.float64]  # (B, E, 1)

    def threat(self) -> NDArray[np.float64]:
        return self.hostility * (self.strength * self.off) * self.reach * self.warning

    def protection(self) -> NDArray[np.float64]:
        return self.alignment * (self.strength * self.dfn) * self.reach


def batch_size(values: Values) -> int:
    return int(np.asarray(values["lambda_km"]).shape[0])


def strength(es: ElementSet, values: Values, sel: NDArray[np.int64]) -> NDArray[np.float64]:
    """(B, E_sel) strength in capability-share units."""
    b = batch_size(values)
    out = np.broadcast_to(es.strength_base[sel], (b, len(sel))).copy()
    names = es.strength_params[sel]
    for name in sorted({n for n in names.ravel() if n}):
        hit = (names == name).sum(axis=1)  # a name may appear at most once per element
        cols = np.nonzero(hit)[0]
        out[:, cols] *= np.asarray(values[name], dtype=float)[:, None]
    shared = np.nonzero(es.latent_hosts[sel] != 1.0)[0]
    if len(shared):
        gamma = np.asarray(values["latent_host_exponent"], dtype=float)[:, None]
        out[:, shared] *= es.latent_hosts[sel][shared][None, :] ** -gamma
    scaled = np.nonzero(es.strength_scaled[sel])[0]
    if len(scaled):
        cap = floored(es.capability.composite, np.asarray(values["c_min"], dtype=float))
        out[:, scaled] *= cap[:, es.owner_idx[sel][scaled]]
    return out


def roles(es: ElementSet, values: Values, sel: NDArray[np.int64]
          ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(B, E_sel) offensive and defensive weights (Jervis): offensive systems threaten fully
    and protect by ``def_of_offensive``; defensive ones the reverse; dual ones both fully."""
    b = batch_size(values)
    role = es.role[sel]
    off = np.ones((b, len(sel)))
    dfn = np.ones((b, len(sel)))
    off[:, role == "defensive"] = np.asarray(values["off_of_defensive"], dtype=float)[:, None]
    dfn[:, role == "offensive"] = np.asarray(values["def_of_offensive"], dtype=float)[:, None]
    return off, dfn


def reach(es: ElementSet, values: Values, sel: NDArray[np.int64]) -> NDArray[np.float64]:
    """(B, E_sel, N): gradient exp(-d/lambda) or capital-weighted coverage."""
    mode = es.reach_mode[sel]
    lam = np.where(mode[None, :] == REACH_NUCLEAR,
                   np.asarray(values["lambda_nuclear_km"], dtype=float)[:, None],
                   np.asarray(values["lambda_km"], dtype=float)[:, None])
    out = np.exp(-es.reach_km[sel][None, :, :] / lam[:, :, None])
    cov = np.nonzero(mode == REACH_COVERAGE)[0]
    if len(cov):
        area = es.cover_area[sel][cov]
        capital = es.cover_capital[sel][cov]
        cw = np.asarray(values["capital_weight"], dtype=float)[:, None, None]
        out[:, cov, :] = area[None] + cw * (capital - area)[None]
    return out


def flight_time(es: ElementSet, values: Values, sel: NDArray[np.int64]) -> NDArray[np.float64]:
    """(B, E_sel, N) minutes to each target's capital; 0 for unwarned elements."""
    b = batch_size(values)
    n = es.n_states
    t = np.zeros((b, len(sel), n))
    warned = es.warned[sel]
    ballistic = es.ballistic[sel] & warned
    boost = np.asarray(values["boost_time_min"], dtype=float)
    if ballistic.any():
        k = np.nonzero(ballistic)[0]
        t[:, k, :] = es.coast_min[sel][k][None] + boost[:, None, None]
    paced = warned & ~ballistic
    if paced.any():
        k = np.nonzero(paced)[0]
        speed = np.broadcast_to(es.speed_kmh[sel][k], (b, len(k))).copy()
        pnames = es.speed_param[sel][k]
        for name in sorted({p for p in pnames if p}):
            speed[:, pnames == name] = np.asarray(values[name], dtype=float)[:, None]
        t[:, k, :] = es.flight_km[sel][k][None] * 60.0 / speed[:, :, None]
    return t


def warning(es: ElementSet, values: Values, sel: NDArray[np.int64]) -> NDArray[np.float64]:
    """(B, E_sel, N) warning-time weight exp(-t/tau); 1 where no warning applies."""
    t = flight_time(es, values, sel)
    tau = np.asarray(values["tau_min"], dtype=float)[:, None, None]
    w = np.exp(-t / tau)
    w[:, ~es.warned[sel], :] = 1.0
    return w


def element_factors(es: ElementSet, values: Values,
                    sel: NDArray[np.int64] | None = None) -> Factors:
    """Every factor of the elements ``sel`` (all by default) for each draw."""
    if sel is None:
        sel = np.arange(es.n_elements)
    sel = np.asarray(sel, dtype=np.int64)
    st = es.stance
    own = es.owner_idx[sel]
    htab = st.hostility_table(values)  # (B, C)
    atab = st.alignment_table(values)  # (B, 3)
    off, dfn = roles(es, values, sel)
    return Factors(
        hostility=htab[:, st.hostility_class[own]],
        alignment=atab[:, st.alignment_class[own]],
        strength=strength(es, values, sel)[:, :, None],
        reach=reach(es, values, sel),
        warning=warning(es, values, sel),
        off=off[:, :, None],
        dfn=dfn[:, :, None],
    )
