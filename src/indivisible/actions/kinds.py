"""Actions: pure functions from one world to the next.

An action is data (a pydantic model, loadable from YAML) with an ``apply`` that
returns a new :class:`~indivisible.world.World` and never mutates the old one. Each
kind declares the rights it invokes as register clause ids, so an assessment can say
which rights an action rests on without knowing its kind.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from indivisible.errors import InputError
from indivisible.world.entities import (
    ISO3,
    CapabilityRecord,
    Deployment,
    Exercise,
    Identifier,
    Latitude,
    Longitude,
    Membership,
    NeutralitySpell,
    Patrol,
)
from indivisible.world.scenario import World

#: Clauses stating the right to choose security arrangements, alliances included.
FREE_CHOICE = (
    "helsinki-1975:principle-1",
    "paris-1990:security",
    "code-of-conduct-1994:para10-11",
    "istanbul-1999:8-right",
    "astana-2010:3-right",
)
#: Clauses stating the right to be neutral.
NEUTRALITY = ("helsinki-1975:principle-1", "istanbul-1999:8-right", "astana-2010:3-right")
#: Stationing forces abroad only with the host's free consent.
HOST_CONSENT = ("code-of-conduct-1994:para14",)

MODEL_SOURCE = "Indivisible action (hypothetical or user-defined change)"


class BaseAction(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier | None = None
    description: str = ""
    date: dt.date | None = Field(
        default=None, description="When it takes effect (default: the assessment date)."
    )
    source: str = MODEL_SOURCE

    def when(self, on: dt.date) -> dt.date:
        return self.date or on

    def apply(self, world: World, on: dt.date) -> World:  # pragma: no cover - abstract
        raise NotImplementedError

    def rights(self) -> tuple[str, ...]:
        return ()

    def actors(self) -> tuple[str, ...]:
        return ()

    def steps(self) -> tuple[BaseAction, ...]:
        return (self,)

    def label(self) -> str:
        return self.description or self.id or self.kind  # type: ignore[attr-defined]


def _need_state(world: World, iso3: str, field: str) -> None:
    if iso3 not in world.state_by_iso3:
        raise InputError(f"unknown state {iso3!r}", field=field)


class JoinAlliance(BaseAction):
    kind: Literal["join-alliance"] = "join-alliance"
    state: ISO3
    alliance: Identifier

    def apply(self, world: World, on: dt.date) -> World:
        _need_state(world, self.state, "state")
        if self.alliance not in world.alliance_by_id:
            raise InputError(f"unknown alliance {self.alliance!r}", field="alliance")
        start = self.when(on)
        active = [
            m
            for m in world.memberships
            if m.iso3 == self.state and m.alliance == self.alliance and m.active(start)
        ]
        if active:
            return world
        later = [
            m
            for m in world.memberships
            if m.iso3 == self.state and m.alliance == self.alliance and m.start > start
        ]
        end = min((m.start for m in later), default=None)
        spell = Membership(
            alliance=self.alliance,
            iso3=self.state,
            start=start,
            end=end,
            source=self.source,
            confidence="unconfirmed",
            status="member (action)",
        )
        return world.replace(memberships=(*world.memberships, spell))

    def rights(self) -> tuple[str, ...]:
        return FREE_CHOICE

    def actors(self) -> tuple[str, ...]:
        return (self.state,)


class LeaveAlliance(BaseAction):
    kind: Literal["leave-alliance"] = "leave-alliance"
    state: ISO3
    alliance: Identifier

    def apply(self, world: World, on: dt.date) -> World:
        _need_state(world, self.state, "state")
        if self.alliance not in world.alliance_by_id:
            raise InputError(f"unknown alliance {self.alliance!r}", field="alliance")
        end = self.when(on)
        out = []
        for m in world.memberships:
            if m.iso3 == self.state and m.alliance == self.alliance and m.active(end):
                if m.start == end:
                    continue
                m = m.model_copy(update={"end": end})
            elif m.iso3 == self.state and m.alliance == self.alliance and m.start > end:
                continue
            out.append(m)
        return world.replace(memberships=out)

    def rights(self) -> tuple[str, ...]:
        return FREE_CHOICE

    def actors(self) -> tuple[str, ...]:
        return (self.state,)


class DeclareNeutrality(BaseAction):
    kind: Literal["declare-neutrality"] = "declare-neutrality"
    state: ISO3
    neutrality: str = "declared"
    leave_alliances: bool = True

    def apply(self, world: World, on: dt.date) -> World:
        _need_state(world, self.state, "state")
        start = self.when(on)
        if self.leave_alliances:
            for alliance in {
                m.alliance for m in world.memberships if m.iso3 == self.state and m.active(start)
            }:
                world = LeaveAlliance(state=self.state, alliance=alliance, date=start).apply(
                    world, on
                )
        spell = NeutralitySpell(
            iso3=self.state,
            kind=self.neutrality,
            start=start,
            source=self.source,
            confidence="unconfirmed",
        )
        kept = [n for n in world.neutrality if not (n.iso3 == self.state and n.active(start))]
        return world.replace(neutrality=(*kept, spell))

    def rights(self) -> tuple[str, ...]:
        return NEUTRALITY

    def actors(self) -> tuple[str, ...]:
        return (self.state,)


class Deploy(BaseAction):
    kind: Literal["deploy"] = "deploy"
    owner: ISO3
    host: ISO3
    site: str
    lat: Latitude
    lon: Longitude
    system: Identifier
    count: float = Field(gt=0)
    unit: Literal["launchers", "weapons", "troops", "interceptors", "aircraft", "ships"] = (
        "launchers"
    )
    permanent: bool = True
    until: dt.date | None = None

    def deployment_id(self) -> str:
        return self.id or f"action-{self.owner}-{self.system}-{self.host}".lower()

    def apply(self, world: World, on: dt.date) -> World:
        _need_state(world, self.owner, "owner")
        _need_state(world, self.host, "host")
        if self.system not in world.system_by_id:
            raise InputError(f"unknown system {self.system!r}", field="system")
        dep = Deployment(
            id=self.deployment_id(),
            owner=self.owner,
            host=self.host,
            site=self.site,
            lat=self.lat,
            lon=self.lon,
            system=self.system,
            count=self.count,
            unit=self.unit,
            permanent=self.permanent,
            start=self.when(on),
            end=self.until,
            source=self.source,
            confidence="unconfirmed",
        )
        kept = [d for d in world.deployments if d.id != dep.id]
        return world.replace(deployments=(*kept, dep))

    def rights(self) -> tuple[str, ...]:
        if self.owner == self.host:
            return ("helsinki-1975:principle-1",)
        return FREE_CHOICE + HOST_CONSENT

    def actors(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.owner, self.host)))


class Withdraw(BaseAction):
    """End deployments: by id, or every active one matching owner/host/system."""

    kind: Literal["withdraw"] = "withdraw"
    deployments: tuple[Identifier, ...] = ()
    owner: ISO3 | None = None
    host: ISO3 | None = None
    system: Identifier | None = None
    hosts: tuple[ISO3, ...] = ()
    started_after: dt.date | None = None
    foreign_only: bool = False

    def _matches(self, d: Deployment) -> bool:
        if self.deployments:
            return d.id in self.deployments
        if self.owner is None and self.host is None and self.system is None and not self.hosts:
            return False
        return (
            (self.owner is None or d.owner == self.owner)
            and (self.host is None or d.host == self.host)
            and (not self.hosts or d.host in self.hosts)
            and (self.system is None or d.system == self.system)
            and (self.started_after is None or d.start > self.started_after)
            and (not self.foreign_only or d.owner != d.host)
        )

    @model_validator(mode="after")
    def _has_a_filter(self) -> Withdraw:
        if not (self.deployments or self.owner or self.host or self.system or self.hosts):
            raise ValueError("name deployments, or at least one of owner, host, hosts, system")
        return self

    def apply(self, world: World, on: dt.date) -> World:
        end = self.when(on)
        for field, code in (("owner", self.owner), ("host", self.host)):
            if code is not None:
                _need_state(world, code, field)
        for code in self.hosts:
            _need_state(world, code, "hosts")
        if self.system is not None and self.system not in world.system_by_id:
            raise InputError(f"unknown system {self.system!r}", field="system")
        known = {d.id for d in world.deployments}
        for dep_id in self.deployments:
            if dep_id not in known:
                raise InputError(f"unknown deployment {dep_id!r}", field="deployments")
        out = []
        for d in world.deployments:
            if self._matches(d) and d.active(end):
                if d.start == end:
                    continue
                d = d.model_copy(update={"end": end})
            out.append(d)
        return world.replace(deployments=out)

    def rights(self) -> tuple[str, ...]:
        return FREE_CHOICE

    def actors(self) -> tuple[str, ...]:
        return tuple(x for x in (self.owner,) if x)


class HoldExercise(BaseAction):
    kind: Literal["exercise"] = "exercise"
    exercise: Exercise

    def apply(self, world: World, on: dt.date) -> World:
        ex = self.exercise
        kept = [e for e in world.exercises if e.id != ex.id]
        return world.replace(exercises=(*kept, ex))

    def rights(self) -> tuple[str, ...]:
        return ("helsinki-1975:principle-1",)

    def actors(self) -> tuple[str, ...]:
        return self.exercise.conducted_by


class Patrolling(BaseAction):
    kind: Literal["patrol"] = "patrol"
    patrol: Patrol

    def apply(self, world: World, on: dt.date) -> World:
        p = self.patrol
        kept = [x for x in world.patrols if x.id != p.id]
        return world.replace(patrols=(*kept, p))

    def rights(self) -> tuple[str, ...]:
        return ("helsinki-1975:principle-1",)

    def actors(self) -> tuple[str, ...]:
        return (self.patrol.owner,)


class ChangeCapability(BaseAction):
    """Scale a state's expenditure and personnel, or change its warheads, from this year on."""

    kind: Literal["change-capability"] = "change-capability"
    state: ISO3
    milex_factor: float = Field(default=1.0, ge=0)
    personnel_factor: float = Field(default=1.0, ge=0)
    warheads_delta: float = 0.0

    def apply(self, world: World, on: dt.date) -> World:
        _need_state(world, self.state, "state")
        year = self.when(on).year
        snap = world.at(self.when(on))
        cur = snap.capability(self.state)
        if cur is None:
            raise InputError(f"no capability figures for {self.state} to change", field="state")

        def scale(v: float | None, f: float) -> float | None:
            return None if v is None else v * f

        warheads = None if cur.warheads is None else max(0.0, cur.warheads + self.warheads_delta)
        rec = CapabilityRecord(
            iso3=self.state,
            year=year,
            milex_usd_m=scale(cur.milex_usd_m, self.milex_factor),
            personnel=scale(cur.personnel, self.personnel_factor),
            warheads=warheads,
            warheads_deployed=cur.warheads_deployed,
            source=f"{self.source}; from {cur.source}",
            confidence="unconfirmed",
        )
        kept = [c for c in world.capabilities if not (c.iso3 == self.state and c.year == year)]
        return world.replace(capabilities=(*kept, rec))

    def rights(self) -> tuple[str, ...]:
        return ("code-of-conduct-1994:para10-11",)

    def actors(self) -> tuple[str, ...]:
        return (self.state,)


class Composite(BaseAction):
    """A package of actions applied in order."""

    kind: Literal["composite"] = "composite"
    actions: tuple[AnyAction, ...] = Field(min_length=1)

    def apply(self, world: World, on: dt.date) -> World:
        for a in self.actions:
            world = a.apply(world, on)
        return world

    def rights(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for a in self.actions for r in a.rights()))

    def actors(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for a in self.actions for s in a.actors()))

    def steps(self) -> tuple[BaseAction, ...]:
        return tuple(s for a in self.actions for s in a.steps())


AnyAction = Annotated[
    Union[  # noqa: UP007 - pydantic discriminated union
        JoinAlliance,
        LeaveAlliance,
        DeclareNeutrality,
        Deploy,
        Withdraw,
        HoldExercise,
        Patrolling,
        ChangeCapability,
        Composite,
    ],
    Field(discriminator="kind"),
]
Composite.model_rebuild()

Action = BaseAction
