# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_job_cancel's main(): by id and by filter, the max_jobs guard, on_missing, check and diff mode, refusals,
wait, and its option errors."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from ansible_collections.xpress.insight.plugins.modules import insight_job_cancel
from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.fake_jobs import FakeJobs, ident
from ansible_collections.xpress.insight.tests.unit.plugins.modules.module_runner import assert_refused_before_any_call, run_main

DELETE = "DELETE /api/jobs/{}"


def seeded() -> FakeJobs:
    fake = FakeJobs()
    fake.add_job("queued", created="2026-11-20T08:00:00Z")
    fake.add_job("running", status="EXECUTING", owner="bob", created="2026-11-21T08:00:00Z")
    fake.add_job("portfolio", app="Portfolio", created="2026-11-22T08:00:00Z")
    fake.add_job("leaving", status="CANCELLING", created="2026-11-22T09:00:00Z")
    fake.add_job("done", status="COMPLETED", created="2026-11-19T08:00:00Z")
    return fake


def job(seed: str) -> str:
    return ident("job-" + seed)


def run(monkeypatch: pytest.MonkeyPatch, args: Dict[str, Any], fake: FakeJobs, **kwargs: Any) -> Dict[str, Any]:
    return run_main(monkeypatch, insight_job_cancel.main, args, fake, **kwargs)


# -- by id --------------------------------------------------------------------------------------------------------

def test_by_id_cancels_skips_and_reports_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    named = [job("queued"), job("running"), job("done"), job("leaving"), job("nowhere"), job("queued").upper()]
    result = run(monkeypatch, {"id": named}, fake)
    assert result["failed"] is False and result["changed"] is True
    assert sorted(result["cancelled"]) == sorted([job("queued"), job("running")])
    assert result["skipped_jobs"] == {job("done"): "COMPLETED", job("leaving"): "CANCELLING"}
    assert result["missing"] == [job("nowhere")]
    assert result["failed_jobs"] == {} and result["matched"] == 4
    assert {item["id"]: item["status"] for item in result["jobs"]} == {job("queued"): "CANCELLING",
                                                                       job("running"): "CANCELLING"}
    assert "diff" not in result and "msg" not in result
    assert fake.count(DELETE) == 2
    assert fake.status(job("queued")) == "CANCELLING" and fake.status(job("portfolio")) == "QUEUED"


def test_running_again_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    run(monkeypatch, {"id": [job("queued")]}, fake)
    fake.calls.clear()
    result = run(monkeypatch, {"id": [job("queued")]}, fake)
    assert result["changed"] is False
    assert result["cancelled"] == [] and result["skipped_jobs"] == {job("queued"): "CANCELLING"}
    assert fake.writes() == []


def test_on_missing_fail_cancels_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"id": [job("queued"), job("nowhere")], "on_missing": "fail"}, fake)
    assert result["failed"] is True
    assert result["msg"] == "id: no job %s on the server (or not visible to this user); nothing was cancelled" % job("nowhere")
    assert fake.writes() == []
    assert fake.status(job("queued")) == "QUEUED"


def test_a_refused_job_fails_after_the_others_are_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    fake.locked.add(job("running"))
    result = run(monkeypatch, {"id": [job("queued"), job("running")]}, fake)
    assert result["failed"] is True
    assert result["msg"].startswith("could not cancel 1 job(s): %s: 403: The job is locked; cancelled 1" % job("running"))
    assert result["cancelled"] == [job("queued")]
    assert result["failed_jobs"] == {job("running"): "403: The job is locked"}
    assert fake.status(job("queued")) == "CANCELLING"


# -- by filter ----------------------------------------------------------------------------------------------------

def test_without_status_the_filter_selects_queued_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"app": ["Logistics"]}, fake)
    assert result["cancelled"] == [job("queued")]
    assert result["matched"] == 1
    assert fake.status(job("running")) == "EXECUTING" and fake.status(job("portfolio")) == "QUEUED"


@pytest.mark.parametrize("args, expected", [
    ({"status": ["QUEUED", "EXECUTING"]}, ["queued", "running", "portfolio"]),
    ({"statuses": ["EXECUTING"]}, ["running"]),
    ({"apps": ["Portfolio"]}, ["portfolio"]),
    ({"owner": ["Bob"], "status": ["EXECUTING"]}, ["running"]),
    ({"owners": [ident("user-alice")]}, ["queued", "portfolio"]),
    ({"older_than": "2026-11-21T00:00:00Z"}, ["queued"]),
    ({"created_after": "2026-11-21T00:00:00Z"}, ["portfolio"]),
    ({"scenario_ids": [ident("scenario-Base case")]}, ["queued", "portfolio"]),
])
def test_the_job_filter_selects(monkeypatch: pytest.MonkeyPatch, args: Dict[str, Any], expected: list) -> None:
    fake = seeded()
    result = run(monkeypatch, args, fake)
    assert result["failed"] is False, result.get("msg")
    assert sorted(result["cancelled"]) == sorted(job(seed) for seed in expected)
    assert fake.count(DELETE) == len(expected)


def test_a_filter_counts_cancelling_jobs_as_matched_and_skips_them(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(monkeypatch, {"status": ["CANCELLING"]}, seeded())
    assert result["changed"] is False and result["cancelled"] == []
    assert result["skipped_jobs"] == {job("leaving"): "CANCELLING"} and result["matched"] == 1


def test_max_jobs_guard_fails_before_any_cancel(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"status": ["QUEUED", "EXECUTING", "CANCELLING"], "max_jobs": 3}, fake)
    assert result["failed"] is True
    assert result["msg"].startswith("max_jobs: the filter matched 4 jobs, more than max_jobs=3; nothing was cancelled")
    assert fake.writes() == []
    result = run(monkeypatch, {"status": ["QUEUED", "EXECUTING", "CANCELLING"], "max_jobs": 0}, fake)
    assert len(result["cancelled"]) == 3


def test_max_jobs_does_not_apply_to_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(monkeypatch, {"id": [job("queued"), job("running")], "max_jobs": 1}, seeded())
    assert len(result["cancelled"]) == 2


# -- check mode and diff ------------------------------------------------------------------------------------------

def test_check_mode_only_reads_and_says_what_it_would_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"status": ["QUEUED", "CANCELLING"]}, fake, check_mode=True)
    assert result["changed"] is True
    assert sorted(result["cancelled"]) == sorted([job("queued"), job("portfolio")])
    assert result["msg"].startswith("check mode: 2 job(s) would be asked to cancel")
    assert "diff" not in result
    assert fake.writes() == []
    assert fake.status(job("queued")) == "QUEUED"


def test_diff_shows_each_status_before_and_after(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(monkeypatch, {"id": [job("queued"), job("running"), job("done")]}, seeded(), diff=True)
    assert result["diff"] == {"before": {"jobs": {job("queued"): "QUEUED", job("running"): "EXECUTING"}},
                              "after": {"jobs": {job("queued"): "CANCELLING", job("running"): "CANCELLING"}}}


def test_check_and_diff_mode_together(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"id": [job("running")]}, fake, check_mode=True, diff=True)
    assert result["diff"]["after"] == {"jobs": {job("running"): "CANCELLING"}}
    assert fake.writes() == []


# -- wait: the fake finishes a cancelling job when it is next read, so no test waits on a real clock ---------------

def test_wait_returns_the_final_states(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    fake.finish_on_read = True
    result = run(monkeypatch, {"id": [job("queued"), job("running"), job("leaving")], "wait": True}, fake)
    assert result["failed"] is False
    assert {item["id"]: item["status"] for item in result["jobs"]} == {job("queued"): "CANCELLED",
                                                                       job("running"): "CANCELLED"}
    assert fake.status(job("leaving")) == "CANCELLED"


def test_wait_counts_a_job_gone_from_the_server_as_finished(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    fake.script[job("queued")] = ["QUEUED", None]
    result = run(monkeypatch, {"id": [job("queued")], "wait": True}, fake)
    assert result["failed"] is False and result["cancelled"] == [job("queued")]


def test_wait_timeout_fails_with_every_result_value(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"id": [job("queued")], "wait": True, "wait_timeout": 0.01}, fake, diff=True)
    assert result["failed"] is True
    assert result["msg"] == "wait_timeout: 1 job(s) not finished after 0.01s: %s (CANCELLING)" % job("queued")
    assert result["cancelled"] == [job("queued")]
    assert [item["status"] for item in result["jobs"]] == ["CANCELLING"]
    assert result["diff"]["after"] == {"jobs": {job("queued"): "CANCELLING"}}


def test_wait_is_not_done_in_check_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"id": [job("queued")], "wait": True, "wait_timeout": 0.01}, fake, check_mode=True)
    assert result["failed"] is False
    assert fake.calls == ["GET /api/jobs/{}"]


# -- option errors ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    ({"id": ["nope"]}, "id: 'nope' is not a UUID"),
    ({"id": [job("queued")], "app": ["Logistics"]}, "parameters are mutually exclusive: id|app"),
    ({"status": ["COMPLETED", "QUEUED"]}, "status: COMPLETED jobs are finished and cannot be cancelled"),
    ({"status": ["SLEEPING"]}, "status"),
    ({"parallel": 0}, "parallel: must be between 1 and 32, got 0"),
    ({"parallel": 33}, "parallel: must be between 1 and 32, got 33"),
    ({"max_jobs": -1}, "max_jobs: must be 0 (no cap) or more, got -1"),
    ({"wait_timeout": 0}, "wait_timeout: must be more than 0 seconds, got 0"),
    ({"on_missing": "shrug"}, "on_missing"),
    ({"created_before": "soonish"}, "created_before: 'soonish' is neither an age"),
    ({"scenario_id": ["nope"]}, "scenario_id: 'nope' is not a UUID"),
])
def test_option_errors_name_the_option_before_any_call(monkeypatch: pytest.MonkeyPatch, args: Dict[str, Any],
                                                       message: str) -> None:
    fake = seeded()
    assert_refused_before_any_call(run(monkeypatch, args, fake), message, fake.calls)


def test_an_unknown_app_fails_before_listing(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"app": ["Nowhere"]}, fake)
    assert result["msg"] == "app: there is no app named 'Nowhere' on the server (or it is not visible to this user)"
    assert fake.calls == ["GET /api/apps"]
