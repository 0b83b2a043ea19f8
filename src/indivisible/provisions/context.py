"""Everything a predicate may read, and the record of the choices it made.

A predicate never picks a contested fact silently: asking for the range of a system with
named claims, or for what a launcher can fire, records the figure as read; the check then
evaluates every alternative unless the user pinned one. Anything a predicate could not
evaluate for want of data is recorded as such. All of it reaches the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from indivisible.provisions.activities import Activities, ExerciseEntry, PatrolEntry, WeaponPosition
from indivisible.provisions.geography import Geography
from indivisible.provisions.holdings import Held, held_by
from indivisible.provisions.model import LauncherClaimSpec
from indivisible.provisions.params import ParameterSet
from indivisible.world.claims import check_pins, split_pins
from indivisible.world.entities import Deployment, Exercise, Patrol, System
from indivisible.world.scenario import Snapshot, World


def validate_claims(claims: Mapping[str, str], world: World,
                    launcher_claims: Mapping[str, LauncherClaimSpec] | None = None) -> None:
    """Each pinned key names a contested figure (a range, or a launcher claim of this
    agreement) and one of its claimants; the same check as every other command's."""
    check_pins(claims, world, launcher_claims or {}, scope=" of this agreement")


def parse_claims(items: list[str] | tuple[str, ...], world: World,
                 launcher_claims: Mapping[str, LauncherClaimSpec] | None = None
                 ) -> dict[str, str]:
    """``KEY=CLAIMANT`` pairs: KEY a system with named range claims, or a launcher claim."""
    out = split_pins(items)
    validate_claims(out, world, launcher_claims)
    return out


@dataclass(frozen=True)
class Contested:
    """A contested figure a predicate read, with every side's value, for the report."""

    id: str
    kind: str  # "range" or "launcher"
    title: str
    values: dict[str, Any]  # claimant -> range in km, or the system id it launches (or None)
    sources: dict[str, str] = field(default_factory=dict)  # claimant -> who says so

    def describe(self, claimant: str) -> str:
        value = self.values[claimant]
        if self.kind == "range":
            return f"{claimant} {value:,.0f} km"
        return (f"{claimant}: can launch {value}" if value
                else f"{claimant}: can launch no missile the agreement covers")


@dataclass
class Context:
    """The world at a date, the parameters, and the choices of contested figures.

    ``claims`` are the figures pinned by the user. Every other contested figure a predicate
    reads is recorded in ``consulted``; the check then runs the predicate once per
    combination of alternatives (``choices``), so that no default decides a finding.
    """

    world: World
    date: dt.date
    params: ParameterSet
    claims: Mapping[str, str] = field(default_factory=dict)
    activities: Activities = field(default_factory=Activities)
    launcher_claims: Mapping[str, LauncherClaimSpec] = field(default_factory=dict)
    assumptions: dict[str, None] = field(default_factory=dict)
    not_evaluated: list[dict[str, str]] = field(default_factory=list)
    choices: dict[str, str] = field(default_factory=dict)
    consulted: dict[str, tuple[str, ...]] = field(default_factory=dict)
    contested: dict[str, Contested] = field(default_factory=dict)

    @cached_property
    def snap(self) -> Snapshot:
        return self.world.at(self.date)

    @cached_property
    def geo(self) -> Geography:
        return Geography(self.world.settings.crimea)

    # -- recording -----------------------------------------------------------------------
    def assume(self, text: str) -> None:
        self.assumptions.setdefault(text, None)

    def skip(self, provision: str, subject: str, why: str) -> None:
        item = {"provision": provision, "subject": subject, "why": why}
        if item not in self.not_evaluated:
            self.not_evaluated.append(item)

    # -- contested figures -----------------------------------------------------------------
    def begin_run(self, choices: Mapping[str, str]) -> None:
        """Start one evaluation under ``choices`` (claimant per unpinned contested figure)."""
        self.choices = dict(choices)
        self.consulted = {}

    def _choose(self, item: Contested, default: str) -> str:
        self.contested.setdefault(item.id, item)
        if item.id in self.claims:
            return self.claims[item.id]
        if item.id not in self.choices:
            self.consulted[item.id] = tuple(item.values)
        return self.choices.get(item.id, default)

    def range_km(self, system: System) -> float | None:
        """The system's range; where it is contested, under the current claim."""
        if not system.range_claims:
            return system.range_km
        item = Contested(system.id, "range", f"range of {system.name}",
                         {c.claimant: c.range_km for c in system.range_claims},
                         {c.claimant: c.source for c in system.range_claims})
        chosen = self._choose(item, system.default_claim or system.range_claims[0].claimant)
        return system.range_for(chosen)

    def launched_by(self, system: System) -> list[tuple[str, str | None]]:
        """(claim id, missile system id or None) for each launcher claim on the system."""
        out = []
        for claim_id, spec in self.launcher_claims.items():
            if system.id not in spec.systems:
                continue
            item = Contested(claim_id, "launcher", spec.title,
                             {c.claimant: c.launches for c in spec.claims},
                             {c.claimant: c.source for c in spec.claims})
            chosen = self._choose(item, spec.claims[0].claimant)
            out.append((claim_id, spec.alternative(chosen).launches))
        return out

    def claims_used(self) -> dict[str, dict[str, Any]]:
        """Every contested figure read: pinned (and to what), or evaluated under each claim."""
        out: dict[str, dict[str, Any]] = {}
        for cid, item in self.contested.items():
            pinned = self.claims.get(cid)
            entry: dict[str, Any] = {
                "kind": item.kind, "title": item.title, "pinned": pinned is not None,
                "claim": pinned,
                "how": ("pinned with --claim; the alternatives were not evaluated" if pinned
                        else "every alternative evaluated"),
                "alternatives": dict(item.values),
                "sources": dict(item.sources),
            }
            if pinned is not None:
                entry["range_km" if item.kind == "range" else "launches"] = item.values[pinned]
            out[cid] = entry
        return out

    def claim_assumptions(self) -> list[str]:
        """One sentence per contested figure read, saying how it was treated."""
        out = []
        for cid, item in self.contested.items():
            pinned = self.claims.get(cid)
            if pinned is None:
                alts = "; ".join(item.describe(c) for c in item.values)
                out.append(f"{cid} ({item.title}) is contested: every alternative evaluated "
                           f"({alts}); pin one with --claim {cid}=NAME")
                continue
            others = "; ".join(item.describe(c) for c in item.values if c != pinned) or "none"
            if item.kind == "range":
                head = f"{cid} range taken as {item.values[pinned]:,.0f} km ({pinned}"
            else:
                head = f"{cid} ({item.title}) taken as {item.describe(pinned)} ({pinned}"
            out.append(f"{head}; pinned with --claim): alternatives not evaluated: {others}")
        return out

    def held(self, party: str) -> list[Held]:
        return held_by(self.snap, party)

    @property
    def deployments(self) -> tuple[Deployment, ...]:
        return self.snap.deployments

    def system(self, system_id: str) -> System:
        return self.world.system_by_id[system_id]

    def exercises(self) -> list[Exercise]:
        """The world's exercises and the activities file's, active on the date."""
        from_file = [e for e in self.activities.exercises if e.active(self.date)]
        ids = {e.id for e in from_file}
        return [e for e in self.snap.exercises if e.id not in ids] + from_file

    def patrols(self) -> list[Patrol | PatrolEntry]:
        from_file = [p for p in self.activities.patrols if p.active(self.date)]
        ids = {p.id for p in from_file}
        return [p for p in self.snap.patrols if p.id not in ids] + from_file

    def positions(self) -> list[WeaponPosition]:
        return [p for p in self.activities.positions if p.active(self.date)]

    def members(self, alliance: str, on: dt.date | None = None) -> tuple[str, ...]:
        snap = self.snap if on is None or on == self.date else self.world.at(on)
        return snap.members(alliance)

    def patrol_points(self, p: Patrol | PatrolEntry) -> list[tuple[float, float]]:
        """(lat, lon) points of a patrol: its track if given, else its closest point."""
        track = getattr(p, "track", None)
        pts = [(lat, lon) for lon, lat in track] if track else []
        if p.lat is not None and p.lon is not None:
            pts.append((p.lat, p.lon))
        return pts

    def approach_km(self, p: Patrol | PatrolEntry, iso3: str) -> float:
        """Closest approach of a patrol to a state's territory."""
        if iso3 == p.near and p.closest_approach_km is not None:
            return float(p.closest_approach_km)
        return min(self.geo.distance_to(lat, lon, iso3) for lat, lon in self.patrol_points(p))


def extra(ex: Exercise, name: str) -> Any:
    """An optional activities-file figure of an exercise (None for the world's exercises)."""
    return getattr(ex, name, None) if isinstance(ex, ExerciseEntry) else None
