"""insight_folder_info through real ansible-playbook runs: by path, id and app, recursion with a depth limit,
scenarios, and no writes ever."""

from __future__ import annotations

from folder_helpers import folder, info, play, route, status, writes


def names(result):
    return [f["path"] for f in result["folders"]]


def test_folder_info_reads_without_writing(insight, run_playbook):
    reports = folder(insight, "/Logistics/Reports")
    book = play(
        info("by path", path="/Logistics/Reports"),
        info("by id", id=reports["id"], include_scenarios=True),
        info("app root", app="Logistics"),
        info("app root by path", path="/Portfolio", include_scenarios=True),
        info("whole app", app="Logistics", recurse=True, include_scenarios=True),
        info("one level", path="/Logistics/Archive", recurse=True, depth=1),
        info("missing", path="/Logistics/Nope/Deeper"),
        info("unknown app", _ignore=True, app="Nowhere"),
        info("depth without recurse", _ignore=True, app="Logistics", depth=2),
    )
    insight.reset_counters()
    result = run_playbook(book, check=True)
    assert writes(insight.counters()) == 0

    by_path = result.task("by path")
    assert names(by_path) == ["/Logistics/Reports"] and "scenarios" not in by_path
    entry = by_path["folders"][0]
    assert entry["id"] == reports["id"] and entry["parent"]["object_type"] == "APP"
    assert entry["share_status"] == "FULLACCESS" and entry["owner"]["name"] == "Alice Able"
    assert entry["app"]["name"] == "Logistics" and entry["url"] == insight.url + "/api/folders/" + reports["id"]
    assert sorted(entry) == ["app", "id", "name", "owner", "parent", "path", "share_status", "url"]

    by_id = result.task("by id")
    assert names(by_id) == ["/Logistics/Reports"]
    assert sorted(s["name"] for s in by_id["scenarios"]) == ["Base case", "High demand"]
    assert sorted(by_id["scenarios"][0]) == sorted(entry)

    # Alice does not see Bob's private folder.
    assert sorted(names(result.task("app root"))) == ["/Logistics/Archive", "/Logistics/Reports"]
    assert sorted(names(result.task("app root by path"))) == ["/Portfolio/Models", "/Portfolio/Shared"]
    assert result.task("app root by path")["scenarios"] == []

    whole = result.task("whole app")
    assert sorted(names(whole)) == ["/Logistics/Archive", "/Logistics/Archive/2023", "/Logistics/Reports",
                                    "/Logistics/Reports/Weekly"]
    assert sorted(s["path"] for s in whole["scenarios"]) == [
        "/Logistics/Archive/2023/Q4 plan", "/Logistics/Reports/Base case", "/Logistics/Reports/High demand",
        "/Logistics/Reports/Weekly/Week 1", "/Logistics/Sandbox"]
    assert names(result.task("one level")) == ["/Logistics/Archive", "/Logistics/Archive/2023"]
    assert result.task("missing")["folders"] == []
    assert status(result, "unknown app") == "failed"
    assert "app: there is no app named 'Nowhere'" in result.task("unknown app")["msg"]
    assert status(result, "depth without recurse") == "failed"
    assert "depth: limits recurse" in result.task("depth without recurse")["msg"]
    assert all(status(result, n) == "ok" for n in ("by path", "by id", "app root", "whole app", "missing"))


def test_folder_info_depth_limits_the_listings(insight, run_playbook):
    insight.reset("demo", generate={"folders": {"app": "Portfolio", "parent": "/Portfolio/Shared", "breadth": 3, "depth": 3}})
    insight.reset_counters()
    result = run_playbook(play(info("two levels", path="/Portfolio/Shared", recurse=True, depth=2),
                               info("all", path="/Portfolio/Shared", recurse=True)))
    two = result.task("two levels")
    assert len(two["folders"]) == 1 + 3 + 9
    assert len(result.task("all")["folders"]) == 1 + 3 + 9 + 27
    counters = insight.counters()
    # depth 2 lists Shared and its 3 children; the unlimited walk lists 1 + 3 + 9 + 27 folders.
    assert route(counters, "GET /api/folders/{id}/children") == (1 + 3) + (1 + 3 + 9 + 27)
    assert writes(counters) == 0
