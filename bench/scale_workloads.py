"""Workloads 7-10: workloads 1-4 with `--scale` times the work (folders or jobs), to see how time and memory grow.

    7  workload 1 on a tree with scale x the folders (10 x 9 x 10 = 1,000 for 4 x 3 x 7 = 100)
    8  its converged re-run
    9  workload 3 with scale x the jobs (10,000)
    10 workload 4 with scale x the jobs (100,000), against its replayed floor only
These rows are long: `--scale-reps` timed runs each, no warm-up, and no uri loop.
"""
from __future__ import annotations

import argparse
import math
from typing import List, Sequence, Tuple

import cancel_workloads
import folder_workloads
import inventory_workload
from harness import Bench, Row

NUMBERS = (7, 8, 9, 10)


def folders(shape: Sequence[int]) -> int:
    return shape[0] + shape[0] * shape[1] + shape[0] * shape[1] * shape[2]


def scaled_shape(shape: Sequence[int], factor: int) -> Tuple[int, int, int]:
    """A depth-3 tree with `factor` times the folders of `shape`: the count closest to it (exact when some shape has
    it), then the shape closest to `shape` grown evenly on each level (log distance)."""
    target = folders(shape) * factor
    even = [n * factor ** (1.0 / 3) for n in shape]
    best: Tuple[Tuple[int, float], Tuple[int, int, int]] = ((target, math.inf), (1, 1, 1))
    for a in range(1, target + 1):
        rest = target / a - 1  # b * (1 + c)
        if rest < 2:
            break
        for b in range(1, int(rest / 2) + 1):
            for c in sorted({max(1, math.floor(rest / b - 1)), max(1, math.ceil(rest / b - 1))}):
                candidate = (a, b, c)
                key = (abs(folders(candidate) - target), sum(math.log(n / e) ** 2 for n, e in zip(candidate, even, strict=True)))
                if key < best[0]:
                    best = (key, candidate)
    return best[1]


def run(bench: Bench, args: argparse.Namespace) -> List[Row]:
    """The scale rows asked for in args.workloads, sized from the 1x options (tree shape, jobs) times args.scale."""
    rows: List[Row] = []
    if {7, 8} & set(args.workloads):
        rows += folder_workloads.run(bench, scaled_shape(args.shape, args.scale), 0, args.workloads, numbers=(7, 8),
                                     reps=args.scale_reps, warmup=0)
    if 9 in args.workloads:
        rows += cancel_workloads.run(bench, args.cancel_jobs * args.scale, args.cancel_delay, 0, number=9,
                                     reps=args.scale_reps, warmup=0)
    if 10 in args.workloads:
        rows += inventory_workload.run(bench, args.inventory_jobs * args.scale, number=10, reps=args.scale_reps, warmup=0)
    return rows
