"""``/api/jobs``: list (paged, filtered), get, cancel (asynchronous), a message's file; and, from the later releases'
reference, create a job for a scenario and read a job's run log."""
from __future__ import annotations

from typing import Any, List

from insight_emulator import lifecycle
from insight_emulator.context import UUID_RE, Request, Response
from insight_emulator.errors import BINARY_TYPE, TEXT_TYPE, ApiError, forbidden, invalid, not_found
from insight_emulator.model import FINISHED, Job, Node
from insight_emulator.paging import encode_page, make_page, page_params
from insight_emulator.views import EXECUTION_MODES, job_json, job_view

# A scenario with a job in one of these statuses is "already in the job queue": POST /api/jobs answers 423.
IN_QUEUE = ("QUEUED", "EXECUTING", "COMPLETING")


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


def _scenario_ref(body: Any) -> str:
    scenario = body.get("scenario")
    if not isinstance(scenario, dict):
        raise invalid("scenario", "The job's scenario must be given as a reference with an id")
    if scenario.get("objectType", "SCENARIO") != "SCENARIO":
        raise invalid("scenario.objectType", "The request contains an incorrect object type \"%s\"" % scenario.get("objectType"))
    scenario_id = scenario.get("id")
    if not isinstance(scenario_id, str) or not UUID_RE.match(scenario_id):
        raise invalid("scenario.id", "The scenario id must be a UUID, got \"%s\"" % scenario_id)
    return scenario_id.lower()


def create_job(req: Request) -> Response:
    """POST /api/jobs: 201 with the new QUEUED job and its Location. 403 read-only user, 404 scenario unknown or not
    visible, 422 bad reference or execution mode, 423 the scenario already has a queued or running job, 429 at
    ``max_jobs`` queued or running jobs. The job runs as the scenario's job plan says (seed key ``job_plans``)."""
    body = req.json_object()
    user = req.require_full()
    store = req.store
    store.advance()
    scenario_id = _scenario_ref(body)
    scenario = store.nodes.get(scenario_id)
    if not isinstance(scenario, Node) or scenario.kind != "SCENARIO" or not store.visible(scenario, user):
        raise not_found("scenario")
    mode = body.get("executionMode", "RUN")
    if not isinstance(mode, str) or mode not in EXECUTION_MODES:
        raise invalid("executionMode", "The execution mode \"%s\" did not exist for this scenario's app" % mode)
    if any(j.scenario_id == scenario.id and j.status in IN_QUEUE for j in store.jobs.values()):
        raise ApiError(423, "The scenario %s is already in the job queue" % scenario.id)
    if store.config.max_jobs and sum(1 for j in store.jobs.values() if j.status in IN_QUEUE) >= store.config.max_jobs:
        raise ApiError(429, "There are currently more jobs than the configured maximum of %d" % store.config.max_jobs)
    job = Job(store.new_id("job"), scenario.id, scenario.name, scenario.app_id, user.id, mode)
    plan = store.job_plans.get(scenario.id, {})
    job.queue_s = float(plan.get("queue_seconds", 2.0))
    job.run_s = float(plan.get("run_seconds", 5.0))
    job.complete_s = 1.0
    job.outcome = plan.get("outcome", "COMPLETED")
    job.run_log = list(plan["run_log"]) if "run_log" in plan else None
    job.created = store.clock.now()
    job.due = job.created + job.queue_s
    store.jobs[job.id] = job
    store.jobs_changed()
    store.schedule(job)
    return Response(201, job_view(store, job), headers={"Location": req.base_url + "/api/jobs/" + job.id})


def run_log_lines(job: Job) -> List[str]:
    """What the job has written to its run log so far: nothing while queued; the seeded lines (or the emulator's
    own) once it has started; the emulator's own end with the outcome once it has finished."""
    if job.started is None:
        return []
    if job.run_log is not None:
        return list(job.run_log)
    lines = ["Job %s started for scenario %s (execution mode %s)" % (job.id, job.scenario_name, job.mode),
             "Loading input data", "Solving"]
    if job.status == "COMPLETED":
        lines.append("Objective: %s" % job.objective)
        lines.append("Run completed")
    elif job.status == "FAILED":
        lines.append("Error: the model stopped with status ERROR")
        lines.append("Run failed")
    elif job.status == "CANCELLED":
        lines.append("Run cancelled")
    return lines


def run_log(req: Request) -> Response:
    """GET /api/jobs/{id}/run-log: the run log as plain text (lines ending with a line break); 404 for a job that
    is unknown, gone from the history, or whose scenario the caller cannot see."""
    req.store.advance()
    job = _job(req)
    if redacted(req, job):
        raise not_found("job")
    text = "".join(line + "\n" for line in run_log_lines(job))
    return Response(200, text.encode("utf-8"), TEXT_TYPE)
