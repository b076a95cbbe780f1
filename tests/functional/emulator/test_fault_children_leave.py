"""The move_children / remove_children faults: folder children leave a listing right after a matching request."""
from __future__ import annotations

import pytest
import requests

SEED = {
    "users": [{"username": "alice", "role": "full"}],
    "apps": [{"name": "Logistics", "folders": [
        {"name": "Box", "folders": [{"name": "A"}, {"name": "B", "folders": [{"name": "deep"}]}, {"name": "C"}],
         "scenarios": [{"name": "D plan"}]},
        {"name": "Other"},
    ]}],
}


def _ids(insight):
    state = insight.state()
    return {f["path"]: f["id"] for f in state["folders"]}, state


def _names(alice, folder_id, **params):
    answer = alice.get("/api/folders/%s/children" % folder_id, params=params)
    assert answer.status_code == 200
    return [item["name"] for item in answer.json()["content"]]


def test_move_children_moves_the_first_children_to_the_parent_after_the_answer(api, insight):
    insight.reset(SEED)
    ids, _state = _ids(insight)
    alice = api("alice")
    box = ids["/Logistics/Box"]
    insight.faults({"route": "GET /api/folders/{id}/children", "kind": "move_children", "children": 2,
                    "target": box, "count": 1})
    # A listing of another folder does not match the target; the first of Box is answered in full, then A and B move.
    assert _names(alice, ids["/Logistics/Other"]) == []
    assert _names(alice, box, size=2) == ["A", "B"]
    assert _names(alice, box, size=2) == ["C", "D plan"]
    paths = {f["path"] for f in insight.state()["folders"]}
    assert {"/Logistics/A", "/Logistics/B", "/Logistics/B/deep"} <= paths
    rules = requests.get(insight.url + "/_emulator/faults", timeout=30).json()["rules"]
    assert [(r["fired"], r["remaining"]) for r in rules] == [(1, 0)]


def test_remove_children_of_a_named_container_after_another_request(api, insight):
    insight.reset(SEED)
    ids, _state = _ids(insight)
    alice = api("alice")
    box = ids["/Logistics/Box"]
    # Matching the folder's own GET, the children of its child B leave: B's listing changes, Box's does not.
    insight.faults({"route": "GET /api/folders/{id}", "kind": "remove_children", "target": box,
                    "container": ids["/Logistics/Box/B"], "count": 1})
    assert alice.get("/api/folders/" + box).status_code == 200
    assert _names(alice, ids["/Logistics/Box/B"]) == []
    assert _names(alice, box) == ["A", "B", "C", "D plan"]
    assert "/Logistics/Box/B/deep" not in {f["path"] for f in insight.state()["folders"]}


def test_move_children_of_an_app_root_changes_nothing(api, insight):
    insight.reset(SEED)
    _ids_by_path, state = _ids(insight)
    alice = api("alice")
    app = state["apps"][0]["id"]
    insight.faults({"route": "GET /api/apps/{id}/children", "kind": "move_children", "count": 1})
    first = [i["name"] for i in alice.get("/api/apps/%s/children" % app).json()["content"]]
    assert first == [i["name"] for i in alice.get("/api/apps/%s/children" % app).json()["content"]] == ["Box", "Other"]


def test_bad_children_count_is_refused(insight):
    with pytest.raises(RuntimeError, match="fault children must be 1 or more"):
        insight.faults({"route": "GET /api/folders/{id}/children", "kind": "move_children", "children": 0})
