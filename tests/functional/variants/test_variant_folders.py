"""insight_folder and insight_folder_info under every server variant that changes how folders behave."""
from __future__ import annotations

import pytest

from variant_fixtures import FOLDER_VARIANTS

FOLDER = "xpress.insight.insight_folder"
INFO = "xpress.insight.insight_folder_info"


def play(*tasks):
    return {"name": "variants", "hosts": "localhost", "gather_facts": False, "tasks": list(tasks)}


def task(name, module=FOLDER, ignore=False, **args):
    out = {"name": name, module: args}
    if ignore:
        out["ignore_errors"] = True
    return out


def status(result, name):
    """ok, changed or failed, per host."""
    return ["changed" if entry["status"] == "ok" and entry["result"].get("changed") else entry["status"]
            for entry in result.results if entry["task"] == name]


def folder_paths(insight):
    return sorted(f["path"] for f in insight.state()["folders"])


@pytest.mark.parametrize("variant", FOLDER_VARIANTS, indirect=True)
def test_create_is_idempotent_and_a_case_twin_is_never_left_behind(variant, insight, run_playbook):
    book = play(task("tree", path=["/Logistics/Plans", "/Logistics/Plans/2025", "/Logistics/Plans/2025/Q1"]),
                task("twin", ignore=True, path="/Logistics/reports"))
    first = run_playbook(book)
    assert status(first, "tree") == ["changed"]
    second = run_playbook(book)
    assert status(second, "tree") == ["ok"]
    paths = folder_paths(insight)
    assert {"/Logistics/Plans", "/Logistics/Plans/2025", "/Logistics/Plans/2025/Q1"} <= set(paths)
    assert not [p for p in paths if p.startswith(("/Logistics/reports (", "/Logistics/Reports ("))], paths
    if variant["name_case"] == "insensitive":
        assert status(first, "twin") == ["failed"]
        msg = first.task("twin")["msg"]
        assert "'reports'" in msg and "'Reports'" in msg and "reports (1)" in msg, msg
        assert "/Logistics/reports" not in paths
    else:
        assert status(first, "twin") == ["changed"] and status(second, "twin") == ["ok"]
        assert "/Logistics/reports" in paths and "/Logistics/Reports" in paths


@pytest.mark.parametrize("variant", FOLDER_VARIANTS, indirect=True)
def test_delete_and_move_of_folders_with_running_jobs(variant, insight, run_playbook):
    book = play(task("move", ignore=True, path="/Logistics/Reports/Weekly", state="moved", dest="/Logistics"),
                task("delete", ignore=True, path="/Logistics/Reports", state="absent", force=True),
                task("idle", path="/Portfolio/Shared", state="absent", force=True))
    result = run_playbook(book)
    assert status(result, "idle") == ["changed"]
    paths = folder_paths(insight)
    if variant["lock_busy"]:
        for name, route in (("move", "POST /api/apps/"), ("delete", "DELETE /api/folders/")):
            assert status(result, name) == ["failed"]
            msg = result.task(name)["msg"]
            assert route in msg and "423" in msg and "queued or executing job" in msg, msg
            assert "\n" not in msg
        assert "/Logistics/Reports/Weekly" in paths and "/Logistics/Reports" in paths
    else:
        assert status(result, "move") == ["changed"] and status(result, "delete") == ["changed"]
        assert "/Logistics/Weekly" in paths and "/Logistics/Reports" not in paths


@pytest.mark.parametrize("variant", FOLDER_VARIANTS, indirect=True)
def test_folder_info_walks_every_page(variant, insight, run_playbook):
    variant.reset("demo", {"folders": {"app": "Portfolio", "breadth": 5, "depth": 2, "parent": "/Portfolio/Shared"}})
    result = run_playbook(play(task("tree", module=INFO, path="/Portfolio/Shared", recurse=True)))
    assert result.rc == 0, result
    found = sorted(f["path"] for f in result.task("tree")["folders"])
    expected = [p for p in folder_paths(insight) if p.startswith("/Portfolio/Shared")]
    assert len(expected) == 31 and found == expected


@pytest.mark.parametrize("variant", ["default", "names-case-insensitive"], indirect=True)
def test_a_rename_or_move_onto_a_case_twin_is_undone(variant, insight, run_playbook):
    # `name` is the task's own name in task(): this task is written out.
    rename = {"name": "rename", "ignore_errors": True, FOLDER: {"path": "/Portfolio/Shared", "name": "models"}}
    book = play(rename,
                task("plans", path="/Logistics/Plans/weekly"),
                task("move", ignore=True, path="/Logistics/Reports/Weekly", state="moved", dest="/Logistics/Plans"))
    result = run_playbook(book)
    paths = folder_paths(insight)
    assert not [p for p in paths if p.endswith(" (1)")], paths
    if variant["name_case"] == "insensitive":
        assert status(result, "rename") == ["failed"] and status(result, "move") == ["failed"]
        rename = result.task("rename")["msg"]
        assert "'models'" in rename and "'Models'" in rename and "'models (1)'" in rename, rename
        assert "renamed it back to 'Shared'" in rename and "\n" not in rename, rename
        move = result.task("move")["msg"]
        assert "'Weekly'" in move and "'weekly'" in move and "'Weekly (1)'" in move, move
        assert "moved it back" in move and "\n" not in move, move
        assert {"/Portfolio/Shared", "/Logistics/Reports/Weekly"} <= set(paths)
        assert "/Portfolio/models" not in paths and "/Logistics/Plans/Weekly" not in paths
    else:
        assert status(result, "rename") == ["changed"] and status(result, "move") == ["changed"]
        assert {"/Portfolio/models", "/Portfolio/Models", "/Logistics/Plans/Weekly", "/Logistics/Plans/weekly"} <= set(paths)
