# -*- coding: utf-8 -*-
"""A bench-only callback: when the first task started, and on how many hosts the play's tasks ran.

Enabled by the bench for workload 11 (ANSIBLE_CALLBACKS_ENABLED=bench_first_task); at the end of the playbook it
writes {"first_task": wall-clock time of the first task start, "ok": results ok, "failed": results failed or
unreachable} as JSON to the file named by BENCH_FIRST_TASK_FILE.
"""
from __future__ import annotations

import json
import os
import time
from typing import Any, Optional

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: bench_first_task
type: notification
short_description: Write the time of the first task and the result counts (bench only)
description:
  - Writes the wall-clock time of the first task start and the numbers of ok and failed results to the file named
    by the BENCH_FIRST_TASK_FILE environment variable, at the end of the playbook.
requirements:
  - enabled through ANSIBLE_CALLBACKS_ENABLED
"""


class CallbackModule(CallbackBase):
    """Counts results; notes the clock once, at the first task start."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "bench_first_task"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._first: Optional[float] = None
        self._ok = 0
        self._failed = 0

    def v2_playbook_on_task_start(self, task: Any, is_conditional: bool) -> None:
        if self._first is None:
            self._first = time.time()

    def v2_runner_on_ok(self, result: Any) -> None:
        self._ok += 1

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._failed += 1

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self._failed += 1

    def v2_playbook_on_stats(self, stats: Any) -> None:
        path = os.environ.get("BENCH_FIRST_TASK_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as out:
                json.dump({"first_task": self._first, "ok": self._ok, "failed": self._failed}, out)
