"""insight_jobs (issue 23): jobs whose host names collide never share a host (the documented cancel runbook then
cancels only the queued job), blank filters fail instead of listing every job, and an app name two apps share fails."""

from __future__ import annotations

import pytest
import yaml

from inventory_helpers import LIST_ROUTE, config, hosts_of, hostvars, list_requests
from test_insight_jobs import failure

USERS = [{"username": "alice", "name": "Alice Able", "role": "full", "client_id": "alice-id", "secret": "alice-secret"}]
TWIN = "7a000000-0000-4000-8000-0000000000b2"
TWIN_SCENARIO = "7a000000-0000-4000-8000-0000000000c3"


def jid(number: int) -> str:
    return "00000000-0000-4000-8000-%012d" % number


def seed(twin: bool = False):
    """Two jobs on one scenario (the QUEUED one created first, then an EXECUTING one), and one on another scenario."""
    apps = [{"name": "Logistics", "scenarios": [{"name": "Base case"}, {"name": "Other"}]}]
    jobs = [
        {"id": jid(9), "scenario": "/Logistics/Base case", "status": "QUEUED", "created": "-2h"},
        {"id": jid(1), "scenario": "/Logistics/Base case", "status": "EXECUTING", "created": "-1h"},
        {"id": jid(5), "scenario": "/Logistics/Other", "status": "QUEUED", "created": "-30m"},
    ]
    if twin:
        apps.append({"name": "Logistics", "id": TWIN, "scenarios": [{"name": "Base case", "id": TWIN_SCENARIO}]})
        jobs.append({"id": jid(7), "scenario_id": TWIN_SCENARIO, "status": "QUEUED", "created": "-2h"})
    return {"users": USERS, "apps": apps, "jobs": jobs}


def statuses(insight):
    return {j["id"]: j["status"] for j in insight.state()["jobs"]}


BY_SCENARIO = {"hostnames": ["scenario.name"]}
SHARED = {"Base case_" + jid(9): jid(9), "Base case_" + jid(1): jid(1)}


def test_colliding_host_names_get_the_job_id_and_each_host_is_one_job(insight, run_inventory, tmp_path):
    insight.reset(seed())
    proc = run_inventory(config(**BY_SCENARIO), raw=True)
    assert proc.returncode == 0, proc.stderr
    # One warning per run, counting the jobs.
    warnings = [line for line in proc.stderr.splitlines() if "insight_jobs: 2 jobs got a host name" in line]
    assert len(warnings) == 1, proc.stderr
    listing = yaml.safe_load(proc.stdout)
    assert hosts_of(listing, "insight_jobs") == set(SHARED) | {"Other"}
    variables = hostvars(listing)
    for host, job_id in SHARED.items():
        assert variables[host]["insight_id"] == job_id
    assert hosts_of(listing, "insight_status_queued") == {"Base case_" + jid(9), "Other"}
    assert hosts_of(listing, "insight_status_executing") == {"Base case_" + jid(1)}


def test_the_runbook_over_colliding_names_cancels_only_the_queued_job(insight, run_playbook, tmp_path):
    insight.reset(seed())
    source = tmp_path / "prod.insight_jobs.yml"
    source.write_text(yaml.safe_dump(config(app=["Logistics"], **BY_SCENARIO)), encoding="utf-8")
    runbook = [{"name": "Cancel every queued job", "hosts": "insight_status_queued", "gather_facts": False,
                "tasks": [{"name": "Cancel the job", "xpress.insight.insight_job_cancel": {"id": "{{ insight_id }}"}}]}]
    result = run_playbook(runbook, inventory=str(source))
    assert result.rc == 0, result
    after = statuses(insight)
    assert after[jid(9)] == "CANCELLED" and after[jid(5)] == "CANCELLED"
    assert after[jid(1)] == "EXECUTING"
    cancelled = sorted(entry["result"]["cancelled"][0] for entry in result.results if entry["task"] == "Cancel the job")
    assert cancelled == [jid(5), jid(9)]


@pytest.mark.parametrize("variant", ["default", "jobs-by-id"], indirect=True)
def test_the_names_do_not_depend_on_the_listing_order_or_the_cache(variant, insight, run_inventory, tmp_path):
    variant.reset(seed())
    options = config(cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(tmp_path / "cache"),
                     cache_timeout=3600, **BY_SCENARIO)
    fresh = run_inventory(options)
    assert hosts_of(fresh, "insight_jobs") == set(SHARED) | {"Other"}
    requests = list_requests(insight)
    cached = run_inventory(options)
    assert list_requests(insight) == requests  # from the cache
    assert hosts_of(cached, "insight_jobs") == hosts_of(fresh, "insight_jobs")
    assert hostvars(cached)["Base case_" + jid(1)]["insight_status"] == "EXECUTING"


BLANKS = [
    ({"status": []}, "status: is an empty list; leave the option out"),
    ({"app": ""}, "app: "),
    ({"app": []}, "app: is an empty list; leave the option out to not filter by app"),
    ({"owner": ""}, "owner: "),
    ({"scenario_id": []}, "scenario_id: is an empty list"),
    ({"execution_mode": []}, "execution_mode: is an empty list"),
    ({"created_before": ""}, "created_before: is empty; leave the option out to not filter by creation time"),
    ({"created_after": " "}, "created_after: is empty"),
]


@pytest.mark.parametrize("options, fragment", BLANKS, ids=[repr(b[0]) for b in BLANKS])
def test_a_blank_filter_fails_in_one_line_before_any_call(insight, run_inventory, options, fragment):
    insight.reset(seed())
    insight.reset_counters()
    line = failure(run_inventory, config(**options), lenient=False)
    assert fragment in line, line
    assert insight.counters()["total"] == 0


def test_an_app_name_two_apps_share_fails_and_an_id_selects_one(insight, run_inventory):
    insight.reset(seed(twin=True))
    insight.reset_counters()
    line = failure(run_inventory, config(app=["Logistics"]), lenient=False)
    assert "app: 'Logistics' matches 2 apps: " in line and TWIN in line, line
    assert insight.counters()["by_route"].get(LIST_ROUTE, 0) == 0
    listing = run_inventory(config(app=[TWIN]))
    assert hosts_of(listing, "insight_jobs") == {jid(7)}
