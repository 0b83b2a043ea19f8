"""Calibrating Richardson's coefficients on a history of military expenditure.

For each actor i the discrete-time equation ``x_i(t+1) - x_i(t) = k_i p_i(t) - m_i x_i(t) + g_i``
is linear in (k_i, m_i, g_i), so ordinary least squares over the years gives them, with the
usual standard errors ``sqrt(diag(s^2 (X'X)^-1))``, ``s^2 = RSS / (n - 3)``. The threat an
actor reacts to is ``p_i = sum_j W_ij x_j``: by default the sum of the other actors'
expenditure (Richardson's two-nation form extended to many); with ``index=True`` every series
is first divided by its first year and ``W`` averages the others, which puts the coefficients
in the units of :mod:`.spiral` (armament index, perceived-threat index).

A series with no noise gives the coefficients back exactly; the standard errors say how far
to trust them on real data. The CSV reader names the file, the line and the column of the
first problem.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from indivisible.errors import InputError

Array = NDArray[np.float64]

MAX_CSV_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Series:
    """Yearly expenditure of several actors: ``values[t, a]`` for ``years[t]``."""

    years: NDArray[np.int64]
    actors: tuple[str, ...]
    values: Array
    source: str = "<array>"


@dataclass(frozen=True)
class ActorFit:
    actor: str
    reaction: float
    fatigue: float
    grievance: float
    se_reaction: float
    se_fatigue: float
    se_grievance: float
    r_squared: float
    residual_sd: float
    n: int

    def as_dict(self) -> dict[str, Any]:
        def num(v: float) -> float | None:
            return None if not math.isfinite(v) else v

        return {
            "reaction": {"estimate": self.reaction, "se": num(self.se_reaction)},
            "fatigue": {"estimate": self.fatigue, "se": num(self.se_fatigue)},
            "grievance": {"estimate": self.grievance, "se": num(self.se_grievance)},
            "r_squared": num(self.r_squared), "residual_sd": num(self.residual_sd),
            "observations": self.n,
        }


@dataclass(frozen=True)
class FitResult:
    series: Series
    fits: tuple[ActorFit, ...]
    weights: Array
    index: bool

    def by_actor(self) -> dict[str, ActorFit]:
        return {f.actor: f for f in self.fits}

    def stability(self) -> Any:
        """Closed-form equilibrium and stability of the fitted system (in the fit's units)."""
        from indivisible.dynamics.linear import analyse, richardson_matrix

        k = np.array([f.reaction for f in self.fits])
        m = np.array([f.fatigue for f in self.fits])
        g = np.array([f.grievance for f in self.fits])
        return analyse(richardson_matrix(k, m, self.weights), g)


def default_weights(n: int, index: bool) -> Array:
    """Others' sum (levels) or others' mean (index): zero diagonal."""
    w = np.ones((n, n)) - np.eye(n)
    if index and n > 1:
        w /= n - 1
    return w


def fit_series(series: Series, weights: Array | None = None, *, index: bool = False) -> FitResult:
    """Least squares on the discrete-time Richardson equations, one actor at a time."""
    x = np.asarray(series.values, dtype=float)
    t_len, n = x.shape
    if n < 2:
        raise InputError("need at least two actors (one column each) to fit reactions",
                         file=series.source)
    if t_len < 5:
        raise InputError(f"need at least 5 consecutive years to fit 3 coefficients per actor, "
                         f"got {t_len}", file=series.source)
    if index:
        first = x[0]
        if np.any(first <= 0):
            bad = series.actors[int(np.argmax(first <= 0))]
            raise InputError("the first year must be positive to index a series",
                             file=series.source, field=bad)
        x = x / first
    w = default_weights(n, index) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (n, n):
        raise ValueError(f"weights must be ({n}, {n})")
    p = x @ w.T
    fits = []
    for i, actor in enumerate(series.actors):
        y = x[1:, i] - x[:-1, i]
        design = np.column_stack([p[:-1, i], -x[:-1, i], np.ones(t_len - 1)])
        rank = np.linalg.matrix_rank(design)
        if rank < 3:
            raise InputError(
                "cannot identify reaction, fatigue and grievance: the threat, the actor's own "
                "level and a constant are collinear over these years",
                file=series.source, field=actor)
        coef, *_ = np.linalg.lstsq(design, y, rcond=None)
        resid = y - design @ coef
        dof = len(y) - 3
        rss = float(resid @ resid)
        s2 = rss / dof
        cov = s2 * np.linalg.inv(design.T @ design)
        se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        tss = float(((y - y.mean()) ** 2).sum())
        r2 = 1.0 - rss / tss if tss > 0 else float("nan")
        fits.append(ActorFit(actor, float(coef[0]), float(coef[1]), float(coef[2]),
                             float(se[0]), float(se[1]), float(se[2]), r2, math.sqrt(s2),
                             len(y)))
    return FitResult(series=Series(series.years, series.actors, x, series.source),
                     fits=tuple(fits), weights=w, index=index)


def read_series_csv(path: str | Path) -> Series:
    """Read ``year,<actor>,<actor>...``; every problem names the file, line and column."""
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", file=p)
    if not p.is_file():
        raise InputError("not a regular file", file=p)
    if p.stat().st_size > MAX_CSV_BYTES:
        raise InputError(f"file is too large (at most {MAX_CSV_BYTES} bytes accepted)", file=p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=p) from None
    try:
        rows = list(csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", file=p) from None
    numbered = [(i + 1, r) for i, r in enumerate(rows) if any(c.strip() for c in r)]
    if not numbered:
        raise InputError("empty file; expected a header 'year,<actor>,...'", file=p, line=1)
    head_line, header = numbered[0]
    header = [h.strip() for h in header]
    if not header or header[0].lower() != "year":
        raise InputError(f"the first column must be 'year', got {header[0]!r}", file=p,
                         line=head_line, field=header[0] if header else None)
    actors = header[1:]
    if len(actors) < 2:
        raise InputError("need at least two actor columns after 'year'", file=p,
                         line=head_line)
    for a in actors:
        if not a:
            raise InputError("empty column name", file=p, line=head_line)
    dup = {a for a in actors if actors.count(a) > 1}
    if dup:
        raise InputError("column given twice", file=p, line=head_line, field=sorted(dup)[0])
    years: list[int] = []
    values: list[list[float]] = []
    for line, row in numbered[1:]:
        if len(row) != len(header):
            raise InputError(f"expected {len(header)} columns, got {len(row)}", file=p,
                             line=line)
        cell = row[0].strip()
        try:
            year = int(cell)
        except ValueError:
            raise InputError(f"expected a whole year, got {cell!r}", file=p, line=line,
                             field="year") from None
        if years and year != years[-1] + 1:
            raise InputError(f"years must be consecutive and increasing: {year} follows "
                             f"{years[-1]}", file=p, line=line, field="year")
        vals = []
        for actor, raw in zip(actors, row[1:], strict=True):
            raw = raw.strip()
            try:
                v = float(raw)
            except ValueError:
                raise InputError(f"expected a number, got {raw!r}", file=p, line=line,
                                 field=actor) from None
            if not math.isfinite(v) or v < 0:
                raise InputError(f"expected a finite non-negative number, got {raw!r}",
                                 file=p, line=line, field=actor)
            vals.append(v)
        years.append(year)
        values.append(vals)
    if len(years) < 5:
        raise InputError(f"need at least 5 years of data, got {len(years)}", file=p)
    return Series(np.array(years), tuple(actors), np.array(values), source=str(p))


def fit_csv(path: str | Path, *, index: bool = False) -> FitResult:
    return fit_series(read_series_csv(path), index=index)
