"""Jervis's four worlds: where a dyad stands on offense–defense balance and distinguishability.

Jervis (1978) crossed two questions. Does the offense or the defense have the advantage?
Can offensive postures be told apart from defensive ones? The answers give four worlds:

1. offense has the advantage, postures indistinguishable — "doubly dangerous";
2. defense has the advantage, postures indistinguishable — a security dilemma, but
   security requirements may be compatible;
3. offense has the advantage, postures distinguishable — no security dilemma, but
   aggression is possible; status-quo states can signal by their posture and get warning;
4. defense has the advantage, postures distinguishable — "doubly stable".

Measured on the dyad's own forces as the security model weighs them:

- **offense share** = threat the two sides' forces pose to each other / (that threat + the
  protection each side's forces give itself). Above ``offense_threshold`` the offense has the
  advantage: the forces do more to the other than for their owner (warning-time and reach
  weights included).
- **dual share** = share of the dyad's force weight in dual-role systems (home forces and
  nuclear arsenals are dual in the model). Below ``distinguishable_threshold`` the postures
  are distinguishable.

Reference: R. Jervis, "Cooperation under the Security Dilemma", World Politics 30(2),
1978, pp. 167–214 (the four worlds, Table 1 there).
"""

from __future__ import annotations

from dataclasses import dataclass

NAMES = {
    1: "doubly dangerous",
    2: "security dilemma, compatible requirements",
    3: "no security dilemma, aggression possible",
    4: "doubly stable",
}


@dataclass(frozen=True)
class JervisWorld:
    number: int
    name: str
    offense_advantage: bool
    distinguishable: bool
    offense_share: float
    dual_share: float


def jervis_world(
    offense: float,
    defense: float,
    dual_share: float,
    *,
    offense_threshold: float = 0.5,
    distinguishable_threshold: float = 0.5,
) -> JervisWorld:
    """Place a dyad from its offense weight, defense weight and dual-role share."""
    if offense < 0 or defense < 0 or not 0.0 <= dual_share <= 1.0:
        raise ValueError("offense, defense must be >= 0 and dual_share in [0, 1]")
    total = offense + defense
    share = offense / total if total > 0 else 0.0
    offense_adv = share > offense_threshold
    distinguishable = dual_share < distinguishable_threshold
    number = {(True, False): 1, (False, False): 2, (True, True): 3, (False, True): 4}[
        (offense_adv, distinguishable)]
    return JervisWorld(number=number, name=NAMES[number], offense_advantage=offense_adv,
                       distinguishable=distinguishable, offense_share=share,
                       dual_share=dual_share)
