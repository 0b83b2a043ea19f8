"""Menus: the measures a search may combine into packages.

A menu is a YAML file (shipped menus live in ``indivisible/data/menus/``)::

    id: my-menu                       # identifier (letters, digits, _ . : -)
    description: What the menu is for.
    measures:
      - id: withdraw-iskander         # each measure: an id and exactly one of
        action: {kind: withdraw, deployments: [iskander-m-kaliningrad]}   # an action mapping
      - id: ukraine-in-nato
        case: ukraine-joins-nato      # a case of the action library
      - id: no-missiles
        proposal: nato-draft-art5     # an item of the 2021 drafts or the 2022 replies
      - from_proposals: [us-reply-2022]   # every item of these documents that has an action

``description`` is optional everywhere; a measure's ``description`` replaces its label.
An ``action`` is any mapping ``indivisible assess`` accepts (see
``data/actions/library.yaml``). Proposal items are the ones ``provisions/proposals.py``
builds from the world as it stood when the drafts were handed over (15 Dec 2021); an item
that changes no force has no action, is refused when named and listed as skipped when a
whole document is taken. A package applies its measures to the world in menu order.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from indivisible.actions import BaseAction, Composite, parse_action
from indivisible.errors import InputError
from indivisible.world.scenario import World
from indivisible.yamlio import LineDict, LineList, load_yaml_file

#: A package is a set of measures held as bits of a 64-bit integer.
MAX_MEASURES = 62
MENU_KEYS = ("id", "description", "measures")
SOURCES = ("action", "case", "proposal", "from_proposals")
MEASURE_KEYS = ("id", "description", *SOURCES)
_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,120}$")


@dataclass(frozen=True)
class Measure:
    """One entry of a menu: an action with an id, a label and where it comes from."""

    id: str
    action: BaseAction
    label: str
    origin: str  # "action", "case:NAME" or "proposal:ID"
    sources: tuple[str, ...] = ()

    def payload(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "origin": self.origin,
                "sources": list(self.sources)}


@dataclass(frozen=True)
class Menu:
    id: str
    description: str
    measures: tuple[Measure, ...]
    path: str | None = None
    skipped: tuple[dict[str, str], ...] = field(default=())

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.measures)

    def digest(self) -> str:
        """A hash of what the measures do (ids and actions), to recognise a saved run."""
        text = json.dumps([[m.id, m.action.model_dump(mode="json")] for m in self.measures],
                          sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def indices(self, ids: Sequence[str]) -> list[int]:
        pos = {m: i for i, m in enumerate(self.ids)}
        unknown = [i for i in ids if i not in pos]
        if unknown:
            raise InputError(f"unknown measure(s) {', '.join(unknown)} in menu {self.id!r}",
                             field="measures")
        return sorted(pos[i] for i in ids)

    def package_action(self, ids: Sequence[str]) -> BaseAction:
        """The package as one action: its measures' actions in menu order."""
        chosen = [self.measures[i] for i in self.indices(ids)]
        if not chosen:
            raise InputError("an empty package changes nothing; there is no action to build",
                             field="measures")
        return Composite(
            actions=tuple(m.action for m in chosen),
            id=f"package-{self.id}"[:120] if _ID.match(f"package-{self.id}") else None,
            description=f"Package of menu {self.id}: " + ", ".join(m.id for m in chosen),
        )


def menus_dir() -> Path:
    return Path(str(resources.files("indivisible") / "data" / "menus"))


def shipped_menus() -> list[str]:
    return sorted(p.stem for p in menus_dir().glob("*.yaml"))


def _line(node: Any, key: str | None = None) -> int | None:
    if key is not None and isinstance(node, LineDict):
        return node.key_lines.get(key, node.line)
    return getattr(node, "line", None)


def _text(node: Any, key: str, file: str, where: str) -> str:
    value = node.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError("expected text", file=file, line=_line(node, key), field=where)
    return value.strip()


class _Proposals:
    """The proposal items, built once and only if the menu names one."""

    def __init__(self, world: World | None) -> None:
        self.world = world
        self._items: dict[str, Any] | None = None

    def items(self) -> dict[str, Any]:
        if self._items is None:
            from indivisible.provisions.proposals import proposal_items

            built = proposal_items() if self.world is None else proposal_items(self.world)
            self._items = {i.id: i for i in built}
        return self._items


def _proposal_measure(item: Any, mid: str, label: str) -> Measure:
    return Measure(id=mid, action=item.action, label=label or f"{item.title} ({item.clause})",
                   origin=f"proposal:{item.id}", sources=(item.clause,))


def _parse_measure(raw: Any, i: int, file: str, line: int | None, proposals: _Proposals
                   ) -> tuple[list[Measure], list[dict[str, str]]]:
    where = f"measures[{i}]"
    if not isinstance(raw, dict):
        raise InputError("expected a mapping with an id and one of " + ", ".join(SOURCES),
                         file=file, line=line, field=where)
    for key in raw:
        if key not in MEASURE_KEYS:
            raise InputError(f"unknown field; expected one of {', '.join(MEASURE_KEYS)}",
                             file=file, line=_line(raw, key), field=f"{where}.{key}")
    given = [k for k in SOURCES if k in raw]
    if len(given) != 1:
        what = "none" if not given else ", ".join(given)
        raise InputError(f"expected exactly one of {', '.join(SOURCES)}, got {what}",
                         file=file, line=line, field=where)
    kind = given[0]
    label = _text(raw, "description", file, f"{where}.description")
    if kind == "from_proposals":
        if "id" in raw:
            raise InputError("from_proposals makes one measure per item, named by the item's "
                             "id; remove this id", file=file, line=_line(raw, "id"),
                             field=f"{where}.id")
        return _expand_documents(raw["from_proposals"], file, _line(raw, kind),
                                 f"{where}.from_proposals", proposals)
    if "id" not in raw:
        raise InputError("required field is missing", file=file, line=line, field=f"{where}.id")
    mid = raw["id"]
    if not isinstance(mid, str) or not _ID.match(mid):
        raise InputError("expected an identifier (letters, digits, _ . : -)", file=file,
                         line=_line(raw, "id"), field=f"{where}.id")
    value, vline = raw[kind], _line(raw, kind)
    if kind == "action":
        action = parse_action(value, file, vline, field=f"{where}.action")
        return [Measure(id=mid, action=action, label=label or action.label(),
                        origin="action", sources=(action.source,))], []
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"expected the name of a {kind}", file=file, line=vline,
                         field=f"{where}.{kind}")
    if kind == "case":
        from indivisible.actions import library

        lib = library()
        if value not in lib:
            close = difflib.get_close_matches(value, list(lib), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else \
                f"; known cases: {', '.join(sorted(lib))}"
            raise InputError(f"unknown case {value!r}{hint}", file=file, line=vline,
                             field=f"{where}.case")
        case = lib[value]
        return [Measure(id=mid, action=case.action, label=label or case.description,
                        origin=f"case:{value}", sources=case.sources)], []
    items = proposals.items()
    if value not in items:
        close = difflib.get_close_matches(value, list(items), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else \
            f"; known items: {', '.join(items)}"
        raise InputError(f"unknown proposal item {value!r}{hint}", file=file, line=vline,
                         field=f"{where}.proposal")
    item = items[value]
    if item.action is None:
        raise InputError(f"proposal item {value!r} changes no force, so it cannot be a measure: "
                         f"{item.reason}", file=file, line=vline, field=f"{where}.proposal")
    return [_proposal_measure(item, mid, label)], []


def _expand_documents(value: Any, file: str, line: int | None, where: str,
                      proposals: _Proposals) -> tuple[list[Measure], list[dict[str, str]]]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise InputError("expected a list of document ids (e.g. draft-us-russia-2021)",
                         file=file, line=line, field=where)
    items = list(proposals.items().values())
    documents = sorted({i.document for i in items})
    unknown = [d for d in value if d not in documents]
    if unknown:
        raise InputError(f"unknown document(s) {', '.join(unknown)}; items exist for "
                         f"{', '.join(documents)}", file=file, line=line, field=where)
    measures, skipped = [], []
    for item in items:
        if item.document not in value:
            continue
        if item.action is None:
            skipped.append({"id": item.id, "document": item.document, "reason": item.reason})
        else:
            measures.append(_proposal_measure(item, item.id, ""))
    return measures, skipped


def parse_menu(data: Any, file: str, world: World | None = None) -> Menu:
    """Validate a menu's YAML data; every error names the file, line and field."""
    if not isinstance(data, dict):
        raise InputError("a menu must be a mapping with id, description and measures",
                         file=file, line=1)
    for key in data:
        if key not in MENU_KEYS:
            raise InputError(f"unknown section; expected one of {', '.join(MENU_KEYS)}",
                             file=file, line=_line(data, key), field=key)
    for key in ("id", "measures"):
        if key not in data:
            raise InputError("required field is missing", file=file, line=1, field=key)
    mid = data["id"]
    if not isinstance(mid, str) or not _ID.match(mid):
        raise InputError("expected an identifier (letters, digits, _ . : -)", file=file,
                         line=_line(data, "id"), field="id")
    raw = data["measures"]
    if not isinstance(raw, list) or not raw:
        raise InputError("expected a non-empty list of measures", file=file,
                         line=_line(data, "measures"), field="measures")
    proposals = _Proposals(world)
    measures: list[Measure] = []
    skipped: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        line = raw.item_lines[i] if isinstance(raw, LineList) else None
        got, skip = _parse_measure(item, i, file, line, proposals)
        for m in got:
            if m.id in seen:
                raise InputError(f"measure {m.id!r} is already defined (measures[{seen[m.id]}])",
                                 file=file, line=line, field=f"measures[{i}].id")
            seen[m.id] = i
        measures += got
        skipped += skip
    if not measures:
        raise InputError("the menu has no measure with an action", file=file,
                         line=_line(data, "measures"), field="measures")
    if len(measures) > MAX_MEASURES:
        raise InputError(f"{len(measures)} measures; a menu holds at most {MAX_MEASURES}",
                         file=file, line=_line(data, "measures"), field="measures")
    return Menu(id=mid, description=_text(data, "description", file, "description"),
                measures=tuple(measures), path=file, skipped=tuple(skipped))


def load_menu(ref: str | Path, world: World | None = None) -> Menu:
    """A shipped menu by id, or a menu file. ``world``: build proposal items from it instead
    of the baseline (for scenarios)."""
    text = str(ref)
    shipped = menus_dir() / f"{text}.yaml"
    p = Path(text)
    if p.suffix not in (".yaml", ".yml") and not p.exists():
        if not shipped.is_file():
            known = shipped_menus()
            close = difflib.get_close_matches(text, known, n=2)
            hint = f"did you mean {', '.join(close)}?" if close else \
                f"shipped menus: {', '.join(known)}"
            raise InputError(f"unknown menu {text!r} (not a shipped menu or a file); {hint}",
                             field="--menu")
        p = shipped
    data = load_yaml_file(p)
    return parse_menu(data, str(p), world)
