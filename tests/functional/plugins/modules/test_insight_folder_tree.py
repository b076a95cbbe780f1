"""insight_folder with tree: (a folder tree as one declared state) and insight_folder_info format=tree, through real
ansible-playbook runs: create, converge with no write, settings on a subtree, prune, check mode against the real run,
and the export/apply round trip."""

from __future__ import annotations

from typing import Any, Dict, List

from folder_helpers import USERS, folder, info, paths, play, route, status, task, writes

PLANNING = [
    {"name": "Scenarios", "children": [
        {"name": "2025", "children": [{"name": "Q1"}, {"name": "Q2"}]}, {"name": "2026"}]},
    {"name": "Finance", "share_status": "READONLY", "owner": "bob",
     "children": [{"name": "Budgets"}, {"name": "Forecasts, draft"}]},
    {"Archive": {"2023": None, "2024": {"Old": None}}},  # the compact form, mixed in
]
PLANNING_PATHS = ["/Plant/Archive", "/Plant/Archive/2023", "/Plant/Archive/2024", "/Plant/Archive/2024/Old",
                  "/Plant/Finance", "/Plant/Finance/Budgets", "/Plant/Finance/Forecasts, draft", "/Plant/Scenarios",
                  "/Plant/Scenarios/2025", "/Plant/Scenarios/2025/Q1", "/Plant/Scenarios/2025/Q2",
                  "/Plant/Scenarios/2026"]


def empty_plant(insight: Any) -> None:
    insight.reset({"users": USERS, "apps": [{"name": "Plant"}]})


def by_path(insight: Any) -> Dict[str, Dict[str, Any]]:
    return {f["path"]: f for f in insight.state()["folders"]}


def settings(insight: Any, app: str) -> Dict[str, Any]:
    """Every folder of an app with what tree mode manages: comparable across runs."""
    return {p: (f["shareStatus"], f["owner"]["id"]) for p, f in by_path(insight).items() if p.startswith("/%s/" % app)}


def test_tree_creates_from_empty_then_converges_without_writes(insight, run_playbook):
    empty_plant(insight)
    book = play(task("tree", path="/Plant", tree=PLANNING))
    first = run_playbook(book)
    assert first.rc == 0, first
    result = first.task("tree")
    assert result["changed"] is True
    assert sorted(result["created"]) == PLANNING_PATHS
    assert result["created"][:3] == ["/Plant/Scenarios", "/Plant/Finance", "/Plant/Archive"]  # parents first
    assert result["counts"] == {"created": 12, "updated": 0, "deleted": 0, "unchanged": 0}
    assert paths(insight, "Plant") == PLANNING_PATHS
    bob = insight.users["bob"]["id"]
    alice = insight.users["alice"]["id"]
    on_server = by_path(insight)
    # A node's settings apply to that folder only (inherit is off).
    assert (on_server["/Plant/Finance"]["shareStatus"], on_server["/Plant/Finance"]["owner"]["id"]) == ("READONLY", bob)
    assert (on_server["/Plant/Finance/Budgets"]["shareStatus"], on_server["/Plant/Finance/Budgets"]["owner"]["id"]) == (
        "FULLACCESS", alice)
    # The resulting tree has the input's nesting, every setting filled in.
    tree = result["tree"]
    assert [n["name"] for n in tree] == ["Scenarios", "Finance", "Archive"]
    assert tree[1] == {"name": "Finance", "share_status": "READONLY", "owner": "bob",
                       "children": [{"name": "Budgets", "share_status": "FULLACCESS", "owner": "alice"},
                                    {"name": "Forecasts, draft", "share_status": "FULLACCESS", "owner": "alice"}]}
    assert tree[2]["children"][1]["children"] == [{"name": "Old", "share_status": "FULLACCESS", "owner": "alice"}]

    insight.reset_counters()
    again = run_playbook(book)
    assert again.rc == 0, again
    second = again.task("tree")
    assert status(again, "tree") == "ok"
    assert second["created"] == second["updated"] == second["deleted"] == []
    assert second["counts"] == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 12}
    assert second["tree"] == tree
    counters = insight.counters()
    assert writes(counters) == 0
    # One listing per existing folder that holds declared children, plus the app root: nothing read twice.
    assert route(counters, "GET /api/folders/{id}/children") == 5  # Scenarios, 2025, Finance, Archive, 2024
    assert route(counters, "GET /api/apps/{id}/children") == 1


def test_inherit_changes_settings_of_one_subtree_only(insight, run_playbook):
    empty_plant(insight)
    assert run_playbook(play(task("make", path="/Plant", tree=PLANNING))).rc == 0
    before = settings(insight, "Plant")
    changed = [dict(node) for node in PLANNING]
    changed[0] = dict(PLANNING[0], share_status="PRIVATE", owner="bob")
    insight.reset_counters()
    run = run_playbook(play(task("lock", path="/Plant", tree=changed, inherit=True)), diff=True)
    assert run.rc == 0, run
    result = run.task("lock")
    subtree = [p for p in PLANNING_PATHS if p.startswith("/Plant/Scenarios")]
    # Finance's children set nothing: with inherit they take READONLY / bob from Finance.
    handed_down = ["/Plant/Finance/Budgets", "/Plant/Finance/Forecasts, draft"]
    assert sorted(result["updated"]) == sorted(subtree + handed_down)
    assert result["counts"] == {"created": 0, "updated": 7, "deleted": 0, "unchanged": 5}
    assert result["changes"]["/Plant/Scenarios/2025/Q1"] == {
        "share_status": {"before": "FULLACCESS", "after": "PRIVATE"}, "owner": {"before": "alice", "after": "bob"}}
    assert writes(insight.counters()) == 7
    bob = insight.users["bob"]["id"]
    after = settings(insight, "Plant")
    for path, value in after.items():
        if path in subtree:
            assert value == ("PRIVATE", bob), path
        elif path in handed_down:
            assert value == ("READONLY", bob), path
        else:
            assert value == before[path], path  # the Archive subtree sets nothing: left as it was
    diff = result["diff"]
    assert "  2025  [FULLACCESS, alice]\n" in diff["before"] and "  2025  [PRIVATE, bob]\n" in diff["after"]
    assert "Finance  [READONLY, bob]\n" in diff["before"]


def demo_prune_tree() -> List[Dict[str, Any]]:
    # Declares Reports (and its Weekly) only: /Logistics/Archive (READONLY, alice's, with 2023 and the scenario
    # Q4 plan) is undeclared; the scenario Sandbox at the root and bob's private folder are not the tree's business.
    return [{"name": "Reports", "children": [{"name": "Weekly"}, {"name": "Monthly"}]}]


def test_prune_refuses_scenarios_without_force_and_respects_max_deletions(insight, run_playbook):
    before = insight.state()
    book = play(
        task("no force", path="/Logistics", tree=demo_prune_tree(), prune=True, _ignore=True),
        task("over the limit", path="/Logistics", tree=demo_prune_tree(), prune=True, force=True, max_deletions=1,
             _ignore=True),
    )
    refused = run_playbook(book)
    assert status(refused, "no force") == "failed"
    assert "/Logistics/Archive holds 1 scenario(s)" in refused.task("no force")["msg"]
    assert "set force: true" in refused.task("no force")["msg"]
    assert status(refused, "over the limit") == "failed"
    assert "max_deletions: prune would delete 2 folders (/Logistics/Archive)" in refused.task("over the limit")["msg"]
    assert insight.state() == before  # nothing created, nothing deleted

    done = run_playbook(play(task("prune", path="/Logistics", tree=demo_prune_tree(), prune=True, force=True,
                                  max_deletions=2)))
    assert done.rc == 0, done
    result = done.task("prune")
    assert result["deleted"] == ["/Logistics/Archive"] and result["created"] == ["/Logistics/Reports/Monthly"]
    assert result["counts"] == {"created": 1, "updated": 0, "deleted": 2, "unchanged": 2}
    on_server = paths(insight, "Logistics")
    assert "/Logistics/Archive" not in on_server and "/Logistics/Archive/2023" not in on_server
    assert "/Logistics/Bob private" in on_server  # invisible to alice: never pruned
    assert any(s["path"] == "/Logistics/Sandbox" for s in insight.state()["scenarios"])


def test_prune_without_scenarios_needs_no_force_and_zero_lifts_the_limit(insight, run_playbook):
    # Alice's own PRIVATE folders: nobody else can have put anything in them, so no force is needed.
    insight.reset({"users": USERS, "apps": [{"name": "Plant", "folders": [
        {"name": "Keep"}, {"name": "Old", "share_status": "PRIVATE",
                           "folders": [{"name": "A%d" % n, "share_status": "PRIVATE"} for n in range(12)]}]}]})
    over = run_playbook(play(task("default limit", path="/Plant", tree={"Keep": None}, prune=True, _ignore=True)))
    assert "prune would delete 13 folders" in over.task("default limit")["msg"]
    assert "more than max_deletions=10" in over.task("default limit")["msg"]
    done = run_playbook(play(task("lifted", path="/Plant", tree={"Keep": None}, prune=True, max_deletions=0)))
    assert done.rc == 0, done
    assert done.task("lifted")["deleted"] == ["/Plant/Old"] and paths(insight, "Plant") == ["/Plant/Keep"]


def comparable(nodes: List[Dict[str, Any]], usernames: Dict[str, str]) -> List[Any]:
    """A tree with owners as usernames and siblings by name: the plan names owners as it was given them."""
    return sorted((n["name"], n["share_status"], usernames.get(n["owner"], n["owner"]),
                   comparable(n.get("children", []), usernames)) for n in nodes)


def test_check_mode_plan_is_what_the_real_run_does(insight, run_playbook):
    bob = insight.users["bob"]["id"]
    tree = [
        {"name": "Reports", "share_status": "READONLY", "children": [
            {"name": "Weekly", "owner": bob}, {"name": "Monthly", "children": [{"name": "Jan"}, {"name": "Feb"}]}]},
        {"name": "Plans", "share_status": "PRIVATE", "children": [{"name": "2025"}]},
    ]
    book = play(task("apply", path="/Logistics", tree=tree, prune=True, force=True))
    before = insight.state()
    insight.reset_counters()
    preview = run_playbook(book, check=True, diff=True)
    assert preview.rc == 0, preview
    assert writes(insight.counters()) == 0 and insight.state() == before
    planned = preview.task("apply")
    real = run_playbook(book, diff=True)
    assert real.rc == 0, real
    done = real.task("apply")
    for key in ("changed", "created", "updated", "deleted", "changes", "counts", "tree", "diff"):
        assert planned[key] == done[key], key
    assert planned["deleted"] == ["/Logistics/Archive"]
    assert planned["counts"] == {"created": 5, "updated": 2, "deleted": 2, "unchanged": 0}
    # The emulator now holds exactly the planned tree: exporting it gives the plan's tree back.
    export = run_playbook(play(info("export", path="/Logistics", format="tree")))
    exported = {n["name"]: n for n in export.task("export")["tree"]}
    usernames = {u["id"]: u["username"] for u in insight.state()["users"]}
    assert comparable([exported["Reports"], exported["Plans"]], usernames) == comparable(planned["tree"], usernames)
    assert folder(insight, "/Logistics/Reports/Weekly")["owner"]["id"] == bob
    assert folder(insight, "/Logistics/Plans")["shareStatus"] == "PRIVATE"


def test_export_then_apply_is_a_round_trip(insight, run_playbook):
    insight.reset({"users": USERS, "apps": [{"name": "Plant", "folders": [
        {"name": "Lines", "share_status": "READONLY", "owner": "bob", "scenarios": [{"name": "Base"}],
         "folders": [{"name": "Line 1", "folders": [{"name": "Shift, early"}]}, {"name": "Line 2", "share_status": "PRIVATE"}]},
        {"name": "Quality"}]}]})
    exported = run_playbook(play(info("subtree", path="/Plant/Lines", format="tree"),
                                 info("app", path="/Plant", format="tree")))
    assert exported.rc == 0, exported
    lines = exported.task("subtree")["tree"]
    assert lines == [{"name": "Lines", "share_status": "READONLY", "owner": "bob", "children": [
        {"name": "Line 1", "share_status": "FULLACCESS", "owner": "alice",
         "children": [{"name": "Shift, early", "share_status": "FULLACCESS", "owner": "alice"}]},
        {"name": "Line 2", "share_status": "PRIVATE", "owner": "alice"}]}]
    assert next(f["path"] for f in exported.task("subtree")["folders"]) == "/Plant/Lines"
    whole = exported.task("app")["tree"]
    assert [n["name"] for n in whole] == ["Lines", "Quality"]
    state = insight.state()
    insight.reset_counters()
    applied = run_playbook(play(task("subtree back", path="/Plant", tree=lines),
                                task("app back", path="/Plant", tree=whole, prune=True)))
    assert applied.rc == 0, applied
    for name in ("subtree back", "app back"):
        assert status(applied, name) == "ok" and applied.task(name)["counts"]["unchanged"] > 0
    assert writes(insight.counters()) == 0 and insight.state() == state
    # An edit to the exported file is one write (in Line 1: alice may write there, not in bob's READONLY Lines).
    line1 = dict(lines[0]["children"][0], children=lines[0]["children"][0]["children"] + [{"name": "Shift, late"}])
    edited = [dict(lines[0], children=[line1, lines[0]["children"][1]])]
    insight.reset_counters()
    third = run_playbook(play(task("edited", path="/Plant", tree=edited)))
    assert third.rc == 0, third
    assert third.task("edited")["created"] == ["/Plant/Lines/Line 1/Shift, late"] and writes(insight.counters()) == 1


def test_tree_bad_input_is_refused_before_any_write(insight, run_playbook):
    before = insight.state()
    book = play(
        task("dup", path="/Logistics", tree=[{"name": "A"}, {"A": None}], _ignore=True),
        task("empty", path="/Logistics", tree=[{"name": "A", "children": [{"name": ""}]}], _ignore=True),
        task("owner", path="/Logistics", tree=[{"name": "New", "children": [{"name": "X", "owner": "nobody"}]}],
             _ignore=True),
        task("scenario", path="/Logistics", tree=[{"name": "New"}, {"name": "Sandbox"}], _ignore=True),
        task("bad share", path="/Logistics", tree=[{"name": "A", "share_status": "PUBLIC"}], _ignore=True),
        task("unknown key", path="/Logistics", tree=[{"name": "A", "colour": "red"}], _ignore=True),
        task("state", path="/Logistics", tree={"A": None}, state="absent", _ignore=True),
        task("prune alone", path="/Logistics/Reports", prune=True, _ignore=True),
        task("missing parent", path="/Logistics/Nowhere", tree={"A": None}, _ignore=True),
    )
    result = run_playbook(book)
    expected = {
        "dup": "tree (top level): the name 'A' is given twice among siblings",
        "empty": "tree (under A, node 1): the name '' is empty",
        "owner": "tree (/Logistics/New/X): owner: there is no user named 'nobody'",
        "scenario": "tree (/Logistics/Sandbox): is a scenario on the server, not a folder",
        "bad share": "share_status 'PUBLIC' is not one of",
        "unknown key": "tree (A): unknown key 'colour'",
        "state": "use it with state=present",
        "prune alone": "prune: only used with tree",
        "missing parent": "path: there is no folder /Logistics/Nowhere",
    }
    for name, fragment in expected.items():
        assert status(result, name) == "failed", name
        assert fragment in result.task(name)["msg"], (name, result.task(name)["msg"])
        assert "\n" not in result.task(name)["msg"]
    assert insight.state() == before


def test_lost_answers_and_overload_make_no_duplicates(insight, run_playbook):
    empty_plant(insight)
    # The server creates the folder, then the answer is lost (twice), and one create meets a 503 first.
    insight.faults({"route": "POST /api/folders", "kind": "drop", "when": "after", "count": 2},
                   {"route": "POST /api/folders", "kind": "status", "status": 503, "count": 1})
    run = run_playbook(play(task("tree", path="/Plant", tree=PLANNING)))
    assert run.rc == 0, run
    assert sorted(run.task("tree")["created"]) == PLANNING_PATHS
    assert paths(insight, "Plant") == PLANNING_PATHS  # every folder once, no "(1)"
    assert len([e for e in insight.log() if e.get("fault")]) == 3  # all three faults did fire
    insight.clear_faults()
    insight.reset_counters()
    again = run_playbook(play(task("tree", path="/Plant", tree=PLANNING)))
    assert status(again, "tree") == "ok" and writes(insight.counters()) == 0
