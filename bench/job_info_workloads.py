"""Workloads 12 and 13: insight_job_info one job per task, the way runbooks use it, against Ansible's own cost for
the same tasks without a module (`debug`) plus the raw calls.

    12  ten `insight_job_info id:` tasks in one play (workloads/job_info_xpress.yml), against the same ten tasks
        with debug (job_info_debug.yml) + the raw script reading the ten jobs (job_info_raw.py: token + 10 GETs);
        also the same play forced onto the module path (`insight_execution: module`), today's figure
    13  jobs as inventory hosts (an insight_jobs source on --host-jobs unfinished jobs), one `insight_job_info id:
        "{{ insight_id }}"` per host (job_hosts_xpress.yml), against the same play on the same inventory with debug
        (job_hosts_debug.yml) + the raw script reading every job once
Each run is checked: every task ok on every host, none failed (bench/callback_plugins/bench_first_task.py).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional, Tuple

import inventory_workload
from harness import BENCH, BIN, WORKLOADS, Bench, Entry, Row, RunFailed, Sample, run_child
from report import DEBUG_PLAY, RAW, XPRESS, XPRESS_MODULE


def _ids(bench: Bench, limit: Optional[int] = None) -> Tuple[Path, Path, int]:
    """A vars file of readable unfinished job ids, the same ids as a --limit file, and their count."""
    target, hosts = Path(bench.work) / "job_ids.json", Path(bench.work) / "job_hosts.txt"
    cmd = [sys.executable, str(BENCH / "job_ids.py"), str(target), str(hosts)]
    result = run_child(cmd + ([str(limit)] if limit else []), bench.env(), bench.work)
    return target, hosts, int(result["out"].strip())


def _counted(bench: Bench, expected: int) -> tuple:
    """The environment that enables the result-counting callback, the reset before a run and the check after it."""
    counts = Path(bench.work) / "job_info_counts.json"
    env = {"ANSIBLE_CALLBACK_PLUGINS": str(BENCH / "callback_plugins"), "ANSIBLE_CALLBACKS_ENABLED": "bench_first_task",
           "BENCH_FIRST_TASK_FILE": str(counts)}

    def prepare() -> None:
        counts.unlink(missing_ok=True)

    def all_ok(sample: Sample) -> None:
        if not counts.exists():
            raise RunFailed("the playbook ended without the bench_first_task callback's report")
        seen = json.loads(counts.read_text(encoding="utf-8"))
        if seen["failed"] or seen["ok"] != expected:
            raise RunFailed("%s task results ok, %s failed; expected %d ok" % (seen["ok"], seen["failed"], expected))

    return env, prepare, all_ok


def _raw_check(expected: int):
    def read_all(sample: Sample) -> None:
        if int(sample.out.strip() or 0) != expected:
            raise RunFailed("the raw script read %s jobs, expected %d" % (sample.out.strip(), expected))
    return read_all


def ten_tasks(bench: Bench, reps: Optional[int] = None, warmup: Optional[int] = None) -> List[Row]:
    bench.control.reset("demo", generate={"jobs": {"count": 10, "statuses": {"QUEUED": 100}, "app": "Logistics"}})
    bench.control.clock("pause")
    ids, _hosts, found = _ids(bench, 10)
    if found != 10:
        raise RunFailed("fewer than 10 readable unfinished jobs on the server")
    workload = "12 job_info 10 tasks"
    env, prepare, all_ok = _counted(bench, 10)

    def playbook(name: str, execution: Optional[str] = None) -> List[str]:
        cmd = [str(BIN / "ansible-playbook"), "-i", str(bench.inventory), str(WORKLOADS / name), "-e", "@%s" % ids]
        return cmd + (["-e", "insight_execution=%s" % execution] if execution else bench.execution_args())

    turns = [
        Entry(Row(workload, DEBUG_PLAY, 0, work=10), playbook("job_info_debug.yml"), prepare, all_ok, None, env),
        Entry(Row(workload, XPRESS, 11, work=10), playbook("job_info_xpress.yml"), prepare, all_ok, None, env),
        Entry(Row(workload, RAW, 11, work=10), bench.script("job_info_raw.py", str(ids)), prepare, _raw_check(10)),
        Entry(Row(workload, XPRESS_MODULE, 11, work=10), playbook("job_info_xpress.yml", "module"), prepare, all_ok,
              None, env),
    ]
    bench.rotate(turns, reps=reps, warmup=warmup)
    return [turn.row for turn in turns]


def jobs_as_hosts(bench: Bench, count: int, reps: Optional[int] = None, warmup: Optional[int] = None) -> List[Row]:
    """The play runs on the job hosts this user can read (--limit): a job on another user's PRIVATE scenario is
    listed by the server but answers 404 when read by id, which would fail its task on either path."""
    listed, source = inventory_workload.load_jobs(bench, count)
    ids, limit, hosts = _ids(bench)
    workload = "13 jobs as hosts %d" % hosts
    env, prepare, all_ok = _counted(bench, hosts)
    # Job hosts have no interpreter of their own; the module path (a fallback, or --execution module) needs one that
    # can import requests, as the README's runbook sets it.
    env["ANSIBLE_PYTHON_INTERPRETER"] = sys.executable

    def play(name: str, *extra: str) -> List[str]:
        return [str(BIN / "ansible-playbook"), "-i", str(source), str(WORKLOADS / name), "--limit", "@%s" % limit] + list(extra)

    inventory_calls = inventory_workload.minimal_calls(listed)
    turns = [
        Entry(Row(workload, DEBUG_PLAY, inventory_calls, work=hosts), play("job_hosts_debug.yml"), prepare, all_ok, None, env),
        Entry(Row(workload, XPRESS, inventory_calls + 1 + hosts, work=hosts),
              play("job_hosts_xpress.yml", *bench.execution_args()), prepare, all_ok, None, env),
        Entry(Row(workload, RAW, 1 + hosts, work=hosts), bench.script("job_info_raw.py", str(ids)), prepare, _raw_check(hosts)),
    ]
    bench.rotate(turns, reps=reps, warmup=warmup)
    return [turn.row for turn in turns]


def run(bench: Bench, workloads: List[int], host_jobs: int, reps: Optional[int], scale_reps: int) -> List[Row]:
    rows: List[Row] = []
    if 12 in workloads:
        rows += ten_tasks(bench, reps=reps)
    if 13 in workloads:
        rows += jobs_as_hosts(bench, host_jobs, reps=scale_reps, warmup=0)
    return rows
