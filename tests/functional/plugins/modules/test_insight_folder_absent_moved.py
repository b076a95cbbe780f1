"""insight_folder state=absent and state=moved through real ansible-playbook runs, each run twice."""

from __future__ import annotations

from folder_helpers import folder, paths, play, route, status, task, writes


def test_absent_refuses_non_empty_without_force_then_deletes(insight, run_playbook):
    refused = run_playbook(play(task("guarded", _ignore=True, path="/Logistics/Reports", state="absent")))
    assert status(refused, "guarded") == "failed"
    msg = refused.task("guarded")["msg"]
    assert "/Logistics/Reports holds 1 folder(s) and 3 scenario(s)" in msg and "force: true" in msg
    assert "/Logistics/Reports/Weekly" in paths(insight)

    # /Portfolio/Shared is FULLACCESS: empty to alice, but only force deletes what others may have hidden in it.
    book = play(task("empty", path=["/Portfolio/Shared", "/Portfolio/Never"], state="absent", force=True),
                task("forced", path="/Logistics/Reports", state="absent", force=True),
                task("gone with parent", path=["/Logistics/Archive", "/Logistics/Archive/2023"], state="absent",
                     force=True))
    first = run_playbook(book, diff=True)
    assert first.rc == 0, first
    empty = first.task("empty")
    assert empty["deleted"] == ["/Portfolio/Shared"] and empty["folders"][1] is None
    assert empty["folders"][0]["path"] == "/Portfolio/Shared"
    assert empty["diff"][0]["after"] == {} and empty["diff"][0]["before"]["path"] == "/Portfolio/Shared"
    # `deleted` lists the folders the task named; Weekly went with Reports but is not listed.
    assert first.task("forced")["deleted"] == ["/Logistics/Reports"]
    assert first.task("gone with parent")["deleted"] == ["/Logistics/Archive", "/Logistics/Archive/2023"]
    left = paths(insight)
    assert not [p for p in left if p.startswith(("/Logistics/Reports", "/Logistics/Archive", "/Portfolio/Shared"))]
    named = [p for name in ("empty", "forced", "gone with parent") for p in first.task(name)["deleted"]]
    assert "/Logistics/Reports/Weekly" not in named
    assert not [s for s in insight.state()["scenarios"] if s["path"].startswith("/Logistics/Reports/")]

    insight.reset_counters()
    second = run_playbook(book)
    assert [status(second, n) for n in ("empty", "forced", "gone with parent")] == ["ok", "ok", "ok"]
    assert second.task("forced")["folder"] is None
    assert writes(insight.counters()) == 0


def test_absent_by_id_and_check_mode(insight, run_playbook):
    shared = folder(insight, "/Portfolio/Shared")
    book = play(task("by id", id=shared["id"], state="absent", force=True))
    checked = run_playbook(book, check=True)
    assert checked.task("by id")["deleted"] == ["/Portfolio/Shared"] and "/Portfolio/Shared" in paths(insight)
    first = run_playbook(book)
    assert first.task("by id")["deleted"] == ["/Portfolio/Shared"] and "/Portfolio/Shared" not in paths(insight)
    insight.reset_counters()
    second = run_playbook(book)
    assert status(second, "by id") == "ok" and writes(insight.counters()) == 0


def test_moved_to_folder_and_app_root(insight, run_playbook):
    weekly = folder(insight, "/Logistics/Reports/Weekly")
    archive = folder(insight, "/Logistics/Archive")
    book = play(task("to root", path="/Logistics/Reports/Weekly", state="moved", dest="/Logistics"),
                task("by id", id=archive["id"], state="moved", dest="/Logistics/Reports"))
    checked = run_playbook(book, check=True, diff=True)
    assert checked.rc == 0, checked
    assert checked.task("to root")["moved"] == ["/Logistics/Reports/Weekly"]
    assert checked.task("to root")["folder"]["path"] == "/Logistics/Weekly"
    assert checked.task("to root")["diff"][0]["after"]["parent"] == "/Logistics"
    assert folder(insight, "/Logistics/Reports/Weekly")["id"] == weekly["id"]

    insight.reset_counters()
    first = run_playbook(book, diff=True)
    assert first.rc == 0, first
    moved = first.task("to root")
    assert moved["moved"] == ["/Logistics/Reports/Weekly"] and moved["folder"]["parent"]["object_type"] == "APP"
    assert moved["diff"][0]["before"]["parent"] == "/Logistics/Reports"
    assert moved["diff"][0]["after"]["parent"] == "/Logistics"
    assert first.task("by id")["folder"]["path"] == "/Logistics/Reports/Archive"
    # Moved, never deleted and recreated: the ids and the content stay.
    assert folder(insight, "/Logistics/Weekly")["id"] == weekly["id"]
    assert folder(insight, "/Logistics/Reports/Archive/2023")
    counters = insight.counters()
    assert route(counters, "POST /api/apps/{id}/children") == 1 and route(counters, "POST /api/folders/{id}/children") == 1
    assert route(counters, "POST /api/folders") == 0 and route(counters, "DELETE /api/folders/{id}") == 0

    insight.reset_counters()
    # Source missing but a folder of that name already in dest: nothing to do.
    second = run_playbook(book)
    assert [status(second, n) for n in ("to root", "by id")] == ["ok", "ok"]
    assert second.task("to root")["folder"]["id"] == weekly["id"]
    assert writes(insight.counters()) == 0


def test_moved_refusals(insight, run_playbook):
    # A folder named like the source in dest, a move across apps, into itself, into its subtree, a missing source.
    insight.reset({"users": [{"username": "alice", "name": "Alice Able", "role": "full", "client_id": "alice-id",
                              "secret": "alice-secret"}],
                   "apps": [{"name": "Logistics", "folders": [
                       {"name": "A", "folders": [{"name": "Reports"}, {"name": "Deep", "folders": [{"name": "Deeper"}]}]},
                       {"name": "Reports"}]},
                       {"name": "Portfolio", "folders": [{"name": "Models"}]}]})
    cases = {
        "clash": ({"path": "/Logistics/A/Reports", "dest": "/Logistics"}, "dest: /Logistics already holds a folder named 'Reports'"),
        "across apps": ({"path": "/Logistics/Reports", "dest": "/Portfolio/Models"}, "folders cannot move across apps"),
        "into itself": ({"path": "/Logistics/A", "dest": "/Logistics/A"}, "cannot move into its own subtree"),
        "into subtree": ({"path": "/Logistics/A", "dest": "/Logistics/A/Deep/Deeper"}, "cannot move into its own subtree"),
        "missing source": ({"path": "/Logistics/Nope", "dest": "/Logistics/A"}, "there is no folder /Logistics/Nope to move"),
        "missing dest": ({"path": "/Logistics/Reports", "dest": "/Logistics/Nope/X"}, "dest: there is no folder /Logistics/Nope"),
        "unknown dest id": ({"path": "/Logistics/Reports", "dest_id": "01f7774e-00c2-004e-fe08-88b1834def44"},
                            "dest_id: there is no folder or app"),
    }
    before = paths(insight)
    result = run_playbook(play(*[task(name, _ignore=True, state="moved", **args) for name, (args, _expected) in cases.items()]))
    for name, (_args, message) in cases.items():
        assert status(result, name) == "failed", name
        assert message in result.task(name)["msg"], (name, result.task(name)["msg"])
    assert paths(insight) == before
    counters = insight.counters()
    assert writes(counters) == 0
