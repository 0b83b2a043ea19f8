"""A 1000-draw assessment of one action on the baseline, against one NumPy exponential.

The peer is the cost of evaluating the model's own distance decay once: ``np.exp`` over
an array of (draws, elements, states), measured in the same run. An assessment
evaluates the world before and after the action for every draw, decomposes the change
and decides every reading, so the goal is to stay within 3x of that reference. The
geometry (territory distances, range coverage) is built once per process before timing,
as the first assessment of a session builds it; its cost is printed separately.

    python benchmarks/bench_assess.py [--case ukraine-joins-nato] [--draws 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from indivisible.actions import load_case
from indivisible.assess.assessment import assess
from indivisible.security import SecurityModel
from indivisible.world.loader import load_baseline


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--case", default="ukraine-joins-nato")
    p.add_argument("--draws", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()

    world = load_baseline()
    case = load_case(args.case)
    t0 = time.perf_counter()
    assess(world, case, draws=0)
    geometry = time.perf_counter() - t0

    best = min(_time(lambda: assess(world, case, draws=args.draws, seed=1)) for _ in range(args.repeat))
    snap = world.at(case.default_at)
    n_el = len(SecurityModel().elements(snap).ids)
    n_st = len(snap.iso3)
    arr = -np.random.default_rng(0).random((args.draws, n_el, n_st))
    ref = min(_time(lambda: np.exp(arr)) for _ in range(args.repeat))
    print(f"case {args.case} at {case.default_at}: {n_st} states, {n_el} elements, {args.draws} draws")
    print(f"first assessment in a process (builds the geometry): {geometry:.2f} s")
    print(f"{'':28s}{'seconds':>10s}")
    print(f"{'assessment (warm)':28s}{best:10.3f}")
    print(f"{'np.exp over (B, E, N)':28s}{ref:10.3f}")
    print(f"ratio assessment / exp: {best / ref:.2f}  (goal <= 3)")


def _time(fn) -> float:  # noqa: ANN001
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
