# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The folder engine (present / absent / moved) on an in-memory server: plans, writes, check mode, races."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightConfigError, InsightError
from ansible_collections.xpress.insight.plugins.module_utils._run_folder import SPEC, folder_settings, run_folder
from ansible_collections.xpress.insight.plugins.module_utils._folders import Repository
from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.fake_insight import FakeInsight
from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.spec_params import spec_params

REPORTED = ("changed", "created", "updated", "moved", "deleted", "diff")


def params(**given: Any) -> Dict[str, Any]:
    return spec_params(SPEC, **given)


def run(fake: FakeInsight, check: bool = False, **given: Any) -> Tuple[Dict[str, Any], List[str]]:
    warnings: List[str] = []
    result = run_folder(Repository(fake, warnings.append), folder_settings(params(**given)), check, fake.base_url)
    return result, warnings


def shape(view: Optional[Dict[str, Any]]) -> Optional[Tuple[Any, ...]]:
    """What check mode can know of a folder: everything but ids and urls of folders it has not created."""
    if view is None:
        return None
    return view["path"], view["name"], view["share_status"], (view["owner"] or {}).get("name"), view["parent"]["name"]


def seeded() -> FakeInsight:
    fake = FakeInsight(apps=("Logistics", "Finance"))
    fake.add("/Logistics/Reports/Weekly")
    fake.add("/Logistics/Reports/Weekly/Base case", kind="SCENARIO")
    fake.add("/Logistics/Archive")
    fake.add("/Finance/Budget")
    return fake


# -- options, checked before the first call -------------------------------------------------------------------------

@pytest.mark.parametrize("given, field", [
    ({}, "path or id:"),
    ({"path": "/Logistics"}, "path:"),
    ({"path": "/Logistics/A/"}, "path:"),
    ({"path": ["/Logistics/A", "/Logistics/B"], "name": "C"}, "name:"),
    ({"path": "/Logistics/A", "name": "x/y"}, "name:"),
    ({"id": "not-a-uuid"}, "id:"),
    ({"path": "/Logistics/A", "state": "absent", "share_status": "READONLY"}, "share_status:"),
    ({"path": "/Logistics/A", "dest": "/Logistics/B"}, "dest, dest_id:"),
    ({"path": "/Logistics/A", "force": True}, "force:"),
    ({"path": "/Logistics/A", "state": "moved"}, "dest or dest_id:"),
    ({"path": "/Logistics/A", "state": "moved", "dest_id": "nope"}, "dest_id:"),
    ({"path": "/Logistics/A", "cascade": True}, "cascade:"),
])
def test_folder_settings_names_the_field_and_calls_nothing(given: Dict[str, Any], field: str) -> None:
    fake = seeded()
    with pytest.raises(InsightConfigError) as info:
        run(fake, **given)
    assert str(info.value).startswith(field)
    assert fake.calls == []


def test_folder_settings_keep_the_paths_in_order_without_repeats() -> None:
    settings = folder_settings(params(path=["/Logistics/B", "/Logistics/A", "/Logistics/B"]))
    assert [p.text for p in settings.paths or []] == ["/Logistics/B", "/Logistics/A"]
    assert settings.single is False


# -- state=present --------------------------------------------------------------------------------------------------

def test_present_creates_each_missing_folder_once_parents_first() -> None:
    fake = seeded()
    result, warnings = run(fake, path=["/Logistics/New/B/C", "/Logistics/New/B", "/Logistics/New/D", "/Logistics/Reports"])
    assert result["changed"] is True
    assert result["created"] == ["/Logistics/New", "/Logistics/New/B", "/Logistics/New/D", "/Logistics/New/B/C"]
    assert fake.count("POST /api/folders") == 4
    assert {"/Logistics/New/B/C", "/Logistics/New/D"} <= set(fake.paths())
    assert not any("(1)" in path for path in fake.paths())
    assert [view["path"] for view in result["folders"]] == [
        "/Logistics/New/B/C", "/Logistics/New/B", "/Logistics/New/D", "/Logistics/Reports"]
    assert warnings == []


def test_present_reads_each_listing_once_and_never_lists_a_folder_it_created() -> None:
    fake = seeded()
    run(fake, path=["/Logistics/Reports/X/Y", "/Logistics/Reports/X/Z"])
    assert fake.count("GET /api/apps") == 1
    assert fake.count("GET /api/apps/{}/children") == 1
    # Reports is listed once; X, created by the run, is known to be empty.
    assert fake.count("GET /api/folders/{}/children") == 1


def test_present_twice_changes_nothing_the_second_time() -> None:
    fake = seeded()
    run(fake, path="/Logistics/Reports/Monthly", share_status="READONLY")
    fake.calls.clear()
    result, _warnings = run(fake, path="/Logistics/Reports/Monthly", share_status="READONLY")
    assert result["changed"] is False
    assert result["created"] == result["updated"] == []
    assert result["diff"] == []
    assert fake.writes() == []
    assert result["folder"]["share_status"] == "READONLY"


def test_present_under_a_scenario_fails_naming_it() -> None:
    fake = seeded()
    with pytest.raises(InsightError, match="Base case is a scenario, not a folder"):
        run(fake, path="/Logistics/Reports/Weekly/Base case/Sub")
    assert fake.writes() == []


def test_present_in_an_unknown_app_fails_before_any_write() -> None:
    fake = seeded()
    with pytest.raises(InsightConfigError, match=r"^path: there is no app named 'Sales'"):
        run(fake, path="/Sales/Reports")
    assert fake.writes() == []


def test_owner_and_share_status_cascade_in_one_patch() -> None:
    fake = seeded()
    result, _warnings = run(fake, path="/Logistics/Reports", share_status="READONLY", owner="bob", cascade=True)
    assert fake.writes() == ["PATCH /api/folders/{}"]
    assert result["updated"] == ["/Logistics/Reports"]
    for path in ("/Logistics/Reports", "/Logistics/Reports/Weekly", "/Logistics/Reports/Weekly/Base case"):
        view = fake.find(path)
        assert view is not None
        assert (view["shareStatus"], view["owner"]["name"]) == ("READONLY", "Bob Builder")


def test_unknown_owner_fails_naming_the_option() -> None:
    fake = seeded()
    with pytest.raises(InsightConfigError, match=r"^owner: there is no user named 'carol'"):
        run(fake, path="/Logistics/Reports", owner="carol")
    assert fake.writes() == []


def test_rename_by_path_then_again_is_done() -> None:
    fake = seeded()
    result, _warnings = run(fake, path="/Logistics/Archive", name="Old")
    assert result["updated"] == ["/Logistics/Old"]
    assert result["diff"][0]["before_header"] == "/Logistics/Archive"
    assert result["diff"][0]["after_header"] == "/Logistics/Old"
    fake.calls.clear()
    again, _warnings = run(fake, path="/Logistics/Archive", name="Old")
    assert again["changed"] is False
    assert again["folder"]["path"] == "/Logistics/Old"
    assert fake.writes() == []


def test_rename_onto_a_sibling_is_refused_before_writing() -> None:
    fake = seeded()
    with pytest.raises(InsightError, match=r"^name: /Logistics/Archive and /Logistics/Reports both exist"):
        run(fake, path="/Logistics/Archive", name="Reports")
    assert fake.writes() == []


# -- state=absent ---------------------------------------------------------------------------------------------------

def test_absent_refuses_a_folder_with_content_unless_forced() -> None:
    fake = seeded()
    with pytest.raises(InsightError, match=r"^/Logistics/Reports holds 1 folder\(s\) and 1 scenario\(s\)"):
        run(fake, path="/Logistics/Reports", state="absent")
    assert fake.writes() == []
    result, _warnings = run(fake, path="/Logistics/Reports", state="absent", force=True)
    assert result["deleted"] == ["/Logistics/Reports"]
    assert fake.find("/Logistics/Reports/Weekly") is None


def test_absent_deletes_a_named_child_with_its_named_parent_in_one_call() -> None:
    fake = seeded()
    result, _warnings = run(fake, path=["/Logistics/Reports/Weekly", "/Logistics/Reports", "/Logistics/Gone"],
                            state="absent", force=True)
    assert fake.writes() == ["DELETE /api/folders/{}"]
    assert result["deleted"] == ["/Logistics/Reports", "/Logistics/Reports/Weekly"]
    assert result["folders"][2] is None
    again, _warnings = run(fake, path="/Logistics/Reports", state="absent")
    assert again["changed"] is False


# -- state=moved ----------------------------------------------------------------------------------------------------

def test_moved_then_again_is_done() -> None:
    fake = seeded()
    result, _warnings = run(fake, path="/Logistics/Archive", state="moved", dest="/Logistics/Reports")
    assert result["moved"] == ["/Logistics/Archive"]
    assert result["folder"]["path"] == "/Logistics/Reports/Archive"
    assert fake.count("POST /api/folders/{}/children") == 1
    fake.calls.clear()
    again, _warnings = run(fake, path="/Logistics/Archive", state="moved", dest="/Logistics/Reports")
    assert again["changed"] is False
    assert fake.writes() == []


def test_moved_to_the_app_root_by_id() -> None:
    fake = seeded()
    result, _warnings = run(fake, path="/Logistics/Reports/Weekly", state="moved", dest_id=fake.app_id("Logistics"))
    assert result["folder"]["path"] == "/Logistics/Weekly"
    assert fake.writes() == ["POST /api/apps/{}/children"]


@pytest.mark.parametrize("dest, message", [
    ("/Logistics/Reports/Weekly", "a folder cannot move into its own subtree"),
    ("/Finance/Budget", "folders cannot move across apps"),
    ("/Logistics/Nowhere", "^dest: there is no folder /Logistics/Nowhere"),
])
def test_moves_the_server_would_refuse_are_refused_first(dest: str, message: str) -> None:
    fake = seeded()
    with pytest.raises(InsightError, match=message):
        run(fake, path="/Logistics/Reports", state="moved", dest=dest)
    assert fake.writes() == []


def test_move_onto_a_sibling_name_is_refused() -> None:
    fake = seeded()
    fake.add("/Logistics/Archive/Reports")
    with pytest.raises(InsightError, match="already holds a folder named 'Reports'"):
        run(fake, path="/Logistics/Reports", state="moved", dest="/Logistics/Archive")
    assert fake.writes() == []


# -- check mode plans exactly the real run ---------------------------------------------------------------------------

CASES: Dict[str, Dict[str, Any]] = {
    "create a tree": dict(path=["/Logistics/New/A/B", "/Logistics/New/C", "/Logistics/Reports/Weekly/D"]),
    "create with settings": dict(path="/Logistics/Reports/Monthly/Jan", share_status="PRIVATE"),
    "settle existing": dict(path=["/Logistics/Reports", "/Logistics/Archive"], owner="bob", share_status="READONLY"),
    "cascade": dict(path="/Logistics/Reports", share_status="READONLY", cascade=True),
    "rename": dict(path="/Logistics/Archive", name="Old", share_status="READONLY"),
    "absent": dict(path=["/Logistics/Reports/Weekly", "/Logistics/Reports", "/Logistics/Nope"], state="absent",
                   force=True),
    "moved": dict(path=["/Logistics/Archive", "/Logistics/Reports/Weekly"], state="moved", dest="/Logistics/Reports"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_mode_reports_what_the_real_run_does_and_writes_nothing(case: str) -> None:
    planned_on, real_on = seeded(), seeded()
    planned, planned_warnings = run(planned_on, check=True, **CASES[case])
    real, real_warnings = run(real_on, **CASES[case])
    assert planned_on.writes() == []
    assert real["changed"] is True
    assert {key: planned[key] for key in REPORTED} == {key: real[key] for key in REPORTED}
    if "folder" in real:
        assert shape(planned["folder"]) == shape(real["folder"])
    else:
        assert [shape(v) for v in planned["folders"]] == [shape(v) for v in real["folders"]]
    assert planned_warnings == real_warnings == []
    # The real run converged: the same task again plans nothing.
    replanned, _warnings = run(real_on, check=True, **CASES[case])
    assert replanned["changed"] is False


def test_the_engine_always_reports_the_diff_insight_module_drops_it() -> None:
    result, _warnings = run(seeded(), path="/Logistics/New")
    assert [entry["after_header"] for entry in result["diff"]] == ["/Logistics/New"]
    assert result["created"] == ["/Logistics/New"]


# -- other writers and lost answers ---------------------------------------------------------------------------------

def other_writer(fake: FakeInsight, path: str, on: str = "POST /api/folders") -> Callable[[str], None]:
    """Before this run's first `on` write, another writer creates `path` (once)."""
    done: List[bool] = []

    def act(call: str) -> None:
        if call == on and not done:
            done.append(True)
            fake.add(path)

    return act


def test_a_folder_made_meanwhile_is_used_and_the_duplicate_removed() -> None:
    fake = seeded()
    fake.before_write = other_writer(fake, "/Logistics/Reports/Daily")
    result, warnings = run(fake, path="/Logistics/Reports/Daily/Run 1")
    assert "/Logistics/Reports/Daily (1)" not in fake.paths()
    assert "/Logistics/Reports/Daily/Run 1" in fake.paths()
    assert result["created"] == ["/Logistics/Reports/Daily/Run 1"]
    assert len(warnings) == 1
    assert "another writer created this folder" in warnings[0]


def test_a_rename_the_server_suffixes_is_renamed_back() -> None:
    fake = seeded()
    fake.before_write = other_writer(fake, "/Logistics/Old", on="PATCH /api/folders/{}")
    with pytest.raises(InsightError) as info:
        run(fake, path="/Logistics/Archive", name="Old")
    line = str(info.value)
    assert line.startswith("name: /Logistics/Archive: an item named 'Old' appeared meanwhile, so the server "), line
    assert "'Old (1)'" in line and "renamed it back to 'Archive'" in line
    assert "/Logistics/Archive" in fake.paths() and "/Logistics/Old (1)" not in fake.paths()


def test_a_move_the_server_suffixes_is_moved_back_under_its_own_name() -> None:
    fake = seeded()
    fake.before_write = other_writer(fake, "/Logistics/Archive/Weekly", on="POST /api/folders/{}/children")
    with pytest.raises(InsightError) as info:
        run(fake, path="/Logistics/Reports/Weekly", state="moved", dest="/Logistics/Archive")
    line = str(info.value)
    assert line.startswith("dest: /Logistics/Reports/Weekly: in /Logistics/Archive, an item named 'Weekly' appeared "
                           "meanwhile, so the server"), line
    assert "'Weekly (1)'" in line and "moved it back" in line
    assert "/Logistics/Reports/Weekly" in fake.paths()
    assert not [p for p in fake.paths() if p.endswith(" (1)")]


def test_a_lost_create_answer_is_recovered_without_a_second_post() -> None:
    fake = seeded()
    fake.lose_answers = 1
    result, _warnings = run(fake, path="/Logistics/Reports/Daily")
    assert fake.count("POST /api/folders") == 1
    assert [p for p in fake.paths() if p.startswith("/Logistics/Reports/Daily")] == ["/Logistics/Reports/Daily"]
    assert result["folder"]["path"] == "/Logistics/Reports/Daily"


def test_a_lost_move_answer_is_recovered_by_reading_the_folder() -> None:
    fake = seeded()
    fake.lose_answers = 1
    result, _warnings = run(fake, path="/Logistics/Archive", state="moved", dest="/Logistics/Reports")
    assert fake.count("POST /api/folders/{}/children") == 1
    assert result["folder"]["path"] == "/Logistics/Reports/Archive"
