"""The loaded register and the questions asked of it.

Plain data with a few queries: which clauses a document holds, how two documents
differ topic by topic (the heart of the 2022 dispute: Paris 1990 states the free
choice, Istanbul 1999 states it together with the obligation), and the dated record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from indivisible.errors import InputError
from indivisible.register.models import (
    Clause,
    Document,
    Event,
    Link,
    Position,
    Reading,
    Source,
)
from indivisible.register.vocabulary import CLAUSE_KINDS, TOPICS, suggest


@dataclass(frozen=True)
class Register:
    sources: dict[str, Source]
    documents: dict[str, Document]
    clauses: dict[str, Clause]
    links: dict[str, Link]
    readings: dict[str, Reading]
    events: dict[str, Event]
    positions: dict[str, Position]

    # -- look-ups that fail with a hint -------------------------------------------------

    def document(self, id: str) -> Document:
        if id not in self.documents:
            raise InputError(f"unknown document {id!r}{suggest(id, self.documents)}",
                             field="document")
        return self.documents[id]

    def clause(self, id: str) -> Clause:
        if id not in self.clauses:
            raise InputError(f"unknown clause {id!r}{suggest(id, self.clauses)}", field="clause")
        return self.clauses[id]

    def reading(self, id: str) -> Reading:
        if id not in self.readings:
            raise InputError(f"unknown reading {id!r}{suggest(id, self.readings)}",
                             field="reading")
        return self.readings[id]

    # -- queries --------------------------------------------------------------------------

    def clauses_for(
        self, document: str | None = None, topic: str | None = None, kind: str | None = None
    ) -> list[Clause]:
        """Clauses matching every given filter, in register order."""
        if document is not None:
            self.document(document)
        if topic is not None and topic not in TOPICS:
            raise InputError(f"unknown topic {topic!r}{suggest(topic, TOPICS)}", field="topic")
        if kind is not None and kind not in CLAUSE_KINDS:
            raise InputError(f"unknown kind {kind!r}; expected one of {', '.join(CLAUSE_KINDS)}",
                             field="kind")
        return [
            c for c in self.clauses.values()
            if (document is None or c.document == document)
            and (topic is None or topic in c.topics)
            and (kind is None or c.kind == kind)
        ]

    def topics_of(self, document: str) -> set[str]:
        return {t for c in self.clauses_for(document=document) for t in c.topics}

    def links_between(self, *documents: str) -> list[Link]:
        """Links whose two clauses both belong to the given documents."""
        docs = set(documents)
        return [
            lk for lk in self.links.values()
            if self.clauses[lk.from_].document in docs and self.clauses[lk.to].document in docs
        ]

    def describe_link(self, link: Link) -> str:
        """'no-detriment conditions free-choice': the link in terms of main topics."""
        a, b = self.clauses[link.from_], self.clauses[link.to]
        return f"{a.primary_topic} {link.relation} {b.primary_topic}"

    def compare(self, doc_a: str, doc_b: str) -> dict[str, Any]:
        """Topic by topic, which clauses each document has, and the links between them."""
        a, b = self.document(doc_a), self.document(doc_b)
        ta, tb = self.topics_of(a.id), self.topics_of(b.id)

        def side(doc: Document, topics: set[str]) -> dict[str, Any]:
            return {
                "id": doc.id, "title": doc.title, "date": doc.date.isoformat(),
                "status": doc.status, "topics": sorted(topics),
                "clauses": [c.id for c in self.clauses_for(document=doc.id)],
            }

        by_topic = []
        for topic in sorted(ta | tb):
            by_topic.append({
                "topic": topic,
                a.id: [c.id for c in self.clauses_for(document=a.id, topic=topic)],
                b.id: [c.id for c in self.clauses_for(document=b.id, topic=topic)],
            })
        links = [
            {"id": lk.id, "from": lk.from_, "relation": lk.relation, "to": lk.to,
             "summary": self.describe_link(lk), "confirmed": lk.confirmed, "note": lk.note}
            for lk in self.links_between(a.id, b.id)
        ]
        return {
            "documents": [side(a, ta), side(b, tb)],
            "both": sorted(ta & tb),
            "only": {a.id: sorted(ta - tb), b.id: sorted(tb - ta)},
            "by_topic": by_topic,
            "links": links,
        }

    def timeline(self, start: dt.date | None = None, end: dt.date | None = None) -> list[Event]:
        """Events from ``start`` to ``end`` inclusive, by date.

        An event whose claims disagree is included when any claimed date falls in the window,
        so filtering never hides one side of a discrepancy.
        """
        def in_window(d: dt.date) -> bool:
            return (start is None or d >= start) and (end is None or d <= end)

        chosen = [
            e for e in self.events.values()
            if in_window(e.date) or any(in_window(c.date) for c in e.claims)
        ]
        return sorted(chosen, key=lambda e: (e.date, e.id))

    def positions_of(self, actor: str | None = None, reading: str | None = None) -> list[Position]:
        if reading is not None:
            self.reading(reading)
        return sorted(
            (p for p in self.positions.values()
             if (actor is None or p.actor == actor) and (reading is None or reading in p.readings)),
            key=lambda p: (p.date, p.id),
        )

    def citation(self, source_ids: list[str]) -> str:
        """Short human citation: 'outlet, date' for each source."""
        out = []
        for sid in source_ids:
            s = self.sources[sid]
            out.append(f"{s.outlet} ({s.date})")
        return "; ".join(out)
