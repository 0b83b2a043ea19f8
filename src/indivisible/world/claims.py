"""Pinning contested figures: ``--claim KEY=CLAIMANT``, read and checked the same way everywhere.

A key is a system with named range claims (the 9M729) or a launcher claim (the Mk 41 at the
Aegis Ashore sites). The security-model commands accept every shipped launcher claim; a
provisions check accepts those its agreement lists. Both go through these two functions so
that a pin means the same thing, and fails with the same message, in every command.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from indivisible.errors import InputError
from indivisible.world.launcher_claims import LauncherClaimSpec

if TYPE_CHECKING:
    from indivisible.world.scenario import World

FIELD = "--claim"


def split_pins(items: Iterable[str] | None) -> dict[str, str]:
    """``KEY=CLAIMANT`` pairs; one key pinned to two claimants is an error."""
    out: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise InputError(f"expected SYSTEM=CLAIMANT, got {item!r}", field=FIELD)
        key, claimant = (x.strip() for x in item.split("=", 1))
        if not key or not claimant:
            raise InputError(f"expected SYSTEM=CLAIMANT, got {item!r}", field=FIELD)
        if key in out and out[key] != claimant:
            raise InputError(f"{key} is pinned twice ({out[key]} and {claimant}); choose one",
                             field=FIELD)
        out[key] = claimant
    return out


def check_pins(claims: Mapping[str, str], world: World,
               launchers: Mapping[str, LauncherClaimSpec], scope: str = "") -> None:
    """Each key names a contested figure of ``world`` or of ``launchers``, and a claimant.

    ``scope`` qualifies the launcher claims in the hint (" of this agreement").
    """
    systems = getattr(world, "system_by_id", {})
    for key, claimant in claims.items():
        if key in launchers and key in systems:
            raise InputError(f"{key!r} is both a system and a launcher claim; rename one",
                             field=FIELD)
        if key in launchers:
            names = launchers[key].claimants
        elif key in systems:
            system = systems[key]
            names = [c.claimant for c in system.range_claims]
            if not names:
                raise InputError(f"system {key!r} has no named range claims (its range is "
                                 f"{system.range_km} km)", field=FIELD)
        else:
            pool = list(systems) + list(launchers)
            close = difflib.get_close_matches(key, pool, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            if launchers:
                hint += f" (launcher claims{scope}: {', '.join(launchers)})"
            raise InputError(f"unknown system or claim {key!r}{hint}", field=FIELD)
        if claimant not in names:
            raise InputError(f"unknown claimant {claimant!r} for {key}; expected one of "
                             f"{', '.join(names)}", field=FIELD)
