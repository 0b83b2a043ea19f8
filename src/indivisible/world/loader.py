"""Load, merge and validate scenario files into a :class:`World`.

A scenario file is YAML with any of the collections in ``COLLECTIONS`` (lists of
entries), an optional ``settings`` mapping, ``extends`` (``baseline``, the default,
or ``none``) and ``remove`` (collection -> keys to drop from what it extends). An entry
whose key equals one it extends replaces it. The shipped baseline is the same format,
split over several files in ``indivisible/data/baseline``.

Every problem is reported as an :class:`InputError` naming the file, the line and the
field; nothing is partially loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from indivisible.errors import InputError
from indivisible.world.entities import (
    Alliance,
    CapabilityRecord,
    Deployment,
    DyadOverride,
    Exercise,
    Membership,
    NeutralitySpell,
    Patrol,
    Rivalry,
    ScenarioSettings,
    State,
    System,
)
from indivisible.world.scenario import COLLECTIONS, World
from indivisible.yamlio import LineDict, LineList, line_of, load_yaml_file

MODELS: dict[str, type[BaseModel]] = {
    "states": State,
    "capabilities": CapabilityRecord,
    "neutrality": NeutralitySpell,
    "alliances": Alliance,
    "memberships": Membership,
    "rivalries": Rivalry,
    "systems": System,
    "deployments": Deployment,
    "exercises": Exercise,
    "patrols": Patrol,
    "overrides": DyadOverride,
}

#: The fields that identify an entry within its collection (for replace and remove).
KEYS: dict[str, tuple[str, ...]] = {
    "states": ("iso3",),
    "capabilities": ("iso3", "year"),
    "neutrality": ("iso3", "start"),
    "alliances": ("id",),
    "memberships": ("alliance", "iso3", "start"),
    "rivalries": ("a", "b", "start"),
    "systems": ("id",),
    "deployments": ("id",),
    "exercises": ("id",),
    "patrols": ("id",),
    "overrides": ("of", "to", "start"),
}

TOP_LEVEL = set(COLLECTIONS) | {"settings", "extends", "remove", "description"}


@dataclass(frozen=True)
class Origin:
    file: str
    line: int | None


def entry_key(collection: str, entry: BaseModel) -> tuple[Any, ...]:
    return tuple(str(getattr(entry, f)) for f in KEYS[collection])


def _format_validation(exc: ValidationError) -> tuple[str, tuple[Any, ...]]:
    err = exc.errors()[0]
    loc = tuple(err.get("loc", ()))
    msg = err.get("msg", "invalid value")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if err.get("type") == "missing":
        msg = "required field is missing"
    elif err.get("type") == "extra_forbidden":
        msg = "unknown field"
    return msg, loc


def _parse_entries(
    collection: str, raw: Any, file: str, top_line: int | None
) -> list[tuple[BaseModel, Origin]]:
    if not isinstance(raw, list):
        raise InputError(
            f"expected a list of entries, got {type(raw).__name__}",
            file=file,
            line=top_line,
            field=collection,
        )
    model = MODELS[collection]
    out: list[tuple[BaseModel, Origin]] = []
    for i, item in enumerate(raw):
        line = raw.item_lines[i] if isinstance(raw, LineList) else top_line
        if not isinstance(item, dict):
            raise InputError(
                "expected a mapping of fields", file=file, line=line, field=f"{collection}[{i}]"
            )
        try:
            entry = model.model_validate(dict(item))
        except ValidationError as exc:
            msg, loc = _format_validation(exc)
            field_path = ".".join(str(p) for p in loc)
            where = line_of(item, loc[:1]) or line
            raise InputError(
                msg,
                file=file,
                line=where,
                field=f"{collection}[{i}]" + (f".{field_path}" if field_path else ""),
            ) from None
        out.append((entry, Origin(file, line)))
    return out


class _Builder:
    """Accumulates entries from several files, remembering where each came from."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[tuple[Any, ...], BaseModel]] = {c: {} for c in COLLECTIONS}
        self.origins: dict[tuple[str, tuple[Any, ...]], Origin] = {}
        self.settings: dict[str, Any] = {}

    def add_file(self, path: Path, data: Any, *, replace: bool) -> None:
        file = str(path)
        if data is None:
            return
        if not isinstance(data, dict):
            raise InputError(
                "a scenario file must be a mapping at the top level", file=file, line=1
            )
        lines = data.key_lines if isinstance(data, LineDict) else {}
        for key in data:
            if key not in TOP_LEVEL:
                raise InputError(
                    f"unknown section; expected one of {', '.join(sorted(TOP_LEVEL))}",
                    file=file,
                    line=lines.get(key),
                    field=key,
                )
        if "remove" in data:
            self._remove(file, data["remove"], lines.get("remove"))
        if "settings" in data:
            raw = data["settings"]
            if not isinstance(raw, dict):
                raise InputError(
                    "expected a mapping", file=file, line=lines.get("settings"), field="settings"
                )
            merged = {**self.settings, **dict(raw)}
            try:
                ScenarioSettings.model_validate(merged)
            except ValidationError as exc:
                msg, loc = _format_validation(exc)
                raise InputError(
                    msg,
                    file=file,
                    line=line_of(raw, loc[:1]) or lines.get("settings"),
                    field="settings." + ".".join(str(p) for p in loc),
                ) from None
            self.settings = merged
        for collection in COLLECTIONS:
            if collection not in data:
                continue
            seen_here: set[tuple[Any, ...]] = set()
            for entry, origin in _parse_entries(
                collection, data[collection], file, lines.get(collection)
            ):
                key = entry_key(collection, entry)
                if key in seen_here or (not replace and key in self.entries[collection]):
                    first = self.origins.get((collection, key))
                    also = f" (first at {first.file}:{first.line})" if first else ""
                    raise InputError(
                        f"duplicate entry {'/'.join(key)}{also}",
                        file=file,
                        line=origin.line,
                        field=collection,
                    )
                seen_here.add(key)
                self.entries[collection][key] = entry
                self.origins[(collection, key)] = origin

    def _remove(self, file: str, raw: Any, line: int | None) -> None:
        if not isinstance(raw, dict):
            raise InputError(
                "expected a mapping of collection -> keys", file=file, line=line, field="remove"
            )
        for collection, keys in raw.items():
            kline = raw.key_lines.get(collection, line) if isinstance(raw, LineDict) else line
            if collection not in KEYS:
                raise InputError(
                    "unknown collection", file=file, line=kline, field=f"remove.{collection}"
                )
            if not isinstance(keys, list):
                raise InputError(
                    "expected a list", file=file, line=kline, field=f"remove.{collection}"
                )
            for k in keys:
                key = (
                    tuple(str(k[f]) for f in KEYS[collection]) if isinstance(k, dict) else (str(k),)
                )
                if key not in self.entries[collection]:
                    raise InputError(
                        f"nothing to remove: no entry {'/'.join(key)}",
                        file=file,
                        line=kline,
                        field=f"remove.{collection}",
                    )
                del self.entries[collection][key]

    def where(self, collection: str, entry: BaseModel) -> Origin:
        return self.origins.get(
            (collection, entry_key(collection, entry)), Origin("<scenario>", None)
        )

    def build(self) -> World:
        world = World(
            settings=ScenarioSettings.model_validate(self.settings),
            **{c: tuple(self.entries[c].values()) for c in COLLECTIONS},
        )
        self._check_references(world)
        return world

    def check_geography(self, world: World, only: list[State]) -> None:
        """A state added to the baseline needs a territory for distances and coverage."""
        from indivisible.world import geo

        for s in only:
            try:
                geo.territory(s.iso3, world.settings.crimea)
            except InputError as exc:
                self._fail("states", s, "iso3", exc.message)

    def _fail(self, collection: str, entry: BaseModel, field: str, message: str) -> None:
        origin = self.where(collection, entry)
        raise InputError(message, file=origin.file, line=origin.line, field=f"{collection}.{field}")

    def _check_references(self, world: World) -> None:
        states = set(world.state_by_iso3)
        alliances = set(world.alliance_by_id)
        systems = set(world.system_by_id)

        def need_state(collection: str, entry: BaseModel, field: str, value: str) -> None:
            if value not in states:
                self._fail(
                    collection,
                    entry,
                    field,
                    f"unknown state {value!r} (not an ISO3 code in the scenario)",
                )

        for c in ("capabilities", "neutrality"):
            for e in getattr(world, c):
                need_state(c, e, "iso3", e.iso3)
        for m in world.memberships:
            need_state("memberships", m, "iso3", m.iso3)
            if m.alliance not in alliances:
                self._fail("memberships", m, "alliance", f"unknown alliance {m.alliance!r}")
        for r in world.rivalries:
            for f in ("a", "b"):
                if getattr(r, f) not in alliances:
                    self._fail("rivalries", r, f, f"unknown alliance {getattr(r, f)!r}")
        for s in world.systems:
            if s.owner is not None:
                need_state("systems", s, "owner", s.owner)
        for d in world.deployments:
            need_state("deployments", d, "owner", d.owner)
            need_state("deployments", d, "host", d.host)
            if d.system not in systems:
                self._fail("deployments", d, "system", f"unknown system {d.system!r}")
        for x in world.exercises:
            for c in (*x.conducted_by, *x.hosts):
                need_state("exercises", x, "conducted_by", c)
        for p in world.patrols:
            need_state("patrols", p, "owner", p.owner)
            need_state("patrols", p, "near", p.near)
        for o in world.overrides:
            need_state("overrides", o, "of", o.of)
            need_state("overrides", o, "to", o.to)
        # A membership spell may not overlap another of the same state in the same alliance.
        by_pair: dict[tuple[str, str], list[Membership]] = {}
        for m in world.memberships:
            by_pair.setdefault((m.alliance, m.iso3), []).append(m)
        for spells in by_pair.values():
            spells.sort(key=lambda m: m.start)
            for prev, nxt in zip(spells, spells[1:], strict=False):
                if prev.end is None or nxt.start < prev.end:
                    self._fail(
                        "memberships",
                        nxt,
                        "start",
                        f"membership of {nxt.iso3} in {nxt.alliance} from {nxt.start} overlaps "
                        f"the spell from {prev.start}",
                    )


def check_territories(path: str | Path, world: World) -> None:
    """Every state of ``world`` (loaded from ``path``) must have a Natural Earth territory."""
    from indivisible.world import geo

    data = load_yaml_file(path)
    lines: dict[str, int] = {}
    states = data.get("states") if isinstance(data, dict) else None
    if isinstance(states, LineList):
        for item, line in zip(states, states.item_lines, strict=True):
            if isinstance(item, dict) and "iso3" in item:
                lines[str(item["iso3"])] = line
    for s in world.states:
        try:
            geo.territory(s.iso3, world.settings.crimea)
        except InputError as exc:
            raise InputError(exc.message, file=path if s.iso3 in lines else None,
                             line=lines.get(s.iso3), field="states.iso3") from None


def baseline_files() -> list[Path]:
    root = resources.files("indivisible") / "data" / "baseline"
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith((".yaml", ".yml")))


@lru_cache(maxsize=1)
def load_baseline() -> World:
    """The shipped Europe 1990–2024 scenario."""
    b = _Builder()
    for path in baseline_files():
        b.add_file(path, load_yaml_file(path), replace=False)
    return b.build()


def load_scenario(path: str | Path | None = None) -> World:
    """The baseline, or a user's scenario file (which extends the baseline unless it says not)."""
    if path is None:
        return load_baseline()
    p = Path(path)
    data = load_yaml_file(p)
    extends = "baseline"
    if isinstance(data, dict) and "extends" in data:
        extends = data["extends"]
        if extends not in ("baseline", "none"):
            line = data.key_lines.get("extends") if isinstance(data, LineDict) else None
            raise InputError("expected 'baseline' or 'none'", file=p, line=line, field="extends")
    b = _Builder()
    if extends == "baseline":
        for bp in baseline_files():
            b.add_file(bp, load_yaml_file(bp), replace=False)
    b.add_file(p, data, replace=True)
    world = b.build()
    if extends == "baseline":
        known = set(load_baseline().state_by_iso3)
        b.check_geography(world, only=[s for s in world.states if s.iso3 not in known])
    return world
