"""Iterated play with misperception, vectorized over runs.

Two strategies play ``rounds`` rounds of a 2x2 game in ``runs`` independent runs at once.
Noise is either **perception** (the default: each side misreads the other's move with
probability ``noise``; payoffs follow the real moves — Jervis's misperception) or
**execution** (a move comes out flipped, and both see the flipped move — the "noise" of
Axelrod-style tournaments). The noise is tied to transparency by
``noise = game_noise * (1 - transparency_efficacy * transparency)``.

Random numbers are drawn in a fixed order each round (one uniform per side for the
strategies, one per side for the noise) whatever the strategies, so the same seed gives the
same match and changing one side's strategy does not reshuffle the other's draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from indivisible.games.strategies import Context, Strategy
from indivisible.games.twobytwo import RESTRAIN, Game

NoiseKind = Literal["perception", "execution"]


@dataclass(frozen=True)
class Match:
    """Moves and payoffs: (runs, rounds) arrays."""

    players: tuple[str, str]
    moves: tuple[NDArray[np.int8], NDArray[np.int8]]
    seen: tuple[NDArray[np.int8], NDArray[np.int8]]  # seen[0]: what side 0 saw of side 1
    payoffs: tuple[NDArray[np.float64], NDArray[np.float64]]
    noise: float
    noise_kind: str

    @property
    def scores(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Total payoff of each run for each side: (runs,) each."""
        return self.payoffs[0].sum(axis=1), self.payoffs[1].sum(axis=1)

    def mean_per_round(self) -> tuple[float, float]:
        return float(self.payoffs[0].mean()), float(self.payoffs[1].mean())

    def restraint_rate(self) -> tuple[float, float]:
        return (float(np.mean(self.moves[0] == RESTRAIN)),
                float(np.mean(self.moves[1] == RESTRAIN)))

    def mutual_restraint(self) -> float:
        return float(np.mean((self.moves[0] == RESTRAIN) & (self.moves[1] == RESTRAIN)))


def play(
    game: Game,
    first: Strategy,
    second: Strategy,
    *,
    rounds: int,
    runs: int = 1,
    noise: float = 0.0,
    noise_kind: NoiseKind = "perception",
    seed: int = 0,
) -> Match:
    """Play ``first`` (the game's row side) against ``second`` (column side)."""
    if rounds < 0 or runs < 1:
        raise ValueError("rounds must be >= 0 and runs >= 1")
    if not 0.0 <= noise <= 1.0:
        raise ValueError("noise must be a probability")
    if noise_kind not in ("perception", "execution"):
        raise ValueError("noise_kind is 'perception' or 'execution'")
    rng = np.random.default_rng(seed)
    lr, lc = game.letters()
    ctx = (Context(lr), Context(lc))
    moves = [np.zeros((runs, rounds), np.int8), np.zeros((runs, rounds), np.int8)]
    seen = [np.zeros((runs, rounds), np.int8), np.zeros((runs, rounds), np.int8)]
    for t in range(rounds):
        u = rng.random((4, runs))
        m0 = first(moves[0][:, :t], seen[0][:, :t], u[0], ctx[0])
        m1 = second(moves[1][:, :t], seen[1][:, :t], u[1], ctx[1])
        flip0 = u[2] < noise
        flip1 = u[3] < noise
        if noise_kind == "execution":
            m0 = m0 ^ flip0.astype(np.int8)
            m1 = m1 ^ flip1.astype(np.int8)
            s0, s1 = m1, m0
        else:
            s0 = m1 ^ flip0.astype(np.int8)  # side 0 misreads side 1
            s1 = m0 ^ flip1.astype(np.int8)
        moves[0][:, t], moves[1][:, t] = m0, m1
        seen[0][:, t], seen[1][:, t] = s0, s1
    pay0 = game.row[moves[0], moves[1]]
    pay1 = game.col[moves[0], moves[1]]
    return Match(players=(first.key, second.key), moves=(moves[0], moves[1]),
                 seen=(seen[0], seen[1]), payoffs=(pay0, pay1), noise=noise,
                 noise_kind=noise_kind)


@dataclass(frozen=True)
class Tournament:
    """Round robin: ``score[i, j]`` = mean payoff per round of strategy i against j (as row)."""

    keys: tuple[str, ...]
    score: NDArray[np.float64]
    restraint: NDArray[np.float64]  # mutual restraint rate of the pairing
    noise: float
    rounds: int
    runs: int

    def ranking(self) -> list[tuple[str, float]]:
        mean = self.score.mean(axis=1)
        order = np.argsort(-mean, kind="stable")
        return [(self.keys[i], float(mean[i])) for i in order]


def tournament(
    game: Game,
    strategies: list[Strategy],
    *,
    rounds: int = 200,
    runs: int = 100,
    noise: float = 0.0,
    noise_kind: NoiseKind = "perception",
    seed: int = 0,
) -> Tournament:
    """Every strategy against every strategy (itself included), each as the row side."""
    k = len(strategies)
    score = np.zeros((k, k))
    restraint = np.zeros((k, k))
    seeds = np.random.SeedSequence(seed).spawn(k * k)
    for i, a in enumerate(strategies):
        for j, b in enumerate(strategies):
            sub = int(seeds[i * k + j].generate_state(1)[0])
            match = play(game, a, b, rounds=rounds, runs=runs, noise=noise,
                         noise_kind=noise_kind, seed=sub)
            score[i, j] = match.mean_per_round()[0]
            restraint[i, j] = match.mutual_restraint()
    return Tournament(tuple(s.key for s in strategies), score, restraint, noise, rounds, runs)


def transparency_noise(base_noise: float, transparency: float, efficacy: float) -> float:
    """The misperception probability once transparency measures are in place."""
    return float(base_noise * (1.0 - efficacy * transparency))
