"""The register of texts: documents, clauses, links, readings, the dated record, positions.

>>> from indivisible.register import load_register
>>> reg = load_register()
>>> reg.compare("paris-1990", "istanbul-1999")["only"]["istanbul-1999"]  # doctest: +SKIP
"""

from __future__ import annotations

from indivisible.register.loader import load_register
from indivisible.register.models import (
    Claim,
    Clause,
    Document,
    Event,
    Link,
    Position,
    Reading,
    Source,
)
from indivisible.register.register import Register
from indivisible.register.vocabulary import TOPICS

__all__ = [
    "TOPICS",
    "Claim",
    "Clause",
    "Document",
    "Event",
    "Link",
    "Position",
    "Reading",
    "Register",
    "Source",
    "load_register",
]
