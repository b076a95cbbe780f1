# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for jobs to reach a status: the one poller behind insight_job_cancel's `wait` and insight_job_info's
`wait_for`.

The rule that keeps it honest: a job counts as finished only when it was seen finished, or when its own
`GET /api/jobs/{id}` answers 404. Not being in a listing pass proves nothing, because listings are paged by number
and shift when other jobs finish during the pass; such a job is read again before anything is concluded."""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Sequence

from ._client import DEFAULT_PAGE_SIZE
from ._client_protocol import InsightClientLike
from ._errors import InsightConfigError, InsightError
from ._jobs import FINISHED, JobFilter, get_job, read_pass
from ._pool import DEFAULT_PARALLEL, run_pool

# Polling backoff, as the vendor's client waits for one job: 50 ms, growing by 50 ms per round up to 1 s.
POLL_START = 0.05
POLL_STEP = 0.05
POLL_MAX = 1.0
# Without a measured listing cost (jobs named by id), more pending jobs than this are polled by one listing pass.
UNMEASURED_LISTING_GUESS = 20
# Up to this many jobs absent from a listing pass are read one by one without asking what a pass over the job
# history would cost (asking takes a request itself).
HISTORY_PROBE_MIN = 2


# A predicted poll closer than this to now (or already past) is not a prediction to follow; the backoff decides.
POLL_SOONEST = 0.01


def poll_delay(round_number: int) -> float:
    """Seconds to sleep after poll round `round_number` (0-based)."""
    return min(POLL_START + POLL_STEP * round_number, POLL_MAX)


def predicted_delay(asked: Mapping[str, float], finished: Sequence[str], left: Mapping[str, str], seen_at: float,
                    now: float, precision: float) -> Optional[float]:
    """When the jobs still pending can all have finished, judged by how long the jobs just seen finished took.

    `asked` holds when each job's change (its cancellation) was accepted. A job seen finished at `seen_at` took at
    most `seen_at - asked`, and a job still pending at least that long: if the server takes about as long for every
    job, that time lies between the two bounds. When they are closer than `precision` (the backoff's next step),
    the pending jobs are done that long after their own request; otherwise (or with no job on either side) there is
    nothing to go by and the result is None."""
    done = [asked[job_id] for job_id in finished if job_id in asked]
    waiting = [asked[job_id] for job_id in left if job_id in asked]
    if not done or not waiting:
        return None
    longest = seen_at - max(done)
    shortest = seen_at - min(waiting)
    if longest - shortest > precision:
        return None
    return max(waiting) + longest - now


def goal_text(goal: FrozenSet[str]) -> str:
    return "finished" if goal == FINISHED else " or ".join(sorted(goal))


def _state(goal: FrozenSet[str]) -> str:
    return "finished" if goal == FINISHED else "in " + goal_text(goal)


def check_wait_timeout(value: Any) -> float:
    """A module's `wait_timeout` option, checked before the first call."""
    seconds = float(value)
    if seconds <= 0:
        raise InsightConfigError("wait_timeout: must be more than 0 seconds, got %g" % seconds)
    return seconds


class WaitFailed(InsightError):
    """A wait that ended without every job in the goal. `partial` is the result the task had so far (the caller
    fills it in), returned beside the failure line."""

    def __init__(self, line: str) -> None:
        super().__init__(line)
        self.partial: Dict[str, Any] = {}

    def result(self) -> Dict[str, Any]:
        return dict(self.partial)


class WaitTimeout(WaitFailed):
    """Some jobs did not reach the goal within the wait; `pending` maps their ids to their last seen status."""

    def __init__(self, pending: Mapping[str, str], timeout: float, goal: FrozenSet[str] = FINISHED) -> None:
        self.pending = dict(pending)
        listing = ", ".join("%s (%s)" % (job_id, status) for job_id, status in sorted(pending.items()))
        super().__init__("wait_timeout: %d job(s) not %s after %gs: %s" % (len(pending), _state(goal), timeout, listing))


class GoalUnreachable(WaitFailed):
    """A job can never reach the goal: it finished in another status, or the server no longer has it."""


class JobWaiter:
    """Polls jobs with a growing delay until each is in a status of the goal; `seen` keeps each job's last state.

    Few jobs are read one by one; many are read with one listing pass when that takes fewer requests
    (`listing_cost`, the requests one pass took, when the caller measured it)."""

    def __init__(self, client: InsightClientLike, parallel: int = DEFAULT_PARALLEL, listing_filter: Optional[JobFilter] = None,
                 listing_cost: Optional[int] = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 record: Optional[Callable[[Dict[str, Any]], Dict[str, Any]]] = None) -> None:
        self.client = client
        self.parallel = max(1, parallel)
        self.listing_filter = listing_filter or JobFilter()
        self.listing_cost = listing_cost
        self.sleep = sleep
        self.clock = clock
        # What `seen` keeps of each job (all of it by default); a caller that returns less keeps less in memory.
        self.record = record or _whole
        self.seen: Dict[str, Dict[str, Any]] = {}

    def wait(self, pending: Mapping[str, str], timeout: float, goal: FrozenSet[str] = FINISHED,
             asked: Optional[Mapping[str, float]] = None) -> None:
        """Return once every job of `pending` (id: last known status) is in `goal`; raise WaitTimeout after `timeout`
        seconds. Waiting for `finished`, a job that the server no longer has (404) has finished; waiting for other
        statuses, a job that is gone or finished outside the goal can never get there, and that fails at once.

        `asked` (the clock time each job's cancellation was accepted) lets the next poll come when the pending jobs
        can have finished (see predicted_delay) instead of at the next backoff step: fewer polls, and none long after
        the last job finished. Without a prediction the backoff decides; polls are never more than POLL_MAX apart."""
        left = {job_id: status for job_id, status in pending.items() if status not in goal}
        # Waiting for `finished`, the jobs a listing pass of unfinished jobs no longer shows are set aside and their
        # final states read together once no job is listed any more (one pass over the job history for all of them,
        # instead of one per poll). A job that was only shifted past a pass comes back from there into `left`.
        unseen: Dict[str, str] = {}
        deadline = self.clock() + timeout
        round_number = 0
        while left or unseen:
            before = list(left)
            seen_at = self._round(left, goal, unseen if goal == FINISHED else None)
            now = self.clock()
            remaining = deadline - now
            if unseen and (not left or remaining <= 0):
                self._settle(unseen, left, goal)
            if not left:
                return
            if remaining <= 0:
                raise WaitTimeout(left, timeout, goal)
            delay = poll_delay(round_number)
            if asked:
                finished = [job_id for job_id in before if job_id not in left]
                predicted = predicted_delay(asked, finished, left, seen_at, now, delay)
                if predicted is not None and predicted >= POLL_SOONEST:
                    delay = min(predicted, POLL_MAX)
            self.sleep(min(delay, remaining))
            round_number += 1

    def _round(self, left: Dict[str, str], goal: FrozenSet[str], unseen: Optional[Dict[str, str]]) -> float:
        """One poll of every job of `left`; returns when the jobs found finished were seen so (at the latest).
        With `unseen`, jobs absent from a listing pass move there instead of being read at once."""
        if not left:
            return self.clock()
        if not self._listing_is_cheaper(len(left)):
            self._read_each(sorted(left), left, goal)
            return self.clock()
        listed = {job["id"]: job for job in self._pass(include_finished=False)}
        # A job missing from this pass had left the unfinished jobs by now; reading its final state comes after.
        seen_at = self.clock()
        absent = []
        for job_id in sorted(left):
            job = listed.get(job_id)
            if job is None:
                absent.append(job_id)
            else:
                self._see(job, left, goal)
        if absent and unseen is not None:
            for job_id in absent:
                unseen[job_id] = left.pop(job_id)
        elif absent:
            self._confirm(absent, left, goal)
        return seen_at

    def _settle(self, unseen: Dict[str, str], left: Dict[str, str], goal: FrozenSet[str]) -> None:
        """Read the final states of the jobs set aside; those not finished after all are waited for again."""
        absent = sorted(unseen)
        left.update(unseen)
        unseen.clear()
        self._confirm(absent, left, goal)

    def _pass(self, include_finished: bool) -> List[Dict[str, Any]]:
        start = self.client.request_count
        jobs, _complete = read_pass(self.client, self.listing_filter, include_finished, self.parallel, shape=self.record)
        if not include_finished:
            self.listing_cost = max(1, self.client.request_count - start)
        return jobs

    def _listing_is_cheaper(self, pending: int) -> bool:
        if self.listing_cost is None:
            return pending > UNMEASURED_LISTING_GUESS
        return self.listing_cost < pending

    def _confirm(self, absent: List[str], left: Dict[str, str], goal: FrozenSet[str]) -> None:
        """Jobs missing from a pass: finished, gone, or merely shifted past it. One pass over the job history when that
        takes fewer requests than reading each; whatever that pass does not show is read one by one."""
        if len(absent) > HISTORY_PROBE_MIN:
            pages = self._history_pages()
            if pages is not None and pages < len(absent):
                history = {job["id"]: job for job in self._pass(include_finished=True)}
                still = []
                for job_id in absent:
                    if job_id in history:
                        self._see(history[job_id], left, goal)
                    else:
                        still.append(job_id)
                absent = still
        self._read_each(absent, left, goal)

    def _history_pages(self) -> Optional[int]:
        """How many requests a listing pass including the finished jobs takes: from the job count of a one-job page,
        or, from a server that does not count its items, from the page count of a full first page."""
        params = dict(self.listing_filter.server_params(), includeFinished=True, page=0, size=1)
        page = self.client.get("/api/jobs", params=params)
        total = page.get("totalElements") if isinstance(page, dict) else None
        if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
            return max(1, (total + DEFAULT_PAGE_SIZE - 1) // DEFAULT_PAGE_SIZE)
        page = self.client.get("/api/jobs", params=dict(params, size=DEFAULT_PAGE_SIZE))
        pages = page.get("totalPages") if isinstance(page, dict) else None
        return pages if isinstance(pages, int) and pages >= 1 else None

    def _read_each(self, ids: Sequence[str], left: Dict[str, str], goal: FrozenSet[str]) -> None:
        for job_id, job in run_pool(lambda job_id: (job_id, get_job(self.client, job_id)), list(ids), self.parallel):
            if job is not None:
                self._see(job, left, goal)
            elif goal == FINISHED:
                # Gone from the server (it left the job history): as finished as it gets.
                del left[job_id]
            else:
                raise GoalUnreachable("wait_for: job %s is no longer on the server (last status seen: %s), so it cannot "
                                      "become %s" % (job_id, left[job_id] or "unknown", goal_text(goal)))

    def _see(self, job: Dict[str, Any], left: Dict[str, str], goal: FrozenSet[str]) -> None:
        job_id = job["id"]
        self.seen[job_id] = self.record(job)
        status = str(job.get("status"))
        if status in goal:
            del left[job_id]
        elif status in FINISHED:
            raise GoalUnreachable("wait_for: job %s finished as %s, so it cannot become %s"
                                  % (job_id, status, goal_text(goal)))
        else:
            left[job_id] = status


def _whole(job: Dict[str, Any]) -> Dict[str, Any]:
    return job
