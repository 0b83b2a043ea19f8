"""Batched security evaluation against the cost of one NumPy exponential per (draw, element, state).

For the shipped baseline world at 2021-12-15 the script times ``SecurityModel.evaluate_batch`` for B parameter draws and prints the
throughput in draws x states x elements per second. Beside it, measured in the same
run, the reference: the time NumPy needs for one ``np.exp`` over an array of shape
(B, E, N) with E the number of force elements (done in place, in slabs of at most
``--slab`` values so that memory stays bounded; exp time is linear in the size). The
ratio model / reference is the figure of merit; the goal is <= 3 at B = 1000. The
element-by-element form of the model (``factors.element_factors``, the readable
reference implementation) is timed too where it fits in memory.

    python benchmarks/bench_model.py [--draws 1,100,1000,10000] [--repeat 3] [--date D]

The geometry (territory distances, coverage) is computed once per snapshot, before
timing, as in any real use.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from indivisible.security import SecurityModel, draw_params
from indivisible.security.factors import element_factors
from indivisible.world.loader import load_baseline


def _args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--draws", default="1,100,1000,10000")
    p.add_argument("--repeat", type=int, default=3, help="timed repetitions (best kept)")
    p.add_argument("--date", default="2021-12-15")
    p.add_argument("--seed", type=int, default=20211215)
    p.add_argument("--slab", type=int, default=1 << 23, help="values per reference exp call")
    return p.parse_args()


def _best(fn, repeat: int) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def exp_reference(b: int, e: int, n: int, slab: int, repeat: int) -> float:
    """Seconds for np.exp over (b, e, n) values, in place, in slabs."""
    total = b * e * n
    buf = -np.random.default_rng(0).uniform(0, 5, min(total, slab))

    def run() -> None:
        left = total
        while left > 0:
            k = min(left, buf.size)
            np.exp(buf[:k], out=buf[:k])
            buf[:k] = -buf[:k]  # keep values in a realistic range between calls
            left -= k

    return _best(run, repeat)


def main() -> None:
    args = _args()
    world, label = load_baseline(), "baseline world"
    model = SecurityModel()
    snap = world.at(args.date)
    t = time.perf_counter()
    es = model.elements(snap)
    geometry_s = time.perf_counter() - t
    e, n = es.n_elements, es.n_states
    kinds = {k: int((es.kind == k).sum()) for k in ("home", "nuclear", "deployment", "latent")}
    print(f"{label} at {args.date}: N = {n} states, E = {e} elements {kinds}")
    print(f"geometry built once in {geometry_s:.2f} s; numpy {np.__version__}")
    print()
    head = (f"{'B':>6} {'model s':>10} {'B*E*N/s':>10} {'exp(BxExN) s':>13} {'ratio':>6}"
            f" {'elementwise s':>14}")
    print(head)
    print("-" * len(head))
    for b in (int(x) for x in args.draws.split(",")):
        batch = draw_params(model.params, b, args.seed)
        model.evaluate_batch(snap, batch)  # warm caches (plan, index arrays)
        secs = _best(lambda batch=batch: model.evaluate_batch(snap, batch), args.repeat)
        ref = exp_reference(b, e, n, args.slab, args.repeat)
        elementwise = ""
        if b * e * n <= 60_000_000:
            values = dict(batch.values)

            def plain(values=values) -> None:
                f = element_factors(es, values)
                t_, d_ = f.threat().sum(axis=1), f.protection().sum(axis=1)
                _ = d_ / (d_ + t_)

            elementwise = f"{_best(plain, 1):14.4f}"
        print(f"{b:6d} {secs:10.4f} {b * e * n / secs:10.3g} {ref:13.4f} {secs / ref:6.2f}"
              f" {elementwise:>14}")


if __name__ == "__main__":
    main()
