"""Every JSON answer carries every field of its schema in the reference pages, with values of the right shape."""
from __future__ import annotations

import re

import pytest

from conftest import JSON_TYPE, assert_error
from insight_emulator.control import EmulatorProcess

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


# -- fidelity to the reference pages and the vendor's client ------------------------------------------------------

MISSING = "00000000-0000-4000-8000-000000000000"
APP = {"id", "name", "objectType", "url", "path", "model"}


def test_apps_carry_path_and_model(api):
    alice = api("alice")
    listed = alice.get("/api/apps").json()["content"]
    logistics = alice.lookup("/Logistics")
    for app in listed + [alice.get(logistics["url"]).json(), logistics]:
        assert set(app) == APP, set(app) ^ APP
        assert app["path"] == "/" + app["name"]
        assert set(app["model"]) == {"name", "version", "dataVersion"}


def test_messages_are_escaped_like_escape_java_script(api, make_client):
    alice = api("alice")
    app = alice.lookup("/Logistics")
    name = "Caf\u00e9 \u2615 \"q\"/\x01\U0001F600"
    answer = alice.post("/api/folders", json={"name": name, "parent": {"id": app["id"], "objectType": "APP"}})
    message = assert_error(answer, 422, target="name")["innerError"]["message"]
    # After JSON decoding one layer of JavaScript escaping remains: short escapes, and \\uXXXX for the rest.
    assert 'Caf\\u00E9 \\u2615 \\"q\\"\\/\\u0001\\uD83D\\uDE00' in message, message
    assert all(ord(char) < 0x7f for char in message)
    client = make_client()
    with pytest.raises(Exception) as caught:
        client.post("/api/folders", json_body={"name": name, "parent": {"id": app["id"], "objectType": "APP"}})
    # The client un-escapes it back, surrogate pair included; the one-line message shows the control character as a
    # visible escape, and the error keeps the text as the server meant it.
    assert name in caught.value.message
    assert name.replace("\x01", "\\x01") in str(caught.value)


def test_optional_job_fields_are_absent_by_default_and_null_on_request(api, insight):
    alice = api("alice")
    queued = [j for j in alice.get("/api/jobs", params={"size": 100}).json()["content"] if j["status"] == "QUEUED"]
    assert queued and all(not JOB_OPTIONAL & set(job) for job in queued)
    insight.config(job_nulls=True)
    job = alice.get(queued[0]["url"]).json()
    assert set(job) == JOB | JOB_OPTIONAL and all(job[key] is None for key in JOB_OPTIONAL)


def test_a_job_the_user_cannot_see_is_404_alone_and_redacted_in_the_list(api):
    alice = api("alice")
    listed = alice.get("/api/jobs", params={"size": 100}).json()["content"]
    hidden = [j for j in listed if j["scenario"] is None]
    assert len(hidden) == 1 and hidden[0]["name"] is None
    assert_error(alice.get(hidden[0]["url"]), 404, "OPTI-Insight-Persistence-DocumentNotFound")
    assert api("bob").get(hidden[0]["url"]).status_code == 200


@pytest.mark.parametrize("body, content_type", [("empty", None), ("html", "text/html")])
def test_401_and_403_without_an_envelope(api, insight, body, content_type):
    rita = api("rita")
    insight.config(auth_error_body=body)
    for answer, status in ((api(None).get("/api/jobs"), 401), (rita.delete("/api/jobs/" + MISSING), 403)):
        assert answer.status_code == status
        assert answer.headers.get("Content-Type") == content_type
        assert (answer.content == b"") is (body == "empty")
    assert api(None).get("/api/jobs").headers["WWW-Authenticate"] == "Bearer"


def test_message_file_404_forms(api, insight):
    alice = api("alice")
    finished = next(j for j in insight.state()["jobs"] if j["messages"])
    url = "/api/jobs/%s/messages/%s/file" % (finished["id"], MISSING)
    binary = "application/vnd.com.fico.xpress.insight.v2+octet-stream"
    assert_error(alice.get(url, headers={"Accept": binary + ", " + JSON_TYPE}), 404)
    # A caller that accepts only the binary type cannot be sent the envelope: the reference's empty form.
    only_binary = alice.get(url, headers={"Accept": binary})
    assert (only_binary.status_code, only_binary.headers["Content-Type"], only_binary.content) == (404, binary, b"")
    insight.config(message_404="empty")
    empty = alice.get(url, headers={"Accept": binary + ", " + JSON_TYPE})
    assert (empty.status_code, empty.headers["Content-Type"], empty.content) == (404, binary, b"")
    found = alice.get("/api/jobs/%s/messages/%s/file" % (finished["id"], finished["messages"][0]),
                      headers={"Accept": binary})
    assert found.status_code == 200 and found.headers["Content-Type"] == binary


def test_423_409_413_and_406(api, insight):
    alice = api("alice")
    reports = alice.lookup("/Logistics/Reports")
    assert alice.delete(reports["url"]).status_code == 204  # the default lets a busy folder go
    insight.reset("demo")
    alice = api("alice")
    reports = alice.lookup("/Logistics/Reports")
    insight.config(lock_busy=True)
    assert_error(alice.delete(reports["url"]), 423)
    assert_error(alice.post(alice.lookup("/Logistics")["url"] + "/children",
                            json={"id": alice.lookup("/Logistics/Reports/Weekly")["id"], "objectType": "FOLDER"}), 423)
    done = next(j for j in insight.state()["jobs"] if j["status"] == "COMPLETED")
    insight.config(cancel_finished="conflict")
    assert_error(alice.delete("/api/jobs/" + done["id"]), 409)
    insight.config(max_body_bytes=100)
    assert_error(alice.post("/api/folders", data=b"{" + b" " * 200 + b"}"), 413)
    refused = alice.get(reports["url"], headers={"Accept": "text/html"})
    assert refused.status_code == 406 and refused.content == b""
    assert alice.get(reports["url"], headers={"Accept": "application/*+json"}).status_code == 200
    users = insight.load_users()
    token = alice.session.post(insight.url + "/api/authentication/token", headers={"Accept": JSON_TYPE},
                               json={"clientId": users["alice"]["client_id"], "secret": users["alice"]["secret"]})
    assert token.status_code == 406


AUTHORITY_SEED = {
    "users": [{"username": "alice", "role": "full"},
              {"username": "ed", "role": "full", "authorities": ["FOLDER_EDIT"]},
              {"username": "dora", "role": "full", "authorities": ["FOLDER_DELETE", "FOLDER_SHARE"]}],
    "apps": [{"name": "Logistics", "folders": [{"name": "A"}, {"name": "B"}]}],
}


def test_finer_folder_authorities(api, insight):
    insight.reset(AUTHORITY_SEED)
    ed, dora = api("ed"), api("dora")
    folder_a, folder_b = ed.lookup("/Logistics/A"), ed.lookup("/Logistics/B")
    assert ed.patch(folder_a["url"], json={"name": "A2"}).json()["name"] == "A2"
    assert "FOLDER_SHARE" in assert_error(ed.patch(folder_a["url"], json={"shareStatus": "READONLY"}), 403)["innerError"]["message"]
    dora_id = insight.load_users()["dora"]["id"]
    assert_error(ed.patch(folder_a["url"], json={"owner": {"id": dora_id, "objectType": "USER"}}), 403)
    assert_error(ed.delete(folder_b["url"]), 403)
    assert_error(dora.patch(folder_b["url"], json={"name": "B2"}), 403)
    assert dora.patch(folder_b["url"], json={"shareStatus": "READONLY"}).json()["shareStatus"] == "READONLY"
    assert dora.delete(folder_a["url"]).status_code == 204
    assert [f["path"] for f in insight.state()["folders"]] == ["/Logistics/B"]


def test_paging_strict_by_default_and_spring_on_request(api, insight):
    alice = api("alice")
    assert_error(alice.get("/api/jobs", params={"page": -1}), 400, target="page")
    page = alice.get("/api/jobs").json()
    assert page["size"] == 20 and page["sort"] == {"empty": False, "sorted": True, "unsorted": False}
    empty = alice.get("/api/jobs", params={"page": 9}).json()
    assert empty["content"] == [] and empty["sort"]["empty"] is True  # the reference: "no results"
    insight.config(paging="spring", default_page_size=5, page_size_cap=2000)
    clamped = alice.get("/api/jobs", params={"page": -1, "size": 0}).json()
    assert (clamped["number"], clamped["size"], len(clamped["content"])) == (0, 5, 5)
    assert alice.get("/api/jobs", params={"page": "x"}).json()["number"] == 0
    empty = alice.get("/api/jobs", params={"page": 9}).json()
    assert empty["sort"]["empty"] is False  # Spring: empty means "no sort orders"


# -- variants where the reference leaves the truth open ----------------------------------------------------------


@pytest.mark.parametrize("case, made", [("sensitive", "reports"), ("insensitive", "reports (1)")])
def test_sibling_names_clash_as_configured(api, insight, case, made):
    insight.config(name_case=case)
    alice = api("alice")
    app = alice.lookup("/Logistics")
    answer = alice.post("/api/folders", json={"name": "reports", "parent": {"id": app["id"], "objectType": "APP"}})
    assert answer.status_code == 201 and answer.json()["name"] == made


@pytest.mark.parametrize("mode, status", [("accept", 202), ("not_found", 404), ("conflict", 409)])
def test_cancelling_an_ended_or_cancelling_job(api, insight, mode, status):
    insight.config(cancel_finished=mode)
    alice = api("alice")
    jobs = insight.state()["jobs"]
    for wanted in ("COMPLETED", "CANCELLING"):
        job = next(j for j in jobs if j["status"] == wanted and not j["locked"])
        answer = alice.delete("/api/jobs/" + job["id"])
        assert answer.status_code == status
        if status == 202:
            assert answer.json()["status"] == wanted
        assert alice.get("/api/jobs/" + job["id"]).json()["status"] == wanted


@pytest.mark.parametrize("mode", ["cap", "refuse"])
def test_max_age_above_the_limit(insight, mode):
    insight.config(max_age_over=mode, token_lifetime=1000)
    users = insight.load_users()
    body = {"clientId": users["alice"]["client_id"], "secret": users["alice"]["secret"]}
    import requests  # pylint: disable=import-outside-toplevel
    url = insight.url + "/api/authentication/token"
    assert requests.post(url, json=dict(body, maxAge=1000), timeout=10).status_code == 200
    over = requests.post(url, json=dict(body, maxAge=1001), timeout=10)
    if mode == "cap":
        assert over.status_code == 200
    else:
        assert_error(over, 422, target="maxAge")


def test_job_listing_order_and_history(api, insight):
    alice = api("alice")
    by_time = alice.get("/api/jobs", params={"size": 100, "includeFinished": "true"}).json()["content"]
    assert [j["created"] for j in by_time] == sorted(j["created"] for j in by_time)
    insight.config(job_order="id")
    by_id = alice.get("/api/jobs", params={"size": 100, "includeFinished": "true"}).json()["content"]
    assert [j["id"] for j in by_id] == sorted(j["id"] for j in by_id) != [j["id"] for j in by_time]
    insight.config(list_finished=False)
    unfinished = alice.get("/api/jobs", params={"size": 100, "includeFinished": "true"}).json()["content"]
    assert unfinished and all(j["status"] not in ("COMPLETED", "FAILED", "CANCELLED", "DELETED") for j in unfinished)
    done = next(j for j in by_time if j["status"] == "COMPLETED")
    assert alice.get(done["url"]).json()["status"] == "COMPLETED"


def test_start_up_flags_set_the_variants():
    args = ["--paused", "--name-case", "insensitive", "--job-nulls", "true", "--cancel-finished", "conflict",
            "--max-age-over", "refuse", "--job-order", "id", "--list-finished", "false", "--paging", "spring",
            "--auth-error-body", "html", "--message-404", "empty", "--lock-busy", "true", "--default-page-size", "7",
            "--max-body-bytes", "4096"]
    with EmulatorProcess(args) as process:
        config = process.control().config()
    assert config == dict(config, name_case="insensitive", job_nulls=True, cancel_finished="conflict",
                          max_age_over="refuse", job_order="id", list_finished=False, paging="spring",
                          auth_error_body="html", message_404="empty", lock_busy=True, default_page_size=7,
                          max_body_bytes=4096)


def test_bad_config_values_are_refused_whole(insight):
    before = insight.config()
    with pytest.raises(RuntimeError):
        insight.config(name_case="sometimes", job_order="id")
    with pytest.raises(RuntimeError):
        insight.config(job_nulls="yes")
    assert insight.config() == before
