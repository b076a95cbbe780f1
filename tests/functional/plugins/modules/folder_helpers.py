"""Shared helpers of the insight_folder and insight_folder_info suites."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from ansible_fixtures import BIN, ansible_env

FOLDER = "xpress.insight.insight_folder"
INFO = "xpress.insight.insight_folder_info"
JSON_TYPE = "application/vnd.com.fico.xpress.insight.v2+json"
WRITES = ("POST", "PATCH", "DELETE")

USERS = [
    {"username": "alice", "name": "Alice Able", "role": "full", "client_id": "alice-id", "secret": "alice-secret"},
    {"username": "bob", "name": "Bob Builder", "role": "full", "client_id": "bob-id", "secret": "bob-secret"},
    {"username": "rita", "name": "Rita Reader", "role": "readonly", "client_id": "rita-id", "secret": "rita-secret"},
]


def play(*tasks: Dict[str, Any]) -> Dict[str, Any]:
    return {"name": "folders", "hosts": "localhost", "gather_facts": False, "tasks": list(tasks)}


def task(title: str, *module: str, **args: Any) -> Dict[str, Any]:
    """A task named `title` running `module` (insight_folder by default) with `args`; `_ignore=True` keeps going
    after a failure. The title is positional so that the module's own `name` option stays free."""
    ignore = args.pop("_ignore", False)
    out: Dict[str, Any] = {"name": title, (module[0] if module else FOLDER): args}
    if ignore:
        out["ignore_errors"] = True
    return out


def info(title: str, **args: Any) -> Dict[str, Any]:
    return task(title, INFO, **args)


def status(result: Any, name: str) -> str:
    """ok, changed or failed: Ansible keeps its own `failed` flag out of the result the callback sees."""
    found = [entry["status"] for entry in result.results if entry["task"] == name]
    assert len(found) == 1, (name, found, result)
    return found[0]


def paths(insight: Any, app: Optional[str] = None) -> List[str]:
    """Every folder path on the server (all users), sorted."""
    out = [f["path"] for f in insight.state()["folders"]]
    return sorted(p for p in out if app is None or p.startswith("/%s/" % app))


def folder(insight: Any, path: str) -> Dict[str, Any]:
    found = [f for f in insight.state()["folders"] if f["path"] == path]
    assert len(found) == 1, (path, found)
    return found[0]


def writes(counters: Dict[str, Any]) -> int:
    return counters["writes"]


def route(counters: Dict[str, Any], name: str) -> int:
    return counters["by_route"].get(name, 0)


def api(insight: Any, username: str, method: str, path: str, body: Any = None) -> Any:
    """One direct API call as a seeded user: the 'other writer' of the race and suffix tests."""
    token = insight.token(username)
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(insight.url + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": JSON_TYPE,
                                              "Accept": JSON_TYPE})
    with urllib.request.urlopen(request, timeout=60) as answer:
        raw = answer.read()
        return json.loads(raw) if raw else None


def start_playbook(collection_root: Path, workdir: Path, name: str, playbook: Any,
                   env: Dict[str, str]) -> "subprocess.Popen[str]":
    """ansible-playbook in the background (for concurrent runs); the results land in <name>.jsonl."""
    book = workdir / ("%s.yml" % name)
    book.write_text(yaml.safe_dump([playbook], sort_keys=False), encoding="utf-8")
    merged = dict(env, INSIGHT_TEST_RESULTS=str(workdir / ("%s.jsonl" % name)))
    return subprocess.Popen([str(BIN / "ansible-playbook"), str(book), "-i", "localhost,", "-c", "local"],
                            env=ansible_env(collection_root, merged), cwd=str(workdir), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc: "subprocess.Popen[str]", workdir: Path, name: str) -> List[Dict[str, Any]]:
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, (stdout, stderr)
    results = workdir / ("%s.jsonl" % name)
    return [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines() if line.strip()]


def user_env(insight: Any, username: str) -> Dict[str, str]:
    user = insight.users[username]
    return {"INSIGHT_URL": insight.url, "INSIGHT_CLIENT_ID": user["client_id"], "INSIGHT_SECRET": user["secret"]}
