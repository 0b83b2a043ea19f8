"""The world at a date as plain data: what ``indivisible world`` prints."""

from __future__ import annotations

from typing import Any

from indivisible.output import Section
from indivisible.world.scenario import Snapshot


def summarise(snap: Snapshot) -> dict[str, Any]:
    """The JSON contract of ``indivisible world``."""
    states = []
    for s in snap.states:
        cap = snap.capability(s.iso3)
        neutral = snap.neutral(s.iso3)
        states.append(
            {
                "iso3": s.iso3,
                "name": s.name,
                "capital": s.capital,
                "alliances": list(snap.alliances_of(s.iso3)),
                "neutral": neutral.kind if neutral else None,
                "milex_usd_m": cap.milex_usd_m if cap else None,
                "personnel": cap.personnel if cap else None,
                "warheads": cap.warheads if cap else None,
                "capability_year": cap.year if cap else None,
            }
        )
    deployments = [
        {
            "id": d.id,
            "owner": d.owner,
            "host": d.host,
            "site": d.site,
            "lat": d.lat,
            "lon": d.lon,
            "system": d.system,
            "count": d.count,
            "unit": d.unit,
            "start": d.start.isoformat(),
            "end": d.end.isoformat() if d.end else None,
            "source": d.source,
            "confidence": d.confidence,
        }
        for d in snap.deployments
    ]
    return {
        "date": snap.date.isoformat(),
        "scenario": snap.settings.title,
        "settings": snap.settings.model_dump(mode="json"),
        "states": states,
        "alliances": {k: list(v) for k, v in snap.members_by_alliance.items()},
        "deployments": deployments,
        "exercises": [
            {
                "id": e.id,
                "name": e.name,
                "conducted_by": list(e.conducted_by),
                "start": e.start.isoformat(),
                "end": e.end.isoformat() if e.end else None,
                "troops": e.troops,
                "notified_troops": e.notified_troops,
                "reported_troops": e.reported_troops,
            }
            for e in snap.exercises
        ],
    }


def sections(data: dict[str, Any]) -> list[Section]:
    alliances = Section(
        "Alliances",
        ["alliance", "members", "count"],
        [[k, " ".join(v), len(v)] for k, v in data["alliances"].items()],
    )
    states = Section(
        "States",
        ["iso3", "name", "alliances", "neutral", "milex US$m", "personnel", "warheads"],
        [
            [
                s["iso3"],
                s["name"],
                s["alliances"],
                s["neutral"],
                s["milex_usd_m"],
                s["personnel"],
                s["warheads"],
            ]
            for s in data["states"]
        ],
        note="Missing figures (—) are missing in the sources, not zero.",
    )
    deps = Section(
        "Deployments",
        ["id", "owner", "host", "site", "system", "count", "unit", "since"],
        [
            [
                d["id"],
                d["owner"],
                d["host"],
                d["site"],
                d["system"],
                d["count"],
                d["unit"],
                d["start"],
            ]
            for d in data["deployments"]
        ],
    )
    ex = Section(
        "Exercises under way",
        ["id", "name", "by", "troops", "notified", "reported"],
        [
            [
                e["id"],
                e["name"],
                e["conducted_by"],
                e["troops"],
                e["notified_troops"],
                e["reported_troops"],
            ]
            for e in data["exercises"]
        ],
    )
    return [alliances, states, deps, ex]
