"""Everything a predicate may read, and the record of the choices it made.

A predicate never picks a contested fact silently: asking for the range of a system with
named claims records which claim was used and what the alternatives say, and anything it
could not evaluate for want of data is recorded as such. Both lists reach the report.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from indivisible.errors import InputError
from indivisible.provisions.activities import Activities, ExerciseEntry, PatrolEntry, WeaponPosition
from indivisible.provisions.geography import Geography
from indivisible.provisions.holdings import Held, held_by
from indivisible.provisions.params import ParameterSet
from indivisible.world.entities import Deployment, Exercise, Patrol, System
from indivisible.world.scenario import Snapshot, World


def parse_claims(items: list[str] | tuple[str, ...], world: World) -> dict[str, str]:
    """``SYSTEM=CLAIMANT`` pairs, checked against the systems' named range claims."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"expected SYSTEM=CLAIMANT, got {item!r}", field="--claim")
        sid, claimant = (x.strip() for x in item.split("=", 1))
        if sid not in world.system_by_id:
            close = difflib.get_close_matches(sid, list(world.system_by_id), n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise InputError(f"unknown system {sid!r}{hint}", field="--claim")
        names = [c.claimant for c in world.system_by_id[sid].range_claims]
        if not names:
            raise InputError(f"system {sid!r} has no named range claims (its range is "
                             f"{world.system_by_id[sid].range_km} km)", field="--claim")
        if claimant not in names:
            raise InputError(f"unknown claimant {claimant!r} for {sid}; expected one of "
                             f"{', '.join(names)}", field="--claim")
        out[sid] = claimant
    return out


@dataclass
class Context:
    world: World
    date: dt.date
    params: ParameterSet
    claims: Mapping[str, str] = field(default_factory=dict)
    activities: Activities = field(default_factory=Activities)
    assumptions: dict[str, None] = field(default_factory=dict)
    not_evaluated: list[dict[str, str]] = field(default_factory=list)
    claims_used: dict[str, dict[str, Any]] = field(default_factory=dict)

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

    # -- facts ---------------------------------------------------------------------------
    def range_km(self, system: System) -> float | None:
        """The system's range, under the chosen or default claim where it is contested."""
        if not system.range_claims:
            return system.range_km
        chosen = self.claims.get(system.id) or system.default_claim
        if chosen is None:
            chosen = system.range_claims[0].claimant
        value = system.range_for(chosen)
        others = [f"{c.claimant} {c.range_km:,.0f} km" for c in system.range_claims
                  if c.claimant != chosen]
        how = "chosen with --claim" if system.id in self.claims else "the baseline's default claim"
        self.claims_used[system.id] = {
            "claim": chosen, "range_km": value, "how": how,
            "alternatives": {c.claimant: c.range_km for c in system.range_claims
                             if c.claimant != chosen},
        }
        self.assume(f"{system.id} range taken as {value:,.0f} km ({chosen}; {how}); "
                    f"alternatives: {'; '.join(others) or 'none'}")
        return value

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
