"""Workload 4: the insight_jobs inventory on 10,000 jobs against (raw paged fetch + bare ansible-inventory start) and
its floor, the same inventory replayed from a file; workload 10: the same at `--scale` times the jobs, against its
floor only.

The raw fetch script, its concurrency and the method are bench/inventory_bench.py's (run on its own it starts its
own emulator); here the same measurement runs on the shared emulator so the emulator's counters are reported too.
"""
from __future__ import annotations

import contextlib
import json
import math
import sys
import urllib.request
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple

from harness import BENCH, BIN, Bench, Entry, Row, RunFailed, Sample, run_child
from inventory_bench import CONCURRENCY, RAW_FETCH
from report import BARE, FLOOR, PLUGIN, RAW_FETCH_ROW

PAGE = 500
REPLAY_ENV = {"ANSIBLE_INVENTORY_PLUGINS": str(BENCH / "replay_plugin"), "ANSIBLE_INVENTORY_ENABLED": "insight_replay"}


def unfinished_total(bench: Bench) -> int:
    """How many jobs the listing holds, from one tiny page. Not from the control API's state: loading 10,000 jobs
    into this process would raise its peak RSS, which Linux hands on to every child it starts afterwards (a child's
    ru_maxrss starts from its parent's high-water mark at fork), and the RSS column would show the runner's memory."""
    request = urllib.request.Request(bench.control.url + "/api/jobs?includeFinished=false&page=0&size=1", headers={
        "Authorization": "Bearer " + bench.control.token("alice"), "Accept": "application/vnd.com.fico.xpress.insight.v2+json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return int(json.loads(answer.read().decode("utf-8"))["totalElements"])


def load_jobs(bench: Bench, count: int) -> Tuple[int, Path]:
    """The server holds `count` unfinished jobs (60% QUEUED), frozen; returns how many it lists and an insight_jobs
    source for them."""
    bench.control.reset("demo", generate={"jobs": {"count": count, "statuses": {"QUEUED": 60, "EXECUTING": 40},
                                                   "app": "Logistics"}})
    bench.control.clock("pause")  # the listing must not change between runs
    source = Path(bench.work) / "bench.insight_jobs.yml"
    source.write_text("plugin: xpress.insight.insight_jobs\nparallel: %d\n" % CONCURRENCY, encoding="utf-8")
    return unfinished_total(bench), source


def minimal_calls(listed: int) -> int:
    """Token + every page of the unfinished jobs."""
    return 1 + max(1, math.ceil(listed / PAGE))


def run(bench: Bench, count: int, number: int = 4, reps: Optional[int] = None, warmup: Optional[int] = None) -> List[Row]:
    """Workload 4 (plugin, raw fetch, bare ansible-inventory, replayed floor) or, with number 10, the plugin and the
    replayed floor only, with `reps` timed runs after `warmup` untimed ones."""
    listed, source = load_jobs(bench, count)
    workload = "%d inventory %d jobs" % (number, count)

    def prepare() -> None:
        bench.control.reset_counters()

    def hosts_listed(sample: Sample) -> None:
        hosts = sample.marks
        if hosts != listed:
            raise RunFailed("the inventory lists %d hosts, the server %d unfinished jobs" % (hosts, listed))

    turns = [Entry(Row(workload, PLUGIN, minimal_calls(listed), work=listed),
                   [str(BIN / "ansible-inventory"), "-i", str(source), "--list"], prepare, hosts_listed, b'"insight_id"')]
    if number == 4:
        turns += baseline(bench, workload, listed, prepare)
    with replayed(bench, source) as (replay_source, replay_env):
        turns.append(Entry(Row(workload, FLOOR, 0, work=listed), [str(BIN / "ansible-inventory"), "-i", str(replay_source), "--list"],
                           prepare, hosts_listed, b'"insight_id"', replay_env))
        bench.rotate(turns, reps=reps, warmup=warmup)
    floor = turns[-1].row
    if floor.last().requests:
        raise RunFailed("the replayed inventory made %d requests" % floor.last().requests)
    return [turn.row for turn in turns]


def baseline(bench: Bench, workload: str, listed: int, prepare: Callable[[], None]) -> List[Entry]:
    """Workload 4's former baseline: a raw paged fetch, and a bare ansible-inventory (also the inventory start-up)."""
    empty = Path(bench.work) / "empty_inventory.yml"
    empty.write_text("all: {}\n", encoding="utf-8")

    def fetched(sample: Sample) -> None:
        if int(sample.out.strip() or 0) != listed:
            raise RunFailed("the raw fetch read %s jobs, the server lists %d" % (sample.out.strip(), listed))

    def nothing(_sample: Sample) -> None:
        return None

    raw = Entry(Row(workload, RAW_FETCH_ROW, minimal_calls(listed), work=listed),
                [sys.executable, "-c", RAW_FETCH, bench.control.url, bench.user["client_id"], bench.user["secret"],
                 str(CONCURRENCY)], prepare, fetched)
    bare = Entry(Row(workload, BARE, 0), [str(BIN / "ansible-inventory"), "-i", str(empty), "--list"], prepare, nothing)
    return [raw, bare]


@contextlib.contextmanager
def replayed(bench: Bench, source: Path) -> Iterator[Tuple[Path, Dict[str, str]]]:
    """ansible-core's own cost for this inventory: an inventory source (and its environment) that replays the
    plugin's output from a local file with a plugin that does nothing else (bench/replay_plugin), no HTTP. Checked
    to list exactly what the plugin lists; the files are removed afterwards. Every step runs in a child process."""
    work = Path(bench.work)
    plugin_list, replay, replay_list = work / "plugin_list.json", work / "replay.json", work / "replay_list.json"
    replay_source = work / "floor.insight_replay.yml"
    replay_source.write_text("plugin: insight_replay\nsource: %s\n" % replay, encoding="utf-8")
    run_child([str(BIN / "ansible-inventory"), "-i", str(source), "--list", "--output", str(plugin_list)], bench.env(), bench.work)
    run_child([sys.executable, str(BENCH / "inventory_floor.py"), "make", str(plugin_list), str(replay)], bench.env(), bench.work)
    run_child([str(BIN / "ansible-inventory"), "-i", str(replay_source), "--list", "--output", str(replay_list)],
              dict(bench.env(), **REPLAY_ENV), bench.work)
    run_child([sys.executable, str(BENCH / "inventory_floor.py"), "same", str(plugin_list), str(replay_list)], bench.env(),
              bench.work)
    plugin_list.unlink()
    replay_list.unlink()
    try:
        yield replay_source, dict(REPLAY_ENV)
    finally:
        replay.unlink()
