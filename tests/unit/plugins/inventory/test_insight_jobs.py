# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The insight_jobs inventory plugin's parse(), loaded by Ansible's plugin loader, filling a real InventoryData from
a configuration file read by a real DataLoader; only the client is a fake (FakeJobs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.xpress.insight.plugins.inventory import insight_jobs
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightHTTPError
from ansible_collections.xpress.insight.plugins.module_utils._jobs import JOB_FIELDS, STATUSES
from ansible_collections.xpress.insight.plugins.module_utils._pool import DEFAULT_PARALLEL
from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.fake_jobs import FakeJobs, ident

CONNECTION = {"url": "https://insight.test", "client_id": "alice-id", "secret": "alice-secret"}
STATUS_GROUPS = ["insight_status_" + status.lower() for status in STATUSES]


class Source:
    """One inventory source file and the fake server behind it; `parse` runs the plugin as ansible-inventory does."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake: FakeJobs) -> None:
        self.fake = fake
        self.path = tmp_path / "test.insight_jobs.yml"
        self.clients_built = 0
        for name in ("INSIGHT_URL", "INSIGHT_CLIENT_ID", "INSIGHT_SECRET", "INSIGHT_TOKEN", "INSIGHT_AUTH_URL"):
            monkeypatch.delenv(name, raising=False)

        def plugin_client(*_args: Any, **_kwargs: Any) -> FakeJobs:
            self.clients_built += 1
            return self.fake

        monkeypatch.setattr(insight_jobs, "plugin_client", plugin_client)

    def parse(self, config: Dict[str, Any], cache: bool = True, inventory: Optional[InventoryData] = None) -> InventoryData:
        # JSON is YAML: the file is read by the DataLoader like any inventory source.
        self.path.write_text(json.dumps(dict(CONNECTION, plugin="xpress.insight.insight_jobs", **config)))
        plugin = inventory_loader.get("xpress.insight.insight_jobs")
        assert plugin is not None and plugin.verify_file(str(self.path))
        inventory = inventory if inventory is not None else InventoryData()
        plugin.parse(inventory, DataLoader(), str(self.path), cache=cache)
        # What InventoryManager does after a source parsed: a plugin with a cache writes it back.
        if plugin.get_option("cache"):
            plugin.update_cache_if_changed()
        return inventory


def seeded(page_size: int = 2) -> FakeJobs:
    fake = FakeJobs(page_size=page_size)
    fake.add_job("queued", scenario="High demand", created="2026-11-20T08:00:00Z")
    fake.add_job("running", status="EXECUTING", owner="bob", created="2026-11-21T08:00:00Z")
    fake.add_job("portfolio", app="Portfolio", scenario="Stress test", created="2026-11-22T08:00:00Z")
    fake.add_job("hidden", owner="bob", created="2026-11-23T08:00:00Z", visible=False)
    fake.add_job("done", status="COMPLETED", app="Portfolio", created="2026-11-19T08:00:00Z")
    return fake


def job(seed: str) -> str:
    return ident("job-" + seed)


def hosts(inventory: InventoryData, group: str = "insight_jobs") -> List[str]:
    return sorted(host.name for host in inventory.groups[group].get_hosts())


@pytest.fixture
def source(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Source:
    return Source(monkeypatch, tmp_path, seeded())


# -- groups and host variables ------------------------------------------------------------------------------------

def test_every_status_group_exists_even_when_empty(source: Source) -> None:
    inventory = source.parse({})
    assert set(STATUS_GROUPS) <= set(inventory.groups)
    assert hosts(inventory) == sorted([job("queued"), job("running"), job("portfolio"), job("hidden")])
    assert hosts(inventory, "insight_status_queued") == sorted([job("queued"), job("portfolio"), job("hidden")])
    assert hosts(inventory, "insight_status_executing") == [job("running")]
    assert hosts(inventory, "insight_status_failed") == []
    # Without include_finished the listing asks the server for unfinished jobs only.
    assert job("done") not in inventory.hosts


def test_host_vars_are_prefixed_and_every_job_field_is_present(source: Source) -> None:
    inventory = source.parse({})
    host_vars = inventory.get_host(job("hidden")).vars
    for field in JOB_FIELDS:
        assert "insight_" + field in host_vars, field
    # Fields the server left out are null, not missing.
    assert host_vars["insight_finished"] is None
    assert host_vars["insight_scenario"] is None and host_vars["insight_name"] is None
    assert host_vars["insight_execution_mode"] == {"name": "RUN", "description": "Run", "clears_input_data": False}
    assert host_vars["insight_app"]["object_type"] == "APP"
    assert host_vars["ansible_connection"] == "local"


def test_include_finished_adds_the_history(source: Source) -> None:
    inventory = source.parse({"include_finished": True})
    assert hosts(inventory, "insight_status_completed") == [job("done")]
    done = inventory.get_host(job("done")).vars
    assert done["insight_duration"] == 120000 and done["insight_solver_status"] == "OPTIMAL"


def test_another_prefix(source: Source) -> None:
    host_vars = source.parse({"prefix": "job_"}).get_host(job("queued")).vars
    assert host_vars["job_status"] == "QUEUED"
    assert not any(name.startswith("insight_") for name in host_vars)


def test_a_prefix_that_makes_bad_names_fails_before_any_call(source: Source) -> None:
    with pytest.raises(AnsibleParserError, match=r"^prefix: '1x' would make invalid variable names"):
        source.parse({"prefix": "1x"})
    assert source.fake.calls == []


# -- host names ---------------------------------------------------------------------------------------------------

def test_hostnames_take_the_first_entry_that_gives_a_name(source: Source) -> None:
    inventory = source.parse({"hostnames": ["scenario.name ~ '-' ~ id[:8]", "id"]})
    assert "High demand-" + job("queued")[:8] in inventory.hosts
    # The job whose scenario is hidden has no scenario name: the next entry names it.
    assert job("hidden") in inventory.hosts


def test_hostnames_template(source: Source) -> None:
    inventory = source.parse({"hostnames": ["{{ owner.name }}/{{ app.name }}/{{ id[:4] }}"]})
    assert "Bob/Logistics/" + job("running")[:4] in inventory.hosts


def test_safe_hostnames_make_names_patterns_accept(source: Source) -> None:
    inventory = source.parse({"hostnames": ["scenario.name ~ '-' ~ id[:8]", "id"], "safe_hostnames": True})
    assert "High_demand-" + job("queued")[:8] in inventory.hosts
    assert "Stress_test-" + job("portfolio")[:8] in inventory.hosts


def test_jobs_with_one_name_each_get_their_id_appended_unless_strict(source: Source) -> None:
    inventory = source.parse({"hostnames": ["app.name"]})
    logistics = [job("queued"), job("running"), job("hidden")]
    # None of them keeps the bare name, and each host holds one job's variables and its status group.
    assert sorted(inventory.hosts) == sorted(["Logistics_" + i for i in logistics] + ["Portfolio"])
    for job_id in logistics:
        host = inventory.get_host("Logistics_" + job_id)
        assert host.vars["insight_id"] == job_id
        status_group = "insight_status_" + str(host.vars["insight_status"]).lower()
        assert [g.name for g in host.get_groups() if g.name.startswith("insight_status_")] == [status_group]
    assert inventory.get_host("Portfolio").vars["insight_id"] == job("portfolio")
    with pytest.raises(AnsibleParserError, match=r"hostnames: 3 jobs share a host name with another job \(for example 'Logistics'\)"):
        source.parse({"hostnames": ["app.name"], "strict": True})


def test_a_hostnames_entry_that_fails_is_skipped_unless_strict(source: Source) -> None:
    inventory = source.parse({"hostnames": ["no_such_field.name | upper", "id"]})
    assert job("queued") in inventory.hosts
    with pytest.raises(AnsibleParserError, match=r"^hostnames: 'no_such_field.name \| upper' failed for job"):
        source.parse({"hostnames": ["no_such_field.name | upper", "id"], "strict": True})


# -- the job filter -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("config, expected", [
    ({"status": ["EXECUTING"]}, ["running"]),
    ({"statuses": ["EXECUTING"]}, ["running"]),
    ({"app": ["Portfolio"]}, ["portfolio"]),
    ({"apps": [ident("app-Portfolio")]}, ["portfolio"]),
    ({"owner": ["Bob"]}, ["hidden", "running"]),
    ({"owners": [ident("user-bob")]}, ["hidden", "running"]),
    ({"scenario_id": [ident("scenario-High demand")]}, ["queued"]),
    ({"scenario_ids": [ident("scenario-High demand"), ident("scenario-Stress test")]}, ["portfolio", "queued"]),
    ({"created_before": "2026-11-21T12:00:00Z"}, ["queued", "running"]),
    ({"older_than": "2026-11-21T12:00:00Z"}, ["queued", "running"]),
    ({"created_after": "2026-11-21T12:00:00Z"}, ["hidden", "portfolio"]),
    ({"execution_mode": ["LOAD"]}, []),
    ({"filters": ["insight_owner.name == 'Alice'", "insight_app.name != 'Portfolio'"]}, ["queued"]),
    ({"include_finished": True, "status": ["COMPLETED"]}, ["done"]),
])
def test_filters(source: Source, config: Dict[str, Any], expected: List[str]) -> None:
    inventory = source.parse(config)
    assert hosts(inventory) == sorted(job(seed) for seed in expected)


def test_one_scenario_is_filtered_by_the_server(source: Source) -> None:
    source.parse({"scenario_id": [ident("scenario-High demand")]})
    # Only the matching job came over the wire: one page.
    assert source.fake.count("GET /api/jobs") == 1


def test_an_unknown_app_fails_naming_it(source: Source) -> None:
    with pytest.raises(AnsibleParserError, match=r"^app: there is no app named 'Nowhere' on the server \(or it is not visible to this user\)$"):
        source.parse({"app": ["Nowhere"]})


@pytest.mark.parametrize("config, message", [
    ({"status": ["COMPLETED"]}, r"^status: COMPLETED only appear with include_finished: true$"),
    ({"created_before": "last tuesday"}, r"^created_before: 'last tuesday' is neither an age"),
    ({"scenario_id": ["nope"]}, r"^scenario_id: 'nope' is not a UUID"),
])
def test_bad_filter_options_fail_in_one_line_before_any_call(source: Source, config: Dict[str, Any], message: str) -> None:
    with pytest.raises(AnsibleParserError, match=message) as caught:
        source.parse(config)
    assert "\n" not in str(caught.value)
    assert source.fake.calls == [] and source.clients_built == 0


def test_a_failing_filter_drops_the_job_unless_strict(source: Source) -> None:
    assert hosts(source.parse({"filters": ["insight_nothing.deeper == 1"]})) == []
    with pytest.raises(AnsibleParserError, match=r"^filters: 'insight_nothing.deeper == 1' failed for job"):
        source.parse({"filters": ["insight_nothing.deeper == 1"], "strict": True})


# -- constructed --------------------------------------------------------------------------------------------------

def test_compose_groups_and_keyed_groups(source: Source) -> None:
    inventory = source.parse({
        "compose": {"job_app": "insight_app.name", "ansible_connection": "'ssh'"},
        "groups": {"bobs": "insight_owner.name == 'Bob'", "app_known": "job_app is defined"},
        "keyed_groups": [{"key": "insight_app.name", "prefix": "app"}],
    })
    running = inventory.get_host(job("running")).vars
    assert running["job_app"] == "Logistics"
    assert running["ansible_connection"] == "ssh"
    assert hosts(inventory, "bobs") == sorted([job("running"), job("hidden")])
    assert len(hosts(inventory, "app_known")) == 4
    assert hosts(inventory, "app_Portfolio") == [job("portfolio")]
    assert len(hosts(inventory, "app_Logistics")) == 3


def test_compose_errors_are_ignored_unless_strict(source: Source) -> None:
    inventory = source.parse({"compose": {"deep": "insight_nothing.deeper"}})
    assert "deep" not in inventory.get_host(job("queued")).vars
    # Ansible's Constructable raises this one itself, as one line naming the variable and the host (ansible-core 2.16
    # repeats the undefined-variable text after it).
    with pytest.raises(AnsibleError, match=r"^Could not set deep for host %s: 'insight_nothing' is undefined[^\n]*$" % job("queued")):
        source.parse({"compose": {"deep": "insight_nothing.deeper"}, "strict": True})


# -- caching ------------------------------------------------------------------------------------------------------

def cache_options(tmp_path: Path) -> Dict[str, Any]:
    return {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(tmp_path / "cache")}


def test_a_cache_hit_makes_no_call(source: Source, tmp_path: Path) -> None:
    first = source.parse(cache_options(tmp_path))
    assert source.fake.calls and source.clients_built == 1
    source.fake.calls.clear()
    # A new job on the server is not seen while the cache is used.
    source.fake.add_job("late")
    second = source.parse(cache_options(tmp_path))
    assert source.fake.calls == [] and source.clients_built == 1
    assert hosts(second) == hosts(first)
    assert second.get_host(job("queued")).vars["insight_scenario"]["name"] == "High demand"


def test_filters_apply_again_to_a_cached_list(source: Source, tmp_path: Path) -> None:
    source.parse(cache_options(tmp_path))
    source.fake.calls.clear()
    inventory = source.parse(dict(cache_options(tmp_path), status=["EXECUTING"]))
    assert hosts(inventory) == [job("running")]
    assert source.fake.calls == []


def test_refreshing_the_cache_reads_the_server(source: Source, tmp_path: Path) -> None:
    source.parse(cache_options(tmp_path))
    source.fake.add_job("late")
    inventory = source.parse(cache_options(tmp_path), cache=False)
    assert job("late") in inventory.hosts
    assert job("late") in source.parse(cache_options(tmp_path)).hosts


def test_a_failed_page_fails_the_source_in_one_line_and_adds_no_host(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = seeded()

    def second_page_fails(_page: int) -> None:
        raise InsightHTTPError("GET", "/api/jobs", 503, "Service Unavailable")

    fake.between_pages = second_page_fails
    inventory = InventoryData()
    with pytest.raises(AnsibleParserError) as caught:
        Source(monkeypatch, tmp_path, fake).parse({"parallel": 1}, inventory=inventory)
    line = str(caught.value)
    assert "503" in line and "/api/jobs" in line and "\n" not in line
    assert CONNECTION["secret"] not in line
    # Never a partial job list: the first page's jobs are not in the inventory either.
    assert not inventory.hosts


# -- listings that change while they are read ---------------------------------------------------------------------

def test_a_job_that_moves_onto_a_page_already_read_is_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeJobs(page_size=2)
    ids = [fake.add_job("job-%d" % n) for n in range(5)]
    finished = []

    def first_job_finishes(_page: int) -> None:
        # Once, while the first pass reads page 1: job 0 finishes, so job 2 moves onto page 0, already read.
        if not finished:
            finished.append(ids[0])
            fake.jobs[ids[0]]["status"] = "COMPLETED"

    fake.between_pages = first_job_finishes
    inventory = Source(monkeypatch, tmp_path, fake).parse({"parallel": 1})
    # Job 2 is found although it moved onto page 0 after that page was read; job 0 is listed as it was when read.
    assert hosts(inventory) == sorted(ids)
    # The second page said 4 jobs where the first said 5: page 0 was read again, once.
    assert fake.count("GET /api/jobs") == 2 + 1


def test_a_listing_that_never_settles_fails_in_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A page's worth of jobs finishes before every page read: re-reading the pages below can never catch up.
    fake = FakeJobs(page_size=2)
    for n in range(60):
        fake.add_job("job-%d" % n)

    def two_more_finish(_page: int) -> None:
        unfinished = [job_id for job_id, job in fake.jobs.items() if job["status"] == "QUEUED"]
        for job_id in unfinished[:2]:
            fake.jobs[job_id]["status"] = "COMPLETED"

    fake.between_pages = two_more_finish
    with pytest.raises(AnsibleParserError, match=r"^GET /api/jobs: the job list kept changing while it was read") as caught:
        Source(monkeypatch, tmp_path, fake).parse({"parallel": 1})
    assert "\n" not in str(caught.value)


def test_parallel_has_the_modules_default() -> None:
    # One default for every `parallel` (issue 26): the plugin documents the one _pool holds.
    assert yaml.safe_load(insight_jobs.DOCUMENTATION)["options"]["parallel"]["default"] == DEFAULT_PARALLEL
