"""The insight_jobs inventory plugin through real ansible-inventory runs against the emulator."""

from __future__ import annotations

import re
import subprocess
import urllib.request
from typing import List

from ansible_fixtures import BIN
from inventory_helpers import (FINISHED, STATUS_GROUPS, active_ids, config, groups, hosts_of, hostvars, list_requests,
                               state_jobs, unsafe)


def has_flush_cache() -> bool:
    """Whether this ansible-inventory has --flush-cache (ansible-core 2.16's has not)."""
    return "--flush-cache" in subprocess.run([str(BIN / "ansible-inventory"), "--help"], capture_output=True,
                                             text=True, check=False).stdout


def by_status(insight, status):
    return {job["id"] for job in state_jobs(insight, {status})}


def test_one_host_per_active_job_and_every_status_group(insight, run_inventory):
    listing = run_inventory(config())
    assert set(STATUS_GROUPS) | {"insight_jobs"} <= groups(listing)
    assert hosts_of(listing, "insight_jobs") == active_ids(insight)
    for group in STATUS_GROUPS:
        status = group[len("insight_status_"):].upper()
        expected = by_status(insight, status) if status not in FINISHED else set()
        assert hosts_of(listing, group) == expected, group
    # The demo data has no job in these statuses: the groups exist anyway.
    assert hosts_of(listing, "insight_status_inactive") == set()
    assert hosts_of(listing, "insight_status_completed") == set()
    one = next(iter(by_status(insight, "QUEUED")))
    job_vars = hostvars(listing)[one]
    assert job_vars["insight_id"] == one
    assert job_vars["insight_status"] == "QUEUED"
    assert job_vars["ansible_connection"] == "local"
    assert job_vars["insight_execution_mode"]["name"] in ("RUN", "LOAD")
    assert job_vars["insight_app"]["object_type"] == "APP"
    assert "insight_executionMode" not in job_vars and "insight_object_type" in job_vars


def test_graph_shows_empty_status_groups(insight, run_inventory):
    graph = run_inventory(config(), "--graph")
    for group in STATUS_GROUPS + ["insight_jobs"]:
        assert "@%s:" % group in graph
    for job_id in by_status(insight, "EXECUTING"):
        assert job_id in graph


def test_yaml_extension_and_direct_plugin(insight, run_inventory):
    listing = run_inventory(config(), name="prod.insight_jobs.yaml",
                            env={"ANSIBLE_INVENTORY_ENABLED": "xpress.insight.insight_jobs"})
    assert hosts_of(listing, "insight_jobs") == active_ids(insight)


def test_other_file_names_are_declined(insight, run_inventory):
    proc = run_inventory(config(), name="jobs.yml", raw=True,
                         env={"ANSIBLE_INVENTORY_ENABLED": "xpress.insight.insight_jobs"})
    assert "insight_jobs" not in proc.stdout
    assert "Unable to parse" in proc.stderr


def test_include_finished_and_statuses(insight, run_inventory):
    listing = run_inventory(config(include_finished=True, status=["COMPLETED", "FAILED"]))
    expected = by_status(insight, "COMPLETED") | by_status(insight, "FAILED")
    assert expected and hosts_of(listing, "insight_jobs") == expected
    assert hosts_of(listing, "insight_status_completed") == by_status(insight, "COMPLETED")
    assert hosts_of(listing, "insight_status_queued") == set()

    everything = run_inventory(config(include_finished=True))
    assert hosts_of(everything, "insight_jobs") == {job["id"] for job in state_jobs(insight)}


def test_scenario_ids_filter(insight, run_inventory):
    queued = state_jobs(insight, {"QUEUED"})
    scenario = next(job["scenario"]["id"] for job in queued if job["name"] == "Base case")
    other = next(job["scenario"]["id"] for job in queued if job["name"] == "Balanced")
    expected = {job["id"] for job in state_jobs(insight) if job["status"] not in FINISHED and job["scenario"]["id"] == scenario}
    assert len(expected) >= 2
    assert hosts_of(run_inventory(config(scenario_id=[scenario])), "insight_jobs") == expected
    both = {job["id"] for job in state_jobs(insight)
            if job["status"] not in FINISHED and job["scenario"]["id"] in (scenario, other)}
    assert hosts_of(run_inventory(config(scenario_id=[scenario, other])), "insight_jobs") == both


def test_apps_filter_by_name_and_id(insight, run_inventory):
    portfolio = next(app for app in insight.state()["apps"] if app["name"] == "Portfolio")
    expected = {job["id"] for job in state_jobs(insight) if job["status"] not in FINISHED and job["app"]["id"] == portfolio["id"]}
    assert expected
    assert hosts_of(run_inventory(config(app=["Portfolio"])), "insight_jobs") == expected
    assert hosts_of(run_inventory(config(app=[portfolio["id"]])), "insight_jobs") == expected


def test_owners_filter(insight, run_inventory):
    bob = next(user for user in insight.state()["users"] if user["username"] == "bob")
    expected = {job["id"] for job in state_jobs(insight) if job["status"] not in FINISHED and job["owner"]["id"] == bob["id"]}
    assert expected
    assert hosts_of(run_inventory(config(owner=["Bob Builder"])), "insight_jobs") == expected
    assert hosts_of(run_inventory(config(owner=[bob["id"]])), "insight_jobs") == expected


def test_jinja_filters_all_must_hold(insight, run_inventory):
    loads = {job["id"] for job in state_jobs(insight) if job["executionMode"]["name"] == "LOAD" and job["status"] not in FINISHED}
    assert loads
    listing = run_inventory(config(filters=["insight_execution_mode.name == 'LOAD'"]))
    assert hosts_of(listing, "insight_jobs") == loads
    none = run_inventory(config(filters=["insight_execution_mode.name == 'LOAD'", "insight_status == 'EXECUTING'"]))
    assert hosts_of(none, "insight_jobs") == set()
    assert set(STATUS_GROUPS) <= groups(none)


def test_hostnames_expressions_templates_and_fallback(insight, run_inventory):
    active = [job for job in state_jobs(insight) if job["status"] not in FINISHED]
    listing = run_inventory(config(hostnames=["scenario.name ~ '-' ~ id[:8]", "id"]))
    # Alice cannot see the scenario of Bob's private folder: that job comes redacted (no scenario), so its name
    # falls through to the id.
    expected = {job["id"] if job["name"] == "Secret plan" else "%s-%s" % (job["scenario"]["name"], job["id"][:8])
                for job in active}
    assert hosts_of(listing, "insight_jobs") == expected

    templated = run_inventory(config(hostnames=["{{ owner.name | lower | replace(' ', '.') }}.{{ id[:8] }}"]))
    assert hosts_of(templated, "insight_jobs") == {"%s.%s" % (job["owner"]["name"].lower().replace(" ", "."), job["id"][:8])
                                                   for job in active}
    # Active jobs have no `finished` time: every name falls through to the next entry.
    fallback = run_inventory(config(hostnames=["finished", "url"]))
    assert hosts_of(fallback, "insight_jobs") == {"/api/jobs/" + job["id"] for job in active}


def test_keyed_groups_by_app_scenario_owner_and_mode(insight, run_inventory):
    listing = run_inventory(config(keyed_groups=[
        {"key": "insight_app.name", "prefix": "app"},
        {"key": "insight_scenario.name", "prefix": "scenario"},
        {"key": "insight_owner.name", "prefix": "owner"},
        {"key": "insight_execution_mode.name", "prefix": "mode"},
    ]))
    active = [job for job in state_jobs(insight) if job["status"] not in FINISHED]
    assert hosts_of(listing, "app_Portfolio") == {job["id"] for job in active if job["app"]["name"] == "Portfolio"}
    assert hosts_of(listing, "owner_Bob_Builder") == {job["id"] for job in active if job["owner"]["name"] == "Bob Builder"}
    assert hosts_of(listing, "mode_LOAD") == {job["id"] for job in active if job["executionMode"]["name"] == "LOAD"}
    assert hosts_of(listing, "scenario_Base_case") == {job["id"] for job in active if job["name"] == "Base case"}
    assert hosts_of(listing, "mode_RUN")


def test_compose_and_groups(insight, run_inventory):
    listing = run_inventory(config(
        compose={"job_label": "insight_app.name ~ '/' ~ insight_status", "ansible_connection": "'ssh'"},
        groups={"portfolio_queue": "job_label == 'Portfolio/QUEUED'", "loads": "insight_execution_mode.name == 'LOAD'"},
    ))
    active = [job for job in state_jobs(insight) if job["status"] not in FINISHED]
    host_vars = hostvars(listing)
    for job in active:
        assert host_vars[job["id"]]["job_label"] == "%s/%s" % (job["app"]["name"], job["status"])
        # compose sets ansible_connection, so the plugin's `local` default stays out of the way
        assert host_vars[job["id"]]["ansible_connection"] == "ssh"
    assert hosts_of(listing, "portfolio_queue") == {job["id"] for job in active
                                                    if job["app"]["name"] == "Portfolio" and job["status"] == "QUEUED"}
    assert hosts_of(listing, "loads") == {job["id"] for job in active if job["executionMode"]["name"] == "LOAD"}


def test_prefix(insight, run_inventory):
    listing = run_inventory(config(prefix="job_"))
    one = next(iter(active_ids(insight)))
    assert hostvars(listing)[one]["job_id"] == one
    assert "insight_id" not in hostvars(listing)[one]


def _leaves(value):
    """Every scalar in a nested structure of dicts and lists."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_server_text_is_never_templated(insight, run_inventory, tmp_path):
    trap = "{{ lookup('env', 'HOME') }}"
    insight.reset({
        "users": [{"username": "alice", "name": "{{ 7 * 6 }}", "role": "full", "client_id": "alice-id", "secret": "alice-secret"}],
        "apps": [{"name": "Logistics", "scenarios": [{"name": trap}]}],
        "jobs": [{"scenario": "/Logistics/" + trap, "owner": "alice", "status": "QUEUED"}],
    })
    options = config(compose={"label": "insight_name", "owner_label": "insight_owner.name ~ '!'"},
                     keyed_groups=[{"key": "insight_owner.name", "prefix": "owner"}],
                     cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(tmp_path / "cache"))
    for run in ("fresh", "cached"):
        listing = run_inventory(options)
        raw = listing["_meta"]["hostvars"]
        (host,) = raw
        assert unsafe(raw[host]["insight_name"]), run
        plain_vars = hostvars(listing)[host]
        assert plain_vars["insight_name"] == trap, run
        assert plain_vars["label"] == trap, run
        assert plain_vars["owner_label"] == "{{ 7 * 6 }}!", run
        # What templating would have produced: never a whole value (ids and timestamps may contain "42" by chance).
        assert not {"42", "42!"} & set(_leaves(plain_vars)), run
    assert list_requests(insight) == 1


def cancel(insight, job_id):
    """Cancel a job straight through the API, behind the inventory cache's back."""
    request = urllib.request.Request("%s/api/jobs/%s" % (insight.url, job_id), method="DELETE", headers={
        "Authorization": "Bearer " + insight.token("alice"), "Accept": "application/vnd.com.fico.xpress.insight.v2+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 202


def test_cache_hit_makes_no_request_and_flush_refreshes(insight, run_inventory, tmp_path):
    options = config(cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(tmp_path / "cache"),
                     cache_timeout=3600)
    first = run_inventory(options)
    assert list_requests(insight) >= 1
    queued = hosts_of(first, "insight_status_queued")
    gone = next(job["id"] for job in state_jobs(insight, {"QUEUED"}) if job["owner"]["name"] == "Alice Able")
    assert gone in queued
    cancel(insight, gone)
    assert gone not in active_ids(insight)

    insight.reset_counters()
    second = run_inventory(options)
    assert insight.counters()["total"] == 0
    assert hostvars(second) == hostvars(first)
    assert gone in hosts_of(second, "insight_status_queued")

    # Options other than the server query apply to the cached jobs too, still without a request.
    narrowed = run_inventory(dict(options, status=["EXECUTING"], keyed_groups=[{"key": "insight_status", "prefix": "s"}]))
    assert insight.counters()["total"] == 0
    assert hosts_of(narrowed, "insight_jobs") == hosts_of(first, "insight_status_executing")
    assert hosts_of(narrowed, "s_EXECUTING") == hosts_of(first, "insight_status_executing")

    if not has_flush_cache():
        return  # ansible-core 2.16 (the floor leg): the cache hit above is what this core can check
    flushed = run_inventory(options, "--list", "--flush-cache")
    assert list_requests(insight) >= 1
    assert hosts_of(flushed, "insight_jobs") == active_ids(insight)
    assert gone not in hosts_of(flushed, "insight_jobs")

    # The refreshed list went back into the cache.
    insight.reset_counters()
    assert hosts_of(run_inventory(options), "insight_jobs") == active_ids(insight)
    assert insight.counters()["total"] == 0


# -- errors: one line, and no inventory at all -------------------------------------------------------------------

def failure(run_inventory, options, env=None, lenient=True):
    """Run a source that must fail: returns the plugin's error line."""
    merged = {"ANSIBLE_INVENTORY_UNPARSED_FAILED": "true"}
    merged.update(env or {})
    proc = run_inventory(options, raw=True, env=merged)
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr
    assert "insight_jobs" not in proc.stdout
    lines = auto_plugin_errors(proc.stderr)
    assert len(lines) == 1, proc.stderr
    if lenient:
        # Without the strict setting Ansible carries on with an empty inventory: still never a partial one.
        proc = run_inventory(options, raw=True, env=env)
        assert "insight_jobs" not in proc.stdout and "insight_status" not in proc.stdout
    return lines[0]


def auto_plugin_errors(stderr: str) -> List[str]:
    """The auto plugin's error messages in ansible-inventory's warnings: one line each from ansible-core 2.19 on;
    2.16 says `[WARNING]:  * Failed to parse <path> with auto plugin: <message>` wrapped at 80 columns (a break
    after a hyphen drops no space), so its lines are joined back first."""
    found = [line.split(" plugin: ", 1)[1] for line in stderr.splitlines()
             if line.startswith("[WARNING]: Failed to parse inventory with 'auto' plugin: ")]
    if found or "[WARNING]:  * Failed to parse" not in stderr:
        return found
    joined = ""
    for line in stderr.splitlines():
        if not line.strip():
            joined += "\n"
        elif line.startswith("[WARNING]:") or not joined or joined.endswith("\n"):
            joined += "\n" + line
        else:
            joined += ("" if joined.endswith("-") else " ") + line
    return re.findall(r"^\[WARNING\]:\s+\* Failed to parse \S+ with auto plugin: (.*)$", joined, re.MULTILINE)


def test_unreachable_server(insight, run_inventory):
    line = failure(run_inventory, config(timeout=5, retries=0), env={"INSIGHT_URL": "http://127.0.0.1:9"})
    assert line.startswith("POST /api/authentication/token: cannot reach http://127.0.0.1:9"), line


def test_bad_secret(insight, run_inventory):
    line = failure(run_inventory, config(), env={"INSIGHT_SECRET": "wrong"})
    assert "401" in line and "secret" in line.lower(), line
    assert "wrong" not in line


def test_missing_credentials(insight, run_inventory):
    line = failure(run_inventory, config(), env={"INSIGHT_CLIENT_ID": "", "INSIGHT_SECRET": ""})
    assert line.startswith("client_id/secret or token: missing"), line
    assert insight.counters()["total"] == 0


def test_forbidden_listing(insight, run_inventory):
    insight.faults({"route": "GET /api/jobs", "kind": "status", "status": 403, "body": "envelope"})
    line = failure(run_inventory, config())
    assert line.startswith("GET /api/jobs: 403"), line


def test_a_failed_page_fails_the_whole_source(insight, run_inventory):
    insight.reset("demo", generate={"jobs": {"count": 950, "app": "Logistics"}})
    insight.config(page_size_cap=100)
    insight.faults({"route": "GET /api/jobs", "kind": "status", "status": 500, "body": "envelope", "rate": 0.3, "seed": 6})
    line = failure(run_inventory, config(retries=0, parallel=1), lenient=False)
    assert line.startswith("GET /api/jobs: 500"), line
    answers = [entry["status"] for entry in insight.log() if entry["route"] == "GET /api/jobs"]
    # Some pages arrived before one failed, and still nothing was listed.
    assert 200 in answers and 500 in answers, answers
    assert answers.index(500) > 0, answers


def test_bad_options_are_one_line(insight, run_inventory):
    line = failure(run_inventory, config(status=["COMPLETED"]))
    assert line == "status: COMPLETED only appear with include_finished: true", line
    line = failure(run_inventory, config(app=["Nope"]))
    assert "app: there is no app named 'Nope'" in line, line
    line = failure(run_inventory, config(scenario_id=["not-a-uuid"]))
    assert line.startswith("scenario_id"), line


def test_parallel_out_of_range_fails_before_any_call(insight, run_inventory):
    # The modules' one range check: the source used to take 0 (and any large number) without a word.
    for value in (0, 33):
        line = failure(run_inventory, config(parallel=value), lenient=False)
        assert line == "parallel: must be between 1 and 32, got %d" % value, line
    assert insight.counters()["total"] == 0


# -- a playbook aimed at a status group ---------------------------------------------------------------------------

def test_playbook_cancels_the_queued_jobs_and_refreshes(insight, run_playbook, tmp_path):
    source = tmp_path / "queue.insight_jobs.yml"
    # Alice may cancel her own jobs; Bob's locked and private ones would answer 403.
    source.write_text("plugin: xpress.insight.insight_jobs\nowner: [Alice Able]\n", encoding="utf-8")
    mine = {job["id"] for job in state_jobs(insight, {"QUEUED"}) if job["owner"]["name"] == "Alice Able"}
    assert len(mine) >= 2
    playbook = [
        {"name": "cancel", "hosts": "insight_status_queued", "gather_facts": False, "tasks": [
            {"name": "Cancel the job", "xpress.insight.insight_job_cancel": {"id": "{{ insight_id }}"}},
            {"name": "Where it ran", "ansible.builtin.command": "hostname", "changed_when": False},
        ]},
        {"name": "refresh", "hosts": "localhost", "gather_facts": False, "tasks": [
            {"name": "Refresh", "ansible.builtin.meta": "refresh_inventory"},
            {"name": "Queue after", "ansible.builtin.set_fact": {
                "left": "{{ groups['insight_status_queued'] }}", "all_jobs": "{{ groups['insight_jobs'] }}"}},
        ]},
    ]
    result = run_playbook(playbook, inventory=str(source))
    assert result.rc == 0, result
    ran = {entry["host"] for entry in result.results if entry["task"] == "Cancel the job"}
    assert ran == mine
    for job_id in mine:
        assert result.task("Cancel the job", host=job_id)["changed"] is True
        # ansible_connection=local: the job's "host" is the controller itself
        assert result.task("Where it ran", host=job_id)["rc"] == 0
    assert {job["id"] for job in state_jobs(insight) if job["status"] in ("CANCELLING", "CANCELLED")} >= mine
    after = result.task("Queue after", host="localhost")["ansible_facts"]
    assert after["left"] == []
    assert not set(after["all_jobs"]) & mine
