"""The use-case playbooks of playbooks/ run as a user would run them, asserting the server state they leave."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, Dict, List

import yaml

ROOT = Path(__file__).resolve().parents[3]
PLAYBOOKS = ROOT / "playbooks"
DEMO = ROOT / "tests" / "insight_emulator" / "data" / "demo.yml"


def writes(counters: Dict[str, Any]) -> int:
    """POST, PATCH and DELETE calls, the token call left out (the emulator counts it apart)."""
    return int(counters["writes"])


def statuses(state: Dict[str, Any]) -> Dict[str, str]:
    return {job["id"]: job["status"] for job in state["jobs"]}


def created(job: Dict[str, Any]) -> datetime.datetime:
    return datetime.datetime.strptime(job["created"].replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z")


def _tree_paths(parent: str, nodes: List[Dict[str, Any]], inherited: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Every folder the description names, with the settings it wants (inherit on, as the shipped file sets it)."""
    out: Dict[str, Dict[str, Any]] = {}
    for node in nodes:
        wanted = dict(inherited)
        wanted.update({key: node[key] for key in ("share_status", "owner") if key in node})
        path = "%s/%s" % (parent, node["name"])
        out[path] = wanted
        out.update(_tree_paths(path, node.get("children") or [], wanted))
    return out


def test_provision_folders_builds_the_tree_and_converges(insight, run_playbook):
    # The shipped tree description, unchanged: the test proves the file a user edits works.
    description = yaml.safe_load((PLAYBOOKS / "vars" / "folder_tree.yml").read_text(encoding="utf-8"))
    assert description["folder_inherit"] is True and description["folder_prune"] is False
    wanted = _tree_paths(description["folder_parent"], description["folder_tree"], {})
    task = "Make the folders match the tree"

    preview = run_playbook(PLAYBOOKS / "provision_folders.yml", check=True, diff=True)
    assert preview.rc == 0, preview
    assert set(preview.task(task)["created"]) == set(wanted)
    assert writes(insight.counters()) == 0

    first = run_playbook(PLAYBOOKS / "provision_folders.yml")
    assert first.rc == 0, first
    for key in ("created", "counts", "tree", "changes"):
        assert first.task(task)[key] == preview.task(task)[key], key
    users = {user["username"]: user["id"] for user in insight.state()["users"]}
    folders = {folder["path"]: folder for folder in insight.state()["folders"]}
    assert set(wanted) <= set(folders)
    locked = [path for path, settings in wanted.items() if settings]
    assert len(locked) > 1
    for path, settings in wanted.items():
        assert folders[path]["shareStatus"] == settings.get("share_status", "FULLACCESS"), path
        if "owner" in settings:
            assert folders[path]["owner"]["id"] == users[settings["owner"]], path
    # The demo's own folders keep their settings, and nothing undeclared is pruned.
    assert folders["/Logistics/Archive"]["shareStatus"] == "READONLY"
    assert folders["/Logistics/Reports"]["shareStatus"] == "FULLACCESS"

    insight.reset_counters()
    again = run_playbook(PLAYBOOKS / "provision_folders.yml")
    assert again.rc == 0, again
    assert not any(entry["result"].get("changed") for entry in again.results), again
    assert writes(insight.counters()) == 0
    assert {f["path"] for f in insight.state()["folders"]} == set(folders)


def _logistics_queued(state: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [job for job in state["jobs"] if job["status"] == "QUEUED" and (job.get("app") or {}).get("name") == "Logistics"]


def test_nightly_cleanup_cancels_only_old_queued_jobs_of_the_app(insight, run_playbook):
    before = insight.state()
    # With the default age (6h) nothing in the demo data is old enough: a clean run that writes nothing.
    quiet = run_playbook(PLAYBOOKS / "nightly_cleanup.yml")
    assert quiet.rc == 0, quiet
    assert quiet.task("Report the clean-up")["msg"]["cancelled"] == []
    assert writes(insight.counters()) == 0

    # 150 s: the three oldest queued Logistics jobs; the locked one (2 minutes old) and the newer one stay.
    now = datetime.datetime.fromtimestamp(insight.clock()["now"], datetime.timezone.utc)
    limit = now - datetime.timedelta(seconds=150)
    expected = {job["id"] for job in _logistics_queued(before) if created(job) < limit}
    assert len(expected) == 3
    result = run_playbook(PLAYBOOKS / "nightly_cleanup.yml", extra_vars={"cleanup_older_than": "150s"})
    assert result.rc == 0, result
    report = result.task("Report the clean-up")["msg"]
    assert set(report["cancelled"]) == expected
    assert int(report["still_queued"]) == len(_logistics_queued(before)) - 3

    after = statuses(insight.state())
    for job_id, status in statuses(before).items():
        if job_id in expected:
            assert after[job_id] in ("CANCELLING", "CANCELLED"), job_id
        else:
            assert after[job_id] == status, job_id

    # The max_jobs guard: the same selection with a cap of 1 cancels nothing and the play fails with the report.
    insight.reset("demo")
    guarded = run_playbook(PLAYBOOKS / "nightly_cleanup.yml", extra_vars={"cleanup_older_than": "150s", "cleanup_max_jobs": 1})
    assert guarded.rc != 0
    assert guarded.task("Report the clean-up")["msg"]["cancelled"] == []
    assert "max_jobs" in guarded.task("Report the clean-up")["msg"]["error"]
    assert writes(insight.counters()) == 0


STUCK_ID = "5d0c1a5e-0000-4000-8000-000000000001"
MESSAGE_ID = "5d0c1a5e-0000-4000-8000-0000000000aa"


def test_ops_runbook_finds_shows_cancels_and_verifies(insight, run_playbook, tmp_path):
    seed = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    seed["jobs"].append({"id": STUCK_ID, "scenario": "/Logistics/Reports/Weekly/Week 1", "owner": "bob",
                         "status": "EXECUTING", "created": "-3h", "started": "-170m",
                         "messages": [{"id": MESSAGE_ID, "content": "solver stalled at node 41\nwaiting for licence\n"}]})
    insight.reset(seed)
    before = statuses(insight.state())
    dest = tmp_path / "message.txt"

    result = run_playbook(PLAYBOOKS / "ops_runbook.yml", extra_vars={
        "runbook_scenario": "Week 1", "runbook_stuck_for": "1h", "runbook_message_id": MESSAGE_ID,
        "runbook_message_dest": str(dest)})
    assert result.rc == 0, result
    assert result.task("Show the job")["msg"]["id"] == STUCK_ID
    assert dest.read_text(encoding="utf-8") == "solver stalled at node 41\nwaiting for licence\n"
    saved = result.task("Save its message file")
    assert saved["changed"] is True and saved["mode"] == "0600" and saved["size"] == dest.stat().st_size
    assert result.task("Read the job again once it has finished")["jobs"][0]["status"] == "CANCELLED"
    assert result.task("Show the message file")["msg"] == ["solver stalled at node 41", "waiting for licence"]
    assert result.task("Cancel the job and wait until it has stopped")["cancelled"] == [STUCK_ID]
    assert "EXECUTING -> CANCELLED" in result.task("Verify that the job has stopped")["msg"]

    after = statuses(insight.state())
    assert after[STUCK_ID] == "CANCELLED"
    assert {k: v for k, v in after.items() if k != STUCK_ID} == {k: v for k, v in before.items() if k != STUCK_ID}


def test_ops_runbook_stops_cleanly_when_nothing_is_stuck(insight, run_playbook):
    result = run_playbook(PLAYBOOKS / "ops_runbook.yml", extra_vars={"runbook_scenario": "No such scenario"})
    assert result.rc != 0
    assert "no EXECUTING job of Logistics scenario No such scenario" in result.task("Stop when no job matches")["msg"]
    assert writes(insight.counters()) == 0


WEEK_1 = "/Logistics/Reports/Weekly/Week 1"


def _free_week_1(**extra):
    """The demo data without Week 1's jobs, so the scenario is free to run (as after the ops runbook in the demo)."""
    seed = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    seed["jobs"] = [job for job in seed["jobs"] if job["scenario"] != WEEK_1]
    seed.update(extra)
    return seed


def test_run_scenario_starts_waits_and_reports(insight, run_playbook):
    insight.reset(_free_week_1())
    preview = run_playbook(PLAYBOOKS / "run_scenario.yml", check=True)
    assert preview.rc == 0, preview
    assert preview.task("Report the job")["msg"]["status"] == "not started"
    assert writes(insight.counters()) == 0

    insight.clock("speed", speed=20)
    insight.clock("resume")
    result = run_playbook(PLAYBOOKS / "run_scenario.yml")
    assert result.rc == 0, result
    report = result.task("Report the job")["msg"]
    assert report["scenario"] == WEEK_1 and report["status"] == "COMPLETED" and report["started_by_this_run"] is True
    jobs = [job for job in insight.state()["jobs"] if (job.get("scenario") or {}).get("name") == "Week 1"]
    assert [(job["id"], job["status"]) for job in jobs] == [(report["job"], "COMPLETED")]


def test_run_scenario_fails_with_the_end_of_the_run_log(insight, run_playbook):
    insight.reset(_free_week_1(job_plans=[{"scenario": WEEK_1, "outcome": "FAILED", "queue_seconds": 1, "run_seconds": 2,
                                           "run_log": ["reading demand", "infeasible: depot C over capacity"]}]))
    insight.clock("speed", speed=20)
    insight.clock("resume")
    result = run_playbook(PLAYBOOKS / "run_scenario.yml")
    assert result.rc != 0
    report = result.task("Report the job")["msg"]
    assert report["status"] == "FAILED"
    assert report["run_log"] == ["reading demand", "infeasible: depot C over capacity"]
    line = result.task("Start the scenario's job and wait for it to end")["msg"]
    assert "ended FAILED" in line and line.endswith("reading demand | infeasible: depot C over capacity")
    assert report["outcome"] == line
