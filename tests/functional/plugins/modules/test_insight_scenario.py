"""insight_scenario through real ansible-playbook runs against the emulator: moves of one and many scenarios, to a
folder and to the app root, re-runs that change nothing, check mode equal to the real run, diff, state=present."""

from __future__ import annotations

from typing import Any, Dict, List

from folder_helpers import play, route, status, task, writes

SCENARIO = "xpress.insight.insight_scenario"


def scenario_task(title: str, **args: Any) -> Dict[str, Any]:
    return task(title, SCENARIO, **args)


def scenario(insight: Any, path: str) -> Dict[str, Any]:
    found = [s for s in insight.state()["scenarios"] if s["path"] == path]
    assert len(found) == 1, (path, found)
    return found[0]


def scenario_paths(insight: Any) -> List[str]:
    return sorted(s["path"] for s in insight.state()["scenarios"])


def moves(counters: Dict[str, Any]) -> int:
    return route(counters, "POST /api/folders/{id}/children") + route(counters, "POST /api/apps/{id}/children")


ARCHIVE = [
    scenario_task("many", path=["/Logistics/Reports/Base case", "/Logistics/Reports/High demand", "/Logistics/Sandbox"],
                  state="moved", dest="/Logistics/Archive/2023"),
    scenario_task("to root", path="/Logistics/Reports/Weekly/Week 1", state="moved", dest="/Logistics"),
]


def test_move_many_and_one_then_rerun_unchanged(insight, run_playbook):
    ids = {p: scenario(insight, p)["id"] for p in ("/Logistics/Reports/Base case", "/Logistics/Reports/Weekly/Week 1")}
    jobs_before = sorted((j["id"], j["scenario"]["id"]) for j in insight.state()["jobs"])
    insight.reset_counters()
    first = run_playbook(play(*ARCHIVE))
    assert first.rc == 0, first
    many = first.task("many")
    assert many["changed"] is True
    assert many["moved"] == ["/Logistics/Reports/Base case", "/Logistics/Reports/High demand", "/Logistics/Sandbox"]
    assert [s["path"] for s in many["scenarios"]] == ["/Logistics/Archive/2023/Base case",
                                                      "/Logistics/Archive/2023/High demand", "/Logistics/Archive/2023/Sandbox"]
    assert many["scenarios"][0]["id"] == ids["/Logistics/Reports/Base case"]
    assert many["scenarios"][0]["parent"]["name"] == "2023" and many["scenarios"][0]["parent"]["object_type"] == "FOLDER"
    assert many["scenarios"][0]["url"] == insight.url + "/api/scenarios/" + ids["/Logistics/Reports/Base case"]
    root = first.task("to root")
    assert root["moved"] == ["/Logistics/Reports/Weekly/Week 1"] and "scenarios" not in root
    assert root["scenario"]["path"] == "/Logistics/Week 1" and root["scenario"]["parent"]["object_type"] == "APP"
    # Moved, never copied: the ids, and the jobs on them, stay.
    assert scenario(insight, "/Logistics/Week 1")["id"] == ids["/Logistics/Reports/Weekly/Week 1"]
    assert scenario(insight, "/Logistics/Archive/2023/Base case")["id"] == ids["/Logistics/Reports/Base case"]
    assert sorted((j["id"], j["scenario"]["id"]) for j in insight.state()["jobs"]) == jobs_before
    assert not [p for p in scenario_paths(insight) if p.startswith("/Logistics/Reports/")]
    counters = insight.counters()
    # One request per scenario that moves, and no other write.
    assert route(counters, "POST /api/folders/{id}/children") == 3 and route(counters, "POST /api/apps/{id}/children") == 1
    assert writes(counters) == 4

    insight.reset_counters()
    second = run_playbook(play(*ARCHIVE))
    assert second.rc == 0, second
    assert [status(second, n) for n in ("many", "to root")] == ["ok", "ok"]
    assert second.task("many")["moved"] == [] and second.task("many")["changed"] is False
    assert [s["path"] for s in second.task("many")["scenarios"]] == [s["path"] for s in many["scenarios"]]
    assert second.task("to root")["scenario"]["id"] == ids["/Logistics/Reports/Weekly/Week 1"]
    assert writes(insight.counters()) == 0


def test_check_mode_reports_the_real_run_and_changes_nothing(insight, run_playbook):
    before = scenario_paths(insight)
    checked = run_playbook(play(*ARCHIVE), check=True, diff=True)
    assert checked.rc == 0, checked
    assert scenario_paths(insight) == before
    assert writes(insight.counters()) == 0
    real = run_playbook(play(*ARCHIVE), diff=True)
    assert real.rc == 0, real
    for name in ("many", "to root"):
        predicted, done = checked.task(name), real.task(name)
        assert predicted["changed"] is done["changed"] is True
        assert predicted["moved"] == done["moved"]
        assert predicted["diff"] == done["diff"]
        key = "scenarios" if name == "many" else "scenario"
        views = predicted[key] if name == "many" else [predicted[key]]
        real_views = done[key] if name == "many" else [done[key]]
        assert [(v["id"], v["path"], v["parent"]["id"]) for v in views] == [
            (v["id"], v["path"], v["parent"]["id"]) for v in real_views]


def test_diff_names_the_old_and_the_new_path(insight, run_playbook):
    result = run_playbook(play(ARCHIVE[1]), diff=True)
    assert result.rc == 0, result
    diff = result.task("to root")["diff"]
    assert len(diff) == 1
    entry = diff[0]
    assert entry["before_header"] == "/Logistics/Reports/Weekly/Week 1" and entry["after_header"] == "/Logistics/Week 1"
    assert entry["before"]["path"] == "/Logistics/Reports/Weekly/Week 1" and entry["before"]["parent"] == "/Logistics/Reports/Weekly"
    assert entry["after"]["path"] == "/Logistics/Week 1" and entry["after"]["parent"] == "/Logistics"
    # Ansible prints the diff with both headers.
    assert "/Logistics/Reports/Weekly/Week 1" in result.stdout and "after: /Logistics/Week 1" in result.stdout
    again = run_playbook(play(ARCHIVE[1]), diff=True)
    assert again.task("to root")["diff"] == []


def test_by_id_and_dest_id_to_a_folder_and_to_the_app_root(insight, run_playbook):
    state = insight.state()
    balanced = scenario(insight, "/Portfolio/Models/Balanced")
    aggressive = scenario(insight, "/Portfolio/Models/Aggressive")
    shared = next(f for f in state["folders"] if f["path"] == "/Portfolio/Shared")
    portfolio = next(a for a in state["apps"] if a["name"] == "Portfolio")
    book = play(scenario_task("one id", id=balanced["id"], state="moved", dest_id=shared["id"]),
                scenario_task("ids to root", id=[aggressive["id"], balanced["id"]], state="moved", dest_id=portfolio["id"]))
    insight.reset_counters()
    first = run_playbook(book)
    assert first.rc == 0, first
    assert first.task("one id")["scenario"]["path"] == "/Portfolio/Shared/Balanced"
    assert first.task("one id")["moved"] == ["/Portfolio/Models/Balanced"]
    assert first.task("ids to root")["moved"] == ["/Portfolio/Models/Aggressive", "/Portfolio/Shared/Balanced"]
    assert [s["path"] for s in first.task("ids to root")["scenarios"]] == ["/Portfolio/Aggressive", "/Portfolio/Balanced"]
    assert moves(insight.counters()) == 3
    insight.reset_counters()
    second = run_playbook(play(book["tasks"][1]))
    assert second.task("ids to root")["changed"] is False and second.task("ids to root")["moved"] == []
    assert writes(insight.counters()) == 0
    assert scenario(insight, "/Portfolio/Aggressive")["id"] == aggressive["id"]


def test_present_reads_and_fails_when_missing(insight, run_playbook):
    result = run_playbook(play(scenario_task("there", path="/Logistics/Reports/Base case"),
                               scenario_task("list", path=["/Logistics/Sandbox", "/Portfolio/Models/Balanced"]),
                               scenario_task("missing", _ignore=True, path="/Logistics/Reports/Nope")))
    assert status(result, "there") == "ok" and result.task("there")["changed"] is False
    assert result.task("there")["scenario"]["id"] == scenario(insight, "/Logistics/Reports/Base case")["id"]
    assert [s["name"] for s in result.task("list")["scenarios"]] == ["Sandbox", "Balanced"]
    assert status(result, "missing") == "failed"
    assert result.task("missing")["msg"] == ("path: there is no scenario /Logistics/Reports/Nope (or it is not visible "
                                             "to this user)")
    assert writes(insight.counters()) == 0


def test_a_scenario_of_a_private_folder_is_missing_for_other_users(insight, run_playbook):
    result = run_playbook(play(scenario_task("private", _ignore=True, path="/Logistics/Bob private/Secret plan",
                                             state="moved", dest="/Logistics")))
    assert status(result, "private") == "failed"
    assert "there is no scenario /Logistics/Bob private/Secret plan to move" in result.task("private")["msg"]
    assert scenario(insight, "/Logistics/Bob private/Secret plan")
