"""insight_folder state=present through real ansible-playbook runs: creation, settings, rename, check and diff
mode, and bad input. Every changing playbook is run twice: the second run changes nothing and writes nothing."""

from __future__ import annotations

from folder_helpers import api, folder, info, paths, play, route, status, task, user_env, writes

TREE = ["/Logistics/Plans/2025/Q1", "/Logistics/Plans/2025/Q2", "/Logistics/Reports/Monthly", "/Logistics/Depots, north",
        "/Portfolio/Models/Risk"]


def test_present_creates_missing_folders_parents_first_then_converges(insight, run_playbook):
    book = play(task("tree", path=TREE), task("one", path="/Logistics/Plans/2025"))
    first = run_playbook(book)
    assert first.rc == 0, first
    tree = first.task("tree")
    assert tree["changed"] is True
    # Parents before children; existing folders (Reports, Models) are not created; the comma is part of one name.
    assert tree["created"] == ["/Logistics/Depots, north", "/Logistics/Plans", "/Logistics/Reports/Monthly",
                               "/Portfolio/Models/Risk", "/Logistics/Plans/2025", "/Logistics/Plans/2025/Q1",
                               "/Logistics/Plans/2025/Q2"]
    assert [f["path"] for f in tree["folders"]] == TREE
    q1 = tree["folders"][0]
    assert q1["parent"]["name"] == "2025" and q1["parent"]["object_type"] == "FOLDER"
    assert q1["app"]["name"] == "Logistics" and q1["share_status"] == "FULLACCESS"
    assert q1["owner"]["id"] == insight.users["alice"]["id"]
    assert q1["url"] == insight.url + "/api/folders/" + q1["id"]
    depots = tree["folders"][3]
    assert depots["name"] == "Depots, north" and depots["parent"]["object_type"] == "APP"
    one = first.task("one")
    assert one["changed"] is False and one["folder"]["path"] == "/Logistics/Plans/2025" and one["created"] == []
    on_server = paths(insight)
    for path in TREE + ["/Logistics/Plans", "/Logistics/Plans/2025"]:
        assert on_server.count(path) == 1
    assert not [p for p in on_server if p.endswith(")")]

    insight.reset_counters()
    second = run_playbook(book)
    assert second.rc == 0, second
    assert status(second, "tree") == "ok" and second.task("tree")["created"] == []
    assert [f["id"] for f in second.task("tree")["folders"]] == [f["id"] for f in tree["folders"]]
    assert writes(insight.counters()) == 0


def test_share_status_owner_and_cascade(insight, run_playbook):
    bob = insight.users["bob"]["id"]
    book = play(
        task("lock", path="/Logistics/Reports", share_status="PRIVATE", owner="alice", cascade=True),
        task("owner by id", path="/Portfolio/Models", owner=bob),
        task("readonly", path=["/Portfolio/Shared", "/Portfolio/Shared/Inbox"], share_status="READONLY"),
    )
    first = run_playbook(book, diff=True)
    assert first.rc == 0, first
    lock = first.task("lock")
    assert lock["changed"] is True and lock["updated"] == ["/Logistics/Reports"]
    assert lock["folder"]["share_status"] == "PRIVATE"
    state = insight.state()
    below = [i for i in state["folders"] + state["scenarios"] if i["path"].startswith("/Logistics/Reports")]
    assert len(below) == 5  # Reports, Weekly and the scenarios Base case, High demand, Week 1
    assert all(i["shareStatus"] == "PRIVATE" and i["owner"]["id"] == insight.users["alice"]["id"] for i in below)
    assert lock["diff"] == [{"before": {"path": "/Logistics/Reports", "name": "Reports", "share_status": "FULLACCESS",
                                        "owner": "Alice Able", "parent": "/Logistics"},
                             "after": {"path": "/Logistics/Reports", "name": "Reports", "share_status": "PRIVATE",
                                       "owner": "Alice Able", "parent": "/Logistics"},
                             "before_header": "/Logistics/Reports", "after_header": "/Logistics/Reports"}]
    assert folder(insight, "/Portfolio/Models")["owner"]["id"] == bob
    assert first.task("owner by id")["updated"] == ["/Portfolio/Models"]
    readonly = first.task("readonly")
    # Inbox is created, then made READONLY: it is reported once, as created.
    assert readonly["created"] == ["/Portfolio/Shared/Inbox"] and readonly["updated"] == ["/Portfolio/Shared"]
    assert [f["share_status"] for f in readonly["folders"]] == ["READONLY", "READONLY"]
    assert readonly["diff"][-1]["after"]["share_status"] == "READONLY" and readonly["diff"][-1]["before"] == {}

    insight.reset_counters()
    second = run_playbook(book)
    assert second.rc == 0, second
    assert [status(second, name) for name in ("lock", "owner by id", "readonly")] == ["ok", "ok", "ok"]
    assert writes(insight.counters()) == 0

    # A descendant that drifted is brought back by the cascade, although the folder itself matches.
    weekly = folder(insight, "/Logistics/Reports/Weekly")
    api(insight, "alice", "PATCH", "/api/folders/" + weekly["id"], {"shareStatus": "FULLACCESS"})
    insight.reset_counters()
    third = run_playbook(book)
    assert third.task("lock")["changed"] is True
    assert folder(insight, "/Logistics/Reports/Weekly")["shareStatus"] == "PRIVATE"
    assert route(insight.counters(), "PATCH /api/folders/{id}") == 1


def test_rename_by_id(insight, run_playbook):
    reports = folder(insight, "/Logistics/Reports")
    book = play(task("rename", id=reports["id"], name="Reports 2025"))
    first = run_playbook(book, diff=True)
    assert first.rc == 0, first
    result = first.task("rename")
    assert result["updated"] == ["/Logistics/Reports 2025"] and result["folder"]["name"] == "Reports 2025"
    assert result["diff"][0]["before"]["name"] == "Reports" and result["diff"][0]["after"]["name"] == "Reports 2025"
    insight.reset_counters()
    second = run_playbook(book)
    assert status(second, "rename") == "ok" and writes(insight.counters()) == 0

    clash = run_playbook(play(task("clash", id=reports["id"], name="Archive")))
    assert status(clash, "clash") == "failed"
    assert "/Logistics/Reports 2025 and /Logistics/Archive both exist" in clash.task("clash")["msg"]
    assert "/Logistics already holds a folder named 'Archive'" in clash.task("clash")["msg"]
    assert folder(insight, "/Logistics/Reports 2025")["id"] == reports["id"]


def test_check_mode_predicts_without_writing(insight, run_playbook):
    book = play(
        task("tree", path=["/Logistics/New/Sub/Leaf", "/Logistics/New/Other"], share_status="READONLY"),
        task("update", path="/Logistics/Reports", share_status="PRIVATE"),
    )
    before = paths(insight)
    insight.reset_counters()
    checked = run_playbook(book, check=True, diff=True)
    assert checked.rc == 0, checked
    assert writes(insight.counters()) == 0 and paths(insight) == before
    tree = checked.task("tree")
    assert tree["changed"] is True
    assert tree["created"] == ["/Logistics/New", "/Logistics/New/Other", "/Logistics/New/Sub", "/Logistics/New/Sub/Leaf"]
    assert [f["id"] for f in tree["folders"]] == [None, None]
    assert [f["share_status"] for f in tree["folders"]] == ["READONLY", "READONLY"]
    update = checked.task("update")
    assert update["updated"] == ["/Logistics/Reports"] and update["folder"]["share_status"] == "PRIVATE"
    assert update["diff"][0]["after"]["share_status"] == "PRIVATE"

    real = run_playbook(book)
    assert real.rc == 0, real
    assert real.task("tree")["created"] == tree["created"]
    assert real.task("update")["updated"] == update["updated"]
    insight.reset_counters()
    again = run_playbook(book, check=True)
    assert [status(again, n) for n in ("tree", "update")] == ["ok", "ok"] and writes(insight.counters()) == 0


def test_bad_input_fails_with_one_line_before_any_call(insight, run_playbook):
    cases = {
        "no app": ({"path": "Logistics/Reports"}, "must start with / followed by the app's name"),
        "app only": ({"path": "/Logistics"}, "names the app 'Logistics', not a folder"),
        "double slash": ({"path": "/Logistics//Reports"}, "contains an empty folder name (//)"),
        "white space": ({"path": ["/Logistics/Ok", "/Logistics/ Reports"]}, "starts or ends with white space"),
        "control": ({"path": "/Logistics/Re\tports"}, "control character"),
        "too long": ({"path": "/Logistics/" + "x" * 256}, "256 characters long"),
        "bad rename": ({"id": "01f7774e-00c2-004e-fe08-88b1834def44", "name": "Tab\there"}, "control character"),
        "name with a list": ({"path": ["/Logistics/Reports"], "name": "Other"}, "name: renames one folder"),
        "slash in a new name": ({"path": "/Logistics/Reports", "name": "a/b"}, "name: the name 'a/b' contains /"),
        "escaped slash": ({"path": "/Logistics/a\\/b"}, "the folder name 'a\\' ends with a backslash"),
        "dot": ({"path": "/Logistics/./Reports"}, "the folder name '.' is not allowed"),
        "dot dot": ({"path": ["/Logistics/Reports/.."]}, "path[0]: in '/Logistics/Reports/..' the folder name '..'"),
        "trailing slash": ({"path": "/Logistics/Reports/"}, "ends with /, which leaves an empty folder name"),
        "dot dot in dest": ({"path": "/Logistics/Reports", "state": "moved", "dest": "/Logistics/.."},
                            "dest: in '/Logistics/..' the folder name '..' is not allowed"),
        "moved without dest": ({"path": "/Logistics/Reports", "state": "moved"}, "dest or dest_id"),
        "bad id": ({"id": "not-a-uuid"}, "id: 'not-a-uuid' is not a UUID"),
        "force without absent": ({"path": "/Logistics/Reports", "force": True}, "force: only used with state=absent"),
        "cascade alone": ({"path": "/Logistics/Reports", "cascade": True}, "give at least one of them"),
        "empty list": ({"path": []}, "the list of paths is empty"),
    }
    insight.reset_counters()
    result = run_playbook(play(*[task(name, _ignore=True, **args) for name, (args, _expected) in cases.items()]))
    for name, (_args, message) in cases.items():
        assert status(result, name) == "failed", name
        msg = result.task(name)["msg"]
        assert message in msg and "\n" not in msg, (name, msg)
    assert insight.counters()["total"] == 0

    both = run_playbook(play(task("id and path", _ignore=True, path="/Logistics/A",
                                  id="01f7774e-00c2-004e-fe08-88b1834def44")))
    assert "mutually exclusive: path|id" in both.task("id and path")["msg"]

    server_checked = {
        "unknown app": ({"path": "/Nowhere/Reports"}, "there is no app named 'Nowhere'"),
        "unknown owner": ({"path": "/Logistics/Reports", "owner": "mallory"}, "owner: there is no user named 'mallory'"),
        "unknown owner id": ({"path": "/Logistics/Reports", "owner": "01f7774e-00c2-004e-fe08-88b1834def44"},
                             "owner: there is no user with id"),
        "unknown id": ({"id": "01f7774e-00c2-004e-fe08-88b1834def44"}, "id: there is no folder"),
        "scenario in the way": ({"path": "/Logistics/Sandbox/Below"}, "/Logistics/Sandbox is a scenario, not a folder"),
    }
    insight.reset_counters()
    result = run_playbook(play(*[task(name, _ignore=True, **args) for name, (args, _expected) in server_checked.items()]))
    for name, (_args, message) in server_checked.items():
        assert status(result, name) == "failed", name
        assert message in result.task(name)["msg"], (name, result.task(name)["msg"])
    assert writes(insight.counters()) == 0


def test_read_only_user_gets_one_line_403(insight, run_playbook):
    book = play(task("create", _ignore=True, path="/Logistics/Reports/New"),
                task("update", _ignore=True, path="/Logistics/Reports", share_status="READONLY"),
                task("noop", path="/Logistics/Reports"))
    result = run_playbook(book, env=user_env(insight, "rita"))
    for name in ("create", "update"):
        assert status(result, name) == "failed"
        msg = result.task(name)["msg"]
        assert msg.startswith(("POST /api/folders: 403", "PATCH /api/folders/")) and "403" in msg and "\n" not in msg
    assert status(result, "noop") == "ok"  # reading needs no write access
    assert "/Logistics/Reports/New" not in paths(insight)
    assert folder(insight, "/Logistics/Reports")["shareStatus"] == "FULLACCESS"


def test_private_folder_of_another_user_is_not_found(insight, run_playbook):
    hidden = folder(insight, "/Logistics/Bob private")
    book = play(task("by id", _ignore=True, id=hidden["id"], share_status="READONLY"),
                task("by path", _ignore=True, path="/Logistics/Bob private/Mine"),
                info("info", path="/Logistics/Bob private"))
    result = run_playbook(book)
    assert status(result, "by id") == "failed"
    assert "id: there is no folder %s (or it is not visible to this user)" % hidden["id"] in result.task("by id")["msg"]
    assert status(result, "by path") == "failed"
    assert "not visible to this user" in result.task("by path")["msg"]
    assert result.task("info")["folders"] == []
    assert [p for p in paths(insight) if p.startswith("/Logistics/Bob private")] == ["/Logistics/Bob private"]
    assert folder(insight, "/Logistics/Bob private")["shareStatus"] == "PRIVATE"
