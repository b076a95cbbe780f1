"""Workload 4: the insight_jobs inventory on 10,000 jobs against (raw paged fetch + bare ansible-inventory start).

The raw fetch script, its concurrency and the method are bench/inventory_bench.py's (run on its own it starts its
own emulator); here the same measurement runs on the shared emulator so the emulator's counters are reported too.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import List

from harness import BIN, Bench, Row, RunFailed, Sample
from inventory_bench import CONCURRENCY, RAW_FETCH

PAGE = 500


def run(bench: Bench, count: int) -> List[Row]:
    bench.control.reset("demo", generate={"jobs": {"count": count, "statuses": {"QUEUED": 60, "EXECUTING": 40},
                                                   "app": "Logistics"}})
    bench.control.clock("pause")  # the listing must not change between runs
    listed = sum(1 for job in bench.control.state()["jobs"] if job["status"] not in ("COMPLETED", "FAILED", "CANCELLED"))
    source = Path(bench.work) / "bench.insight_jobs.yml"
    source.write_text("plugin: xpress.insight.insight_jobs\nconcurrency: %d\n" % CONCURRENCY, encoding="utf-8")
    empty = Path(bench.work) / "empty_inventory.yml"
    empty.write_text("all: {}\n", encoding="utf-8")
    workload = "4 inventory %d jobs" % count
    minimal = 1 + max(1, math.ceil(listed / PAGE))

    def prepare() -> None:
        bench.control.reset_counters()

    def hosts_listed(sample: Sample) -> None:
        hosts = sample.out.count('"insight_id"')
        if hosts != listed:
            raise RunFailed("the inventory lists %d hosts, the server %d unfinished jobs" % (hosts, listed))

    def fetched(sample: Sample) -> None:
        if int(sample.out.strip() or 0) != listed:
            raise RunFailed("the raw fetch read %s jobs, the server lists %d" % (sample.out.strip(), listed))

    def nothing(_sample: Sample) -> None:
        return None

    plugin = bench.measure(Row(workload, "plugin ansible-inventory --list", minimal),
                           [str(BIN / "ansible-inventory"), "-i", str(source), "--list"], prepare, hosts_listed)
    raw = bench.measure(Row(workload, "raw paged fetch", minimal),
                        [sys.executable, "-c", RAW_FETCH, bench.control.url, bench.user["client_id"], bench.user["secret"],
                         str(CONCURRENCY)], prepare, fetched)
    bare = bench.measure(Row(workload, "bare ansible-inventory --list", 0),
                         [str(BIN / "ansible-inventory"), "-i", str(empty), "--list"], prepare, nothing)
    return [plugin, raw, bare]
