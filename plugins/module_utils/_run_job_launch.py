# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_job_launch: start a job for one scenario (POST /api/jobs of the later releases' reference), report the
scenario's job instead when it already has one in the queue (423), and optionally wait for it and fail with the end
of its run log (GET /api/jobs/{id}/run-log) when it ends in a status of `fail_on`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

from ._args import check_id
from ._client_protocol import InsightClientLike
from ._errors import InsightConfigError, InsightError, InsightHTTPError, InsightTransportError, printable
from ._folder_paths import RepoPath, parse_path, show
from ._folders import Item, Repository, is_folder
from ._job_wait import JobWaiter, WaitTimeout, check_wait_timeout
from ._jobs import FINISHED, JobFilter, list_jobs, normalize_job
from ._scrub import scrub
from ._task import ModuleSpec, Task

DEFAULT_MODE = "RUN"  # the reference's execution mode of a plain run
FAIL_ON_DEFAULT = ["CANCELLED", "FAILED"]
RUN_LOG_LINES_MAX = 1000
# Characters kept of each run-log line: in the result, and (fewer) on the failure line.
RUN_LOG_LINE_CHARS = 1000
LINE_RUN_LOG_CHARS = 300
# A job in one of these statuses is what makes the server answer 423: it is preferred when several are listed.
IN_QUEUE = ("QUEUED", "EXECUTING", "COMPLETING")
# A 423 whose job has finished before the listing that looks for it: the POST is sent again at most this often.
LOCKED_ATTEMPTS = 3
# A job id no server holds: check mode asks for its run log to learn whether the server has the route at all.
PROBE_JOB = "00000000-0000-0000-0000-000000000000"

SPEC = ModuleSpec(
    argument_spec=dict(
        scenario=dict(type="str"),
        scenario_id=dict(type="str"),
        execution_mode=dict(type="str", default=DEFAULT_MODE),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="float", default=300),
        fail_on=dict(type="list", elements="str", default=FAIL_ON_DEFAULT, choices=sorted(FINISHED)),
        run_log_lines=dict(type="int", default=20),
    ),
    mutually_exclusive=[("scenario", "scenario_id")],
    required_one_of=[("scenario", "scenario_id")],
)


@dataclass(frozen=True)
class LaunchSettings:
    """insight_job_launch's options, checked once: exactly one of path and scenario_id is set."""

    path: Optional[RepoPath]
    scenario_id: Optional[str]
    execution_mode: str
    wait: bool
    wait_timeout: float
    fail_on: FrozenSet[str]
    run_log_lines: int


def launch_settings(params: Dict[str, Any]) -> LaunchSettings:
    """Every check that needs no server, so bad input fails before the first call."""
    path: Optional[RepoPath] = None
    scenario_id: Optional[str] = None
    if params.get("scenario") is not None:
        path = parse_path(params["scenario"], "scenario", allow_app_root=True)
        if not path.names:
            raise InsightConfigError("scenario: %s names the app %s, not a scenario; give /%s/Scenario or "
                                     "/%s/Folder/Scenario" % (show(params["scenario"]), show(path.app), path.app,
                                                              path.app))
    elif params.get("scenario_id") is not None:
        text = str(params["scenario_id"])
        if not text.strip():
            raise InsightConfigError("scenario_id: is empty (an unset variable?); give the scenario's UUID")
        scenario_id = check_id(text, "scenario_id")
    else:
        raise InsightConfigError("scenario or scenario_id: give the scenario whose job to start")
    mode = params.get("execution_mode")
    mode = DEFAULT_MODE if mode is None else mode
    if not isinstance(mode, str) or not mode.strip():
        raise InsightConfigError("execution_mode: is empty (an unset variable?); leave it out for a plain run (%s)"
                                 % DEFAULT_MODE)
    if mode != mode.strip() or printable(mode) != mode or len(mode) > 255:
        raise InsightConfigError("execution_mode: %s is not an execution mode name (no white space at either end, "
                                 "no control characters, at most 255 characters)" % show(mode))
    timeout = check_wait_timeout(params["wait_timeout"])
    lines = int(params.get("run_log_lines") or 0)
    if not 1 <= lines <= RUN_LOG_LINES_MAX:
        raise InsightConfigError("run_log_lines: must be between 1 and %d, got %d" % (RUN_LOG_LINES_MAX, lines))
    fail_on = params.get("fail_on")
    return LaunchSettings(path=path, scenario_id=scenario_id, execution_mode=mode, wait=bool(params.get("wait")),
                          wait_timeout=timeout,
                          fail_on=frozenset(FAIL_ON_DEFAULT if fail_on is None else [str(s).upper() for s in fail_on]),
                          run_log_lines=lines)


class JobEndedBadly(InsightError):
    """The job ended in a status of `fail_on`; `partial` is the whole result, run log included."""

    def __init__(self, message: str, partial: Dict[str, Any]) -> None:
        super().__init__(message)
        self.partial = partial

    def result(self) -> Dict[str, Any]:
        return dict(self.partial)


class PartialError(InsightError):
    """A failure after the job was started or found: the result so far is returned beside the line."""

    def __init__(self, message: str, partial: Dict[str, Any]) -> None:
        super().__init__(message)
        self.partial = partial

    def result(self) -> Dict[str, Any]:
        return dict(self.partial)


def is_older_release(exc: InsightHTTPError) -> bool:
    """A later route on a server of an older release: 405, or 404 without Insight's error envelope (an unknown
    scenario or job on a later release is a 404 with the envelope)."""
    return exc.status == 405 or (exc.status == 404 and exc.envelope is None)


def older_release(exc: InsightHTTPError) -> InsightError:
    return InsightError("the server's release does not offer job creation (it answered %d without Insight's error "
                        "envelope); insight_job_launch needs an Insight 5 release whose REST API has POST /api/jobs "
                        "and GET /api/jobs/{id}/run-log" % exc.status, "POST", "/api/jobs")


def find_scenario(repo: Repository, path: RepoPath) -> Tuple[Item, str]:
    """The scenario at `path` and its path as the server spells the app; one line for a folder, a missing scenario
    or a name two scenarios share."""
    resolved = repo.resolve(path, "scenario")
    parent = resolved.parent()
    app, chain, missing = repo.walk(parent, "scenario")
    text = show(resolved.text, bare=True)
    if missing < len(parent.names):
        raise InsightError("scenario: no scenario %s: the folder %s does not exist (or is not visible to this user)"
                           % (text, show(parent.prefix(missing + 1).text, bare=True)))
    container = chain[-1] if chain else app
    name = resolved.names[-1]
    named = [item for item in repo.children(container) if item.get("name") == name]
    scenarios = [item for item in named if not is_folder(item)]
    if not scenarios:
        if named:
            raise InsightError("scenario: %s is a folder, not a scenario" % text)
        raise InsightError("scenario: no scenario %s (or it is not visible to this user)" % text)
    if len(scenarios) > 1:
        raise InsightError("scenario: %s names %d scenarios (ids %s); give the one meant with scenario_id"
                           % (text, len(scenarios), ", ".join(sorted(str(s.get("id")) for s in scenarios))))
    return scenarios[0], resolved.text


def scenario_job(client: InsightClientLike, scenario_id: str) -> Optional[Dict[str, Any]]:
    """The scenario's unfinished job (the one in the queue first, then the oldest), or None."""
    jobs = [job for job in list_jobs(client, JobFilter(scenario_id=[scenario_id]), concurrent=1)
            if job.get("status") not in FINISHED]
    if not jobs:
        return None
    jobs.sort(key=lambda job: (job.get("status") not in IN_QUEUE, str(job.get("created") or ""), str(job.get("id"))))
    return jobs[0]


def probe_release(client: InsightClientLike) -> None:
    """Check mode's stand-in for the POST it does not send: the run-log route of a job no server has answers 404
    with the envelope on a later release, and 404 or 405 without it on an older one."""
    try:
        client.get("/api/jobs/{}/run-log", PROBE_JOB, kind="text")
    except InsightHTTPError as exc:
        if is_older_release(exc):
            raise older_release(exc) from None


def mode_name(job: Dict[str, Any]) -> Optional[str]:
    mode = job.get("execution_mode")
    return mode.get("name") if isinstance(mode, dict) else mode


def run_log_tail(client: InsightClientLike, job_id: str, count: int) -> Tuple[List[str], int, Optional[str]]:
    """The last `count` lines of the job's run log, each scrubbed of the run's secrets, control characters escaped
    and cut to RUN_LOG_LINE_CHARS; the log's line count; why it could not be read (None when it was)."""
    try:
        text = client.get("/api/jobs/{}/run-log", job_id, kind="text")
    except InsightHTTPError as exc:
        if is_older_release(exc):
            return [], 0, "the server's release does not offer run logs"
        if exc.status == 404:
            return [], 0, "the server no longer has it"
        return [], 0, exc.to_line()
    except InsightTransportError as exc:
        return [], 0, exc.to_line()
    lines = str(text or "").splitlines()
    tail = []
    for line in lines[-count:]:
        clean = printable(scrub(line))
        tail.append(clean if len(clean) <= RUN_LOG_LINE_CHARS else clean[:RUN_LOG_LINE_CHARS] + "...")
    return tail, len(lines), None


def _short(line: str) -> str:
    return line if len(line) <= LINE_RUN_LOG_CHARS else line[:LINE_RUN_LOG_CHARS] + "..."


class Launch:
    """One run of the module: the scenario, the job started or found, the wait, the verdict."""

    def __init__(self, task: Task, settings: LaunchSettings) -> None:
        self.task = task
        self.settings = settings
        self.client = task.client
        self.scenario: Dict[str, Any] = {"id": settings.scenario_id, "name": None, "path": None}
        self.shown = settings.scenario_id or ""

    def locate(self) -> None:
        if self.settings.path is None:
            return
        item, path = find_scenario(Repository(self.client, self.task.warn), self.settings.path)
        self.scenario = {"id": str(item.get("id")), "name": item.get("name"), "path": path}
        self.shown = show(path, bare=True)

    def option(self) -> str:
        return "scenario" if self.settings.path is not None else "scenario_id"

    def result(self, changed: bool, job: Optional[Dict[str, Any]], existing: bool, msg: str) -> Dict[str, Any]:
        if job is not None and isinstance(job.get("scenario"), dict):
            self.scenario["name"] = self.scenario.get("name") or job["scenario"].get("name")
        after = None
        if job is not None or changed:
            after = {"id": (job or {}).get("id"), "status": (job or {}).get("status"),
                     "execution_mode": mode_name(job) if job else self.settings.execution_mode}
        where = self.scenario.get("path") or self.scenario.get("id")
        return {"changed": changed, "job": job, "existing_job": existing, "scenario": dict(self.scenario), "msg": msg,
                "diff": {"before": {"scenario": where, "job": after if existing else None},
                         "after": {"scenario": where, "job": after}}}

    def found(self, job: Dict[str, Any]) -> Dict[str, Any]:
        mode = mode_name(job)
        if mode != self.settings.execution_mode:
            self.task.warn("scenario %s already has job %s (%s, execution mode %s): reported instead of starting a "
                           "%s job" % (self.shown, job.get("id"), job.get("status"), mode, self.settings.execution_mode))
        return self.result(False, job, True, "scenario %s already has job %s (%s); nothing was started"
                           % (self.shown, job.get("id"), job.get("status")))

    def check(self) -> Dict[str, Any]:
        scenario_id = str(self.scenario["id"])
        existing = scenario_job(self.client, scenario_id)
        if existing is not None:
            return self.found(existing)
        probe_release(self.client)
        return self.result(True, None, False, "would start a %s job for scenario %s"
                           % (self.settings.execution_mode, self.shown))

    def start(self) -> Dict[str, Any]:
        scenario_id = str(self.scenario["id"])
        body = {"scenario": {"id": scenario_id, "objectType": "SCENARIO"}, "executionMode": self.settings.execution_mode}
        for _attempt in range(LOCKED_ATTEMPTS):
            try:
                created, made = self.client.post_or_recover("/api/jobs", json_body=body,
                                                            recover=lambda: scenario_job(self.client, scenario_id))
            except InsightHTTPError as exc:
                if exc.status != 423:
                    raise self.refused(exc) from None
                existing = scenario_job(self.client, scenario_id)
                if existing is not None:
                    return self.found(existing)
                continue  # its job finished between the 423 and the listing: the scenario is free now
            job = normalize_job(created) if made else created
            if not made:
                self.task.warn("the answer to POST /api/jobs was lost; job %s found for scenario %s is taken as the "
                               "one this task started" % (job.get("id"), self.shown))
            return self.result(True, job, False, "started job %s (%s) for scenario %s"
                               % (job.get("id"), self.settings.execution_mode, self.shown))
        raise InsightError("scenario %s: the server answered 423 (already in the job queue) %d times but listed no "
                           "queued or running job for it; nothing was started: run the task again"
                           % (self.shown, LOCKED_ATTEMPTS), "POST", "/api/jobs")

    def refused(self, exc: InsightHTTPError) -> InsightError:
        """One line for a refused POST, naming the option where the input was wrong."""
        if is_older_release(exc):
            return older_release(exc)
        if exc.status == 404:
            return InsightError("%s: no scenario %s on the server (or it is not visible to this user); nothing was "
                                "started" % (self.option(), self.shown))
        if exc.status == 422 and any(target.startswith("executionMode") for target in exc.targets):
            return InsightError("execution_mode: the server refused %s for scenario %s: %s; nothing was started"
                                % (show(self.settings.execution_mode), self.shown, exc.message or exc.to_line()))
        if exc.status == 429:
            return InsightError("429: the server has more jobs than its configured maximum (%s); nothing was started "
                                "for scenario %s: run the task again later" % (exc.message or "too many jobs", self.shown),
                                "POST", "/api/jobs")
        return exc

    def wait(self, outcome: Dict[str, Any]) -> Dict[str, Any]:
        job = outcome["job"]
        settings = self.settings
        waiter = JobWaiter(self.client, parallel=1)
        job_id = str(job["id"])
        try:
            waiter.wait({job_id: str(job.get("status"))}, settings.wait_timeout)
        except WaitTimeout as exc:
            exc.partial = dict(outcome, job=waiter.seen.get(job_id, job))
            raise
        last = waiter.seen.get(job_id, job)
        outcome = dict(outcome, job=last)
        status = str(last.get("status"))
        if status not in FINISHED:
            # Gone from the server's job history before it was seen finished: its final status is not known.
            line = ("job %s of scenario %s left the server's job history before its final status was seen (last seen: "
                    "%s); its outcome is unknown" % (job_id, self.shown, status))
            if settings.fail_on:
                raise PartialError(line, outcome)
            self.task.warn(line)
            return outcome
        if status in settings.fail_on:
            tail, total, problem = run_log_tail(self.client, job_id, settings.run_log_lines)
            outcome["run_log"] = tail
            if problem is not None:
                about = "its run log could not be read: %s" % problem
            elif not tail:
                about = "its run log is empty"
            else:
                about = "the last %d of its %d run-log lines: %s" % (len(tail), total, " | ".join(_short(t) for t in tail))
            raise JobEndedBadly("job %s of scenario %s ended %s (fail_on: %s); %s"
                                % (job_id, self.shown, status, ", ".join(sorted(settings.fail_on)), about), outcome)
        return outcome


def run(task: Task) -> Dict[str, Any]:
    """insight_job_launch's whole run: settings checked before the first call, the scenario found, its job started
    (or the one it has reported), then, with wait, the job's end."""
    settings = launch_settings(task.params)
    launch = Launch(task, settings)
    launch.locate()
    if task.check_mode:
        return launch.check()
    outcome = launch.start()
    if settings.wait:
        outcome = launch.wait(outcome)
    return outcome
