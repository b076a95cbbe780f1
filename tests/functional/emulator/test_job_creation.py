"""Job creation and run logs of the later releases' reference (POST /api/jobs, GET /api/jobs/{id}/run-log), raw HTTP:
every status with its envelope, the new job's life on the job clock, job plans, and the older-release variant."""
from __future__ import annotations

from conftest import assert_error

TEXT_TYPE = "text/vnd.com.fico.xpress.insight.v2+plain"
MISSING = "00000000-0000-4000-8000-000000000000"
QUEUED = "33333333-3333-4333-8333-333333333333"
SEED = {
    "users": [{"username": "ann", "role": "full"}, {"username": "bob", "role": "full"}, {"username": "ray", "role": "readonly"}],
    "apps": [{"name": "App", "scenarios": [{"name": "Free"}, {"name": "Busy"}, {"name": "Bad"}], "folders": [
        {"name": "Mine", "share_status": "PRIVATE", "owner": "bob", "scenarios": [{"name": "Hidden"}]}]}],
    "jobs": [{"id": QUEUED, "scenario": "/App/Busy", "owner": "bob", "status": "QUEUED", "created": "-1m",
              "run_log": ["seeded line"]}],
    "job_plans": [{"scenario": "/App/Bad", "outcome": "FAILED", "queue_seconds": 1, "run_seconds": 3,
                   "run_log": "first\nsecond\n"}],
}


def _body(scenario_id, mode="RUN", object_type="SCENARIO"):
    return {"scenario": {"id": scenario_id, "objectType": object_type}, "executionMode": mode}


def test_a_created_job_is_queued_then_runs_through_its_life(api, insight):
    insight.reset(SEED)
    ann = api("ann")
    free = ann.lookup("/App/Free")
    created = ann.post("/api/jobs", json=_body(free["id"]))
    assert created.status_code == 201, created.text
    job = created.json()
    assert created.headers["Location"] == insight.url + "/api/jobs/" + job["id"]
    assert job["status"] == "QUEUED" and job["scenario"]["id"] == free["id"] and job["executionMode"]["name"] == "RUN"
    assert job["owner"]["name"] == "ann" and "started" not in job
    run_log = ann.get("/api/jobs/%s/run-log" % job["id"], headers={"Accept": TEXT_TYPE})
    assert run_log.status_code == 200 and run_log.headers["Content-Type"] == TEXT_TYPE and run_log.text == ""
    seen = []
    for _second in range(10):
        insight.clock("step", seconds=1)
        seen.append(ann.get("/api/jobs/" + job["id"]).json()["status"])
    # The default plan: 2 s queued, 5 s running, 1 s completing.
    assert seen[0] == "QUEUED" and "EXECUTING" in seen and seen[-1] == "COMPLETED", seen
    text = ann.get("/api/jobs/%s/run-log" % job["id"], headers={"Accept": TEXT_TYPE}).text
    assert text.endswith("Run completed\n") and "Free" in text
    # Finished, the scenario takes a new job.
    assert ann.post("/api/jobs", json=_body(free["id"], mode="LOAD")).status_code == 201


def test_a_job_plan_ends_failed_with_its_run_log(api, insight):
    insight.reset(SEED)
    ann = api("ann")
    job = ann.post("/api/jobs", json=_body(ann.lookup("/App/Bad")["id"])).json()
    insight.clock("step", seconds=10)
    assert ann.get("/api/jobs/" + job["id"]).json()["status"] == "FAILED"
    assert ann.get("/api/jobs/%s/run-log" % job["id"]).text == "first\nsecond\n"
    assert ann.get("/api/jobs/%s/run-log" % QUEUED).text == ""  # seeded lines show once the job has started


def test_refusals_carry_the_envelope(api, insight):
    insight.reset(SEED)
    ann = api("ann")
    free, busy = ann.lookup("/App/Free")["id"], ann.lookup("/App/Busy")["id"]
    hidden = insight.state()["scenarios"]
    hidden_id = next(s["id"] for s in hidden if s["name"] == "Hidden")
    assert_error(api("ray").post("/api/jobs", json=_body(free)), 403)
    assert_error(ann.post("/api/jobs", json=_body(MISSING)), 404)
    assert_error(ann.post("/api/jobs", json=_body(hidden_id)), 404)  # another user's private folder
    assert_error(ann.post("/api/jobs", json=_body(free, mode="NIGHTLY")), 422, target="executionMode")
    assert_error(ann.post("/api/jobs", json=_body(free, object_type="FOLDER")), 422, target="scenario.objectType")
    assert_error(ann.post("/api/jobs", json={"executionMode": "RUN"}), 422, target="scenario")
    assert_error(ann.post("/api/jobs", json=_body("not-a-uuid")), 422, target="scenario.id")
    assert_error(ann.post("/api/jobs", data="{", headers={"Content-Type": "application/json"}), 400)
    locked = assert_error(ann.post("/api/jobs", json=_body(busy)), 423)
    assert "already in the job queue" in locked["innerError"]["message"]
    insight.config(max_jobs=1)
    assert_error(ann.post("/api/jobs", json=_body(free)), 429)
    assert_error(ann.get("/api/jobs/%s/run-log" % MISSING), 404)
    assert_error(ann.get("/api/jobs/not-a-uuid/run-log"), 400)
    # Nothing above made a job.
    assert [j["id"] for j in insight.state()["jobs"]] == [QUEUED]


def test_a_cancelling_job_does_not_hold_the_queue(api, insight):
    insight.reset(SEED)
    ann = api("ann")
    busy = ann.lookup("/App/Busy")["id"]
    assert ann.delete("/api/jobs/" + QUEUED).json()["status"] == "CANCELLING"
    assert ann.post("/api/jobs", json=_body(busy)).status_code == 201


def test_the_older_release_has_neither_route(api, insight):
    insight.reset(SEED)
    insight.config(release="older")
    ann = api("ann")
    created = ann.post("/api/jobs", json=_body(ann.lookup("/App/Free")["id"]))
    assert created.status_code == 405 and created.headers["Allow"] == "GET"
    assert created.headers["Content-Type"] == "application/json"
    assert set(created.json()) == {"timestamp", "status", "error", "path"}  # not Insight's envelope
    run_log = ann.get("/api/jobs/%s/run-log" % QUEUED)
    assert run_log.status_code == 404 and "error" in run_log.json() and not isinstance(run_log.json()["error"], dict)
    assert api(None).post("/api/jobs", json={}).status_code == 401  # authentication still comes first
    assert ann.get("/api/jobs").status_code == 200
    assert insight.counters()["by_route"]["POST /api/jobs"] == 2
