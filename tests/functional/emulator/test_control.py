"""The command line and the control API: printed lines, clean exit, seeds, generators, counters, state, log."""
from __future__ import annotations

import json
import signal

import requests

from insight_emulator.control import Control, EmulatorProcess

SEED_YAML = """
users:
  - {username: zed, name: Zed Zulu, role: full, client_id: zed-key, secret: zed-pass}
  - {username: ro, role: readonly}
apps:
  - name: Plant
    folders:
      - {name: Lines, scenarios: [{name: Line 1}]}
jobs:
  - {scenario: /Plant/Lines/Line 1, owner: zed, status: EXECUTING}
"""


def test_command_line_prints_url_users_and_exits_cleanly(tmp_path):
    seed = tmp_path / "seed.yml"
    seed.write_text(SEED_YAML, encoding="utf-8")
    process = EmulatorProcess(["--data", str(seed), "--paused"]).start()
    try:
        assert process.lines[0] == "url: " + process.url
        assert process.url.startswith("http://127.0.0.1:")
        assert set(process.users) == {"zed", "ro"}
        assert process.users["zed"]["client_id"] == "zed-key"
        token = Control(process.url, users=process.users).token("zed")
        answer = requests.get(process.url + "/api/jobs", headers={"Authorization": "Bearer " + token}, timeout=30)
        assert [j["scenario"]["name"] for j in answer.json()["content"]] == ["Line 1"]
        assert process.process is not None
        process.process.send_signal(signal.SIGINT)
        assert process.process.wait(20) == 0
    finally:
        process.stop()
    remaining = []
    while not process._queue.empty():  # pylint: disable=protected-access
        remaining.append(process._queue.get())  # pylint: disable=protected-access
    assert "user: zed full zed-key zed-pass" in remaining
    assert "user: ro readonly ro-id ro-secret" in remaining


def test_tls_prints_the_ca_and_sigterm_removes_it(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"users": [{"username": "solo"}]}), encoding="utf-8")
    process = EmulatorProcess(["--data", str(seed), "--tls"]).start()
    ca = process.ca
    assert process.lines[1] == "ca: " + ca
    assert process.url.startswith("https://")
    assert process.stop() == 0
    assert ca is not None and not __import__("os").path.exists(ca)


def test_bad_seed_fails_to_start(tmp_path):
    seed = tmp_path / "bad.yml"
    seed.write_text("apps: [{name: ' bad'}]\n", encoding="utf-8")
    process = EmulatorProcess(["--data", str(seed)])
    try:
        process.start()
    except RuntimeError as error:
        assert "white space" in str(error)
    else:
        raise AssertionError("the emulator started with a bad seed")


def test_counters_by_route_and_method(api, insight):
    alice = api("alice")
    insight.reset_counters()
    app = alice.lookup("/Logistics")
    reports = alice.lookup("/Logistics/Reports")
    alice.get(reports["url"])
    alice.get(reports["url"] + "/children")
    alice.post("/api/folders", json={"name": "N", "parent": {"id": app["id"], "objectType": "APP"}})
    alice.patch(reports["url"], json={"name": "R"})
    alice.get("/api/jobs")
    insight.state()
    counters = insight.counters()
    assert counters["by_route"] == {
        "GET /api/repository": 2, "GET /api/folders/{id}": 1, "GET /api/folders/{id}/children": 1,
        "POST /api/folders": 1, "PATCH /api/folders/{id}": 1, "GET /api/jobs": 1}
    assert counters["by_method"] == {"GET": 5, "POST": 1, "PATCH": 1}
    assert counters["total"] == 7 and counters["writes"] == 2
    api("bob")
    counters = insight.counters()
    assert counters["by_route"]["POST /api/authentication/token"] == 1 and counters["writes"] == 2
    assert insight.reset_counters()["total"] == 0


def test_state_dump(insight):
    state = insight.state()
    assert set(state) >= {"apps", "folders", "scenarios", "jobs", "users"}
    paths = [f["path"] for f in state["folders"]]
    assert "/Logistics/Bob private" in paths and "/Logistics/Reports/Weekly" in paths
    assert {u["username"]: u["role"] for u in state["users"]} == {"alice": "full", "bob": "full", "rita": "readonly"}
    assert sum(1 for j in state["jobs"] if j["locked"]) >= 1
    assert "secret" not in json.dumps(state["users"])


def test_seed_document_and_folder_generator(api, insight):
    insight.reset({"apps": [{"name": "Tree"}]}, generate={"folders": {"app": "Tree", "breadth": 3, "depth": 3, "scenarios": 1}})
    state = insight.state()
    assert len(state["folders"]) == 3 + 9 + 27
    assert len(state["scenarios"]) == 39
    assert set(insight.users) == {"alice", "rita"}
    first = [f["id"] for f in state["folders"]]
    insight.reset({"apps": [{"name": "Tree"}]}, generate={"folders": {"app": "Tree", "breadth": 3, "depth": 3, "scenarios": 1}})
    assert [f["id"] for f in insight.state()["folders"]] == first
    assert api("alice").lookup("/Tree/Folder 1-2/Folder 2-3/Folder 3-1/Scenario 1")["objectType"] == "SCENARIO"


def test_twin_apps_can_be_seeded_with_their_own_ids(insight):
    # Two apps may share a name on a real server: each twin keeps its own folders (ids made from its app id).
    one, two = "0a000000-0000-4000-8000-00000000000a", "0a000000-0000-4000-8000-00000000000b"
    insight.reset({"apps": [{"id": one, "name": "Twin", "folders": [{"name": "Old"}]},
                            {"id": two, "name": "Twin", "folders": [{"name": "Old"}, {"name": "Spare"}]}]})
    state = insight.state()
    by_app = sorted((f["app"]["id"], f["path"]) for f in state["folders"])
    assert by_app == [(one, "/Twin/Old"), (two, "/Twin/Old"), (two, "/Twin/Spare")]
    assert len({f["id"] for f in state["folders"]}) == 3
    try:
        insight.reset({"apps": [{"id": one, "name": "Twin"}, {"id": one, "name": "Twin"}]})
    except RuntimeError as error:
        assert ": 400 " in str(error) and "taken already" in str(error)
    else:
        raise AssertionError("accepted two apps with one id")


def test_twin_apps_and_jobs_on_their_scenarios_by_id(api, insight):
    twin, scenario = "7a000000-0000-4000-8000-0000000000b2", "7a000000-0000-4000-8000-0000000000c3"
    insight.reset({"apps": [{"name": "Logistics", "scenarios": [{"name": "Base case"}]},
                            {"name": "Logistics", "id": twin, "scenarios": [{"name": "Base case", "id": scenario}]}],
                   "jobs": [{"scenario": "/Logistics/Base case"}, {"scenario_id": scenario.upper()}]})
    state = insight.state()
    assert sorted(a["name"] for a in state["apps"]) == ["Logistics", "Logistics"]
    assert sorted(j["app"]["id"] for j in state["jobs"]) == sorted(a["id"] for a in state["apps"])
    assert [j["scenario"]["id"] for j in state["jobs"] if j["app"]["id"] == twin] == [scenario]
    # Twin apps without their own id would be one app: a seed error, as is a job on a scenario id that is not one.
    for bad in ({"apps": [{"name": "Logistics"}, {"name": "Logistics"}]},
                {"apps": [{"name": "A"}], "jobs": [{"scenario_id": twin}]}):
        try:
            insight.reset(bad)
        except RuntimeError as error:
            assert ": 400 " in str(error)
        else:
            raise AssertionError("accepted a bad seed")


def test_bad_control_calls_are_400(insight):
    for call in (lambda: insight.reset({"apps": [{"name": "A"}], "jobs": [{"scenario": "/A/none"}]}),
                 lambda: insight.config(colour=1), lambda: insight.config(page_size_cap=0),
                 lambda: insight.clock("rewind")):
        try:
            call()
        except RuntimeError as error:
            assert ": 400 " in str(error)
        else:
            raise AssertionError("accepted a bad control call")


def test_ids_are_deterministic_across_resets(api, insight):
    alice = api("alice")
    app = alice.lookup("/Logistics")
    first = alice.post("/api/folders", json={"name": "N", "parent": {"id": app["id"], "objectType": "APP"}}).json()["id"]
    insight.reset("demo")
    alice = api("alice")
    assert alice.lookup("/Logistics")["id"] == app["id"]
    again = alice.post("/api/folders", json={"name": "N", "parent": {"id": app["id"], "objectType": "APP"}}).json()["id"]
    assert again == first
