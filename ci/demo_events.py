"""`make demo`: the event source xpress.insight.insight_jobs against the running emulator, for a few seconds.

    demo_events.py COLLECTIONS_DIR SECONDS

Loads the source from COLLECTIONS_DIR/ansible_collections/xpress/insight as ansible-rulebook does (runpy), with the
INSIGHT_* variables for the connection, and prints one line per event until SECONDS have passed."""
from __future__ import annotations

import asyncio
import contextlib
import os
import runpy
import sys

SOURCE = ("ansible_collections", "xpress", "insight", "extensions", "eda", "plugins", "event_source", "insight_jobs.py")


class PrintQueue:
    def __init__(self) -> None:
        self.count = 0

    async def put(self, event: dict) -> None:
        self.count += 1
        data = event["insight"]
        job = data["job"]
        previous = " (was %s)" % data["previous_status"] if data["previous_status"] else ""
        name = job.get("name") or "(hidden)"
        print("  %-19s %-13s %-10s%s  job %s" % (data["type"], name, job.get("status"), previous, job.get("id")))


async def run(seconds: float) -> int:
    plugin = runpy.run_path(os.path.join(sys.argv[1], *SOURCE))
    queue = PrintQueue()
    args = {"interval": 1, "emit_existing": True, "queued_for": "4m"}
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(plugin["main"](queue, args), timeout=seconds)
    return queue.count


if __name__ == "__main__":
    count = asyncio.run(run(float(sys.argv[2])))
    print("%d events" % count)
    sys.exit(0 if count else 1)
