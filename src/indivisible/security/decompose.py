"""Exact decomposition of a change in security into elements, owners, kinds and factors.

With T and D sums over elements, the change of S_i = D_i / (D_i + T_i) between two
worlds is, exactly,

    dS_i = (T0_i * dD_i - D0_i * dT_i) / ((D0_i + T0_i) * (D1_i + T1_i))

which is linear in the element changes dT_ei and dD_ei (elements matched by id; an
element absent from a world counts 0 there). Each element's contribution is that
expression with its own dT_ei and dD_ei, so contributions add up to dS exactly;
owners and kinds are sums of elements.

Within an element, the change of a product of factors (hostility or alignment,
strength, reach, warning, role weight) is split among the factors by the Shapley
value: the average, over all orders of switching factors from before to after, of
each factor's marginal change. It is exact (the shares add up to the change), gives
nothing to a factor that did not change, and is symmetric. An element present in
only one world is treated as the same element with strength 0 in the other, so its
appearance or disappearance is attributed to strength.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from indivisible.security.model import Evaluation

#: Factor names of the decomposition. "hostility" is h on the threat side and the
#: alignment a on the protection side (both come from the alliance structure).
FACTORS = ("hostility", "strength", "reach", "warning", "role")


def shapley_product(before: NDArray[np.float64], after: NDArray[np.float64]) -> NDArray:
    """Shapley shares of ``prod(after) - prod(before)`` among the k factors on axis 0.

    ``before`` and ``after`` have shape (k, ...); the result has the same shape and
    sums over axis 0 to the change of the product. All 2^k combinations are formed at
    once, vectorised over the trailing axes.
    """
    f0 = np.asarray(before, dtype=float)
    f1 = np.asarray(after, dtype=float)
    k = f0.shape[0]
    v = np.ones(f0.shape[1:])
    for j in range(k):  # after the loop, axis (k-1-j) of v selects factor j's world
        v = np.stack([v * f0[j], v * f1[j]])
    weights = np.array([factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)])
    grid = np.indices((2,) * (k - 1)).sum(axis=0)  # members of the coalition, per cell
    w = weights[grid]
    out = np.empty_like(f0)
    for j in range(k):
        axis = k - 1 - j
        diff = np.take(v, 1, axis=axis) - np.take(v, 0, axis=axis)
        out[j] = np.tensordot(w, diff, axes=k - 1)
    return out


@dataclass
class Comparison:
    """Security before and after, and the change decomposed."""

    iso3: tuple[str, ...]
    before: NDArray[np.float64]  # (N,)
    after: NDArray[np.float64]
    delta: NDArray[np.float64]
    element_ids: NDArray[np.str_]  # (E',) union of both worlds' elements
    element_owner: NDArray[np.str_]
    element_kind: NDArray[np.str_]
    element_label: NDArray[np.str_]
    by_element: NDArray[np.float64]  # (E', N)
    by_owner: dict[str, NDArray[np.float64]]
    by_factor: dict[str, NDArray[np.float64]]
    by_kind: dict[str, NDArray[np.float64]]
    threat_before: NDArray[np.float64]
    threat_after: NDArray[np.float64]
    protection_before: NDArray[np.float64]
    protection_after: NDArray[np.float64]

    def top_elements(self, iso3: str, k: int = 5) -> list[tuple[str, float]]:
        """The k elements that changed ``iso3``'s security most, largest magnitude first."""
        col = self.by_element[:, self.iso3.index(iso3)]
        order = np.argsort(-np.abs(col), kind="stable")[:k]
        return [(str(self.element_ids[e]), float(col[e])) for e in order if col[e] != 0.0]


def _aligned(ev: Evaluation, ids: list[str], other: Evaluation) -> dict[str, NDArray]:
    """Factor arrays of ``ev`` on the union ``ids``; absent elements copy ``other``'s
    factors with strength 0."""
    n = len(ev.iso3)
    mine, theirs = ev.elements.index(), other.elements.index()
    out: dict[str, NDArray] = {}
    for name in ("hostility", "alignment", "strength", "reach", "warning", "off", "dfn"):
        a = np.broadcast_to(ev.factors[name], (ev.elements.n_elements, n))
        b = np.broadcast_to(other.factors[name], (other.elements.n_elements, n))
        rows = [a[mine[e]] if e in mine else b[theirs[e]] for e in ids]
        out[name] = np.array(rows, dtype=float).reshape(len(ids), n)
    absent = np.array([e not in mine for e in ids], dtype=bool)
    out["strength"][absent] = 0.0
    return out


def compare_evaluations(before: Evaluation, after: Evaluation) -> Comparison:
    if before.iso3 != after.iso3:
        raise ValueError("the two worlds must have the same states to be compared")
    ids = list(before.elements.ids)
    seen = set(ids)
    ids += [e for e in after.elements.ids if e not in seen]
    f0 = _aligned(before, ids, after)
    f1 = _aligned(after, ids, before)
    one = np.ones_like(f0["reach"])
    t0 = np.stack([f0["hostility"], f0["strength"], f0["reach"], f0["warning"], f0["off"]])
    t1 = np.stack([f1["hostility"], f1["strength"], f1["reach"], f1["warning"], f1["off"]])
    d0 = np.stack([f0["alignment"], f0["strength"], f0["reach"], one, f0["dfn"]])
    d1 = np.stack([f1["alignment"], f1["strength"], f1["reach"], one, f1["dfn"]])
    d_threat = t1.prod(axis=0) - t0.prod(axis=0)  # (E', N)
    d_prot = d1.prod(axis=0) - d0.prod(axis=0)
    T0, D0, T1, D1 = before.threat, before.protection, after.threat, after.protection
    den = (D0 + T0) * (D1 + T1)
    by_element = (T0[None, :] * d_prot - D0[None, :] * d_threat) / den[None, :]
    share_t = shapley_product(t0, t1)
    share_d = shapley_product(d0, d1)
    by_factor = {
        name: ((T0[None, :] * share_d[k] - D0[None, :] * share_t[k]) / den[None, :]).sum(axis=0)
        for k, name in enumerate(FACTORS)
    }
    index0, index1 = before.elements.index(), after.elements.index()

    def attr(field: str) -> NDArray[np.str_]:
        a, b = getattr(before.elements, field), getattr(after.elements, field)
        return np.array([a[index0[e]] if e in index0 else b[index1[e]] for e in ids], dtype=str)

    owner, kind = attr("owner"), attr("kind")
    by_owner = {o: by_element[owner == o].sum(axis=0) for o in sorted(set(owner.tolist()))}
    by_kind = {k: by_element[kind == k].sum(axis=0) for k in sorted(set(kind.tolist()))}
    return Comparison(
        iso3=before.iso3,
        before=before.security,
        after=after.security,
        delta=after.security - before.security,
        element_ids=np.array(ids, dtype=str),
        element_owner=owner,
        element_kind=kind,
        element_label=attr("label"),
        by_element=by_element,
        by_owner=by_owner,
        by_factor=by_factor,
        by_kind=by_kind,
        threat_before=T0,
        threat_after=T1,
        protection_before=D0,
        protection_after=D1,
    )
