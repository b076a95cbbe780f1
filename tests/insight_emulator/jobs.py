"""``/api/jobs``: list (paged, filtered), get, cancel (asynchronous), a message's file."""
from __future__ import annotations

from insight_emulator import lifecycle
from insight_emulator.context import Request, Response
from insight_emulator.errors import BINARY_TYPE, ApiError, forbidden, not_found
from insight_emulator.model import FINISHED, Job
from insight_emulator.paging import encode_page, make_page, page_params
from insight_emulator.views import job_json, job_view


def redacted(req: Request, job: Job) -> bool:
    """A job whose scenario the caller cannot see (a PRIVATE folder of another user) is shown redacted."""
    scenario = req.store.nodes.get(job.scenario_id)
    return scenario is not None and not req.store.visible(scenario, req.caller)


def _job(req: Request) -> Job:
    job = req.store.jobs.get(req.uuid("id"))
    if job is None:
        raise not_found("job")
    return job


def list_jobs(req: Request) -> Response:
    store = req.store
    page, size = page_params(req.query, store.config)
    scenario_id = req.query_uuid("scenarioId")
    include_finished = req.flag("includeFinished")
    store.advance()
    # Filters apply to queued and running jobs only; finished jobs from the history are all included.
    include_finished = include_finished and store.config.list_finished
    jobs = [j for j in store.listing_order()
            if (j.status in FINISHED and include_finished)
            or (j.status not in FINISHED and (scenario_id is None or j.scenario_id == scenario_id))]
    return Response(200, encode_page(make_page(jobs, page, size, True, lambda j: job_json(store, j, redacted(req, j)), store.config)))


def get_job(req: Request) -> Response:
    """A job whose scenario the caller cannot see is listed redacted, but read on its own it does not exist."""
    req.store.advance()
    job = _job(req)
    if redacted(req, job):
        raise not_found("job")
    return Response(200, job_view(req.store, job))


def cancel_job(req: Request) -> Response:
    """202 and CANCELLING, then CANCELLED after ``cancel_delay`` on the job clock. A job that already finished
    (or is already cancelling) answers as ``cancel_finished`` says: 202 unchanged (default), 404 or 409."""
    req.require_full()
    store = req.store
    store.advance()
    job = _job(req)
    if job.locked:
        raise forbidden("The job %s is locked and cannot be cancelled" % job.id)
    if redacted(req, job):
        raise forbidden("The current user is not authorized to cancel the job %s" % job.id)
    if job.status in ("QUEUED", "EXECUTING", "COMPLETING", "INACTIVE"):
        lifecycle.cancel(job, store.clock.now(), store.config.cancel_delay)
        store.schedule(job)
    elif store.config.cancel_finished == "not_found":
        raise not_found("job")
    elif store.config.cancel_finished == "conflict":
        raise ApiError(409, "The job %s is %s and cannot be cancelled" % (job.id, job.status))
    return Response(202, job_view(store, job))


def message_file(req: Request) -> Response:
    message_id = req.uuid("appMessageId")
    job = _job(req)
    content = job.messages.get(message_id)
    if content is None or redacted(req, job):
        if req.store.config.message_404 == "empty":
            return Response(404, b"", BINARY_TYPE)  # the reference's second form of this 404
        raise not_found("message")
    return Response(200, content, BINARY_TYPE)
