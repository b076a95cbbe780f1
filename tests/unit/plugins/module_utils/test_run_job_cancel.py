# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import math

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._run_job_cancel import (
    CancelRefused, CancelRun, cancel_settings, check_max_jobs, error_text, run_cancel, unique_ids)
from ansible_collections.xpress.insight.plugins.module_utils._job_wait import POLL_MAX, JobWaiter, WaitTimeout, poll_delay
from ansible_collections.xpress.insight.plugins.module_utils._client import Answer
from ansible_collections.xpress.insight.plugins.module_utils._errors import (
    InsightConfigError, InsightError, InsightHTTPError)
from ansible_collections.xpress.insight.plugins.module_utils._jobs import FINISHED, JobFilter


def jid(number):
    return "00000000-0000-4000-8000-%012d" % number


def envelope(message):
    return {"error": {"code": "FICO-Platform-Http-403", "message": "Forbidden",
                      "innerError": {"code": "Forbidden", "message": message}}}


class FakeServer:
    """Jobs by id with a status; DELETE moves them to CANCELLING, and each read may finish them."""

    def __init__(self, statuses, page_size=2, locked=(), finish_after_reads=None, unlisted=()):
        self.jobs = {job_id: {"id": job_id, "status": status, "executionMode": {"name": "RUN"}}
                     for job_id, status in statuses.items()}
        self.page_size = page_size
        self.locked = set(locked)
        self.finish_after_reads = finish_after_reads
        # Jobs a listing pass does not show although they are unfinished (they shifted onto a page already read).
        self.unlisted = set(unlisted)
        self.reads = 0
        self.request_count = 0
        self.calls = []

    def _tick(self):
        self.reads += 1
        if self.finish_after_reads is not None and self.reads >= self.finish_after_reads:
            for job in self.jobs.values():
                if job["status"] == "CANCELLING":
                    job["status"] = "CANCELLED"

    def get(self, template, *parts, params=None):
        self.request_count += 1
        self.calls.append(("GET", template, parts, dict(params or {})))
        self._tick()
        if template == "/api/jobs":
            listed = self._listed(params)
            size = min(self.page_size, (params or {}).get("size") or self.page_size)
            return {"content": listed[:size], "totalElements": len(listed),
                    "totalPages": max(1, math.ceil(len(listed) / size))}
        job = self.jobs.get(parts[0])
        if job is None:
            raise InsightHTTPError("GET", "/api/jobs/" + parts[0], 404, "Not Found")
        return dict(job)

    get_item = get  # the real client also checks the item's shape

    def _listed(self, params):
        finished = bool((params or {}).get("includeFinished"))
        return [dict(j) for j in self.jobs.values() if (finished or j["status"] not in FINISHED) and j["id"] not in self.unlisted]

    def paged(self, template, params=None, concurrent=0, on_page=None, follow_shifts=False):
        self._tick()
        listed = self._listed(params)
        if on_page is not None:
            on_page({"totalElements": len(listed), "content": listed})
        self.request_count += max(1, math.ceil(len(listed) / self.page_size))
        self.calls.append(("LIST", template, (), dict(params or {})))
        return iter(listed)

    def delete(self, template, *parts):
        self.request_count += 1
        self.calls.append(("DELETE", template, parts, {}))
        job_id = parts[0]
        if job_id in self.locked:
            raise InsightHTTPError("DELETE", "/api/jobs/" + job_id, 403, "Forbidden", envelope("The job is locked"))
        job = self.jobs.get(job_id)
        if job is None:
            raise InsightHTTPError("DELETE", "/api/jobs/" + job_id, 404, "Not Found")
        if job["status"] not in FINISHED:
            job["status"] = "CANCELLING"
        return dict(job)

    def call(self, method, template, *parts):
        """The client's call(): a DELETE answered once, never repeated."""
        assert method == "DELETE"
        return Answer(self.delete(template, *parts), 202, False)

    def count(self, kind):
        return len([c for c in self.calls if c[0] == kind])


class FakeTime:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def make_run(server, check_mode=False, parallel=4, job_fields="full"):
    fake = FakeTime()
    return CancelRun(server, parallel=parallel, check_mode=check_mode, job_fields=job_fields, sleep=fake.sleep,
                     clock=fake.clock), fake


def test_poll_delay_grows_to_a_cap():
    delays = [poll_delay(n) for n in range(40)]
    assert delays[0] == pytest.approx(0.05) and delays[1] == pytest.approx(0.1)
    assert delays == sorted(delays) and max(delays) == POLL_MAX


def test_unique_ids_checks_and_deduplicates():
    assert unique_ids([jid(2), jid(1).upper(), jid(2)]) == [jid(2), jid(1)]
    with pytest.raises(InsightConfigError, match="id: 'nope' is not a UUID"):
        unique_ids(["nope"])


def test_max_jobs_guard():
    check_max_jobs(100, 100)
    check_max_jobs(5000, 0)
    with pytest.raises(InsightError, match="matched 101 jobs, more than max_jobs=100; nothing was cancelled"):
        check_max_jobs(101, 100)


def test_error_text_prefers_the_server_message():
    assert error_text(InsightHTTPError("DELETE", "/api/jobs/x", 403, "Forbidden", envelope("The job is locked"))) == \
        "403: The job is locked"
    assert error_text(InsightError("boom", "DELETE", "/api/jobs/x")) == "DELETE /api/jobs/x: boom"


def test_by_id_cancels_skips_and_reports_missing():
    server = FakeServer({jid(1): "QUEUED", jid(2): "EXECUTING", jid(3): "COMPLETED", jid(4): "CANCELLING"})
    run, _fake = make_run(server)
    run.select_ids([jid(1), jid(2), jid(3), jid(4), jid(9)])
    run.cancel()
    result = run.result()
    assert result["cancelled"] == [jid(1), jid(2)]
    assert result["skipped_jobs"] == {jid(3): "COMPLETED", jid(4): "CANCELLING"}
    assert result["missing"] == [jid(9)]
    assert result["failed_jobs"] == {}
    assert result["matched"] == 4 and result["changed"] is True
    assert [j["status"] for j in result["jobs"]] == ["CANCELLING", "CANCELLING"]
    assert result["jobs"][0]["execution_mode"] == {"name": "RUN"}
    assert result["diff"]["before"]["jobs"] == {jid(1): "QUEUED", jid(2): "EXECUTING"}
    assert server.count("DELETE") == 2


def test_refused_job_fails_after_the_others():
    server = FakeServer({jid(1): "QUEUED", jid(2): "QUEUED", jid(3): "QUEUED"}, locked={jid(2)})
    run, _fake = make_run(server)
    run.select_ids([jid(1), jid(2), jid(3)])
    run.cancel()
    result = run.result()
    assert result["cancelled"] == [jid(1), jid(3)]
    assert result["failed_jobs"] == {jid(2): "403: The job is locked"}
    assert run.failure_line().startswith("could not cancel 1 job(s): %s: 403: The job is locked; cancelled 2" % jid(2))


def test_job_gone_or_finished_between_selection_and_cancel_is_not_a_failure():
    server = FakeServer({jid(1): "QUEUED", jid(2): "QUEUED", jid(3): "QUEUED"})
    run, _fake = make_run(server)
    run.select_filter(JobFilter(status=["QUEUED"]))
    del server.jobs[jid(1)]
    server.jobs[jid(2)]["status"] = "COMPLETED"
    run.cancel()
    result = run.result()
    assert result["cancelled"] == [jid(3)]
    assert result["missing"] == [jid(1)]
    assert result["skipped_jobs"] == {jid(2): "COMPLETED"}
    assert result["failed_jobs"] == {}
    assert [j["id"] for j in result["jobs"]] == [jid(3)]


def test_check_mode_only_reads():
    server = FakeServer({jid(1): "QUEUED", jid(2): "CANCELLING"})
    run, _fake = make_run(server, check_mode=True)
    run.select_filter(JobFilter(status=["QUEUED", "CANCELLING"]))
    run.cancel()
    result = run.result()
    assert result["cancelled"] == [jid(1)] and result["changed"] is True
    assert result["diff"]["after"]["jobs"] == {jid(1): "CANCELLING"}
    assert server.count("DELETE") == 0
    assert server.jobs[jid(1)]["status"] == "QUEUED"


def test_selection_listing_cost_is_measured():
    server = FakeServer({jid(n): "QUEUED" for n in range(1, 8)}, page_size=2)
    run, _fake = make_run(server)
    run.select_filter(JobFilter())
    assert run.matched == 7 and run.listing_cost == 4


def test_wait_polls_few_jobs_one_by_one_with_backoff():
    server = FakeServer({jid(1): "QUEUED", jid(2): "QUEUED", jid(3): "QUEUED"}, finish_after_reads=7)
    run, fake = make_run(server)
    run.select_ids([jid(1), jid(2)])
    run.cancel()
    run.wait(60)
    assert [j["status"] for j in run.result()["jobs"]] == ["CANCELLED", "CANCELLED"]
    assert server.count("LIST") == 0
    assert fake.sleeps == sorted(fake.sleeps) and fake.sleeps[0] == pytest.approx(0.05)


def test_wait_polls_many_jobs_by_listing_then_reads_the_history_once():
    server = FakeServer({jid(n): "QUEUED" for n in range(1, 41)}, page_size=10, finish_after_reads=2)
    run, _fake = make_run(server)
    run.select_filter(JobFilter())
    run.cancel()
    before = server.request_count
    run.wait(60)
    assert server.count("GET") == 1  # the probe of the history listing's size
    assert server.count("LIST") == 3  # selection, one poll round, the history pass
    assert server.request_count - before <= 10
    assert {j["status"] for j in run.result()["jobs"]} == {"CANCELLED"}


def test_wait_times_out_listing_statuses():
    server = FakeServer({jid(1): "QUEUED", jid(2): "CANCELLING", jid(3): "QUEUED"})
    run, fake = make_run(server)
    run.select_ids([jid(1), jid(2)])
    run.cancel()
    with pytest.raises(WaitTimeout) as caught:
        run.wait(5)
    assert caught.value.pending == {jid(1): "CANCELLING", jid(2): "CANCELLING"}
    assert "2 job(s) not finished after 5s: %s (CANCELLING), %s (CANCELLING)" % (jid(1), jid(2)) in str(caught.value)
    assert fake.now == pytest.approx(5)
    assert max(fake.sleeps) <= POLL_MAX


def test_wait_counts_a_vanished_job_as_finished():
    server = FakeServer({jid(1): "QUEUED"})
    run, _fake = make_run(server)
    run.select_ids([jid(1)])
    run.cancel()
    del server.jobs[jid(1)]
    run.wait(5)
    assert run.result()["cancelled"] == [jid(1)]


def test_a_job_missing_from_a_listing_pass_is_read_before_it_counts_as_finished():
    ids = [jid(n) for n in range(1, 6)]
    server = FakeServer({job_id: "QUEUED" for job_id in ids}, page_size=10)
    run, _fake = make_run(server)
    run.select_filter(JobFilter())
    run.cancel()
    # The listing now misses every cancelled job although none has finished: a shifted page.
    server.unlisted = set(ids)
    with pytest.raises(WaitTimeout) as caught:
        run.wait(3)
    assert caught.value.pending == {job_id: "CANCELLING" for job_id in ids}
    assert {j["status"] for j in run.result()["jobs"]} == {"CANCELLING"}


def test_waiter_goal_statuses_and_jobs_that_cannot_get_there():
    server = FakeServer({jid(1): "QUEUED", jid(2): "FAILED"})
    fake = FakeTime()
    waiter = JobWaiter(server, parallel=1, sleep=fake.sleep, clock=fake.clock)
    server.jobs[jid(1)]["status"] = "EXECUTING"
    waiter.wait({jid(1): "QUEUED"}, 5, frozenset({"EXECUTING"}))
    assert waiter.seen[jid(1)]["status"] == "EXECUTING"
    with pytest.raises(InsightError, match="finished as FAILED, so it cannot become COMPLETED"):
        waiter.wait({jid(2): "EXECUTING"}, 5, frozenset({"COMPLETED"}))
    del server.jobs[jid(1)]
    with pytest.raises(InsightError, match="is no longer on the server"):
        waiter.wait({jid(1): "EXECUTING"}, 5, frozenset({"COMPLETED"}))
    waiter.wait({jid(1): "EXECUTING"}, 5, FINISHED)  # gone counts as finished


CANCEL_PARAMS = dict(id=None, max_jobs=100, on_missing="ignore", parallel=8, wait=False, wait_timeout=300, job_fields="compact", status=None,
                     app=None, owner=None, scenario_id=None, execution_mode=None, created_before=None,
                     created_after=None)


@pytest.mark.parametrize("given, field", [
    ({"parallel": 0}, "parallel:"),
    ({"max_jobs": -1}, "max_jobs:"),
    ({"wait_timeout": 0}, "wait_timeout:"),
    ({"status": ["COMPLETED"]}, "status:"),
    ({"id": ["nope"]}, "id:"),
    ({"created_before": "yesterday-ish"}, "created_before:"),
    # Blank values never fall back to the default selection (QUEUED jobs of every app).
    ({"created_before": ""}, "created_before: is empty"),
    ({"status": []}, "status: is an empty list"),
    ({"app": [""]}, "app: holds an empty value"),
    ({"id": [""]}, "id: holds an empty value"),
])
def test_cancel_settings_name_the_field(given, field):
    with pytest.raises(InsightConfigError) as info:
        cancel_settings(dict(CANCEL_PARAMS, **given))
    assert str(info.value).startswith(field)


def test_cancel_settings_select_by_id_or_by_a_filter_of_queued_jobs():
    by_id = cancel_settings(dict(CANCEL_PARAMS, id=[jid(1).upper(), jid(1)]))
    assert by_id.ids == [jid(1)] and by_id.job_filter is None
    by_filter = cancel_settings(CANCEL_PARAMS)
    assert by_filter.ids is None and by_filter.job_filter is not None
    assert by_filter.job_filter.status == frozenset({"QUEUED"})


def test_run_cancel_refusal_carries_the_partial_result():
    server = FakeServer({jid(1): "QUEUED", jid(2): "QUEUED"}, locked={jid(2)})
    with pytest.raises(CancelRefused) as info:
        run_cancel(server, cancel_settings(dict(CANCEL_PARAMS, id=[jid(1), jid(2)])), check_mode=False)
    partial = info.value.result()
    assert partial["cancelled"] == [jid(1)] and list(partial["failed_jobs"]) == [jid(2)]
    assert partial["diff"]["after"]["jobs"] == {jid(1): "CANCELLING", jid(2): "QUEUED"}


def test_run_cancel_wait_timeout_carries_the_partial_result():
    server = FakeServer({jid(1): "QUEUED"})
    settings = cancel_settings(dict(CANCEL_PARAMS, id=[jid(1)], wait=True, wait_timeout=0.001))
    with pytest.raises(WaitTimeout) as info:
        run_cancel(server, settings, check_mode=False)
    assert info.value.result()["cancelled"] == [jid(1)]
    assert info.value.result()["jobs"][0]["status"] == "CANCELLING"


def test_compact_runs_keep_only_id_and_status_of_each_job():
    server = FakeServer({jid(n): "QUEUED" for n in range(1, 6)}, page_size=10, finish_after_reads=3)
    run, _fake = make_run(server, job_fields="compact")
    run.select_filter(JobFilter())
    assert all(set(job) == {"id", "status"} for job in run.selected)
    run.cancel()
    run.wait(60)
    # Every state held, selected, answered by the DELETE or seen by the wait, is the compact record.
    assert all(set(state) == {"id", "status"} for state in run.states.values())
    assert run.result()["jobs"] == [{"id": jid(n), "status": "CANCELLED"} for n in range(1, 6)]


class LostAnswerServer(FakeServer):
    """The first DELETE is carried out but its answer lost; the client's repeat is answered 404 or 409."""

    def __init__(self, statuses, repeat_status, **kw):
        super().__init__(statuses, **kw)
        self.repeat_status = repeat_status

    def call(self, method, template, *parts):
        self.delete(template, *parts)
        error = InsightHTTPError("DELETE", "/api/jobs/" + parts[0], self.repeat_status, "refused")
        error.attempts = 2
        raise error


@pytest.mark.parametrize("repeat_status", [404, 409])
def test_a_repeated_delete_refused_is_read_back_and_reported_cancelled(repeat_status):
    server = LostAnswerServer({jid(1): "QUEUED"}, repeat_status, finish_after_reads=3)
    run, _time = make_run(server)
    run.select_ids([jid(1)])
    run.cancel()
    assert run.cancelled == [jid(1)] and run.missing == [] and run.skipped == {} and run.failed == {}
    assert run.to_wait_for() == {jid(1): "CANCELLING"}
    run.wait(30)
    result = run.result()
    assert result["changed"] is True and result["jobs"][0]["status"] == "CANCELLED"


def test_a_repeated_delete_refused_for_a_job_still_queued_fails_and_one_gone_is_missing():
    server = LostAnswerServer({jid(1): "QUEUED"}, 409)
    server.delete = lambda template, *parts: None  # the first attempt did nothing
    run, _time = make_run(server)
    run.select_ids([jid(1)])
    run.cancel()
    assert run.cancelled == [] and "the job is still QUEUED" in run.failed[jid(1)]

    gone = LostAnswerServer({jid(2): "QUEUED"}, 404)
    gone.delete = lambda template, *parts: gone.jobs.pop(parts[0])
    run, _time = make_run(gone)
    run.select_ids([jid(2)])
    run.cancel()
    assert run.missing == [jid(2)] and run.cancelled == []


def test_an_empty_id_list_selects_nothing_and_makes_no_call():
    server = FakeServer({jid(1): "QUEUED"})
    settings = cancel_settings(dict(CANCEL_PARAMS, id=[]))
    result = run_cancel(server, settings, check_mode=False)
    assert result["changed"] is False and result["cancelled"] == [] and result["matched"] == 0
    assert "no job was selected" in result["msg"]
    assert server.calls == []
