"""Faults on the wire: overload answers on every route, answers lost after the server acted, connections dropped
mid-answer, stalls beyond the timeout, expiring tokens and proxies answering HTML. Every test asserts the final
server state, read through the emulator's control API."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from reliability_helpers import (EXECUTING_OPS, FOLDER, INVENTORY, JOB_CANCEL, JOB_INFO, QUEUED_OPS, failed_line,
                                 folder_paths, job_statuses, longest_fault_streak, ops_queued, play, status, task,
                                 tree_paths, user_env)

TREE = tree_paths()
CANCEL_OPS = dict(app="Ops", status=["QUEUED"], max_jobs=0, parallel=8)


def provision_and_cancel() -> Dict[str, Any]:
    return play(task("tree", FOLDER, path=TREE), task("cancel", JOB_CANCEL, **CANCEL_OPS))


def inventory_config(**extra: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {"plugin": INVENTORY, "parallel": 4}
    out.update(extra)
    return out


def outcome(plant: Any) -> Dict[str, Any]:
    """The part of the server state these runs change: folder paths and every job's status."""
    return {"folders": folder_paths(plant), "jobs": job_statuses(plant)}


# -- each call retried at most as configured -------------------------------------------------------------------

RETRY_CASES = [
    ("GET /api/jobs", lambda c, ids: c.get("/api/jobs")),
    ("PATCH /api/folders/{id}", lambda c, ids: c.patch("/api/folders/{}", ids["folder"], json_body={"shareStatus": "READONLY"})),
    ("DELETE /api/folders/{id}", lambda c, ids: c.delete("/api/folders/{}", ids["folder"])),
    ("DELETE /api/jobs/{id}", lambda c, ids: c.delete("/api/jobs/{}", ids["job"])),
    ("POST /api/folders", lambda c, ids: c.post_or_recover("/api/folders", json_body={
        "name": "Fresh", "parent": {"id": ids["app"], "objectType": "APP"}}, recover=lambda: None)),
    ("POST /api/authentication/token", lambda c, ids: c.get("/api/apps")),
]


RETRIES = 2
# What makes the attempts: overload answers, bodies cut short, and a 401 that renews the token before them.
# Each failure list is one fault more than the retries allow; the call must stop after retries + 1 attempts.
FAILURES = {
    "overload": ([{"status": 429, "retry_after": 0}], "429"),
    "mid-body drop": ([{"kind": "drop", "partial": True}], "after 2 retries"),
    "mid-body drop then overload": ([{"kind": "drop", "partial": True, "count": 1},
                                     {"status": 503, "retry_after": 0, "count": RETRIES}], "503"),
    "401 then overload": ([{"status": 401, "count": 1}, {"status": 429, "retry_after": 0, "count": RETRIES}], "429"),
}
# A 401 on the token route itself is final (there is no token to renew), and a POST cut mid-answer is
# an unknown outcome handled by post_or_recover, which counts the same way.
RETRY_MATRIX = [(route, call, failure) for route, call in RETRY_CASES for failure in FAILURES
                if not (failure == "401 then overload" and route == "POST /api/authentication/token")]


@pytest.mark.parametrize("route,call,failure", RETRY_MATRIX,
                         ids=["%s-%s" % (case[0], case[2]) for case in RETRY_MATRIX])
def test_each_call_is_retried_at_most_as_configured(plant, make_client, route, call, failure):
    state = plant.state()
    ids = {"folder": next(f["id"] for f in state["folders"] if f["path"] == "/Logistics/Scratch"),
           "job": ops_queued(plant)[0], "app": next(a["id"] for a in state["apps"] if a["name"] == "Plant")}
    retries = RETRIES
    faults, expected = FAILURES[failure]
    # One fault more than the retries: the call fails, after exactly retries + 1 attempts in all.
    client = make_client(retries=retries)
    if route != "POST /api/authentication/token":
        client.get("/api/authentication/current-user")  # the token first: a 401 renews it
    plant.faults(*[dict({"route": route, "count": retries + 1}, **fault) for fault in faults])
    with pytest.raises(Exception) as info:
        call(client, ids)
    message = str(info.value)
    assert "\n" not in message
    if route != "POST /api/folders":  # post_or_recover reports the last answer, not the inner attempts
        assert expected in message, message
    assert plant.counters()["by_route"][route] == retries + 1
    assert "/Logistics/Scratch" in folder_paths(plant)
    assert job_statuses(plant)[ids["job"]] == "QUEUED"
    # As many faults as retries: the call gets through on its last attempt.
    plant.clear_faults()
    plant.reset_counters()
    plant.faults({"route": route, "status": 503, "retry_after": 0, "count": retries})
    call(make_client(retries=retries), ids)
    assert plant.counters()["by_route"][route] == retries + 1


# -- 20 % overload answers on every route ----------------------------------------------------------------------

@pytest.mark.slow
def test_overload_on_every_route_ends_like_the_fault_free_run(plant, run_playbook, run_inventory):
    retries = 5
    env = user_env(plant, "alice", INSIGHT_RETRIES=str(retries))
    plant.config(page_size_cap=40)  # several pages of jobs, so paging is faulted too

    def one_run() -> Dict[str, Any]:
        listing = run_inventory(inventory_config(), env=env)
        book = run_playbook(provision_and_cancel(), env=env)
        assert book.rc == 0, book
        assert sorted(book.task("tree")["created"]) == sorted(TREE)
        assert sorted(book.task("cancel")["cancelled"]) == sorted(selected)
        return {"hosts": sorted(listing["insight_jobs"]["hosts"]), "server": outcome(plant)}

    selected = ops_queued(plant)
    assert len(selected) == QUEUED_OPS
    clean = one_run()
    assert len(clean["hosts"]) == QUEUED_OPS + EXECUTING_OPS + 3

    plant.reset(plant_seed())
    plant.config(page_size_cap=40)
    plant.faults({"route": "*", "status": 503, "retry_after": 1, "rate": 0.1, "seed": 11},
                 {"route": "*", "status": 429, "retry_after": 1, "rate": 0.1, "seed": 12})
    faulted = one_run()
    assert faulted == clean
    log = plant.log()
    fired = [entry for entry in log if entry.get("fault")]
    assert {entry["status"] for entry in fired} == {429, 503}
    assert len(fired) >= 0.1 * len(log)
    assert longest_fault_streak(log) <= retries
    assert not [p for p in folder_paths(plant) if p.endswith(")")]


def plant_seed() -> Dict[str, Any]:
    from reliability_helpers import seed  # pylint: disable=import-outside-toplevel

    return seed()


# -- answers lost after the server acted ---------------------------------------------------------------------------

LOST = [
    {"route": "POST /api/folders", "kind": "drop", "when": "after", "count": 1},
    {"route": "PATCH /api/folders/{id}", "kind": "drop", "when": "after", "count": 1},
    {"route": "POST /api/apps/{id}/children", "status": 503, "when": "after", "count": 1},
    {"route": "DELETE /api/folders/{id}", "kind": "drop", "when": "after", "count": 1},
    {"route": "DELETE /api/jobs/{id}", "kind": "drop", "when": "after", "count": 3},
    {"route": "DELETE /api/jobs/{id}", "status": 503, "when": "after", "count": 2},
]


def lost_answer_book() -> Dict[str, Any]:
    return play(task("create", FOLDER, ignore=True, path=["/Plant/Area 1/Unit 1", "/Plant/Area 2"]),
                task("update", FOLDER, ignore=True, path="/Logistics/Reports", share_status="READONLY"),
                task("move", FOLDER, ignore=True, path="/Logistics/Reports/Weekly", state="moved", dest="/Logistics"),
                task("delete", FOLDER, ignore=True, path="/Logistics/Scratch", state="absent", force=True),
                task("cancel", JOB_CANCEL, ignore=True, **CANCEL_OPS))


def test_lost_answers_converge_on_the_next_run(plant, run_playbook):
    before = job_statuses(plant)
    selected = set(ops_queued(plant))
    plant.faults(*LOST)
    # No retries at all: every lost answer fails its task, and the next run must sort it out.
    first = run_playbook(lost_answer_book(), env=user_env(plant, "alice", INSIGHT_RETRIES="0"))
    assert len([e for e in plant.log() if e.get("fault")]) == 9
    failed_line(first, "create", "POST /api/folders: the connection closed before the answer")
    failed_line(first, "update", "PATCH /api/folders/")
    failed_line(first, "move", "POST /api/apps/")
    failed_line(first, "delete", "DELETE /api/folders/")
    assert "could not cancel 5 job(s)" in failed_line(first, "cancel", "DELETE /api/jobs/")

    plant.clear_faults()
    second = run_playbook(lost_answer_book(), env=user_env(plant, "alice"))
    assert [status(second, n) for n in ("create", "update", "move", "delete", "cancel")] == ["ok"] * 5, second
    expected = ["/Logistics/Bob private", "/Logistics/Reports", "/Logistics/Weekly", "/Plant/Area 1",
                "/Plant/Area 1/Unit 1", "/Plant/Area 2"]
    assert folder_paths(plant) == expected  # no duplicate, no suffix
    after = job_statuses(plant)
    changed = {job_id for job_id in before if after[job_id] != before[job_id]}
    assert changed == selected  # every selected job cancelled, nothing else touched
    assert {after[job_id] for job_id in selected} <= {"CANCELLING", "CANCELLED"}

    plant.reset_counters()
    third = run_playbook(lost_answer_book(), env=user_env(plant, "alice"))
    assert not any(third.task(n)["changed"] for n in ("create", "update", "move", "delete", "cancel")), third
    assert plant.counters()["writes"] == 0


# -- dropped connections, stalls, expiring tokens, proxies --------------------------------------------------------

def test_connection_dropped_mid_answer_is_retried_and_then_named(plant, run_playbook, run_inventory):
    env = user_env(plant, "alice")
    plant.faults({"route": "GET /api/jobs", "kind": "drop", "partial": True, "count": 2},
                 {"route": "GET /api/apps/{id}/children", "kind": "drop", "partial": True, "count": 2})
    book = play(task("jobs", JOB_INFO, app="Ops"), task("tree", FOLDER, path=TREE[:10]))
    result = run_playbook(book, env=env)
    assert result.rc == 0, result
    assert len(result.task("jobs")["jobs"]) == QUEUED_OPS + EXECUTING_OPS
    assert folder_paths(plant, "/Plant/") == sorted(TREE[:10])
    assert [e["fault"] for e in plant.log() if e.get("fault")] == ["drop"] * 4

    plant.faults({"route": "GET /api/jobs", "kind": "drop", "partial": True, "count": 20})
    broken = run_playbook(play(task("jobs", JOB_INFO, ignore=True)), env=dict(env, INSIGHT_RETRIES="1"))
    msg = failed_line(broken, "jobs", "GET /api/jobs: the connection broke in the middle of the answer")
    assert "after 1 retry" in msg
    proc = run_inventory(inventory_config(retries=1), raw=True, env=dict(env, ANSIBLE_INVENTORY_UNPARSED_FAILED="true"))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "GET /api/jobs: the connection broke in the middle of the answer" in proc.stderr


def test_stall_beyond_timeout_names_the_call_and_a_rerun_converges(plant, run_playbook):
    env = user_env(plant, "alice", INSIGHT_TIMEOUT="1", INSIGHT_RETRIES="1")
    plant.faults({"route": "GET /api/apps/{id}/children", "kind": "latency", "delay": 2.0, "count": 2})
    book = play(task("tree", FOLDER, ignore=True, path=TREE[:5]))
    first = run_playbook(book, env=env)
    msg = failed_line(first, "tree", "GET /api/apps/")
    assert "no answer within the 1s timeout, after 1 retry" in msg
    assert folder_paths(plant, "/Plant/") == []
    again = run_playbook(book, env=env)
    assert status(again, "tree") == "ok" and folder_paths(plant, "/Plant/") == sorted(TREE[:5])


def test_stalled_create_is_not_sent_twice_and_a_rerun_converges(plant, run_playbook):
    # The server applies the create after the client stopped waiting for it: posting again would make a duplicate.
    env = user_env(plant, "alice", INSIGHT_TIMEOUT="1")
    plant.faults({"route": "POST /api/folders", "kind": "latency", "delay": 2.0, "count": 1})
    book = play(task("one", FOLDER, ignore=True, path="/Plant/Area 1"))
    first = run_playbook(book, env=env)
    msg = failed_line(first, "one", "POST /api/folders: no answer within the 1s timeout")
    assert "not sent again" in msg
    assert plant.counters()["by_route"]["POST /api/folders"] == 1
    again = run_playbook(book, env=user_env(plant, "alice"))
    assert status(again, "one") == "ok" and again.task("one")["changed"] is False, again
    assert folder_paths(plant, "/Plant/") == ["/Plant/Area 1"]


def test_tokens_expiring_between_calls_and_mid_run_fail_no_task(plant, run_playbook, run_inventory):
    env = user_env(plant, "alice")
    # Between calls: every token dies after a second and some pages take 0.6 s, so one task outlives its token.
    plant.config(token_lifetime=1, page_size_cap=50)
    plant.faults({"route": "GET /api/jobs", "kind": "latency", "delay": 0.6, "count": 6})
    listing = run_inventory(inventory_config(parallel=1), env=env)
    info = run_playbook(play(task("jobs", JOB_INFO, app="Ops")), env=env)
    assert info.rc == 0, info
    assert len(info.task("jobs")["jobs"]) == QUEUED_OPS + EXECUTING_OPS
    assert len(listing["insight_jobs"]["hosts"]) == QUEUED_OPS + EXECUTING_OPS + 3
    assert any(entry["status"] == 401 for entry in plant.log())

    # Mid-run: tokens live one second, so the tokens of a longer run expire while it creates folders and cancels jobs.
    plant.clear_faults()
    plant.config(token_lifetime=1)
    # Creates take 50 ms each, so provisioning the tree lasts several token lifetimes.
    plant.faults({"route": "POST /api/folders", "kind": "latency", "delay": 0.05, "count": 1000})
    plant.reset_counters()
    result = run_playbook(provision_and_cancel(), env=env)
    assert result.rc == 0, result
    assert sorted(result.task("tree")["created"]) == sorted(TREE) and folder_paths(plant, "/Plant/") == sorted(TREE)
    assert len(result.task("cancel")["cancelled"]) == QUEUED_OPS and ops_queued(plant) == []
    assert plant.counters()["by_route"]["POST /api/authentication/token"] > 2


@pytest.mark.parametrize("body,fragment", [("html", "(text/html): <html>"), ("empty", "empty body")])
def test_proxy_answering_502_is_one_clear_line(plant, run_playbook, run_inventory, body, fragment):
    env = user_env(plant, "alice", INSIGHT_RETRIES="1")
    plant.faults({"route": "*", "status": 502, "body": body, "count": 1000})
    result = run_playbook(play(task("jobs", JOB_INFO, ignore=True), task("tree", FOLDER, ignore=True, path=TREE[0]),
                               task("cancel", JOB_CANCEL, ignore=True, app="Ops")), env=env)
    for name in ("jobs", "tree", "cancel"):
        msg = failed_line(result, name, "502 Bad Gateway: no Insight error envelope")
        assert fragment in msg
    assert "Traceback" not in result.stdout + result.stderr
    proc = run_inventory(inventory_config(), raw=True, env=dict(env, ANSIBLE_INVENTORY_UNPARSED_FAILED="true"))
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "502 Bad Gateway: no Insight error envelope" in proc.stderr
    plant.clear_faults()
    assert folder_paths(plant, "/Plant/") == [] and len(ops_queued(plant)) == QUEUED_OPS
