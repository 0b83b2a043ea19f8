"""Which class a weapon system or deployment falls in, for the texts' categories.

The texts speak of "ground-launched ballistic and cruise missiles", "nuclear weapons",
"combat forces"; the world speaks of system categories and units. The mapping is one
place, so every provision reads a category the same way.
"""

from __future__ import annotations

from indivisible.world.entities import Deployment, Exercise, System

#: Categories that are missiles (or guided rockets) when ground-launched.
MISSILE_CATEGORIES = frozenset({"GLBM", "GLCM", "ICBM", "mlrs"})
#: Categories that are combat forces rather than weapons (for posture provisions).
COMBAT_FORCE_CATEGORIES = frozenset({"ground-forces", "armour", "artillery", "mlrs"})
#: Cruise-missile categories, for "no Tomahawk at Aegis Ashore".
CRUISE_CATEGORIES = frozenset({"GLCM", "SLCM", "ALCM"})


def ground_missile(system: System, glide_as_missile: bool) -> bool:
    """A ground-launched ballistic or cruise missile (boost-glide counted when asked)."""
    if not system.ground_launched:
        return False
    if system.category in MISSILE_CATEGORIES:
        return True
    return glide_as_missile and system.category == "hypersonic"


def offensive(system: System) -> bool:
    return system.role in ("offensive", "dual")


def in_band(range_km: float | None, low: float, high: float, *, low_open: bool = False) -> bool:
    """``low <= range <= high`` (or ``low < range`` when ``low_open``); unknown is False."""
    if range_km is None:
        return False
    above = range_km > low if low_open else range_km >= low
    return above and range_km <= high


def nuclear_weapons(system: System, deployment: Deployment, reading: str) -> bool:
    """Whether a deployment is of nuclear weapons, under the chosen reading.

    ``weapons``: gravity bombs, or a nuclear-capable system counted in weapons (warheads);
    ``capable``: any deployment of a nuclear-capable system (launchers and aircraft too).
    """
    if system.category == "nuclear-gravity-bomb":
        return True
    if system.nuclear_capable is not True:
        return False
    return reading == "capable" or deployment.unit == "weapons"


def combat_forces(system: System) -> bool:
    return system.category in COMBAT_FORCE_CATEGORIES


def exercise_troops(ex: Exercise, how: str = "largest") -> float | None:
    """The troop figure of an activity: ``troops``, ``reported`` or the ``largest`` of both."""
    if how == "troops":
        return ex.troops
    if how == "reported":
        return ex.reported_troops
    known = [v for v in (ex.troops, ex.reported_troops) if v is not None]
    return max(known) if known else None
