"""``indivisible results``: listing runs and querying one, with one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from indivisible.cli import main
from indivisible.exec import Chunk, LocalExecutor, Sweep, run_sweep


def values(chunk: Chunk) -> dict[str, np.ndarray]:
    return {"item": np.arange(chunk.start, chunk.stop), "v": chunk.rng().random(chunk.size)}


@pytest.fixture()
def runs(tmp_path: Path) -> Path:
    done = Sweep(tmp_path / "search-20240101T000000Z-aaaa", "search", {"menu": "drafts"},
                 seed=3, n_items=25, chunk_size=10)
    run_sweep(values, done, LocalExecutor(1))
    part = Sweep(tmp_path / "robustness-20240102T000000Z-bbbb", "robustness", {"n": 40},
                 seed=4, n_items=40, chunk_size=10)
    run_sweep(values, part, LocalExecutor(1))
    part.chunk_path(2).unlink()
    return tmp_path


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_results_lists_runs_as_json(runs: Path, capsys) -> None:
    code, out, _ = run(["results", "--runs-dir", str(runs), "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    by_id = {r["id"]: r for r in data["runs"]}
    assert by_id["search-20240101T000000Z-aaaa"]["status"] == "complete"
    assert by_id["search-20240101T000000Z-aaaa"]["chunks_done"] == 3
    assert by_id["robustness-20240102T000000Z-bbbb"]["status"] == "partial"
    assert by_id["robustness-20240102T000000Z-bbbb"]["chunks_done"] == 3
    assert by_id["robustness-20240102T000000Z-bbbb"]["chunks_total"] == 4
    assert by_id["robustness-20240102T000000Z-bbbb"]["seed"] == 4


def test_results_uses_indivisible_home(runs: Path, monkeypatch, capsys, tmp_path) -> None:
    home = tmp_path / "home"
    (home / "runs").mkdir(parents=True)
    (runs / "search-20240101T000000Z-aaaa").rename(home / "runs" / "search-x")
    monkeypatch.setenv("INDIVISIBLE_HOME", str(home))
    code, out, _ = run(["results", "-f", "markdown"], capsys)
    assert code == 0
    assert "| search-x | search |" in out and "complete" in out


def test_show_queries_with_sql(runs: Path, capsys) -> None:
    argv = ["results", "show", "search-2024", "--runs-dir", str(runs), "-f", "json",
            "--sql", "SELECT count(*) AS n, min(item) AS lo, max(item) AS hi FROM results"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    data = json.loads(out)
    assert data["columns"] == ["n", "lo", "hi"]
    assert data["rows"] == [[25, 0, 24]]
    assert data["run"]["inputs"] == {"menu": "drafts"}
    # options given before the subcommand apply too
    code, out, _ = run(["results", "--runs-dir", str(runs), "-f", "json", "show", "robust"],
                       capsys)
    assert code == 0 and len(json.loads(out)["rows"]) == 20  # default query: 20 rows


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["show", "search", "--sql", "SELEKT 1"], "--sql: the query failed"),
     (["show", "nosuchrun"], "no run 'nosuchrun'"),
     (["show", "../x"], "expected a run id"),
     (["show", "search", "--sql", "SELECT * FROM read_text('/etc/hostname')"], "Permission")],
)
def test_bad_requests_exit_2_with_one_line(runs: Path, capsys, argv, message) -> None:
    code, out, err = run(["results", *argv[:1], "--runs-dir", str(runs), *argv[1:]], capsys)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
