"""The bad-input matrix: one row per mistake, for every module and the inventory plugin.

Each row is (where, arguments, expected fragment of the one-line message). The module rows run as tasks of one
playbook (ignore_errors), the inventory rows as concurrent ansible-inventory runs; every row then asserts its own
outcome: one line naming the field or the server's reason, no traceback anywhere, and no change on the server."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional

import pytest
import yaml

from ansible_fixtures import BIN, PlaybookResult, _capture, ansible_env
from reliability_helpers import (FOLDER, FOLDER_INFO, INVENTORY, JOB_CANCEL, JOB_INFO, failed_line, play, seed,
                                 server_snapshot, status, user_env)

UNKNOWN_UUID = "0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11"
LONG = "x" * 256
UNREACHABLE = "http://127.0.0.1:9"
TEST_NET = "http://192.0.2.1:8080"
CHUNKS = 3


class Row(NamedTuple):
    name: str
    target: str  # a module's full name, or INVENTORY
    args: Dict[str, Any]
    fragment: Optional[str]  # None: the row must succeed


MESSAGE_FILE = "xpress.insight.insight_job_message_file"


def row(title: str, target: str, fragment: Optional[str], **args: Any) -> Row:
    return Row(title, target, args, fragment)


# Secrets go through lookups, never literally into the playbook: ansible-core shows the source lines of a failed task.
RITA = {"client_id": "rita-id", "secret": "{{ lookup('env', 'RITA_SECRET') }}"}

ROWS: List[Row] = [
    # insight_folder
    row("folder id not a uuid", FOLDER, "id: 'not-a-uuid' is not a UUID", id="not-a-uuid", name="New"),
    row("folder name with control character", FOLDER, "control character", path="/Plant/Bell\x07"),
    row("folder name with a tab", FOLDER, "control character", path="/Plant/Tab\there"),
    row("folder name with leading space", FOLDER, "starts or ends with white space", path="/Plant/ Lead"),
    row("folder name with trailing space", FOLDER, "starts or ends with white space", path="/Plant/Trail "),
    row("folder name of 256 characters", FOLDER, "256 characters long", path="/Plant/" + LONG),
    row("folder rename to empty name", FOLDER, "name", id="{scratch}", name=""),
    row("folder rename to 256 characters", FOLDER, "256 characters long", id="{scratch}", name=LONG),
    row("folder path without app", FOLDER, "has no app name", path="//Reports"),
    row("folder path without leading slash", FOLDER, "must start with /", path="Plant/Area"),
    row("folder path with //", FOLDER, "empty folder name (//)", path="/Plant/Area//Unit"),
    row("folder path of only the app", FOLDER, "names the app", path="/Plant"),
    row("folder unknown app", FOLDER, "no app named 'Nowhere'", path="/Nowhere/Area"),
    row("folder unknown owner", FOLDER, "owner: there is no user named 'nobody'", path="/Logistics/Scratch", owner="nobody"),
    row("folder id with path", FOLDER, "mutually exclusive: path|id", id="{scratch}", path="/Logistics/Scratch"),
    row("folder unknown state", FOLDER, "value of state must be one of", path="/Plant/Area", state="gone"),
    row("folder unknown share status", FOLDER, "share_status", path="/Plant/Area", share_status="PUBLIC"),
    row("folder negative timeout", FOLDER, "timeout: must be greater than 0", path="/Plant/Area", timeout=-1),
    row("folder zero timeout", FOLDER, "timeout: must be greater than 0", path="/Plant/Area", timeout=0),
    row("folder negative retries", FOLDER, "retries: must be 0 or more", path="/Plant/Area", retries=-2),
    row("folder wrong secret", FOLDER, "401", path="/Plant/Area", secret="not-the-secret"),
    row("folder missing credentials", FOLDER, "client_id/secret or token: missing", path="/Plant/Area", client_id="", secret=""),
    row("folder secret without client id", FOLDER, "client_id: missing", path="/Plant/Area", client_id=""),
    row("folder token and key pair", FOLDER, "give one way to authenticate", path="/Plant/Area", token="abc.def"),
    row("folder url without scheme", FOLDER, "url: '127.0.0.1:9' must start with http:// or https://", path="/Plant/Area",
        url="127.0.0.1:9"),
    row("folder unreachable host", FOLDER, "cannot reach http://127.0.0.1:9", path="/Plant/Area", url=UNREACHABLE,
        retries=0),
    row("folder read-only user creating", FOLDER, "403", path="/Plant/Area", **RITA),
    row("folder read-only user deleting", FOLDER, "403", path="/Logistics/Scratch", state="absent", force=True, **RITA),
    row("folder another user's private folder", FOLDER, "there is no folder", id="{bob_private}", name="Mine now"),
    row("folder move into itself", FOLDER, "own subtree", path="/Logistics/Reports", state="moved",
        dest="/Logistics/Reports/Weekly"),
    row("folder move across apps", FOLDER, "another app", path="/Logistics/Scratch", state="moved", dest="/Ops"),
    row("folder delete of a non-empty folder", FOLDER, "set force: true", path="/Logistics/Reports", state="absent"),
    row("folder delete of a FULLACCESS folder without force", FOLDER,
        "/Logistics/Scratch is FULLACCESS, so other users may have put PRIVATE folders or scenarios in it",
        path="/Logistics/Scratch", state="absent"),
    # insight_folder_info
    row("folder_info id not a uuid", FOLDER_INFO, "is not a UUID", id="12345"),
    row("folder_info path with //", FOLDER_INFO, "empty folder name (//)", path="/Logistics//Reports"),
    row("folder_info unknown app", FOLDER_INFO, "no app named 'Nowhere'", app="Nowhere"),
    row("folder_info depth without recurse", FOLDER_INFO, "depth", path="/Logistics", depth=2),
    row("folder_info self-signed certificate", FOLDER_INFO, "certificate verify failed", app="Logistics", url="{tls_url}"),
    row("folder_info self-signed certificate with ca_path", FOLDER_INFO, None, app="Logistics", url="{tls_url}",
        ca_path="{tls_ca}", client_id="alice-id", secret="{{ lookup('env', 'TLS_SECRET') }}"),
    # insight_job_info
    row("job_info id not a uuid", JOB_INFO, "is not a UUID", id="job-1"),
    row("job_info unknown job", JOB_INFO, "id: no job " + UNKNOWN_UUID, id=UNKNOWN_UUID),
    row("job_info unknown status", JOB_INFO, "value of status must be one or more of", status=["RUNNING"]),
    row("job_info unknown app", JOB_INFO, "Nowhere", app="Nowhere"),
    row("job_info bad moment", JOB_INFO, "created_before", created_before="yesterday"),
    row("job_info wait_for not a status", JOB_INFO, "wait_for: 'DONE' is neither finished nor a job status",
        id="{ops_job}", wait_for=["DONE"]),
    row("job_info wait_for without id", JOB_INFO, "wait_for", wait_for="finished"),
    row("job_info message_file moved to its own module", JOB_INFO, "Unsupported parameters", id="{ops_job}",
        message_file={"message_id": UNKNOWN_UUID, "dest": "/tmp/never-written"}),
    row("job_message_file job id not a uuid", MESSAGE_FILE, "job_id: 'job-1' is not a UUID", job_id="job-1",
        message_id=UNKNOWN_UUID, dest="/tmp/never-written"),
    row("job_message_file unknown message", MESSAGE_FILE, "message_id: no message file " + UNKNOWN_UUID,
        job_id="{ops_job}", message_id=UNKNOWN_UUID, dest="/tmp/never-written"),
    row("job_info zero timeout", JOB_INFO, "timeout: must be greater than 0", timeout=0),
    row("job_info timeout not a number", JOB_INFO, "timeout", timeout="soon"),
    row("job_info self-signed certificate", JOB_INFO, "set ca_path", url="{tls_url}"),
    # Listed redacted, but read on its own such a job does not exist for this user (404, as the reference says).
    row("job_info another user's private job", JOB_INFO, "not visible to this user", id="{private_job}"),
    # insight_job_cancel
    row("job_cancel id not a uuid", JOB_CANCEL, "is not a UUID", id=["nope"]),
    row("job_cancel max_jobs exceeded", JOB_CANCEL, "max_jobs: the filter matched 200 jobs", app="Ops", max_jobs=10),
    row("job_cancel negative max_jobs", JOB_CANCEL, "max_jobs: must be 0", app="Ops", max_jobs=-1),
    row("job_cancel id with filter", JOB_CANCEL, "mutually exclusive", id=[UNKNOWN_UUID], app="Ops"),
    row("job_cancel unknown app", JOB_CANCEL, "Nowhere", app="Nowhere"),
    row("job_cancel unknown status", JOB_CANCEL, "value of status must be one or more of", status=["DONE"]),
    row("job_cancel zero wait_timeout", JOB_CANCEL, "wait_timeout: must be more than 0", app="Ops", wait_timeout=0),
    row("job_cancel zero parallel", JOB_CANCEL, "parallel: must be between 1", app="Ops", parallel=0),
    row("job_cancel missing job with on_missing=fail", JOB_CANCEL, "nothing was cancelled", id=[UNKNOWN_UUID], on_missing="fail"),
    row("job_cancel read-only user", JOB_CANCEL, "403", id=["{ops_job}"], **RITA),
    row("job_cancel another user's private job", JOB_CANCEL, "nothing was cancelled", id=["{private_job}"],
        on_missing="fail"),
    row("job_cancel bad created_before (alias older_than)", JOB_CANCEL,
        "older_than (alias of created_before): '6 hours' is neither an age", app="Ops", older_than="6 hours"),
    # empty selectors (an unset variable, a search that found nothing) never widen to every job
    row("job_cancel empty created_before", JOB_CANCEL, "created_before: is empty; leave the option out", created_before=""),
    row("job_cancel empty status list", JOB_CANCEL, "status: is an empty list", status=[]),
    row("job_cancel empty app", JOB_CANCEL, "app: holds an empty value", app=""),
    row("job_cancel empty owner list", JOB_CANCEL, "owner: is an empty list", owner=[]),
    row("job_cancel blank id", JOB_CANCEL, "id: holds an empty value", id=[""]),
    row("job_cancel empty id list selects nothing", JOB_CANCEL, None, id=[]),
    row("job_info empty id", JOB_INFO, "id: is empty", id=""),
    row("job_info empty scenario_id", JOB_INFO, "scenario_id: holds an empty value", scenario_id=""),
    row("inventory empty created_before", INVENTORY, "created_before: is empty", created_before=""),
    row("inventory empty status list", INVENTORY, "status: is an empty list", status=[]),
    # the insight_jobs inventory plugin
    row("inventory scenario id not a uuid", INVENTORY, "is not a UUID", scenario_id=["nope"]),
    row("inventory unknown app", INVENTORY, "Nowhere", app=["Nowhere"]),
    row("inventory unknown app by its old option name", INVENTORY, "app: there is no app named", apps=["Nowhere"]),
    row("inventory unknown status", INVENTORY, "status", status=["RUNNING"]),
    row("inventory finished status without include_finished", INVENTORY, "include_finished", status=["COMPLETED"]),
    row("inventory wrong secret", INVENTORY, "401", secret="not-the-secret"),
    row("inventory token and key pair", INVENTORY, "give one way to authenticate", token="abc.def"),
    row("inventory url without scheme", INVENTORY, "must start with http:// or https://", url="insight.example.com"),
    row("inventory zero timeout", INVENTORY, "timeout: must be greater than 0", timeout=0),
    row("inventory self-signed certificate", INVENTORY, "certificate verify failed", url="{tls_url}"),
    row("inventory self-signed certificate with ca_path", INVENTORY, None, url="{tls_url}", ca_path="{tls_ca}",
        client_id="alice-id", secret="{tls_secret}"),
    row("folder rename by id to a name with /", FOLDER, "name: the name 'a/b' contains /", id="{scratch}", name="a/b"),
    row("folder rename by path to a name with /", FOLDER, "name: the name 'x/y' contains /", path="/Logistics/Scratch",
        name="x/y"),
    row("folder rename to ..", FOLDER, "name: the name '..' is not allowed", path="/Logistics/Scratch", name=".."),
    row("folder path with an escaped /", FOLDER, "the folder name 'a\\' ends with a backslash", path="/Plant/a\\/b"),
    row("folder path with a . segment", FOLDER, "the folder name '.' is not allowed", path="/Plant/./Area"),
    row("folder path with a .. segment", FOLDER, "the folder name '..' is not allowed", path="/Logistics/Scratch/.."),
    row("folder path with a trailing /", FOLDER, "ends with /, which leaves an empty folder name",
        path="/Logistics/Scratch/", state="absent"),
    row("folder dest with a .. segment", FOLDER, "dest: in '/Logistics/..' the folder name '..' is not allowed",
        path="/Logistics/Scratch", state="moved", dest="/Logistics/.."),
    row("folder rename with a list of paths", FOLDER, "name: renames one folder", path=["/Logistics/Scratch"], name="New"),
    row("folder_info path with a .. segment", FOLDER_INFO, "the folder name '..' is not allowed", path="/Logistics/.."),
    # insight_folder with tree
    row("folder tree empty name", FOLDER, "tree (under Area, node 1): the name '' is empty", path="/Plant",
        tree=[{"name": "Area", "children": [{"name": ""}]}]),
    row("folder tree duplicate siblings", FOLDER, "the name 'Area' is given twice among siblings", path="/Plant",
        tree=[{"name": "Area"}, {"Area": None}]),
    row("folder tree unknown owner", FOLDER, "tree (/Plant/Area): owner: there is no user named 'nobody'", path="/Plant",
        tree=[{"name": "Area", "owner": "nobody"}]),
    row("folder tree node that is a scenario", FOLDER, "tree (/Ops/Run 1): is a scenario on the server", path="/Ops",
        tree=[{"name": "Area"}, {"name": "Run 1"}]),
    row("folder tree prune over max_deletions", FOLDER, "max_deletions: prune would delete 2 folders", path="/Logistics",
        tree=[{"name": "Scratch"}, {"name": "Area"}], prune=True, force=True, max_deletions=1),
    row("folder tree prune of scenarios without force", FOLDER, "/Logistics/Reports holds 1 scenario(s)",
        path="/Logistics", tree=[{"name": "Scratch"}, {"name": "Area"}], prune=True),
    # names and selectors the folder modules will not guess (issue 23)
    row("folder tree null name", FOLDER, "tree (top level, node 1): name is null (an unset variable?)", path="/Plant",
        tree=[{"name": None, "children": [{"name": "Budgets"}]}], prune=True),
    row("folder tree integer name", FOLDER, "tree (top level, node 1): name is the number 2025: quote it",
        path="/Plant", tree=[{"name": 2025}]),
    row("folder tree boolean name", FOLDER, "tree (top level, node 1): name is the boolean false", path="/Plant",
        tree=[False]),
    row("folder tree boolean compact key", FOLDER, "the compact key 'false' is what YAML makes of an unquoted No",
        path="/Plant", tree={False: None}),
    row("folder tree look-alike under prune", FOLDER,
        "prune would delete '/Logistics/Scratch' and create '/Logistics/scratch'", path="/Logistics", prune=True,
        tree=[{"name": "Reports", "children": [{"name": "Weekly"}]}, {"name": "scratch"}]),
    row("folder tree empty with prune", FOLDER, "tree: is empty ([]), and with prune: true", path="/Logistics",
        tree=[], prune=True, force=True),
    row("folder tree null with prune", FOLDER, "prune: only used with tree, and tree is not given or null",
        path="/Logistics", tree=None, prune=True),
    row("folder path empty", FOLDER, "path: is empty (an unset variable?)", path="", state="absent", force=True),
    row("folder path empty list", FOLDER, "path: the list of paths is empty", path=[], state="absent"),
    row("folder id empty", FOLDER, "id: '' is not a UUID", id="", state="absent", force=True),
    row("folder dest empty", FOLDER, "dest: is empty", path="/Logistics/Scratch", state="moved", dest=""),
    row("folder_info path empty", FOLDER_INFO, "path: is empty", path=""),
    row("folder_info app empty", FOLDER_INFO, "app: is empty (an unset variable?)", app=""),
    # credentials with control characters: the line names the field, never the value
    row("folder token with a line break", FOLDER, "token: contains a control character", path="/Plant/Area",
        client_id="", secret="", token="tok-ctl\r\nX-Injected: 1"),
    row("folder_info client_id with an escape", FOLDER_INFO, "client_id: contains a control character",
        app="Logistics", client_id="alice-id\x1b[2J"),
    row("job_info secret with a line break", JOB_INFO, "secret: contains a control character",
        secret="sec-ctl\nmore"),
    row("inventory token with a line break", INVENTORY, "token: contains a control character",
        client_id="", secret="", token="tok-ctl\nX-Injected: 1"),
    # plain http:// to another machine: refused before anything is sent (TEST-NET, never routed)
    row("job_info plain http to another machine", JOB_INFO, "url: plain http:// to 192.0.2.1", url=TEST_NET),
    row("folder plain http auth_url", FOLDER, "auth_url: plain http:// to 192.0.2.1", path="/Plant/Area",
        auth_url=TEST_NET + "/token"),
    row("inventory plain http to another machine", INVENTORY, "url: plain http:// to 192.0.2.1", url=TEST_NET),
    # a missing CA file is named with the other options, not by the TLS library
    row("folder_info missing ca_path file", FOLDER_INFO, "ca_path: '/nonexistent/insight-ca.pem' is not a file",
        app="Logistics", ca_path="/nonexistent/insight-ca.pem"),
    row("inventory missing ca_path file", INVENTORY, "ca_path: '/nonexistent/insight-ca.pem' is not a file",
        ca_path="/nonexistent/insight-ca.pem"),
    # every row runs with a ~/.netrc naming the server: it must never replace the bearer token
    row("job_info with a netrc entry for the server", JOB_INFO, None, app="Ops"),
    row("inventory with a netrc entry for the server", INVENTORY, None),
]


def fill(value: Any, ids: Dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids) if "{" in value and "{{" not in value else value
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    return value


def run_rows(plant: Any, tls: Any, collection_root: Path, workdir: Path) -> Dict[str, Any]:
    state = plant.state()
    by_path = {f["path"]: f["id"] for f in state["folders"]}
    private_job = next(j["id"] for j in state["jobs"] if j["owner"]["name"] == "Bob Builder" and j["status"] == "QUEUED")
    ids = {"scratch": by_path["/Logistics/Scratch"], "bob_private": by_path["/Logistics/Bob private"],
           "private_job": private_job, "ops_job": next(j["id"] for j in state["jobs"] if j["app"]["name"] == "Ops"),
           "tls_url": tls.url, "tls_ca": tls.ca, "tls_secret": tls.users["alice"]["secret"]}
    home = workdir / "home"
    home.mkdir()
    (home / ".netrc").write_text("machine 127.0.0.1 login netrc-user password netrc-password\n", encoding="utf-8")
    (home / ".netrc").chmod(0o600)
    tasks = [{"name": r.name, r.target: {k: fill(v, ids) for k, v in r.args.items()}, "ignore_errors": True}
             for r in ROWS if r.target != INVENTORY]

    def playbook(chunk: int) -> Dict[str, Any]:
        book = workdir / ("rows-%d.yml" % chunk)
        book.write_text(yaml.safe_dump([play(*tasks[chunk::CHUNKS])], sort_keys=False), encoding="utf-8")
        results = workdir / ("rows-%d.jsonl" % chunk)
        env = ansible_env(collection_root, dict(user_env(plant, "alice"), INSIGHT_TEST_RESULTS=str(results),
                                                RITA_SECRET=plant.users["rita"]["secret"], HOME=str(home),
                                                TLS_SECRET=tls.users["alice"]["secret"]))
        cmd = [str(BIN / "ansible-playbook"), str(book), "-i", "localhost,", "-c", "local"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, cwd=str(workdir), check=False)
        _capture("playbook", cmd, proc)
        lines = results.read_text(encoding="utf-8").splitlines()
        return {"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr,
                "results": [json.loads(line) for line in lines if line]}

    def inventory(r: Row) -> Any:
        path = workdir / (r.name.replace(" ", "_").replace("'", "") + ".insight_jobs.yml")
        config = {"plugin": INVENTORY}
        config.update({k: fill(v, ids) for k, v in r.args.items()})
        path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        icmd = [str(BIN / "ansible-inventory"), "-i", str(path), "--list"]
        ienv = ansible_env(collection_root, dict(user_env(plant, "alice"), ANSIBLE_INVENTORY_UNPARSED_FAILED="true",
                                                 HOME=str(home)))
        iproc = subprocess.run(icmd, env=ienv, capture_output=True, text=True, timeout=600, cwd=str(workdir), check=False)
        _capture("inventory", icmd, iproc)
        return {"rc": iproc.returncode, "stdout": iproc.stdout, "stderr": iproc.stderr}

    inventory_rows = [r for r in ROWS if r.target == INVENTORY]
    # Ansible's start-up dominates each run: the playbooks and inventories run side by side.
    with ThreadPoolExecutor(max_workers=CHUNKS + 2) as pool:
        books = pool.map(playbook, range(CHUNKS))
        inventories = dict(zip([r.name for r in inventory_rows], pool.map(inventory, inventory_rows), strict=True))
        merged: Dict[str, Any] = {"rc": 0, "stdout": "", "stderr": "", "results": []}
        for book in books:
            merged["rc"] = max(merged["rc"], book["rc"])
            for key in ("stdout", "stderr", "results"):
                merged[key] += book[key]
    return {"playbook": merged, "inventories": inventories}


@pytest.fixture(scope="module")
def outcomes(emulator: Any, emulator_tls: Any, collection_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    """Every row run once against the reliability seed, with the server's state before and after.

    Under pytest-xdist the rows are spread over workers: the first worker runs the matrix and leaves its outcomes
    in the session's shared temp directory for the others, so it runs once per session, not once per worker."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    cache = shared / "bad-input-outcomes.json"
    with open(shared / "bad-input.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if cache.exists():
            return json.loads(cache.read_text(encoding="utf-8"))
        plant = emulator.control()
        plant.reset(seed())
        before = server_snapshot(plant)
        out = run_rows(plant, emulator_tls.control(), collection_root, tmp_path_factory.mktemp("bad-input"))
        out["before"], out["after"] = before, server_snapshot(plant)
        out = json.loads(json.dumps(out))
        cache.write_text(json.dumps(out), encoding="utf-8")
        return out


def test_the_matrix_is_big_enough():
    assert len(ROWS) >= 40 and len({r.name for r in ROWS}) == len(ROWS)
    assert {r.target for r in ROWS} == {FOLDER, FOLDER_INFO, JOB_INFO, JOB_CANCEL, MESSAGE_FILE, INVENTORY}


@pytest.mark.parametrize("case", ROWS, ids=[r.name for r in ROWS])
def test_bad_input_is_refused_in_one_line(outcomes, case):
    if case.target == INVENTORY:
        proc = outcomes["inventories"][case.name]
        assert "Traceback" not in proc["stdout"] + proc["stderr"]
        if case.fragment is None:
            assert proc["rc"] == 0, proc["stderr"]
            assert json.loads(proc["stdout"])["insight_jobs"]["hosts"]
        else:
            assert proc["rc"] != 0, proc["stdout"]
            lines = [line for line in proc["stderr"].splitlines() if line.startswith("[WARNING]: Failed to parse inventory with 'auto' plugin: ")]
            assert len(lines) == 1, proc.stderr
            assert case.fragment.lower() in lines[0].lower(), lines[0]
            assert "insight_status" not in proc["stdout"]
    else:
        book = outcomes["playbook"]
        result = PlaybookResult(book["rc"], book["stdout"], book["stderr"], book["results"])
        assert "Traceback" not in result.stdout + result.stderr
        if case.fragment is None:
            assert status(result, case.name) == "ok", result.task(case.name)
        else:
            failed_line(result, case.name, case.fragment)
    # Whatever was refused, the server holds exactly what it held before.
    assert outcomes["after"] == outcomes["before"]
