# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightConfigError
from ansible_collections.xpress.insight.plugins.module_utils._tree_spec import name_key, parse_tree, walk


def shape(nodes):
    return [(n.name, n.share_status, n.owner, shape(n.children)) for n in nodes]


def test_full_and_compact_forms_mix():
    nodes = parse_tree([
        {"name": "A", "share_status": "READONLY", "owner": "bob", "children": [{"name": "B"}]},
        {"C": {"D": None, "E": {"F": None}}},
        "G",
    ])
    assert shape(nodes) == [
        ("A", "READONLY", "bob", [("B", None, None, [])]),
        ("C", None, None, [("D", None, None, []), ("E", None, None, [("F", None, None, [])])]),
        ("G", None, None, []),
    ]
    assert [n.rel for n in walk(nodes)] == ["A", "A/B", "C", "C/D", "C/E", "C/E/F", "G"]


def test_a_compact_mapping_at_the_top():
    assert shape(parse_tree({"A": None, "B": [{"name": "C"}]})) == [
        ("A", None, None, []), ("B", None, None, [("C", None, None, [])])]


def test_inherit_hands_each_missing_setting_down():
    nodes = parse_tree([{"name": "A", "share_status": "PRIVATE", "owner": "bob", "children": [
        {"name": "B", "owner": "carol", "children": [{"name": "C"}]}, {"name": "D"}]}, {"name": "E"}], inherit=True)
    assert shape(nodes) == [("A", "PRIVATE", "bob", [("B", "PRIVATE", "carol", [("C", "PRIVATE", "carol", [])]),
                                                     ("D", "PRIVATE", "bob", [])]),
                            ("E", None, None, [])]


def test_without_inherit_settings_stay_on_their_node():
    nodes = parse_tree([{"name": "A", "share_status": "PRIVATE", "children": [{"name": "B"}]}])
    assert nodes[0].children[0].share_status is None


def test_names_compare_exactly():
    assert name_key("Reports") != name_key("reports")
    assert shape(parse_tree(["Reports", "reports"]))[1][0] == "reports"


@pytest.mark.parametrize("value, fragment", [
    ([{"name": "A"}, {"A": None}], "tree (top level): the name 'A' is given twice among siblings"),
    ([{"name": "A", "children": {"B": None, "C": None, "D": {"x": None, "y": None}}}, {"name": "B"}], None),
    ([{"name": "A", "children": ["B", "B"]}], "tree (under A): the name 'B' is given twice"),
    ([{"name": ""}], "tree (top level, node 1): the name '' is empty"),
    ([{"name": "A", "children": [{"name": " B"}]}], "tree (under A, node 1): the name ' B' starts or ends with white space"),
    ([{"name": "A", "share_status": "PUBLIC"}], "tree (A): share_status 'PUBLIC' is not one of"),
    ([{"name": "A", "owner": ""}], "tree (A): owner must be a username or a user id"),
    ([{"name": "A", "colour": "red"}], "tree (A): unknown key 'colour'"),
    ([{"name": "A", "children": 3}], "tree (under A): children must be a list"),
    ([42], "tree (top level, node 1): name is the number 42: quote it"),
    # A templated name that came out null is the full form still, never folders named "name" and "children".
    ([{"name": "A"}, {"name": None, "children": [{"name": "X"}]}],
     "tree (top level, node 2): name is null (an unset variable?)"),
    ([{"name": "A", "children": [{"name": 2025}]}], "tree (under A, node 1): name is the number 2025: quote it"),
    ([{"name": 448}], "0700 reads as 448"),
    ([{2025: None}], "tree (top level, node 1): name is the number 2025: quote it"),
    ([{False: None}], "tree (top level, node 1): name is the boolean false: YAML reads No"),
    ({True: None}, "tree (top level, node 1): name is the boolean true"),
    ([{"B": None, "false": None}], "tree (top level, node 1): the compact key 'false' is what YAML makes of"),
    ([None], "tree (top level, node 1): name is null"),
    ([{"name": ["a"]}], "tree (top level, node 1): name must be a string, not a list"),
    ([{"children": [{"name": "X"}]}], "tree (top level, node 1): has children but no name"),
    ([{"A": "PRIVATE"}], "tree (A): in the compact form {name: children} the value must be null, a list or"),
    ([{"A": 3}], "tree (A): in the compact form"),
    ("Reports", "tree (top level): children must be a list"),
])
def test_bad_trees_are_refused_in_one_line(value, fragment):
    if fragment is None:
        parse_tree(value)
        return
    with pytest.raises(InsightConfigError) as info:
        parse_tree(value)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_a_folder_named_name_takes_the_full_form():
    assert [n.name for n in parse_tree([{"name": "name"}, {"name": "children", "children": {"x": None}}])] == [
        "name", "children"]
    assert [n.name for n in parse_tree([{"name": "false"}, {"2025": None}])] == ["false", "2025"]
