"""Actions (pure World -> World changes) and the library of real cases."""

from indivisible.actions.kinds import (
    FREE_CHOICE,
    HOST_CONSENT,
    NEUTRALITY,
    Action,
    AnyAction,
    BaseAction,
    ChangeCapability,
    Composite,
    DeclareNeutrality,
    Deploy,
    HoldExercise,
    JoinAlliance,
    LeaveAlliance,
    Patrolling,
    Withdraw,
)
from indivisible.actions.library import Case, library, load_action, load_case, parse_action

__all__ = [
    "FREE_CHOICE",
    "HOST_CONSENT",
    "NEUTRALITY",
    "Action",
    "AnyAction",
    "BaseAction",
    "Case",
    "ChangeCapability",
    "Composite",
    "DeclareNeutrality",
    "Deploy",
    "HoldExercise",
    "JoinAlliance",
    "LeaveAlliance",
    "Patrolling",
    "Withdraw",
    "library",
    "load_action",
    "load_case",
    "parse_action",
]
