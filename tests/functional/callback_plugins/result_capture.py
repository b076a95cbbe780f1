# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: writes every task result as one JSON line to the file named by INSIGHT_TEST_RESULTS."""

from __future__ import annotations

DOCUMENTATION = r"""
name: result_capture
type: notification
short_description: Write task results as JSON lines for the functional tests
description:
  - Test-only plugin of the xpress.insight functional suite; not part of the collection.
requirements:
  - enabled in the tests through ANSIBLE_CALLBACKS_ENABLED
"""

import json
import os
from typing import Any

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "result_capture"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._path = os.environ.get("INSIGHT_TEST_RESULTS")

    def _write(self, result: Any, status: str) -> None:
        if not self._path:
            return
        data = dict(result._result)
        if data.get("_ansible_no_log"):
            data = {"censored": "the output has been hidden due to no_log"}
        line = {"task": result._task.get_name(), "host": result._host.get_name(), "status": status, "result": data}
        with open(self._path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, default=str) + "\n")

    def v2_runner_on_ok(self, result: Any) -> None:
        self._write(result, "ok")

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        self._write(result, "failed")

    def v2_runner_on_skipped(self, result: Any) -> None:
        self._write(result, "skipped")

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self._write(result, "unreachable")
