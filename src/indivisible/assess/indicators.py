"""Two indicators the Istanbul and Code of Conduct texts name, computed from the model.

They are indicators, not verdicts: the texts give no threshold, so the thresholds are
parameters (``sphere_threshold``, ``commensurate_ratio``) and every report labels them.

- Sphere of influence (Istanbul 1999 para. 8): a state whose threat or protection comes
  mostly (over ``sphere_threshold``) from one outside power is in that power's sway; the
  indicator lists the states that the action moves over the threshold.
- Commensurate capabilities (Code of Conduct 1994 para. 12): an actor's own protection
  relative to the threat it faces; above ``commensurate_ratio`` its forces exceed what
  matching the threat would need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Indicators:
    sphere: list[dict[str, Any]] = field(default_factory=list)
    commensurate: list[dict[str, Any]] = field(default_factory=list)
    sphere_threshold: float = 0.5
    commensurate_ratio: float = 1.0

    @property
    def sphere_flagged(self) -> bool:
        return any(x["crossed"] for x in self.sphere)

    @property
    def commensurate_flagged(self) -> bool:
        def grew(x: dict[str, Any]) -> bool:
            r0, r1 = x["ratio_before"], x["ratio_after"]
            return r1 is None or (r0 is not None and r1 > r0)

        return any(x["exceeds_after"] and grew(x) for x in self.commensurate)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": "indicators (not verdicts): thresholds are parameters, not in the texts",
            "sphere_of_influence": {"threshold": self.sphere_threshold, "states": self.sphere},
            "commensurate_capabilities": {
                "ratio": self.commensurate_ratio,
                "actors": self.commensurate,
            },
        }


def _owner_shares(ev: Any, iso3: tuple[str, ...], which: str) -> tuple[np.ndarray, list[str]]:
    mat = np.asarray(getattr(ev, f"{which}_by_element"))  # (E, N)
    owners = list(ev.elements.owner)
    uniq = sorted(set(owners))
    agg = np.zeros((len(uniq), len(iso3)))
    pos = {o: k for k, o in enumerate(uniq)}
    np.add.at(agg, [pos[o] for o in owners], mat)
    return agg, uniq


def _top_outside_power(
    agg: np.ndarray, owners: list[str], j: int, iso3: str
) -> tuple[str | None, float]:
    """The outside power with the largest share of column ``j``, and that share."""
    col = agg[:, j].copy()
    if iso3 in owners:
        col[owners.index(iso3)] = 0.0  # one's own forces are not an outside power
    tot = col.sum()
    if tot <= 0:
        return None, 0.0
    k = int(np.argmax(col))
    return owners[k], float(col[k] / tot)


def _param(params: Any, name: str, default: float) -> float:
    return float(params[name]) if name in params.values else default


def compute_indicators(
    model: Any, before: Any, after: Any, actors: tuple[str, ...], params: Any
) -> Indicators:
    thr = _param(params, "sphere_threshold", 0.5)
    ratio = _param(params, "commensurate_ratio", 1.0)
    ev0, ev1 = model.evaluate(before), model.evaluate(after)
    iso3 = tuple(ev0.iso3)
    ind = Indicators(sphere_threshold=thr, commensurate_ratio=ratio)
    for which in ("threat", "protection"):
        a0, o0 = _owner_shares(ev0, iso3, which)
        a1, o1 = _owner_shares(ev1, iso3, which)
        for j, c in enumerate(iso3):
            p0, s0 = _top_outside_power(a0, o0, j, c)
            p1, s1 = _top_outside_power(a1, o1, j, c)
            if p1 is not None and s1 > thr and (s0 <= thr or p0 != p1):
                ind.sphere.append(
                    {
                        "iso3": c,
                        "of": which,
                        "power": p1,
                        "share_before": s0,
                        "share_after": s1,
                        "crossed": True,
                    }
                )
    for a in actors:
        j = iso3.index(a)
        out = []
        for ev in (ev0, ev1):
            own = sum(
                float(ev.protection_by_element[k, j])
                for k, o in enumerate(ev.elements.owner)
                if o == a
            )
            t = float(ev.threat[j])
            out.append(own / t if t > 0 else None)
        r0, r1 = out
        ind.commensurate.append(
            {
                "iso3": a,
                "ratio_before": r0,
                "ratio_after": r1,
                "exceeds_after": bool(r1 is None or r1 > ratio),
            }
        )
    return ind
