"""The insight_jobs inventory on 10,000 jobs: `ansible-inventory --list` time against a baseline, and peak memory.

    PYTHONPATH=tests .venv/bin/python bench/inventory_bench.py [--jobs 10000] [--repeat 5]

Baseline = a raw paged fetch of the same job list in Python with requests (interpreter start included, pages fetched
with the same concurrency as the plugin) + a bare `ansible-inventory --list` on an empty inventory. The ratio is
plugin / baseline, each the median of `--repeat` runs after one warm-up. Peak RSS is the largest of the plugin's
runs (os.wait4: getrusage of that child alone). `--graph` runs are reported too: they build the same inventory without
Ansible's per-host variable listing and JSON output, which is where the rest of `--list` time goes.
Targets: ratio <= 1.5, peak RSS <= 250 MB.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests"))

from insight_emulator.control import EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position

CONCURRENCY = 4
RAW_FETCH = r"""
import json, sys
from concurrent.futures import ThreadPoolExecutor
import requests
url, client_id, secret, concurrency = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
session = requests.Session()
token = session.post(url + "/api/authentication/token", json={"clientId": client_id, "secret": secret, "maxAge": 900}).text
headers = {"Authorization": "Bearer " + token, "Accept": "application/vnd.com.fico.xpress.insight.v2+json"}
def page(number):
    answer = session.get(url + "/api/jobs", params={"page": number, "size": 500, "includeFinished": "false"}, headers=headers)
    answer.raise_for_status()
    return json.loads(answer.content)
first = page(0)
jobs = list(first["content"])
with ThreadPoolExecutor(concurrency) as pool:
    for later in pool.map(page, range(1, first["totalPages"])):
        jobs.extend(later["content"])
print(len(jobs))
"""


class Child:
    """Runs one child process at a time; each run's own peak RSS comes from os.wait4 (getrusage of that child)."""

    def __init__(self, work: str) -> None:
        self.work = work

    def run(self, cmd: List[str], env: Dict[str, str], cwd: str) -> Tuple[float, int, str]:
        """Wall time, peak RSS in kB and stdout of one run."""
        with tempfile.TemporaryFile(dir=self.work) as out, tempfile.TemporaryFile(dir=self.work) as err:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err)
            status, usage = os.wait4(proc.pid, 0)[1:]
            elapsed = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            if proc.returncode:
                raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), proc.returncode, err.read()[-2000:].decode()))
            return elapsed, usage.ru_maxrss, out.read().decode()


def median_of(child: Child, cmd: List[str], env: Dict[str, str], cwd: str, repeat: int) -> Tuple[float, List[float], str]:
    child.run(cmd, env, cwd)  # warm-up: file system caches, .pyc files, the emulator's first answers
    times = []
    out = ""
    for _run in range(repeat):
        elapsed, _rss, out = child.run(cmd, env, cwd)
        times.append(elapsed)
    return statistics.median(times), times, out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="inventory-bench-")
    collections = Path(work) / "collections" / "ansible_collections" / "xpress"
    collections.mkdir(parents=True)
    (collections / "insight").symlink_to(ROOT)
    source = Path(work) / "bench.insight_jobs.yml"
    source.write_text("plugin: xpress.insight.insight_jobs\nparallel: %d\n" % CONCURRENCY, encoding="utf-8")
    empty = Path(work) / "empty.yml"
    empty.write_text("all: {}\n", encoding="utf-8")

    with EmulatorProcess(["--paused", "--page-size-cap", "500"]) as emulator:
        control = emulator.control()
        # Only queued and running jobs are listed by default: generate no finished ones so all 10,000 count.
        control.reset("demo", generate={"jobs": {"count": args.jobs, "statuses": {"QUEUED": 60, "EXECUTING": 40},
                                                 "app": "Logistics"}})
        user = next(u for u in control.users.values() if u["role"] == "full")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "INSIGHT_"))}
        env.update({"ANSIBLE_COLLECTIONS_PATH": str(Path(work) / "collections"), "ANSIBLE_NOCOLOR": "1",
                    "INSIGHT_URL": emulator.url, "INSIGHT_CLIENT_ID": user["client_id"], "INSIGHT_SECRET": user["secret"],
                    "ANSIBLE_INVENTORY_UNPARSED_FAILED": "true"})
        child = Child(work)
        raw_cmd = [sys.executable, "-c", RAW_FETCH, emulator.url, user["client_id"], user["secret"], str(CONCURRENCY)]
        raw, raw_times, raw_out = median_of(child, raw_cmd, env, work, args.repeat)
        bare, bare_times, _out = median_of(child, [str(BIN / "ansible-inventory"), "-i", str(empty), "--list"], env, work, args.repeat)

        list_cmd = [str(BIN / "ansible-inventory"), "-i", str(source), "--list"]
        child.run(list_cmd, env, work)
        plugin_times = []
        peak_kb = 0
        out = ""
        for _run in range(args.repeat):
            elapsed, own_kb, out = child.run(list_cmd, env, work)
            plugin_times.append(elapsed)
            peak_kb = max(peak_kb, own_kb)
        plugin = statistics.median(plugin_times)
        graph_cmd = [str(BIN / "ansible-inventory"), "-i", str(source), "--graph"]
        graph, graph_times, _out = median_of(child, graph_cmd, env, work, args.repeat)
        hosts = out.count('"insight_id"')

    baseline = raw + bare
    ratio = plugin / baseline
    print("jobs listed by the raw fetch   %s" % raw_out.strip())
    print("hosts in the plugin's --list   %d" % hosts)
    print("raw paged fetch (requests)     %.2f s   runs %s" % (raw, " ".join("%.2f" % t for t in raw_times)))
    print("bare ansible-inventory --list  %.2f s   runs %s" % (bare, " ".join("%.2f" % t for t in bare_times)))
    print("baseline                       %.2f s" % baseline)
    print("plugin ansible-inventory --list %.2f s  runs %s" % (plugin, " ".join("%.2f" % t for t in plugin_times)))
    print("plugin ansible-inventory --graph %.2f s runs %s" % (graph, " ".join("%.2f" % t for t in graph_times)))
    print("ratio --list / baseline        %.2f   (target <= 1.5)" % ratio)
    print("ratio --graph / baseline       %.2f" % (graph / baseline))
    print("peak RSS of the plugin --list  %.0f MB   (target <= 250 MB)" % (peak_kb / 1024.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
