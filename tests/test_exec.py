"""Executors: chunk plans, seeds, and identical numbers across executors and worker counts."""

from __future__ import annotations

import functools
import io
import sys
import threading
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indivisible.errors import InputError
from indivisible.exec import (
    Chunk,
    DaskExecutor,
    Executor,
    LocalExecutor,
    chunk_seed,
    get_executor,
    plan_chunks,
    progress_bar,
)
from indivisible.exec.progress import NullProgress, progress_enabled

W = np.linspace(-1.0, 1.0, 16 * 8).reshape(16, 8)


def draws(chunk: Chunk) -> np.ndarray:
    """A small Monte-Carlo-like chunk: random draws, a matrix product, a nonlinear map."""
    rng = chunk.rng()
    x = rng.standard_normal((chunk.size, 16))
    return np.exp(-np.abs(x @ W)).sum(axis=1) + rng.random(chunk.size)


def slow_first(chunk: Chunk, n: int) -> int:
    """Earlier chunks finish later, so completion order is not chunk order."""
    time.sleep(0.01 * (n - chunk.index))
    return chunk.index


def fail_on(chunk: Chunk, bad: int) -> int:
    if chunk.index == bad:
        raise ValueError(f"chunk {bad} failed")
    return chunk.index


class Recorder:
    def __init__(self) -> None:
        self.total = 0
        self.lock = threading.Lock()

    def advance(self, amount: int = 1) -> None:
        with self.lock:
            self.total += amount


@pytest.fixture(scope="module")
def dask1():
    with DaskExecutor(workers=1, processes=False) as ex:
        yield ex


@pytest.fixture(scope="module")
def dask2():
    with DaskExecutor(workers=2, processes=False) as ex:
        yield ex


# -- chunk plan and seeds ------------------------------------------------------------


@given(n=st.integers(0, 500), size=st.integers(1, 60), seed=st.integers(0, 2**63))
@settings(max_examples=60, deadline=None)
def test_plan_covers_every_item_once_in_order(n: int, size: int, seed: int) -> None:
    chunks = plan_chunks(n, size, seed)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert len(chunks) == -(-n // size)
    covered = [i for c in chunks for i in range(c.start, c.stop)]
    assert covered == list(range(n))
    assert all(1 <= c.size <= size for c in chunks)
    assert all(c.size == size for c in chunks[:-1])


def test_chunk_seed_is_child_i_of_the_run_seed_and_depends_only_on_index() -> None:
    spawned = np.random.SeedSequence(1234).spawn(40)
    a = plan_chunks(100, 10, 1234)  # 10 chunks
    b = plan_chunks(1000, 25, 1234)  # 40 chunks, other sizes
    for i in range(10):
        expected = spawned[i].generate_state(8)
        assert np.array_equal(a[i].seed.generate_state(8), expected)
        assert np.array_equal(b[i].seed.generate_state(8), expected)
        assert np.array_equal(chunk_seed(1234, i).generate_state(8), expected)
    states = {tuple(c.seed.generate_state(4)) for c in b}
    assert len(states) == len(b)  # every chunk its own stream
    assert not np.array_equal(plan_chunks(100, 10, 1235)[0].seed.generate_state(8),
                              a[0].seed.generate_state(8))


@pytest.mark.parametrize(
    ("n", "size", "seed", "field"),
    [(-1, 10, 0, "n_items"), (10, 0, 0, "chunk_size"), (10, 5, -3, "seed"),
     (10, 5, True, "seed"), (10, 2.5, 0, "chunk_size"), ("10", 5, 0, "n_items")],
)
def test_plan_rejects_bad_numbers(n, size, seed, field) -> None:
    with pytest.raises(InputError) as err:
        plan_chunks(n, size, seed)
    assert err.value.field == field


# -- executors -------------------------------------------------------------------------


def _reference(chunks: list[Chunk]) -> np.ndarray:
    return np.concatenate([draws(c) for c in chunks])


def test_same_numbers_on_every_executor_and_worker_count(dask1, dask2) -> None:
    chunks = plan_chunks(1000, 37, seed=20211217)
    expected = _reference(chunks)
    results = {}
    with LocalExecutor(workers=1) as l1, LocalExecutor(workers=2) as l2, \
            LocalExecutor(workers=3) as l3:
        for ex in (l1, l2, l3, dask1, dask2):
            key = f"{ex.name}-{ex.workers}"
            results[key] = np.concatenate(ex.map(draws, chunks))
    for key, got in results.items():
        assert got.tobytes() == expected.tobytes(), key  # bitwise identical
    other = np.concatenate(LocalExecutor(1).map(draws, plan_chunks(1000, 37, seed=1)))
    assert not np.array_equal(other, expected)


def test_dask_worker_processes_give_the_same_numbers() -> None:
    """Real worker processes: the function and chunks travel by pickle and still agree."""
    chunks = plan_chunks(300, 50, seed=7)
    with DaskExecutor(workers=2, processes=True) as ex:
        got = np.concatenate(ex.map(draws, chunks))
    assert got.tobytes() == _reference(chunks).tobytes()


@pytest.mark.parametrize("which", ["local2", "dask2"])
def test_results_come_back_in_chunk_order(which, dask2) -> None:
    chunks = plan_chunks(12, 1, seed=0)
    fn = functools.partial(slow_first, n=len(chunks))
    ex = LocalExecutor(2) if which == "local2" else dask2
    seen = [pos for pos, _ in ex.imap_unordered(fn, chunks)]
    assert sorted(seen) == list(range(12))
    assert ex.map(fn, chunks) == list(range(12))
    if which == "local2":
        ex.close()


@pytest.mark.parametrize("which", ["local1", "local2", "dask1"])
def test_a_failing_chunk_raises(which, dask1) -> None:
    ex = {"local1": LocalExecutor(1), "local2": LocalExecutor(2), "dask1": dask1}[which]
    with pytest.raises(ValueError, match="chunk 5 failed"):
        ex.map(functools.partial(fail_on, bad=5), plan_chunks(20, 2, seed=0))
    if which != "dask1":
        ex.close()


def test_progress_advances_by_items(dask1) -> None:
    chunks = plan_chunks(103, 10, seed=0)
    for ex in (LocalExecutor(2), dask1):
        rec = Recorder()
        ex.map(draws, chunks, progress=rec)
        assert rec.total == 103


def test_empty_plan_gives_empty_results(dask1) -> None:
    assert LocalExecutor(2).map(draws, []) == []
    assert dask1.map(draws, []) == []


def test_get_executor_by_name() -> None:
    with get_executor("local", workers=2) as ex:
        assert isinstance(ex, LocalExecutor) and ex.workers == 2
        assert isinstance(ex, Executor)
    with pytest.raises(InputError, match="unknown executor 'spark'"):
        get_executor("spark")
    with pytest.raises(InputError) as err:
        get_executor("local", scheduler="tcp://127.0.0.1:8786")
    assert err.value.field == "--scheduler"
    for bad in (0, -2, True):
        with pytest.raises(InputError) as err:
            get_executor("local", workers=bad)
        assert err.value.field == "--workers"


def test_unreachable_scheduler_is_an_input_error() -> None:
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        DaskExecutor(scheduler="tcp://127.0.0.1:9", timeout=1)


# -- progress bars ---------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_terminals_and_not_when_switched_off(monkeypatch) -> None:
    monkeypatch.delenv("INDIVISIBLE_NO_PROGRESS", raising=False)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert not progress_enabled()
    with progress_bar("draws", 10) as bar:
        assert isinstance(bar, NullProgress)
    term_out, term_err = FakeTerminal(), FakeTerminal()
    monkeypatch.setattr(sys, "stdout", term_out)
    monkeypatch.setattr(sys, "stderr", term_err)
    assert progress_enabled()
    with progress_bar("robustness draws", 10) as bar:
        assert not isinstance(bar, NullProgress)
        bar.advance(10)
    assert "robustness draws" in term_err.getvalue()
    assert term_out.getvalue() == ""  # the bar never touches stdout
    monkeypatch.setenv("INDIVISIBLE_NO_PROGRESS", "1")
    assert not progress_enabled()
