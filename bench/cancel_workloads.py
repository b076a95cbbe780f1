"""Workload 3: cancel every QUEUED job (1,000 by default) and wait until each is CANCELLED, three variants."""
from __future__ import annotations

import math
from typing import Any, Dict, List, Sequence

from harness import Bench, Row, RunFailed, Sample

PAGE = 500
SCENARIOS = 10


def seed(count: int) -> Dict[str, Any]:
    """`count` QUEUED jobs that stay queued for a day (so none starts while the job clock runs)."""
    scenarios = [{"name": "Plan %d" % n} for n in range(1, SCENARIOS + 1)]
    jobs = [{"scenario": "/Bench/Plans/Plan %d" % (n % SCENARIOS + 1), "status": "QUEUED", "created": "-%ds" % (count - n + 60),
             "queue_seconds": 86400, "execution_mode": "RUN"} for n in range(count)]
    return {"apps": [{"name": "Bench", "folders": [{"name": "Plans", "scenarios": scenarios}]}], "jobs": jobs}


def minimal_calls(count: int) -> int:
    """Token + every page of the unfinished jobs + one DELETE each + one listing that shows them all finished."""
    return 1 + max(1, math.ceil(count / PAGE)) + count + 1


def run(bench: Bench, count: int, cancel_delay: float, uri_reps: int) -> List[Row]:
    workload = "3 cancel %d jobs" % count
    document = seed(count)

    def prepare() -> None:
        bench.control.reset(document)
        # The job clock runs (as on a server): a cancelled job reads CANCELLING, then CANCELLED after the delay.
        bench.control.config(cancel_delay=cancel_delay)

    def check(sample: Sample) -> None:
        jobs = bench.control.state()["jobs"]
        left = [job for job in jobs if job["status"] != "CANCELLED"]
        if len(jobs) != count or left:
            raise RunFailed("%d of %d job(s) not CANCELLED after the run" % (len(left), len(jobs)))
        deletes = sample.counters.get("by_route", {}).get("DELETE /api/jobs/{id}", 0)
        if deletes != count:
            raise RunFailed("%d DELETE calls for %d jobs" % (deletes, count))

    rows = []
    variants: Sequence[Any] = (
        ("xpress.insight playbook", bench.playbook("cancel_xpress.yml"), False),
        ("uri-loop playbook", bench.playbook("cancel_uri.yml"), True),
        ("raw requests script", bench.script("cancel_raw.py"), False),
    )
    for variant, cmd, slow in variants:
        if slow and uri_reps < 1:
            continue
        row = Row(workload, variant, minimal_calls(count))
        if slow:
            bench.measure(row, cmd, prepare, check, reps=uri_reps, warmup=0)
        else:
            bench.measure(row, cmd, prepare, check)
        rows.append(row)
    return rows
