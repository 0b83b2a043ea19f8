"""The entries of the register: sources, documents, clauses, links, readings, events, positions.

Every entry cites at least one source by id, and anything not confirmed from the material
read carries ``confirmed: false`` with a note saying what is open, so an analysis built on
it can say so. Models are frozen and strict: an unknown field is an error, not a silent
loss.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from indivisible.register.vocabulary import (
    ClauseKind,
    Conditioning,
    DocumentStatus,
    LinkRelation,
    check_topic,
)

Identifier = Annotated[
    str, Field(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9_.:\-]+$")
]
DocumentId = Annotated[
    str, Field(min_length=2, max_length=60, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
]
ClauseId = Annotated[
    str, Field(max_length=120, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*:[A-Za-z0-9][A-Za-z0-9_.\-]*$")
]
Topic = Annotated[str, AfterValidator(check_topic)]
Text = Annotated[str, Field(min_length=3, max_length=4000)]
SourceRefs = Annotated[list[Identifier], Field(min_length=1)]
Precision = Literal["day", "month", "year"]


class Entry(BaseModel):
    """Base of every register entry: immutable, strict, sourced."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Sourced(Entry):
    sources: SourceRefs = Field(description="Ids of entries in the register's sources.")
    confirmed: bool = Field(True, description="False while a citation or wording is open.")
    note: str | None = None

    @model_validator(mode="after")
    def _open_items_explained(self) -> Sourced:
        if not self.confirmed and not (self.note and self.note.strip()):
            raise ValueError("an entry with confirmed: false needs a note saying what is open")
        return self


class Source(Entry):
    """Where a fact comes from, cited as what it is (an outlet's report is not the text)."""

    id: Identifier
    title: Text
    outlet: str = Field(min_length=2, max_length=400,
                        description="Publisher or site; 'not named in the copy' if unknown.")
    date: str = Field(min_length=1, description="The date as the source gives it.")
    kind: Literal["text", "reproduction", "report", "commentary", "reference", "data"]
    language: str = Field("en", pattern=r"^[a-z]{2}$")
    url: str | None = None
    locator: str | None = Field(None, description="Where a copy is, e.g. shared/sources/...")
    note: str | None = None


class Document(Sourced):
    id: DocumentId
    title: Text
    date: dt.date
    date_note: str | None = None
    parties: Annotated[list[str], Field(min_length=1)]
    status: DocumentStatus
    summary: Text
    cites: list[DocumentId] = Field(default_factory=list, description="Register documents its "
                                    "preamble or text refers to.")


class Clause(Sourced):
    """One article, paragraph or offer, paraphrased; ``topics[0]`` is its main topic."""

    id: ClauseId
    document: DocumentId
    article: str = Field(min_length=1, max_length=120)
    kind: ClauseKind
    topics: Annotated[list[Topic], Field(min_length=1)]
    paraphrase: Text
    bound: list[str] = Field(default_factory=list, description="Who is bound or holds the right.")
    quantities: dict[str, int | float | str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _id_names_document(self) -> Clause:
        prefix = self.id.split(":", 1)[0]
        if prefix != self.document:
            raise ValueError(f"clause id {self.id!r} must start with its document "
                             f"'{self.document}:'")
        if len(set(self.topics)) != len(self.topics):
            raise ValueError("topics are listed twice")
        return self

    @property
    def primary_topic(self) -> str:
        return self.topics[0]


class Link(Sourced):
    """How one clause bears on another (e.g. an obligation conditioning a right)."""

    id: Identifier
    from_: ClauseId = Field(alias="from")
    relation: LinkRelation
    to: ClauseId

    @model_validator(mode="after")
    def _not_self(self) -> Link:
        if self.from_ == self.to:
            raise ValueError("a link must join two different clauses")
        return self


class Reading(Entry):
    """A named, cited way of applying the texts, with fields an assessment can execute."""

    id: Identifier
    name: Text
    summary: Text
    rule: Text
    conditions: Conditioning = Field(description="none: the right is unconditioned; tolerance / "
                                     "epsilon: others' losses must stay within a parameter.")
    tolerance_param: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$")
    allows_offsets: bool
    indicators: list[Topic] = Field(default_factory=list)
    rests_on: Annotated[list[ClauseId], Field(min_length=1)]
    applies_links: list[Identifier] = Field(default_factory=list)
    sources: SourceRefs

    @model_validator(mode="after")
    def _parameter_matches_conditions(self) -> Reading:
        if self.conditions == "none" and self.tolerance_param is not None:
            raise ValueError("conditions: none takes no tolerance_param")
        if self.conditions != "none" and self.tolerance_param is None:
            raise ValueError(f"conditions: {self.conditions} needs a tolerance_param")
        return self


class Claim(Entry):
    """One source's date for an event."""

    date: dt.date
    date_precision: Precision = "day"
    source: Identifier
    note: str | None = None


class Event(Sourced):
    """A dated step of the record; where sources disagree on the date, every claim is kept."""

    id: Identifier
    date: dt.date = Field(description="Sort date; where claims disagree see claims.")
    date_precision: Precision = "day"
    end: dt.date | None = None
    title: Text
    kind: Literal["milestone", "exchange", "context"]
    actors: list[str] = Field(default_factory=list)
    summary: Text
    documents: list[DocumentId] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    discrepancy: bool = False

    @model_validator(mode="after")
    def _discrepancy_flagged(self) -> Event:
        dates = {c.date for c in self.claims}
        if len(dates) > 1 and not self.discrepancy:
            raise ValueError("the claims give different dates: set discrepancy: true and say "
                             "why in note")
        if self.discrepancy:
            if len(dates) < 2:
                raise ValueError("discrepancy: true needs at least two claims with different "
                                 "dates")
            if not (self.note and self.note.strip()):
                raise ValueError("discrepancy: true needs a note")
        if self.end is not None and self.end < self.date:
            raise ValueError(f"end {self.end} is before date {self.date}")
        return self


class Position(Sourced):
    """Who invokes which reading or clause, when, and according to whom."""

    id: Identifier
    actor: str = Field(min_length=2, max_length=40)
    speaker: str | None = None
    date: dt.date
    summary: Text
    readings: list[Identifier] = Field(default_factory=list)
    clauses: list[ClauseId] = Field(default_factory=list)
    documents: list[DocumentId] = Field(default_factory=list)
    event: Identifier | None = None
    reported_by: str | None = Field(None, description="Set when the position is known only "
                                    "through another actor's account of it.")
