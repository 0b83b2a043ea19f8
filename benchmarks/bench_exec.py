"""Executors side by side on a batched NumPy workload, against the machine's matmul speed.

Each chunk does what a robustness or Monte Carlo chunk does: draw its parameters from its
own seed (a ``b x E`` matrix), push them through the model's linear part (a product with
an ``E x N`` matrix, as in T = h . (c * r)), and reduce per item. The same chunks run on
the local executor (threads) and on a local Dask cluster (worker processes) with 1 and 2
workers; the script prints wall time, achieved GFLOP/s and speed-up against local with
1 worker, checks that every configuration returns bitwise-identical numbers, and measures
the machine's own NumPy matrix-multiply GFLOP/s in the same run as the ceiling.

    python benchmarks/bench_exec.py [--items 32768] [--elements 1024] [--states 256]
        [--chunk 2048] [--repeat 3] [--blas-threads N]

``--blas-threads 1`` pins OpenBLAS/MKL/OpenMP to one thread per worker (set before NumPy
loads, inherited by Dask's worker processes), which shows the executors' own scaling;
without it BLAS may already use every core inside a single worker.
"""

from __future__ import annotations

import argparse
import os
import sys


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--items", type=int, default=32768, help="B: items (draws) in all")
    p.add_argument("--elements", type=int, default=1024, help="E: force elements")
    p.add_argument("--states", type=int, default=256, help="N: states (columns)")
    p.add_argument("--chunk", type=int, default=2048, help="items per chunk")
    p.add_argument("--repeat", type=int, default=3, help="timed repetitions (best kept)")
    p.add_argument("--seed", type=int, default=20220201)
    p.add_argument("--blas-threads", type=int, default=None)
    return p.parse_args()


ARGS = _args() if __name__ == "__main__" else None
if ARGS is not None and ARGS.blas_threads:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(ARGS.blas_threads)

import functools  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from indivisible.exec import Chunk, DaskExecutor, LocalExecutor, plan_chunks  # noqa: E402


def workload(chunk: Chunk, weights: np.ndarray) -> np.ndarray:
    """One chunk: seeded draws, (b x E) . (E x N), then a per-item reduction."""
    x = chunk.rng().random((chunk.size, weights.shape[0]))
    threat = x @ weights
    return (threat.min(axis=1) / (1.0 + threat.max(axis=1))).astype(np.float64)


def matmul_gflops(n: int = 2048, repeat: int = 5) -> float:
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n)), rng.random((n, n))
    a @ b  # warm-up
    best = min(_timed(lambda: a @ b) for _ in range(repeat))
    return 2.0 * n**3 / best / 1e9


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    a = ARGS
    assert a is not None
    rng = np.random.default_rng(a.seed)
    weights = rng.random((a.elements, a.states))
    chunks = plan_chunks(a.items, a.chunk, a.seed)
    fn = functools.partial(workload, weights=weights)
    flops = 2.0 * a.items * a.elements * a.states
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "default (all cores)")
    print(f"machine: {os.cpu_count()} cores; numpy {np.__version__}; BLAS threads: {blas}")
    print(f"workload: B={a.items} E={a.elements} N={a.states} in {len(chunks)} chunks of "
          f"{a.chunk}; {flops / 1e9:.1f} GFLOP of matrix product per run")
    peak = matmul_gflops()
    print(f"numpy matmul 2048x2048 (same run): {peak:.1f} GFLOP/s")

    configs = [("local", 1), ("local", 2), ("dask", 1), ("dask", 2)]
    rows, reference = [], None
    for name, workers in configs:
        t0 = time.perf_counter()
        ex = LocalExecutor(workers) if name == "local" else DaskExecutor(workers=workers)
        startup = time.perf_counter() - t0
        try:
            ex.map(fn, chunks[: min(2, len(chunks))])  # warm-up (ships weights to workers)
            times, result = [], None
            for _ in range(a.repeat):
                t0 = time.perf_counter()
                result = ex.map(fn, chunks)
                times.append(time.perf_counter() - t0)
        finally:
            ex.close()
        out = np.concatenate(result)
        if reference is None:
            reference = out
        same = out.tobytes() == reference.tobytes()
        rows.append((f"{name}-{workers}", startup, min(times), same))

    base = rows[0][2]
    print()
    print(f"{'executor':<10} {'start s':>8} {'best s':>8} {'GFLOP/s':>8} {'% matmul':>9} "
          f"{'speed-up':>9} {'identical':>10}")
    for label, startup, best, same in rows:
        print(f"{label:<10} {startup:>8.2f} {best:>8.3f} {flops / best / 1e9:>8.1f} "
              f"{100 * flops / best / 1e9 / peak:>8.0f}% {base / best:>8.2f}x "
              f"{'yes' if same else 'NO':>10}")
    if not all(r[3] for r in rows):
        sys.exit("results differ between executors")


if __name__ == "__main__":
    main()
