"""The dated world: states, alliances, forces and deployments, as validated facts."""

from indivisible.world.entities import (
    Alliance,
    CapabilityRecord,
    Deployment,
    DyadOverride,
    Exercise,
    Membership,
    NeutralitySpell,
    Patrol,
    Rivalry,
    ScenarioSettings,
    State,
    System,
)
from indivisible.world.scenario import Snapshot, World

__all__ = [
    "Alliance",
    "CapabilityRecord",
    "Deployment",
    "DyadOverride",
    "Exercise",
    "Membership",
    "NeutralitySpell",
    "Patrol",
    "Rivalry",
    "ScenarioSettings",
    "Snapshot",
    "State",
    "System",
    "World",
]
