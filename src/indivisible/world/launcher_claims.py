"""Contested launcher claims: what else a site's launchers could fire, by each side's reading.

The world records a deployment by its declared system (an interceptor site holds
interceptors). Whether its launchers could also fire an offensive missile is a dispute
between states, not a fact, so it is kept apart from the world as named alternatives with
their sources (``data/launcher_claims.yaml``). Agreements as code evaluate every alternative;
the security model needs one per run and takes the pinned one, else ``model_default`` — a
convention that every result names (see :mod:`indivisible.security.claims`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from indivisible.errors import InputError
from indivisible.yamlio import line_of, load_yaml_file

Unit = Literal["launchers", "weapons", "troops", "interceptors", "aircraft", "ships"]


class LauncherAlternative(BaseModel):
    """One side's reading of what a launcher can fire: a missile class, or none in scope.

    ``unit`` and ``per_unit`` say how the security model counts the missiles: ``per_unit``
    launchers (of ``unit``) for every unit of the deployment.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    claimant: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    launches: str | None = Field(description="System id of the missile it could launch; "
                                             "null = no missile the agreement covers.")
    unit: Unit = Field(default="launchers", description="How each missile's launcher counts.")
    per_unit: float = Field(default=1.0, gt=0, description="Launchers per deployment unit.")
    count_note: str | None = None
    source: str = Field(min_length=3)
    confidence: Literal["confirmed", "approximate", "unconfirmed"]
    note: str | None = None


class LauncherClaimSpec(BaseModel):
    """A contested classification of the ground launchers of some systems.

    Each side's reading is a named alternative; ``model_default`` is the one the security
    model takes when none is pinned, and ``model_default_note`` says why (it is reported).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=3)
    systems: list[str] = Field(min_length=1, description="System ids whose ground deployments "
                                                         "use these launchers.")
    excluded_units: list[Unit] = Field(default_factory=list,
                                       description="Deployments counted in these units are "
                                                   "outside the claim (ships: sea-based).")
    model_default: str = Field(description="Claimant the security model uses unless pinned.")
    model_default_note: str = Field(min_length=3, description="Why: a stated convention.")
    claims: list[LauncherAlternative] = Field(min_length=2)
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> LauncherClaimSpec:
        names = [c.claimant for c in self.claims]
        if len(set(names)) != len(names):
            raise ValueError("a claimant is listed twice")
        if self.model_default not in names:
            raise ValueError(f"model_default {self.model_default!r} is not among the claimants "
                             f"({', '.join(names)})")
        return self

    @property
    def claimants(self) -> list[str]:
        return [c.claimant for c in self.claims]

    def alternative(self, claimant: str) -> LauncherAlternative:
        return next(c for c in self.claims if c.claimant == claimant)

    def applies_to(self, system: str, unit: str) -> bool:
        """Whether a deployment of ``system`` counted in ``unit`` is one of these sites."""
        return system in self.systems and unit not in self.excluded_units


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    launcher_claims: dict[str, LauncherClaimSpec]


def default_path() -> Path:
    return Path(str(resources.files("indivisible") / "data" / "launcher_claims.yaml"))


def _plain(raw: Any) -> Any:
    if isinstance(raw, dict):
        return {k: _plain(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_plain(v) for v in raw]
    return raw


def read_launcher_claims(path: str | Path) -> dict[str, LauncherClaimSpec]:
    """A launcher-claims file, validated (errors name the file, line and field)."""
    p = Path(path)
    data = load_yaml_file(p)
    if not isinstance(data, dict):
        raise InputError("expected a mapping with the key launcher_claims", file=p, line=1)
    try:
        parsed = _File.model_validate(_plain(data))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err.get("loc", ()))
        msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        if err.get("type") == "missing":
            msg = "required field is missing"
        elif err.get("type") == "extra_forbidden":
            msg = "unknown field"
        raise InputError(msg, file=p, line=line_of(data, loc),
                         field=".".join(str(x) for x in loc) or None) from None
    return dict(parsed.launcher_claims)


@lru_cache(maxsize=1)
def _shipped() -> Mapping[str, LauncherClaimSpec]:
    return read_launcher_claims(default_path())


def launcher_claims() -> dict[str, LauncherClaimSpec]:
    """The shipped launcher claims, by claim id."""
    return dict(_shipped())


def resolve(ids: list[str]) -> dict[str, LauncherClaimSpec]:
    """The shipped claims named by ``ids`` (an agreement's list); unknown ids are errors."""
    known = _shipped()
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValueError(f"unknown launcher claim {', '.join(map(repr, unknown))}; known: "
                         f"{', '.join(known) or 'none'} (data/launcher_claims.yaml)")
    return {i: known[i] for i in ids}
