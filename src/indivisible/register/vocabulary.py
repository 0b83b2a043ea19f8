"""The closed vocabularies of the register: topics, clause kinds, statuses, link relations.

Topics are closed so that an analysis can ask "which clauses engage no-detriment?" and
get every one of them: a free-text tag with a typo would silently drop a clause. A
register file that uses a tag outside :data:`TOPICS` is rejected with the file, line
and field, and the closest known tags.
"""

from __future__ import annotations

import difflib
from typing import Literal

#: Topic tag -> what a clause with that tag is about.
TOPICS: dict[str, str] = {
    # The interconnected rights and obligations (Istanbul 1999 para 8, Astana 2010 para 3).
    "free-choice": "each state may choose or change its security arrangements, alliances included",
    "neutrality": "each state may be neutral",
    "no-detriment": "no state strengthens its security at the expense of other states' security",
    "no-sphere-of-influence": "no state or group treats part of the area as its own sphere",
    "commensurate-capabilities": "capabilities commensurate with legitimate security needs",
    "legitimate-concerns": "choices made bearing in mind others' legitimate security concerns",
    "equal-security": "every state has an equal right to security",
    "indivisibility": "each state's security is inseparably linked to that of all others",
    "no-military-domination": "no attempt to impose military domination over another state",
    # Forces, weapons and where they stand.
    "host-consent": "foreign forces stationed only with the host state's free consent",
    "enlargement": "admission of new members to an alliance",
    "force-posture": "where and how many forces are deployed or stationed",
    "basing": "military bases or use of infrastructure on another state's territory",
    "military-cooperation": "bilateral military cooperation with third states",
    "nuclear-deployment": "where nuclear weapons and their infrastructure may be",
    "missile-ranges": "missiles defined or limited by their range",
    "patrols": "bombers or warships operating near another state's territory",
    "military-activity": "military activity in a given area, exercises aside",
    "threat-perception": "a test that turns on what the other side could perceive as a threat",
    "elimination": "destruction of a class of weapons",
    "definitions": "definitions that other clauses rely on",
    "withdrawal": "pulling forces or weapons back from an area or a line",
    "ceasefire": "an end to fire along a line of contact",
    # Confidence- and security-building.
    "notification": "prior notice of military activities",
    "observation": "inviting observers to military activities",
    "exercises": "military exercises and manoeuvres",
    "incidents": "prevention of dangerous incidents between forces",
    "transparency": "information or inspection that lets others verify",
    "verification": "inspections, evaluation visits, monitoring",
    "information-exchange": "regular exchange of military information or doctrine",
    "risk-reduction": "mechanisms to lower the risk of unintended conflict",
    "hotline": "direct communication lines for emergencies",
    "constraints": "caps on the size or frequency of military activities",
    "arms-control": "negotiated limits on weapons",
    # Principles and diplomacy.
    "non-use-of-force": "refraining from the threat or use of force",
    "non-interference": "non-intervention in other states' internal affairs",
    "peaceful-settlement": "disputes settled by peaceful means",
    "dialogue": "channels and forums for consultation",
    "de-escalation": "reducing forces or tension as a condition or aim",
    "conflict-settlement": "negotiating formats for specific conflicts",
    "not-adversaries": "parties declare that they are not adversaries",
    "legal-form": "the legal form of commitments (treaty, written instruments)",
    "treaty-mechanics": "entry into force, duration, withdrawal from the text itself",
    "un-charter": "relation to the UN Charter and the Security Council",
}

ClauseKind = Literal["right", "obligation", "prohibition", "measure", "principle"]
CLAUSE_KINDS: tuple[str, ...] = ("right", "obligation", "prohibition", "measure", "principle")

#: legal = treaty; political = politically binding; draft = never agreed; non-paper = informal
#: written reply; letter = a signed message that commits no one.
DocumentStatus = Literal["legal", "political", "draft", "non-paper", "letter"]

#: How one clause bears on another. ``conditions``: the first (an obligation) conditions the
#: second (a right), as some readings take it; ``qualifies``: a softer limit on how the right
#: is used; ``restates``: a later text repeats an earlier one; ``invokes``: cites or relies
#: on; ``responds-to``: answers a demand.
LinkRelation = Literal["conditions", "qualifies", "restates", "invokes", "responds-to"]

Conditioning = Literal["none", "tolerance", "epsilon"]


def suggest(value: str, known: list[str] | tuple[str, ...] | set[str], n: int = 3) -> str:
    """A ' (did you mean ...?)' hint for an unknown name, or '' when nothing is close."""
    close = difflib.get_close_matches(value, sorted(known), n=n, cutoff=0.6)
    prefixed = sorted(k for k in known if k.startswith(value + ".") or k.startswith(value + "-"))
    hints = list(dict.fromkeys(close + prefixed[:n]))
    return f" (did you mean {', '.join(repr(h) for h in hints)}?)" if hints else ""


def check_topic(value: str) -> str:
    if value not in TOPICS:
        raise ValueError(f"unknown topic {value!r}{suggest(value, TOPICS)}; the topics are a "
                         "closed list (indivisible register topics)")
    return value
