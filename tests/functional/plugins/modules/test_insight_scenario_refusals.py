"""insight_scenario refusals: every bad input fails in one line before any move, twin names, moves across apps,
a suffix the server makes anyway (moved back), a lost answer (never sent twice), a read-only user."""

from __future__ import annotations

from typing import Any, Dict, List

from folder_helpers import USERS, play, route, status, writes
from test_insight_scenario import scenario, scenario_paths, scenario_task

SEED: Dict[str, Any] = {
    "users": USERS,
    "apps": [
        {"name": "Logistics", "scenarios": [{"name": "Loose"}], "folders": [
            {"name": "Twins", "scenarios": [{"name": "Plan"}, {"name": "Plan", "twin": True}, {"name": "Solo"}]},
            {"name": "A", "scenarios": [{"name": "Same"}, {"name": "Clash"}, {"name": "Hidden"}]},
            {"name": "B", "scenarios": [{"name": "Same"}]},
            {"name": "Dest", "scenarios": [{"name": "Clash"}, {"name": "solo"}], "folders": [
                {"name": "Inner"}, {"name": "Hidden", "share_status": "PRIVATE", "owner": "bob"}]},
        ]},
        {"name": "Portfolio", "folders": [{"name": "Models", "scenarios": [{"name": "Balanced"}]}]},
    ],
}


def twin_ids(insight: Any) -> List[str]:
    return sorted(s["id"] for s in insight.state()["scenarios"] if s["path"] == "/Logistics/Twins/Plan")


def one_line(result: Any, name: str, fragment: str) -> str:
    assert status(result, name) == "failed", (name, result.task(name))
    msg = result.task(name)["msg"]
    assert "\n" not in msg.strip() and "Traceback" not in str(result.task(name)), msg
    assert fragment in msg, (name, fragment, msg)
    return msg


CASES = {
    "path names a folder": ({"path": "/Logistics/Twins", "state": "moved", "dest": "/Logistics/Dest"},
                            "path: /Logistics/Twins is a folder, not a scenario; insight_folder moves folders"),
    "missing scenario": ({"path": "/Logistics/A/Nope", "state": "moved", "dest": "/Logistics/Dest"},
                         "path: there is no scenario /Logistics/A/Nope to move (or it is not visible to this user), "
                         "and /Logistics/Dest holds no scenario named 'Nope'"),
    "missing folder on the path": ({"path": "/Logistics/Gone/Plan", "state": "moved", "dest": "/Logistics/Dest"},
                                   "path: there is no scenario /Logistics/Gone/Plan to move"),
    "dest in another app": ({"path": "/Logistics/A/Same", "state": "moved", "dest": "/Portfolio/Models"},
                            "dest: /Portfolio/Models is in another app than /Logistics/A/Same; scenarios cannot move "
                            "across apps"),
    "dest app root of another app": ({"path": "/Logistics/A/Same", "state": "moved", "dest": "/Portfolio"},
                                     "scenarios cannot move across apps"),
    "dest names a scenario": ({"path": "/Logistics/A/Same", "state": "moved", "dest": "/Logistics/Loose"},
                              "dest: /Logistics/Loose is a scenario, not a folder"),
    "dest missing": ({"path": "/Logistics/A/Same", "state": "moved", "dest": "/Logistics/Nowhere/Deeper"},
                     "dest: there is no folder /Logistics/Nowhere"),
    "dest_id unknown": ({"path": "/Logistics/A/Same", "state": "moved", "dest_id": "0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11"},
                        "dest_id: there is no folder or app 0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11"),
    "dest holds the name": ({"path": "/Logistics/A/Clash", "state": "moved", "dest": "/Logistics/Dest"},
                            "dest: /Logistics/Dest already holds a scenario named 'Clash'"),
    "two of one name into one folder": ({"path": ["/Logistics/A/Same", "/Logistics/B/Same"], "state": "moved",
                                         "dest": "/Logistics/Dest"},
                                        "path: /Logistics/A/Same and /Logistics/B/Same would both move into "
                                        "/Logistics/Dest under one name ('Same')"),
    "dest holds a name differing by case": ({"path": "/Logistics/Twins/Solo", "state": "moved", "dest": "/Logistics/Dest"},
                                            "dest: /Logistics/Dest holds 'solo', a name that differs from 'Solo' only "
                                            "by case"),
    "a bad path after good ones": ({"path": ["/Logistics/A/Same", "/Logistics/Loose", "/Logistics/Twins"],
                                    "state": "moved", "dest": "/Logistics/Dest/Inner"},
                                   "path: /Logistics/Twins is a folder, not a scenario"),
    "path names the app": ({"path": "/Logistics", "state": "moved", "dest": "/Logistics/Dest"},
                           "path: '/Logistics' names the app 'Logistics', not a scenario"),
    "path empty": ({"path": "", "state": "moved", "dest": "/Logistics/Dest"}, "path: is empty (an unset variable?)"),
    "path empty list": ({"path": [], "state": "moved", "dest": "/Logistics/Dest"}, "path: the list is empty"),
    "path with //": ({"path": "/Logistics//Loose", "state": "moved", "dest": "/Logistics/Dest"},
                     "path: '/Logistics//Loose' contains an empty folder name (//)"),
    "path unknown app": ({"path": "/Nowhere/X", "state": "moved", "dest": "/Logistics/Dest"},
                         "path: there is no app named 'Nowhere'"),
    "id not a uuid": ({"id": "scenario-1", "state": "moved", "dest": "/Logistics/Dest"}, "id: 'scenario-1' is not a UUID"),
    "id list with a bad item": ({"id": ["0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11", "nope"], "state": "moved",
                                 "dest": "/Logistics/Dest"}, "id[1]: 'nope' is not a UUID"),
    "id unknown": ({"id": "0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11", "state": "moved", "dest": "/Logistics/Dest"},
                   "id: there is no scenario 0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11 (or it is not visible to this user)"),
    "dest empty": ({"path": "/Logistics/Loose", "state": "moved", "dest": ""}, "dest: is empty"),
    "dest without state moved": ({"path": "/Logistics/Loose", "dest": "/Logistics/Dest"},
                                 "dest, dest_id: only used with state=moved"),
    "moved without dest": ({"path": "/Logistics/Loose", "state": "moved"}, "dest or dest_id: state=moved needs"),
    "path and id": ({"path": "/Logistics/Loose", "id": "0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11"},
                    "mutually exclusive: path|id"),
    "twin names by path": ({"path": "/Logistics/Twins/Plan", "state": "moved", "dest": "/Logistics/Dest"},
                           "path: /Logistics/Twins/Plan names 2 scenarios (ids "),
}


def test_bad_input_fails_in_one_line_and_moves_nothing(insight, run_playbook):
    insight.reset(SEED)
    before = scenario_paths(insight)
    result = run_playbook(play(*[scenario_task(name, _ignore=True, **args) for name, (args, _m) in CASES.items()]))
    for name, (_args, fragment) in CASES.items():
        one_line(result, name, fragment)
        assert result.task(name).get("moved") in (None, []), name
    ids = twin_ids(insight)
    assert all(i in result.task("twin names by path")["msg"] for i in ids) and len(ids) == 2
    assert scenario_paths(insight) == before
    assert writes(insight.counters()) == 0


def test_a_twin_moves_by_id_and_the_other_stays(insight, run_playbook):
    insight.reset(SEED)
    first, second = twin_ids(insight)
    book = play(scenario_task("one twin", id=first, state="moved", dest="/Logistics/Dest"))
    result = run_playbook(book)
    assert result.rc == 0, result
    assert result.task("one twin")["moved"] == ["/Logistics/Twins/Plan"]
    assert scenario(insight, "/Logistics/Dest/Plan")["id"] == first
    assert scenario(insight, "/Logistics/Twins/Plan")["id"] == second
    insight.reset_counters()
    again = run_playbook(book)
    assert again.task("one twin")["changed"] is False and writes(insight.counters()) == 0
    # By path, the remaining twin is one scenario again; dest now holds its name, so it is refused.
    clash = run_playbook(play(scenario_task("other twin", _ignore=True, path="/Logistics/Twins/Plan", state="moved",
                                            dest="/Logistics/Dest")))
    one_line(clash, "other twin", "dest: /Logistics/Dest already holds a scenario named 'Plan'")


def test_twins_in_dest_are_not_taken_for_an_earlier_move(insight, run_playbook):
    insight.reset(SEED)
    result = run_playbook(play(scenario_task("gone", _ignore=True, path="/Logistics/A/Plan", state="moved",
                                             dest="/Logistics/Twins")))
    one_line(result, "gone", "path: there is no scenario /Logistics/A/Plan, and /Logistics/Twins holds 2 scenarios "
                             "named 'Plan'")
    assert writes(insight.counters()) == 0


def test_read_only_user_gets_the_servers_403_and_nothing_moves(insight, run_playbook):
    insight.reset(SEED)
    env = {"INSIGHT_CLIENT_ID": "rita-id", "INSIGHT_SECRET": "rita-secret"}
    result = run_playbook(play(scenario_task("rita", _ignore=True, path="/Logistics/Loose", state="moved",
                                             dest="/Logistics/Dest")), env=env)
    one_line(result, "rita", "403")
    assert scenario(insight, "/Logistics/Loose")


def test_a_suffix_the_listing_could_not_foresee_is_moved_back_and_named(insight, run_playbook):
    insight.reset(SEED)
    hidden = scenario(insight, "/Logistics/A/Hidden")
    # Dest holds bob's PRIVATE folder 'Hidden', which alice's listing never shows: the server suffixes the move.
    result = run_playbook(play(scenario_task("hidden", _ignore=True, path="/Logistics/A/Hidden", state="moved",
                                             dest="/Logistics/Dest")))
    one_line(result, "hidden", "dest: /Logistics/A/Hidden: /Logistics/Dest holds a name this user cannot see")
    one_line(result, "hidden", "as 'Hidden (1)' instead; moved it back to /Logistics/A, where it is now named "
                               "'Hidden (1)': rename it to 'Hidden' in Insight")
    assert not result.task("hidden").get("changed") and not result.task("hidden").get("moved")
    back = [s for s in insight.state()["scenarios"] if s["id"] == hidden["id"]]
    assert [s["path"] for s in back] == ["/Logistics/A/Hidden (1)"]
    assert route(insight.counters(), "POST /api/folders/{id}/children") == 2


def test_a_lost_move_answer_is_not_sent_twice(insight, run_playbook):
    insight.reset(SEED)
    loose = scenario(insight, "/Logistics/Loose")
    insight.faults({"route": "POST /api/folders/{id}/children", "kind": "status", "status": 503, "when": "after",
                    "count": 1})
    result = run_playbook(play(scenario_task("lost", path="/Logistics/Loose", state="moved", dest="/Logistics/Dest")))
    assert result.rc == 0, result
    assert result.task("lost")["moved"] == ["/Logistics/Loose"]
    assert result.task("lost")["scenario"]["path"] == "/Logistics/Dest/Loose"
    assert scenario(insight, "/Logistics/Dest/Loose")["id"] == loose["id"]
    assert route(insight.counters(), "POST /api/folders/{id}/children") == 1


def test_a_failure_after_earlier_moves_lists_them(insight, run_playbook):
    insight.reset(SEED)
    # The second move is refused by the server (403 injected): the first stays moved and the task says so.
    insight.faults({"route": "POST /api/folders/{id}/children", "kind": "status", "status": 403, "skip": 1, "count": 1})
    result = run_playbook(play(scenario_task("half", _ignore=True, path=["/Logistics/Loose", "/Logistics/A/Same"],
                                             state="moved", dest="/Logistics/Dest")))
    msg = one_line(result, "half", "403")
    assert "moved before this: /Logistics/Loose" in msg
    assert result.task("half")["moved"] == ["/Logistics/Loose"] and result.task("half")["changed"] is True
    assert scenario(insight, "/Logistics/Dest/Loose") and scenario(insight, "/Logistics/A/Same")
