"""Every JSON answer carries every field of its schema in the reference pages, with values of the right shape."""
from __future__ import annotations

import re

from conftest import JSON_TYPE, assert_error

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
REFERENCE = {"id", "name", "objectType", "url"}
FOLDER = {"app", "id", "name", "objectType", "owner", "parent", "path", "shareStatus", "url"}
SCENARIO = {"app", "created", "id", "name", "objectType", "owner", "parent", "path", "scenarioType", "shareStatus", "summary", "url"}
SUMMARY = {"executionDuration", "executionFinished", "executionMode", "executionStarted", "executionUser", "modelDataVersion",
           "modelStatus", "objective", "problemStatus", "reservedForJob", "state"}
JOB = {"app", "created", "executionAttempts", "executionMode", "executionService", "id", "name", "objectType", "owner",
       "scenario", "status", "url"}
# Present only when they apply (absent, not null, by default).
JOB_OPTIONAL = {"duration", "executionWorker", "finished", "modelStatus", "objective", "solverStatus", "started"}
EXECUTION_MODE = {"clearsInputData", "description", "name", "priority", "threads"}
PAGE = {"content", "first", "last", "number", "numberOfElements", "size", "sort", "totalElements", "totalPages"}
SORT = {"empty", "sorted", "unsorted"}
OUTER_ERROR = {"code", "desc", "message", "innerError", "details", "spanId", "traceId", "timestamp"}
INNER_ERROR = {"code", "desc", "message"}
DETAIL = {"code", "desc", "message", "target", "timestamp"}
USER = {"id", "username", "name", "status", "objectType", "url"}
JOB_STATUSES = {"CANCELLED", "CANCELLING", "COMPLETED", "COMPLETING", "DELETED", "DELETING", "EXECUTING", "FAILED", "INACTIVE", "QUEUED"}
MODEL_STATUSES = {"BREAK", "ERROR", "EXIT", "INSTR", "IOERR", "LICERR", "MATHERR", "NA", "NIFCT", "NULL", "OK", "PROB", "STOP",
                  "UNKNOWN", "UNKN_PF", "UNKN_SYS"}
SOLVER_STATUSES = {"INFEASIBLE", "NA", "OPTIMAL", "OTHER", "SOLUTION", "UNBOUNDED", "UNFINISHED", "UNKNOWN"}


def check_reference(ref, object_type):
    assert set(ref) >= REFERENCE, ref
    assert ref["objectType"] == object_type
    assert UUID.match(ref["id"]) and ref["url"].endswith("/" + ref["id"])


def check_item(item):
    if item["objectType"] == "FOLDER":
        assert set(item) == FOLDER, set(item) ^ FOLDER
        assert item["url"] == "/api/folders/" + item["id"]
    else:
        assert item["objectType"] == "SCENARIO"
        assert set(item) == SCENARIO, set(item) ^ SCENARIO
        assert set(item["summary"]) == SUMMARY
        assert TIMESTAMP.match(item["created"])
        assert item["url"] == "/api/scenarios/" + item["id"]
    assert UUID.match(item["id"])
    assert item["shareStatus"] in ("FULLACCESS", "PRIVATE", "READONLY")
    assert item["path"].startswith("/" + item["app"]["name"] + "/") and item["path"].endswith("/" + item["name"])
    check_reference(item["app"], "APP")
    check_reference(item["owner"], "USER")
    check_reference(item["parent"], item["parent"]["objectType"])
    assert item["parent"]["objectType"] in ("APP", "FOLDER")


def check_job(job):
    assert JOB <= set(job) <= JOB | JOB_OPTIONAL, set(job) ^ JOB
    assert all(job[key] is not None for key in JOB_OPTIONAL & set(job)), job
    job = dict({key: None for key in JOB_OPTIONAL}, **job)
    assert job["objectType"] == "JOB_STATE" and UUID.match(job["id"]) and job["url"] == "/api/jobs/" + job["id"]
    assert job["status"] in JOB_STATUSES
    assert job["modelStatus"] is None or job["modelStatus"] in MODEL_STATUSES
    assert job["solverStatus"] is None or job["solverStatus"] in SOLVER_STATUSES
    assert set(job["executionMode"]) == EXECUTION_MODE
    check_reference(job["app"], "APP")
    check_reference(job["owner"], "USER")
    check_reference(job["executionService"], "EXECUTION_SERVICE")
    if job["scenario"] is not None:
        check_reference(job["scenario"], "SCENARIO")
    if job["executionWorker"] is not None:
        check_reference(job["executionWorker"], "EXECUTION_WORKER")
    assert TIMESTAMP.match(job["created"])
    for key in ("started", "finished"):
        assert job[key] is None or TIMESTAMP.match(job[key])
    finished = job["status"] in ("COMPLETED", "FAILED", "CANCELLED", "DELETED")
    assert (job["finished"] is not None) is finished
    assert (job["duration"] is not None) is finished
    if job["status"] not in ("QUEUED",) and job["started"] is not None:
        assert job["started"] >= job["created"]


def check_page(page):
    assert set(page) == PAGE, set(page) ^ PAGE
    assert set(page["sort"]) == SORT
    assert isinstance(page["content"], list)


def test_folders_scenarios_and_pages(api):
    alice = api("alice")
    apps = alice.get("/api/apps").json()
    check_page(apps)
    seen = 0
    stack = [app["url"] for app in apps["content"]]
    for app in apps["content"]:
        assert set(app) >= REFERENCE and app["objectType"] == "APP"
    while stack:
        answer = alice.get(stack.pop() + "/children")
        assert answer.headers["Content-Type"] == JSON_TYPE
        page = answer.json()
        check_page(page)
        for item in page["content"]:
            check_item(item)
            seen += 1
            if item["objectType"] == "FOLDER":
                check_item(alice.get(item["url"]).json())
                stack.append(item["url"])
    assert seen >= 12


def test_jobs(api):
    alice = api("alice")
    page = alice.get("/api/jobs", params={"includeFinished": "true", "size": 100}).json()
    check_page(page)
    assert len(page["content"]) >= 20
    for job in page["content"]:
        check_job(job)
        if job["scenario"] is not None:  # a redacted job is listed, but not readable on its own (404)
            check_job(alice.get(job["url"]).json())


def test_users(api):
    alice = api("alice")
    page = alice.get("/api/admin/users").json()
    check_page(page)
    for user in page["content"]:
        assert set(user) == USER
        assert user["status"] in ("ACTIVE", "DELETED", "DISABLED", "LOCKED")
    assert set(alice.get("/api/authentication/current-user").json()) == USER


def test_error_envelope(api):
    alice = api("alice")
    app = alice.lookup("/Logistics")
    answers = [
        alice.get("/api/folders/00000000-0000-4000-8000-000000000000"),
        alice.post("/api/folders", json={"name": " x", "parent": {"id": app["id"], "objectType": "APP"}}),
        alice.get("/api/jobs", params={"page": -1}),
        api(None).get("/api/jobs"),
        api("rita").delete("/api/jobs/00000000-0000-4000-8000-000000000000"),
    ]
    for answer in answers:
        error = assert_error(answer, answer.status_code)
        assert set(error) == OUTER_ERROR, set(error) ^ OUTER_ERROR
        assert set(error["innerError"]) == INNER_ERROR
        assert re.match(r"^[0-9a-f]{16}$", error["spanId"]) and re.match(r"^[0-9a-f]{32}$", error["traceId"])
        assert TIMESTAMP.match(error["timestamp"])
        for detail in error["details"]:
            assert set(detail) == DETAIL
    assert [a.status_code for a in answers] == [404, 422, 400, 401, 403]
    assert answers[1].json()["error"]["details"][0]["target"] == "name"
