"""The two execution paths of the collection's action plugins (plugins/plugin_utils/_action.py) give the same
results: the same tasks run once in the controller's process and once as modules, compared result by result
(successes, bad input, server failures, no_log masking, check and diff mode, environment fallbacks)."""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List

import pytest

MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
# What differs between two runs of the same task whatever the path: the server's trace ids and clock.
VOLATILE = [
    (re.compile(r'"(traceId|spanId|timestamp)": "[^"]*"'), r'"\1": "?"'),
    (re.compile(r"\(trace [0-9a-f]+\)"), "(trace ?)"),
]


def comparable(result: Dict[str, Any]) -> Dict[str, Any]:
    """The result without what only says how it travelled (Ansible's internal keys) and without trace ids."""
    text = json.dumps({key: value for key, value in result.items() if not key.startswith("_ansible")}, sort_keys=True)
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return json.loads(text)


def both_paths(run_playbook, plays, **kwargs):
    out = {}
    for mode in ("inprocess", "module"):
        extra = dict(kwargs.pop("extra_vars", None) or {}, insight_execution=mode)
        out[mode] = run_playbook(plays, extra_vars=extra, verbosity=3, **kwargs)
        kwargs["extra_vars"] = {k: v for k, v in extra.items() if k != "insight_execution"}
    return out["inprocess"], out["module"]


def assert_same(inprocess, module, names: List[str]) -> None:
    for name in names:
        a, b = comparable(inprocess.task(name)), comparable(module.task(name))
        assert a == b, "task %r differs:\n in-process %r\n module     %r" % (name, a, b)
    assert [(e["task"], e["status"]) for e in inprocess.results] == [(e["task"], e["status"]) for e in module.results]


def ran(result, path: str) -> int:
    marker = {"inprocess": "in-process on the controller", "module": "module run"}[path]
    return sum(1 for line in result.stdout.splitlines() if "xpress.insight." in line and marker in line)


def folder_info_tasks(insight) -> List[Dict[str, Any]]:
    full = next(u for u in insight.users.values() if u["role"] == "full")
    t = "xpress.insight.insight_folder_info"
    return [
        {"name": "by path", t: {"path": "/Logistics/Reports", "include_scenarios": True}},
        {"name": "whole app", t: {"app": "Logistics", "recurse": True}},
        {"name": "alias-free defaults", t: {"path": "/Logistics"}},
        {"name": "missing folder", t: {"path": "/Logistics/Nope"}},
        {"name": "two selectors", t: {"path": "/Logistics", "app": "Logistics"}, "ignore_errors": True},
        {"name": "no selector", t: {}, "ignore_errors": True},
        {"name": "unknown option", t: {"path": "/Logistics", "colour": "red"}, "ignore_errors": True},
        {"name": "bad type", t: {"app": "Logistics", "recurse": True, "depth": "deep"}, "ignore_errors": True},
        {"name": "bad choice", t: {"path": "/Logistics", "format": "xml"}, "ignore_errors": True},
        {"name": "engine check", t: {"app": "Logistics", "depth": 2}, "ignore_errors": True},
        {"name": "unknown app", t: {"app": "Nowhere"}, "ignore_errors": True},
        {"name": "empty path", t: {"path": "  "}, "ignore_errors": True},
        # From the environment through a lookup: a failed task prints the playbook lines before it, so no secret
        # is written into the playbook itself.
        {"name": "secret as an option", t: {"path": "/Logistics", "client_id": full["client_id"],
                                            "secret": "{{ lookup('ansible.builtin.env', 'INSIGHT_SECRET') }}"}},
        {"name": "wrong secret", t: {"path": "/Logistics", "client_id": full["client_id"],
                                     "secret": "not-the-secret"}, "ignore_errors": True},
        {"name": "token and key pair", t: {"path": "/Logistics", "token": "abc"}, "ignore_errors": True},
        {"name": "no_log task", t: {"path": "/Logistics"}, "no_log": True},
        {"name": "bad timeout from the environment", t: {"path": "/Logistics"}, "ignore_errors": True,
         "environment": {"INSIGHT_TIMEOUT": "soon"}},
        {"name": "url from the task environment", t: {"path": "/Logistics/Reports"}, "ignore_errors": True,
         "environment": {"INSIGHT_URL": "{{ insight_url_for_test }}"}},
        {"name": "no url at all", t: {"path": "/Logistics"}, "ignore_errors": True,
         "environment": {"INSIGHT_URL": ""}},
        {"name": "unreachable server", t: {"path": "/Logistics", "url": "http://127.0.0.1:9", "retries": 0,
                                           "timeout": 2}, "ignore_errors": True},
        {"name": "tree export", t: {"path": "/Logistics/Reports", "format": "tree"}},
    ]


def test_folder_info_same_results_on_both_paths(insight, run_playbook):
    tasks = folder_info_tasks(insight)
    play = {"hosts": "localhost", "gather_facts": False, "vars": {"insight_url_for_test": insight.url},
            "tasks": tasks}
    inprocess, module = both_paths(run_playbook, play, check=True, diff=True)
    assert inprocess.rc == module.rc == 0, (inprocess, module)
    names = [task["name"] for task in tasks]
    assert_same(inprocess, module, names)
    assert ran(inprocess, "inprocess") == len(tasks) and ran(inprocess, "module") == 0
    assert ran(module, "module") == len(tasks) and ran(module, "inprocess") == 0

    # What the comparison relies on, checked on one path (the other is equal).
    assert inprocess.task("two selectors")["msg"] == "parameters are mutually exclusive: path|id|app"
    assert inprocess.task("unknown option")["msg"].startswith(
        "Unsupported parameters for (xpress.insight.insight_folder_info) module: colour.")
    assert inprocess.task("engine check")["msg"].startswith("depth: limits recurse")
    assert inprocess.task("secret as an option")["invocation"]["module_args"]["secret"] == MASK
    assert inprocess.task("no_log task") == {"censored": "the output has been hidden due to no_log"}
    assert inprocess.task("url from the task environment")["folders"][0]["path"] == "/Logistics/Reports"
    assert inprocess.task("no url at all")["msg"] == "url: missing; set the url option or INSIGHT_URL"
    assert inprocess.task("bad timeout from the environment")["msg"].startswith("argument 'timeout' is of type")
    assert "traceback" not in inprocess.stdout.lower() and "traceback" not in inprocess.stderr.lower()


def test_auto_picks_the_path_from_the_task(insight, run_playbook, tmp_path):
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(
        "all:\n  hosts:\n    localhost:\n      ansible_connection: local\n"
        "    bastion:\n      ansible_connection: ssh\n      ansible_host: 127.0.0.1\n      ansible_port: 9\n"
        "      ansible_ssh_timeout: 3\n", encoding="utf-8")
    t = "xpress.insight.insight_folder_info"
    plays = [
        {"hosts": "localhost", "gather_facts": False, "tasks": [
            {"name": "local", t: {"path": "/Logistics/Reports"}},
            {"name": "async", t: {"path": "/Logistics/Reports"}, "async": 60, "poll": 1},
        ]},
        {"hosts": "bastion", "gather_facts": False, "tasks": [
            {"name": "delegated to localhost", t: {"path": "/Logistics/Reports"}, "delegate_to": "localhost"},
            {"name": "on the remote host", t: {"path": "/Logistics/Reports"}, "ignore_unreachable": True},
        ]},
    ]
    result = run_playbook(plays, extra_vars={"insight_execution": "auto"}, inventory=str(inventory), verbosity=3)
    lines = [line for line in result.stdout.splitlines() if "xpress.insight.insight_folder_info: " in line]
    assert any("in-process on the controller (local connection)" in line for line in lines), result
    assert any("module run (async)" in line for line in lines), result
    assert any("module run (connection ssh)" in line for line in lines), result
    assert result.task("local")["folders"][0]["path"] == "/Logistics/Reports"
    assert result.task("async")["folders"][0]["path"] == "/Logistics/Reports"
    assert result.task("delegated to localhost")["folders"][0]["path"] == "/Logistics/Reports"
    assert result.task("on the remote host").get("unreachable"), result
    assert sum("in-process on the controller (local connection)" in line for line in lines) == 2, lines


@pytest.mark.parametrize("value, line", [
    ("sideways", "insight_execution: 'sideways' is not one of auto, module, inprocess"),
    ("inprocess", "insight_execution: inprocess cannot run an async task; leave out async, or set insight_execution "
                  "to auto or module"),
])
def test_forcing_a_path_that_cannot_run_fails_in_one_line(insight, run_playbook, value, line):
    task: Dict[str, Any] = {"name": "forced", "xpress.insight.insight_folder_info": {"path": "/Logistics/Reports"},
                            "ignore_errors": True}
    if value == "inprocess":
        task.update({"async": 60, "poll": 1})
    result = run_playbook({"hosts": "localhost", "gather_facts": False, "tasks": [task]},
                          extra_vars={"insight_execution": value})
    assert result.task("forced")["msg"] == line


def writing_tasks(jobs: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    folder, info, cancel = ("xpress.insight.insight_folder", "xpress.insight.insight_job_info",
                            "xpress.insight.insight_job_cancel")
    queued = [job["id"] for job in jobs if job["status"] == "QUEUED"]
    some = jobs[0]["id"]
    return [
        {"name": "create, check mode", folder: {"path": "/Logistics/Compare/Weekly"}, "check_mode": True},
        {"name": "create", folder: {"path": "/Logistics/Compare/Weekly", "share_status": "READONLY"}},
        {"name": "create again", folder: {"path": "/Logistics/Compare/Weekly", "share_status": "READONLY"}},
        {"name": "share change", folder: {"path": "/Logistics/Compare/Weekly", "share_status": "FULLACCESS"}},
        {"name": "remove, check mode", folder: {"path": "/Logistics/Compare", "state": "absent", "force": True},
         "check_mode": True},
        {"name": "remove", folder: {"path": "/Logistics/Compare", "state": "absent", "force": True}},
        {"name": "folder bad state", folder: {"path": "/Logistics/X", "state": "gone"}, "ignore_errors": True},
        {"name": "folder bad path", folder: {"path": "Logistics//X"}, "ignore_errors": True},
        {"name": "one job", info: {"id": some}},
        {"name": "no such job", info: {"id": "00000000-0000-4000-8000-000000000999"}, "ignore_errors": True},
        {"name": "blank id", info: {"id": " "}, "ignore_errors": True},
        {"name": "queued jobs", info: {"status": ["QUEUED"]}},
        {"name": "bad wait_for", info: {"id": some, "wait_for": ["SOON"]}, "ignore_errors": True},
        {"name": "cancel, check mode", cancel: {"id": queued[0]}, "check_mode": True},
        {"name": "cancel", cancel: {"id": queued[0], "wait": True, "wait_timeout": 60}},
        {"name": "cancel again", cancel: {"id": queued[0]}},
        {"name": "cancel without selection", cancel: {}, "ignore_errors": True},
        {"name": "message file bad id", "xpress.insight.insight_job_message_file": {
            "job_id": "nope", "message_id": "nope", "dest": "/tmp/never-written"}, "ignore_errors": True},
    ]


def test_writing_modules_same_results_on_both_paths(insight, run_playbook):
    """insight_folder, insight_job_info and insight_job_cancel (with check mode and diff mode, changes, idempotent
    re-runs, bad input), and insight_job_message_file, which always falls back to the module."""
    insight.reset("demo")
    insight.clock("speed", speed=60)
    tasks = writing_tasks(insight.state()["jobs"])
    play = {"hosts": "localhost", "gather_facts": False, "tasks": tasks}
    results = {}
    for mode in ("inprocess", "module"):
        insight.reset("demo")
        insight.clock("speed", speed=60)
        results[mode] = run_playbook(play, extra_vars={"insight_execution": mode}, diff=True, verbosity=3)
    inprocess, module = results["inprocess"], results["module"]
    assert inprocess.rc == module.rc == 0, (inprocess, module)
    names = [task["name"] for task in tasks]
    volatile_free = [n for n in names if n not in ("one job", "queued jobs", "cancel")]
    assert_same(inprocess, module, volatile_free)
    for name in ("one job", "queued jobs", "cancel"):
        a, b = inprocess.task(name), module.task(name)
        assert sorted(a) == sorted(b) and [j["id"] for j in a["jobs"]] == [j["id"] for j in b["jobs"]], name
    assert inprocess.task("create, check mode")["changed"] is True and "diff" in inprocess.task("create, check mode")
    assert inprocess.task("create again")["changed"] is False
    assert inprocess.task("cancel")["changed"] is True and inprocess.task("cancel again")["changed"] is False
    lines = [line for line in inprocess.stdout.splitlines() if "xpress.insight.insight_" in line and "(" in line]
    assert any("insight_job_message_file: module run (this module always runs as a module)" in line for line in lines)
    assert ran(inprocess, "inprocess") == len(tasks) - 1
    assert ran(module, "module") == len(tasks)
