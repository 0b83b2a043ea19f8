"""Batched totals T and D for many parameter draws at once.

Home forces and latent bases dominate the element count (an alliance of m members has
m(m-1) latent elements), and they share their geometry: the reach of owner ``o``'s
forces latent on host ``h`` over state ``i`` is exactly the reach of ``h``'s home
forces, ``R[h, i] = exp(-d(h, i)/lambda)`` with ``d`` between the core territories. So,
for each draw,

    T_i = sum_h R[h, i] * (Q[h, i] + sum_o L[o, h] s_o Q[o, i]),   Q[o, i] = h[o, i] c_o

with L the latent-basing matrix (owner x host) and s_o = beta / k_o**latent_host_exponent,
and the same with alignment for D. One exponential per (draw, host, state) serves every
home and latent element. The latent sum over owners is a sum over each alliance's
members minus the host itself (L is a union of alliance cliques), which costs a few
passes over the arrays instead of a matrix product; where two collective-defence
alliances share a pair of members the general product ``L^T @ Q`` is used instead. The
few nuclear and deployment elements are evaluated element by element
(:func:`indivisible.security.factors.element_factors`).

Arrays are laid out (owner, state, draw), so looking up a pair's hostility for every
draw copies a contiguous row and sums over owners run over the first axis.

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

#: Default chunk: about this many float64 values per work array (2 MiB, cache-sized).
CHUNK_VALUES = 1 << 18


@dataclass(frozen=True)
class Plan:
    """Static arrays of one element set arranged for the batched computation."""

    n: int
    core_neg: NDArray[np.float64]  # (N, N, 1) minus the core-territory distances
    hostility_class: NDArray[np.int64]  # (N, N)
    ally: NDArray[np.float64]  # (N, N, 1) 1 where allied under collective defence
    latent_t: NDArray[np.float64]  # (N_host, N_owner) latent-basing matrix, transposed
    cliques: tuple[NDArray[np.int64], ...] | None  # member indices per alliance, if disjoint
    hosts: NDArray[np.float64]  # (N,) number of potential hosts of each owner (at least 1)
    composite: NDArray[np.float64]  # (N,)
    others: NDArray[np.int64]  # element indices handled one by one (nuclear, deployments)


def _cliques(es: ElementSet, latent: NDArray[np.int64]) -> tuple[NDArray[np.int64], ...] | None:
    """Groups whose all ordered pairs are exactly the latent pairs, each pair once."""
    owner, host = es.owner_idx[latent], es.host_idx[latent]
    adj: dict[int, set[int]] = {}
    for o, h in zip(owner.tolist(), host.tolist(), strict=True):
        adj.setdefault(o, set()).add(h)
    groups: list[NDArray[np.int64]] = []
    seen: set[int] = set()
    for o in sorted(adj):
        if o in seen:
            continue
        group = {o} | adj[o]
        if any(adj.get(x, set()) | {x} != group for x in group):
            return None  # overlapping alliances: not a disjoint union of cliques
        seen |= group
        groups.append(np.array(sorted(group), dtype=np.int64))
    return tuple(groups)


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
    hosts = np.ones(n)
    hosts[es.owner_idx[latent]] = es.latent_hosts[latent]
    p = Plan(
        n=n,
        core_neg=-es.core_km[:, :, None],
        hostility_class=es.stance.hostility_class,
        ally=(es.stance.alignment_class == A_ALLY).astype(float)[:, :, None],
        latent_t=lt,
        cliques=_cliques(es, latent),
        hosts=hosts,
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
    htab = np.ascontiguousarray(es.stance.hostility_table(values).T)  # (C, B)
    kappa = np.asarray(values["kappa"], dtype=float)
    # weight[o, i, b]: owner o's strength times hostility to i (first N columns) and times
    # alignment with i (last N): 1 for itself, kappa for allies.
    weight = np.empty((n, 2 * n, b))
    np.multiply(htab[p.hostility_class], cap[:, None, :], out=weight[:, :n, :])
    np.multiply(p.ally, (cap * kappa[None, :])[:, None, :], out=weight[:, n:, :])
    diag = np.arange(n)
    weight[diag, n + diag, :] += cap
    # Latent bases: owner o's weight, shared among its k_o hosts, projected onto each host.
    gamma = np.asarray(values["latent_host_exponent"], dtype=float)
    share = np.asarray(values["beta"], dtype=float)[None, :] * p.hosts[:, None] ** -gamma[None, :]
    shared = weight * share[:, None, :]
    if p.cliques is not None:
        for members in p.cliques:
            part = shared[members]
            weight[members] += part.sum(axis=0)[None] - part
    else:
        weight += (p.latent_t @ shared.reshape(n, -1)).reshape(n, 2 * n, b)
    inv_lambda = 1.0 / np.asarray(values["lambda_km"], dtype=float)
    r = np.multiply(p.core_neg, inv_lambda[None, None, :])
    np.exp(r, out=r)  # (N, N, B): reach of forces based on each core territory
    threat = np.einsum("oib,oib->bi", r, weight[:, :n, :])
    protection = np.einsum("oib,oib->bi", r, weight[:, n:, :])
    if len(p.others):
        f = element_factors(es, values, p.others)
        threat += f.threat().sum(axis=1)
        protection += f.protection().sum(axis=1)
    return threat, protection
