"""From the world and the security model to the arrays the spiral and the games run on.

This is the only place where the consequences layer reads the model: it sums each
element's threat and protection by the element's owner into (N, N) matrices, takes each
state's starting strength from the elements' strength factor, and turns the patrols and
exercises of the year up to the date into incident-prone activities.

Stated choices:

- the activity pattern is that of the 365 days up to the date (patrols and exercises whose
  spell overlaps that window), taken to recur every year of the simulation;
- an exercise concerns every state its conducting states threaten (``T[target, actor] > 0``)
  within ``MAX_EXERCISE_KM`` of the exercise's centre; its distance is from that centre to
  the target's territory (the radius in the data is a rough convention covering scattered
  ranges, so the centre stands for the exercise); a multinational exercise's troops are split
  equally between its conducting states;
- a patrol concerns the state it approached, at its recorded closest approach.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from indivisible.dynamics.incidents import Activity
from indivisible.dynamics.spiral import SpiralSystem
from indivisible.world.scenario import Snapshot, World

Array = NDArray[np.float64]

#: Exercises farther than this from a state's territory are not counted for it.
MAX_EXERCISE_KM = 1500.0
#: Capital-to-exercise distance beyond which the territory distance is not even computed.
PREFILTER_KM = 3500.0


@dataclass(frozen=True)
class OwnerMatrices:
    """What each owner's forces do to each state, at one date."""

    iso3: tuple[str, ...]
    threat: Array  # (N, N): T[i, j]
    protection: Array  # (N, N): D[i, j]
    strength: Array  # (N,): each owner's total element strength
    security: Array  # (N,): the model's security (a check: D.sum / (D.sum + T.sum))


def owner_matrices(evaluation: Any) -> OwnerMatrices:
    """Sum an :class:`~indivisible.security.Evaluation`'s elements by owner."""
    es = evaluation.elements
    n = len(evaluation.iso3)
    owner = np.asarray(es.owner_idx, dtype=int)
    t_by = np.asarray(evaluation.threat_by_element, dtype=float)  # (E, N)
    d_by = np.asarray(evaluation.protection_by_element, dtype=float)
    t = np.zeros((n, n))
    d = np.zeros((n, n))
    np.add.at(t, owner, t_by)  # t[j, i]
    np.add.at(d, owner, d_by)
    strength = np.zeros(n)
    s = np.asarray(evaluation.factors["strength"], dtype=float).reshape(len(owner), -1)[:, 0]
    np.add.at(strength, owner, s)
    return OwnerMatrices(tuple(evaluation.iso3), t.T.copy(), d.T.copy(), strength,
                         np.asarray(evaluation.security, dtype=float))


def _overlaps(start: dt.date, end: dt.date | None, lo: dt.date, hi: dt.date) -> bool:
    return start <= hi and (end is None or end > lo)


def activities(
    world: World,
    date: dt.date,
    iso3: tuple[str, ...],
    threat: Array,
    *,
    window_days: int = 365,
    geography: Any = None,
    crimea: str = "UKR",
) -> tuple[Activity, ...]:
    """Patrols and exercises of the year up to ``date`` as incident-prone activities."""
    index = {c: i for i, c in enumerate(iso3)}
    lo = date - dt.timedelta(days=window_days)
    out: list[Activity] = []
    for p in world.patrols:
        if not _overlaps(p.start, p.end, lo, date) or p.owner not in index or p.near not in index:
            continue
        out.append(Activity("patrol", index[p.owner], index[p.near], float(p.closest_approach_km),
                            float(p.units), label=p.id))
    exercises = [x for x in world.exercises if _overlaps(x.start, x.end, lo, date)]
    if not exercises:
        return tuple(out)
    if geography is None:
        from indivisible.world import geo as geography
    states = world.state_by_iso3
    cap_lat = np.array([states[c].capital_lat for c in iso3])
    cap_lon = np.array([states[c].capital_lon for c in iso3])
    for x in exercises:
        troops = max((v for v in (x.troops, x.reported_troops, x.notified_troops)
                      if v is not None), default=None)
        actors = [c for c in x.conducted_by if c in index]
        if not troops or not actors:
            continue
        share = troops / len(actors)
        near = np.asarray(geography.distance_km(np.full(len(iso3), x.lat),
                                                np.full(len(iso3), x.lon), cap_lat, cap_lon))
        for target in range(len(iso3)):
            code = iso3[target]
            if code in x.conducted_by or near[target] > PREFILTER_KM:
                continue
            hostile = [a for a in actors if threat[target, index[a]] > 0]
            if not hostile:
                continue
            d = float(geography.point_to_territory_km(x.lat, x.lon, code, crimea=crimea))
            if d > MAX_EXERCISE_KM:
                continue
            for a in hostile:
                out.append(Activity("exercise", index[a], target, d, share, label=x.id))
    return tuple(out)


def spiral_system(
    model: Any,
    before: Snapshot,
    after: Snapshot | None = None,
    *,
    geography: Any = None,
) -> tuple[SpiralSystem, OwnerMatrices, OwnerMatrices]:
    """The spiral's arrays: forces after the action, perceived against the threat before it."""
    m0 = owner_matrices(model.evaluate(before))
    m1 = m0 if after is None else owner_matrices(model.evaluate(after))
    world = (after or before).world
    acts = activities(world, before.date, m1.iso3, m1.threat, geography=geography,
                      crimea=before.settings.crimea)
    system = SpiralSystem(
        iso3=m1.iso3, threat=m1.threat, protection=m1.protection,
        reference_threat=m0.threat.sum(axis=1), weights=m0.strength, activities=acts)
    return system, m0, m1
