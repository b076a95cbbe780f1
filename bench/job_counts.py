"""How many jobs the emulator holds in each status, from its control API state.

    python job_counts.py URL    # prints {"CANCELLED": 10000, ...}

Run as a child of the bench (Bench.job_counts) so that the runner never reads a state of 10,000 jobs itself: a
child's peak RSS starts at its parent's high-water mark on Linux, and the runner's would show in every later row.
"""
from __future__ import annotations

import json
import sys
import urllib.request
from collections import Counter


def main(argv: list[str]) -> int:
    with urllib.request.urlopen(argv[1].rstrip("/") + "/_emulator/state", timeout=120) as answer:
        jobs = json.loads(answer.read().decode("utf-8"))["jobs"]
    print(json.dumps(dict(Counter(job["status"] for job in jobs))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
