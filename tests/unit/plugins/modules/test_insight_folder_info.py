# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_folder_info's main(): what each way of naming the start lists, and its option errors."""

from __future__ import annotations

import pytest

from ansible_collections.xpress.insight.plugins.modules import insight_folder_info
from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.fake_insight import FakeInsight
from ansible_collections.xpress.insight.tests.unit.plugins.modules.module_runner import run_main


def seeded() -> FakeInsight:
    fake = FakeInsight()
    fake.add("/Logistics/Reports/Weekly/Week 1")
    fake.add("/Logistics/Reports/Base case", kind="SCENARIO")
    fake.add("/Logistics/Archive")
    return fake


def paths(views: list) -> list:
    return [view["path"] for view in views]


def test_a_path_alone_is_that_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_main(monkeypatch, insight_folder_info.main, {"path": "/Logistics/Reports"}, seeded())
    assert result["changed"] is False
    assert paths(result["folders"]) == ["/Logistics/Reports"]
    assert "scenarios" not in result


def test_recurse_with_depth_stops_at_that_level(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run_main(monkeypatch, insight_folder_info.main,
                      {"path": "/Logistics/Reports", "recurse": True, "depth": 1, "include_scenarios": True}, fake)
    assert paths(result["folders"]) == ["/Logistics/Reports", "/Logistics/Reports/Weekly"]
    assert paths(result["scenarios"]) == ["/Logistics/Reports/Base case"]
    assert fake.writes() == []


def test_an_app_lists_its_top_level_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_main(monkeypatch, insight_folder_info.main, {"app": "Logistics"}, seeded())
    assert paths(result["folders"]) == ["/Logistics/Archive", "/Logistics/Reports"]


def test_a_missing_folder_is_an_empty_list(monkeypatch: pytest.MonkeyPatch) -> None:
    for args in ({"path": "/Logistics/Nope/Deeper"}, {"id": "0f7acba9-713d-2c50-f085-34565a4d6e61"}):
        result = run_main(monkeypatch, insight_folder_info.main, args, seeded())
        assert result["failed"] is False
        assert result["folders"] == []


@pytest.mark.parametrize("args, message", [
    ({"path": "/Logistics/Reports", "depth": 2}, "depth: limits recurse"),
    ({"path": "/Logistics/Reports", "recurse": True, "depth": 0}, "depth: limits recurse"),
    ({"id": "nope"}, "id: 'nope' is not a UUID"),
    ({"path": "Logistics"}, "path: 'Logistics' must start with /"),
    ({"path": "/Logistics", "app": "Logistics"}, "parameters are mutually exclusive: path|id|app"),
])
def test_option_errors_name_the_option_before_any_call(monkeypatch: pytest.MonkeyPatch, args: dict, message: str) -> None:
    fake = seeded()
    result = run_main(monkeypatch, insight_folder_info.main, args, fake)
    assert result["failed"] is True
    assert message in result["msg"]
    assert fake.calls == []
