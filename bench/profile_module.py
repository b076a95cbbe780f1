"""Where a module's own time goes: its code run directly (as AnsiballZ would, without Ansible around it) under cProfile.

    PYTHONPATH=tests .venv/bin/python bench/profile_module.py folder        # workload 1 (empty app)
    PYTHONPATH=tests .venv/bin/python bench/profile_module.py folder --built  # workload 2 (converged)
    PYTHONPATH=tests .venv/bin/python bench/profile_module.py cancel [--jobs 1000]

Prints the wall time of: the interpreter alone, the module's imports alone, the whole module run, and the raw
script doing the same calls; then the module run's top functions by cumulative time. Same emulator set-up as
`make bench` (page size cap 500, seeds of bench/folder_workloads.py and bench/cancel_workloads.py).
"""
from __future__ import annotations

import argparse
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cancel_workloads  # pylint: disable=wrong-import-position
import folder_workloads  # pylint: disable=wrong-import-position
from harness import ROOT, WORKLOADS  # pylint: disable=wrong-import-position
from insight_emulator.control import EmulatorProcess  # pylint: disable=wrong-import-position

PACKAGE = "ansible_collections.xpress.insight.plugins.modules."


def timed(cmd: List[str], env: Dict[str, str], prepare: Callable[[], None], reps: int) -> float:
    times = []
    for _rep in range(reps):
        prepare()
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("module", choices=["folder", "cancel"])
    parser.add_argument("--built", action="store_true", help="folder: the converged re-run")
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="insight-profile-"))
    tree = work / "collections" / "ansible_collections" / "xpress"
    tree.mkdir(parents=True)
    (tree / "insight").symlink_to(ROOT)
    with EmulatorProcess(["--data", "empty", "--page-size-cap", "500"]) as emulator:
        control = emulator.control()
        user = control.users["alice"]
        connection = {"url": emulator.url, "client_id": user["client_id"], "secret": user["secret"]}
        options: Dict[str, Any]
        if args.module == "folder":
            shape = [4, 3, 7]
            name = "insight_folder"
            options = {"path": folder_workloads.all_paths(shape)}
            document = folder_workloads.seed(shape, args.built)
            vars_file = work / "tree_vars.json"
            levels = folder_workloads.tree_levels(shape)
            vars_file.write_text(json.dumps({"tree_app": folder_workloads.APP, "level1": levels[0], "level2": levels[1],
                                             "level3": levels[2]}), encoding="utf-8")
            raw = [sys.executable, str(WORKLOADS / "folders_raw.py"), str(vars_file)]

            def prepare() -> None:
                control.reset(document)
        else:
            name = "insight_job_cancel"
            options = {"status": ["QUEUED"], "max_jobs": 0, "parallel": int(os.environ.get("PROFILE_PARALLEL", "8")), "wait": True}
            document = cancel_workloads.seed(args.jobs)
            raw = [sys.executable, str(WORKLOADS / "cancel_raw.py")]

            def prepare() -> None:
                control.reset(document)
                control.config(cancel_delay=0.2)
        module_args = work / "args.json"
        module_args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": dict(options, **connection)}), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INSIGHT_", "ANSIBLE_"))}
        env.update({"PYTHONPATH": str(work / "collections"), "INSIGHT_URL": emulator.url,
                    "INSIGHT_CLIENT_ID": user["client_id"], "INSIGHT_SECRET": user["secret"]})
        module = PACKAGE + name

        def nothing() -> None:
            return None

        bare = timed([sys.executable, "-c", "pass"], env, nothing, args.reps)
        imports = timed([sys.executable, "-c", "import %s" % module], env, nothing, args.reps)
        whole = timed([sys.executable, "-m", module, str(module_args)], env, prepare, args.reps)
        raw_time = timed(raw, env, prepare, args.reps)
        prepare()
        control.reset_counters()
        profile = work / "module.prof"
        subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), "-m", module, str(module_args)],
                       env=env, check=True, capture_output=True)
        requests = control.counters()["total"]
    if name != "insight_folder":
        what = "%d jobs" % args.jobs
    elif args.built:
        what = "converged"
    else:
        what = "from scratch"
    print("%s (%s), medians of %d runs" % (name, what, args.reps))
    print("  interpreter start                  %.3f s" % bare)
    print("  + the module's imports             %.3f s" % imports)
    print("  whole module run                   %.3f s  (%d requests)" % (whole, requests))
    print("  raw requests script, same calls    %.3f s" % raw_time)
    stats = pstats.Stats(str(profile))
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
