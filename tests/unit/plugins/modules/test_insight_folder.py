# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_folder's main(): its argument spec, check and diff mode, and how failures end the task."""

from __future__ import annotations

import yaml

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._folder_paths import SHARE_STATUSES
from ansible_collections.xpress.insight.plugins.modules import insight_folder
from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.fake_insight import FakeInsight
from ansible_collections.xpress.insight.tests.unit.plugins.modules.module_runner import run_main


def seeded() -> FakeInsight:
    fake = FakeInsight()
    fake.add("/Logistics/Reports/Weekly")
    return fake


def test_share_status_choices_are_the_documented_ones() -> None:
    documented = yaml.safe_load(insight_folder.DOCUMENTATION)["options"]["share_status"]["choices"]
    assert documented == list(SHARE_STATUSES)


@pytest.mark.parametrize("args, message", [
    ({"path": "/Logistics/A", "id": "0f7acba9-713d-2c50-f085-34565a4d6e61"}, "parameters are mutually exclusive: path|id"),
    ({"path": "/Logistics/A", "share_status": "SHARED"}, "share_status"),
    ({"path": "/Logistics/A", "state": "gone"}, "state"),
    ({"name": "A"}, "one of the following is required: path, id"),
])
def test_argument_spec_refuses_before_any_call(monkeypatch: pytest.MonkeyPatch, args: dict, message: str) -> None:
    fake = seeded()
    result = run_main(monkeypatch, insight_folder.main, args, fake)
    assert result["failed"] is True
    assert message in result["msg"]
    assert fake.calls == []


def test_missing_url_fails_naming_the_option(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run_main(monkeypatch, insight_folder.main, {"path": "/Logistics/A", "client_id": "a", "secret": "b"}, fake,
                      connection=False)
    assert result["failed"] is True
    assert result["msg"].startswith("url: missing")
    assert fake.calls == []


def test_check_mode_changes_nothing_and_diff_is_returned_only_in_diff_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    plain = run_main(monkeypatch, insight_folder.main, {"path": "/Logistics/Reports/Daily"}, fake, check_mode=True)
    assert plain["changed"] is True
    assert plain["created"] == ["/Logistics/Reports/Daily"]
    assert "diff" not in plain
    with_diff = run_main(monkeypatch, insight_folder.main, {"path": "/Logistics/Reports/Daily"}, fake, check_mode=True,
                         diff=True)
    assert with_diff["diff"] == [{"before": {}, "after": {
        "path": "/Logistics/Reports/Daily", "name": "Daily", "share_status": "FULLACCESS", "owner": "Alice Able",
        "parent": "/Logistics/Reports"}, "before_header": "/Logistics/Reports/Daily", "after_header": "/Logistics/Reports/Daily"}]
    assert fake.writes() == []
    assert fake.find("/Logistics/Reports/Daily") is None


def test_a_refusal_of_the_engine_is_one_failure_line(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run_main(monkeypatch, insight_folder.main, {"path": "/Logistics/Reports", "state": "absent"}, fake)
    assert result["failed"] is True
    assert result["msg"].startswith("/Logistics/Reports holds 1 folder(s) and 0 scenario(s)")
    assert "\n" not in result["msg"]
    assert fake.writes() == []


def test_an_option_error_of_the_engine_names_the_option(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run_main(monkeypatch, insight_folder.main, {"path": "/Logistics/Reports", "force": True}, fake)
    assert result["failed"] is True
    assert result["msg"] == "force: only used with state=absent"
    assert fake.calls == []


def test_a_real_run_returns_the_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run_main(monkeypatch, insight_folder.main, {"path": "/Logistics/Reports/Daily", "share_status": "READONLY"},
                      fake)
    assert result["failed"] is False
    assert result["folder"]["path"] == "/Logistics/Reports/Daily"
    assert result["folder"]["share_status"] == "READONLY"
    assert result["folder"]["url"] == fake.base_url + "/api/folders/" + result["folder"]["id"]
    assert fake.find("/Logistics/Reports/Daily") is not None
