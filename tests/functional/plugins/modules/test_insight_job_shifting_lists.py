"""Job listings that shift while they are paged: other jobs finish (or vanish) between two page reads.

The emulator's finish_jobs / remove_jobs faults make the earliest running jobs leave the unfinished list right after
a listing page is answered, so later jobs move onto pages already read."""

from __future__ import annotations

import pytest

from test_insight_job_cancel import failed, jid, job, play, seed, statuses, task

PORTFOLIO = "/Portfolio/Balanced"
LIST = "GET /api/jobs"


def busy_server(insight, targets=5, others=10):
    """`others` running Portfolio jobs created long ago, then `targets` queued Logistics jobs."""
    jobs = [job(100 + n, "EXECUTING", scenario=PORTFOLIO, created="-2h") for n in range(others)]
    jobs += [job(n, created="-10m") for n in range(1, targets + 1)]
    insight.reset(seed(*jobs))
    insight.config(page_size_cap=5)


def test_wait_never_reports_cancelling_jobs_as_finished(insight, run_playbook):
    busy_server(insight)
    insight.config(cancel_delay=600)
    # The selection pass takes three pages; the first page of the first poll pass makes the ten others finish.
    insight.faults({"route": LIST, "kind": "finish_jobs", "jobs": 10, "skip": 3, "count": 1})
    result = run_playbook(play(task("cancel", ignore_errors=True, app="Logistics", wait=True, wait_timeout=2)))
    out = result.task("cancel")
    assert failed(result, "cancel"), out
    assert out["msg"].startswith("wait_timeout: 5 job(s) not finished after 2s")
    assert all("%s (CANCELLING)" % jid(n) in out["msg"] for n in range(1, 6))
    assert sorted(out["cancelled"]) == [jid(n) for n in range(1, 6)]
    assert {j["status"] for j in out["jobs"]} == {"CANCELLING"}
    assert {statuses(insight)[jid(n)] for n in range(1, 6)} == {"CANCELLING"}
    assert {statuses(insight)[jid(100 + n)] for n in range(10)} == {"COMPLETED"}


def test_wait_ends_when_the_shifted_jobs_really_finished(insight, run_playbook):
    busy_server(insight)
    insight.config(cancel_delay=0)
    insight.faults({"route": LIST, "kind": "finish_jobs", "jobs": 10, "skip": 3, "count": 1})
    result = run_playbook(play(task("cancel", app="Logistics", wait=True, wait_timeout=30)))
    assert result.rc == 0, result
    out = result.task("cancel")
    assert {j["status"] for j in out["jobs"]} == {"CANCELLED"}
    assert len(out["jobs"]) == 5


@pytest.mark.parametrize("kind", ["finish_jobs", "remove_jobs"])
def test_selection_by_filter_misses_no_job_when_others_leave_mid_pass(insight, run_playbook, kind):
    busy_server(insight)
    insight.faults({"route": LIST, "kind": kind, "jobs": 10, "count": 1})
    result = run_playbook(play(task("cancel", app="Logistics")))
    assert result.rc == 0, result
    out = result.task("cancel")
    assert out["matched"] == 5
    assert sorted(out["cancelled"]) == [jid(n) for n in range(1, 6)]
    assert {statuses(insight)[jid(n)] for n in range(1, 6)} == {"CANCELLED"}


def test_listing_that_keeps_shifting_is_followed(insight, run_playbook):
    # One job finishes after every page read, all through the pass: each drop makes the page below be read again,
    # and every target is found.
    busy_server(insight, targets=5, others=40)
    insight.faults({"route": LIST, "kind": "finish_jobs", "jobs": 1})
    result = run_playbook(play(task("cancel", app="Logistics")))
    assert result.rc == 0, result
    assert sorted(result.task("cancel")["cancelled"]) == [jid(n) for n in range(1, 6)]


def test_listing_that_never_settles_fails_without_cancelling(insight, run_playbook):
    # A page's worth of jobs finishes after every read: re-reading can never catch up, so nothing is cancelled.
    # (Pages read one by one, parallel: 1: read all at once, such a server would be emptied by the first pass.)
    busy_server(insight, targets=5, others=400)
    insight.faults({"route": LIST, "kind": "finish_jobs", "jobs": 5})
    result = run_playbook(play(task("cancel", ignore_errors=True, app="Logistics", parallel=1)))
    out = result.task("cancel")
    assert failed(result, "cancel"), out
    assert "job list kept changing" in out["msg"]
    assert insight.counters()["writes"] == 0
