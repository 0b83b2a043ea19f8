"""The predicates of the provisions, one module per agreement, registered by provision id."""

from __future__ import annotations

from collections.abc import Callable

from indivisible.provisions.model import Predicate

PREDICATES: dict[str, Predicate] = {}


def rule(provision_id: str) -> Callable[[Predicate], Predicate]:
    """Register ``fn`` as the predicate of ``provision_id`` (ids are unique)."""

    def wrap(fn: Predicate) -> Predicate:
        if provision_id in PREDICATES:
            raise ValueError(f"two predicates for {provision_id}")
        PREDICATES[provision_id] = fn
        return fn

    return wrap


def load_all() -> dict[str, Predicate]:
    """Import every rule module (each registers its predicates) and return the registry."""
    from indivisible.provisions.rules import (  # noqa: F401
        drafts_nato,
        drafts_us,
        founding_act,
        inf,
        minsk,
        replies,
        vienna,
    )

    return PREDICATES
