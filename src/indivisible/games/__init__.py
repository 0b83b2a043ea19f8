"""The game view of the security dilemma: 2x2 games from the model, Jervis's worlds, and
iterated play with misperception between classic strategies."""

from indivisible.games.derive import dyad_game, security
from indivisible.games.iterated import Match, Tournament, play, tournament, transparency_noise
from indivisible.games.strategies import STRATEGIES, Strategy, filtered
from indivisible.games.twobytwo import (
    ACTIONS,
    ARM,
    KINDS,
    RESTRAIN,
    Classification,
    Equilibrium,
    Game,
    Letters,
    kind_of,
)
from indivisible.games.worlds import JervisWorld, jervis_world

__all__ = [
    "ACTIONS", "ARM", "KINDS", "RESTRAIN", "STRATEGIES", "Classification", "Equilibrium", "Game",
    "JervisWorld", "Letters", "Match", "Strategy", "Tournament", "dyad_game", "filtered",
    "jervis_world", "kind_of", "play", "security", "tournament", "transparency_noise",
]
