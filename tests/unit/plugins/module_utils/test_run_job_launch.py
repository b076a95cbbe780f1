# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_job_launch's engine on an in-memory Insight: checks before any call, the scenario lookup, the 423 path,
the older release, and the bounded, scrubbed run-log tail."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional

import pytest

from ansible_collections.xpress.insight.plugins.module_utils import _run_job_launch as launch
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightError, InsightHTTPError
from ansible_collections.xpress.insight.plugins.module_utils._scrub import register

from .fake_insight import FakeInsight

ENVELOPE = {"error": {"code": "FICO-Platform-Http-404", "message": "Not Found",
                      "innerError": {"code": "OPTI-Insight-Persistence-DocumentNotFound", "message": "Unable to find"}}}


class JobsInsight(FakeInsight):
    """FakeInsight with the job routes insight_job_launch uses; `answers` scripts the POSTs (a status, or None for
    201), `run_log` is the text of every job's run log."""

    def __init__(self) -> None:
        super().__init__()
        self.jobs: List[Dict[str, Any]] = []
        self.answers: List[Optional[int]] = []
        self.run_log = ""
        self.run_log_status: Optional[int] = None
        self.between: Optional[Any] = None

    def _job(self, scenario_id: str, status: str = "QUEUED", mode: str = "RUN") -> Dict[str, Any]:
        job = {"id": "job-%d" % (len(self.jobs) + 1), "status": status, "created": "2026-11-20T08:0%d:00Z" % len(self.jobs),
               "scenario": {"id": scenario_id, "name": "Base case", "objectType": "SCENARIO"},
               "executionMode": {"name": mode}}
        self.jobs.append(job)
        return job

    def paged(self, template: str, *parts: Any, params: Optional[Dict[str, Any]] = None, page_size: int = 500,
              concurrent: int = 0, follow_shifts: bool = False) -> Iterator[Dict[str, Any]]:
        if template == "/api/jobs":
            self._record("GET", template)
            wanted = (params or {}).get("scenarioId")
            return iter([dict(j) for j in self.jobs if wanted in (None, j["scenario"]["id"])])
        return super().paged(template, *parts, params=params, page_size=page_size, concurrent=concurrent,
                             follow_shifts=follow_shifts)

    def get(self, template: str, *parts: Any, params: Optional[Dict[str, Any]] = None, kind: str = "json") -> Any:
        if template == "/api/jobs/{}/run-log":
            self._record("GET", template)
            if self.run_log_status is not None:
                raise InsightHTTPError("GET", "/api/jobs/%s/run-log" % parts[0], self.run_log_status, "Not Found",
                                       ENVELOPE if self.run_log_status == 404 and self.run_log else None)
            return self.run_log
        return super().get(template, *parts, params=params, kind=kind)

    def post_or_recover(self, template: str, *parts: Any, json_body: Any, recover: Any) -> Any:
        assert template == "/api/jobs"
        self._record("POST", template)
        status = self.answers.pop(0) if self.answers else None
        if status is not None:
            if self.between is not None:
                self.between()
            raise InsightHTTPError("POST", template, status, "Refused", ENVELOPE if status != 405 else None)
        return self._job(json_body["scenario"]["id"], mode=json_body["executionMode"]), True


class Task:
    def __init__(self, client: Any, check_mode: bool = False, **params: Any) -> None:
        self.client = client
        self.check_mode = check_mode
        self.diff_mode = False
        self.warnings: List[str] = []
        self.params = {"scenario": None, "scenario_id": None, "execution_mode": "RUN", "wait": False,
                       "wait_timeout": 300.0, "fail_on": ["CANCELLED", "FAILED"], "run_log_lines": 20}
        self.params.update(params)

    def warn(self, warning: str) -> None:
        self.warnings.append(warning)


class NoServer:
    """A client that fails the test on any use: bad input must be refused before the first call."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError("the server was called: %s" % name)


@pytest.mark.parametrize("params, fragment", [
    ({"scenario": "/Logistics"}, "scenario: '/Logistics' names the app 'Logistics', not a scenario"),
    ({"scenario": ""}, "scenario: is empty"),
    ({"scenario": "Logistics/Base case"}, "must start with /"),
    ({"scenario_id": " "}, "scenario_id: is empty"),
    ({"scenario_id": "nope"}, "scenario_id: 'nope' is not a UUID"),
    ({"scenario": "/L/S", "execution_mode": ""}, "execution_mode: is empty"),
    ({"scenario": "/L/S", "execution_mode": "RUN\n"}, "execution_mode: 'RUN\\n' is not an execution mode name"),
    ({"scenario": "/L/S", "wait_timeout": -1}, "wait_timeout: must be more than 0 seconds, got -1"),
    ({"scenario": "/L/S", "run_log_lines": 1001}, "run_log_lines: must be between 1 and 1000, got 1001"),
    ({}, "scenario or scenario_id"),
])
def test_bad_input_is_refused_before_any_call(params, fragment):
    with pytest.raises(InsightError) as caught:
        launch.run(Task(NoServer(), **params))
    assert fragment in caught.value.to_line()


def test_a_name_two_scenarios_share_names_both_ids():
    server = JobsInsight()
    first = server.add("/Logistics/Reports/Base case", kind="SCENARIO")
    second = server._new_id()  # the API allows twins: the fake's seeding does not, so the second is added by hand
    server.nodes[second] = dict(server.nodes[first])
    with pytest.raises(InsightError) as caught:
        launch.run(Task(server, scenario="/Logistics/Reports/Base case"))
    assert caught.value.to_line() == ("scenario: /Logistics/Reports/Base case names 2 scenarios (ids %s); give the one "
                                      "meant with scenario_id" % ", ".join(sorted([first, second])))
    assert server.writes() == []


def test_a_423_whose_job_finished_meanwhile_is_sent_again():
    server = JobsInsight()
    scenario = server.add("/Logistics/Base case", kind="SCENARIO")
    server.answers = [423]
    result = launch.run(Task(server, scenario="/Logistics/Base case"))
    assert result["changed"] is True and result["job"]["status"] == "QUEUED" and result["existing_job"] is False
    assert server.count("POST /api/jobs") == 2 and result["scenario"]["id"] == scenario


def test_a_423_reports_the_job_in_the_queue_before_a_cancelling_one():
    server = JobsInsight()
    scenario = server.add("/Logistics/Base case", kind="SCENARIO")
    server._job(scenario, status="CANCELLING")
    queued = server._job(scenario, status="QUEUED", mode="LOAD")
    server.answers = [423]
    task = Task(server, scenario="/Logistics/Base case")
    result = launch.run(task)
    assert result["changed"] is False and result["existing_job"] is True and result["job"]["id"] == queued["id"]
    assert result["job"]["execution_mode"] == {"name": "LOAD"} and "started" in result["job"]
    assert task.warnings == ["scenario /Logistics/Base case already has job job-2 (QUEUED, execution mode LOAD): "
                             "reported instead of starting a RUN job"]


@pytest.mark.parametrize("status, older", [(405, True), (404, False)])
def test_the_older_release_is_told_from_an_unknown_scenario(status, older):
    server = JobsInsight()
    server.answers = [status]
    with pytest.raises(InsightError) as caught:
        launch.run(Task(server, scenario_id="0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11"))
    line = caught.value.to_line()
    if older:
        assert line.startswith("POST /api/jobs: the server's release does not offer job creation (it answered 405")
    else:
        assert line == ("scenario_id: no scenario 0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11 on the server (or it is not "
                        "visible to this user); nothing was started")


def test_check_mode_probes_the_release_with_a_read_only():
    server = JobsInsight()
    server.add("/Logistics/Base case", kind="SCENARIO")
    server.run_log_status = 404  # no envelope: a server without the route
    with pytest.raises(InsightError) as caught:
        launch.run(Task(server, check_mode=True, scenario="/Logistics/Base case"))
    assert "does not offer job creation (it answered 404" in caught.value.to_line()
    assert server.writes() == []


def test_the_run_log_tail_is_bounded_scrubbed_and_escaped():
    register("s3cr3t-launch-value")
    server = JobsInsight()
    server.run_log = "".join("line %d\n" % n for n in range(50)) + "key s3cr3t-launch-value\n\x1b[2Jclear\n" + "x" * 5000
    tail, total, problem = launch.run_log_tail(server, "job-1", 3)
    assert problem is None and total == 53
    assert tail[0] == "key ********" and tail[1] == "\\x1b[2Jclear"
    assert tail[2] == "x" * launch.RUN_LOG_LINE_CHARS + "..."
    server.run_log_status = 404
    assert launch.run_log_tail(server, "job-1", 3) == ([], 0, "the server no longer has it")
