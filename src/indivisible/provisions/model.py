"""What a provision is, and what a check finds.

A provision is data plus a predicate. The data (clause it encodes, who it binds, when it
applies, the parameters it reads) lives in ``data/provisions/<agreement>.yaml``; the
predicate, a function of the world at a date, lives in ``provisions/rules``. Splitting them
keeps every number and citation editable without touching code, and every predicate
testable from small cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from indivisible.provisions.params import ParameterSpec

# Launcher claims are shared with the security model; re-exported here for the provisions code.
from indivisible.world.launcher_claims import LauncherAlternative as LauncherAlternative
from indivisible.world.launcher_claims import LauncherClaimSpec, resolve

if TYPE_CHECKING:
    from indivisible.provisions.context import Context

Status = Literal["legal", "political", "draft", "non-paper"]
ProvisionId = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9][a-z0-9.\-]*$")]
ClauseRef = Annotated[
    str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*:[A-Za-z0-9][A-Za-z0-9_.\-]*$")
]


class Window(BaseModel):
    """When a text applies: ``start`` inclusive, ``end`` exclusive (open when None)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.date | None = None
    end: dt.date | None = None
    source: str = Field(min_length=3)
    confidence: Literal["confirmed", "approximate", "unconfirmed", "derived"] = "confirmed"
    note: str | None = None

    @model_validator(mode="after")
    def _order(self) -> Window:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def holds(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


class ProvisionSpec(BaseModel):
    """The data half of a provision."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: ProvisionId
    clause: ClauseRef
    title: str = Field(min_length=3)
    cite: str = Field(min_length=3, description="Short human citation, e.g. 'INF Art. II(5)'.")
    binds: str = Field(min_length=2, description="Who is bound, in words.")
    mutual: bool
    measure: str = Field(min_length=3, description="What the predicate tests, in one sentence.")
    applies: Window | None = Field(default=None, description="Overrides the agreement's window.")
    uses: list[str] = Field(default_factory=list, description="Parameter names it reads.")
    confidence: Literal["confirmed", "unconfirmed"] = Field(
        default="confirmed", description="Whether the wording it encodes was read in a source.")
    note: str | None = None

    @model_validator(mode="after")
    def _note_unconfirmed(self) -> ProvisionSpec:
        if self.confidence == "unconfirmed" and not (self.note or "").strip():
            raise ValueError("a provision marked unconfirmed needs a note saying what is")
        return self


class AgreementSpec(BaseModel):
    """The data half of an agreement: the document, its status and window, its provisions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    document: str = Field(description="Register document id.")
    title: str
    status: Status
    hypothetical: bool = Field(description="Never in force: checked as if it were, at any date.")
    applies: Window
    parties: str
    sources: list[str] = Field(min_length=1)
    parameters: dict[str, ParameterSpec] = Field(default_factory=dict)
    provisions: list[ProvisionSpec] = Field(min_length=1)
    launcher_claims: dict[str, LauncherClaimSpec] = Field(
        default_factory=dict,
        description="Contested launcher classifications, by claim id: a list of ids of the "
                    "shared data/launcher_claims.yaml (which the security model reads too), "
                    "or the definitions inline.")
    not_encoded: list[str] = Field(default_factory=list,
                                   description="Articles left out, each with why.")

    @field_validator("launcher_claims", mode="before")
    @classmethod
    def _shared_claims(cls, value: Any) -> Any:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return resolve(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> AgreementSpec:
        ids = [p.id for p in self.provisions]
        if len(set(ids)) != len(ids):
            raise ValueError("a provision id is listed twice")
        for p in self.provisions:
            if not p.id.startswith(self.id + "/"):
                raise ValueError(f"provision {p.id!r} must start with '{self.id}/'")
            if not p.clause.startswith(self.document + ":"):
                raise ValueError(f"clause {p.clause!r} of {p.id} is not in document "
                                 f"{self.document!r}")
            for name in p.uses:
                if name not in self.parameters:
                    raise ValueError(f"provision {p.id} uses unknown parameter {name!r}")
        return self


@dataclass(frozen=True)
class Finding:
    """What a predicate returns: who, what, where and the numbers."""

    party: str
    subject: str
    detail: str
    host: str | None = None
    numbers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ContestedOn:
    """How one contested figure decides a violation: the claimants under which it holds."""

    claim: str
    holds_under: tuple[str, ...]
    fails_under: tuple[str, ...]

    def payload(self) -> dict[str, Any]:
        return {"claim": self.claim, "holds_under": list(self.holds_under),
                "fails_under": list(self.fails_under)}


@dataclass(frozen=True)
class Violation:
    """A finding of one provision, with its clause and citation.

    ``contested_on`` is empty when the violation holds under every alternative of every
    contested figure the predicate read; otherwise it names the figures that decide it.
    """

    provision: str
    clause: str
    party: str
    subject: str
    host: str | None
    detail: str
    citation: str
    numbers: dict[str, Any]
    contested_on: tuple[ContestedOn, ...] = ()

    @property
    def contested(self) -> bool:
        return bool(self.contested_on)

    @property
    def holds_under(self) -> list[str]:
        return list(dict.fromkeys(n for c in self.contested_on for n in c.holds_under))

    @property
    def fails_under(self) -> list[str]:
        return list(dict.fromkeys(n for c in self.contested_on for n in c.fails_under))

    def status(self) -> str:
        """'uncontested', or 'contested — holds under X, not under Y (claim)' for tables."""
        if not self.contested:
            return "uncontested"
        parts = [f"holds under {', '.join(c.holds_under)}, "
                 + (f"not under {', '.join(c.fails_under)}" if c.fails_under
                    else "not in every combination with the other figures")
                 + f" ({c.claim})" for c in self.contested_on]
        return "contested — " + "; ".join(parts)

    def payload(self) -> dict[str, Any]:
        return {
            "provision": self.provision, "clause": self.clause, "party": self.party,
            "subject": self.subject, "host": self.host, "detail": self.detail,
            "citation": self.citation, "numbers": self.numbers,
            "contested": self.contested, "holds_under": self.holds_under,
            "fails_under": self.fails_under,
            "contested_on": [c.payload() for c in self.contested_on],
        }


Predicate = Callable[["Context", "Provision"], Iterable[Finding]]


@dataclass(frozen=True)
class Provision:
    spec: ProvisionSpec
    agreement: AgreementSpec
    predicate: Predicate

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def window(self) -> Window:
        return self.spec.applies or self.agreement.applies

    def param(self, ctx: Context, name: str) -> Any:
        return ctx.params[f"{self.agreement.id}.{name}"]


@dataclass(frozen=True)
class Agreement:
    spec: AgreementSpec
    provisions: tuple[Provision, ...]

    @property
    def id(self) -> str:
        return self.spec.id
