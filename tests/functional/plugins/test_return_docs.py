"""Each module's RETURN documentation against the results the module really returns from the emulator."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, Dict, Set

import yaml

MODULES = Path(__file__).resolve().parents[3] / "plugins" / "modules"
# Keys that Ansible itself or the common module code adds to every result; documented by Ansible, not here.
COMMON = {"changed", "failed", "invocation", "warnings", "deprecations", "diff", "msg", "exception", "skipped",
          "skip_reason", "false_condition", "failed_when_result", "changed_when_result", "ansible_facts"}
MESSAGE_FILE = "6f1d3c52-8b0e-4c1a-9d7e-2a5b4c3d2e10"
MISSING = "00000000-0000-4000-8000-000000000000"


def module_names() -> list:
    return sorted(p.stem for p in MODULES.glob("insight_*.py"))


def documented(module: str) -> Dict[str, Any]:
    """RETURN of the module, read from its source without importing it."""
    tree = ast.parse((MODULES / (module + ".py")).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "RETURN" for t in node.targets):
            return yaml.safe_load(ast.literal_eval(node.value)) or {}
    raise AssertionError("%s has no RETURN" % module)


def task(module: str, label: str, args: Dict[str, Any], **extra: Any) -> Dict[str, Any]:
    entry = {"name": "%s %s" % (module, label), "xpress.insight.%s" % module: args, "ignore_errors": True}
    entry.update(extra)
    return entry


def calls(tmp_path: Path, message_job: str) -> list:
    """Every kind of call the modules answer differently: lists and single items, check mode, changes and no-ops."""
    return [
        task("insight_job_info", "list", {"include_finished": True}),
        task("insight_job_info", "filtered", {"app": "Logistics", "status": ["QUEUED"], "created_before": "1m"}),
        task("insight_job_info", "wait", {"id": message_job, "wait_for": "finished", "wait_timeout": 5}),
        task("insight_job_message_file", "check", {"job_id": message_job, "message_id": MESSAGE_FILE,
                                                   "dest": str(tmp_path / "m.txt")}, check_mode=True, diff=True),
        task("insight_job_message_file", "save", {"job_id": message_job, "message_id": MESSAGE_FILE,
                                                  "dest": str(tmp_path / "m.txt"), "mode": "0640"}, diff=True),
        task("insight_job_message_file", "kept", {"job_id": message_job, "message_id": MESSAGE_FILE,
                                                  "dest": str(tmp_path / "m.txt")}),
        task("insight_job_cancel", "check", {"app": "Logistics", "created_before": "150s"}, check_mode=True),
        task("insight_job_cancel", "filter", {"app": "Logistics", "created_before": "150s", "wait": True}, diff=True),
        task("insight_job_cancel", "again", {"app": "Logistics", "created_before": "150s"}),
        task("insight_job_cancel", "ids", {"id": [message_job, MISSING]}),
        # The clean-up above left Base case without a queued job: one start, one check of it, one found in the queue.
        task("insight_job_launch", "check", {"scenario": "/Logistics/Reports/Base case"}, check_mode=True, diff=True),
        task("insight_job_launch", "start", {"scenario": "/Logistics/Reports/Base case"}, diff=True),
        task("insight_job_launch", "existing", {"scenario": "/Logistics/Reports/Base case", "wait": True,
                                                "wait_timeout": 1, "fail_on": []}, check_mode=True),
        task("insight_folder", "check", {"path": "/Logistics/Docs/A"}, check_mode=True, diff=True),
        task("insight_folder", "one", {"path": "/Logistics/Docs/A", "share_status": "READONLY"}, diff=True),
        task("insight_folder", "list", {"path": ["/Logistics/Docs/A", "/Logistics/Docs/B"]}),
        task("insight_folder", "moved", {"path": "/Logistics/Docs/B", "state": "moved", "dest": "/Logistics"}),
        task("insight_folder", "absent", {"path": "/Logistics/B", "state": "absent", "force": True}),
        task("insight_folder", "absent list", {"path": ["/Logistics/Docs", "/Logistics/Nope"], "state": "absent", "force": True}),
        task("insight_folder_info", "tree", {"path": "/Logistics/Reports", "recurse": True, "include_scenarios": True}),
        task("insight_folder_info", "app", {"app": "Portfolio"}),
        task("insight_folder_info", "missing", {"path": "/Logistics/Nope"}),
        task("insight_folder", "tree check", {"path": "/Portfolio", "tree": {"Shared": {"New": None}}, "prune": True,
                                              "force": True}, check_mode=True, diff=True),
        task("insight_folder", "tree", {"path": "/Portfolio", "tree": [{"name": "Shared", "share_status": "READONLY"}]}),
        task("insight_folder_info", "format tree", {"path": "/Portfolio/Shared", "format": "tree"}),
        task("insight_scenario", "present", {"path": "/Logistics/Sandbox"}),
        task("insight_scenario", "check", {"path": ["/Logistics/Reports/Base case"], "state": "moved",
                                           "dest": "/Logistics"}, check_mode=True, diff=True),
        task("insight_scenario", "moved", {"path": ["/Logistics/Reports/Base case", "/Logistics/Sandbox"],
                                           "state": "moved", "dest": "/Logistics"}, diff=True),
        task("insight_scenario", "again", {"path": "/Logistics/Base case", "state": "moved", "dest": "/Logistics"}),
    ]


def test_return_documents_every_key_and_always_means_always(insight, run_playbook, tmp_path):
    """One playbook run of every call above (a single run keeps the suite fast), then RETURN against each result."""
    message_job = next(j["id"] for j in insight.state()["jobs"] if j.get("messages"))
    run = run_playbook({"name": "results", "hosts": "localhost", "gather_facts": False, "tasks": calls(tmp_path, message_job)})
    assert run.rc == 0, run
    assert all(e["status"] == "ok" for e in run.results), [(e["task"], e["result"].get("msg")) for e in run.results if e["status"] != "ok"]
    seen: Dict[str, int] = {}
    problems = []
    for entry in run.results:
        module = entry["task"].split(" ", 1)[0]
        if entry["status"] != "ok" or module not in module_names():
            continue
        seen[module] = seen.get(module, 0) + 1
        doc = documented(module)
        always: Set[str] = {key for key, spec in doc.items() if spec.get("returned") == "always"}
        result = entry["result"]
        keys = {key for key in result if not key.startswith("_ansible")} - COMMON
        if keys - set(doc):
            problems.append("%s: returned but not in RETURN: %s" % (entry["task"], sorted(keys - set(doc))))
        if always - set(result):
            problems.append("%s: RETURN says always, but missing: %s" % (entry["task"], sorted(always - set(result))))
    assert set(seen) == set(module_names()), "modules without a successful call: %s" % sorted(set(module_names()) - set(seen))
    assert not problems, "\n".join(problems)
