"""Jobs: listing and filters, the job clock, cancellation, locked jobs, redaction, message files, history."""
from __future__ import annotations

from conftest import assert_error

FINISHED = {"COMPLETED", "FAILED", "CANCELLED", "DELETED"}
MISSING = "00000000-0000-4000-8000-000000000000"
SEED = {
    "users": [{"username": "ann", "role": "full"}, {"username": "ray", "role": "readonly"}],
    "apps": [{"name": "App", "scenarios": [{"name": "S1"}, {"name": "S2"}]}],
    "jobs": [
        {"id": "11111111-1111-4111-8111-111111111111", "scenario": "/App/S1", "status": "QUEUED", "created": "-10s",
         "queue_seconds": 5, "run_seconds": 20, "outcome": "COMPLETED"},
        {"id": "22222222-2222-4222-8222-222222222222", "scenario": "/App/S2", "status": "QUEUED", "created": "-5s",
         "queue_seconds": 5, "run_seconds": 10, "outcome": "FAILED"},
    ],
}
JOB1 = "/api/jobs/11111111-1111-4111-8111-111111111111"
JOB2 = "/api/jobs/22222222-2222-4222-8222-222222222222"


def _all_jobs(session, **params):
    params.setdefault("size", 100)
    answer = session.get("/api/jobs", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["content"]


def _demo_job(insight, **match):
    for job in insight.state()["jobs"]:
        if all(job.get(k) == v for k, v in match.items()):
            return job
    raise AssertionError("no demo job with %r" % match)


def test_list_excludes_finished_jobs_unless_asked(api, insight):
    alice = api("alice")
    active = _all_jobs(alice)
    assert active and not [j for j in active if j["status"] in FINISHED]
    everything = _all_jobs(alice, includeFinished="true")
    assert len(everything) == len(insight.state()["jobs"]) >= 20
    statuses = {j["status"] for j in everything}
    assert {"QUEUED", "EXECUTING", "COMPLETED", "FAILED", "CANCELLED", "CANCELLING"} <= statuses


def test_scenario_filter_does_not_apply_to_finished_jobs(api):
    alice = api("alice")
    base = alice.lookup("/Logistics/Reports/Base case")
    filtered = _all_jobs(alice, scenarioId=base["id"])
    assert filtered and all(j["scenario"]["id"] == base["id"] for j in filtered)
    with_finished = _all_jobs(alice, scenarioId=base["id"], includeFinished="true")
    finished = [j for j in with_finished if j["status"] in FINISHED]
    assert {j["scenario"]["id"] for j in finished if j["scenario"]} - {base["id"]}
    assert [j for j in with_finished if j["status"] not in FINISHED] == filtered
    assert_error(alice.get("/api/jobs", params={"scenarioId": "nope"}), 400, target="scenarioId")
    assert_error(alice.get("/api/jobs", params={"includeFinished": "yes"}), 400)


def test_get_job_and_unknown_ids(api, insight):
    alice = api("alice")
    job = _demo_job(insight, status="EXECUTING", locked=False)
    answer = alice.get(job["url"])
    assert answer.status_code == 200
    assert answer.json()["id"] == job["id"]
    assert answer.json()["started"] and answer.json()["executionWorker"]
    assert_error(alice.get("/api/jobs/" + MISSING), 404, "OPTI-Insight-Persistence-DocumentNotFound")
    assert_error(alice.get("/api/jobs/xyz"), 400)


def test_job_clock_drives_the_lifecycle(api, insight):
    insight.reset(SEED)
    ann = api("ann")
    first = ann.get(JOB1).json()
    assert first["status"] == "QUEUED"
    assert not {"started", "finished", "duration", "executionWorker"} & set(first)  # absent until they apply
    assert first["executionAttempts"] == 0
    insight.clock("step", seconds=5)
    running = ann.get(JOB1).json()
    assert running["status"] == "EXECUTING"
    assert running["started"] and running["executionAttempts"] == 1
    insight.clock("step", seconds=20)
    assert ann.get(JOB1).json()["status"] == "COMPLETING"
    insight.clock("step", seconds=3)
    done = ann.get(JOB1).json()
    assert done["status"] == "COMPLETED"
    assert done["duration"] == 23000
    assert (done["modelStatus"], done["solverStatus"]) == ("OK", "OPTIMAL")
    assert isinstance(done["objective"], float)
    failed = ann.get(JOB2).json()
    assert failed["status"] == "FAILED"
    assert failed["modelStatus"] == "ERROR" and "objective" not in failed
    assert _all_jobs(ann) == []
    assert len(_all_jobs(ann, includeFinished="true")) == 2


def test_paused_clock_keeps_jobs_still_and_speed_moves_them(api, insight):
    insight.reset(SEED)
    ann = api("ann")
    assert insight.clock()["paused"] is True
    assert ann.get(JOB1).json()["status"] == "QUEUED"
    insight.clock("speed", speed=1000)
    insight.clock("resume")
    status = None
    for _attempt in range(200):
        status = ann.get(JOB1).json()["status"]
        if status == "COMPLETED":
            break
        insight.clock("step", seconds=0.5)
    assert status == "COMPLETED"
    insight.clock("pause")


def test_cancel_is_asynchronous(api, insight):
    insight.reset(SEED)
    insight.config(cancel_delay=30)
    ann = api("ann")
    answer = ann.delete(JOB1)
    assert answer.status_code == 202
    assert answer.json()["status"] == "CANCELLING"
    insight.clock("step", seconds=29)
    assert ann.get(JOB1).json()["status"] == "CANCELLING"
    assert ann.delete(JOB1).status_code == 202
    insight.clock("step", seconds=1)
    job = ann.get(JOB1).json()
    assert job["status"] == "CANCELLED"
    assert job["finished"] and job["duration"] is not None
    assert (job["modelStatus"], job["solverStatus"]) == ("NA", "NA")


def test_cancel_with_no_delay_reads_cancelled_next(api, insight):
    alice = api("alice")
    job = _demo_job(insight, status="QUEUED", locked=False)
    assert alice.delete(job["url"]).json()["status"] == "CANCELLING"
    assert alice.get(job["url"]).json()["status"] == "CANCELLED"
    assert job["id"] not in [j["id"] for j in _all_jobs(alice)]


def test_cancel_of_a_finished_job_is_accepted_and_changes_nothing(api, insight):
    alice = api("alice")
    job = _demo_job(insight, status="COMPLETED")
    answer = alice.delete(job["url"])
    assert answer.status_code == 202
    assert answer.json()["status"] == "COMPLETED"
    assert alice.get(job["url"]).json()["finished"] == job["finished"]


def test_cancel_refusals(api, insight):
    locked = _demo_job(insight, status="QUEUED", locked=True)
    queued = _demo_job(insight, status="QUEUED", locked=False)
    assert_error(api("alice").delete(locked["url"]), 403)
    assert_error(api("bob").delete(locked["url"]), 403)
    assert_error(api("rita").delete(queued["url"]), 403)
    assert_error(api("rita").delete("/api/jobs/" + MISSING), 403)
    assert_error(api("alice").delete("/api/jobs/" + MISSING), 404, "OPTI-Insight-Persistence-DocumentNotFound")
    assert api("alice").get(locked["url"]).json()["status"] == "QUEUED"
    assert api("alice").get(queued["url"]).json()["status"] == "QUEUED"


def test_jobs_of_a_private_scenario_are_redacted(api, insight):
    secret_job = _demo_job(insight, status="QUEUED", name="Secret plan")
    bob_view = api("bob").get(secret_job["url"]).json()
    assert bob_view["scenario"]["name"] == "Secret plan" and bob_view["name"] == "Secret plan"
    alice = api("alice")
    # Listed redacted; read on its own, the job does not exist for this user.
    assert_error(alice.get(secret_job["url"]), 404, "OPTI-Insight-Persistence-DocumentNotFound")
    listed = [j for j in _all_jobs(alice) if j["id"] == secret_job["id"]]
    assert len(listed) == 1
    redacted = listed[0]
    assert redacted["scenario"] is None and redacted["name"] is None
    assert redacted["status"] == "QUEUED" and redacted["id"] == secret_job["id"]
    assert "Secret plan" not in alice.get("/api/jobs", params={"size": 100}).text
    assert_error(alice.delete(secret_job["url"]), 403)


def test_message_file(api, insight):
    job = next(j for j in insight.state()["jobs"] if j["messages"])
    alice = api("alice")
    url = "%s/messages/%s/file" % (job["url"], job["messages"][0])
    answer = alice.get(url)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/vnd.com.fico.xpress.insight.v2+octet-stream"
    assert answer.content == b"route plan: depot A -> B -> C\n"
    assert_error(alice.get("%s/messages/%s/file" % (job["url"], MISSING)), 404)
    assert_error(alice.get("/api/jobs/%s/messages/%s/file" % (MISSING, job["messages"][0])), 404)
    assert_error(alice.get("%s/messages/bad/file" % job["url"]), 400)


def test_binary_message_from_a_seed(api, insight):
    seed = {"apps": [{"name": "A", "scenarios": [{"name": "S"}]}],
            "jobs": [{"id": MISSING, "scenario": "/A/S", "messages": [{"id": MISSING, "content_b64": "AAEC/w=="}]}]}
    insight.reset(seed)
    answer = api("alice").get("/api/jobs/%s/messages/%s/file" % (MISSING, MISSING))
    assert answer.content == b"\x00\x01\x02\xff"


def test_job_history_is_finite(api, insight):
    insight.reset(SEED)
    insight.config(job_history_limit=1)
    ann = api("ann")
    insight.clock("step", seconds=100)
    finished = _all_jobs(ann, includeFinished="true")
    assert [j["id"] for j in finished] == [JOB1.rsplit("/", 1)[1]]
    assert_error(ann.get(JOB2), 404)


def test_generated_jobs_spread_over_statuses(api, insight):
    insight.reset("demo", generate={"jobs": {"count": 300, "statuses": {"QUEUED": 50, "EXECUTING": 30, "COMPLETED": 20},
                                             "app": "Portfolio"}})
    state = insight.state()
    generated = [j for j in state["jobs"] if j["app"]["name"] == "Portfolio"]
    counts = {}
    for job in generated:
        counts[job["status"]] = counts.get(job["status"], 0) + 1
    assert counts["QUEUED"] >= 150 and counts["EXECUTING"] >= 90 and counts["COMPLETED"] >= 60
    assert len({j["scenario"]["id"] for j in generated}) == 2
    again = insight.reset("demo", generate={"jobs": {"count": 300, "statuses": {"QUEUED": 50, "EXECUTING": 30, "COMPLETED": 20},
                                                     "app": "Portfolio"}})
    assert again["counts"]["jobs"] == len(state["jobs"])
    assert [j["id"] for j in insight.state()["jobs"]] == [j["id"] for j in state["jobs"]]


def test_listed_views_follow_every_change(api, insight):
    """Listings reuse encoded job views; each listing still shows the job as a GET shows it at that moment."""
    insight.reset(SEED)
    insight.config(cancel_delay=10)
    ann = api("ann")

    def listed():
        return {j["id"]: j for j in _all_jobs(ann, includeFinished=True)}

    for step in ("listed", "cancelling", "cancelled"):
        if step == "cancelling":
            assert ann.delete(JOB1).status_code == 202
        if step == "cancelled":
            insight.clock("step", seconds=10)
        view = ann.get(JOB1).json()
        assert listed()[view["id"]] == view
        assert view["status"] == {"listed": "QUEUED", "cancelling": "CANCELLING", "cancelled": "CANCELLED"}[step]
