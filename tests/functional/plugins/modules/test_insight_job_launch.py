"""insight_job_launch through real ansible-playbook runs against the emulator's POST /api/jobs, its job clock and
its run logs."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from variant_fixtures import LAUNCH_VARIANTS

TASK = "xpress.insight.insight_job_launch"
POST = "POST /api/jobs"
SECRET = "alice-secret"

USERS = [
    {"username": "alice", "name": "Alice Able", "role": "full", "client_id": "alice-id", "secret": SECRET},
    {"username": "bob", "name": "Bob Builder", "role": "full", "client_id": "bob-id", "secret": "bob-secret"},
    {"username": "rita", "name": "Rita Reader", "role": "readonly", "client_id": "rita-id", "secret": "rita-secret"},
]
BASE = "/Logistics/Reports/Base case"
HIGH = "/Logistics/Reports/High demand"
NIGHTLY = "/Logistics/Reports/Nightly"
SANDBOX = "/Logistics/Sandbox"
SECRET_PLAN = "/Logistics/Bob private/Secret plan"
QUEUED_ID = "00000000-0000-4000-8000-000000000027"
# A failing run's log: the secret of the run and a terminal escape among its lines, more lines than are shown.
FAILED_LOG = (["step %d" % n for n in range(1, 31)]
              + ["connecting with secret %s" % SECRET, "\x1b[31mERROR\x1b[0m infeasible model", "Run failed"])


def seed(**extra: Any) -> Dict[str, Any]:
    document: Dict[str, Any] = {
        "users": USERS,
        "apps": [{"name": "Logistics", "scenarios": [{"name": "Sandbox"}], "folders": [
            {"name": "Reports", "scenarios": [{"name": "Base case"}, {"name": "High demand"}, {"name": "Nightly"}]},
            {"name": "Bob private", "share_status": "PRIVATE", "owner": "bob", "scenarios": [{"name": "Secret plan"}]},
        ]}],
        "jobs": [{"id": QUEUED_ID, "scenario": HIGH, "owner": "bob", "status": "QUEUED", "created": "-5m",
                  "execution_mode": "LOAD"}],
        "job_plans": [{"scenario": NIGHTLY, "outcome": "FAILED", "queue_seconds": 1, "run_seconds": 2,
                       "run_log": FAILED_LOG}],
    }
    document.update(extra)
    return document


def play(*tasks: Dict[str, Any]) -> Dict[str, Any]:
    return {"name": "launch", "hosts": "localhost", "gather_facts": False, "tasks": list(tasks)}


def task(name: str, ignore_errors: bool = False, **args: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {"name": name, TASK: args}
    if ignore_errors:
        out["ignore_errors"] = True
    return out


def status(result: Any, name: str) -> str:
    return next(entry["status"] for entry in result.results if entry["task"] == name)


def one_line(result: Any, name: str) -> str:
    assert status(result, name) == "failed", result
    msg = result.task(name)["msg"]
    assert isinstance(msg, str) and "\n" not in msg and "Traceback" not in result.stdout + result.stderr, msg
    return msg


def jobs_of(insight: Any, path: str) -> List[Dict[str, Any]]:
    scenario = next(s["id"] for s in insight.state()["scenarios"] if s["path"] == path)
    return [j for j in insight.state()["jobs"] if (j.get("scenario") or {}).get("id") == scenario]


def posts(insight: Any) -> int:
    return int(insight.counters()["by_route"].get(POST, 0))


def run_clock(insight: Any, speed: float = 20) -> None:
    insight.clock("speed", speed=speed)
    insight.clock("resume")


@pytest.mark.parametrize("variant", LAUNCH_VARIANTS, indirect=True)
def test_starts_a_job_and_waits_until_it_completed(variant, insight, run_playbook):
    variant.reset(seed())
    run_clock(insight)
    result = run_playbook(play(task("run", scenario=BASE, wait=True, wait_timeout=60)))
    assert result.rc == 0, result
    out = result.task("run")
    assert out["changed"] is True and out["existing_job"] is False
    job = out["job"]
    assert job["status"] == "COMPLETED" and job["model_status"] == "OK" and job["execution_mode"]["name"] == "RUN"
    assert job["scenario"]["name"] == "Base case" and "executionMode" not in job and "run_log" not in out
    assert out["scenario"]["path"] == BASE and out["scenario"]["name"] == "Base case"
    assert [j["id"] for j in jobs_of(insight, BASE)] == [job["id"]]
    assert posts(insight) == 1


def test_a_job_started_without_wait_is_returned_queued_and_by_id_too(insight, run_playbook):
    insight.reset(seed())
    scenario = next(s["id"] for s in insight.state()["scenarios"] if s["path"] == SANDBOX)
    result = run_playbook(play(task("start", scenario_id=scenario.upper(), execution_mode="LOAD")))
    assert result.rc == 0, result
    out = result.task("start")
    assert out["changed"] is True and out["job"]["status"] == "QUEUED" and out["job"]["execution_mode"]["name"] == "LOAD"
    assert out["job"]["started"] is None and out["job"]["finished"] is None  # every Job field present
    assert out["scenario"] == {"id": scenario, "name": "Sandbox", "path": None}
    assert [j["status"] for j in jobs_of(insight, SANDBOX)] == ["QUEUED"]


def test_a_failed_job_fails_the_task_with_its_last_run_log_lines(insight, run_playbook):
    insight.reset(seed())
    run_clock(insight)
    result = run_playbook(play(task("nightly", ignore_errors=True, scenario=NIGHTLY, wait=True, wait_timeout=60,
                                    run_log_lines=3)))
    msg = one_line(result, "nightly")
    out = result.task("nightly")
    job_id = out["job"]["id"]
    assert out["job"]["status"] == "FAILED"
    assert msg.startswith("job %s of scenario %s ended FAILED (fail_on: CANCELLED, FAILED); the last 3 of its 33 "
                          "run-log lines: " % (job_id, NIGHTLY)), msg
    assert out["run_log"] == ["connecting with secret ********", "\\x1b[31mERROR\\x1b[0m infeasible model", "Run failed"]
    assert msg.endswith(" | ".join(out["run_log"]))
    assert SECRET not in result.stdout + result.stderr and "\x1b" not in msg
    # The same outcome is accepted with an empty fail_on, and a COMPLETED job does not fail with COMPLETED left out.
    accepted = run_playbook(play(task("nightly", scenario=NIGHTLY, wait=True, wait_timeout=60, fail_on=[])))
    assert accepted.rc == 0, accepted
    assert accepted.task("nightly")["job"]["status"] == "FAILED" and "run_log" not in accepted.task("nightly")


def test_a_scenario_already_in_the_queue_reports_its_job_unchanged(insight, run_playbook):
    insight.reset(seed())
    before = insight.state()["jobs"]
    result = run_playbook(play(task("again", scenario=HIGH), task("again", scenario=HIGH, execution_mode="LOAD")))
    assert result.rc == 0, result
    for out in [entry["result"] for entry in result.results if entry["task"] == "again"]:
        assert out["changed"] is False and out["existing_job"] is True
        assert out["job"]["id"] == QUEUED_ID and out["job"]["status"] == "QUEUED"
        assert out["msg"] == "scenario %s already has job %s (QUEUED); nothing was started" % (HIGH, QUEUED_ID)
    # Asked for RUN while the queued job is a LOAD: said in a warning.
    assert "already has job %s (QUEUED, execution mode LOAD): reported instead of starting a RUN job" % QUEUED_ID \
        in " ".join((result.stdout + result.stderr).split())
    assert insight.state()["jobs"] == before
    assert posts(insight) == 2  # each run asked the server, which answered 423


def test_check_mode_starts_nothing_and_reports_the_same_as_a_run(insight, run_playbook):
    insight.reset(seed())
    insight.reset_counters()
    preview = run_playbook(play(task("base", scenario=BASE), task("high", scenario=HIGH)), check=True, diff=True)
    assert preview.rc == 0, preview
    base = preview.task("base")
    assert base["changed"] is True and base["job"] is None and base["existing_job"] is False
    assert base["msg"] == "would start a RUN job for scenario %s" % BASE
    assert base["diff"]["before"]["job"] is None and base["diff"]["after"]["job"]["execution_mode"] == "RUN"
    high = preview.task("high")
    assert high["changed"] is False and high["job"]["id"] == QUEUED_ID
    assert insight.counters()["writes"] == 0 and jobs_of(insight, BASE) == []

    real = run_playbook(play(task("base", scenario=BASE), task("high", scenario=HIGH)))
    assert real.rc == 0, real
    for name in ("base", "high"):
        for key in ("changed", "existing_job", "scenario"):
            assert real.task(name)[key] == preview.task(name)[key], (name, key)
    assert real.task("base")["job"]["status"] == "QUEUED"


@pytest.mark.parametrize("variant", ["older-release"], indirect=True)
def test_a_server_of_the_older_release_fails_in_one_line(variant, insight, run_playbook):
    variant.reset(seed())
    before = insight.state()["jobs"]
    line = ("POST /api/jobs: the server's release does not offer job creation (it answered %d without Insight's error "
            "envelope); insight_job_launch needs an Insight 5 release whose REST API has POST /api/jobs and "
            "GET /api/jobs/{id}/run-log")
    result = run_playbook(play(task("start", ignore_errors=True, scenario=BASE)))
    assert one_line(result, "start") == line % 405
    preview = run_playbook(play(task("start", ignore_errors=True, scenario=BASE)), check=True)
    assert one_line(preview, "start") == line % 404
    assert insight.state()["jobs"] == before


def test_the_wait_timeout_fails_naming_the_last_status_and_returns_the_job(insight, run_playbook):
    insight.reset(seed())  # the job clock stays paused: the new job stays QUEUED
    result = run_playbook(play(task("wait", ignore_errors=True, scenario=BASE, wait=True, wait_timeout=1)))
    msg = one_line(result, "wait")
    job = result.task("wait")["job"]
    assert msg == "wait_timeout: 1 job(s) not finished after 1s: %s (QUEUED)" % job["id"]
    assert job["status"] == "QUEUED" and result.task("wait")["changed"] is True


def test_too_many_jobs_is_one_line_and_starts_nothing(insight, run_playbook):
    insight.reset(seed())
    insight.config(max_jobs=1)
    result = run_playbook(play(task("start", ignore_errors=True, scenario=BASE, retries=0)))
    assert one_line(result, "start").startswith("POST /api/jobs: 429: the server has more jobs than its configured "
                                                "maximum (There are currently more jobs than the configured maximum "
                                                "of 1); nothing was started for scenario %s" % BASE)
    assert jobs_of(insight, BASE) == []


BAD = [
    ("a folder", dict(scenario="/Logistics/Reports"), "scenario: /Logistics/Reports is a folder, not a scenario"),
    ("a missing scenario", dict(scenario="/Logistics/Reports/Nope"),
     "scenario: no scenario /Logistics/Reports/Nope (or it is not visible to this user)"),
    ("a missing folder", dict(scenario="/Logistics/Gone/Base case"),
     "scenario: no scenario /Logistics/Gone/Base case: the folder /Logistics/Gone does not exist"),
    ("another user's private scenario", dict(scenario=SECRET_PLAN), "scenario: no scenario /Logistics/Bob private"),
    ("the app root", dict(scenario="/Logistics"), "scenario: '/Logistics' names the app 'Logistics', not a scenario"),
    ("an unknown app", dict(scenario="/Nowhere/Base case"), "scenario: there is no app named 'Nowhere'"),
    ("an empty path", dict(scenario=""), "scenario: is empty"),
    ("a path with //", dict(scenario="/Logistics//Sandbox"), "scenario: '/Logistics//Sandbox' contains an empty"),
    ("an empty id", dict(scenario_id=""), "scenario_id: is empty"),
    ("an id that is no uuid", dict(scenario_id="base-case"), "scenario_id: 'base-case' is not a UUID"),
    ("an unknown id", dict(scenario_id="0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11"),
     "scenario_id: no scenario 0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11 on the server"),
    ("path and id", dict(scenario=BASE, scenario_id="0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11"),
     "mutually exclusive: scenario|scenario_id"),
    ("neither", dict(), "one of the following is required: scenario, scenario_id"),
    ("an unknown execution mode", dict(scenario=BASE, execution_mode="NIGHTLY"),
     "execution_mode: the server refused 'NIGHTLY' for scenario /Logistics/Reports/Base case: The execution mode"),
    ("an empty execution mode", dict(scenario=BASE, execution_mode=""), "execution_mode: is empty"),
    ("an execution mode with a space", dict(scenario=BASE, execution_mode="RUN "), "execution_mode: 'RUN ' is not"),
    ("a zero wait_timeout", dict(scenario=BASE, wait=True, wait_timeout=0), "wait_timeout: must be more than 0"),
    ("no run-log lines", dict(scenario=BASE, run_log_lines=0), "run_log_lines: must be between 1 and 1000, got 0"),
    ("a fail_on that is not a final status", dict(scenario=BASE, fail_on=["QUEUED"]),
     "value of fail_on must be one or more of"),
    ("a read-only user", dict(scenario=BASE, client_id="rita-id", secret="{{ lookup('env', 'RITA_SECRET') }}"),
     "POST /api/jobs: 403"),
]


def test_bad_input_fails_in_one_line_and_starts_nothing(insight, run_playbook):
    insight.reset(seed())
    before = insight.state()["jobs"]
    result = run_playbook(play(*[task(name, ignore_errors=True, **args) for name, args, _fragment in BAD]),
                          env={"RITA_SECRET": "rita-secret"})
    wrong = {name: one_line(result, name) for name, _args, fragment in BAD if fragment not in one_line(result, name)}
    assert not wrong, wrong
    assert insight.state()["jobs"] == before


def test_a_lost_answer_is_not_sent_again_when_the_job_was_made(insight, run_playbook):
    insight.reset(seed())
    insight.faults({"route": POST, "kind": "status", "status": 503, "when": "after", "count": 1})
    result = run_playbook(play(task("start", scenario=BASE)))
    assert result.rc == 0, result
    out = result.task("start")
    made = jobs_of(insight, BASE)
    assert [j["id"] for j in made] == [out["job"]["id"]] and out["changed"] is True
    assert posts(insight) == 1
    assert "the answer to POST /api/jobs was lost" in " ".join((result.stdout + result.stderr).split())
