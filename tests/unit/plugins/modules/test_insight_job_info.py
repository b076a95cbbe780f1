# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_job_info's main(): listing with the job filter, one job by id, wait_for, and its option errors."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._jobs import JOB_FIELDS, STATUSES
from ansible_collections.xpress.insight.plugins.modules import insight_job_info
from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.fake_jobs import FakeJobs, ident
from ansible_collections.xpress.insight.tests.unit.plugins.modules.module_runner import assert_refused_before_any_call, run_main


def seeded() -> FakeJobs:
    fake = FakeJobs()
    fake.add_job("queued", created="2026-11-20T08:00:00Z")
    fake.add_job("running", status="EXECUTING", owner="bob", created="2026-11-21T08:00:00Z")
    fake.add_job("portfolio", app="Portfolio", scenario="Stress test", created="2026-11-22T08:00:00Z", mode="LOAD")
    fake.add_job("done", status="FAILED", created="2026-11-19T08:00:00Z")
    return fake


def job(seed: str) -> str:
    return ident("job-" + seed)


def ids(result: Dict[str, Any]) -> List[str]:
    return sorted(item["id"] for item in result["jobs"])


def run(monkeypatch: pytest.MonkeyPatch, args: Dict[str, Any], fake: FakeJobs, **kwargs: Any) -> Dict[str, Any]:
    return run_main(monkeypatch, insight_job_info.main, args, fake, **kwargs)


def test_lists_the_unfinished_jobs_with_every_field_and_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {}, fake)
    assert result["failed"] is False and result["changed"] is False
    assert ids(result) == sorted([job("queued"), job("running"), job("portfolio")])
    for item in result["jobs"]:
        assert set(JOB_FIELDS) <= set(item)
        assert item["finished"] is None
    assert set(result["count_by_status"]) == set(STATUSES)
    assert result["count_by_status"]["QUEUED"] == 2 and result["count_by_status"]["FAILED"] == 0
    assert fake.writes() == []


def test_include_finished_lists_the_history(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(monkeypatch, {"include_finished": True}, seeded())
    assert job("done") in ids(result)
    assert result["count_by_status"]["FAILED"] == 1


@pytest.mark.parametrize("args, expected", [
    ({"status": ["EXECUTING"]}, ["running"]),
    ({"statuses": ["QUEUED"]}, ["portfolio", "queued"]),
    ({"app": ["Portfolio"]}, ["portfolio"]),
    ({"apps": [ident("app-Logistics")]}, ["queued", "running"]),
    ({"owner": ["Bob"]}, ["running"]),
    ({"owners": [ident("user-alice")]}, ["portfolio", "queued"]),
    ({"scenario_id": [ident("scenario-Stress test")]}, ["portfolio"]),
    ({"scenario_ids": [ident("scenario-Base case")]}, ["queued", "running"]),
    ({"execution_mode": ["load"]}, ["portfolio"]),
    ({"created_before": "2026-11-21T12:00:00Z"}, ["queued", "running"]),
    ({"older_than": "2026-11-20T12:00:00Z"}, ["queued"]),
    ({"created_after": "2026-11-21T12:00:00Z"}, ["portfolio"]),
    ({"include_finished": True, "status": ["FAILED"], "app": ["Logistics"]}, ["done"]),
])
def test_the_job_filter(monkeypatch: pytest.MonkeyPatch, args: Dict[str, Any], expected: List[str]) -> None:
    result = run(monkeypatch, args, seeded())
    assert result["failed"] is False, result.get("msg")
    assert ids(result) == sorted(job(seed) for seed in expected)


def test_check_mode_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"status": ["QUEUED"]}, fake, check_mode=True, diff=True)
    assert result["changed"] is False
    assert ids(result) == sorted([job("queued"), job("portfolio")])
    assert "diff" not in result
    assert fake.writes() == []


def test_one_job_by_id(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"id": job("done").upper()}, fake)
    assert ids(result) == [job("done")]
    assert result["jobs"][0]["solver_status"] == "OPTIMAL"
    assert result["count_by_status"]["FAILED"] == 1
    assert fake.calls == ["GET /api/jobs/{}"]


def test_an_unknown_id_fails_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(monkeypatch, {"id": job("nowhere")}, seeded())
    assert result["failed"] is True
    assert result["msg"] == "id: no job %s on the server (or it is not visible to this user)" % job("nowhere")


def test_an_unknown_app_fails_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"app": ["Nowhere"]}, fake)
    assert result["failed"] is True
    assert result["msg"] == "app: there is no app named 'Nowhere' on the server (or it is not visible to this user)"
    assert "GET /api/jobs" not in fake.calls


@pytest.mark.parametrize("args, message", [
    ({"id": "nope"}, "id: 'nope' is not a UUID"),
    ({"id": job("queued"), "status": ["QUEUED"]}, "parameters are mutually exclusive: id|status"),
    ({"wait_for": ["finished"]}, "wait_for"),
    ({"status": ["SLEEPING"]}, "status"),
    ({"parallel": 0}, "parallel: must be between 1 and 32, got 0"),
    ({"created_after": "soonish"}, "created_after: 'soonish' is neither an age"),
    ({"scenario_id": ["nope"]}, "scenario_id: 'nope' is not a UUID"),
])
def test_option_errors_name_the_option_before_any_call(monkeypatch: pytest.MonkeyPatch, args: Dict[str, Any],
                                                       message: str) -> None:
    fake = seeded()
    assert_refused_before_any_call(run(monkeypatch, args, fake), message, fake.calls)


@pytest.mark.parametrize("args, message", [
    ({"wait_for": ["soon"]}, "wait_for: 'soon' is neither finished nor a job status"),
    ({"wait_for": []}, "wait_for: give finished or at least one job status"),
    ({"wait_for": ["finished"], "wait_timeout": 0}, "wait_timeout: must be more than 0 seconds, got 0"),
    ({"wait_for": ["finished"], "wait_timeout": -5}, "wait_timeout: must be more than 0 seconds, got -5"),
])
def test_wait_option_errors_name_the_option_before_any_call(monkeypatch: pytest.MonkeyPatch, args: Dict[str, Any],
                                                            message: str) -> None:
    # The job exists: a check made after reading it would cost that GET before the error.
    fake = seeded()
    fake.script[job("queued")] = ["QUEUED", "COMPLETED"]
    assert_refused_before_any_call(run(monkeypatch, dict(args, id=job("queued")), fake), message, fake.calls)


def test_an_error_about_an_alias_names_it_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"older_than": "6 hours"}, fake)
    assert_refused_before_any_call(result, "older_than (alias of created_before): '6 hours' is neither an age", fake.calls)
    plain = run(monkeypatch, {"created_before": "6 hours"}, fake)
    assert plain["msg"].startswith("created_before: '6 hours' is neither an age")


# -- wait_for: the fake job moves on at each read, so no test waits on a real clock beyond one short poll ---------

def test_wait_for_finished_returns_the_finished_job(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    fake.script[job("queued")] = ["QUEUED", "EXECUTING", "COMPLETED"]
    result = run(monkeypatch, {"id": job("queued"), "wait_for": ["finished"]}, fake)
    assert result["failed"] is False
    assert result["jobs"][0]["status"] == "COMPLETED"
    assert result["count_by_status"]["COMPLETED"] == 1
    assert fake.count("GET /api/jobs/{}") == 3


def test_wait_for_a_status(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    fake.script[job("queued")] = ["QUEUED", "EXECUTING", "COMPLETED"]
    result = run(monkeypatch, {"id": job("queued"), "wait_for": ["executing", "COMPLETING"]}, fake)
    assert result["jobs"][0]["status"] == "EXECUTING"


def test_wait_for_a_status_already_reached_reads_once(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"id": job("running"), "wait_for": ["EXECUTING"]}, fake)
    assert result["jobs"][0]["status"] == "EXECUTING"
    assert fake.calls == ["GET /api/jobs/{}"]


def test_wait_for_a_status_the_job_can_no_longer_reach_fails_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    fake.script[job("queued")] = ["QUEUED", "FAILED"]
    result = run(monkeypatch, {"id": job("queued"), "wait_for": ["COMPLETED"]}, fake)
    assert result["failed"] is True
    assert result["msg"] == "wait_for: job %s finished as FAILED, so it cannot become COMPLETED" % job("queued")


def test_wait_for_a_job_that_leaves_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    fake.script[job("queued")] = ["QUEUED", None]
    result = run(monkeypatch, {"id": job("queued"), "wait_for": ["EXECUTING"]}, fake)
    assert result["failed"] is True
    assert result["msg"] == ("wait_for: job %s is no longer on the server (last status seen: QUEUED), so it cannot "
                             "become EXECUTING" % job("queued"))
    # Waiting for `finished`, a job that is gone has finished: the job is returned as last seen.
    fake = seeded()
    fake.script[job("queued")] = ["QUEUED", None]
    result = run(monkeypatch, {"id": job("queued"), "wait_for": ["finished"]}, fake)
    assert result["failed"] is False
    assert result["jobs"][0]["status"] == "QUEUED"


def test_wait_timeout_fails_in_one_line_with_the_job_as_last_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = seeded()
    result = run(monkeypatch, {"id": job("queued"), "wait_for": ["finished"], "wait_timeout": 0.01}, fake)
    assert result["failed"] is True
    assert result["msg"] == "wait_timeout: 1 job(s) not finished after 0.01s: %s (QUEUED)" % job("queued")
    assert [item["status"] for item in result["jobs"]] == ["QUEUED"]
    assert result["count_by_status"]["QUEUED"] == 1 and result["changed"] is False
