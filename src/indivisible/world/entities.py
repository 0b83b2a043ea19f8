"""The kinds of fact a scenario holds.

Every fact carries ``source`` (who says so) and ``confidence`` (how sure the source
is), because a result is only as citable as the facts under it. Models are frozen:
a world is changed by building a new one, never in place.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code")]
Latitude = Annotated[float, Field(ge=-90.0, le=90.0)]
Longitude = Annotated[float, Field(ge=-180.0, le=180.0)]
Confidence = Literal["confirmed", "approximate", "unconfirmed"]
Identifier = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9_.:\-]+$")]

SystemCategory = Literal[
    "GLBM",  # ground-launched ballistic missile
    "GLCM",  # ground-launched cruise missile
    "SLCM",  # sea-launched cruise missile
    "SLBM",
    "ALCM",  # air-launched cruise missile
    "ICBM",
    "hypersonic",  # boost-glide or hypersonic cruise
    "bomber",
    "dual-capable-aircraft",
    "fighter",
    "nuclear-gravity-bomb",
    "bmd-interceptor",
    "air-defence",
    "armour",
    "artillery",
    "mlrs",
    "ground-forces",  # formed units counted in troops (battlegroups, divisions)
    "warship",
]
Role = Literal["offensive", "defensive", "dual"]
FlightRegime = Literal["ballistic", "cruise", "glide", "aircraft", "ground", "interceptor"]


class Fact(BaseModel):
    """Base of every fact: immutable, strict about unknown fields, and sourced."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(min_length=3, description="Who says so: title, publisher, date.")
    confidence: Confidence = "confirmed"


class Spell(Fact):
    """A fact that holds from ``start`` (inclusive) until ``end`` (exclusive; open if None)."""

    start: dt.date
    end: dt.date | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> Spell:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def active(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)


class State(Fact):
    iso3: ISO3
    name: str = Field(min_length=1)
    capital: str = Field(min_length=1)
    capital_lat: Latitude
    capital_lon: Longitude
    nuclear_weapon_state: bool = False
    former_ussr: bool = False
    osce: bool = True


class CapabilityRecord(Fact):
    """A state's military capability in one year; missing figures stay ``None``."""

    iso3: ISO3
    year: int = Field(ge=1945, le=2100)
    milex_usd_m: float | None = Field(default=None, ge=0, description="current US$ millions")
    personnel: float | None = Field(default=None, ge=0, description="active armed forces")
    warheads: float | None = Field(default=None, ge=0, description="nuclear warheads, total")
    warheads_deployed: float | None = Field(default=None, ge=0)


class NeutralitySpell(Spell):
    iso3: ISO3
    kind: str = Field(min_length=1, description="permanent, constitutional, declared, non-bloc…")


class Alliance(Fact):
    id: Identifier
    name: str
    collective_defence: bool
    clause: str = Field(
        description="The collective-defence clause, e.g. 'North Atlantic Treaty, Art. 5'."
    )
    founded: dt.date


class Membership(Spell):
    alliance: Identifier
    iso3: ISO3
    status: str = "member"


class Rivalry(Spell):
    a: Identifier
    b: Identifier


class DyadOverride(Spell):
    """A scenario's explicit hostility for one directed pair (threat from ``of`` to ``to``)."""

    of: ISO3
    to: ISO3
    hostility: float = Field(ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _two_states(self) -> DyadOverride:
        if self.of == self.to:
            raise ValueError("a state's hostility towards itself is always 0; name two states")
        return self


class RangeClaim(BaseModel):
    """One party's figure for a contested range, kept as a named alternative."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    claimant: Identifier
    range_km: float = Field(gt=0)
    source: str = Field(min_length=3)


class System(Fact):
    id: Identifier
    name: str
    owner: ISO3 | None = None
    category: SystemCategory
    role: Role
    regime: FlightRegime
    range_km: float | None = Field(default=None, ge=0, description="None where not public")
    range_claims: tuple[RangeClaim, ...] = ()
    default_claim: Identifier | None = None
    speed_kmh: float | None = Field(default=None, gt=0, description="cruise or glide speed")
    nuclear_capable: bool | None = None
    ground_launched: bool = False

    @model_validator(mode="after")
    def _claims(self) -> System:
        names = [c.claimant for c in self.range_claims]
        if len(set(names)) != len(names):
            raise ValueError("range_claims has a claimant twice")
        if self.default_claim is not None and self.default_claim not in names:
            raise ValueError(f"default_claim {self.default_claim!r} is not among range_claims")
        return self

    def range_for(self, claim: str | None = None) -> float | None:
        """The range under a named claim, the default claim, or the plain figure."""
        name = claim or self.default_claim
        for c in self.range_claims:
            if c.claimant == name:
                return c.range_km
        if claim is not None and self.range_claims:
            raise KeyError(claim)
        return self.range_km


class Deployment(Spell):
    id: Identifier
    owner: ISO3
    host: ISO3
    site: str
    lat: Latitude
    lon: Longitude
    system: Identifier
    count: float = Field(ge=0, description="launchers, weapons or troops (see unit)")
    unit: Literal["launchers", "weapons", "troops", "interceptors", "aircraft", "ships"]
    permanent: bool = True
    count_note: str | None = None


class Exercise(Spell):
    id: Identifier
    name: str
    conducted_by: tuple[ISO3, ...] = Field(min_length=1)
    hosts: tuple[ISO3, ...] = ()
    lat: Latitude
    lon: Longitude
    radius_km: float = Field(default=100.0, gt=0)
    troops: float | None = Field(default=None, ge=0)
    tanks: float | None = Field(default=None, ge=0)
    artillery: float | None = Field(default=None, ge=0)
    aircraft: float | None = Field(default=None, ge=0)
    notified: bool | None = None
    notified_troops: float | None = Field(default=None, ge=0)
    reported_troops: float | None = Field(default=None, ge=0)
    note: str | None = None


class Patrol(Spell):
    id: Identifier
    owner: ISO3
    kind: Literal["ship", "aircraft"]
    near: ISO3 = Field(description="the state whose territory it approached")
    lat: Latitude
    lon: Longitude
    closest_approach_km: float = Field(ge=0)
    units: int = Field(default=1, ge=1)


class ScenarioSettings(BaseModel):
    """Choices a scenario makes that every report must state."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    crimea: Literal["UKR", "RUS"] = Field(
        default="UKR",
        description="Whose territory Crimea is. Default follows UN GA resolution 68/262 (2014).",
    )
    title: str = "Europe baseline"

    @field_validator("title")
    @classmethod
    def _title(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("title must not be empty")
        return v
