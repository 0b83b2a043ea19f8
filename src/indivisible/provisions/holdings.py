"""Which weapon-system classes a party holds on a date.

Some provisions are about possession (INF Art. I: eliminate and never have again), not
deployment, and a world need not record every missile's base. A party holds a system when
it has an active deployment of it, or when the service spell in
``data/provisions/holdings.yaml`` covers the date. A system owned by the party with neither
is counted as held at every date, and said so, because silently dropping it would hide a
possible violation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from indivisible.errors import InputError
from indivisible.world.entities import ISO3, Identifier, System
from indivisible.world.scenario import Snapshot
from indivisible.yamlio import LineList, load_yaml_file


class Holding(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    system: Identifier
    owner: ISO3
    start: dt.date | None = None
    end: dt.date | None = None
    source: str = Field(min_length=3)
    confidence: Literal["confirmed", "approximate", "unconfirmed"]
    note: str | None = None

    def active(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


@dataclass(frozen=True)
class Held:
    system: System
    basis: Literal["deployment", "service", "undated"]
    evidence: str


def holdings_path() -> Path:
    return Path(str(resources.files("indivisible") / "data" / "provisions" / "holdings.yaml"))


@lru_cache(maxsize=1)
def holdings() -> tuple[Holding, ...]:
    path = holdings_path()
    data = load_yaml_file(path)
    raw = data.get("holdings", []) if isinstance(data, dict) else []
    out = []
    for i, item in enumerate(raw):
        line = raw.item_lines[i] if isinstance(raw, LineList) else None
        try:
            out.append(Holding.model_validate(dict(item)))
        except ValidationError as exc:
            err = exc.errors()[0]
            raise InputError(str(err.get("msg")), file=path, line=line,
                             field=f"holdings[{i}]." + ".".join(map(str, err.get("loc", ())))
                             ) from None
    return tuple(out)


def held_by(snap: Snapshot, party: str) -> list[Held]:
    """The system classes ``party`` holds on the snapshot's date, with the basis for each."""
    out: dict[str, Held] = {}
    for d in snap.deployments:
        if d.owner == party and d.system in snap.world.system_by_id:
            held = Held(snap.system(d.system), "deployment", f"deployment {d.id}")
            out.setdefault(d.system, held)
    spells: dict[str, list[Holding]] = {}
    for h in holdings():
        if h.owner == party:
            spells.setdefault(h.system, []).append(h)
    for system in snap.systems:
        if system.id in out:
            continue
        mine = spells.get(system.id)
        if mine:
            active = [h for h in mine if h.active(snap.date)]
            if active:
                h = active[0]
                span = f"{h.start or '…'} to {h.end or '…'}"
                out[system.id] = Held(system, "service", f"in service {span} ({h.confidence})")
        elif system.owner == party:
            out[system.id] = Held(system, "undated", "owner of the class; no service dates known")
    return list(out.values())
