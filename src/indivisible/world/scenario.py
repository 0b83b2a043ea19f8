"""A scenario (all dated facts) and its snapshot at one date.

``World`` holds facts with their validity spells; ``World.at(date)`` resolves them to
what holds on that day. Array-building code (the security model) reads snapshots, so
the order of ``Snapshot.iso3`` is the state axis of every array.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict

from indivisible.world.entities import (
    Alliance,
    CapabilityRecord,
    Deployment,
    DyadOverride,
    Exercise,
    Membership,
    NeutralitySpell,
    Patrol,
    Rivalry,
    ScenarioSettings,
    State,
    System,
)

#: The collections of a scenario, in the order files list them.
COLLECTIONS: tuple[str, ...] = (
    "states",
    "capabilities",
    "neutrality",
    "alliances",
    "memberships",
    "rivalries",
    "systems",
    "deployments",
    "exercises",
    "patrols",
    "overrides",
)


class World(BaseModel):
    """Every fact of a scenario, each with its dates. Immutable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    settings: ScenarioSettings = ScenarioSettings()
    states: tuple[State, ...] = ()
    capabilities: tuple[CapabilityRecord, ...] = ()
    neutrality: tuple[NeutralitySpell, ...] = ()
    alliances: tuple[Alliance, ...] = ()
    memberships: tuple[Membership, ...] = ()
    rivalries: tuple[Rivalry, ...] = ()
    systems: tuple[System, ...] = ()
    deployments: tuple[Deployment, ...] = ()
    exercises: tuple[Exercise, ...] = ()
    patrols: tuple[Patrol, ...] = ()
    overrides: tuple[DyadOverride, ...] = ()

    def at(self, date: dt.date | str) -> Snapshot:
        """The facts that hold on ``date``."""
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        return Snapshot(world=self, date=date)

    def replace(self, **changes: Any) -> World:
        """A new world with some collections replaced (tuples or lists)."""
        fixed = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        unknown = set(fixed) - set(type(self).model_fields)
        if unknown:
            raise TypeError(f"World has no collection {sorted(unknown)}")
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(fixed)
        # model_construct, not model_copy: a copy would carry the cached lookup tables
        # (system_by_id, …) of the old world into the new one.
        return type(self).model_construct(**data)

    @cached_property
    def state_by_iso3(self) -> dict[str, State]:
        return {s.iso3: s for s in self.states}

    @cached_property
    def system_by_id(self) -> dict[str, System]:
        return {s.id: s for s in self.systems}

    @cached_property
    def alliance_by_id(self) -> dict[str, Alliance]:
        return {a.id: a for a in self.alliances}


@dataclass(frozen=True)
class Snapshot:
    """What holds on one date. Cheap to build; derived tables are cached."""

    world: World
    date: dt.date
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- states ---------------------------------------------------------------
    @cached_property
    def states(self) -> tuple[State, ...]:
        return tuple(sorted(self.world.states, key=lambda s: s.iso3))

    @cached_property
    def iso3(self) -> tuple[str, ...]:
        return tuple(s.iso3 for s in self.states)

    @cached_property
    def index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.iso3)}

    def state(self, iso3: str) -> State:
        return self.world.state_by_iso3[iso3]

    @cached_property
    def _capability_by_state(self) -> dict[str, CapabilityRecord | None]:
        by_state: dict[str, list[CapabilityRecord]] = defaultdict(list)
        for rec in self.world.capabilities:
            by_state[rec.iso3].append(rec)
        out: dict[str, CapabilityRecord | None] = {}
        for iso3 in self.iso3:
            recs = sorted(by_state.get(iso3, []), key=lambda r: r.year)
            past = [r for r in recs if r.year <= self.date.year]
            out[iso3] = past[-1] if past else (recs[0] if recs else None)
        return out

    def capability(self, iso3: str) -> CapabilityRecord | None:
        """The latest record not after this year (else the earliest): missing stays missing."""
        return self._capability_by_state.get(iso3)

    def neutral(self, iso3: str) -> NeutralitySpell | None:
        for spell in self.world.neutrality:
            if spell.iso3 == iso3 and spell.active(self.date):
                return spell
        return None

    # -- alliances ------------------------------------------------------------
    @cached_property
    def memberships(self) -> tuple[Membership, ...]:
        return tuple(m for m in self.world.memberships if m.active(self.date))

    @cached_property
    def members_by_alliance(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {a.id: [] for a in self.world.alliances}
        for m in self.memberships:
            out.setdefault(m.alliance, []).append(m.iso3)
        return {k: tuple(sorted(set(v))) for k, v in sorted(out.items())}

    def members(self, alliance: str) -> tuple[str, ...]:
        return self.members_by_alliance.get(alliance, ())

    @cached_property
    def alliances_by_state(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, set[str]] = {c: set() for c in self.iso3}
        for m in self.memberships:
            out.setdefault(m.iso3, set()).add(m.alliance)
        return {k: tuple(sorted(v)) for k, v in out.items()}

    def alliances_of(self, iso3: str) -> tuple[str, ...]:
        return self.alliances_by_state.get(iso3, ())

    def allied(self, a: str, b: str) -> bool:
        """True when ``a`` and ``b`` share an alliance with a collective-defence clause."""
        shared = set(self.alliances_of(a)) & set(self.alliances_of(b))
        return any(
            self.world.alliance_by_id[x].collective_defence
            for x in shared
            if x in self.world.alliance_by_id
        )

    @cached_property
    def rivalries(self) -> tuple[Rivalry, ...]:
        return tuple(r for r in self.world.rivalries if r.active(self.date))

    def rival_alliances(self, a: str, b: str) -> bool:
        return any({r.a, r.b} == {a, b} for r in self.rivalries)

    @cached_property
    def overrides(self) -> dict[tuple[str, str], float]:
        return {(o.of, o.to): o.hostility for o in self.world.overrides if o.active(self.date)}

    # -- forces -----------------------------------------------------------------
    @cached_property
    def deployments(self) -> tuple[Deployment, ...]:
        """Active deployments; under ``crimea: RUS`` a site in Crimea has host RUS.

        Data records the host under the default borders (UN GA resolution 68/262); the
        scenario's territorial setting decides whose territory a site is on, for every
        consumer alike.
        """
        active = [d for d in self.world.deployments if d.active(self.date)]
        if self.settings.crimea == "RUS":
            from indivisible.world.geo import in_crimea

            active = [d.model_copy(update={"host": "RUS"})
                      if d.host == "UKR" and in_crimea(d.lat, d.lon) else d for d in active]
        return tuple(active)

    @cached_property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(e for e in self.world.exercises if e.active(self.date))

    @cached_property
    def patrols(self) -> tuple[Patrol, ...]:
        return tuple(p for p in self.world.patrols if p.active(self.date))

    def system(self, system_id: str) -> System:
        return self.world.system_by_id[system_id]

    @property
    def systems(self) -> tuple[System, ...]:
        return self.world.systems

    @property
    def settings(self) -> ScenarioSettings:
        return self.world.settings


def duplicates(values: Iterable[Any]) -> list[Any]:
    seen: set[Any] = set()
    dup: list[Any] = []
    for v in values:
        if v in seen and v not in dup:
            dup.append(v)
        seen.add(v)
    return dup
