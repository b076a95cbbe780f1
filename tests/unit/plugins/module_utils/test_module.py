# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""InsightModule.run, the one exit of every module: results and failures, with `diff` only in diff mode."""

from __future__ import annotations

from typing import Any, Callable, Dict

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightError
from ansible_collections.xpress.insight.plugins.module_utils._module import InsightModule
from ansible_collections.xpress.insight.tests.unit.plugins.modules.module_runner import run_main

RESULT = {"changed": True, "done": ["a"], "diff": {"before": {}, "after": {"name": "a"}}}


class PartlyDone(InsightError):
    """A failure after some of the work, carrying the result so far."""

    def result(self) -> Dict[str, Any]:
        return dict(RESULT, msg="ignored: the failure line is the message")


def main_of(logic: Callable[[InsightModule], Dict[str, Any]]) -> Callable[[], None]:
    def main() -> None:
        InsightModule(argument_spec={}, supports_check_mode=True).run(logic)
    return main


def fail(module: InsightModule) -> Dict[str, Any]:
    raise PartlyDone("wait_timeout: 1 job(s) not finished")


@pytest.mark.parametrize("diff", [False, True])
def test_run_returns_diff_only_in_diff_mode(monkeypatch: pytest.MonkeyPatch, diff: bool) -> None:
    result = run_main(monkeypatch, main_of(lambda module: dict(RESULT)), {}, client=None, diff=diff)
    assert result["failed"] is False and result["done"] == ["a"]
    assert ("diff" in result) is diff


@pytest.mark.parametrize("diff", [False, True])
def test_a_failure_returns_its_partial_result_under_the_same_rule(monkeypatch: pytest.MonkeyPatch, diff: bool) -> None:
    result = run_main(monkeypatch, main_of(fail), {}, client=None, diff=diff)
    assert result["failed"] is True and result["msg"] == "wait_timeout: 1 job(s) not finished"
    assert result["done"] == ["a"] and ("diff" in result) is diff
