"""insight_folder's `parallel`, through real ansible-playbook runs: a tree and a path list made with several requests
at a time leave the server as one request at a time does, report the same, and send exactly the same requests."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest

from folder_helpers import USERS, paths, play, status, task, writes

REGIONS = ("North", "South", "East", "West", "Central")
TREE = [{"name": region, "share_status": "READONLY" if region == "East" else None,
         "children": [{"name": "Q%d" % quarter, "children": [{"name": "W%d" % week} for week in range(1, 5)]}
                      for quarter in range(1, 4)]}
        for region in REGIONS]
PATHS = ["/Plant/Lists/%s/Q%d/W%d" % (region, quarter, week)
         for region in REGIONS[:3] for quarter in range(1, 3) for week in range(1, 4)]


def plant_with_some_folders(insight: Any, run_playbook: Any) -> None:
    """An app where part of the tree exists: some listings to read, some folders to create under each depth."""
    insight.reset({"users": USERS, "apps": [{"name": "Plant"}]})
    book = play(task("seed", path=["/Plant/Tree/North/Q1/W1", "/Plant/Tree/East/Q2", "/Plant/Tree/Old",
                                   "/Plant/Lists/South/Q1/W2"]))
    assert run_playbook(book).rc == 0


def strip_tree(nodes: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [dict({k: v for k, v in n.items() if v is not None and k != "children"},
                 **({"children": strip_tree(n["children"])} if n.get("children") else {})) for n in nodes]


Outcome = Tuple[Dict[str, Any], Dict[str, Any], Dict[str, Any], List[str], Dict[str, int]]


def apply(insight: Any, run_playbook: Any, parallel: int) -> Outcome:
    plant_with_some_folders(insight, run_playbook)
    insight.reset_counters()
    result = run_playbook(play(task("tree", path="/Plant/Tree", tree=strip_tree(TREE), prune=True, force=True,
                                    parallel=parallel),
                               task("list", path=PATHS, parallel=parallel)), diff=True)
    assert result.rc == 0, result
    state = {f["path"]: (f["shareStatus"], f["owner"]["id"]) for f in insight.state()["folders"]}
    return result.task("tree"), result.task("list"), state, paths(insight, "Plant"), insight.counters()["by_route"]


def test_parallel_and_one_at_a_time_give_the_same_server_result_and_requests(insight, run_playbook):
    tree_1, list_1, state_1, paths_1, routes_1 = apply(insight, run_playbook, 1)
    tree_8, list_8, state_8, paths_8, routes_8 = apply(insight, run_playbook, 8)
    assert paths_8 == paths_1 and state_8 == state_1
    assert "/Plant/Tree/Old" not in paths_8 and "/Plant/Tree/West/Q3/W4" in paths_8
    assert tree_8["counts"] == tree_1["counts"] == {"created": 80 - 5, "updated": 1, "deleted": 1,
                                                    "unchanged": 4}
    for key in ("changed", "created", "updated", "deleted", "changes", "counts", "tree", "diff"):
        assert tree_8[key] == tree_1[key], key
    for key in ("changed", "created", "updated", "diff"):
        assert list_8[key] == list_1[key], key
    assert [f["path"] for f in list_8["folders"]] == PATHS
    # Exactly the same requests: the listing of each existing folder once, one POST per missing folder.
    assert routes_8 == routes_1


def test_check_mode_with_parallel_plans_the_real_run(insight, run_playbook):
    plant_with_some_folders(insight, run_playbook)
    book = play(task("tree", path="/Plant/Tree", tree=strip_tree(TREE), prune=True, force=True, parallel=8))
    before = insight.state()
    insight.reset_counters()
    preview = run_playbook(book, check=True, diff=True)
    assert preview.rc == 0, preview
    assert writes(insight.counters()) == 0 and insight.state() == before
    real = run_playbook(book, diff=True)
    assert real.rc == 0, real
    for key in ("changed", "created", "updated", "deleted", "changes", "counts", "tree", "diff"):
        assert preview.task("tree")[key] == real.task("tree")[key], key


@pytest.mark.parametrize("parallel", [0, 33])
def test_parallel_out_of_range_fails_before_any_call(insight, run_playbook, parallel):
    insight.reset_counters()
    result = run_playbook(play(task("bad", path="/Logistics/New", parallel=parallel, _ignore=True),
                               task("bad tree", path="/Logistics", tree=[{"name": "New"}], parallel=parallel,
                                    _ignore=True)))
    for name in ("bad", "bad tree"):
        assert status(result, name) == "failed"
        assert result.task(name)["msg"] == "parallel: must be between 1 and 32, got %d" % parallel
    assert writes(insight.counters()) == 0
    assert "/Logistics/New" not in paths(insight)
