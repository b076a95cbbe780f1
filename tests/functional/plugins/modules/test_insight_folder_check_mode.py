"""insight_folder check mode reports exactly what the real run then does: the same created, updated, moved and
deleted lists in the same order, the same diff entries, and the same folders apart from the ids a real run gets."""

from __future__ import annotations

from typing import Any, Dict, List

import folder_trees
import pytest
from folder_helpers import paths, play, task, writes

# Parents listed beside their children, in the order a user writes them (the case that repeated /Logistics/P).
SIBLINGS = ["/Logistics/P", "/Logistics/P/2025", "/Logistics/P/2025/Q1", "/Logistics/P/2025/Q2", "/Logistics/F",
            "/Logistics/F/B"]
ELEVEN = ["/Logistics/Ops", "/Logistics/Ops/North", "/Logistics/Ops/North/Depot 1", "/Logistics/Ops/North/Depot 2",
          "/Logistics/Ops/South", "/Logistics/Ops/South/Depot 3", "/Logistics/Reports/Monthly",
          "/Logistics/Reports/Monthly/2025", "/Logistics/Reports/Weekly/Week 2", "/Logistics/Plans, draft",
          "/Logistics/Plans, draft/Q1"]
CHILDREN_FIRST = ["/Portfolio/Risk/Stress/Severe", "/Portfolio/Risk", "/Portfolio/Models/Risk", "/Portfolio/Risk/Stress",
                  "/Portfolio/Shared/In", "/Portfolio/Shared"]

# Each case: the tasks compared, and a set-up run before them. Check mode of one task cannot see what an earlier
# task would have done, so the tasks of a case touch different folders, and the folders they rename or move are
# made by the set-up run.
TREES = {
    "parents beside children": ([task("tree", path=SIBLINGS)], []),
    "eleven paths, some existing": ([task("tree", path=ELEVEN)], []),
    "children before parents, with settings": ([task("tree", path=CHILDREN_FIRST, share_status="READONLY")], []),
    "one hundred folders": ([task("tree", path=folder_trees.tree_paths("Portfolio", ("Region", "Site", "Line")))], []),
    "settle, rename, move, delete": ([
        task("tree", path=["/Logistics/P/2025/Q3", "/Logistics/P", "/Logistics/New/A"], share_status="PRIVATE",
             owner="alice"),
        task("hand over", path="/Logistics/Reports", share_status="READONLY", owner="bob", cascade=True),
        task("rename", path="/Logistics/F/B", name="Budgets"),
        task("move", path=["/Logistics/P/2025/Q1", "/Logistics/P/2025/Q2"], state="moved", dest="/Logistics/F"),
        task("delete", path=["/Logistics/Archive", "/Logistics/Archive/2023", "/Portfolio/Shared"], state="absent",
             force=True),
    ], [task("set up", path=SIBLINGS)]),
}

LISTS = ("changed", "created", "updated", "moved", "deleted", "diff")


def without_ids(view: Any) -> Any:
    """A folder as check mode can know it: a folder it would create has no id or url yet."""
    if not isinstance(view, dict):
        return view
    out = {key: value for key, value in view.items() if key not in ("id", "url")}
    out["parent"] = {key: value for key, value in (view.get("parent") or {}).items() if key != "id"}
    return out


def comparable(result: Dict[str, Any]) -> Dict[str, Any]:
    out = {key: result[key] for key in LISTS}
    if "folders" in result:
        out["folders"] = [without_ids(f) for f in result["folders"]]
    else:
        out["folder"] = without_ids(result["folder"])
    return out


@pytest.mark.parametrize("tree", list(TREES), ids=list(TREES))
def test_check_mode_returns_what_the_real_run_does(insight, run_playbook, tree):
    tasks: List[Dict[str, Any]] = TREES[tree][0]
    if TREES[tree][1]:
        assert run_playbook(play(*TREES[tree][1])).rc == 0
    book = play(*tasks)
    before = insight.state()
    insight.reset_counters()
    checked = run_playbook(book, check=True, diff=True)
    assert checked.rc == 0, checked
    assert writes(insight.counters()) == 0 and insight.state() == before
    real = run_playbook(book, diff=True)
    assert real.rc == 0, real
    for entry in tasks:
        name = entry["name"]
        predicted, done = comparable(checked.task(name)), comparable(real.task(name))
        assert predicted == done, (name, predicted, done)
        assert len(set(done["created"])) == len(done["created"]), done["created"]
        assert [d["after_header"] for d in done["diff"] if not d["before"]] == done["created"]
    # What the real run reported is what the server now holds, each path once.
    after = paths(insight)
    assert len(after) == len(set(after))
    made = [p for entry in tasks for p in real.task(entry["name"])["created"]]
    if not TREES[tree][1]:
        assert set(after) - {f["path"] for f in before["folders"]} == set(made)
    else:
        assert {"/Logistics/F/Budgets", "/Logistics/F/Q1", "/Logistics/F/Q2", "/Logistics/P/2025"} <= set(after)
        assert not {"/Logistics/F/B", "/Logistics/P/2025/Q1", "/Logistics/Archive", "/Portfolio/Shared"} & set(after)
