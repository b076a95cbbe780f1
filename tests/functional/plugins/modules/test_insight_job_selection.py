"""What insight_job_cancel and insight_job_info select (issue 23): an empty selection never widens to every job, a
lost DELETE answer is read back from the server, and an app name two apps share fails before any listing."""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional

import pytest

CANCEL = "xpress.insight.insight_job_cancel"
INFO = "xpress.insight.insight_job_info"
DELETE = "DELETE /api/jobs/{id}"
GET_ONE = "GET /api/jobs/{id}"
LIST = "GET /api/jobs"
APPS_ROUTE = "GET /api/apps"
TWIN = "7a000000-0000-4000-8000-0000000000b2"
TWIN_SCENARIO = "7a000000-0000-4000-8000-0000000000c3"

USERS = [{"username": "alice", "name": "Alice Able", "role": "full", "client_id": "alice-id", "secret": "alice-secret"}]


def jid(number: int) -> str:
    return "00000000-0000-4000-8000-%012d" % number


def seed(twin: bool = False) -> Dict[str, Any]:
    """Queued jobs in two apps (and, with `twin`, a second app named Logistics with its own queued jobs)."""
    apps: List[Dict[str, Any]] = [{"name": "Logistics", "scenarios": [{"name": "Base case"}]},
                                  {"name": "Portfolio", "scenarios": [{"name": "Balanced"}]}]
    jobs: List[Dict[str, Any]] = [
        {"id": jid(1), "scenario": "/Logistics/Base case", "status": "QUEUED", "created": "-2h"},
        {"id": jid(2), "scenario": "/Logistics/Base case", "status": "QUEUED", "created": "-1h"},
        {"id": jid(3), "scenario": "/Logistics/Base case", "status": "EXECUTING", "created": "-3h"},
        {"id": jid(4), "scenario": "/Portfolio/Balanced", "status": "QUEUED", "created": "-5m"},
    ]
    if twin:
        apps.append({"name": "Logistics", "id": TWIN, "scenarios": [{"name": "Base case", "id": TWIN_SCENARIO}]})
        jobs += [{"id": jid(5), "scenario_id": TWIN_SCENARIO, "status": "QUEUED", "created": "-2h"},
                 {"id": jid(6), "scenario_id": TWIN_SCENARIO, "status": "EXECUTING", "created": "-2h"}]
    return {"users": USERS, "apps": apps, "jobs": jobs}


def play(*tasks: Dict[str, Any]) -> Dict[str, Any]:
    return {"name": "selection", "hosts": "localhost", "gather_facts": False, "tasks": list(tasks)}


def task(name: str, module: str = CANCEL, ignore: bool = False, register: Optional[str] = None, **args: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {"name": name, module: args}
    if ignore:
        out["ignore_errors"] = True
    if register:
        out["register"] = register
    return out


def statuses(insight: Any) -> Dict[str, str]:
    return {j["id"]: j["status"] for j in insight.state()["jobs"]}


def by_route(insight: Any, route: str) -> int:
    return insight.counters()["by_route"].get(route, 0)


def task_status(result: Any, name: str) -> str:
    found = [entry["status"] for entry in result.results if entry["task"] == name]
    assert len(found) == 1, (name, found)
    return found[0]


# -- empty selections (item 9) -------------------------------------------------------------------------------------

def test_the_documented_nothing_found_pattern_cancels_nothing(insight, run_playbook):
    insight.reset(seed())
    before = statuses(insight)
    book = play(task("find stuck", module=INFO, register="stuck", status=["QUEUED"], created_before="30d"),
                task("cancel what was found", register="cleanup", id="{{ stuck.jobs | map(attribute='id') | list }}"))
    result = run_playbook(book)
    assert result.rc == 0, result
    assert result.task("find stuck")["jobs"] == []
    out = result.task("cancel what was found")
    assert out["changed"] is False
    assert out["cancelled"] == [] and out["jobs"] == [] and out["matched"] == 0
    assert "no job was selected" in out["msg"]
    assert statuses(insight) == before
    assert insight.counters()["writes"] == 0


def test_an_empty_id_list_makes_no_call_at_all(insight, run_playbook):
    insight.reset(seed())
    before = statuses(insight)
    insight.reset_counters()
    result = run_playbook(play(task("cancel nothing", id=[], max_jobs=1)))
    assert result.rc == 0, result
    out = result.task("cancel nothing")
    assert out["changed"] is False and out["cancelled"] == [] and out["skipped_jobs"] == {} and out["missing"] == []
    # No listing, no read, no DELETE: not even a token was needed.
    assert by_route(insight, LIST) == 0 and by_route(insight, GET_ONE) == 0 and by_route(insight, DELETE) == 0
    assert insight.counters()["total"] == 0
    assert statuses(insight) == before


class Selector(NamedTuple):
    module: str
    args: Dict[str, Any]
    fragment: Optional[str]  # None: succeeds, selecting nothing


FILTERS = ("status", "app", "owner", "scenario_id", "execution_mode", "created_before", "created_after")
SELECTORS: List[Selector] = [
    Selector(CANCEL, {"id": []}, None),
    Selector(CANCEL, {"id": ""}, "id: holds an empty value"),
    Selector(CANCEL, {"id": [""]}, "id: holds an empty value"),
    Selector(CANCEL, {"id": [jid(1), " "]}, "id: holds an empty value"),
    Selector(INFO, {"id": ""}, "id: is empty; give the UUID of one job"),
    Selector(INFO, {"id": " "}, "id: is empty"),
    Selector(INFO, {"id": []}, "id: is empty"),
    # Ansible itself checks `status` against its choices first, naming the option.
    Selector(CANCEL, {"status": ""}, "status"),
    Selector(INFO, {"status": ""}, "status"),
    # Named as written, the current name beside it (issue 25).
    Selector(CANCEL, {"older_than": ""},
             "older_than (alias of created_before): is empty; leave the option out to not filter by creation time"),
]
for _module in (CANCEL, INFO):
    for _name in FILTERS:
        # The created_* options are strings: Ansible turns a list into the text '[]', which is no moment.
        empty_list = "'[]' is neither an age" if _name.startswith("created_") else "is an empty list; leave the option out"
        SELECTORS.append(Selector(_module, {_name: []}, "%s: %s" % (_name, empty_list)))
        if _name != "status":
            blank = "is empty" if _name.startswith("created_") else "holds an empty value"
            SELECTORS.append(Selector(_module, {_name: ""}, "%s: %s; leave the option out" % (_name, blank)))
    SELECTORS.append(Selector(_module, {"app": ["Logistics", ""]}, "app: holds an empty value"))
    SELECTORS.append(Selector(_module, {"created_after": "  "}, "created_after: is empty"))


def selector_name(selector: Selector) -> str:
    return "%s %r" % (selector.module.rsplit(".", 1)[1], selector.args)


@pytest.fixture(scope="module")
def selector_outcomes(emulator: Any, collection_root: Any, tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    """Every selector row as one task of one playbook against one emulator state, with that state before and after."""
    import json
    import subprocess

    import yaml

    from ansible_fixtures import BIN, _capture, ansible_env

    control = emulator.control()
    control.reset(seed())
    before = statuses(control)
    control.reset_counters()
    workdir = tmp_path_factory.mktemp("selectors")
    tasks = [task(selector_name(s), module=s.module, ignore=True, **s.args) for s in SELECTORS]
    book = workdir / "selectors.yml"
    book.write_text(yaml.safe_dump([play(*tasks)], sort_keys=False), encoding="utf-8")
    results = workdir / "results.jsonl"
    alice = control.users["alice"]
    env = ansible_env(collection_root, {"INSIGHT_URL": control.url, "INSIGHT_CLIENT_ID": alice["client_id"],
                                        "INSIGHT_SECRET": alice["secret"], "INSIGHT_TEST_RESULTS": str(results)})
    cmd = [str(BIN / "ansible-playbook"), str(book), "-i", "localhost,", "-c", "local"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, cwd=str(workdir), check=False)
    _capture("playbook", cmd, proc)
    entries = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {"stdout": proc.stdout, "stderr": proc.stderr, "results": entries, "before": before,
            "after": statuses(control), "counters": control.counters()}


@pytest.mark.parametrize("selector", SELECTORS, ids=[selector_name(s) for s in SELECTORS])
def test_an_empty_selector_selects_nothing_or_fails_in_one_line(selector_outcomes, selector):
    name = selector_name(selector)
    found = [entry for entry in selector_outcomes["results"] if entry["task"] == name]
    assert len(found) == 1, (name, selector_outcomes["stderr"][-2000:])
    entry = found[0]
    out = entry["result"]
    assert "Traceback" not in str(out) and "Traceback" not in selector_outcomes["stderr"]
    if selector.fragment is None:
        assert entry["status"] == "ok", out
        assert out["changed"] is False and out["cancelled"] == [] and "no job was selected" in out["msg"]
    else:
        assert entry["status"] == "failed", out
        msg = out["msg"]
        assert "\n" not in msg.strip() and selector.fragment in msg, msg
    # Whatever the row, nothing was cancelled, and no row listed the jobs (each failed or stopped before).
    assert selector_outcomes["after"] == selector_outcomes["before"]
    assert selector_outcomes["counters"]["writes"] == 0
    assert selector_outcomes["counters"]["by_route"].get(LIST, 0) == 0


# -- a lost DELETE answer (item 8) ---------------------------------------------------------------------------------

@pytest.mark.parametrize("wait", [False, True], ids=["no-wait", "wait"])
@pytest.mark.parametrize("variant", ["cancel-ended-404", "cancel-ended-409"], indirect=True)
def test_a_cancel_whose_answer_was_lost_is_read_back_and_reported_cancelled(variant, insight, run_playbook, wait):
    variant.reset(seed())
    if wait:
        # Cancellations take a moment on the job clock: the wait must last until the job is CANCELLED.
        insight.config(cancel_delay=1.5)
        insight.clock("resume")
    # The server cancels the job, then the connection drops before its answer: the client sends the DELETE again,
    # and this server answers the repeat with 404 or 409 because the job is already cancelling.
    insight.faults({"route": DELETE, "kind": "drop", "when": "after", "count": 1})
    result = run_playbook(play(task("cancel", id=[jid(1)], wait=wait, wait_timeout=60)))
    assert result.rc == 0, result
    out = result.task("cancel")
    assert out["changed"] is True
    assert out["cancelled"] == [jid(1)]
    assert out["missing"] == [] and out["skipped_jobs"] == {} and out["failed_jobs"] == {}
    assert by_route(insight, DELETE) == 2
    # The job was read by its id after the refused repeat.
    assert by_route(insight, GET_ONE) >= 2
    if wait:
        assert out["jobs"] == [{"id": jid(1), "status": "CANCELLED"}]
    else:
        assert out["jobs"][0]["status"] in ("CANCELLING", "CANCELLED")
    assert statuses(insight)[jid(1)] in (("CANCELLED",) if wait else ("CANCELLING", "CANCELLED"))
    assert statuses(insight)[jid(2)] == "QUEUED"


# -- twin apps -----------------------------------------------------------------------------------------------------

def test_an_app_name_two_apps_share_fails_before_any_listing(insight, run_playbook):
    insight.reset(seed(twin=True))
    before = statuses(insight)
    insight.reset_counters()
    result = run_playbook(play(task("cancel by name", ignore=True, app="Logistics"),
                               task("list by name", module=INFO, ignore=True, app=["Logistics"])))
    for name in ("cancel by name", "list by name"):
        assert task_status(result, name) == "failed"
        msg = result.task(name)["msg"]
        assert "app: 'Logistics' matches 2 apps: " in msg and TWIN in msg and "name the one meant by its id" in msg, msg
    assert by_route(insight, LIST) == 0
    assert statuses(insight) == before


def test_an_app_given_by_id_selects_only_that_app(insight, run_playbook):
    insight.reset(seed(twin=True))
    first = next(a["id"] for a in insight.state()["apps"] if a["name"] == "Logistics" and a["id"] != TWIN)
    result = run_playbook(play(task("list twin", module=INFO, app=[TWIN.upper()]),
                               task("cancel twin", app=TWIN)))
    assert result.rc == 0, result
    assert sorted(j["id"] for j in result.task("list twin")["jobs"]) == [jid(5), jid(6)]
    assert result.task("cancel twin")["cancelled"] == [jid(5)]
    after = statuses(insight)
    assert after[jid(5)] == "CANCELLED" and after[jid(6)] == "EXECUTING"
    assert after[jid(1)] == after[jid(2)] == "QUEUED" and after[jid(4)] == "QUEUED"
    assert first != TWIN
