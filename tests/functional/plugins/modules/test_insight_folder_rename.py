"""insight_folder renames by path as well as by id, and the diff of a rename or a move is headed by where the folder
was (before) and where it is (after). Names that a path could not reach again are refused before any call."""

from __future__ import annotations

from folder_helpers import folder, paths, play, status, task, writes


def test_rename_by_path_then_converges(insight, run_playbook):
    weekly = folder(insight, "/Logistics/Reports/Weekly")
    book = play(task("rename", path="/Logistics/Reports/Weekly", name="Weekly 2025", share_status="READONLY"))
    checked = run_playbook(book, check=True, diff=True)
    assert checked.rc == 0, checked
    first = run_playbook(book, diff=True)
    assert first.rc == 0, first
    result = first.task("rename")
    assert result["changed"] is True and result["updated"] == ["/Logistics/Reports/Weekly 2025"]
    assert result["folder"]["id"] == weekly["id"] and result["folder"]["path"] == "/Logistics/Reports/Weekly 2025"
    assert result["folder"]["share_status"] == "READONLY"
    # One diff entry for the folder, from the old path and settings to the new ones.
    assert result["diff"] == [{
        "before": {"path": "/Logistics/Reports/Weekly", "name": "Weekly", "share_status": "FULLACCESS",
                   "owner": "Alice Able", "parent": "/Logistics/Reports"},
        "after": {"path": "/Logistics/Reports/Weekly 2025", "name": "Weekly 2025", "share_status": "READONLY",
                  "owner": "Alice Able", "parent": "/Logistics/Reports"},
        "before_header": "/Logistics/Reports/Weekly", "after_header": "/Logistics/Reports/Weekly 2025"}]
    predicted = checked.task("rename")
    assert predicted["updated"] == result["updated"] and predicted["diff"] == result["diff"]
    assert folder(insight, "/Logistics/Reports/Weekly 2025")["id"] == weekly["id"]
    # The content went along.
    assert [s["path"] for s in insight.state()["scenarios"] if s["path"].startswith("/Logistics/Reports/Weekly")] == [
        "/Logistics/Reports/Weekly 2025/Week 1"]

    # The old name is gone and the new one exists: done, nothing written, in check mode too.
    insight.reset_counters()
    for check in (True, False):
        again = run_playbook(book, check=check)
        assert status(again, "rename") == "ok", again
        assert again.task("rename")["folder"]["id"] == weekly["id"]
    assert writes(insight.counters()) == 0


def test_rename_by_path_refusals(insight, run_playbook):
    cases = {
        "both exist": ({"path": "/Logistics/Reports", "name": "Archive"},
                       "name: /Logistics/Reports and /Logistics/Archive both exist"),
        "a scenario has the name": ({"path": "/Logistics/Reports/Weekly", "name": "Base case"},
                                    "/Logistics/Reports already holds a scenario named 'Base case'"),
        "neither exists": ({"path": "/Logistics/Nope", "name": "Still nope"},
                           "path: there is no folder /Logistics/Nope to rename, and /Logistics holds no folder named "
                           "'Still nope'"),
        "parent missing": ({"path": "/Logistics/Nope/Deeper", "name": "X"},
                           "path: there is no folder /Logistics/Nope (or it is not visible to this user)"),
        "a list of paths": ({"path": ["/Logistics/Reports"], "name": "X"}, "name: renames one folder"),
        "name with a slash": ({"path": "/Logistics/Reports", "name": "2025/Q1"},
                              "name: the name '2025/Q1' contains /, which only separates the names of a path"),
        "name ending in a backslash": ({"path": "/Logistics/Reports", "name": "a\\"},
                                       "name: the name 'a\\' ends with a backslash"),
        "name dot dot": ({"path": "/Logistics/Reports", "name": ".."}, "name: the name '..' is not allowed"),
        "by id with a slash": ({"id": "{reports}", "name": "a/b"}, "name: the name 'a/b' contains /"),
    }
    reports = folder(insight, "/Logistics/Reports")["id"]
    before = insight.state()
    insight.reset_counters()
    tasks = [task(title, _ignore=True, **{k: v.format(reports=reports) if k == "id" else v for k, v in args.items()})
             for title, (args, _message) in cases.items()]
    result = run_playbook(play(*tasks))
    for title, (_args, message) in cases.items():
        assert status(result, title) == "failed", title
        msg = result.task(title)["msg"]
        assert message in msg and "\n" not in msg, (title, msg)
    assert writes(insight.counters()) == 0 and insight.state() == before


def test_path_separator_is_never_part_of_a_name(insight, run_playbook):
    # `a\/b` is no escape: it is refused, not created as a folder 'a\' holding 'b'.
    result = run_playbook(play(task("escaped", _ignore=True, path="/Logistics/a\\/b"),
                               task("slash name", _ignore=True, path="/Logistics/x", name="a/b"),
                               task("dot", _ignore=True, path=["/Logistics/Reports/.", "/Logistics/ok"]),
                               task("trailing", _ignore=True, path="/Logistics/Reports/Weekly/", state="absent",
                                    force=True)))
    assert [status(result, n) for n in ("escaped", "slash name", "dot", "trailing")] == ["failed"] * 4
    assert result.task("escaped")["msg"] == ("path: in '/Logistics/a\\/b' the folder name 'a\\' ends with a backslash, "
                                             "which is not allowed: it would read as an escaped / (paths have no escape)")
    assert result.task("dot")["msg"].startswith("path[0]: in '/Logistics/Reports/.' the folder name '.' is not allowed")
    assert result.task("trailing")["msg"] == ("path: '/Logistics/Reports/Weekly/' ends with /, which leaves an empty "
                                              "folder name; write it without the trailing /")
    on_server = paths(insight)
    assert "/Logistics/Reports/Weekly" in on_server and "/Logistics/ok" not in on_server
    assert not [p for p in on_server if "\\" in p or p.endswith(("/.", "/.."))]


def test_move_diff_headers_show_where_the_folder_was_and_is(insight, run_playbook):
    book = play(task("move", path="/Logistics/Reports/Weekly", state="moved", dest="/Logistics/Archive"))
    checked = run_playbook(book, check=True, diff=True)
    real = run_playbook(book, diff=True)
    assert real.rc == 0, real
    for result in (checked.task("move"), real.task("move")):
        assert [(d["before_header"], d["after_header"]) for d in result["diff"]] == [
            ("/Logistics/Reports/Weekly", "/Logistics/Archive/Weekly")]
        assert result["diff"][0]["before"]["path"] == "/Logistics/Reports/Weekly"
        assert result["diff"][0]["after"]["path"] == "/Logistics/Archive/Weekly"
    # ansible-playbook prints the headers: --- before: <old path> / +++ after: <new path>.
    assert "--- before: /Logistics/Reports/Weekly" in real.stdout and "+++ after: /Logistics/Archive/Weekly" in real.stdout
