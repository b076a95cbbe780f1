"""insight_job_info's wait_for: the shared poller, against the emulator's job clock."""

from __future__ import annotations

from test_insight_job_cancel import failed, jid, job, seed
from test_insight_job_info import play, task


def test_waits_until_the_job_reaches_a_listed_status(insight, run_playbook):
    # Ten job-clock seconds a second: job 1 starts about 6 s from now and runs long, job 2 ends about 3 s later.
    insight.reset(seed(job(1, "QUEUED", queue_seconds=60, run_seconds=6000, outcome="COMPLETED"),
                       job(2, "QUEUED", queue_seconds=60, run_seconds=30, outcome="COMPLETED")))
    insight.clock("speed", speed=10)
    insight.clock("resume")
    result = run_playbook(play(task("running", id=jid(1), wait_for=["EXECUTING", "COMPLETING"], wait_timeout=60),
                               task("done", id=jid(2), wait_for="finished", wait_timeout=60)))
    assert result.rc == 0, result
    assert result.task("running")["jobs"][0]["status"] == "EXECUTING"
    done = result.task("done")["jobs"][0]
    assert done["status"] == "COMPLETED" and done["duration"] is not None
    assert result.task("done")["changed"] is False
    assert insight.counters()["writes"] == 0


def test_timeout_fails_in_one_line_naming_the_last_status(insight, run_playbook):
    insight.reset(seed(job(1, "EXECUTING")))
    result = run_playbook(play(task("wait", ignore_errors=True, id=jid(1), wait_for="finished", wait_timeout=1)))
    out = result.task("wait")
    assert failed(result, "wait")
    assert out["msg"] == "wait_timeout: 1 job(s) not finished after 1s: %s (EXECUTING)" % jid(1)
    assert out["jobs"][0]["status"] == "EXECUTING"


def test_a_job_that_ends_elsewhere_fails_at_once(insight, run_playbook):
    insight.reset(seed(job(1, "QUEUED", queue_seconds=5, run_seconds=5, outcome="FAILED")))
    insight.clock("speed", speed=60)
    insight.clock("resume")
    result = run_playbook(play(task("wait", ignore_errors=True, id=jid(1), wait_for=["COMPLETED"], wait_timeout=60)))
    assert failed(result, "wait")
    assert result.task("wait")["msg"] == "wait_for: job %s finished as FAILED, so it cannot become COMPLETED" % jid(1)
    # As on a timeout, the failure returns the job as last seen.
    out = result.task("wait")
    assert [(j["id"], j["status"]) for j in out["jobs"]] == [(jid(1), "FAILED")]
    assert out["count_by_status"]["FAILED"] == 1 and sum(out["count_by_status"].values()) == 1


def test_bad_wait_options_are_one_line(insight, run_playbook):
    insight.reset(seed(job(1)))
    result = run_playbook(play(
        task("bad_status", ignore_errors=True, id=jid(1), wait_for=["DONE"]),
        task("no_id", ignore_errors=True, wait_for="finished"),
        task("bad_timeout", ignore_errors=True, id=jid(1), wait_for="finished", wait_timeout=0),
    ))
    assert result.task("bad_status")["msg"].startswith("wait_for: 'DONE' is neither finished nor a job status")
    assert "wait_for" in result.task("no_id")["msg"] and "id" in result.task("no_id")["msg"]
    assert result.task("bad_timeout")["msg"] == "wait_timeout: must be more than 0 seconds, got 0"


def test_bad_wait_options_fail_before_any_call(insight, run_playbook):
    # The job exists: a check made after reading it would cost a sign-in and that GET before the error.
    insight.reset(seed(job(1)))
    result = run_playbook(play(
        task("zero", ignore_errors=True, id=jid(1), wait_for="finished", wait_timeout=0),
        task("negative", ignore_errors=True, id=jid(1), wait_for=["COMPLETED"], wait_timeout=-1),
        task("soon", ignore_errors=True, id=jid(1), wait_for=["soon"]),
    ))
    assert result.task("zero")["msg"] == "wait_timeout: must be more than 0 seconds, got 0"
    assert result.task("negative")["msg"] == "wait_timeout: must be more than 0 seconds, got -1"
    assert result.task("soon")["msg"].startswith("wait_for: 'soon' is neither finished nor a job status")
    assert insight.counters()["total"] == 0
    assert insight.log() == []


def test_an_error_about_an_alias_names_it_as_written(insight, run_playbook):
    insight.reset(seed(job(1)))
    result = run_playbook(play(
        task("alias", ignore_errors=True, older_than="6 hours"),
        task("statuses", ignore_errors=True, statuses=[]),
        task("current", ignore_errors=True, created_before="6 hours"),
    ))
    assert result.task("alias")["msg"] == ("older_than (alias of created_before): '6 hours' is neither an age such "
                                           "as 6h, 30m or 1d12h nor an ISO 8601 timestamp")
    assert result.task("statuses")["msg"].startswith("statuses (alias of status): is an empty list")
    assert result.task("current")["msg"].startswith("created_before: '6 hours' is neither an age")
