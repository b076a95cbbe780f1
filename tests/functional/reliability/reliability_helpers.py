"""Shared pieces of the reliability suite: the seed, playbook builders and checks of one-line failures."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

import folder_trees
from hostile_server import ECHO_PIECES, HOSTILE_SECRETS

FOLDER = "xpress.insight.insight_folder"
FOLDER_INFO = "xpress.insight.insight_folder_info"
JOB_INFO = "xpress.insight.insight_job_info"
JOB_CANCEL = "xpress.insight.insight_job_cancel"
JOB_LAUNCH = "xpress.insight.insight_job_launch"
INVENTORY = "xpress.insight.insight_jobs"
SCENARIO = "xpress.insight.insight_scenario"

SECRETS = {"alice": "alice-secret-7Qx", "bob": "bob-secret-4Lp", "rita": "rita-secret-9Zk"}
USERS = [
    {"username": "alice", "name": "Alice Able", "role": "full", "client_id": "alice-id", "secret": SECRETS["alice"]},
    {"username": "bob", "name": "Bob Builder", "role": "full", "client_id": "bob-id", "secret": SECRETS["bob"]},
    {"username": "rita", "name": "Rita Reader", "role": "readonly", "client_id": "rita-id", "secret": SECRETS["rita"]},
]
# Every secret the suite's own seeds use: the captured-output check looks for each (and for the demo's).
KNOWN_SECRETS = sorted(SECRETS.values()) + ["alice-secret", "bob-secret", "rita-secret"] + ECHO_PIECES + HOSTILE_SECRETS

QUEUED_OPS = 200  # the jobs a bulk cancel selects
EXECUTING_OPS = 100  # same app, another status: never selected


def tree_paths(app: str = "Plant") -> List[str]:
    """100 folders, depth 3: 4 areas, 3 units in each, 7 lines in each unit."""
    return folder_trees.tree_paths(app, ("Area", "Unit", "Line"))


def seed() -> Dict[str, Any]:
    """An empty app to provision, 300 generated jobs in the app Ops and a few jobs elsewhere."""
    return {
        "users": USERS,
        "apps": [
            {"name": "Plant"},
            {"name": "Ops", "scenarios": [{"name": "Run %d" % n} for n in range(1, 6)]},
            {"name": "Logistics", "folders": [
                {"name": "Reports", "scenarios": [{"name": "Base case"}], "folders": [{"name": "Weekly"}]},
                {"name": "Scratch"},
                {"name": "Bob private", "share_status": "PRIVATE", "owner": "bob", "scenarios": [{"name": "Secret plan"}]},
            ]},
        ],
        "jobs": [
            {"scenario": "/Logistics/Reports/Base case", "owner": "alice", "status": "QUEUED", "created": "-2h"},
            {"scenario": "/Logistics/Reports/Base case", "owner": "bob", "status": "EXECUTING", "created": "-3h"},
            {"scenario": "/Logistics/Bob private/Secret plan", "owner": "bob", "status": "QUEUED", "created": "-1h"},
        ],
        "generate": {"jobs": {"count": QUEUED_OPS + EXECUTING_OPS,
                              "statuses": {"QUEUED": QUEUED_OPS, "EXECUTING": EXECUTING_OPS}, "app": "Ops"}},
    }


def play(*tasks: Dict[str, Any], **extra: Any) -> Dict[str, Any]:
    out = {"name": "reliability", "hosts": "localhost", "gather_facts": False, "tasks": list(tasks)}
    out.update(extra)
    return out


def task(title: str, module: str, ignore: bool = False, **args: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {"name": title, module: args}
    if ignore:
        out["ignore_errors"] = True
    return out


def status(result: Any, name: str) -> str:
    """ok, failed or skipped, as the result callback saw the task."""
    found = [entry["status"] for entry in result.results if entry["task"] == name]
    assert len(found) == 1, (name, found, result)
    return found[0]


def failed_line(result: Any, name: str, fragment: str) -> str:
    """The task failed with a one-line message holding `fragment`, and no traceback anywhere in its result."""
    assert status(result, name) == "failed", result
    outcome = result.task(name)
    msg = outcome.get("msg")
    assert isinstance(msg, str) and msg, outcome
    assert "\n" not in msg.strip(), msg
    assert fragment.lower() in msg.lower(), (fragment, msg)
    for key in ("exception", "module_stderr", "module_stdout"):
        assert "Traceback" not in str(outcome.get(key, "")), outcome
    assert "Traceback" not in msg
    return msg


def server_snapshot(insight: Any) -> Dict[str, Any]:
    """What a change on the server would alter: folders (path, share status, owner), jobs (status) and where each
    scenario is (its path), so a move shows."""
    state = insight.state()
    folders = sorted((f["path"], f.get("shareStatus"), (f.get("owner") or {}).get("id")) for f in state["folders"])
    jobs = sorted((j["id"], j["status"]) for j in state["jobs"])
    scenarios = sorted((s["id"], s["path"]) for s in state["scenarios"])
    return {"folders": folders, "jobs": jobs, "scenarios": scenarios}


def folder_paths(insight: Any, prefix: str = "/") -> List[str]:
    return sorted(f["path"] for f in insight.state()["folders"] if f["path"].startswith(prefix))


def job_statuses(insight: Any) -> Dict[str, str]:
    return {j["id"]: j["status"] for j in insight.state()["jobs"]}


def ops_queued(insight: Any) -> List[str]:
    return sorted(j["id"] for j in insight.state()["jobs"]
                  if j["status"] == "QUEUED" and (j.get("app") or {}).get("name") == "Ops")


def user_env(insight: Any, username: str, **extra: str) -> Dict[str, str]:
    user = insight.users[username]
    out = {"INSIGHT_URL": insight.url, "INSIGHT_CLIENT_ID": user["client_id"], "INSIGHT_SECRET": user["secret"]}
    out.update(extra)
    return out


def longest_fault_streak(log: Iterable[Dict[str, Any]]) -> int:
    """The most consecutive faulted answers one request path got: a call retried r times shows a streak <= r."""
    streak: Dict[Optional[str], int] = {}
    worst = 0
    for entry in log:
        key = "%s %s" % (entry.get("method"), entry.get("path"))
        if entry.get("fault"):
            streak[key] = streak.get(key, 0) + 1
            worst = max(worst, streak[key])
        else:
            streak[key] = 0
    return worst
