# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_scenario's main(): its argument spec, a move with its diff, and option errors before any call."""

from __future__ import annotations

import pytest

from ansible_collections.xpress.insight.plugins.modules import insight_scenario
from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.fake_insight import FakeInsight
from ansible_collections.xpress.insight.tests.unit.plugins.modules.module_runner import (
    assert_refused_before_any_call, run_main)


def seeded() -> FakeInsight:
    fake = FakeInsight()
    fake.add("/Logistics/Reports/Base case", kind="SCENARIO")
    fake.add("/Logistics/Archive")
    return fake


def test_a_move_in_diff_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run_main(monkeypatch, insight_scenario.main, {"path": "/Logistics/Reports/Base case", "state": "moved",
                                                           "dest": "/Logistics/Archive"}, fake, diff=True)
    assert result["failed"] is False and result["changed"] is True
    assert result["moved"] == ["/Logistics/Reports/Base case"]
    assert result["diff"][0]["after_header"] == "/Logistics/Archive/Base case"
    assert fake.find("/Logistics/Archive/Base case") is not None


def test_without_diff_mode_there_is_no_diff(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_main(monkeypatch, insight_scenario.main, {"path": "/Logistics/Reports/Base case"}, seeded())
    assert result["changed"] is False and "diff" not in result and result["moved"] == []


@pytest.mark.parametrize("args, message", [
    ({"path": "/Logistics/A", "id": "0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11"}, "mutually exclusive"),
    ({"path": "/Logistics/A", "state": "moved", "dest": "/Logistics", "dest_id": "0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11"},
     "mutually exclusive"),
    ({"state": "moved", "dest": "/Logistics"}, "one of the following is required: path, id"),
    ({"path": "/Logistics/A", "state": "absent"}, "value of state must be one of: present, moved"),
    ({"path": "/Logistics", "state": "moved", "dest": "/Logistics"}, "names the app"),
])
def test_option_errors_before_any_call(monkeypatch: pytest.MonkeyPatch, args: dict, message: str) -> None:
    fake = seeded()
    result = run_main(monkeypatch, insight_scenario.main, args, fake)
    assert_refused_before_any_call(result, message, fake.calls)
