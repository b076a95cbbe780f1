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
from typing import Callable, List

from harness import BENCH, BIN, Bench, Row, RunFailed, Sample, run_child
from inventory_bench import CONCURRENCY, RAW_FETCH
from report import FLOOR

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
    source.write_text("plugin: xpress.insight.insight_jobs\nparallel: %d\n" % CONCURRENCY, encoding="utf-8")
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
    return [plugin, raw, bare, floor(bench, source, workload, listed, prepare, hosts_listed)]


def floor(bench: Bench, source: Path, workload: str, listed: int, prepare: Callable[[], None],
          hosts_listed: Callable[[Sample], None]) -> Row:
    """ansible-core's own cost for this inventory: the plugin's output replayed from a local file by a plugin that
    does nothing else (bench/replay_plugin), no HTTP. Checked to list exactly what the plugin lists."""
    work = Path(bench.work)
    plugin_list, replay, replay_list = work / "plugin_list.json", work / "replay.json", work / "replay_list.json"
    replay_source = work / "floor.insight_replay.yml"
    replay_source.write_text("plugin: insight_replay\nsource: %s\n" % replay, encoding="utf-8")
    replay_env = {"ANSIBLE_INVENTORY_PLUGINS": str(BENCH / "replay_plugin"), "ANSIBLE_INVENTORY_ENABLED": "insight_replay"}
    run_child([str(BIN / "ansible-inventory"), "-i", str(source), "--list", "--output", str(plugin_list)], bench.env(), bench.work)
    run_child([sys.executable, str(BENCH / "inventory_floor.py"), "make", str(plugin_list), str(replay)], bench.env(), bench.work)
    replay_cmd = [str(BIN / "ansible-inventory"), "-i", str(replay_source), "--list"]
    run_child(replay_cmd + ["--output", str(replay_list)], dict(bench.env(), **replay_env), bench.work)
    run_child([sys.executable, str(BENCH / "inventory_floor.py"), "same", str(plugin_list), str(replay_list)], bench.env(),
              bench.work)
    row = bench.measure(Row(workload, FLOOR, 0), replay_cmd, prepare, hosts_listed, marker=b'"insight_id"', extra_env=replay_env)
    if row.last().requests:
        raise RunFailed("the replayed inventory made %d requests" % row.last().requests)
    for path in (plugin_list, replay, replay_list):
        path.unlink()
    return row
