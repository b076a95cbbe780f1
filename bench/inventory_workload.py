"""Workload 4: the insight_jobs inventory on 10,000 jobs against (raw paged fetch + bare ansible-inventory start).

The raw fetch script, its concurrency and the method are bench/inventory_bench.py's (run on its own it starts its
own emulator); here the same measurement runs on the shared emulator so the emulator's counters are reported too.
"""
from __future__ import annotations

import json
import math
import sys
import urllib.request
from pathlib import Path
from typing import List

from harness import BIN, Bench, Row, RunFailed, Sample
from inventory_bench import CONCURRENCY, RAW_FETCH

PAGE = 500


def unfinished_total(bench: Bench) -> int:
    """How many jobs the listing holds, from one tiny page. Not from the control API's state: loading 10,000 jobs
    into this process would raise its peak RSS, which Linux hands on to every child it starts afterwards (a child's
    ru_maxrss starts from its parent's high-water mark at fork), and the RSS column would show the runner's memory."""
    request = urllib.request.Request(bench.control.url + "/api/jobs?includeFinished=false&page=0&size=1", headers={
        "Authorization": "Bearer " + bench.control.token("alice"), "Accept": "application/vnd.com.fico.xpress.insight.v2+json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return int(json.loads(answer.read().decode("utf-8"))["totalElements"])


def run(bench: Bench, count: int) -> List[Row]:
    bench.control.reset("demo", generate={"jobs": {"count": count, "statuses": {"QUEUED": 60, "EXECUTING": 40},
                                                   "app": "Logistics"}})
    bench.control.clock("pause")  # the listing must not change between runs
    listed = unfinished_total(bench)
    source = Path(bench.work) / "bench.insight_jobs.yml"
    source.write_text("plugin: xpress.insight.insight_jobs\nconcurrency: %d\n" % CONCURRENCY, encoding="utf-8")
    empty = Path(bench.work) / "empty_inventory.yml"
    empty.write_text("all: {}\n", encoding="utf-8")
    workload = "4 inventory %d jobs" % count
    minimal = 1 + max(1, math.ceil(listed / PAGE))

    def prepare() -> None:
        bench.control.reset_counters()

    def hosts_listed(sample: Sample) -> None:
        hosts = sample.marks
        if hosts != listed:
            raise RunFailed("the inventory lists %d hosts, the server %d unfinished jobs" % (hosts, listed))

    def fetched(sample: Sample) -> None:
        if int(sample.out.strip() or 0) != listed:
            raise RunFailed("the raw fetch read %s jobs, the server lists %d" % (sample.out.strip(), listed))

    def nothing(_sample: Sample) -> None:
        return None

    plugin = bench.measure(Row(workload, "plugin ansible-inventory --list", minimal),
                           [str(BIN / "ansible-inventory"), "-i", str(source), "--list"], prepare, hosts_listed,
                           marker=b'"insight_id"')
    raw = bench.measure(Row(workload, "raw paged fetch", minimal),
                        [sys.executable, "-c", RAW_FETCH, bench.control.url, bench.user["client_id"], bench.user["secret"],
                         str(CONCURRENCY)], prepare, fetched)
    bare = bench.measure(Row(workload, "bare ansible-inventory --list", 0),
                         [str(BIN / "ansible-inventory"), "-i", str(empty), "--list"], prepare, nothing)
    return [plugin, raw, bare]
