"""Exact package evaluation: which measures interact, and the tables that combine the others.

Security is not additive in measures (``S = D / (D + T)``), but threat and protection
are sums, so a package's ``T`` and ``D`` are the base world's plus each measure's change
*provided the changes do not interact*. They do interact when two measures

1. change the same world record (two withdrawals of one deployment) or one changes what
   the other acts on (a deployment, then "withdraw every US deployment"): found by
   applying each pair in menu order and checking that the result is the base world
   with both changes, record for record;
2. change the same force element (its strength, reach, presence): found by comparing
   every element's physical mass in each measure's world with the base world's;
3. both change alliances or neutrality, since a pair's hostility depends on both states'
   memberships (two moves can cancel or combine): every such measure joins one *stance
   group*;
4. both change capability figures, since strengths are shares of the total; and a
   measure that changes capabilities interacts with every measure that changes an
   element whose strength scales with capabilities.

Interacting measures are merged into groups (union-find), each group's every subset is
applied to the world and evaluated directly, and rules 2-4 are checked again on the
groups' combined footprints until nothing merges. Groups that do not change the stance
then add their changes of *masses* exactly; the stance group multiplies them
(``T_i = sum_o H[o, i] X[o, i]``, :mod:`indivisible.search.view`), which is bilinear, so
for each subset of the stance group the tables hold every other subset's change of
``T`` and ``D`` under that stance. That is exact, not an approximation: a package's
``T`` and ``D`` are sums over the same elements the model sums, grouped differently.

What the pairwise check of rule 1 assumes: an action's effect on a record depends only
on that record (true of every action kind: withdrawals test each deployment, joins and
departures one membership, capability changes one state's figures). The search also
re-evaluates every package it reports directly on the world and refuses to report a
number that differs (:mod:`indivisible.search.run`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from indivisible.actions import BaseAction
from indivisible.errors import InputError
from indivisible.search.tables import Group, Tables
from indivisible.search.view import NOTHING, Footprint, Masses, View, footprint, view
from indivisible.security import SecurityModel
from indivisible.world.scenario import COLLECTIONS, World

#: Direct evaluations (apply a subset of a group to the world, evaluate) allowed by default.
MAX_EVALUATIONS = 2048
#: Largest tables held in memory (bytes).
MAX_TABLE_BYTES = 512 * 2**20

Diff = dict[str, tuple[Counter, Counter]]  # collection -> (removed, added)


@dataclass(frozen=True)
class Decomposition:
    """The interaction groups, the tables, and each measure's effect alone."""

    tables: Tables
    groups: tuple[tuple[int, ...], ...]  # menu indices, the stance group (if any) last
    stance_group: tuple[int, ...]
    alone: tuple[Masses, ...]  # each measure's world
    footprints: tuple[Footprint, ...]
    base: Masses
    evaluations: int  # worlds evaluated to build the tables


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return False
        self.parent[max(a, b)] = min(a, b)
        return True

    def union_all(self, items: Sequence[int]) -> bool:
        merged = False
        for k in items[1:]:
            merged |= self.union(items[0], k)
        return merged

    def groups(self) -> list[tuple[int, ...]]:
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return [tuple(v) for _, v in sorted(out.items())]


def _diff(base: World, other: World) -> Diff:
    out: Diff = {}
    for name in COLLECTIONS:
        before, after = getattr(base, name), getattr(other, name)
        if after is before:
            continue
        b, a = Counter(before), Counter(after)
        removed, added = b - a, a - b
        if removed or added:
            out[name] = (removed, added)
    return out


def _composes(base: World, first: Diff, second: Diff, both: World) -> bool:
    """Whether ``both`` is exactly the base world with the two changes, record for record."""
    for name in set(first) | set(second) | set(_diff(base, both)):
        r1, a1 = first.get(name, (Counter(), Counter()))
        r2, a2 = second.get(name, (Counter(), Counter()))
        if (r1 & r2) or (a1 & a2):
            return False
        expected = Counter(getattr(base, name)) - r1 - r2 + a1 + a2
        if Counter(getattr(both, name)) != expected:
            return False
    return True


def apply_measures(world: World, actions: Sequence[BaseAction], ids: Sequence[str],
                   date: dt.date) -> World:
    """Apply actions in order; an error names the measure that failed."""
    for action, mid in zip(actions, ids, strict=True):
        try:
            world = action.apply(world, date)
        except InputError as exc:
            where = f"measure {mid}" + (f" ({exc.field})" if exc.field else "")
            raise InputError(exc.message, file=exc.file, line=exc.line, field=where) from None
    return world


class _Evaluator:
    """Direct evaluation of subsets of measures, cached by subset."""

    def __init__(self, model: SecurityModel, world: World, date: dt.date,
                 actions: Sequence[BaseAction], ids: Sequence[str],
                 progress: Callable[[int], None] | None) -> None:
        self.model, self.world, self.date = model, world, date
        self.actions, self.ids = actions, ids
        self.progress = progress
        self.base: View = view(model, world, date)
        self.cache: dict[frozenset[int], tuple[Masses, Footprint]] = {
            frozenset(): (self.base.masses, NOTHING)}
        self.count = 1

    def world_of(self, subset: Sequence[int]) -> World:
        chosen = sorted(subset)
        return apply_measures(self.world, [self.actions[i] for i in chosen],
                              [self.ids[i] for i in chosen], self.date)

    def get(self, subset: frozenset[int]) -> tuple[Masses, Footprint]:
        hit = self.cache.get(subset)
        if hit is None:
            v = view(self.model, self.world_of(subset), self.date)
            hit = (v.masses, footprint(self.base, v))
            self.cache[subset] = hit
            self.count += 1
            if self.progress is not None:
                self.progress(1)
        return hit


def _subsets(members: Sequence[int]) -> list[frozenset[int]]:
    k = len(members)
    return [frozenset(members[b] for b in range(k) if s >> b & 1) for s in range(1, 1 << k)]


def decompose(
    world: World,
    date: dt.date,
    model: SecurityModel,
    actions: Sequence[BaseAction],
    ids: Sequence[str],
    *,
    max_evaluations: int = MAX_EVALUATIONS,
    progress: Callable[[int], None] | None = None,
) -> Decomposition:
    """Group the measures by interaction and build the exact package tables."""
    m = len(actions)
    ev = _Evaluator(model, world, date, actions, ids, progress)
    worlds = [apply_measures(world, [a], [i], date) for a, i in zip(actions, ids, strict=True)]
    diffs = [_diff(world, w) for w in worlds]
    uf = _UnionFind(m)
    # rule 1: record-level composition of every pair, in menu order
    for i in range(m):
        if not diffs[i]:
            continue  # applies nothing: the pair is the second measure alone
        for j in range(i + 1, m):
            both = apply_measures(worlds[i], [actions[j]], [ids[j]], date)
            if not _composes(world, diffs[i], diffs[j], both):
                uf.union(i, j)
    singles = [ev.get(frozenset([i])) for i in range(m)]
    while True:
        groups = uf.groups()
        need = sum((1 << len(g)) - 1 for g in groups)
        if need > max_evaluations:
            big = max(groups, key=len)
            raise InputError(
                f"measures {', '.join(ids[i] for i in big)} interact (they change the same "
                f"forces, records, alliances or capability figures), so each of their "
                f"{(1 << len(big)) - 1} combinations must be evaluated on the world; the menu "
                f"needs {need} evaluations, more than the limit of {max_evaluations} "
                "(--max-evaluations); split the menu or raise the limit",
                field="menu")
        prints: list[Footprint] = []
        for g in groups:
            fp = NOTHING
            for s in _subsets(g):
                fp = fp | ev.get(s)[1]
            prints.append(fp)
        merged = False
        # rule 3: everything that changes the stance is one group
        merged |= uf.union_all([g[0] for g, fp in zip(groups, prints, strict=True) if fp.stance])
        # rule 4: capability changes, with each other and with capability-scaled elements
        cap = [g[0] for g, fp in zip(groups, prints, strict=True) if fp.capability]
        if cap:
            merged |= uf.union_all(
                cap + [g[0] for g, fp in zip(groups, prints, strict=True) if fp.cap_dependent])
        # rule 2: the same element changed by two groups
        owner: dict[str, int] = {}
        for g, fp in zip(groups, prints, strict=True):
            for e in fp.rows:
                if e in owner:
                    merged |= uf.union(owner[e], g[0])
                else:
                    owner[e] = g[0]
        if not merged:
            break
    return _tables(ev, groups, prints, singles, model, ids)


def _tables(ev: _Evaluator, groups: list[tuple[int, ...]], prints: list[Footprint],
            singles: list[tuple[Masses, Footprint]], model: SecurityModel, ids: Sequence[str]
            ) -> Decomposition:
    stance = [g for g, fp in zip(groups, prints, strict=True) if fp.stance]
    sigma: tuple[int, ...] = stance[0] if stance else ()
    physical = [g for g in groups if g != sigma]
    order = [i for g in physical for i in g] + list(sigma)
    n = len(ev.base.iso3)
    k_sigma = len(sigma)
    n_cols = sum((1 << len(g)) - 1 for g in physical)
    size = (1 << k_sigma) * max(n_cols, 1) * 2 * n * 8
    if size > MAX_TABLE_BYTES:
        raise InputError(
            f"the stance group ({', '.join(ids[i] for i in sigma)}) combined with "
            f"{n_cols} other combinations needs {size / 2**20:.0f} MiB of tables, more than "
            f"{MAX_TABLE_BYTES / 2**20:.0f} MiB; split the menu", field="menu")
    base = ev.base.masses
    x0 = np.stack([base.threat_mass, base.protection_mass])  # (2, N, N)
    deltas = np.empty((n_cols, 2, n, n))
    group_specs: list[Group] = []
    offset = col = 0
    for g in physical:
        group_specs.append(Group(offset=offset, size=len(g), column=col))
        for s in _subsets(g):  # in bit order: subset index 1, 2, 3, ...
            masses = ev.get(s)[0]
            deltas[col] = np.stack([masses.threat_mass, masses.protection_mass]) - x0
            col += 1
        offset += len(g)
    base_tab = np.empty((1 << k_sigma, 2 * n))
    y = np.empty((1 << k_sigma, n_cols, 2 * n))
    for s in range(1 << k_sigma):
        subset = frozenset(sigma[b] for b in range(k_sigma) if s >> b & 1)
        st = ev.get(subset)[0]
        base_tab[s, :n], base_tab[s, n:] = st.totals()
        if n_cols:
            y[s, :, :n] = np.einsum("oi,koi->ki", st.hostility, deltas[:, 0])
            y[s, :, n:] = np.einsum("oi,koi->ki", st.alignment, deltas[:, 1])
    t0, d0 = base_tab[0, :n], base_tab[0, n:]
    tables = Tables(
        iso3=ev.base.iso3,
        order=np.array(order, dtype=np.int64),
        groups=tuple(group_specs),
        sigma_offset=offset,
        sigma_size=k_sigma,
        base=base_tab,
        y=y,
        s0=d0 / (d0 + t0),
        epsilon=float(model.params["epsilon"]),
    )
    return Decomposition(
        tables=tables,
        groups=tuple(physical) + ((sigma,) if sigma else ()),
        stance_group=sigma,
        alone=tuple(s[0] for s in singles),
        footprints=tuple(s[1] for s in singles),
        base=base,
        evaluations=ev.count,
    )
