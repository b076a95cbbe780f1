"""The event source over days: long outages, a job that cannot be read, and state bounded by the jobs listed.

main(queue, args) runs against the emulator; the outage test replaces the source's clock and pause (`_clock`,
`_sleep`) with simulated ones, so a week of failed polls takes seconds."""
from __future__ import annotations

import asyncio
import datetime
import logging
from typing import Any, Dict, List, Optional

import pytest

from eda_helpers import RunningSource, wait_polls

WEEK = datetime.timedelta(days=7)


def job_id(number: int) -> str:
    return "7c2d5e1a-0000-4000-8000-%012d" % number


def job(number: int, status: str, **extra: Any) -> Dict[str, Any]:
    return dict({"id": job_id(number), "scenario": "/Logistics/Plan", "status": status,
                 "created": "-5m"}, **extra)


def summary(events: List[Dict[str, Any]]) -> List[tuple]:
    """(type, job id, status, previous status) per event, sorted."""
    return sorted((e["insight"]["type"], e["insight"]["job"]["id"], e["insight"]["job"]["status"], e["insight"]["previous_status"])
                  for e in events)


def seed(*jobs: Dict[str, Any]) -> Dict[str, Any]:
    return {"apps": [{"name": "Logistics", "scenarios": [{"name": "Plan"}]}], "jobs": list(jobs)}


def fired(insight: Any) -> List[int]:
    """How often each fault rule fired, in the order the rules were added."""
    return [rule["fired"] for rule in insight._call("GET", "/_emulator/faults")["rules"]]  # pylint: disable=protected-access


@pytest.fixture
def watchers(plugin: Dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> List[Any]:
    """The JobWatcher of each source started, to read how much it remembers."""
    made: List[Any] = []
    namespace = plugin["main"].__globals__
    real = namespace["make_source"]

    def make_source(args: Dict[str, Any]) -> Any:
        watcher, options = real(args)
        made.append(watcher)
        return watcher, options

    monkeypatch.setitem(namespace, "make_source", make_source)
    return made


@pytest.fixture
def start(start: Any) -> Any:
    """The shared start (conftest.py), with no retries by default: the outages here are counted poll by poll."""
    def run(**args: Any) -> RunningSource:
        args.setdefault("retries", 0)
        return start(**args)

    return run


class SimulatedTime:
    """The source's clock and pause: each pause moves the clock on at once. Once the outage has lasted a week,
    `on_week` runs (from the source's own loop, between two polls)."""

    def __init__(self, on_week: Any) -> None:
        self.now = datetime.datetime.now(datetime.timezone.utc)
        self.pauses: List[float] = []
        self.outage_from: Optional[datetime.datetime] = None
        self.outage_pauses = 0
        self.on_week = on_week
        self.week_over = False

    def clock(self) -> datetime.datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += datetime.timedelta(seconds=seconds)
        outage = self.outage_from is not None and not self.week_over
        if outage:
            self.outage_pauses += 1
            if self.now - self.outage_from >= WEEK:
                self.week_over = True
                self.on_week()
        # A real pause outside the outage, so the test's own calls are not raced by a spinning loop.
        await asyncio.sleep(0 if outage else 0.02)


def test_a_week_long_outage_is_survived_and_the_changes_arrive_on_the_first_poll_that_works(
        plugin, insight, start, monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="xpress.insight.insight_jobs")
    insight.reset(seed(job(1, "EXECUTING", run_seconds=50, outcome="COMPLETED"),
                       job(2, "QUEUED", queue_seconds=60, run_seconds=99999),
                       job(3, "QUEUED", queue_seconds=99999)))
    fired_in_outage: List[int] = []

    def end_outage() -> None:
        fired_in_outage.extend(fired(insight))
        insight.clear_faults()

    simulated = SimulatedTime(on_week=end_outage)
    namespace = plugin["main"].__globals__
    monkeypatch.setitem(namespace, "_sleep", simulated.sleep)
    monkeypatch.setitem(namespace, "_clock", simulated.clock)
    source = start(interval=10)
    wait_polls(insight, 2)
    # The server answers 503 to every listing from now on, for a simulated week; meanwhile job 1 completes and job 2
    # starts executing.
    insight.faults({"route": "GET /api/jobs", "kind": "status", "status": 503, "retry_after": None})
    simulated.outage_from = simulated.now
    insight.clock("step", seconds=100)
    events = source.events(2, timeout=40)
    assert summary(events) == [("finished", job_id(1), "COMPLETED", "EXECUTING"),
                               ("status_changed", job_id(2), "EXECUTING", "QUEUED")]
    assert simulated.week_over
    # 2 ** 1024 overflowed at the 1,025th failure; a week of pauses capped at 5 minutes is about 2,000 failures.
    (failures,) = fired_in_outage
    assert failures > 1100, failures
    assert max(simulated.pauses) == 300.0
    assert events[0]["insight"]["detected_at"] == events[1]["insight"]["detected_at"]
    assert datetime.datetime.fromisoformat(events[0]["insight"]["detected_at"]) - simulated.outage_from >= WEEK
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len([w for w in warnings if "polling failed" in w]) == 1, warnings
    assert len([w for w in warnings if "works again after %d failed" % failures in w]) == 1, warnings


def test_a_job_that_cannot_be_read_holds_back_no_other_event(insight, start, watchers, caplog):
    caplog.set_level(logging.WARNING, logger="xpress.insight.insight_jobs")
    insight.reset(seed(*(job(n, "EXECUTING", run_seconds=50, outcome="COMPLETED" if n % 2 else "FAILED") for n in range(1, 16))))
    source = start(events=["finished", "gone"])
    wait_polls(insight, 2)
    # Job 1's own GET answers 500 for good; job 2's answers 500 twice, then works again.
    insight.faults({"route": "GET /api/jobs/{id}", "kind": "status", "status": 500, "target": job_id(1)},
                   {"route": "GET /api/jobs/{id}", "kind": "status", "status": 500, "target": job_id(2), "count": 2})
    insight.clock("step", seconds=100)
    first = source.events(13)
    assert sorted(e["insight"]["job"]["id"] for e in first) == [job_id(n) for n in range(3, 16)]
    assert {e["insight"]["type"] for e in first} == {"finished"}
    # Job 2 is read again on the next polls and reported as it ended once its read works.
    assert summary(source.events(1)) == [("finished", job_id(2), "FAILED", "EXECUTING")]
    limit = source_limit(watchers)
    wait_polls(insight, limit + 5)
    assert source.pending() == [], "no event, and no guessed status, for the job that cannot be read"
    assert fired(insight) == [limit, 2], "job 1 is read a bounded number of times, then no more"
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert [w for w in warnings if job_id(1) in w] == [w for w in warnings if "final status is unknown" in w]
    (warning,) = [w for w in warnings if job_id(1) in w]
    assert "failed %d polls in a row" % limit in warning
    assert not [w for w in warnings if "polling failed" in w or job_id(2) in w], warnings
    (watcher,) = watchers
    assert watcher.known == {} and watcher.unreadable == {}


def source_limit(watchers: List[Any]) -> int:
    """The source's bound on the reads of one unreadable job."""
    (watcher,) = watchers
    limit = watcher.poll.__globals__["UNREADABLE_TRIES"]
    assert 1 < limit <= 10
    return int(limit)


def test_the_state_is_bounded_by_the_jobs_listed_while_jobs_come_and_go(insight, start, watchers):
    """15 rounds of 30 queued jobs, 20 new in each (10 stay from the round before): 310 jobs seen in all."""
    rounds, size, fresh = 15, 30, 20
    source: Optional[RunningSource] = None
    sizes = []
    for number in range(rounds):
        first = number * fresh
        insight.reset(seed(*(job(n, "QUEUED", created="-2h", queue_seconds=99999) for n in range(first, first + size))))
        if source is None:
            # The default retries: each reset invalidates the token, which a retry renews.
            source = start(events=["queued_longer_than"], queued_for="1h", retries=3)
        new = range(first, first + size) if number == 0 else range(first + size - fresh, first + size)
        events = source.events(len(new))
        # Each job is reported once: the 10 that stay listed are not reported again.
        assert sorted(e["insight"]["job"]["id"] for e in events) == [job_id(n) for n in new]
        (watcher,) = watchers
        sizes.append((len(watcher.known), len(watcher.queued_reported), len(getattr(watcher, "unreadable", ()))))
    assert source is not None
    wait_polls(insight, 2)
    assert source.pending() == []
    assert max(sizes) == (size, size, 0), sizes


def test_the_backoff_is_capped_before_it_is_computed(plugin):
    """The pause of the 1,025th failure in a row and later ones (2 ** 1024 used to raise OverflowError)."""
    backoff = plugin["Backoff"](10.0)
    pauses = [backoff.failed("poll %d failed" % number) for number in range(5000)]
    assert pauses[:3] == [10.0, 20.0, 40.0]
    assert set(pauses[1024:]) == {300.0}
    assert backoff.succeeded() == 10.0
