"""The simulate, fit and game commands on the real model and baseline (one process, shared cache)."""

from __future__ import annotations

import json
from pathlib import Path

import nashpy
import numpy as np
import pytest

from indivisible.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def baseline_system():
    from indivisible.dynamics.coupling import spiral_system
    from indivisible.security import SecurityModel
    from indivisible.world.loader import load_scenario

    world = load_scenario(None)
    return spiral_system(SecurityModel(), world.at("2021-12-15"))


def test_owner_matrices_reproduce_the_models_security(baseline_system) -> None:
    system, m0, _ = baseline_system
    x = np.ones(system.n)
    d, t = system.protection @ x, system.threat @ x
    np.testing.assert_allclose(d / (d + t), m0.security, rtol=1e-10)
    np.testing.assert_allclose(system.tau.sum(axis=1)[system.reference_threat > 0], 1.0)
    assert np.all(system.weights > 0)


def test_simulate_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["simulate", "--runs", "40", "--steps", "8", "--seed", "3", "--measures",
            "replies-2022", "--format", "json"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    data = json.loads(out)
    for key in ("p_spiral", "runs", "steps", "seed", "final_security", "trajectories"):
        assert key in data
    assert (data["runs"], data["steps"], data["seed"]) == (40, 8, 3)
    assert 0.0 <= data["p_spiral"] <= 1.0
    rus = data["final_security"]["RUS"]
    assert rus["q05"] <= rus["median"] <= rus["q95"]
    assert len(data["final_security"]) == 57
    assert len(data["trajectories"]["step"]) == 9
    cmp = data["comparison"]
    assert cmp["p_spiral_with"] == data["p_spiral"]
    assert cmp["incidents_per_year_with"] <= cmp["incidents_per_year_without"]
    # Same seed, same numbers.
    code2, out2, _ = run(argv, capsys)
    assert code2 == 0 and json.loads(out2) == data


def test_simulate_table_and_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["simulate", "--runs", "10", "--steps", "5"], capsys)
    assert code == 0 and "probability of an arms spiral" in out
    code, _, err = run(["simulate", "--steps", "0"], capsys)
    assert code == 2 and "--steps" in err and "Traceback" not in err
    code, _, err = run(["simulate", "--measures", "nonsense"], capsys)
    assert code == 2 and "unknown measures package" in err
    code, _, err = run(["simulate", "--param", "reaction=9"], capsys)
    assert code == 2 and "outside" in err


def test_fit_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    k, m, g = np.array([0.1, 0.05]), np.array([0.2, 0.1]), np.array([0.05, 0.02])
    x = np.empty((15, 2))
    x[0] = [1.0, 1.0]
    for t in range(14):
        x[t + 1] = x[t] + k * x[t][::-1] - m * x[t] + g
    lines = ["year,RUS,USA"] + [f"{1990 + t},{float(x[t, 0]) * 60!r},{float(x[t, 1]) * 300!r}"
                                for t in range(15)]
    f = tmp_path / "milex.csv"
    f.write_text("\n".join(lines) + "\n")
    code, out, err = run(["fit", str(f), "--index", "--format", "json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["fits"]["USA"]["reaction"]["estimate"] == pytest.approx(0.05)
    assert data["fits"]["RUS"]["grievance"]["estimate"] == pytest.approx(0.05)
    # The fitted coefficients feed the spiral.
    coef = tmp_path / "fit.json"
    coef.write_text(out)
    code, out, err = run(["simulate", "--coefficients", str(coef), "--fixed", "--runs", "2",
                          "--steps", "3", "--format", "json"], capsys)
    assert code == 0, err
    bad = tmp_path / "bad.csv"
    bad.write_text("year,RUS,USA\n1990,1,2\n1991,1,two\n")
    code, _, err = run(["fit", str(bad)], capsys)
    assert code == 2 and f"{bad}:3: USA: expected a number" in err


def test_game_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["game", "RUS", "USA", "--rounds", "20", "--runs", "10", "--format",
                          "json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    rows = ("RUS restrain", "RUS arm")
    cols = ("USA restrain", "USA arm")
    a = np.array([[data["payoffs"]["RUS"][r][c] for c in cols] for r in rows])
    b = np.array([[data["payoffs"]["USA"][r][c] for c in cols] for r in rows])
    got = sorted((round(e["RUS"]["restrain"], 9), round(e["USA"]["restrain"], 9))
                 for e in data["equilibria"])
    ref = sorted((round(sr[0], 9), round(sc[0], 9))
                 for sr, sc in nashpy.Game(a, b).support_enumeration())
    assert got == ref
    assert data["jervis"]["world"] in (1, 2, 3, 4)
    assert set(data["iterated"]["score"]) == {
        "tit-for-tat", "generous-tit-for-tat", "grim-trigger", "win-stay-lose-shift",
        "always-arm", "always-restrain"}
    code, _, err = run(["game", "RUS", "XXX"], capsys)
    assert code == 2 and "unknown state" in err
