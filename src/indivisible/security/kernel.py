"""Batched totals T and D for many parameter draws at once.

Home forces and latent bases dominate the element count (an alliance of m members has
m(m-1) latent elements), and they share their geometry: the reach of owner ``o``'s
forces latent on host ``h`` over state ``i`` is exactly the reach of ``h``'s home
forces, ``R[h, i] = exp(-d(h, i)/lambda)``. So, for each draw,

    T_i = sum_h R[h, i] * (Q[h, i] + beta * sum_o L[o, h] Q[o, i]),   Q[o, i] = h[o, i] c_o

with L the latent-basing matrix (owner x host), and the same with alignment for D.
One exponential per (draw, host, state) then serves every home and latent element, and
the sum over owners is one matrix product (BLAS) for the whole chunk of draws. The few
nuclear and deployment elements are evaluated element by element
(:func:`indivisible.security.factors.element_factors`). Arrays are laid out owner-major,
``(N, B, N)``, so the latent product is a single ``(N x N) @ (N x B*N)`` GEMM.

The result equals the element-wise sums of :mod:`indivisible.security.factors` to
floating-point accuracy (tested); no Python loop runs per draw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from indivisible.security.capability import floored
from indivisible.security.elements import ElementSet
from indivisible.security.factors import Values, batch_size, element_factors
from indivisible.security.relations import A_ALLY

#: Default chunk: about this many float64 values per (N, B, N) work array (8 MiB).
CHUNK_VALUES = 1 << 20


@dataclass(frozen=True)
class Plan:
    """Static arrays of one element set arranged for the batched computation."""

    n: int
    territory_neg: NDArray[np.float64]  # (N, 1, N) minus the territory distances
    hostility_class: NDArray[np.int64]  # (N, 1, N)
    ally: NDArray[np.float64]  # (N, 1, N) 1 where allied under collective defence
    latent_t: NDArray[np.float64]  # (N_host, N_owner) latent-basing matrix, transposed
    composite: NDArray[np.float64]  # (N,)
    others: NDArray[np.int64]  # element indices handled one by one (nuclear, deployments)


def plan(es: ElementSet) -> Plan:
    if "kernel_plan" in es._cache:
        return es._cache["kernel_plan"]
    n = es.n_states
    home = np.nonzero(es.kind == "home")[0]
    latent = np.nonzero(es.kind == "latent")[0]
    if not np.array_equal(es.owner_idx[home], np.arange(n)):
        raise ValueError("home elements must be one per state in state order")
    if np.any(es.role[home] != "dual") or np.any(es.role[latent] != "dual"):
        raise ValueError("the batched kernel assumes dual-role home and latent forces")
    lt = np.zeros((n, n))
    np.add.at(lt, (es.host_idx[latent], es.owner_idx[latent]), 1.0)
    p = Plan(
        n=n,
        territory_neg=-es.territory_km[:, None, :],
        hostility_class=es.stance.hostility_class[:, None, :],
        ally=(es.stance.alignment_class == A_ALLY).astype(float)[:, None, :],
        latent_t=lt,
        composite=es.capability.composite,
        others=np.nonzero((es.kind != "home") & (es.kind != "latent"))[0],
    )
    es._cache["kernel_plan"] = p
    return p


def default_chunk(es: ElementSet) -> int:
    n = es.n_states
    per_draw = n * (n + len(plan(es).others) + 1)
    return max(1, CHUNK_VALUES // max(per_draw, 1))


def totals(es: ElementSet, values: Values) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(T, D), each (B, N), for one chunk of draws."""
    p = plan(es)
    b = batch_size(values)
    n = p.n
    cap = floored(p.composite, np.asarray(values["c_min"], dtype=float)).T  # (N, B)
    htab = es.stance.hostility_table(values).T  # (C, B)
    # Hostility h[o, b, i] by class lookup; alignment = (o == i) + kappa * ally.
    h = htab[p.hostility_class, np.arange(b)[None, :, None]]  # (N, B, N)
    kappa = np.asarray(values["kappa"], dtype=float)
    weight = np.empty((n, b, 2 * n))
    np.multiply(h, cap[:, :, None], out=weight[:, :, :n])
    np.multiply(p.ally, (cap * kappa[None, :])[:, :, None], out=weight[:, :, n:])
    diag = np.arange(n)
    weight[diag, :, n + diag] += cap  # one's own forces, alignment 1
    beta = np.asarray(values["beta"], dtype=float)
    projected = (p.latent_t @ weight.reshape(n, -1)).reshape(n, b, 2 * n)
    projected *= beta[None, :, None]
    weight += projected
    r = np.multiply(p.territory_neg, 1.0 / np.asarray(values["lambda_km"], dtype=float)[None, :, None])
    np.exp(r, out=r)  # (N, B, N): reach of forces on each territory
    threat = np.einsum("obi,obi->bi", r, weight[:, :, :n])
    protection = np.einsum("obi,obi->bi", r, weight[:, :, n:])
    if len(p.others):
        f = element_factors(es, values, p.others)
        threat += f.threat().sum(axis=1)
        protection += f.protection().sum(axis=1)
    return threat, protection
