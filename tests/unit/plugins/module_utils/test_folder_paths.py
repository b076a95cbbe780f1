# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightConfigError
from ansible_collections.xpress.insight.plugins.module_utils._folder_paths import (
    RepoPath, check_name, diff_view, item_view, look_alike_key, name_problem, parents_first, parse_path, parse_paths,
    show)


@pytest.mark.parametrize("name", ["Reports", "A, b", "2023", "x" * 255, "inner  space", "ünïcode", "...", ".hidden",
                                  "a.", "back\\slash", "\\lead"])
def test_valid_names(name):
    assert name_problem(name) is None


@pytest.mark.parametrize("name, problem", [
    ("", "is empty"),
    ("x" * 256, "256 characters long"),
    ("tab\there", "control character"),
    ("del\x7f", "control character"),
    ("c1\x85", "control character"),
    (" lead", "white space"),
    ("trail\n", "control character"),
    ("trail ", "white space"),
    ("a/b", "contains /"),
    ("/", "contains /"),
    (".", "no . or .. segments"),
    ("..", "no . or .. segments"),
    ("a\\", "ends with a backslash"),
])
def test_invalid_names(name, problem):
    assert problem in name_problem(name)


def test_single_string_is_one_path_even_with_commas():
    paths, single = parse_paths("/Logistics/A, B/C")
    assert single is True
    assert paths == [RepoPath("Logistics", ["A, B", "C"])]
    assert paths[0].text == "/Logistics/A, B/C"


def test_list_keeps_order_and_drops_repeats():
    paths, single = parse_paths(["/App/B", "/App/A", "/App/B"])
    assert single is False
    assert [p.text for p in paths] == ["/App/B", "/App/A"]


@pytest.mark.parametrize("value, message", [
    ("App/A", "must start with /"),
    ("/", "has no app name"),
    ("//A", "has no app name"),
    ("/App//A", "empty folder name"),
    ("/App/A//", "empty folder name (//)"),
    ("/App/A/", "ends with /"),
    ("/App/", "ends with /"),
    ("/App/./A", "the folder name '.' is not allowed"),
    ("/App/A/..", "the folder name '..' is not allowed"),
    ("/../A", "the app name '..' is not allowed"),
    ("/App/a\\/b", "the folder name 'a\\' ends with a backslash"),
    ("/App", "names the app"),
    ("/App/ A", "white space"),
    (3, "is not a string"),
    ("", "is empty (an unset variable?)"),
    ("   ", "is empty (an unset variable?)"),
])
def test_bad_paths(value, message):
    with pytest.raises(InsightConfigError) as info:
        parse_path(value)
    assert message in str(info.value)
    assert str(info.value).startswith("path: ")


def test_bad_paths_in_a_list_name_the_index():
    with pytest.raises(InsightConfigError) as info:
        parse_paths(["/App/A", "/App//B"])
    assert str(info.value).startswith("path[1]: ")
    with pytest.raises(InsightConfigError):
        parse_paths([])
    with pytest.raises(InsightConfigError):
        parse_paths({"a": 1})


def test_app_root_and_trailing_slash():
    assert parse_path("/App", allow_app_root=True) == RepoPath("App", [])
    # A trailing / is an empty last name, refused like //, also for the app root.
    with pytest.raises(InsightConfigError) as info:
        parse_path("/App/", "dest", allow_app_root=True)
    assert str(info.value) == "dest: '/App/' ends with /, which leaves an empty folder name; write it without the trailing /"


def test_check_name_is_the_one_rule_and_names_the_field():
    assert check_name("Q1, 2025", "tree[0].name") == "Q1, 2025"
    with pytest.raises(InsightConfigError) as info:
        check_name("a/b", "tree[2].name")
    assert str(info.value) == ("tree[2].name: the name 'a/b' contains /, which only separates the names of a path "
                               "(a name cannot contain it; there is no escape)")
    with pytest.raises(InsightConfigError) as info:
        check_name("..", "name")
    assert str(info.value).startswith("name: the name '..' is not allowed")


def test_show_keeps_backslashes_as_typed():
    assert show("a\\") == "'a\\'"
    assert show("tab\there") == "'tab\\there'"
    assert show("it's") == '"it\'s"'


def test_show_tells_look_alikes_apart():
    nfd, nfc = "Re\u0301ports", "R\u00e9ports"
    assert show(nfc) == "'R\u00e9ports'"  # plain: as typed
    assert show(nfd) == "'Re\\u0301ports'"
    assert show("Team\u00a0A") == "'Team\\u00a0A'" != show("Team A")
    assert show("x\u200by") == "'x\\u200by'"
    assert show("\ufb01le") == "'\\ufb01le'"
    assert show("a\\b\u00a0") == "'a\\\\b\\u00a0'"  # once something is escaped, a backslash is too
    assert show("Reports", bare=True) == "Reports"
    assert show("Team\u00a0A", bare=True) == "'Team\\u00a0A'"


@pytest.mark.parametrize("one, other", [("Reports", "reports"), ("Re\u0301ports", "R\u00e9ports"),
                                        ("Team A", "Team\u00a0A"), ("Team A", " Team  A\u2009"),
                                        ("\ufb01le", "file"), ("ab", "a\u200bb")])
def test_look_alike_keys(one, other):
    assert one != other and look_alike_key(one) == look_alike_key(other)


def test_look_alike_keys_keep_real_differences():
    assert look_alike_key("Reports") != look_alike_key("Report")
    assert look_alike_key("Team A") != look_alike_key("TeamA")


def test_paths_given_by_app_id_compare_by_id_and_show_the_name():
    by_id = RepoPath("0a1b", ["A"], "Logistics")
    assert by_id.text == "/Logistics/A" and by_id.child("B").text == "/Logistics/A/B"
    assert by_id.parent().text == "/Logistics" and by_id.prefix(1) == by_id
    assert by_id.child("B").is_within(by_id) and not by_id.is_within(RepoPath("Logistics", ["A"]))
    assert by_id != RepoPath("ffff", ["A"], "Logistics")  # twin apps never mix


def test_is_within_compares_names():
    base = RepoPath("App", ["A"])
    assert RepoPath("App", ["A", "B"]).is_within(base)
    assert base.is_within(base)
    assert not RepoPath("App", ["Ax"]).is_within(base)
    assert not RepoPath("Other", ["A", "B"]).is_within(base)


def test_parents_first_is_stable():
    given = [RepoPath("A", ["x", "y"]), RepoPath("A", ["z"]), RepoPath("A", ["x"])]
    assert [p.text for p in parents_first(given)] == ["/A/z", "/A/x", "/A/x/y"]


FOLDER = {
    "id": "f1", "name": "Weekly", "objectType": "FOLDER", "path": "/Logistics/Reports/Weekly", "shareStatus": "READONLY",
    "url": "/api/folders/f1", "app": {"id": "a1", "name": "Logistics", "objectType": "APP", "url": "/api/apps/a1"},
    "parent": {"id": "f0", "name": "Reports", "objectType": "FOLDER", "url": "/api/folders/f0"},
    "owner": {"id": "u1", "name": "Alice Able", "objectType": "USER", "url": "/api/admin/users/u1"},
}


def test_item_view_shape():
    view = item_view(FOLDER, "https://insight.example.com")
    assert view == {
        "id": "f1", "name": "Weekly", "path": "/Logistics/Reports/Weekly",
        "parent": {"id": "f0", "name": "Reports", "object_type": "FOLDER"}, "share_status": "READONLY",
        "owner": {"id": "u1", "name": "Alice Able"}, "app": {"id": "a1", "name": "Logistics"},
        "url": "https://insight.example.com/api/folders/f1",
    }


def test_diff_view():
    view = item_view(FOLDER, "https://x")
    assert diff_view(view) == {"path": "/Logistics/Reports/Weekly", "name": "Weekly", "share_status": "READONLY",
                               "owner": "Alice Able", "parent": "/Logistics/Reports"}
    root = item_view(dict(FOLDER, path="/Logistics/Weekly"), "https://x")
    assert diff_view(root)["parent"] == "/Logistics"
    assert diff_view(None) == {}
