"""Scenarios over raw HTTP: GET /api/scenarios/{id}, moves into a folder and to the app root with the reference's
answers (200 with the moved scenario; 403, 404, 422 with the envelope), and twin scenario names in seeds."""
from __future__ import annotations

import pytest

from conftest import JSON_TYPE, assert_error
from insight_emulator.control import Control

NOT_FOUND = "OPTI-Insight-Persistence-DocumentNotFound"
MISSING = "00000000-0000-4000-8000-000000000000"


def _move(session, container, item, kind="SCENARIO"):
    return session.post(container["url"] + "/children", json={"id": item["id"], "objectType": kind})


def test_get_a_scenario_by_id(api):
    alice = api("alice")
    base = alice.lookup("/Logistics/Reports/Base case")
    answer = alice.get(base["url"])
    assert answer.status_code == 200 and answer.headers["Content-Type"] == JSON_TYPE
    assert answer.json() == base
    assert base["url"] == "/api/scenarios/" + base["id"]
    assert_error(alice.get("/api/scenarios/" + MISSING), 404, NOT_FOUND)
    # A folder's id is not a scenario's.
    assert_error(alice.get("/api/scenarios/" + alice.lookup("/Logistics/Reports")["id"]), 404, NOT_FOUND)
    assert_error(alice.get("/api/scenarios/not-a-uuid"), 400, target="id")
    secret = api("bob").lookup("/Logistics/Bob private/Secret plan")
    assert_error(alice.get(secret["url"]), 404, NOT_FOUND)
    assert api("bob").get(secret["url"]).status_code == 200
    answer = alice.delete(base["url"])
    assert answer.status_code == 405 and "GET" in answer.headers["Allow"]


def test_move_a_scenario_into_a_folder_and_to_the_app_root(api, insight):
    alice = api("alice")
    app = alice.lookup("/Logistics")
    archive = alice.lookup("/Logistics/Archive/2023")
    base = alice.lookup("/Logistics/Reports/Base case")
    insight.reset_counters()
    answer = _move(alice, archive, base)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == JSON_TYPE
    moved = answer.json()
    assert moved["id"] == base["id"] and moved["objectType"] == "SCENARIO"
    assert moved["path"] == "/Logistics/Archive/2023/Base case"
    assert moved["parent"]["id"] == archive["id"] and moved["parent"]["objectType"] == "FOLDER"
    assert alice.get(base["url"]).json() == moved
    again = _move(alice, archive, base)  # already there: the same answer, nothing changes
    assert again.status_code == 200 and again.json() == moved
    answer = _move(alice, app, base)
    assert answer.status_code == 200
    assert answer.json()["path"] == "/Logistics/Base case" and answer.json()["parent"]["objectType"] == "APP"
    assert [c["name"] for c in alice.get(app["url"] + "/children").json()["content"]].count("Base case") == 1
    counters = insight.counters()
    assert counters["by_route"]["POST /api/folders/{id}/children"] == 2
    assert counters["by_route"]["POST /api/apps/{id}/children"] == 1


def test_scenario_moves_refused_with_the_reference_codes(api, insight):
    alice = api("alice")
    bob = api("bob")
    rita = api("rita")
    app = alice.lookup("/Logistics")
    reports = alice.lookup("/Logistics/Reports")
    archive = alice.lookup("/Logistics/Archive")
    models = alice.lookup("/Portfolio/Models")
    portfolio = alice.lookup("/Portfolio")
    base = alice.lookup("/Logistics/Reports/Base case")
    sandbox = alice.lookup("/Logistics/Sandbox")
    secret = bob.lookup("/Logistics/Bob private/Secret plan")
    before = insight.state()["scenarios"]
    # 404: an unknown scenario, a folder sent as a scenario, another user's PRIVATE scenario, an unknown parent.
    assert_error(alice.post(reports["url"] + "/children", json={"id": MISSING, "objectType": "SCENARIO"}), 404, NOT_FOUND)
    assert_error(_move(alice, app, reports), 404, NOT_FOUND)
    assert_error(_move(alice, reports, secret), 404)
    assert_error(alice.post("/api/folders/%s/children" % MISSING, json={"id": base["id"], "objectType": "SCENARIO"}), 404)
    assert_error(alice.post("/api/apps/%s/children" % MISSING, json={"id": base["id"], "objectType": "SCENARIO"}), 404)
    # A scenario is not a parent.
    assert_error(alice.post("/api/folders/%s/children" % sandbox["id"], json={"id": base["id"], "objectType": "SCENARIO"}), 404)
    # 422: another app (into a folder or to that app's root), an objectType that cannot move, a malformed id.
    assert_error(_move(alice, models, base), 422, target="id")
    assert_error(_move(alice, portfolio, base), 422, target="id")
    assert_error(_move(alice, reports, base, kind="APP"), 422, target="objectType")
    assert_error(alice.post(reports["url"] + "/children", json={"id": "nope", "objectType": "SCENARIO"}), 422, target="id")
    # 403: a read-only user; a READONLY folder of another user as the destination.
    assert_error(_move(rita, archive, base), 403)
    assert_error(_move(rita, app, base), 403)
    assert_error(_move(bob, archive, sandbox), 403)
    assert insight.state()["scenarios"] == before


def test_a_busy_scenario_is_locked_with_lock_busy(api, insight):
    alice = api("alice")
    base = alice.lookup("/Logistics/Reports/Base case")  # has QUEUED jobs in the demo data
    insight.config(lock_busy=True)
    assert_error(_move(alice, alice.lookup("/Logistics"), base), 423)
    insight.config(lock_busy=False)
    assert _move(alice, alice.lookup("/Logistics"), base).status_code == 200


def test_moving_into_a_folder_that_holds_the_name_suffixes_it(api):
    alice = api("alice")
    base = alice.lookup("/Logistics/Reports/Base case")
    archive = alice.lookup("/Logistics/Archive")
    made = alice.post("/api/folders", json={"name": "Base case", "parent": {"id": archive["id"], "objectType": "FOLDER"}})
    assert made.status_code == 201
    answer = _move(alice, alice.lookup("/Logistics/Archive"), base)
    assert answer.status_code == 200 and answer.json()["name"] == "Base case (1)"


def test_twin_scenarios_in_a_seed(insight: Control, api):
    insight.reset({"apps": [{"name": "App", "folders": [
        {"name": "F", "scenarios": [{"name": "Plan"}, {"name": "Plan", "twin": True}]}]}]})
    twins = [s for s in insight.state()["scenarios"] if s["path"] == "/App/F/Plan"]
    assert len(twins) == 2 and twins[0]["id"] != twins[1]["id"]
    alice = api("alice")
    listed = alice.get(alice.lookup("/App/F")["url"] + "/children").json()["content"]
    assert sorted(i["id"] for i in listed) == sorted(t["id"] for t in twins)
    # Without `twin`, a sibling of the same name is still a seed error; folders can never be twins.
    with pytest.raises(RuntimeError, match="a sibling already has this name"):
        insight.reset({"apps": [{"name": "App", "scenarios": [{"name": "Plan"}, {"name": "Plan"}]}]})
    with pytest.raises(RuntimeError, match="a sibling already has this name"):
        insight.reset({"apps": [{"name": "App", "folders": [{"name": "F"}, {"name": "F", "twin": True}]}]})
