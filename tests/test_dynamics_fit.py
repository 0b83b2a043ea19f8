"""Fitting Richardson's coefficients: exact on clean series, honest standard errors on noisy ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indivisible.dynamics.fit import Series, default_weights, fit_csv, fit_series, read_series_csv
from indivisible.errors import InputError


def simulate_series(k, m, g, x0, years, w, noise=0.0, rng=None):
    x = np.empty((years, len(k)))
    x[0] = x0
    for t in range(years - 1):
        x[t + 1] = x[t] + k * (w @ x[t]) - m * x[t] + g
        if noise:
            x[t + 1] += rng.normal(scale=noise, size=len(k))
    return x


def test_noise_free_series_gives_coefficients_back_exactly() -> None:
    k = np.array([0.12, 0.08, 0.05])
    m = np.array([0.20, 0.15, 0.30])
    g = np.array([3.0, -1.0, 2.0])
    w = default_weights(3, index=False)
    x = simulate_series(k, m, g, np.array([50.0, 80.0, 20.0]), 25, w)
    res = fit_series(Series(np.arange(1990, 2015), ("A", "B", "C"), x))
    for i, f in enumerate(res.fits):
        assert f.reaction == pytest.approx(k[i], rel=1e-8)
        assert f.fatigue == pytest.approx(m[i], rel=1e-8)
        assert f.grievance == pytest.approx(g[i], rel=1e-7, abs=1e-9)
        assert f.se_reaction < 1e-8
        assert f.r_squared == pytest.approx(1.0)


def test_noisy_series_within_three_standard_errors() -> None:
    rng = np.random.default_rng(42)
    k = np.array([0.10, 0.06])
    m = np.array([0.25, 0.18])
    g = np.array([5.0, 4.0])
    w = default_weights(2, index=False)
    inside = 0
    total = 0
    for _ in range(20):
        x = simulate_series(k, m, g, np.array([30.0, 60.0]), 60, w, noise=0.5, rng=rng)
        res = fit_series(Series(np.arange(60), ("A", "B"), x))
        for i, f in enumerate(res.fits):
            for est, se, true in ((f.reaction, f.se_reaction, k[i]),
                                  (f.fatigue, f.se_fatigue, m[i]),
                                  (f.grievance, f.se_grievance, g[i])):
                assert se > 0
                total += 1
                inside += abs(est - true) <= 3 * se
    # Under correct standard errors about 99.7 % fall within 3 SE (normal approximation);
    # wrong ones (e.g. forgetting the degrees of freedom or the covariance) fall far short.
    assert inside / total >= 0.95


def test_index_mode_puts_coefficients_in_spiral_units() -> None:
    k = np.array([0.1, 0.1])
    m = np.array([0.15, 0.2])
    g = np.array([0.09, 0.05])  # not the status quo: the series move
    w = default_weights(2, index=True)
    x = simulate_series(k, m, g, np.array([1.0, 1.0]), 20, w) * np.array([500.0, 70.0])
    res = fit_series(Series(np.arange(20), ("RUS", "USA"), x), index=True)
    got = res.by_actor()
    assert got["RUS"].reaction == pytest.approx(0.1)
    assert got["USA"].fatigue == pytest.approx(0.2)
    st = res.stability()
    assert st.stable


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "milex.csv"
    p.write_text(text)
    return p


def test_csv_reader_and_fit(tmp_path: Path) -> None:
    k, m, g = np.array([0.1, 0.05]), np.array([0.2, 0.1]), np.array([1.0, 2.0])
    x = simulate_series(k, m, g, np.array([10.0, 20.0]), 12, default_weights(2, False))
    lines = ["year,RUS,USA"] + [f"{2000 + t},{float(x[t, 0])!r},{float(x[t, 1])!r}" for t in range(12)]
    res = fit_csv(write(tmp_path, "\n".join(lines) + "\n"))
    assert res.by_actor()["USA"].reaction == pytest.approx(0.05)


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        ("yr,A,B\n2000,1,2\n", 1, "yr"),
        ("year,A,B\n2000,1,2\n2001,1,x\n2002,1,2\n2003,1,2\n2004,1,2\n", 3, "B"),
        ("year,A,B\n2000,1,2\n2002,1,2\n", 3, "year"),
        ("year,A,B\n2000,1,2\n2001,1\n", 3, None),
        ("year,A,B\n2000,1,2\nabc,1,2\n", 3, "year"),
        ("year,A,A\n2000,1,2\n", 1, "A"),
        ("year,A,B\n2000,1,-2\n", 2, "B"),
        ("year,A,B\n2000,1,nan\n", 2, "B"),
    ],
)
def test_bad_csv_names_file_line_and_column(tmp_path: Path, text: str, line: int,
                                            field: str | None) -> None:
    p = write(tmp_path, text)
    with pytest.raises(InputError) as exc:
        read_series_csv(p)
    assert exc.value.file == str(p)
    assert exc.value.line == line
    assert exc.value.field == field


def test_too_short_or_collinear(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="at least 5 years"):
        read_series_csv(write(tmp_path, "year,A,B\n2000,1,2\n2001,1,2\n"))
    flat = "year,A,B\n" + "".join(f"{2000 + t},1,2\n" for t in range(8))
    with pytest.raises(InputError, match="collinear"):
        fit_csv(write(tmp_path, flat))
    with pytest.raises(InputError, match="file not found"):
        read_series_csv(tmp_path / "missing.csv")
