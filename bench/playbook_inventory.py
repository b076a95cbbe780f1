"""Workload 11: the insight_jobs inventory as playbooks use it: `ansible-playbook -i <insight_jobs source> play.yml
--limit insight_status_queued` with one debug task, against the same play on the inventory replayed from a file
(workload 4's floor, bench/replay_plugin). Each run also records the time from the child's start to its first task
(bench/callback_plugins/bench_first_task.py) and is checked to have run the task on every queued job."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Mapping, Optional

import inventory_workload
from harness import BENCH, BIN, WORKLOADS, Bench, Entry, Row, RunFailed, Sample
from report import FLOOR, PLUGIN_PLAYBOOK

GROUP = "insight_status_queued"


def run(bench: Bench, count: int, reps: Optional[int] = None, warmup: Optional[int] = None) -> List[Row]:
    listed, source = inventory_workload.load_jobs(bench, count)
    queued = bench.job_counts().get("QUEUED", 0)
    workload = "11 inventory playbook %d jobs" % count
    times = Path(bench.work) / "first_task.json"
    callback_env = {"ANSIBLE_CALLBACK_PLUGINS": str(BENCH / "callback_plugins"), "ANSIBLE_CALLBACKS_ENABLED": "bench_first_task",
                    "BENCH_FIRST_TASK_FILE": str(times)}

    def prepare() -> None:
        times.unlink(missing_ok=True)

    def ran_on_queued(sample: Sample) -> None:
        if not times.exists():
            raise RunFailed("the playbook ended without the bench_first_task callback's report")
        seen = json.loads(times.read_text(encoding="utf-8"))
        if seen["failed"] or seen["ok"] != queued or seen["first_task"] is None:
            raise RunFailed("the debug task ran on %s host(s) (%s failed); the server lists %d queued jobs"
                            % (seen["ok"], seen["failed"], queued))
        sample.first_task = float(seen["first_task"]) - sample.started

    def play(inventory: Path, env: Mapping[str, str], variant: str, minimal: int) -> Entry:
        cmd = [str(BIN / "ansible-playbook"), "-i", str(inventory), str(WORKLOADS / "inventory_debug.yml"), "--limit", GROUP]
        return Entry(Row(workload, variant, minimal, work=queued), cmd, prepare, ran_on_queued, None, dict(callback_env, **env))

    with inventory_workload.replayed(bench, source) as (replay_source, replay_env):
        turns = [play(source, {}, PLUGIN_PLAYBOOK, inventory_workload.minimal_calls(listed)),
                 play(replay_source, replay_env, FLOOR, 0)]
        bench.rotate(turns, reps=reps, warmup=warmup)
    plugin, floor = turns[0].row, turns[1].row
    if floor.last().requests:
        raise RunFailed("the play on the replayed inventory made %d requests" % floor.last().requests)
    return [plugin, floor]
