"""The job state machine on the job clock: QUEUED -> EXECUTING -> COMPLETING -> COMPLETED or FAILED,
and CANCELLING -> CANCELLED after the configured delay."""
from __future__ import annotations

import hashlib
from typing import Any

from insight_emulator.model import Job


def _fraction(job_id: str, salt: str) -> float:
    """A stable pseudo-random number in [0, 1) per job, so runs repeat."""
    digest = hashlib.sha256((salt + job_id).encode("ascii")).digest()
    return int.from_bytes(digest[:6], "big") / float(1 << 48)


def default_plan(job: Job) -> None:
    job.queue_s = 60.0 + round(540 * _fraction(job.id, "queue"))
    job.run_s = 120.0 + round(780 * _fraction(job.id, "run"))
    job.complete_s = 3.0
    job.outcome = "FAILED" if _fraction(job.id, "outcome") < 0.2 else "COMPLETED"
    job.worker = int(_fraction(job.id, "worker") * 2)


def finish(job: Job, status: str, at: float) -> None:
    job.status = status
    job.finished = at
    job.due = None
    if status == "COMPLETED":
        job.model_status, job.solver_status = "OK", "OPTIMAL"
        job.objective = round(1000 + 9000 * _fraction(job.id, "objective"), 3)
    elif status == "FAILED":
        job.model_status, job.solver_status, job.objective = "ERROR", "NA", None
    elif status == "CANCELLED":
        # A job cancelled before it ran never produced a model or solver status.
        ran = job.started is not None
        job.model_status = "BREAK" if ran else "NA"
        job.solver_status = "UNFINISHED" if ran else "NA"
        job.objective = None


def start(job: Job, at: float) -> None:
    job.status = "EXECUTING"
    job.started = at
    job.attempts = max(job.attempts, 1)
    job.due = at + job.run_s


def advance(job: Job, now: float, store: Any) -> None:
    """Apply every transition that is due by ``now``, each stamped with the moment it became due."""
    while job.due is not None and job.due <= now:
        due = job.due
        if job.status == "QUEUED":
            start(job, due)
        elif job.status == "EXECUTING":
            job.status = "COMPLETING"
            job.due = due + job.complete_s
        elif job.status == "COMPLETING":
            finish(job, job.outcome, due)
        elif job.status == "CANCELLING":
            finish(job, "CANCELLED", due)
        else:
            job.due = None
    del store  # the store is passed for future cross-job rules (e.g. execution slots)


def cancel(job: Job, now: float, delay: float) -> None:
    job.status = "CANCELLING"
    job.due = now + max(0.0, delay)


def place_seeded(job: Job, status: str, now: float, cancel_delay: float) -> None:
    """Make a job seeded in ``status`` consistent: timestamps in the past, the next transition in the future."""
    age = max(0.0, now - job.created)
    job.status = status
    if status == "QUEUED":
        job.due = now + job.queue_s
        return
    if job.started is None:
        job.started = job.created + min(job.queue_s, age / 3.0)
    job.attempts = 1
    if status == "EXECUTING":
        job.due = now + job.run_s
    elif status == "COMPLETING":
        job.due = now + job.complete_s
    elif status == "CANCELLING":
        job.due = now + max(cancel_delay, 1.0)  # a seeded status holds until the clock moves
    elif status in ("COMPLETED", "FAILED", "CANCELLED", "DELETED"):
        finished = job.finished if job.finished is not None else min(now, job.started + job.run_s)
        finish(job, "CANCELLED" if status == "DELETED" else status, finished)
        job.status = status
    else:
        job.due = None  # DELETING and INACTIVE stay as seeded
