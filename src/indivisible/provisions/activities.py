"""Activities files: exercises, patrols and weapon positions to check against the provisions.

The world holds forces and the baseline's own exercises; an activities file adds what a
check needs beyond them: the figures a Vienna Document check compares (notified against
actual), bomber and warship patrols, and, for Minsk, a contact line with weapon positions.

Format (YAML; every section optional)::

    description: free text
    exercises:                 # each entry is a world Exercise, plus the optional fields below
      - id: zapad-2021
        name: Zapad-2021
        conducted_by: [RUS, BLR]
        hosts: [BLR]
        start: 2021-09-10
        end: 2021-09-17          # exclusive, like every spell
        lat: 53.9                # centre; or give `area` instead of lat/lon
        lon: 27.6
        radius_km: 250
        troops: 200000           # actual figure
        tanks: 760
        artillery: 240
        aircraft: 80
        notified: true
        notified_troops: 12800
        reported_troops: 200000
        source: who says so
        # optional fields used by the Vienna Document and the 2022 replies:
        acvs: 1000               # armoured combat vehicles
        sorties: 150             # fixed-wing sorties
        airborne_troops: 0       # amphibious, parachute or heliborne assault
        notified_on: 2021-07-01  # when notification was given
        observers_invited: false
        briefed: false           # reciprocal briefing (NATO reply 2022)
        alert: false             # a snap/alert activity
        echelon: division        # battalion | brigade | division | corps | army | front
        area: [[lon, lat], ...]  # polygon; centre and radius are derived when lat/lon are absent
    patrols:                   # each entry is a world Patrol, plus the optional fields below
      - id: bomber-flight-1
        owner: RUS
        kind: aircraft           # aircraft | ship
        near: USA                # the state whose territory it approached
        start: 2021-12-14
        end: 2021-12-15
        lat: 64.0                # closest point; or give `track` instead
        lon: -165.0
        closest_approach_km: 60  # may be omitted with a track (measured from the track)
        track: [[lon, lat], ...] # the path flown or sailed
        weapon_range_km: 2500    # reach of its weapons (else the agreement's parameter)
        source: who says so
    contact_line: [[lon, lat], [lon, lat], ...]   # a LineString (Minsk)
    side_lines:                # optional: another reference line for one side
      certain-areas: [[lon, lat], ...]
    positions:                 # heavy weapons seen on a date
      - id: pos-1
        side: UKR                # the side the weapon belongs to (any label)
        type: artillery          # artillery | mlrs | tank | mortar | tactical-missile
        model: 2S1               # e.g. Uragan, Smerch, Tornado-S, Tochka-U, BM-21
        calibre_mm: 122
        lat: 48.0
        lon: 37.9
        count: 3
        start: 2017-04-10        # optional: when seen (exclusive end; open if absent)
        source: who says so

Dates are YYYY-MM-DD. Coordinates are WGS84 degrees, longitude first in lines and tracks
(GeoJSON order), ``lat``/``lon`` fields elsewhere. Every problem is one error with the file,
the line and the field (exit code 2); nothing is half-loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pyproj import Geod

from indivisible.errors import InputError
from indivisible.world.entities import Exercise, Latitude, Longitude, Patrol
from indivisible.world.scenario import World
from indivisible.yamlio import LineDict, LineList, line_of, load_yaml_file

_GEOD = Geod(ellps="WGS84")

Echelon = Literal["battalion", "brigade", "division", "corps", "army", "front"]
#: Echelons in increasing size; "above brigade level" is anything after "brigade".
ECHELONS: tuple[str, ...] = ("battalion", "brigade", "division", "corps", "army", "front")
WeaponType = Literal["artillery", "mlrs", "tank", "mortar", "tactical-missile"]


def _check_point(pt: Any) -> tuple[float, float]:
    if not isinstance(pt, list | tuple) or len(pt) != 2:
        raise ValueError("each point must be [lon, lat]")
    lon, lat = (float(v) for v in pt)
    if not (-180.0 <= lon <= 180.0) or not (-90.0 <= lat <= 90.0):
        raise ValueError(f"point [{lon}, {lat}] is not a WGS84 [lon, lat]")
    return lon, lat


def _check_line(value: Any, minimum: int, what: str) -> tuple[tuple[float, float], ...]:
    if not isinstance(value, list | tuple) or len(value) < minimum:
        raise ValueError(f"{what} needs at least {minimum} [lon, lat] points")
    return tuple(_check_point(p) for p in value)


class ExerciseEntry(Exercise):
    """A world :class:`Exercise` with the extra figures the CSBM provisions compare."""

    lat: Latitude | None = None  # type: ignore[assignment]
    lon: Longitude | None = None  # type: ignore[assignment]
    acvs: float | None = Field(default=None, ge=0)
    sorties: float | None = Field(default=None, ge=0)
    airborne_troops: float | None = Field(default=None, ge=0)
    notified_on: dt.date | None = None
    observers_invited: bool | None = None
    briefed: bool | None = None
    alert: bool = False
    echelon: Echelon | None = None
    area: tuple[tuple[float, float], ...] | None = None

    @field_validator("area", mode="before")
    @classmethod
    def _area(cls, v: Any) -> Any:
        return None if v is None else _check_line(v, 3, "area")

    @model_validator(mode="after")
    def _centre(self) -> ExerciseEntry:
        if self.lat is None or self.lon is None:
            if not self.area:
                raise ValueError("give lat and lon, or an area")
            lons = [p[0] for p in self.area]
            lats = [p[1] for p in self.area]
            lon, lat = sum(lons) / len(lons), sum(lats) / len(lats)
            _, _, dists = _GEOD.inv([lon] * len(lons), [lat] * len(lats), lons, lats)
            object.__setattr__(self, "lat", lat)
            object.__setattr__(self, "lon", lon)
            if "radius_km" not in self.model_fields_set:
                object.__setattr__(self, "radius_km", max(1.0, max(dists) / 1000.0))
        if self.notified_on is not None and self.notified_on > self.start:
            raise ValueError(f"notified_on {self.notified_on} is after the start {self.start}")
        return self


class PatrolEntry(Patrol):
    """A world :class:`Patrol`, which may give its track instead of its closest point."""

    lat: Latitude | None = None  # type: ignore[assignment]
    lon: Longitude | None = None  # type: ignore[assignment]
    closest_approach_km: float | None = Field(default=None, ge=0)  # type: ignore[assignment]
    track: tuple[tuple[float, float], ...] | None = None
    weapon_range_km: float | None = Field(default=None, gt=0)

    @field_validator("track", mode="before")
    @classmethod
    def _track(cls, v: Any) -> Any:
        return None if v is None else _check_line(v, 1, "track")

    @model_validator(mode="after")
    def _where(self) -> PatrolEntry:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon")
        if self.lat is None and not self.track:
            raise ValueError("give lat and lon, or a track")
        return self


class WeaponPosition(BaseModel):
    """Heavy weapons of one side seen at one place."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9_.:\-]+$")]
    side: str = Field(min_length=1, max_length=60)
    type: WeaponType
    model: str | None = None
    calibre_mm: float | None = Field(default=None, gt=0)
    lat: Latitude
    lon: Longitude
    count: int = Field(default=1, ge=1)
    start: dt.date | None = None
    end: dt.date | None = None
    source: str = Field(min_length=3)
    confidence: Literal["confirmed", "approximate", "unconfirmed"] = "confirmed"

    @model_validator(mode="after")
    def _dates(self) -> WeaponPosition:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def active(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


@dataclass(frozen=True)
class Activities:
    """What an activities file holds (empty when no file is given)."""

    file: str | None = None
    exercises: tuple[ExerciseEntry, ...] = ()
    patrols: tuple[PatrolEntry, ...] = ()
    contact_line: tuple[tuple[float, float], ...] | None = None
    side_lines: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    positions: tuple[WeaponPosition, ...] = ()

    def line_for(self, side: str) -> tuple[tuple[float, float], ...] | None:
        """The reference line a side measures from: its own line if given, else the contact line."""
        return self.side_lines.get(side, self.contact_line)


SECTIONS = ("description", "exercises", "patrols", "contact_line", "side_lines", "positions")


def _message(exc: ValidationError) -> tuple[str, tuple[Any, ...]]:
    err = exc.errors()[0]
    loc = tuple(err.get("loc", ()))
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    if err.get("type") == "missing":
        msg = "required field is missing"
    elif err.get("type") == "extra_forbidden":
        msg = "unknown field"
    return msg, loc


def _entries(data: LineDict, key: str, model: type[BaseModel], file: str) -> list[Any]:
    raw = data.get(key)
    top = data.key_lines.get(key) if isinstance(data, LineDict) else None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError("expected a list of entries", file=file, line=top, field=key)
    out = []
    seen: dict[str, int | None] = {}
    for i, item in enumerate(raw):
        line = raw.item_lines[i] if isinstance(raw, LineList) else top
        if not isinstance(item, dict):
            raise InputError("expected a mapping of fields", file=file, line=line,
                             field=f"{key}[{i}]")
        try:
            entry = model.model_validate(_plain(item))
        except ValidationError as exc:
            msg, loc = _message(exc)
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)
            raise InputError(msg, file=file, line=line_of(item, loc[:1]) or line,
                             field=f"{key}[{i}]{path}") from None
        ident = entry.id
        if ident in seen:
            raise InputError(f"duplicate id {ident!r} (first at line {seen[ident]})",
                             file=file, line=line, field=f"{key}[{i}].id")
        seen[ident] = line
        out.append(entry)
    return out


def _plain(raw: Any) -> Any:
    if isinstance(raw, dict):
        return {k: _plain(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_plain(v) for v in raw]
    return raw


def _line(key: str, raw: Any, file: str, line: int | None) -> Any:
    try:
        return _check_line(_plain(raw), 2, key)
    except (ValueError, TypeError) as exc:
        raise InputError(str(exc), file=file, line=line, field=key) from None


def load_activities(path: str | Path, world: World | None = None) -> Activities:
    """Read and validate an activities file; with ``world``, state codes must exist in it."""
    p = Path(path)
    file = str(p)
    data = load_yaml_file(p)
    if data is None:
        return Activities(file=file)
    if not isinstance(data, dict):
        raise InputError("an activities file must be a mapping at the top level", file=file, line=1)
    lines = data.key_lines if isinstance(data, LineDict) else {}
    for key in data:
        if key not in SECTIONS:
            raise InputError(f"unknown section; expected one of {', '.join(SECTIONS)}",
                             file=file, line=lines.get(key), field=key)
    exercises = _entries(data, "exercises", ExerciseEntry, file)
    patrols = _entries(data, "patrols", PatrolEntry, file)
    positions = _entries(data, "positions", WeaponPosition, file)
    contact = None
    if data.get("contact_line") is not None:
        contact = _line("contact_line", data["contact_line"], file, lines.get("contact_line"))
    side_lines: dict[str, tuple[tuple[float, float], ...]] = {}
    raw_sides = data.get("side_lines")
    if raw_sides is not None:
        if not isinstance(raw_sides, dict):
            raise InputError("expected a mapping of side -> [[lon, lat], ...]", file=file,
                             line=lines.get("side_lines"), field="side_lines")
        for side, raw in raw_sides.items():
            where = raw_sides.key_lines.get(side) if isinstance(raw_sides, LineDict) else None
            side_lines[side] = _line(f"side_lines.{side}", raw, file, where)
    if positions and contact is None and not side_lines:
        raise InputError("positions need a contact_line to measure from", file=file,
                         line=lines.get("positions"), field="contact_line")
    acts = Activities(file=file, exercises=tuple(exercises), patrols=tuple(patrols),
                      contact_line=contact, side_lines=side_lines, positions=tuple(positions))
    if world is not None:
        check_references(acts, world, data)
    return acts


def check_references(acts: Activities, world: World, data: Any = None) -> None:
    """Every state code an activity names must be a state of the world."""
    states = world.state_by_iso3

    def fail(section: str, i: int, fld: str, value: str) -> None:
        raw = data.get(section) if isinstance(data, dict) else None
        line = raw.item_lines[i] if isinstance(raw, LineList) else None
        if raw is not None and isinstance(raw[i], LineDict):
            line = raw[i].key_lines.get(fld, line)
        raise InputError(f"unknown state {value!r} (not an ISO3 code in the scenario)",
                         file=acts.file, line=line, field=f"{section}[{i}].{fld}")

    for i, ex in enumerate(acts.exercises):
        for c in ex.conducted_by:
            if c not in states:
                fail("exercises", i, "conducted_by", c)
        for c in ex.hosts:
            if c not in states:
                fail("exercises", i, "hosts", c)
    for i, pt in enumerate(acts.patrols):
        if pt.owner not in states:
            fail("patrols", i, "owner", pt.owner)
        if pt.near not in states:
            fail("patrols", i, "near", pt.near)
