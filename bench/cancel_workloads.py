"""Workload 3: cancel every QUEUED job (1,000 by default) and wait until each is CANCELLED; workload 9: the same at
`--scale` times the jobs (no uri loop there, the long-row repetitions)."""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Sequence

from harness import Bench, Entry, Row, RunFailed, Sample, no_calls
from report import FLOOR_TASK, RAW, RAW8, URI, XPRESS

PAGE = 500
SCENARIOS = 10


def seed(count: int) -> Dict[str, Any]:
    """`count` QUEUED jobs that stay queued for a day (so none starts while the job clock runs)."""
    scenarios = [{"name": "Plan %d" % n} for n in range(1, SCENARIOS + 1)]
    jobs = [{"scenario": "/Bench/Plans/Plan %d" % (n % SCENARIOS + 1), "status": "QUEUED", "created": "-%ds" % (count - n + 60),
             "queue_seconds": 86400, "execution_mode": "RUN"} for n in range(count)]
    return {"apps": [{"name": "Bench", "folders": [{"name": "Plans", "scenarios": scenarios}]}], "jobs": jobs}


def first_listing(count: int) -> int:
    """Pages of the first read of the unfinished jobs."""
    return max(1, math.ceil(count / PAGE))


def minimal_calls(count: int) -> int:
    """Token + every page of the unfinished jobs + one DELETE each + one listing that shows them all finished."""
    return 1 + first_listing(count) + count + 1


def run(bench: Bench, count: int, cancel_delay: float, uri_reps: int, number: int = 3,
        reps: Optional[int] = None, warmup: Optional[int] = None) -> List[Row]:
    """Workload 3 (xpress.insight, uri loop, raw script serial and with 8 connections) or, with number 9, the
    xpress.insight and serial raw rows only, with `reps` timed runs after `warmup` untimed ones."""
    workload = "%d cancel %d jobs" % (number, count)
    document = seed(count)

    def prepare() -> None:
        bench.control.reset(document)
        # The job clock runs (as on a server): a cancelled job reads CANCELLING, then CANCELLED after the delay.
        # The job history keeps every cancelled job, so the check below can count them all.
        bench.control.config(cancel_delay=cancel_delay, job_history_limit=max(5000, count))

    def check(sample: Sample) -> None:
        statuses = bench.job_counts()
        if statuses != {"CANCELLED": count}:
            raise RunFailed("not every one of the %d jobs is CANCELLED after the run: %s" % (count, statuses))
        deletes = sample.counters.get("by_route", {}).get("DELETE /api/jobs/{id}", 0)
        if deletes != count:
            raise RunFailed("%d DELETE calls for %d jobs" % (deletes, count))

    variants: Sequence[Any] = (
        (FLOOR_TASK, bench.floor_playbook("cancel_xpress.yml"), False),
        (XPRESS, bench.playbook("cancel_xpress.yml"), False),
        (URI, bench.playbook("cancel_uri.yml"), True),
        (RAW, bench.script("cancel_raw.py"), False),
        (RAW8, bench.script("cancel_raw.py", "--parallel", "8"), False),
    )
    rows = []
    turns = []
    for variant, cmd, slow in variants:
        if (slow and (uri_reps < 1 or number != 3)) or (variant == RAW8 and number != 3):
            continue
        row = Row(workload, variant, minimal_calls(count), work=count)
        if slow:
            bench.measure(row, cmd, prepare, check, reps=uri_reps, warmup=0)
        else:
            turns.append(Entry(row, cmd, prepare, no_calls if variant == FLOOR_TASK else check))
        rows.append(row)
    bench.rotate(turns, reps=reps, warmup=warmup)
    return rows
