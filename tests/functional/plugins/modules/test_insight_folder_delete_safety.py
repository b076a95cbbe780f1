"""What insight_folder deletes (state=absent, and tree with prune), through real ansible-playbook runs: never a
folder that can hold what the caller cannot see without force, never on a listing that shifted while it was read,
and never a folder whose content changed between the plan and its DELETE."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
import requests

from folder_helpers import USERS, folder, paths, play, status, task, writes

SHARED_SEED = {"users": USERS, "apps": [{"name": "Logistics", "folders": [
    {"name": "Keep", "share_status": "PRIVATE"},
    {"name": "Shared", "owner": "alice", "share_status": "FULLACCESS", "folders": [
        {"name": "Bob hidden", "owner": "bob", "share_status": "PRIVATE", "scenarios": [{"name": "Bob plan"}]}]},
]}]}


def bobs_things(insight: Any) -> List[str]:
    state = insight.state()
    return sorted(i["path"] for i in state["folders"] + state["scenarios"] if "Bob" in i["path"])


def insight_faults(insight: Any) -> List[Dict[str, Any]]:
    return requests.get(insight.url + "/_emulator/faults", timeout=30).json()["rules"]


BOBS = ["/Logistics/Shared/Bob hidden", "/Logistics/Shared/Bob hidden/Bob plan"]


@pytest.mark.parametrize("check", [False, True])
def test_a_fullaccess_folder_that_looks_empty_is_not_deleted_without_force(insight, run_playbook, check):
    insight.reset(SHARED_SEED)
    insight.reset_counters()
    book = play(task("absent", _ignore=True, path="/Logistics/Shared", state="absent"),
                task("prune", _ignore=True, path="/Logistics", tree=["Keep"], prune=True))
    result = run_playbook(book, check=check)
    for name, head, tail in (("absent", "", "Nothing was deleted"), ("prune", "prune: ", "Nothing was changed")):
        assert status(result, name) == "failed"
        msg = result.task(name)["msg"]
        assert msg.startswith(head + "/Logistics/Shared is FULLACCESS, so other users may have put PRIVATE folders "
                                     "or scenarios in it that this user cannot see"), msg
        assert "set force: true" in msg and msg.endswith(tail) and "\n" not in msg
    assert writes(insight.counters()) == 0
    assert bobs_things(insight) == BOBS

    forced = run_playbook(play(task("absent", path="/Logistics/Shared", state="absent", force=True)), check=check)
    assert forced.task("absent")["deleted"] == ["/Logistics/Shared"]
    assert bobs_things(insight) == ([] if not check else BOBS)


def test_prune_with_force_deletes_what_it_cannot_see_too(insight, run_playbook):
    insight.reset(SHARED_SEED)
    done = run_playbook(play(task("prune", path="/Logistics", tree=["Keep"], prune=True, force=True)))
    assert done.rc == 0, done
    assert done.task("prune")["deleted"] == ["/Logistics/Shared"]
    assert bobs_things(insight) == [] and paths(insight) == ["/Logistics/Keep"]


def test_a_folder_of_another_user_or_with_an_open_folder_below_is_refused(insight, run_playbook):
    insight.reset({"users": USERS, "apps": [{"name": "Logistics", "folders": [
        {"name": "Bobs", "owner": "bob", "share_status": "READONLY"},
        {"name": "Mine", "owner": "alice", "share_status": "PRIVATE", "folders": [
            {"name": "Open", "owner": "alice", "share_status": "FULLACCESS"}]},
    ]}]})
    result = run_playbook(play(task("theirs", _ignore=True, path="/Logistics/Bobs", state="absent")))
    assert result.task("theirs")["msg"].startswith("/Logistics/Bobs is owned by Bob Builder, not by this user")
    only_mine = run_playbook(play(task("below", _ignore=True, path="/Logistics", tree=["Bobs"], prune=True)))
    assert only_mine.task("below")["msg"].startswith(
        "prune: /Logistics/Mine/Open (below /Logistics/Mine) is FULLACCESS, so other users may have put")
    assert paths(insight) == ["/Logistics/Bobs", "/Logistics/Mine", "/Logistics/Mine/Open"]


def test_own_private_and_readonly_folders_are_deleted_without_force(insight, run_playbook):
    insight.reset({"users": USERS, "apps": [{"name": "Logistics", "folders": [
        {"name": "Keep"},
        {"name": "Mine", "owner": "alice", "share_status": "PRIVATE"},
        {"name": "Closed", "owner": "alice", "share_status": "READONLY", "folders": [
            {"name": "Inner", "owner": "alice", "share_status": "PRIVATE"}]},
    ]}]})
    result = run_playbook(play(task("absent", path="/Logistics/Mine", state="absent"),
                               task("prune", path="/Logistics", tree=["Keep"], prune=True)))
    assert result.rc == 0, result
    assert result.task("absent")["deleted"] == ["/Logistics/Mine"]
    assert result.task("prune")["deleted"] == ["/Logistics/Closed"]
    assert paths(insight) == ["/Logistics/Keep"]


def shifting_seed(before: int, after: int) -> Dict[str, Any]:
    """/Plant/Old: `before` folders, the one scenario, then `after` folders (listing order), all alice's PRIVATE."""
    children = ([{"name": "A%03d" % n, "share_status": "PRIVATE"} for n in range(before)]
                + [{"name": "C%03d" % n, "share_status": "PRIVATE"} for n in range(after)])
    return {"users": USERS, "apps": [{"name": "Plant", "folders": [
        {"name": "Keep"},
        {"name": "Old", "owner": "alice", "share_status": "PRIVATE", "folders": children,
         "scenarios": [{"name": "B only plan"}]}]}]}


@pytest.mark.parametrize("cap, before, after", [(2, 2, 2), (100, 100, 2)], ids=["below-cap", "above-cap"])
def test_prune_follows_a_listing_that_shifts_between_its_pages(insight, run_playbook, cap, before, after):
    insight.reset(shifting_seed(before, after))
    insight.config(page_size_cap=cap)
    old = folder(insight, "/Plant/Old")["id"]
    # Another writer moves the first item out of Old right after its page 0 is answered: the only scenario slides
    # from page 1 onto page 0, which the run has read already.
    insight.faults({"route": "GET /api/folders/{id}/children", "kind": "move_children", "target": old, "count": 1})
    result = run_playbook(play(task("prune", _ignore=True, path="/Plant", tree=["Keep"], prune=True,
                                    max_deletions=0)))
    assert [r["fired"] for r in insight_faults(insight)] == [1]
    assert status(result, "prune") == "failed"
    msg = result.task("prune")["msg"]
    assert msg.startswith("prune: /Plant/Old holds 1 scenario(s)") and msg.endswith("Nothing was changed"), msg
    assert "/Plant/Old/B only plan" in [s["path"] for s in insight.state()["scenarios"]]
    assert "/Plant/Old" in paths(insight)


def test_content_that_appears_before_the_delete_stops_it_even_with_force(insight, run_playbook):
    insight.reset(SHARED_SEED)
    shared = folder(insight, "/Logistics/Shared")["id"]
    hidden = folder(insight, "/Logistics/Shared/Bob hidden")["id"]
    # Right after the run reads Shared again before its DELETE, bob moves his scenario out of his PRIVATE folder.
    insight.faults({"route": "GET /api/folders/{id}", "kind": "move_children", "target": shared, "container": hidden,
                    "count": 1})
    result = run_playbook(play(task("absent", _ignore=True, path="/Logistics/Shared", state="absent", force=True)))
    assert status(result, "absent") == "failed"
    failed = result.task("absent")
    assert failed["msg"] == ("/Logistics/Shared: now holds 1 scenario the plan did not see; it was not deleted, and no "
                             "further folder was deleted (run the task again to plan with what is there now)")
    assert failed["deleted"] == [] and failed["changed"] is False
    assert "/Logistics/Shared/Bob plan" in [s["path"] for s in insight.state()["scenarios"]]
    assert writes(insight.counters()) == 0


def test_a_prune_stops_at_the_first_folder_that_changed_and_reports_what_it_deleted(insight, run_playbook):
    insight.reset({"users": USERS, "apps": [{"name": "Plant", "folders": [
        {"name": "Keep"},
        {"name": "X1", "share_status": "PRIVATE"},
        {"name": "X2", "share_status": "PRIVATE", "folders": [{"name": "Y", "share_status": "PRIVATE"}]},
        {"name": "X3", "share_status": "PRIVATE"},
    ]}]})
    x2 = folder(insight, "/Plant/X2")["id"]
    insight.faults({"route": "GET /api/folders/{id}", "kind": "move_children", "target": x2, "count": 1})
    result = run_playbook(play(task("prune", _ignore=True, path="/Plant", tree=["Keep"], prune=True)))
    failed = result.task("prune")
    assert status(result, "prune") == "failed"
    assert failed["msg"] == ("prune: /Plant/X2: no longer holds 1 folder the plan saw; it was not deleted, and no "
                             "further folder was deleted (run the task again to plan with what is there now); already "
                             "deleted by this run: /Plant/X1")
    assert failed["deleted"] == ["/Plant/X1"] and failed["changed"] is True
    assert paths(insight, "Plant") == ["/Plant/Keep", "/Plant/X2", "/Plant/X3", "/Plant/Y"]
