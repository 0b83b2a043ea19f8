"""Where incidents come from: close approaches and exercises near the other side.

An *activity* is one patrol or exercise of state ``actor`` near state ``target``, at a
distance and with a size (patrol units, or exercising troops). Its yearly incident rate is

    rate = incident_rate * size_units * exp(-distance / scale)

with the patrol or exercise scale, and every activity of a dyad adds up; incidents belong to
the unordered dyad {actor, target}. Measures enter before the exponential (a minimum approach
distance raises a patrol's distance; an exercise ceiling inside the zone cuts its size) and
after it (incident prevention scales the whole rate down).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from indivisible.dynamics.measures import Measures


@dataclass(frozen=True)
class Activity:
    """A patrol or an exercise of ``actor`` near ``target`` (state-axis indices)."""

    kind: Literal["patrol", "exercise"]
    actor: int
    target: int
    distance_km: float
    size: float  # patrol units, or troops
    label: str = ""


@dataclass(frozen=True)
class IncidentRates:
    """Incident-prone dyads and their yearly rates for each run."""

    pairs: np.ndarray  # (P, 2) int, i < j
    rates: np.ndarray  # (R, P) incidents per year

    @property
    def empty(self) -> bool:
        return self.pairs.shape[0] == 0


def effective_activity(act: Activity, measures: Measures) -> tuple[float, float]:
    """(distance, size) after the measures' approach floor and exercise ceiling."""
    distance, size = act.distance_km, act.size
    if act.kind == "patrol" and measures.min_approach_km is not None:
        distance = max(distance, measures.min_approach_km)
    if act.kind == "exercise" and measures.exercise_max_troops is not None:
        zone = measures.exercise_zone_km
        if zone is None or distance <= zone:
            size = min(size, measures.exercise_max_troops)
    return distance, size


def incident_rates(
    activities: list[Activity] | tuple[Activity, ...],
    measures: Measures,
    *,
    incident_rate: np.ndarray,
    approach_scale_km: np.ndarray,
    exercise_scale_km: np.ndarray,
    exercise_troops_unit: np.ndarray,
    prevention_efficacy: np.ndarray,
) -> IncidentRates:
    """Yearly incident rates per dyad, one row per run (parameter arrays are (R,))."""
    runs = np.asarray(incident_rate).shape[0]
    index: dict[tuple[int, int], int] = {}
    for act in activities:
        if act.actor == act.target:
            continue
        key = (min(act.actor, act.target), max(act.actor, act.target))
        index.setdefault(key, len(index))
    pairs = np.array(sorted(index, key=index.__getitem__), dtype=int).reshape(-1, 2)
    rates = np.zeros((runs, len(index)))
    for act in activities:
        if act.actor == act.target:
            continue
        col = index[(min(act.actor, act.target), max(act.actor, act.target))]
        distance, size = effective_activity(act, measures)
        if act.kind == "patrol":
            rates[:, col] += size * np.exp(-distance / approach_scale_km)
        else:
            rates[:, col] += size / exercise_troops_unit * np.exp(-distance / exercise_scale_km)
    scale = incident_rate * (1.0 - prevention_efficacy * measures.incident_prevention)
    return IncidentRates(pairs=pairs, rates=rates * scale[:, None])
