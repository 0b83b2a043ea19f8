"""Sweeps: chunk files + manifest, resumed after a SIGKILL to the same result; runs listing."""

from __future__ import annotations

import fcntl
import functools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from indivisible import __version__
from indivisible.errors import InputError
from indivisible.exec import (
    Chunk,
    DaskExecutor,
    LocalExecutor,
    Sweep,
    list_runs,
    open_sweep,
    query_run,
    run_sweep,
    runs_home,
)
from indivisible.exec.runs import code_version, resolve_run

TESTS = Path(__file__).resolve().parent
INPUTS = {"scenario": "toy", "action": "join ALPHA", "draws": 240}


def simulate(chunk: Chunk, delay: float = 0.0, log: list[int] | None = None) -> pa.Table:
    """A chunk of a synthetic Monte Carlo: per item, a draw and a reduction over 32 values."""
    if delay:
        time.sleep(delay)
    if log is not None:
        log.append(chunk.index)
    rng = chunk.rng()
    x = rng.standard_normal((chunk.size, 32))
    return pa.table({
        "item": np.arange(chunk.start, chunk.stop, dtype=np.int64),
        "chunk": np.full(chunk.size, chunk.index, dtype=np.int32),
        "mean": x.mean(axis=1),
        "max": x.max(axis=1),
    })


def make(run_dir: Path, **over) -> Sweep:
    args = {"kind": "robustness", "inputs": INPUTS, "seed": 99, "n_items": 240,
            "chunk_size": 10, **over}
    return Sweep(run_dir, **args)


def child(run_dir: str) -> None:
    """Entry point of the subprocess that gets killed midway."""
    run_sweep(functools.partial(simulate, delay=0.12), make(Path(run_dir)), LocalExecutor(1))


def expected_table() -> pa.Table:
    return pa.concat_tables([simulate(c) for c in make(Path("unused")).chunks])


# -- resume after a kill ---------------------------------------------------------------


def test_killed_sweep_resumes_to_the_uninterrupted_result(tmp_path: Path) -> None:
    run_dir = tmp_path / "killed"
    code = (f"import sys; sys.path.insert(0, {str(TESTS)!r}); "
            "import test_exec_sweep as t; t.child(sys.argv[1])")
    env = {**os.environ, "INDIVISIBLE_NO_PROGRESS": "1"}
    proc = subprocess.Popen([sys.executable, "-c", code, str(run_dir)], env=env)
    chunks_dir = run_dir / "chunks"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if chunks_dir.is_dir() and len(list(chunks_dir.glob("chunk-*.parquet"))) >= 4:
                break
            assert proc.poll() is None, "the sweep ended before it could be killed"
            time.sleep(0.02)
        else:
            pytest.fail("the sweep wrote no chunks in time")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    sweep = make(run_dir)
    before = sweep.done()
    assert 4 <= len(before) < len(sweep.chunks)  # killed midway, not before or after
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "partial"
    assert [r.status for r in list_runs(tmp_path)] == ["partial"]

    log: list[int] = []
    resumed = run_sweep(functools.partial(simulate, log=log), sweep, LocalExecutor(2))
    assert sorted(log) == sorted(set(range(len(sweep.chunks))) - before)  # only the missing
    uninterrupted = run_sweep(simulate, make(tmp_path / "whole"), LocalExecutor(1))
    assert resumed.equals(uninterrupted)
    assert resumed.equals(expected_table())
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["chunks_done"] == manifest["chunks_total"] == 24
    assert not list(chunks_dir.glob(".*.tmp"))


def test_same_result_on_every_executor(tmp_path: Path) -> None:
    expected = expected_table()
    with DaskExecutor(workers=2, processes=False) as dask2:
        for name, ex in [("l1", LocalExecutor(1)), ("l2", LocalExecutor(2)), ("d2", dask2)]:
            assert run_sweep(simulate, make(tmp_path / name), ex).equals(expected), name


def test_complete_run_recomputes_nothing_and_damaged_chunks_are_redone(tmp_path: Path) -> None:
    sweep = make(tmp_path / "r")
    first = run_sweep(simulate, sweep, LocalExecutor(2))
    log: list[int] = []
    assert run_sweep(functools.partial(simulate, log=log), sweep, LocalExecutor(2)).equals(first)
    assert log == []
    # a truncated chunk file and a leftover temporary file from an interrupted write
    damaged = sweep.chunk_path(3)
    damaged.write_bytes(damaged.read_bytes()[:40])
    stale = damaged.parent / ".chunk-000007.parquet.abc.tmp"
    stale.write_bytes(b"half")
    assert run_sweep(functools.partial(simulate, log=log), sweep, LocalExecutor(1)).equals(first)
    assert log == [3]
    assert not stale.exists()


def test_progress_counts_saved_and_new_items(tmp_path: Path) -> None:
    class Rec:
        total = 0

        def advance(self, amount: int = 1) -> None:
            self.total += amount

    sweep = make(tmp_path / "p", n_items=95)
    run_sweep(simulate, sweep, LocalExecutor(1))
    sweep.chunk_path(0).unlink()
    rec = Rec()
    run_sweep(simulate, sweep, LocalExecutor(1), progress=rec)
    assert rec.total == 95


# -- refusing to mix -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [({"inputs": {**INPUTS, "action": "leave ALPHA"}}, "inputs"),
     ({"seed": 100}, "seed"),
     ({"chunk_size": 12}, "plan"),
     ({"n_items": 250}, "plan"),
     ({"kind": "montecarlo"}, "kind"),
     ({"parameters": {"beta": 0.5}}, "parameters")],
)
def test_a_different_run_in_the_same_folder_is_refused(tmp_path: Path, change, field) -> None:
    run_dir = tmp_path / "r"
    run_sweep(simulate, make(run_dir, n_items=30), LocalExecutor(1))
    before = sorted(p.name for p in (run_dir / "chunks").iterdir())
    other = make(run_dir, **({"n_items": 30} | change))
    with pytest.raises(InputError) as err:
        run_sweep(simulate, other, LocalExecutor(1))
    assert err.value.field == field
    assert "manifest.json" in str(err.value)
    assert sorted(p.name for p in (run_dir / "chunks").iterdir()) == before  # untouched


def test_a_folder_that_is_not_a_run_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="empty or new folder"):
        run_sweep(simulate, make(tmp_path), LocalExecutor(1))


def test_a_different_package_version_is_refused(tmp_path: Path) -> None:
    run_dir = tmp_path / "r"
    run_sweep(simulate, make(run_dir, n_items=20), LocalExecutor(1))
    manifest = json.loads((run_dir / "manifest.json").read_text())
    manifest["package"] = "0.0.1"
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InputError) as err:
        run_sweep(simulate, make(run_dir, n_items=20), LocalExecutor(1))
    assert err.value.field == "package"


def test_a_run_in_use_is_refused(tmp_path: Path) -> None:
    sweep = make(tmp_path / "r", n_items=20)
    sweep.prepare()
    with open(sweep.run_dir / ".lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        with pytest.raises(InputError, match="another process"):
            run_sweep(simulate, sweep, LocalExecutor(1))


@pytest.mark.parametrize("bad", [{"x": object()}, {"x": float("nan")}])
def test_inputs_must_be_json_data(tmp_path: Path, bad) -> None:
    with pytest.raises(InputError) as err:
        run_sweep(simulate, make(tmp_path / "r", inputs=bad), LocalExecutor(1))
    assert err.value.field == "inputs"


def test_chunk_function_must_return_a_table(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="pyarrow Table"):
        run_sweep(lambda c: [1, 2], make(tmp_path / "r", n_items=5), LocalExecutor(1))


# -- runs directory, listing and queries -----------------------------------------------


def test_runs_home_precedence(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("INDIVISIBLE_HOME", raising=False)
    assert runs_home() == tmp_path / "home" / ".indivisible" / "runs"
    monkeypatch.setenv("INDIVISIBLE_HOME", str(tmp_path / "ih"))
    assert runs_home() == tmp_path / "ih" / "runs"
    assert runs_home(tmp_path / "opt") == tmp_path / "opt"


def test_open_sweep_names_resumes_and_separates_runs(tmp_path: Path) -> None:
    a = open_sweep("robustness", INPUTS, 99, 40, 10, runs_dir=tmp_path)
    assert a.run_dir.parent == tmp_path
    kind, stamp, key = a.run_dir.name.split("-")
    assert kind == "robustness" and len(stamp) == 16 and stamp.endswith("Z") and key == a.key
    run_sweep(simulate, a, LocalExecutor(1))
    again = open_sweep("robustness", INPUTS, 99, 40, 10, runs_dir=tmp_path)
    assert again.run_dir == a.run_dir
    other = open_sweep("robustness", {**INPUTS, "draws": 1}, 99, 40, 10, runs_dir=tmp_path)
    assert other.run_dir != a.run_dir and other.key != a.key
    fresh = open_sweep("robustness", INPUTS, 99, 40, 10, runs_dir=tmp_path, resume=False)
    assert fresh.run_dir != a.run_dir and not fresh.run_dir.exists()


def test_list_runs_reports_status_and_provenance(tmp_path: Path) -> None:
    full = make(tmp_path / "robustness-1", n_items=30)
    run_sweep(simulate, full, LocalExecutor(1))
    part = make(tmp_path / "robustness-2", n_items=30, seed=5)
    run_sweep(simulate, part, LocalExecutor(1))
    part.chunk_path(1).unlink()
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "manifest.json").write_text("{not json")
    runs = {r.id: r for r in list_runs(tmp_path)}
    assert runs["robustness-1"].status == "complete"
    assert (runs["robustness-1"].chunks_done, runs["robustness-1"].chunks_total) == (3, 3)
    assert runs["robustness-2"].status == "partial" and runs["robustness-2"].chunks_done == 2
    assert runs["robustness-2"].seed == 5
    assert runs["robustness-1"].code_version.startswith(__version__)
    assert runs["broken"].status == "unreadable"
    assert code_version()["indivisible"] == __version__
    assert resolve_run(tmp_path, "robustness-2") == part.run_dir
    with pytest.raises(InputError, match="matches 2 runs"):
        resolve_run(tmp_path, "robust")
    with pytest.raises(InputError):
        resolve_run(tmp_path, "../etc")


def test_query_run_with_duckdb(tmp_path: Path) -> None:
    sweep = make(tmp_path / "r")
    table = run_sweep(simulate, sweep, LocalExecutor(2))
    cols, rows = query_run(sweep.run_dir, "SELECT count(*) AS n, sum(mean) AS s FROM results")
    assert cols == ["n", "s"]
    assert rows[0][0] == 240
    assert rows[0][1] == pytest.approx(pc.sum(table["mean"]).as_py(), rel=1e-12)
    _, rows = query_run(sweep.run_dir, "SELECT item FROM results WHERE chunk = 7 ORDER BY item")
    assert [r[0] for r in rows] == list(range(70, 80))
    with pytest.raises(InputError) as err:
        query_run(sweep.run_dir, "SELEC nonsense")
    assert err.value.field == "--sql"
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    for sql in (f"SELECT * FROM read_csv('{secret}')",
                f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'",
                "SET enable_external_access = true"):
        with pytest.raises(InputError):
            query_run(sweep.run_dir, sql)
    assert not (tmp_path / "out.csv").exists()


def test_query_run_without_chunks(tmp_path: Path) -> None:
    sweep = make(tmp_path / "r")
    sweep.prepare()
    with pytest.raises(InputError, match="no saved chunks"):
        query_run(sweep.run_dir, "SELECT 1")
