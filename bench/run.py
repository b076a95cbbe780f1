"""`make bench`: the collection against the uri-loop playbooks users write today and against the raw-HTTP limit.

    make bench ARGS='--reps 5 --only 1,2'
    PYTHONPATH=tests .venv/bin/python bench/run.py --help

Workloads (one emulator process on loopback, state reset through its control API before every run):
  1  provision a folder tree (4 x 3 x 7 = 100 folders, depth 3) in an empty app
  2  the converged re-run of the same tree (zero writes expected)
  3  cancel 1,000 QUEUED jobs and wait until all are CANCELLED (job clock running, small cancel delay)
  4  the insight_jobs inventory of 10,000 jobs against a raw paged fetch + a bare ansible-inventory start
  5  a 1,000-folder tree (10 x 9 x 10) through insight_folder's tree option, in an empty app
  6  the converged re-run of that tree (zero writes expected)
  7-10  workloads 1-4 with --scale times the work (1,000 folders, 10,000 jobs to cancel, 100,000 jobs listed)
  12 ten insight_job_info tasks against ten debug tasks + the raw calls (and the same play on the module path)
  13 --host-jobs jobs as inventory hosts, one insight_job_info per host, against the same play with debug + the raw
     calls
  11 a one-debug-task playbook on the 10,000-job inventory, --limit insight_status_queued, against the same play on
     the inventory replayed from a file
Each row is whole processes (interpreter and Ansible start-up included), warm-up runs first, then the median of
the timed runs (workloads 7-11: --scale-reps runs, no warm-up). An empty playbook and a one-task playbook give
Ansible's own share. See bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cancel_workloads  # pylint: disable=wrong-import-position
import folder_workloads  # pylint: disable=wrong-import-position
import growth  # pylint: disable=wrong-import-position
import job_info_workloads  # pylint: disable=wrong-import-position
import inventory_workload  # pylint: disable=wrong-import-position
import playbook_inventory  # pylint: disable=wrong-import-position
import report  # pylint: disable=wrong-import-position
import scale_workloads  # pylint: disable=wrong-import-position
import tree_workloads  # pylint: disable=wrong-import-position
from harness import BENCH, Bench, Row, no_calls  # pylint: disable=wrong-import-position
from insight_emulator.control import EmulatorProcess  # pylint: disable=wrong-import-position

SMOKE = {"reps": 1, "warmup": 0, "uri_reps": 1, "tree": "2x2x2", "cancel_jobs": 10, "inventory_jobs": 100,
         "emulator_seconds": 0.5, "big_tree": "2x2x3", "scale_reps": 1, "host_jobs": 20}
ALL = "1,2,3,4,5,6,7,8,9,10,11,12,13"


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=3, help="timed runs per row (default 3)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs before them (default 1)")
    parser.add_argument("--uri-reps", type=int, default=1,
                        help="timed runs of the uri-loop rows, which take minutes (default 1, no warm-up; 0 skips them)")
    parser.add_argument("--tree", default="4x3x7", help="folders per level, depth 3 (default 4x3x7 = 100 folders)")
    parser.add_argument("--big-tree", default="10x9x10",
                        help="folders per level of workloads 5-6, depth 3 (default 10x9x10 = 1,000 folders)")
    parser.add_argument("--cancel-jobs", type=int, default=1000)
    parser.add_argument("--cancel-delay", type=float, default=0.2, help="job-clock seconds from CANCELLING to CANCELLED")
    parser.add_argument("--inventory-jobs", type=int, default=10000)
    parser.add_argument("--host-jobs", type=int, default=1000, help="job hosts of workload 13 (default 1000)")
    parser.add_argument("--execution", choices=["auto", "module", "inprocess"],
                        help="insight_execution for the collection's playbooks (default: not set, the collection's auto)")
    parser.add_argument("--only", default=ALL, help="workloads to run, e.g. 1,2 (default all: %s)" % ALL)
    parser.add_argument("--scale", type=int, default=10, help="work factor of workloads 7-10 over 1-4 (default 10)")
    parser.add_argument("--scale-reps", type=int, default=1, help="timed runs of the long rows, workloads 7-11 (default 1, no warm-up)")
    parser.add_argument("--emulator-seconds", type=float, default=3.0, help="length of the emulator's own bench (0: skip)")
    parser.add_argument("--json", help="also write the rows and checks to this file")
    parser.add_argument("--markdown", help="also write the table and checks as Markdown to this file")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (scale rows: those x --scale), one run each: checks that the bench works")
    args = parser.parse_args(argv)
    if args.smoke:
        for key, value in SMOKE.items():
            setattr(args, key, value)
    for option in ("tree", "big_tree"):
        shape = [int(n) for n in getattr(args, option).lower().split("x")]
        if len(shape) != 3 or min(shape) < 1:
            parser.error("--%s: three positive numbers, like 4x3x7" % option.replace("_", "-"))
        setattr(args, "big_shape" if option == "big_tree" else "shape", shape)
    args.workloads = sorted({int(n) for n in args.only.split(",") if n.strip()})
    if args.scale < 2 or args.scale_reps < 1:
        parser.error("--scale: 2 or more; --scale-reps: 1 or more")
    if set(args.workloads) - set(range(1, 14)):
        parser.error("--only: workloads 1 to 13")
    return args


def machine() -> Dict[str, Any]:
    from ansible.release import __version__ as ansible_version  # pylint: disable=import-outside-toplevel
    return {"cores": os.cpu_count(), "python": platform.python_version(), "ansible_core": ansible_version,
            "platform": platform.platform(), "load_average": [round(x, 2) for x in os.getloadavg()]}


def emulator_figure(seconds: float) -> Optional[str]:
    """The emulator's own keep-alive GET throughput (bench/emulator_bench.py), one client thread like the raw scripts."""
    if seconds <= 0:
        return None
    out = subprocess.run([sys.executable, str(BENCH / "emulator_bench.py"), "--seconds", str(seconds), "--threads", "1"],
                         capture_output=True, text=True, check=True).stdout
    match = re.search(r"^emulator: .*$", out, re.MULTILINE)
    return match.group(0) if match else out.strip()


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    info = machine()
    print("machine: %(cores)s cores, Python %(python)s, ansible-core %(ansible_core)s, %(platform)s, load %(load_average)s" % info)
    work = tempfile.mkdtemp(prefix="insight-bench-")
    rows: List[Row] = []
    with EmulatorProcess(["--data", "empty", "--page-size-cap", "500"]) as emulator:
        assert emulator.process is not None
        bench = Bench(emulator.control(), emulator.process.pid, work, args.reps, args.warmup, print)
        bench.execution = args.execution

        def unchanged() -> None:
            bench.control.reset({})

        startup = bench.measure(Row("0 Ansible alone", "empty playbook", 0), bench.playbook("empty.yml"), unchanged, no_calls)
        one_task = bench.measure(Row("0 Ansible alone", report.ONE_TASK, 0), bench.playbook("one_task.yml"), unchanged,
                                 no_calls)
        one_action = bench.measure(Row("0 Ansible alone", report.ONE_ACTION, 0), bench.playbook("one_action.yml"), unchanged,
                                   no_calls)
        rows += [startup, one_task, one_action]
        if {1, 2} & set(args.workloads):
            rows += folder_workloads.run(bench, args.shape, args.uri_reps, args.workloads)
        if 3 in args.workloads:
            rows += cancel_workloads.run(bench, args.cancel_jobs, args.cancel_delay, args.uri_reps)
        if 4 in args.workloads:
            rows += inventory_workload.run(bench, args.inventory_jobs)
        if {5, 6} & set(args.workloads):
            rows += tree_workloads.run(bench, args.big_shape, args.workloads)
        rows += scale_workloads.run(bench, args)
        if 11 in args.workloads:
            rows += playbook_inventory.run(bench, args.inventory_jobs, reps=args.scale_reps, warmup=0)
        rows += job_info_workloads.run(bench, args.workloads, args.host_jobs, None, args.scale_reps)
    figure = emulator_figure(args.emulator_seconds)
    info["load_average_after"] = [round(x, 2) for x in os.getloadavg()]

    cells = report.table_rows(rows, startup.median())
    targets = report.checks(rows, startup.median())
    growths = growth.factors(rows)
    print()
    print(report.text_table(cells))
    print()
    for line in report.check_lines(targets) + growth.lines(growths):
        print(line)
    if figure:
        print(figure)
    print("total bench time %.0f s; load average after %s" % (time.monotonic() - started, info["load_average_after"]))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "machine": info, "emulator": figure, "checks": targets, "growth": growths, "scale": args.scale,
            "rows": [dict(zip(["workload", "variant", "median", "runs", "requests", "writes", "minimal", "startup_share",
                               "emulator_cpu", "peak_rss_mb"], cell, strict=True)) for cell in cells],
            "by_route": {"%s | %s" % (row.workload, row.variant): row.last().counters.get("by_route", {}) for row in rows},
        }, indent=2), encoding="utf-8")
    if args.markdown:
        bullets = ["- " + " ".join(line.split()) for line in report.check_lines(targets) + growth.lines(growths)]
        if figure:
            bullets.append("- " + figure)
        Path(args.markdown).write_text(report.markdown_table(cells) + "\n\n" + "\n".join(bullets) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
