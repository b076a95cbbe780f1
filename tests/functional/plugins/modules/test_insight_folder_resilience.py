"""insight_folder under load and trouble: the call budget of a 100-folder tree, two playbooks racing, a sibling
appearing between lookup and create, and answers lost after the server acted."""

from __future__ import annotations

import math
import time

import folder_trees
from folder_helpers import USERS, api, finish, folder, paths, play, route, start_playbook, status, task, user_env, writes

CHILDREN = "GET /api/folders/{id}/children"
ROOT_CHILDREN = "GET /api/apps/{id}/children"
CREATE = "POST /api/folders"
PAGE_CAP = 3


def tree_paths(app="Planning"):
    """4 top folders, 3 below each, 7 below those: 100 folders, depth 3."""
    return folder_trees.tree_paths(app, ("Region", "Site", "Line"))


def tree_seed():
    folders = [{"name": "Region %d" % a, "folders": [
        {"name": "Site %d" % b, "folders": [{"name": "Line %d" % c} for c in range(1, 8)]} for b in range(1, 4)]}
        for a in range(1, 5)]
    return {"users": USERS, "apps": [{"name": "Planning", "folders": folders}, {"name": "Empty"}]}


def test_call_budget_of_a_100_folder_tree(insight, run_playbook):
    wanted = tree_paths()
    assert len(wanted) == 100
    insight.reset(tree_seed())
    insight.config(page_size_cap=PAGE_CAP)  # small pages, so paging is part of what is counted
    book = play(task("tree", path=wanted))
    converge = run_playbook(book)
    assert converge.rc == 0, converge
    assert status(converge, "tree") == "ok" and converge.task("tree")["created"] == []
    counters = insight.counters()
    assert writes(counters) == 0
    # One listing per parent, every page of it: the app root (4 children), 4 regions (3 each), 12 sites (7 each).
    assert route(counters, ROOT_CHILDREN) == math.ceil(4 / PAGE_CAP)
    assert route(counters, CHILDREN) == 4 * math.ceil(3 / PAGE_CAP) + 12 * math.ceil(7 / PAGE_CAP)
    assert route(counters, "GET /api/folders/{id}") == 0 and route(counters, "GET /api/repository") == 0

    # The same tree in an empty app: one POST per folder, and no listing of a folder this run created.
    created = [p.replace("/Planning/", "/Empty/") for p in wanted]
    insight.reset_counters()
    make = run_playbook(play(task("tree", path=created)))
    assert make.rc == 0, make
    assert sorted(make.task("tree")["created"]) == sorted(created)
    counters = insight.counters()
    assert route(counters, CREATE) == 100 and writes(counters) == 100
    assert route(counters, CHILDREN) == 0 and route(counters, ROOT_CHILDREN) == 1
    assert paths(insight, "Empty") == sorted(created)
    insight.reset_counters()
    again = run_playbook(play(task("tree", path=created)))
    assert status(again, "tree") == "ok" and writes(insight.counters()) == 0


def test_two_playbooks_racing_make_one_folder_per_path(insight, collection_root, tmp_path):
    wanted = ["/Logistics/Race/Team %d/Desk %d" % (a, b) for a in range(1, 4) for b in range(1, 4)]
    book = play(task("race", path=wanted))
    procs = [start_playbook(collection_root, tmp_path, "racer-%d" % n, book, user_env(insight, user))
             for n, user in enumerate(("alice", "bob"))]
    results = [finish(proc, tmp_path, "racer-%d" % n) for n, proc in enumerate(procs)]
    expected = sorted(["/Logistics/Race"] + ["/Logistics/Race/Team %d" % a for a in range(1, 4)] + wanted)
    assert paths(insight, "Logistics/Race") == expected[1:]
    assert [p for p in paths(insight) if p == "/Logistics/Race"] == ["/Logistics/Race"]
    assert not [p for p in paths(insight) if p.endswith(")")]
    # Between them the two runs created every folder once.
    made = sorted(p for entries in results for entry in entries for p in entry["result"]["created"])
    assert made == expected


def test_sibling_appearing_between_lookup_and_create(insight, collection_root, tmp_path):
    # The module's POST waits 3 s on the server before it is applied; meanwhile bob creates the same folder.
    insight.faults({"route": CREATE, "kind": "latency", "delay": 3, "count": 1})
    proc = start_playbook(collection_root, tmp_path, "slow", play(task("create", path="/Logistics/Reports/Fresh")),
                          user_env(insight, "alice"))
    deadline = time.monotonic() + 60
    while route(insight.counters(), CREATE) == 0:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    reports = folder(insight, "/Logistics/Reports")
    theirs = api(insight, "bob", "POST", "/api/folders", {"name": "Fresh", "parent": {"id": reports["id"], "objectType": "FOLDER"}})
    entries = finish(proc, tmp_path, "slow")
    result = entries[0]["result"]
    assert result["folder"]["id"] == theirs["id"] and result["changed"] is False and result["created"] == []
    assert any("removed the duplicate 'Fresh (1)'" in w for w in result["warnings"])
    assert [p for p in paths(insight) if p.startswith("/Logistics/Reports/Fresh")] == ["/Logistics/Reports/Fresh"]
    counters = insight.counters()
    assert route(counters, CREATE) == 2 and route(counters, "DELETE /api/folders/{id}") == 1


def test_lost_answers_converge_without_duplicates(insight, run_playbook):
    weekly = folder(insight, "/Logistics/Reports/Weekly")
    insight.faults(
        {"route": CREATE, "kind": "drop", "when": "after", "count": 1},
        {"route": "PATCH /api/folders/{id}", "kind": "drop", "when": "after", "count": 1},
        {"route": "POST /api/apps/{id}/children", "kind": "status", "status": 503, "when": "after", "count": 1},
        {"route": "DELETE /api/folders/{id}", "kind": "drop", "when": "after", "count": 1},
    )
    book = play(task("create", path=["/Logistics/Lost/Found", "/Logistics/Lost/Also"]),
                task("update", path="/Logistics/Archive/2023", share_status="READONLY"),
                task("move", id=weekly["id"], state="moved", dest="/Logistics"),
                task("delete", path="/Portfolio/Shared", state="absent", force=True))
    first = run_playbook(book, env={"INSIGHT_RETRIES": "2"})
    assert first.rc == 0, first
    assert first.task("create")["created"] == ["/Logistics/Lost", "/Logistics/Lost/Found", "/Logistics/Lost/Also"]
    assert first.task("update")["updated"] == ["/Logistics/Archive/2023"]
    assert first.task("move")["moved"] == ["/Logistics/Reports/Weekly"]
    assert first.task("delete")["deleted"] == ["/Portfolio/Shared"]
    fired = [e for e in insight.log() if e.get("fault")]
    assert len(fired) == 4
    on_server = paths(insight)
    assert [p for p in on_server if p.startswith("/Logistics/Lost")] == ["/Logistics/Lost", "/Logistics/Lost/Also",
                                                                         "/Logistics/Lost/Found"]
    assert folder(insight, "/Logistics/Weekly")["id"] == weekly["id"]
    assert folder(insight, "/Logistics/Archive/2023")["shareStatus"] == "READONLY"
    assert "/Portfolio/Shared" not in on_server
    counters = insight.counters()
    # The lost create was resolved by reading the parent again, not by posting twice.
    assert route(counters, CREATE) == 3

    insight.reset_counters()
    second = run_playbook(book)
    assert [status(second, n) for n in ("create", "update", "move", "delete")] == ["ok"] * 4
    assert writes(insight.counters()) == 0
