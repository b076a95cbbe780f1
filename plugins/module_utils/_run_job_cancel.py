# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_job_cancel: its SPEC and run(task). Bulk job cancellation: select (by id or by filter), cancel over a
bounded pool, and wait for the jobs to finish.

Nothing here knows Ansible: `run` builds CancelSettings with `cancel_settings(params)` and returns what `run_cancel`
returns. The client is shared by every worker
thread (its session keeps the connections alive), so the pool size bounds the connections in use too."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from ._args import check_uuid
from ._client_protocol import InsightClientLike
from ._errors import InsightConfigError, InsightError, InsightHTTPError
from ._job_wait import JobWaiter, WaitTimeout, check_wait_timeout
from ._jobs import (FINISHED, JOB_FILTER_OPTIONS, NOT_CANCELLABLE, JobFilter, check_blank_filters, get_job,
                    job_filter_argument_spec, list_jobs, normalize_job)
from ._pool import DEFAULT_PARALLEL, MAX_PARALLEL, check_parallel, parallel_option, run_pool
from ._task import ModuleSpec, Task

# What each record of the result's `jobs` holds: `compact` (id and status, cheap to return for thousands of jobs) or
# `full` (every field of the server's Job object).
JOB_FIELDS_CHOICES = ("compact", "full")
COMPACT_FIELDS = ("id", "status")
# Without a status filter, only jobs that have not started are cancelled.
DEFAULT_STATUS = ["QUEUED"]

SPEC = ModuleSpec(
    argument_spec=dict(
        id=dict(type="list", elements="str"),
        job_fields=dict(type="str", choices=list(JOB_FIELDS_CHOICES), default="compact"),
        max_jobs=dict(type="int", default=100),
        on_missing=dict(type="str", choices=["ignore", "fail"], default="ignore"),
        parallel=parallel_option(),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="float", default=300),
        **job_filter_argument_spec(),
    ),
    mutually_exclusive=[("id", name) for name in JOB_FILTER_OPTIONS],
    # Room for `parallel` concurrent requests on kept-alive connections, up to its documented maximum.
    pool_size=MAX_PARALLEL,
)


def unique_ids(values: Iterable[Any], name: str = "id") -> List[str]:
    """Checked, lower-cased UUIDs in the order given, each once."""
    out: List[str] = []
    for value in values:
        if value is None or not str(value).strip():
            raise InsightConfigError("%s: holds an empty value; give job UUIDs, or an empty list to select no job" % name)
        job_id = check_uuid(value, name)
        if job_id is not None and job_id not in out:
            out.append(job_id)
    return out


def error_text(exc: InsightError) -> str:
    """The server's own one-line message when it sent one, else the client's line."""
    if isinstance(exc, InsightHTTPError) and exc.message:
        return "%d: %s" % (exc.status, exc.message)
    return exc.to_line()


class CancelRefused(InsightError):
    """The server refused to cancel some jobs; the others were cancelled, and `result()` says which."""

    def __init__(self, line: str, partial: Dict[str, Any]) -> None:
        super().__init__(line)
        self.partial = dict(partial)

    def result(self) -> Dict[str, Any]:
        return dict(self.partial)


class CancelRun:
    """One run of the cancel module: what was selected, what happened to each job, and the requests it took."""

    def __init__(self, client: InsightClientLike, parallel: int = DEFAULT_PARALLEL, check_mode: bool = False, job_fields: str = "compact",
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.job_fields = job_fields
        self.parallel = max(1, min(int(parallel), MAX_PARALLEL))
        self.check_mode = check_mode
        self.sleep = sleep
        self.clock = clock
        self.selected: List[Dict[str, Any]] = []
        self.cancelled: List[str] = []
        self.skipped: Dict[str, str] = {}
        self.missing: List[str] = []
        self.failed: Dict[str, str] = {}
        self.before: Dict[str, str] = {}
        self.states: Dict[str, Dict[str, Any]] = {}
        # When the server accepted each cancellation (this run's clock), for the wait to judge when to poll.
        self.asked: Dict[str, float] = {}
        # The server-side part of the selection filter, reused by the wait's listing passes.
        self.listing_filter = JobFilter()
        # Requests one listing pass of unfinished jobs costs, measured on the client's counter; None until known.
        self.listing_cost: Optional[int] = None

    # -- selection ----------------------------------------------------------------------------------------------

    def _read(self, job_id: str) -> Tuple[str, Optional[Dict[str, Any]]]:
        return job_id, get_job(self.client, job_id)

    def select_ids(self, ids: Sequence[str]) -> None:
        """Read every named job (concurrently); a 404 makes it missing."""

        for job_id, job in run_pool(self._read, list(ids), self.parallel):
            if job is None:
                self.missing.append(job_id)
            else:
                self.selected.append(self._record(job))

    def select_filter(self, job_filter: JobFilter) -> None:
        """One consistent listing pass of the unfinished jobs (list_jobs), filtered by the shared job filter."""
        self.listing_filter = job_filter.server_side()
        start = self.client.request_count
        # Only what the result keeps of each job is held from here on: thousands of full records weigh megabytes.
        self.selected = list_jobs(self.client, job_filter, concurrent=self.parallel, shape=self._record)
        self.listing_cost = max(1, self.client.request_count - start)

    @property
    def matched(self) -> int:
        return len(self.selected)

    # -- cancelling ---------------------------------------------------------------------------------------------

    def cancel(self) -> None:
        """Send one DELETE per cancellable selected job; in check mode only record what would be sent."""
        targets = []
        for job in self.selected:
            status = str(job.get("status"))
            if status in NOT_CANCELLABLE:
                self.skipped[job["id"]] = status
            else:
                targets.append(job)
        for job in targets:
            self.before[job["id"]] = str(job.get("status"))
            self.states[job["id"]] = job
        if self.check_mode:
            self.cancelled = [job["id"] for job in targets]
            return
        for job_id, outcome, detail in run_pool(self._cancel_one, targets, self.parallel):
            if outcome == "cancelled":
                self.cancelled.append(job_id)
            elif outcome == "skipped":
                self.skipped[job_id] = detail
            elif outcome == "missing":
                self.missing.append(job_id)
                self.states.pop(job_id, None)
                self.before.pop(job_id, None)
            else:
                self.failed[job_id] = detail

    def _cancel_one(self, job: Dict[str, Any]) -> Tuple[str, str, str]:
        job_id = job["id"]
        try:
            answer, _status, repeated = self.client.call("DELETE", "/api/jobs/{}", job_id)
        except InsightHTTPError as exc:
            if exc.status in (404, 409) and exc.attempts > 1:
                # The DELETE went out more than once: an earlier attempt may have been accepted and its answer lost,
                # and the repeat then finds a job already cancelling (404 or 409 on some servers). Ask the job.
                return self._after_repeat(job_id, exc)
            if exc.status == 404:
                # Seen a moment ago, gone now: it finished and left the server's history meanwhile (or a server
                # that answers 404 for a job that can no longer be cancelled).
                return job_id, "missing", ""
            if exc.status == 409:
                # Some servers refuse to cancel a job that finished or is already cancelling meanwhile: read it.
                return self._ended_meanwhile(job_id, exc)
            return job_id, "failed", error_text(exc)
        except InsightError as exc:
            return job_id, "failed", error_text(exc)
        self.asked[job_id] = self.clock()
        if isinstance(answer, dict) and answer.get("id"):
            state = self._record(normalize_job(answer))
            self.states[job_id] = state
            # A cancellation always passes through CANCELLING, so a first answer that is already finished (CANCELLED
            # included) means the job ended before this request: by itself, or cancelled by another run. After a
            # repeated DELETE, CANCELLED may be our own first attempt's doing, so only the other endings say so.
            ended_before = FINISHED - {"CANCELLED"} if repeated else FINISHED
            if state.get("status") in ended_before:
                self.before.pop(job_id, None)
                self.states.pop(job_id, None)
                return job_id, "skipped", str(state["status"])
        return job_id, "cancelled", ""

    def _after_repeat(self, job_id: str, refusal: InsightHTTPError) -> Tuple[str, str, str]:
        """What a repeated DELETE answered 404 or 409 did, as the job read by its id tells it."""
        return self._read_back(job_id, refusal, ours=True)

    def _ended_meanwhile(self, job_id: str, conflict: InsightHTTPError) -> Tuple[str, str, str]:
        return self._read_back(job_id, conflict, ours=False)

    def _read_back(self, job_id: str, refusal: InsightHTTPError, ours: bool) -> Tuple[str, str, str]:
        """A refused DELETE, judged by the job read by its id. `ours`: the DELETE went out more than once, so the
        lost first attempt may have been accepted."""
        try:
            _job_id, state = self._read(job_id)
        except InsightError:
            return job_id, "failed", error_text(refusal)
        if state is None:
            return job_id, "missing", ""
        status = state.get("status")
        if ours and status in ("CANCELLING", "CANCELLED"):
            # The lost first answer accepted the cancellation (or another run's did at the same moment: the two
            # cannot be told apart, and either way the job is now being cancelled as asked).
            self.asked[job_id] = self.clock()
            self.states[job_id] = self._record(state)
            return job_id, "cancelled", ""
        if status in NOT_CANCELLABLE:
            self.states[job_id] = self._record(state)
            if status in FINISHED:
                self.before.pop(job_id, None)
                self.states.pop(job_id, None)
            return job_id, "skipped", str(status)
        if ours:
            # Still QUEUED or running after the server refused: nothing says the cancellation was accepted.
            return job_id, "failed", "%s (the job is still %s)" % (error_text(refusal), status)
        return job_id, "failed", error_text(refusal)

    # -- waiting ------------------------------------------------------------------------------------------------

    def to_wait_for(self) -> Dict[str, str]:
        """Jobs that should reach a finished state: those cancelled now and those already cancelling."""
        pending = {job_id: str(self.states[job_id].get("status")) for job_id in self.cancelled}
        pending.update((job_id, status) for job_id, status in self.skipped.items() if status not in FINISHED)
        return {job_id: status for job_id, status in pending.items() if status not in FINISHED}

    def wait(self, timeout: float) -> None:
        """Poll until every job of `to_wait_for` is finished (the shared JobWaiter and its rules); the last state seen
        of each job ends up in the result, also when WaitTimeout is raised."""
        waiter = JobWaiter(self.client, parallel=self.parallel, listing_filter=self.listing_filter,
                           listing_cost=self.listing_cost, sleep=self.sleep, clock=self.clock, record=self._record)
        try:
            waiter.wait(self.to_wait_for(), timeout, asked=self.asked)
        finally:
            for job_id, job in waiter.seen.items():
                if job_id in self.states:
                    self.states[job_id] = job

    # -- results ------------------------------------------------------------------------------------------------

    def result(self) -> Dict[str, Any]:
        touched = [job_id for job_id in self.before if job_id in self.states]
        after = {job_id: str(self.states[job_id].get("status")) for job_id in touched}
        if self.check_mode:
            after = {job_id: "CANCELLING" for job_id in self.cancelled}
        return {
            "changed": bool(self.cancelled),
            "cancelled": list(self.cancelled),
            # `skipped` and `failed` are Ansible's own result keys (a non-empty `skipped` marks the task skipped).
            "skipped_jobs": dict(self.skipped),
            "missing": list(self.missing),
            "failed_jobs": dict(self.failed),
            "jobs": [self._record(self.states[job_id]) for job_id in touched],
            "matched": self.matched,
            "diff": {"before": {"jobs": {job_id: self.before[job_id] for job_id in touched}},
                     "after": {"jobs": after}},
        }

    def _record(self, job: Dict[str, Any]) -> Dict[str, Any]:
        if self.job_fields == "full":
            return job
        return {key: job.get(key) for key in COMPACT_FIELDS}

    def failure_line(self) -> str:
        parts = ["%s: %s" % (job_id, message) for job_id, message in sorted(self.failed.items())]
        return "could not cancel %d job(s): %s; cancelled %d, skipped %d, missing %d" % (
            len(self.failed), "; ".join(parts), len(self.cancelled), len(self.skipped), len(self.missing))


def check_max_jobs(matched: int, max_jobs: int) -> None:
    """The guard against a filter that selects far more than meant: fail before anything is cancelled."""
    if max_jobs and matched > max_jobs:
        raise InsightError("max_jobs: the filter matched %d jobs, more than max_jobs=%d; nothing was cancelled "
                           "(narrow the filter, or raise max_jobs; 0 lifts the cap)" % (matched, max_jobs))


@dataclass(frozen=True)
class CancelSettings:
    """insight_job_cancel's options, checked once: jobs by `ids`, or else by `job_filter` (not yet resolved)."""

    ids: Optional[List[str]]
    job_filter: Optional[JobFilter]
    on_missing: str
    max_jobs: int  # 0: no cap
    parallel: int
    wait: bool
    wait_timeout: float
    job_fields: str


def cancel_settings(params: Mapping[str, Any]) -> CancelSettings:
    """Every check that needs no server, so bad input fails before the first call and cancels nothing."""
    check_parallel(params["parallel"])
    if params["max_jobs"] < 0:
        raise InsightConfigError("max_jobs: must be 0 (no cap) or more, got %d" % params["max_jobs"])
    wait_timeout = check_wait_timeout(params["wait_timeout"])
    # Before the defaults below fill anything in: `status: []` must not become the default QUEUED selection.
    check_blank_filters(params)
    finished = sorted(set(params["status"] or []) & FINISHED)
    if finished:
        raise InsightConfigError("status: %s jobs are finished and cannot be cancelled" % ", ".join(finished))
    ids: Optional[List[str]] = None
    job_filter: Optional[JobFilter] = None
    if params["id"] is not None:
        # `id: []` (a search that found nothing) names no job: it selects nothing, never the filter's default.
        ids = unique_ids(params["id"])
    else:
        job_filter = JobFilter.from_options(dict(params, status=params["status"] or DEFAULT_STATUS))
    return CancelSettings(ids=ids, job_filter=job_filter, on_missing=params["on_missing"],
                          max_jobs=params["max_jobs"], parallel=params["parallel"], wait=bool(params["wait"]),
                          wait_timeout=wait_timeout, job_fields=params["job_fields"])


def run_cancel(client: InsightClientLike, settings: CancelSettings, check_mode: bool) -> Dict[str, Any]:
    """Select, cancel and (with wait) wait; the result has `diff`. Some jobs refused: CancelRefused; the wait timed
    out: WaitTimeout; both carry the result so far in `result()`."""
    run = CancelRun(client, parallel=settings.parallel, check_mode=check_mode, job_fields=settings.job_fields)
    if settings.ids == []:
        result = run.result()
        result["msg"] = "id: is an empty list, so no job was selected; nothing was cancelled"
        return result
    if settings.ids is not None:
        run.select_ids(settings.ids)
        if run.missing and settings.on_missing == "fail":
            raise InsightError("id: no job %s on the server (or not visible to this user); nothing was cancelled"
                               % ", ".join(run.missing))
    elif settings.job_filter is not None:
        run.select_filter(settings.job_filter.resolve(client))
        check_max_jobs(run.matched, settings.max_jobs)
    run.cancel()
    if settings.wait and not check_mode:
        try:
            run.wait(settings.wait_timeout)
        except WaitTimeout as exc:
            exc.partial = run.result()
            raise
    result = run.result()
    if run.failed:
        raise CancelRefused(run.failure_line(), result)
    if check_mode:
        result["msg"] = ("check mode: %d job(s) would be asked to cancel; the server may still refuse some (a locked "
                         "job, for example)" % len(run.cancelled))
    return result


def run(task: Task) -> Dict[str, Any]:
    """insight_job_cancel's whole run: settings checked before the first call, then select, cancel, wait."""
    settings = cancel_settings(task.params)
    return run_cancel(task.client, settings, task.check_mode)
