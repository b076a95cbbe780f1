"""insight_jobs: the shared job filter names (and their aliases), pattern-safe host names, every Job field on every
host, and job lists that shift while they are paged."""

from __future__ import annotations

import json

from inventory_helpers import FINISHED, active_ids, config, hosts_of, hostvars, state_jobs
from test_insight_jobs import failure

LIST = "GET /api/jobs"
JOB_FIELDS = ("app", "created", "duration", "execution_attempts", "execution_mode", "execution_service",
              "execution_worker", "finished", "id", "model_status", "name", "object_type", "objective", "owner",
              "scenario", "solver_status", "started", "status", "url")


def test_old_option_names_are_aliases_of_the_shared_ones(insight, run_inventory):
    bob_queued = {j["id"] for j in state_jobs(insight, {"QUEUED"}) if j["owner"]["name"] == "Bob Builder"}
    assert bob_queued
    canonical = run_inventory(config(status=["QUEUED"], owner=["Bob Builder"], app=["Logistics"], parallel=2))
    aliased = run_inventory(config(statuses=["QUEUED"], owners=["Bob Builder"], apps=["Logistics"], concurrency=2))
    assert hosts_of(canonical, "insight_jobs") == hosts_of(aliased, "insight_jobs")
    assert hosts_of(canonical, "insight_jobs") == {j for j in bob_queued
                                                   if next(s for s in state_jobs(insight) if s["id"] == j)["app"]["name"] == "Logistics"}


def test_execution_mode_and_creation_time_filters(insight, run_inventory):
    loads = {j["id"] for j in state_jobs(insight) if j["executionMode"]["name"] == "LOAD" and j["status"] not in FINISHED}
    assert hosts_of(run_inventory(config(execution_mode=["load"])), "insight_jobs") == loads
    created = sorted(j["created"] for j in state_jobs(insight) if j["status"] not in FINISHED)
    middle = created[len(created) // 2]
    old = hosts_of(run_inventory(config(created_before=middle)), "insight_jobs")
    recent = hosts_of(run_inventory(config(created_after=middle)), "insight_jobs")
    assert old and recent and not old & recent
    on_the_moment = {j["id"] for j in state_jobs(insight) if j["created"] == middle}
    assert old | recent | on_the_moment == active_ids(insight)


def test_safe_hostnames_work_with_limit_and_host(insight, run_inventory):
    naming = {"hostnames": ["scenario.name ~ '-' ~ id[:8]", "id"]}
    high = {j["id"] for j in state_jobs(insight) if j["status"] not in FINISHED and j["name"] == "High demand"}
    assert high

    unsafe = run_inventory(config(**naming))
    spaced = sorted(h for h in hosts_of(unsafe, "insight_jobs") if h.startswith("High demand-"))
    assert len(spaced) == len(high)
    # The name with a space cannot be named by a host pattern: ansible-inventory finds no such host.
    proc = run_inventory(config(**naming), "--host", spaced[0], raw=True)
    assert proc.returncode != 0 and "could not match" in (proc.stdout + proc.stderr).lower(), proc

    listing = run_inventory(config(safe_hostnames=True, **naming))
    names = hosts_of(listing, "insight_jobs")
    assert all(" " not in name for name in names)
    expected = {"High_demand-" + job_id[:8] for job_id in high}
    assert expected <= names
    limited = run_inventory(config(safe_hostnames=True, **naming), "--list", "--limit", "High_demand-*")
    assert hosts_of(limited, "insight_jobs") == expected
    one = sorted(expected)[0]
    host_vars = run_inventory(config(safe_hostnames=True, **naming), "--host", one)
    assert host_vars["insight_id"].startswith(one.split("-", 1)[1]) if isinstance(host_vars["insight_id"], str) \
        else host_vars["insight_id"]["__ansible_unsafe"].startswith(one.split("-", 1)[1])


def test_every_job_field_is_a_host_variable_also_when_the_server_left_it_out(insight, run_inventory, tmp_path):
    fresh = hostvars(run_inventory(config()))
    assert fresh and all(set("insight_" + f for f in JOB_FIELDS) <= set(v) for v in fresh.values())
    queued = next(v for v in fresh.values() if v["insight_status"] == "QUEUED")
    assert queued["insight_duration"] is None and queued["insight_finished"] is None

    # A job list in which the server left out every field that does not apply yet (as Insight servers do).
    sparse = [{"id": "00000000-0000-4000-8000-000000000001", "status": "QUEUED", "objectType": "JOB_STATE",
               "created": "2026-11-20T10:00:00Z", "app": {"id": "a", "name": "Logistics"}}]
    cache_dir = tmp_path / "cache"
    options = config(cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(cache_dir),
                     cache_timeout=3600)
    run_inventory(options)  # makes the cache file, whose name we then reuse
    (cache_file,) = [p for p in cache_dir.iterdir() if p.is_file()]
    stored = json.loads(cache_file.read_text(encoding="utf-8"))
    # ansible-core 2.19 wraps the cached value in a payload envelope; older cores store it as it is.
    replaced = {"__payload__": json.dumps(sparse)} if isinstance(stored, dict) and "__payload__" in stored else sparse
    cache_file.write_text(json.dumps(replaced), encoding="utf-8")
    insight.reset_counters()
    cached = hostvars(run_inventory(options))
    assert insight.counters()["total"] == 0
    (host,) = cached.values()
    assert set("insight_" + f for f in JOB_FIELDS) <= set(host)
    assert host["insight_duration"] is None and host["insight_execution_mode"] is None


def busy_server(insight, others=10):
    portfolio = "/Portfolio/Models/Balanced"
    jobs = [{"id": "00000000-0000-4000-8000-%012d" % (100 + n), "scenario": portfolio, "owner": "alice",
             "status": "EXECUTING", "created": "-2h"} for n in range(others)]
    jobs += [{"id": "00000000-0000-4000-8000-%012d" % n, "scenario": "/Logistics/Reports/Base case", "owner": "alice",
              "status": "QUEUED", "created": "-10m"} for n in range(1, 6)]
    insight.reset({"jobs": jobs, "apps": [
        {"name": "Logistics", "folders": [{"name": "Reports", "scenarios": [{"name": "Base case"}]}]},
        {"name": "Portfolio", "folders": [{"name": "Models", "scenarios": [{"name": "Balanced"}]}]}]})
    insight.config(page_size_cap=5)
    return {"00000000-0000-4000-8000-%012d" % n for n in range(1, 6)}


def test_jobs_that_finish_mid_listing_do_not_hide_the_others(insight, run_inventory):
    queued = busy_server(insight)
    insight.faults({"route": LIST, "kind": "finish_jobs", "jobs": 10, "count": 1})
    listing = run_inventory(config())
    # Jobs read before they finished are listed as they were read; none of the others is hidden by the shift.
    assert queued <= hosts_of(listing, "insight_jobs")
    assert hosts_of(listing, "insight_status_queued") == queued


def test_a_list_that_never_settles_fails_the_source(insight, run_inventory):
    # A page's worth of jobs leaves after every read: re-reading the pages below can never catch up. (Pages read
    # one by one: read all at once, such a server would be emptied by the first pass.)
    busy_server(insight, others=400)
    insight.faults({"route": LIST, "kind": "remove_jobs", "jobs": 5})
    line = failure(run_inventory, config(parallel=1), lenient=False)
    assert line.startswith("GET /api/jobs: the job list kept changing while it was read"), line
