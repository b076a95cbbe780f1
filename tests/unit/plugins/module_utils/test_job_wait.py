# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._job_wait import (
    POLL_SOONEST, JobWaiter, poll_delay, predicted_delay)
from ansible_collections.xpress.insight.plugins.module_utils._jobs import FINISHED


def test_predicted_delay_uses_the_job_asked_last_among_those_finished():
    asked = {"a": 0.0, "b": 0.1, "c": 0.2, "d": 0.3}
    # Seen at 0.35: b finished, so a job takes at most 0.25 s; c is pending, so at least 0.15 s. Within a precision of
    # 0.1 s, d (asked last) is done by 0.3 + 0.25.
    pending = {"c": "CANCELLING", "d": "CANCELLING"}
    assert predicted_delay(asked, ["a", "b"], pending, 0.35, 0.4, 0.1) == pytest.approx(0.15)
    # The same bounds are too far apart for a precision of 50 ms: no prediction.
    assert predicted_delay(asked, ["a", "b"], pending, 0.35, 0.4, 0.05) is None


def test_predicted_delay_needs_a_finished_and_a_pending_job_with_known_times():
    asked = {"a": 0.0}
    assert predicted_delay(asked, [], {"a": "CANCELLING"}, 1.0, 1.0, 1.0) is None
    assert predicted_delay(asked, ["a"], {"x": "CANCELLING"}, 1.0, 1.0, 1.0) is None


class ClockedJobs:
    """Jobs that finish `delay` seconds (of a fake clock) after their cancellation was accepted; each request takes
    `cost` seconds. Listing passes show the unfinished jobs only, or all jobs with includeFinished."""

    def __init__(self, asked, delay, cost=0.002):
        self.clock_now = max(asked.values())
        self.asked = dict(asked)
        self.delay = delay
        self.cost = cost
        self.request_count = 0
        self.passes = []
        self.gets = 0

    def clock(self):
        return self.clock_now

    def sleep(self, seconds):
        self.clock_now += seconds

    def _job(self, job_id):
        done = self.clock_now >= self.asked[job_id] + self.delay
        return {"id": job_id, "status": "CANCELLED" if done else "CANCELLING"}

    def paged(self, template, params=None, concurrent=0, on_page=None, follow_shifts=False):
        self.clock_now += self.cost
        self.request_count += 1
        finished = bool(params.get("includeFinished"))
        self.passes.append(finished)
        jobs = [self._job(job_id) for job_id in self.asked]
        return iter(jobs if finished else [job for job in jobs if job["status"] not in FINISHED])

    def get(self, template, *parts, params=None):
        self.clock_now += self.cost
        self.request_count += 1
        self.gets += 1
        return {"content": [], "totalPages": 1}

    def get_item(self, template, *parts, params=None):
        self.get(template)
        return self._job(parts[0])


def test_the_wait_polls_when_the_jobs_can_have_finished_and_reads_the_history_once():
    # 100 jobs cancelled 10 ms apart (the last at 0.99 s), each finishing 0.2 s after its cancellation.
    asked = {"job-%03d" % n: n * 0.01 for n in range(100)}
    server = ClockedJobs(asked, delay=0.2)
    waiter = JobWaiter(server, listing_cost=1, sleep=server.sleep, clock=server.clock)
    waiter.wait({job_id: "CANCELLING" for job_id in asked}, 60, asked=asked)
    assert {job["status"] for job in waiter.seen.values()} == {"CANCELLED"} and len(waiter.seen) == 100
    # The first poll sees the jobs asked up to 0.2 s earlier finished and sleeps until the last one can be done,
    # instead of polling on the backoff (0.05 s, then 0.1 s, then 0.15 s): two listing passes, then the history once.
    assert server.passes == [False, False, True]
    assert server.clock_now - max(asked.values()) < 0.2 + poll_delay(0)


def test_an_uncertain_prediction_falls_back_to_the_backoff():
    asked = {"a": 0.0, "b": 0.5}
    sleeps = []
    server = ClockedJobs(asked, delay=0.2)

    def sleep(seconds):
        sleeps.append(seconds)
        server.sleep(seconds)

    # At the first poll a has finished (it took up to 0.5 s) and b, asked a moment ago, has not: a job takes between
    # a few ms and 0.5 s, far too loose a guess to sleep on, so the backoff decides.
    waiter = JobWaiter(server, listing_cost=0, sleep=sleep, clock=server.clock)
    server.clock_now = 0.5
    waiter.wait({"a": "CANCELLING", "b": "CANCELLING"}, 60, asked=asked)
    assert sleeps[0] == pytest.approx(poll_delay(0))
    assert all(s >= POLL_SOONEST for s in sleeps)


class UncountedHistory:
    """A server whose listing pages carry no totalElements: the history's size comes from a full page's totalPages."""

    def __init__(self):
        self.sizes = []

    def get(self, template, *parts, params=None):
        self.sizes.append(params["size"])
        return {"content": [], "totalPages": 3}


def test_the_history_probe_reads_a_full_page_only_from_a_server_that_does_not_count():
    server = UncountedHistory()
    assert JobWaiter(server)._history_pages() == 3
    assert server.sizes == [1, 500]
