"""A world as the search sees it: who is hostile to whom, and how much force each owner projects.

The model's threat on state ``i`` is ``T_i = sum_e h[o(e), i] * m_e(i)`` with
``m_e(i) = c_e r_e(i) off_e w_e(i)`` the element's *physical* threat mass; hostility
depends only on the pair (owner, target). Summing the masses by owner,

    T_i = sum_o H[o, i] X[o, i],        D_i = sum_o A[o, i] Y[o, i]

with ``X[o, i]`` (``Y`` for protection, with ``def_e`` and no warning weight) the mass of
all of owner ``o``'s elements on ``i``. This splits a world into a *stance* (``H``, ``A``:
alliances, neutrality, overrides) and *physical masses* (``X``, ``Y``: forces, reach,
capabilities). A measure that moves forces changes masses; one that changes alliances
changes the stance; a package's threat is bilinear in the two, which is what lets the
search combine measures exactly (:mod:`indivisible.search.decompose`).

A :class:`Footprint` records what a world changes relative to the base world: which
elements' masses differ (added, removed or changed), whether the stance or the
capability figures differ, and whether any changed element's strength depends on
capabilities (home forces, latent bases, nuclear arsenals, troops scaled by personnel).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from indivisible.security import SecurityModel
from indivisible.world.scenario import World

#: Strength parameters whose elements scale with the world's capability figures.
CAPABILITY_PARAMS = ("unit_weight_troops", "nuclear_weight")


@dataclass(frozen=True)
class Footprint:
    """What one world changes against the base world (at the search date)."""

    rows: frozenset[str]
    cap_dependent: bool
    stance: bool
    capability: bool

    @property
    def empty(self) -> bool:
        return not (self.rows or self.stance or self.capability)

    def __or__(self, other: Footprint) -> Footprint:
        return Footprint(self.rows | other.rows, self.cap_dependent or other.cap_dependent,
                         self.stance or other.stance, self.capability or other.capability)


NOTHING = Footprint(frozenset(), False, False, False)


@dataclass(frozen=True)
class Masses:
    """Stance and per-owner masses of one world: everything the package tables need."""

    hostility: NDArray[np.float64]  # (N owner, N target) at the model's parameters
    alignment: NDArray[np.float64]  # (N, N)
    threat_mass: NDArray[np.float64]  # (N owner, N target)
    protection_mass: NDArray[np.float64]  # (N, N)
    security: NDArray[np.float64]  # (N,) as the model computes it (element by element)

    def totals(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """(T, D) from the stance and the masses: equal to the model's sums."""
        return ((self.hostility * self.threat_mass).sum(axis=0),
                (self.alignment * self.protection_mass).sum(axis=0))


@dataclass(frozen=True)
class View:
    """A world at the search date: its masses plus what is needed to compare it with another."""

    iso3: tuple[str, ...]
    masses: Masses
    ids: NDArray[np.str_]
    rows_t: NDArray[np.float64]  # (E, N) physical threat mass per element
    rows_d: NDArray[np.float64]  # (E, N)
    cap_dependent: NDArray[np.bool_]  # (E,)
    stance_key: tuple[bytes, ...]
    capability_key: tuple[bytes, ...]


def view(model: SecurityModel, world: World, date: dt.date) -> View:
    """Evaluate ``world`` at ``date`` and split the result into stance and masses."""
    snap = world.at(date)
    ev = model.evaluate(snap)
    es = ev.elements
    f = ev.factors
    strength = np.asarray(f["strength"])
    rows_t = strength * np.asarray(f["off"]) * np.asarray(f["reach"]) * np.asarray(f["warning"])
    rows_d = strength * np.asarray(f["dfn"]) * np.asarray(f["reach"])
    n = es.n_states
    home = np.nonzero(es.kind == "home")[0]
    if not np.array_equal(es.owner_idx[home], np.arange(n)):
        raise RuntimeError("expected one home element per state, in state order")
    hostility = np.array(f["hostility"])[home]
    alignment = np.array(f["alignment"])[home]
    x = np.zeros((n, n))
    y = np.zeros((n, n))
    np.add.at(x, es.owner_idx, rows_t)
    np.add.at(y, es.owner_idx, rows_d)
    cap_dep = ((es.kind != "deployment") | es.strength_scaled
               | np.isin(es.strength_params[:, 0], CAPABILITY_PARAMS)
               | np.isin(es.strength_params[:, 1], CAPABILITY_PARAMS))
    st = es.stance
    members = sorted((m.alliance, m.iso3) for m in snap.memberships)
    neutral = sorted((c, snap.neutral(c).kind) for c in snap.iso3  # type: ignore[union-attr]
                     if snap.neutral(c) is not None)
    cap = es.capability
    return View(
        iso3=es.iso3,
        masses=Masses(hostility, alignment, x, y, np.asarray(ev.security, dtype=float)),
        ids=es.ids,
        rows_t=rows_t,
        rows_d=rows_d,
        cap_dependent=cap_dep,
        stance_key=(st.hostility_class.tobytes(), st.alignment_class.tobytes(),
                    st.override_values.tobytes(), repr(members).encode(),
                    repr(neutral).encode()),
        capability_key=tuple(np.nan_to_num(a, nan=-1.0).tobytes() for a in
                             (cap.milex, cap.personnel, cap.warheads, cap.composite)),
    )


def footprint(base: View, other: View) -> Footprint:
    """What ``other`` changes against ``base``: elements, stance, capability figures."""
    if other.iso3 != base.iso3:
        raise RuntimeError("a measure changed the set of states; the search cannot combine it")
    index = {e: k for k, e in enumerate(base.ids.tolist())}
    changed: set[str] = set()
    cap_dep = False
    common_b, common_o = [], []
    for k, e in enumerate(other.ids.tolist()):
        j = index.pop(e, None)
        if j is None:
            changed.add(e)
            cap_dep |= bool(other.cap_dependent[k])
        else:
            common_b.append(j)
            common_o.append(k)
    for e, j in index.items():  # elements the other world no longer has
        changed.add(e)
        cap_dep |= bool(base.cap_dependent[j])
    if common_b:
        cb, co = np.array(common_b), np.array(common_o)
        diff = (np.any(base.rows_t[cb] != other.rows_t[co], axis=1)
                | np.any(base.rows_d[cb] != other.rows_d[co], axis=1)
                | (base.cap_dependent[cb] != other.cap_dependent[co]))
        for k in np.nonzero(diff)[0]:
            changed.add(str(base.ids[cb[k]]))
            cap_dep |= bool(base.cap_dependent[cb[k]] or other.cap_dependent[co[k]])
    return Footprint(
        rows=frozenset(changed),
        cap_dependent=cap_dep,
        stance=other.stance_key != base.stance_key,
        capability=other.capability_key != base.capability_key,
    )
