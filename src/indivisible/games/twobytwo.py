"""Two-by-two games of arming and restraint: their type and their equilibria.

Each side either **restrains** (action 0, "cooperate") or **arms** (action 1, "defect").
Payoffs are indexed ``[row action, column action]``. From each side's point of view the four
outcomes are the classic letters:

    R  both restrain (reward)       S  I restrain, the other arms (sucker)
    T  I arm, the other restrains   P  both arm (punishment)

and the order of the letters names the game (strict orders, as in the literature):

    prisoner's dilemma  T > R > P > S      stag hunt  R > T >= P > S
    chicken             T > R > S > P      harmony    R > T and S > P
    deadlock            T > P > R > S

A side whose order fits none of these gets ``other``. When the two sides' orders differ the
game is asymmetric and both names are given. Equilibria are found by best responses (pure)
and by the indifference conditions (the fully mixed one), which is all there is in a
non-degenerate 2x2 game.

References: A. Rapoport and M. Guyer, "A taxonomy of 2x2 games", General Systems 11 (1966);
R. Jervis, "Cooperation under the Security Dilemma", World Politics 30(2) (1978), for the
security reading of the stag hunt and the prisoner's dilemma.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

RESTRAIN, ARM = 0, 1
ACTIONS = ("restrain", "arm")
KINDS = ("prisoner's dilemma", "stag hunt", "chicken", "harmony", "deadlock", "other")


@dataclass(frozen=True)
class Letters:
    """One side's four payoffs by name."""

    R: float
    S: float
    T: float
    P: float

    def order(self) -> str:
        """The letters from best to worst, e.g. ``T > R > P > S`` (``=`` for ties)."""
        items = sorted(self.__dict__.items(), key=lambda kv: -kv[1])
        out = items[0][0]
        for (_, prev), (name, val) in zip(items, items[1:], strict=False):
            out += (" = " if val == prev else " > ") + name
        return out


def kind_of(letters: Letters) -> str:
    """The game type for one side's payoff order (see the module docstring)."""
    R, S, T, P = letters.R, letters.S, letters.T, letters.P
    if T > R > P > S:
        return "prisoner's dilemma"
    if T > P > R > S:
        return "deadlock"
    if T > R > S > P:
        return "chicken"
    if R > T >= P > S:
        return "stag hunt"
    if R > T and S > P:
        return "harmony"
    return "other"


@dataclass(frozen=True)
class Equilibrium:
    """A Nash equilibrium: each side's probability of (restrain, arm) and expected payoffs."""

    row: tuple[float, float]
    col: tuple[float, float]
    payoff_row: float
    payoff_col: float
    pure: bool

    def label(self) -> str:
        if self.pure:
            return f"({ACTIONS[int(self.row[1] == 1.0)]}, {ACTIONS[int(self.col[1] == 1.0)]})"
        return f"mixed: restrain with p={self.row[0]:.3f} / q={self.col[0]:.3f}"


@dataclass(frozen=True)
class Game:
    """A 2x2 game: ``row[a, b]`` and ``col[a, b]`` are the payoffs when row plays a, col b."""

    row: NDArray[np.float64]
    col: NDArray[np.float64]
    players: tuple[str, str] = ("row", "column")

    def __post_init__(self) -> None:
        r = np.asarray(self.row, dtype=float)
        c = np.asarray(self.col, dtype=float)
        if r.shape != (2, 2) or c.shape != (2, 2):
            raise ValueError("a 2x2 game needs two 2x2 payoff matrices")
        if not (np.all(np.isfinite(r)) and np.all(np.isfinite(c))):
            raise ValueError("payoffs must be finite")
        object.__setattr__(self, "row", r)
        object.__setattr__(self, "col", c)

    @classmethod
    def symmetric(cls, R: float, S: float, T: float, P: float,
                  players: tuple[str, str] = ("row", "column")) -> Game:
        """The symmetric game with these letters for both sides."""
        row = np.array([[R, S], [T, P]], dtype=float)
        return cls(row, row.T.copy(), players)

    def letters(self) -> tuple[Letters, Letters]:
        """(row side's letters, column side's letters)."""
        r, c = self.row, self.col
        return (Letters(R=r[0, 0], S=r[0, 1], T=r[1, 0], P=r[1, 1]),
                Letters(R=c[0, 0], S=c[1, 0], T=c[0, 1], P=c[1, 1]))

    @property
    def is_symmetric(self) -> bool:
        return bool(np.allclose(self.row, self.col.T))

    def classify(self) -> Classification:
        lr, lc = self.letters()
        kr, kc = kind_of(lr), kind_of(lc)
        name = kr if kr == kc else f"asymmetric: {kr} / {kc}"
        return Classification(name=name, row=kr, col=kc, row_order=lr.order(),
                              col_order=lc.order())

    def equilibria(self, tol: float = 0.0) -> list[Equilibrium]:
        """Pure equilibria (weak best responses) then the fully mixed one, if any."""
        out: list[Equilibrium] = []
        r, c = self.row, self.col
        for a in (0, 1):
            for b in (0, 1):
                if r[a, b] + tol >= r[1 - a, b] and c[a, b] + tol >= c[a, 1 - b]:
                    out.append(Equilibrium(
                        row=(1.0 - a, float(a)), col=(1.0 - b, float(b)),
                        payoff_row=float(r[a, b]), payoff_col=float(c[a, b]), pure=True))
        mixed = self.mixed_equilibrium()
        if mixed is not None:
            out.append(mixed)
        return out

    def mixed_equilibrium(self) -> Equilibrium | None:
        """The equilibrium where each side makes the other indifferent, when it is interior."""
        r, c = self.row, self.col
        den_q = r[0, 0] - r[0, 1] - r[1, 0] + r[1, 1]
        den_p = c[0, 0] - c[1, 0] - c[0, 1] + c[1, 1]
        if den_q == 0 or den_p == 0:
            return None
        q = (r[1, 1] - r[0, 1]) / den_q  # column restrains with q: row indifferent
        p = (c[1, 1] - c[1, 0]) / den_p  # row restrains with p: column indifferent
        if not (0.0 < p < 1.0 and 0.0 < q < 1.0):
            return None
        x = np.array([p, 1.0 - p])
        y = np.array([q, 1.0 - q])
        return Equilibrium(row=(float(p), float(1 - p)), col=(float(q), float(1 - q)),
                           payoff_row=float(x @ r @ y), payoff_col=float(x @ c @ y),
                           pure=False)


@dataclass(frozen=True)
class Classification:
    name: str
    row: str
    col: str
    row_order: str
    col_order: str


def game_from_arrays(row: ArrayLike, col: ArrayLike) -> Game:
    return Game(np.asarray(row, dtype=float), np.asarray(col, dtype=float))
