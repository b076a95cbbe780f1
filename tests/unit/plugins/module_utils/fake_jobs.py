# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory Insight answering the job routes of the client (InsightClientLike plus `download_to`).

Jobs are kept as the server writes them (camelCase, fields that do not apply yet left out), listed in pages of
`page_size` with `totalElements`, and paged by the real client's own `paged` logic, so a test sees what the plugins
see over HTTP. DELETE moves a job to CANCELLING; `finish_on_read` makes a CANCELLING job CANCELLED when it is next
read; `script` gives a job a status per read (a job running elsewhere; None: it has left the server);
`between_pages(number)` runs before every page after the first (another client finishing jobs mid-listing, or a
failing page when it raises). Every call is recorded as `METHOD template` and counted in `request_count`, as
InsightClient counts them."""

from __future__ import annotations

import types
import uuid
from typing import Any, Callable, Dict, Iterator, List, Optional, Set, Tuple

from ansible_collections.xpress.insight.plugins.module_utils._client import Answer, InsightClient
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightHTTPError

BASE_URL = "https://insight.test"
FINISHED = ("COMPLETED", "FAILED", "CANCELLED", "DELETED")
_NAMESPACE = uuid.UUID("2b0e7d4c-51a8-4e6f-8c3d-9a1f0b7e6d52")


def ident(seed: str) -> str:
    """A stable UUID for a readable seed, so tests can name jobs, apps and scenarios."""
    return str(uuid.uuid5(_NAMESPACE, seed))


class FakeJobs:
    """One Insight server's jobs, apps and message files in memory."""

    def __init__(self, apps: Tuple[str, ...] = ("Logistics", "Portfolio"), page_size: int = 2) -> None:
        self.base_url = BASE_URL
        self.page_size = page_size
        # What the real client's paging reads after each page: the body size it counts against the listing cap.
        self._local = types.SimpleNamespace(size=0)
        self.apps: Dict[str, str] = {ident("app-" + name): name for name in apps}
        self.users: Dict[str, str] = {ident("user-" + name): name for name in ("alice", "bob")}
        self.jobs: Dict[str, Dict[str, Any]] = {}
        self.files: Dict[Tuple[str, str], bytes] = {}
        self.locked: Set[str] = set()
        self.script: Dict[str, List[Optional[str]]] = {}
        self.finish_on_read = False
        self.between_pages: Optional[Callable[[int], None]] = None
        self.calls: List[str] = []
        self.request_count = 0

    # -- seeding and inspection ----------------------------------------------------------------------------------

    def add_job(self, seed: str, status: str = "QUEUED", app: str = "Logistics", owner: str = "alice",
                scenario: str = "Base case", created: str = "2026-11-20T08:00:00Z", mode: str = "RUN",
                visible: bool = True) -> str:
        """A job as the server shows it; `visible=False` withholds its name and scenario (a scenario the caller
        cannot see). Returns its id."""
        job_id = ident("job-" + seed)
        app_id = ident("app-" + app)
        owner_id = ident("user-" + owner)
        scenario_id = ident("scenario-" + scenario)
        job: Dict[str, Any] = {
            "id": job_id, "objectType": "JOB_STATE", "url": "/api/jobs/" + job_id, "status": status,
            "created": created, "executionAttempts": 0,
            "app": {"id": app_id, "name": self.apps[app_id], "objectType": "APP", "url": "/api/apps/" + app_id},
            "owner": {"id": owner_id, "name": owner.capitalize(), "objectType": "USER",
                      "url": "/api/admin/users/" + owner_id},
            "executionMode": {"name": mode, "description": mode.capitalize(), "clearsInputData": False},
        }
        if visible:
            job["name"] = scenario
            job["scenario"] = {"id": scenario_id, "name": scenario, "objectType": "SCENARIO",
                               "url": "/api/scenarios/" + scenario_id}
        if status != "QUEUED":
            job.update(started="2026-11-20T08:01:00Z", executionAttempts=1)
        if status in FINISHED:
            job.update(finished="2026-11-20T08:03:00Z", duration=120000, modelStatus="OK", solverStatus="OPTIMAL",
                       objective=42.5)
        self.jobs[job_id] = job
        return job_id

    def status(self, job_id: str) -> str:
        return str(self.jobs[job_id]["status"])

    def count(self, call: str) -> int:
        return self.calls.count(call)

    def writes(self) -> List[str]:
        return [call for call in self.calls if not call.startswith("GET ")]

    # -- server rules --------------------------------------------------------------------------------------------

    def _record(self, call: str) -> None:
        self.calls.append(call)
        self.request_count += 1

    def _listed(self, params: Dict[str, Any]) -> List[Dict[str, Any]]:
        jobs = list(self.jobs.values())
        if not params.get("includeFinished"):
            jobs = [job for job in jobs if job["status"] not in FINISHED]
        scenario_id = params.get("scenarioId")
        if scenario_id is not None:
            # As the reference describes it: the server filters the unfinished jobs by scenario.
            jobs = [job for job in jobs if job["status"] in FINISHED or (job.get("scenario") or {}).get("id") == scenario_id]
        return jobs

    def _page(self, items: List[Dict[str, Any]], params: Dict[str, Any]) -> Dict[str, Any]:
        number = int(params.get("page", 0))
        size = min(int(params.get("size", self.page_size)), self.page_size)
        total_pages = max(1, -(-len(items) // size))
        content = [dict(item) for item in items[number * size:(number + 1) * size]]
        return {"content": content, "number": number, "size": size, "totalElements": len(items),
                "totalPages": total_pages, "first": number == 0, "last": number >= total_pages - 1}

    def _job(self, method: str, job_id: str) -> Dict[str, Any]:
        job = self.jobs.get(job_id)
        if job is None:
            raise InsightHTTPError(method, "/api/jobs/" + job_id, 404, "Not Found")
        return job

    def _advance(self, job: Dict[str, Any]) -> None:
        steps = self.script.get(job["id"])
        if steps:
            step = steps.pop(0)
            if step is None:
                # The job left the server (its history) before this read.
                del self.jobs[job["id"]]
                raise InsightHTTPError("GET", "/api/jobs/" + job["id"], 404, "Not Found")
            job["status"] = step
        elif self.finish_on_read and job["status"] == "CANCELLING":
            job["status"] = "CANCELLED"

    # -- InsightClientLike ---------------------------------------------------------------------------------------

    def get(self, template: str, *parts: Any, params: Optional[Dict[str, Any]] = None, kind: str = "json") -> Any:
        self._record("GET " + template)
        params = dict(params or {})
        if template == "/api/jobs":
            if int(params.get("page", 0)) > 0 and self.between_pages is not None:
                self.between_pages(int(params["page"]))
            return self._page(self._listed(params), params)
        if template == "/api/jobs/{}":
            job = self._job("GET", parts[0])
            self._advance(job)
            return dict(job)
        if template == "/api/apps":
            apps = [{"id": aid, "name": name, "objectType": "APP", "url": "/api/apps/" + aid}
                    for aid, name in sorted(self.apps.items(), key=lambda app: app[1])]
            return self._page(apps, params)
        raise AssertionError("no such route in the fake: GET " + template)

    def get_item(self, template: str, *parts: Any, params: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        # The real client checks the item's shape; the fake's items are well formed.
        return dict(self.get(template, *parts, params=params))

    def paged(self, template: str, *parts: Any, params: Optional[Dict[str, Any]] = None, page_size: int = 500,
              concurrent: int = 0, on_page: Optional[Callable[[dict], None]] = None,
              follow_shifts: bool = False) -> Iterator[Dict[str, Any]]:
        # The real client's paging over this fake's pages: same page walk, same duplicate and shift rules.
        return InsightClient.paged(self, template, *parts, params=params, page_size=page_size,
                                   concurrent=concurrent, on_page=on_page, follow_shifts=follow_shifts)

    def delete(self, template: str, *parts: Any, params: Optional[Dict[str, Any]] = None) -> Any:
        self._record("DELETE " + template)
        assert template == "/api/jobs/{}", template
        job = self._job("DELETE", parts[0])
        if parts[0] in self.locked:
            raise InsightHTTPError("DELETE", "/api/jobs/" + parts[0], 403, "Forbidden", {
                "error": {"code": "FICO-Platform-Http-403", "message": "Forbidden",
                          "innerError": {"code": "Forbidden", "message": "The job is locked"}}})
        if job["status"] not in FINISHED:
            job["status"] = "CANCELLING"
        return dict(job)

    def call(self, method: str, template: str, *parts: Any, params: Optional[Dict[str, Any]] = None,
             json_body: Any = None, kind: str = "json", use_auth: bool = True) -> Answer:
        if method == "DELETE":
            return Answer(self.delete(template, *parts), 202, False)
        return Answer(self.get(template, *parts, params=params, kind=kind), 200, False)

    def download_to(self, fileobj: Any, template: str, *parts: Any, max_bytes: Optional[int] = None) -> int:
        self._record("GET " + template)
        assert template == "/api/jobs/{}/messages/{}/file", template
        data = self.files.get((parts[0], parts[1]))
        if data is None:
            raise InsightHTTPError("GET", "/api/jobs/%s/messages/%s/file" % (parts[0], parts[1]), 404, "Not Found")
        # In small chunks, as a stream arrives.
        for start in range(0, len(data), 4):
            fileobj.write(data[start:start + 4])
        return len(data)
