"""Names and apps insight_folder and insight_folder_info will not guess, through real ansible-playbook runs: look-alike
names under prune, twin apps (and naming an app by its id), templated null or YAML-typed tree names, and empty
selectors that must never widen to a default selection."""

from __future__ import annotations

import unicodedata
from typing import Any, Dict, List

import pytest

from folder_helpers import USERS, folder, info, paths, play, route, status, task, writes

NFC = unicodedata.normalize("NFC", "R\u00e9ports")
NFD = unicodedata.normalize("NFD", NFC)
NBSP = "Team A\u00a0"
APP_1 = "0a000000-0000-4000-8000-000000000001"
APP_2 = "0a000000-0000-4000-8000-000000000002"
LISTINGS = ("GET /api/apps/{id}/children", "GET /api/folders/{id}/children")


def scenarios(insight: Any, under: str) -> List[str]:
    return sorted(s["path"] for s in insight.state()["scenarios"] if s["path"].startswith(under + "/"))


def deletes(counters: Dict[str, Any]) -> int:
    return route(counters, "DELETE /api/folders/{id}")


# -- look-alike names (item 2) ---------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", ["names-case-insensitive"], indirect=True)
@pytest.mark.parametrize("force", [False, True])
def test_prune_never_swaps_a_folder_for_its_case_twin(variant, insight, run_playbook, force):
    # The server compares sibling names without regard to case: "delete Reports, create reports" would be the
    # same folder gone with its scenarios (with force) and an empty one in its place.
    before = scenarios(insight, "/Logistics/Reports")
    assert before
    tree = [{"name": "reports", "children": [{"name": "Weekly"}]}, {"Archive": {"2023": None}}]
    insight.reset_counters()
    for check in (True, False):
        result = run_playbook(play(task("prune", path="/Logistics", tree=tree, prune=True, force=force, _ignore=True)),
                              check=check, diff=True)
        assert status(result, "prune") == "failed"
        msg = result.task("prune")["msg"]
        assert "prune would delete '/Logistics/Reports' and create '/Logistics/reports'" in msg, msg
        assert "differ only by case, Unicode normalisation or white space" in msg and "\n" not in msg
    counters = insight.counters()
    assert writes(counters) == 0 and deletes(counters) == 0
    assert folder(insight, "/Logistics/Reports")["name"] == "Reports"
    assert scenarios(insight, "/Logistics/Reports") == before


@pytest.mark.parametrize("variant", ["names-case-insensitive"], indirect=True)
def test_a_case_twin_without_prune_is_created_then_undone(variant, insight, run_playbook):
    before = paths(insight, "Logistics")
    result = run_playbook(play(task("twin", path="/Logistics", tree=[{"name": "reports"}], _ignore=True)))
    assert status(result, "twin") == "failed"
    msg = result.task("twin")["msg"]
    assert "the server treats 'reports' and the existing 'Reports' as the same name" in msg, msg
    assert paths(insight, "Logistics") == before  # the suffixed duplicate was removed again
    assert scenarios(insight, "/Logistics/Reports")


def look_alike_seed(names: List[str]) -> Dict[str, Any]:
    return {"users": USERS, "apps": [{"name": "Plant", "folders": [
        {"name": n, "scenarios": [{"name": "Plan of %s" % n.strip()}]} for n in names]}]}


@pytest.mark.parametrize("existing, declared, shown_existing, shown_declared", [
    (NFC, NFD, "'/Plant/R\u00e9ports'", "'/Plant/Re\\u0301ports'"),
    ("Team A", NBSP, "'/Plant/Team A'", "'/Plant/Team A\\u00a0'"),
], ids=["nfc-nfd", "trailing-nbsp"])
def test_prune_refuses_unicode_and_white_space_look_alikes(insight, run_playbook, existing, declared,
                                                           shown_existing, shown_declared):
    insight.reset(look_alike_seed([existing]))
    insight.reset_counters()
    result = run_playbook(play(task("prune", path="/Plant", tree=[{"name": declared}], prune=True, force=True,
                                    _ignore=True)))
    assert status(result, "prune") == "failed"
    msg = result.task("prune")["msg"]
    # Both names in one line, in forms that differ on screen.
    assert "prune would delete %s and create %s" % (shown_existing, shown_declared) in msg, msg
    assert writes(insight.counters()) == 0
    assert [f["name"] for f in insight.state()["folders"]] == [existing]
    assert scenarios(insight, "/Plant/" + existing)


def test_diff_and_messages_tell_look_alikes_apart(insight, run_playbook):
    # Without prune both may exist (this server compares names exactly); the plan must show which is which.
    insight.reset(look_alike_seed(["Team A"]))
    result = run_playbook(play(task("add", path="/Plant", tree=[{"name": "Team\u00a0A"}, {"name": "Team A"}])),
                          check=True, diff=True)
    out = result.task("add")
    assert out["changed"] is True, out
    assert out["created"] == ["/Plant/Team\u00a0A"]  # the real path, as data
    after = out["diff"]["after"]
    assert "'Team\\u00a0A'  [" in after and "\nTeam A  [" in "\n" + after, after
    assert writes(insight.counters()) == 0


# -- twin apps (item 3) ----------------------------------------------------------------------------------------

def twin_seed(third: Any = None) -> Dict[str, Any]:
    one = [{"name": "Reports", "scenarios": [{"name": "Base case"}]}, {"name": "Old"}]
    two = [{"name": "Reports", "scenarios": [{"name": "Other base"}]}, {"name": "Old"}, {"name": "Spare"}]
    apps = [{"id": APP_1, "name": "Logistics", "folders": one}, {"id": APP_2, "name": "Logistics", "folders": two}]
    return {"users": USERS, "apps": apps + ([third] if third else [])}


def folders_by_app(insight: Any) -> Dict[str, List[str]]:
    out: Dict[str, List[str]] = {APP_1: [], APP_2: []}
    for item in insight.state()["folders"]:
        out.setdefault(item["app"]["id"], []).append(item["path"])
    return {k: sorted(v) for k, v in out.items()}


def test_a_path_naming_twin_apps_fails_before_any_listing(insight, run_playbook):
    insight.reset(twin_seed())
    before = folders_by_app(insight)
    insight.reset_counters()
    book = play(task("prune", path="/Logistics", tree=[{"name": "Reports"}], prune=True, force=True, _ignore=True),
                task("absent", path="/Logistics/Old", state="absent", force=True, _ignore=True),
                task("absent list", path=["/%s/Spare" % APP_2, "/Logistics/Old"], state="absent", _ignore=True),
                task("moved", path="/%s/Old" % APP_1, state="moved", dest="/Logistics/Reports", _ignore=True),
                info("info path", path="/Logistics/Reports", _ignore=True),
                info("info app", app="Logistics", _ignore=True))
    result = run_playbook(book)
    for name in ("prune", "absent", "absent list", "moved", "info path", "info app"):
        assert status(result, name) == "failed", name
        msg = result.task(name)["msg"]
        assert "'Logistics' matches 2 apps: %s ('Logistics'), %s ('Logistics')" % (APP_1, APP_2) in msg, msg
        assert "by its id" in msg and "\n" not in msg
    assert "/<app id>/Folder" in result.task("prune")["msg"]
    counters = insight.counters()
    assert writes(counters) == 0
    assert not any(route(counters, r) for r in LISTINGS), counters["by_route"]
    assert folders_by_app(insight) == before


def test_an_app_named_by_its_id(insight, run_playbook):
    insight.reset(twin_seed())
    book = play(task("prune 2", path="/%s" % APP_2, tree=[{"name": "Reports"}, {"name": "Old"}], prune=True,
                     force=True),
                task("absent 1", path="/%s/Old" % APP_1, state="absent", force=True),
                task("make 1", path="/%s/New/Sub" % APP_1.upper()),
                task("again 1", path="/%s/New/Sub" % APP_1),
                task("move 1", path="/%s/New" % APP_1, state="moved", dest="/%s/Reports" % APP_1),
                info("info 2", path="/%s/Reports" % APP_2, include_scenarios=True),
                info("info app 1", app=APP_1))
    result = run_playbook(book, diff=True)
    assert result.rc == 0, result
    pruned = result.task("prune 2")
    assert pruned["deleted"] == ["/Logistics/Spare"] and pruned["created"] == []
    assert pruned["diff"]["before_header"] == "/Logistics (tree)"
    assert result.task("absent 1")["deleted"] == ["/Logistics/Old"]
    assert result.task("make 1")["created"] == ["/Logistics/New", "/Logistics/New/Sub"]
    assert result.task("make 1")["folder"]["app"]["id"] == APP_1
    assert status(result, "again 1") == "ok"
    assert result.task("move 1")["moved"] == ["/Logistics/New"]
    assert [s["name"] for s in result.task("info 2")["scenarios"]] == ["Other base"]
    assert sorted(f["name"] for f in result.task("info app 1")["folders"]) == ["Reports"]
    assert folders_by_app(insight) == {
        APP_1: ["/Logistics/Reports", "/Logistics/Reports/New", "/Logistics/Reports/New/Sub"],
        APP_2: ["/Logistics/Old", "/Logistics/Reports"]}


def test_an_app_id_that_is_another_apps_name_is_ambiguous(insight, run_playbook):
    insight.reset(twin_seed({"id": "0a000000-0000-4000-8000-000000000003", "name": APP_1, "folders": [{"name": "Old"}]}))
    insight.reset_counters()
    result = run_playbook(play(task("absent", path="/%s/Old" % APP_1, state="absent", _ignore=True),
                               info("info", app=APP_1, _ignore=True)))
    for name in ("absent", "info"):
        assert status(result, name) == "failed"
        assert "matches 2 apps" in result.task(name)["msg"], result.task(name)["msg"]
    assert writes(insight.counters()) == 0


# -- templated nulls and YAML-typed names (item 5) -------------------------------------------------------------

PLANNING = {"users": USERS, "apps": [{"name": "Planning", "folders": [{"name": "Team A"}, {"name": "Team B"}]}]}


def test_a_templated_null_name_fails_and_prunes_nothing(insight, run_playbook):
    insight.reset(PLANNING)
    insight.reset_counters()
    book = play(task("team", path="/Planning", prune=True,
                     tree=[{"name": "{{ team_folder }}", "children": [{"name": "Budgets"}]}, {"name": "Team B"}],
                     _ignore=True))
    result = run_playbook(book, extra_vars={"team_folder": None})
    assert status(result, "team") == "failed"
    msg = result.task("team")["msg"]
    assert msg.startswith("tree (top level, node 1): name is null (an unset variable?)"), msg
    assert writes(insight.counters()) == 0
    assert paths(insight, "Planning") == ["/Planning/Team A", "/Planning/Team B"]


YAML_NAMES = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: year
      xpress.insight.insight_folder:
        path: /Planning
        tree:
          - name: 2025
      ignore_errors: true
    - name: octal
      xpress.insight.insight_folder:
        path: /Planning
        tree:
          - name: Team A
            children:
              - name: 0700
      ignore_errors: true
    - name: boolean item
      xpress.insight.insight_folder:
        path: /Planning
        tree:
          - No
      ignore_errors: true
    - name: boolean key
      xpress.insight.insight_folder:
        path: /Planning
        tree:
          Team A: ~
          No: ~
      ignore_errors: true
    - name: quoted
      xpress.insight.insight_folder:
        path: /Planning
        tree:
          - name: "2025"
          - "No"
          - {"0700": ~}
"""


def test_yaml_numbers_and_booleans_as_names_must_be_quoted(insight, run_playbook):
    insight.reset(PLANNING)
    result = run_playbook(YAML_NAMES)
    expected = {"year": "tree (top level, node 1): name is the number 2025: quote it, as in '2025'",
                "octal": "tree (under Team A, node 1): name is the number 448: quote it",
                "boolean item": "tree (top level, node 1): name is the boolean false: YAML reads No",
                "boolean key": "tree (top level, node 2): the compact key 'false' is what YAML makes of an unquoted No"}
    for name, fragment in expected.items():
        assert status(result, name) == "failed", name
        assert fragment in result.task(name)["msg"], result.task(name)["msg"]
    assert "0700 reads as 448" in result.task("octal")["msg"]
    assert result.task("quoted")["changed"] is True, result.task("quoted")
    assert sorted(result.task("quoted")["created"]) == ["/Planning/0700", "/Planning/2025", "/Planning/No"]


# -- empty selectors (item 9, folder side) ---------------------------------------------------------------------

EMPTY = [
    ("tree [] with prune", dict(path="/Planning", tree=[], prune=True), "tree: is empty ([]), and with prune: true"),
    ("tree {} with prune", dict(path="/Planning", tree={}, prune=True), "tree: is empty ({}), and with prune: true"),
    ("tree '' with prune", dict(path="/Planning", tree="", prune=True), "tree: is empty (''), and with prune: true"),
    ("tree null with prune", dict(path="/Planning", tree=None, prune=True),
     "prune: only used with tree, and tree is not given or null"),
    ("tree [] by id with prune", dict(id="{team_a}", tree=[], prune=True, force=True), "tree: is empty"),
    ("path []", dict(path=[], state="absent"), "path: the list of paths is empty"),
    ("path ''", dict(path="", state="absent", force=True), "path: is empty (an unset variable?)"),
    ("path blank", dict(path="  ", state="absent"), "path: is empty"),
    ("path '' with tree", dict(path="", tree=[{"name": "X"}]), "path: is empty"),
    ("id ''", dict(id="", state="absent", force=True), "id: '' is not a UUID"),
    ("dest ''", dict(path="/Planning/Team B", state="moved", dest=""), "dest: is empty"),
    ("dest_id ''", dict(path="/Planning/Team B", state="moved", dest_id=""), "dest_id: '' is not a UUID"),
    ("info path ''", dict(_info=True, path=""), "path: is empty"),
    ("info id ''", dict(_info=True, id=""), "id: '' is not a UUID"),
    ("info app ''", dict(_info=True, app=""), "app: is empty (an unset variable?)"),
    ("info app blank", dict(_info=True, app=" "), "app: is empty"),
]


def test_empty_selectors_never_widen(insight, run_playbook):
    insight.reset(PLANNING)
    team_a = next(f["id"] for f in insight.state()["folders"] if f["path"] == "/Planning/Team A")
    tasks = []
    for title, args, _fragment in EMPTY:
        args = {k: (team_a if v == "{team_a}" else v) for k, v in args.items()}
        tasks.append(info(title, _ignore=True, **{k: v for k, v in args.items() if k != "_info"}) if args.get("_info")
                     else task(title, _ignore=True, **args))
    tasks.append(task("tree [] without prune", path="/Planning", tree=[]))
    tasks.append(task("nothing found", path="{{ found | map(attribute='path') | list }}", state="absent",
                      _ignore=True))
    insight.reset_counters()
    result = run_playbook(play(*tasks), extra_vars={"found": []})
    for title, _args, fragment in EMPTY:
        assert status(result, title) == "failed", title
        msg = result.task(title)["msg"]
        assert fragment in msg and "\n" not in msg, (title, msg)
    assert "path: the list of paths is empty" in result.task("nothing found")["msg"]
    quiet = result.task("tree [] without prune")
    assert status(result, "tree [] without prune") == "ok"
    assert quiet["msg"] == "tree is empty: no folder is declared, so nothing was changed"
    assert quiet["deleted"] == quiet["created"] == []
    assert writes(insight.counters()) == 0
    assert paths(insight, "Planning") == ["/Planning/Team A", "/Planning/Team B"]
