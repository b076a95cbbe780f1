# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_job_info: its SPEC and run(task). Jobs listed by the job filter, or one job by id, optionally waited for
until it reaches a status (`wait_for`). Every option is checked before the first call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Set

from ._args import check_id
from ._client_protocol import InsightClientLike
from ._errors import InsightConfigError, InsightError
from ._job_wait import JobWaiter, WaitFailed, check_wait_timeout
from ._jobs import (FINISHED, JOB_FILTER_OPTIONS, STATUSES, JobFilter, count_by_status, get_job,
                    job_filter_argument_spec, list_jobs)
from ._pool import MAX_PARALLEL, check_parallel, parallel_option
from ._task import ModuleSpec, Task

SPEC = ModuleSpec(
    argument_spec=dict(
        id=dict(type="str"),
        include_finished=dict(type="bool", default=False),
        wait_for=dict(type="list", elements="str"),
        wait_timeout=dict(type="float", default=300),
        parallel=parallel_option(),
        **job_filter_argument_spec(),
    ),
    mutually_exclusive=[("id", name) for name in JOB_FILTER_OPTIONS],
    required_by={"wait_for": ["id"]},
    # Room for `parallel` concurrent requests on kept-alive connections, up to its documented maximum.
    pool_size=MAX_PARALLEL,
)


def wait_goal(values: Sequence[Any]) -> FrozenSet[str]:
    """The statuses `wait_for` names; `finished` stands for every finished status."""
    goal: Set[str] = set()
    for value in values:
        text = str(value).strip().upper()
        if text == "FINISHED":
            goal |= FINISHED
        elif text in STATUSES:
            goal.add(text)
        else:
            raise InsightConfigError("wait_for: %r is neither finished nor a job status (%s)" % (value, ", ".join(STATUSES)))
    if not goal:
        raise InsightConfigError("wait_for: give finished or at least one job status")
    return frozenset(goal)


@dataclass(frozen=True)
class JobInfoSettings:
    """insight_job_info's options, checked once: one job by `id`, or else the jobs `job_filter` selects."""

    id: Optional[str]
    job_filter: Optional[JobFilter]
    include_finished: bool
    wait_for: Optional[FrozenSet[str]]  # with id: the statuses to wait for (None: no wait)
    wait_timeout: float
    parallel: int


def job_info_settings(params: Mapping[str, Any]) -> JobInfoSettings:
    """Every check that needs no server, so bad input fails before the first call."""
    parallel = check_parallel(params["parallel"])
    wait_timeout = check_wait_timeout(params["wait_timeout"])
    wait_for = None if params.get("wait_for") is None else wait_goal(params["wait_for"])
    job_id: Optional[str] = None
    job_filter: Optional[JobFilter] = None
    if params.get("id") is not None:
        # A blank id (an unset variable, or `[]` that the str option turned into text) names no job; read as "no
        # id" it would list every job instead.
        text = str(params["id"]).strip()
        if not text or text == "[]":
            raise InsightConfigError("id: is empty; give the UUID of one job, or leave id out to list jobs")
        job_id = check_id(params["id"], "id")
    else:
        if wait_for is not None:
            raise InsightConfigError("wait_for: waits for one job; give its id")
        job_filter = JobFilter.from_options(params)
    return JobInfoSettings(id=job_id, job_filter=job_filter, include_finished=bool(params["include_finished"]),
                           wait_for=wait_for, wait_timeout=wait_timeout, parallel=parallel)


def read_one(client: InsightClientLike, settings: JobInfoSettings, job_id: str) -> Dict[str, Any]:
    """The job, after the wait when settings.wait_for; a failed wait carries the job as last seen."""
    job = get_job(client, job_id)
    if job is None:
        raise InsightError("id: no job %s on the server (or it is not visible to this user)" % job_id)
    if settings.wait_for is None:
        return job
    waiter = JobWaiter(client, parallel=1)
    try:
        waiter.wait({job_id: str(job.get("status"))}, settings.wait_timeout, settings.wait_for)
    except WaitFailed as exc:
        # On a timeout and when the job ended in another status alike: the task returns the job as it was last seen.
        last = [waiter.seen.get(job_id, job)]
        exc.partial = {"changed": False, "jobs": last, "count_by_status": count_by_status(last)}
        raise
    return waiter.seen.get(job_id, job)


def run_job_info(client: InsightClientLike, settings: JobInfoSettings) -> Dict[str, Any]:
    jobs: List[Dict[str, Any]]
    if settings.id is not None:
        jobs = [read_one(client, settings, settings.id)]
    else:
        job_filter = (settings.job_filter or JobFilter()).resolve(client)
        jobs = list_jobs(client, job_filter, include_finished=settings.include_finished, concurrent=settings.parallel)
    return {"changed": False, "jobs": jobs, "count_by_status": count_by_status(jobs)}


def run(task: Task) -> Dict[str, Any]:
    """insight_job_info's whole run: settings checked before the first call, then the read (and the wait)."""
    settings = job_info_settings(task.params)
    return run_job_info(task.client, settings)
