"""Verdicts under each reading of the texts, evaluated over parameter draws.

A reading is data from the register (``conditions``: none, tolerance or epsilon, and
the parameter that holds the tolerance). The rule is the same for every state: the
action is permitted under a conditioned reading when no state other than the actors
loses more than the tolerance. Over parameter draws, the action is ``permitted`` when it
is permitted in at least ``robust_high`` of them, ``not permitted`` when in at most
``robust_low``, and ``depends on assumptions`` between; robustness is the share of draws
in which the reported verdict holds (for ``depends``, the share agreeing with the verdict
at the default parameters).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PERMITTED = "permitted"
NOT_PERMITTED = "not permitted"
DEPENDS = "depends on assumptions"


@dataclass(frozen=True)
class ReadingRule:
    """What a reading needs to decide: its condition and the parameter of its tolerance."""

    id: str
    conditions: str  # "none" | "tolerance" | "epsilon"
    tolerance_param: str | None
    clauses: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class Verdict:
    reading: str
    verdict: str
    robustness: float | None
    reason: str
    permitted_default: bool
    share_permitted: float
    worst_loser: str | None
    worst_loss: float
    tolerance: float | None
    clauses: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "robustness": None if self.robustness is None else round(self.robustness, 6),
            "reason": self.reason,
            "share_permitted": round(self.share_permitted, 6),
            "worst_loser": self.worst_loser,
            "worst_loss": self.worst_loss,
            "tolerance": self.tolerance,
            "clauses": list(self.clauses),
        }


def max_loss(delta: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Largest loss (positive number) among ``others`` for each row of ``delta`` (..., N)."""
    if not others.any():
        return np.zeros(delta.shape[:-1])
    losses = -delta[..., others]
    return np.maximum(losses.max(axis=-1), 0.0)


def decide(
    rule: ReadingRule,
    *,
    iso3: tuple[str, ...],
    delta: np.ndarray,
    delta_draws: np.ndarray,
    others: np.ndarray,
    tolerance: float | None,
    tolerance_draws: np.ndarray | None,
    robust_high: float,
    robust_low: float,
    has_right: bool,
) -> Verdict:
    """The verdict of one reading at the default parameters, and its robustness over draws."""
    loss = float(max_loss(delta, others))
    worst = None
    if others.any():
        idx = np.flatnonzero(others)
        worst = iso3[idx[int(np.argmin(delta[idx]))]]
    if rule.conditions == "none":
        ok = bool(has_right)
        reason = (
            "The action exercises a right that this reading leaves unconditioned by other "
            "states' security."
            if ok
            else "The action invokes no right this reading recognises."
        )
        return Verdict(
            rule.id,
            PERMITTED if ok else NOT_PERMITTED,
            1.0,
            reason,
            ok,
            1.0 if ok else 0.0,
            worst,
            loss,
            None,
            rule.clauses,
        )
    assert tolerance is not None and tolerance_draws is not None
    ok_default = has_right and loss <= tolerance
    ok_draws = has_right & (max_loss(delta_draws, others) <= tolerance_draws)
    share = float(ok_draws.mean()) if ok_draws.size else float(ok_default)
    agree = share if ok_default else 1.0 - share
    if share >= robust_high:
        verdict = PERMITTED
    elif share <= robust_low:
        verdict = NOT_PERMITTED
    else:
        verdict = DEPENDS
    who = f"{worst} loses {loss:.4g}" if worst and loss > 0 else "no other state loses"
    kind = "epsilon" if rule.conditions == "epsilon" else "tolerance"
    if ok_default:
        reason = f"No other state loses more than the {kind} {tolerance:.4g} ({who})."
    else:
        reason = f"{who}, more than the {kind} {tolerance:.4g} this reading allows."
    if verdict == DEPENDS:
        reason += (
            f" It is permitted in {share:.0%} of parameter draws, between the bounds"
            f" {robust_low:.0%} and {robust_high:.0%}."
        )
        robustness = agree
    elif (verdict == PERMITTED) != ok_default:
        reason += f" The draws disagree with the default parameters ({share:.0%} permitted)."
        robustness = share if verdict == PERMITTED else 1.0 - share
    else:
        robustness = agree
    return Verdict(
        rule.id,
        verdict,
        robustness,
        reason,
        ok_default,
        share,
        worst,
        loss,
        tolerance,
        rule.clauses,
    )
