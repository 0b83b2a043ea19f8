"""Which contested figures a result of the model rests on, said with the result.

The model needs one figure per contested fact: one range per system with named range
claims (the 9M729), one alternative per launcher claim (whether the Mk 41 launchers of the
Aegis Ashore sites can fire Tomahawks). It takes the pinned one, else a default that the data
states as a convention. A default is not a finding, so every command that reports a result
(assess, answer, simulate, game, search) lists, for each contested figure that touches the
world it evaluated: the alternative used, whether it was pinned, the convention when it was
not, and the alternatives a reader can pin instead with ``--claim``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from indivisible.world.launcher_claims import LauncherClaimSpec, launcher_claims
from indivisible.world.scenario import Snapshot


def claims_used(snaps: Iterable[Snapshot], pinned: Mapping[str, str],
                launchers: Mapping[str, LauncherClaimSpec] | None = None) -> dict[str, Any]:
    """For each contested figure in play in ``snaps``: the one used, and the others.

    A range claim is in play when a system with named ranges is deployed in one of the
    worlds; a launcher claim when one of its sites is, or when it is pinned (an entry with no
    deployments then says that the pin changed nothing).
    """
    snaps = list(snaps)
    launchers = launcher_claims() if launchers is None else launchers
    out: dict[str, Any] = {}
    deployed = {d.system for s in snaps for d in s.deployments}
    for sid in sorted(deployed):
        system = next((s.world.system_by_id[sid] for s in snaps
                       if sid in s.world.system_by_id), None)
        if system is None or not system.range_claims:
            continue
        used = pinned.get(sid, system.default_claim)
        out[sid] = {
            "kind": "range",
            "used": used,
            "pinned": sid in pinned,
            "default": system.default_claim,
            "range_km": system.range_for(used),
            "alternatives": {
                c.claimant: c.range_km for c in system.range_claims if c.claimant != used
            },
            "sources": {c.claimant: c.source for c in system.range_claims},
        }
    for cid, spec in sorted(launchers.items()):
        sites = sorted({d.id for s in snaps for d in s.deployments
                        if spec.applies_to(d.system, d.unit)})
        if not sites and cid not in pinned:
            continue
        used = pinned.get(cid, spec.model_default)
        entry: dict[str, Any] = {
            "kind": "launcher",
            "title": spec.title,
            "used": used,
            "pinned": cid in pinned,
            "default": spec.model_default,
            "launches": spec.alternative(used).launches,
            "alternatives": {c.claimant: c.launches for c in spec.claims if c.claimant != used},
            "deployments": sites,
            "sources": {c.claimant: c.source for c in spec.claims},
        }
        if cid not in pinned:
            entry["convention"] = " ".join(spec.model_default_note.split())
        out[cid] = entry
    return out


def _launches(value: str | None) -> str:
    return f"can launch {value}" if value else "can launch no offensive missile"


def claim_lines(used: Mapping[str, Any]) -> list[str]:
    """One sentence per contested figure, for a report's preamble."""
    out = []
    for key, c in used.items():
        how = "pinned" if c["pinned"] else "the default"
        if c.get("kind", "range") == "range":
            alts = ", ".join(f"{k} {v:g} km" for k, v in c["alternatives"].items())
            out.append(f"Contested figure: {key} taken at {c['range_km']:g} km ({c['used']}, "
                       f"{how}); alternatives: {alts or 'none'}.")
            continue
        alts = "; ".join(f"{k}: {_launches(v)}" for k, v in c["alternatives"].items())
        where = ", ".join(c["deployments"]) or "no site in this world"
        text = (f"Contested figure: {key} ({c['title']}) taken as {c['used']}: the launchers "
                f"{_launches(c['launches'])} ({how}; sites: {where}); alternatives: "
                f"{alts or 'none'}.")
        if not c["pinned"]:
            text += (f" The default is a convention, not a finding; pin another with --claim "
                     f"{key}=NAME.")
        out.append(text)
    return out
