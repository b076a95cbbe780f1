"""How many keep-alive GETs per second the emulator answers (a figure to watch, not a test).

    PYTHONPATH=tests .venv/bin/python bench/emulator_bench.py [--seconds 5] [--threads 2]
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from typing import List

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))

from insight_emulator.control import EmulatorProcess  # pylint: disable=wrong-import-position


def worker(url: str, token: str, paths: List[str], stop_at: float, counts: List[int], index: int) -> None:
    session = requests.Session()
    # Loopback only: skip requests' per-request scan of proxy and CA variables, which costs more than the server.
    session.trust_env = False
    session.headers["Authorization"] = "Bearer " + token
    done = 0
    while time.monotonic() < stop_at:
        for path in paths:
            answer = session.get(url + path, timeout=30)
            if answer.status_code != 200:
                raise RuntimeError("%s answered %d" % (path, answer.status_code))
            done += 1
    counts[index] = done


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    with EmulatorProcess(["--paused"]) as emulator:
        control = emulator.control()
        token = control.token("alice")
        state = control.state()
        job = next(j for j in state["jobs"] if j["status"] == "QUEUED")
        folder = next(f for f in state["folders"] if f["path"] == "/Logistics/Reports")
        paths = ["/api/jobs/" + job["id"], "/api/folders/%s/children?page=0&size=20" % folder["id"]]
        counts = [0] * args.threads
        stop_at = time.monotonic() + args.seconds
        started = time.monotonic()
        threads = [threading.Thread(target=worker, args=(emulator.url, token, paths, stop_at, counts, i))
                   for i in range(args.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        total = sum(counts)
        print("emulator: %d keep-alive GETs in %.1f s with %d client thread(s): %.0f requests/s"
              % (total, elapsed, args.threads, total / elapsed))
        print("server counted: %d" % control.counters()["total"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
