"""Load and validate the register from YAML files.

A register file is a mapping with any of the collections in :data:`COLLECTIONS`, each a
list of entries (and an optional ``description``). The shipped register is every YAML
file in ``indivisible/data/register`` merged; a user may load another directory or file.
Ids are unique within a collection across all files, and every reference (document,
clause, link, reading, event, source) must resolve. Any problem is one
:class:`InputError` with the file, line and field; nothing is half-loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

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
from indivisible.register.register import Register
from indivisible.register.vocabulary import suggest
from indivisible.yamlio import LineDict, LineList, line_of, load_yaml_file

COLLECTIONS: dict[str, type[BaseModel]] = {
    "sources": Source,
    "documents": Document,
    "clauses": Clause,
    "links": Link,
    "readings": Reading,
    "events": Event,
    "positions": Position,
}
TOP_LEVEL = set(COLLECTIONS) | {"description"}


@dataclass(frozen=True)
class _Origin:
    file: str
    collection: str
    index: int
    raw: Any

    def where(self, *loc: Any) -> tuple[int | None, str]:
        """Line and dotted field path of ``loc`` inside this entry."""
        line = line_of(self.raw, loc) if loc else getattr(self.raw, "line", None)
        path = f"{self.collection}[{self.index}]"
        for part in loc:
            path += f"[{part}]" if isinstance(part, int) else f".{part}"
        return line, path

    def fail(self, message: str, *loc: Any) -> InputError:
        line, path = self.where(*loc)
        return InputError(message, file=self.file, line=line, field=path)


def _format_validation(exc: ValidationError) -> tuple[str, tuple[Any, ...]]:
    err = exc.errors()[0]
    loc = tuple(err.get("loc", ()))
    msg = str(err.get("msg", "invalid value"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if err.get("type") == "missing":
        msg = "required field is missing"
    elif err.get("type") == "extra_forbidden":
        msg = "unknown field"
    return msg, loc


class _Builder:
    def __init__(self) -> None:
        self.entries: dict[str, dict[str, BaseModel]] = {c: {} for c in COLLECTIONS}
        self.origins: dict[tuple[str, str], _Origin] = {}

    def add_file(self, path: Path, data: Any) -> None:
        file = str(path)
        if data is None:
            return
        if not isinstance(data, dict):
            raise InputError("a register file must be a mapping at the top level",
                             file=file, line=1)
        key_lines = data.key_lines if isinstance(data, LineDict) else {}
        for key, raw in data.items():
            line = key_lines.get(key)
            if key not in TOP_LEVEL:
                raise InputError(f"unknown section{suggest(key, TOP_LEVEL)}; expected one of "
                                 f"{', '.join(sorted(TOP_LEVEL))}", file=file, line=line,
                                 field=key)
            if key == "description":
                continue
            if not isinstance(raw, list):
                raise InputError(f"expected a list of entries, got {type(raw).__name__}",
                                 file=file, line=line, field=key)
            for i, item in enumerate(raw):
                self._add_entry(key, i, item, file,
                                raw.item_lines[i] if isinstance(raw, LineList) else line)

    def _add_entry(self, collection: str, i: int, item: Any, file: str,
                   line: int | None) -> None:
        origin = _Origin(file, collection, i, item)
        if not isinstance(item, dict):
            raise InputError("expected a mapping of fields", file=file, line=line,
                             field=f"{collection}[{i}]")
        try:
            entry = COLLECTIONS[collection].model_validate(dict(item))
        except ValidationError as exc:
            msg, loc = _format_validation(exc)
            raise origin.fail(msg, *loc) from None
        key = entry.id  # type: ignore[attr-defined]
        if key in self.entries[collection]:
            first = self.origins[(collection, key)]
            first_line, _ = first.where()
            raise origin.fail(f"duplicate id {key!r} (first at {first.file}:{first_line})", "id")
        self.entries[collection][key] = entry
        self.origins[(collection, key)] = origin

    # -- cross references ------------------------------------------------------------------

    def _need(self, collection: str, entry_id: str, target: str, value: str,
              *loc: Any) -> None:
        known = self.entries[target]
        if value not in known:
            kind = target[:-1]
            raise self.origins[(collection, entry_id)].fail(
                f"unknown {kind} {value!r}{suggest(value, known)}", *loc)

    def _need_all(self, collection: str, entry_id: str, target: str, values: Iterable[str],
                  field: str) -> None:
        for j, v in enumerate(values):
            self._need(collection, entry_id, target, v, field, j)

    def check(self) -> None:
        E = self.entries
        # Dependencies first, so the error names the root cause.
        for coll in ("documents", "clauses", "links", "readings", "events", "positions"):
            for eid, e in E[coll].items():
                self._need_all(coll, eid, "sources", e.sources, "sources")  # type: ignore[attr-defined]
        for did, d in E["documents"].items():
            assert isinstance(d, Document)
            self._need_all("documents", did, "documents", d.cites, "cites")
        for cid, c in E["clauses"].items():
            assert isinstance(c, Clause)
            self._need("clauses", cid, "documents", c.document, "document")
        for lid, lk in E["links"].items():
            assert isinstance(lk, Link)
            self._need("links", lid, "clauses", lk.from_, "from")
            self._need("links", lid, "clauses", lk.to, "to")
        for rid, r in E["readings"].items():
            assert isinstance(r, Reading)
            self._need_all("readings", rid, "clauses", r.rests_on, "rests_on")
            self._need_all("readings", rid, "links", r.applies_links, "applies_links")
        for eid, ev in E["events"].items():
            assert isinstance(ev, Event)
            self._need_all("events", eid, "documents", ev.documents, "documents")
            for k, claim in enumerate(ev.claims):
                self._need("events", eid, "sources", claim.source, "claims", k, "source")
        for pid, p in E["positions"].items():
            assert isinstance(p, Position)
            self._need_all("positions", pid, "readings", p.readings, "readings")
            self._need_all("positions", pid, "clauses", p.clauses, "clauses")
            self._need_all("positions", pid, "documents", p.documents, "documents")
            if p.event is not None:
                self._need("positions", pid, "events", p.event, "event")

    def build(self) -> Register:
        self.check()
        E = self.entries
        return Register(
            sources=dict(E["sources"]),  # type: ignore[arg-type]
            documents=dict(E["documents"]),  # type: ignore[arg-type]
            clauses=dict(E["clauses"]),  # type: ignore[arg-type]
            links=dict(E["links"]),  # type: ignore[arg-type]
            readings=dict(E["readings"]),  # type: ignore[arg-type]
            events=dict(E["events"]),  # type: ignore[arg-type]
            positions=dict(E["positions"]),  # type: ignore[arg-type]
        )


def shipped_files() -> list[Path]:
    root = resources.files("indivisible") / "data" / "register"
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith((".yaml", ".yml")))


def _files_of(path: str | Path | Sequence[str | Path]) -> list[Path]:
    paths = [path] if isinstance(path, str | Path) else list(path)
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml"))
            if not found:
                raise InputError("no .yaml files in this directory", file=p)
            out += found
        else:
            out.append(p)
    return out


def _build(files: list[Path]) -> Register:
    b = _Builder()
    for f in files:
        b.add_file(f, load_yaml_file(f))
    return b.build()


@lru_cache(maxsize=1)
def _shipped() -> Register:
    return _build(shipped_files())


def load_register(path: str | Path | Sequence[str | Path] | None = None) -> Register:
    """The shipped register (cached), or the register in ``path``: a file, a directory of
    YAML files, or a list of either, merged."""
    if path is None:
        return _shipped()
    return _build(_files_of(path))
