# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime
from typing import List

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightConfigError, InsightTransportError, ListingUnsettled
from ansible_collections.xpress.insight.plugins.module_utils._jobs import (
    JOB_FIELDS, JOB_FILTER_OPTIONS, LISTING_PASSES, STATUSES, JobFilter, count_by_status, job_filter_argument_spec,
    list_jobs, normalize_job, parse_moment, parse_timestamp)

from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.fake_jobs import FakeJobs

NOW = datetime.datetime(2026, 11, 23, 12, 0, 0, tzinfo=datetime.timezone.utc)
SCENARIO = "003584bb-9e7b-eb70-ffca-7b446118b100"


def job(status="QUEUED", created="2026-11-23T05:00:00Z", app="Logistics", owner="Alice", mode="RUN", scenario=SCENARIO):
    return normalize_job({
        "id": "0f7acba9-713d-2c50-f085-34565a4d6e61", "status": status, "created": created,
        "app": {"id": "a1", "name": app, "objectType": "APP"},
        "owner": {"id": "u1", "name": owner, "objectType": "USER"},
        "executionMode": {"name": mode, "clearsInputData": False},
        "scenario": {"id": scenario, "objectType": "SCENARIO"},
    })


def test_normalize_job_is_deep_snake_case():
    normalized = job()
    assert normalized["execution_mode"] == {"name": "RUN", "clears_input_data": False}
    assert normalized["app"]["object_type"] == "APP"


def test_count_by_status_has_every_status():
    counts = count_by_status([job("QUEUED"), job("QUEUED"), job("FAILED")])
    assert set(counts) == set(STATUSES)
    assert counts["QUEUED"] == 2 and counts["FAILED"] == 1 and counts["EXECUTING"] == 0


@pytest.mark.parametrize("value, expected", [
    ("6h", NOW - datetime.timedelta(hours=6)),
    ("30m", NOW - datetime.timedelta(minutes=30)),
    ("1d12h", NOW - datetime.timedelta(days=1, hours=12)),
    ("2w", NOW - datetime.timedelta(weeks=2)),
    ("2026-11-23T06:00:00Z", datetime.datetime(2026, 11, 23, 6, tzinfo=datetime.timezone.utc)),
    ("2026-11-23T07:00:00+01:00", datetime.datetime(2026, 11, 23, 6, tzinfo=datetime.timezone.utc)),
    (None, None),
])
def test_parse_moment(value, expected):
    assert parse_moment(value, "older_than", NOW) == expected


def test_parse_moment_rejects_garbage_naming_the_option():
    with pytest.raises(InsightConfigError, match=r"^older_than: 'yesterday-ish'"):
        parse_moment("yesterday-ish", "older_than", NOW)


def test_parse_timestamp_handles_long_fractions():
    assert parse_timestamp("2026-11-23T05:00:00.123456789Z") == datetime.datetime(
        2026, 11, 23, 5, 0, 0, 123456, tzinfo=datetime.timezone.utc)


def test_filter_combines_every_criterion():
    selected = JobFilter.from_options({"status": ["queued"], "app": "Logistics", "owner": "u1", "execution_mode": "run",
                                       "created_before": "6h", "scenario_id": SCENARIO}, NOW)
    assert selected.matches(job())
    assert not selected.matches(job(status="EXECUTING"))
    assert not selected.matches(job(app="Other"))
    assert not selected.matches(job(owner="Bob") | {"owner": {"id": "u2", "name": "Bob"}})
    assert not selected.matches(job(mode="LOAD"))
    assert not selected.matches(job(created="2026-11-23T11:00:00Z"))
    assert not selected.matches(job(scenario="11111111-2222-3333-4444-555555555555"))
    assert selected.server_params() == {"scenarioId": SCENARIO}


def test_filter_rejects_unknown_status():
    with pytest.raises(InsightConfigError, match=r"^status: unknown job status BOGUS"):
        JobFilter(status=["QUEUED", "bogus"])


def test_empty_filter_selects_everything():
    assert JobFilter().matches(job(status="COMPLETED"))


def test_normalize_job_fills_every_field_the_server_left_out():
    sparse = normalize_job({"id": "x", "status": "QUEUED", "extraField": 1})
    assert set(JOB_FIELDS) <= set(sparse)
    assert sparse["duration"] is None and sparse["finished"] is None and sparse["extra_field"] == 1


def test_filter_argument_spec_names_and_aliases():
    spec = job_filter_argument_spec()
    assert JOB_FILTER_OPTIONS == ("status", "app", "owner", "scenario_id", "execution_mode", "created_before",
                                  "created_after")
    assert spec["created_before"]["aliases"] == ["older_than"]
    assert spec["status"]["aliases"] == ["statuses"] and spec["app"]["aliases"] == ["apps"]


class Apps:
    def paged(self, template, **_kw):
        assert template == "/api/apps"
        return iter([{"id": "a1", "name": "Logistics"}, {"id": "a2", "name": "Portfolio"}])


def test_filter_resolves_app_names_to_ids_once():
    selected = JobFilter(app=["Logistics", "a2"]).resolve(Apps())
    assert selected.app == ["a1", "a2"]
    with pytest.raises(InsightConfigError, match=r"^app: there is no app named 'Nope'"):
        JobFilter(app=["Nope"]).resolve(Apps())


class TwinApps:
    def paged(self, template, **_kw):
        assert template == "/api/apps"
        return iter([{"id": "a1", "name": "Logistics"}, {"id": "a9", "name": "Logistics"}, {"id": "a2", "name": "Portfolio"}])


def test_an_app_name_two_apps_share_fails_naming_both_and_an_id_picks_one():
    with pytest.raises(InsightConfigError, match=r"^app: 'Logistics' matches 2 apps: a1 \('Logistics'\), a9 \('Logistics'\); "
                       r"name the one meant by its id\. Nothing was read or changed$"):
        JobFilter(app=["Logistics"]).resolve(TwinApps())
    assert JobFilter(app=["A9"]).resolve(TwinApps()).app == ["a9"]
    cached = [{"app": {"id": "a1", "name": "Logistics"}}, {"app": {"id": "a9", "name": "Logistics"}}]
    with pytest.raises(InsightConfigError, match=r"^app: 'Logistics' matches 2 apps: a1 \('Logistics'\), a9"):
        JobFilter(app=["Logistics"]).resolve_from_jobs(cached)
    JobFilter(app=["a9"]).resolve_from_jobs(cached)


@pytest.mark.parametrize("params, message", [
    ({"created_before": ""}, "created_before: is empty; leave the option out to not filter by creation time"),
    ({"created_after": "  "}, "created_after: is empty"),
    ({"status": []}, "status: is an empty list; leave the option out to select by the default statuses"),
    ({"app": [""]}, "app: holds an empty value; leave the option out to not filter by app"),
    ({"owner": ["bob", None]}, "owner: holds an empty value"),
    ({"scenario_id": ""}, "scenario_id: is empty"),
    ({"execution_mode": ()}, "execution_mode: is an empty list"),
])
def test_a_blank_filter_option_fails_naming_it(params, message):
    with pytest.raises(InsightConfigError) as raised:
        JobFilter.from_options(params)
    assert str(raised.value) == message or str(raised.value).startswith(message)


def test_options_left_out_are_no_filter():
    assert JobFilter.from_options({"app": None, "status": None, "created_before": None}).matches({"status": "QUEUED"})


class ShiftingPages:
    """A job listing that changes faster than re-reading can follow for the first `unsettled` passes."""

    def __init__(self, unsettled):
        self.unsettled = unsettled
        self.passes = 0

    def paged(self, template, params=None, concurrent=0, follow_shifts=False):
        assert follow_shifts, "the job listing must follow shifts"
        self.passes += 1
        jobs = [{"id": str(n), "status": "QUEUED"} for n in range(4)]
        yield jobs[0]
        if self.passes <= self.unsettled:
            raise ListingUnsettled("the listing kept changing while it was read", "GET", template)
        yield from jobs[1:]


def test_list_jobs_reads_again_until_a_pass_is_consistent():
    client = ShiftingPages(unsettled=2)
    assert len(list_jobs(client, JobFilter())) == 4
    assert client.passes == 3


def test_list_jobs_fails_rather_than_return_a_partial_list():
    client = ShiftingPages(unsettled=LISTING_PASSES)
    with pytest.raises(InsightTransportError, match="the job list kept changing while it was read"):
        list_jobs(client, JobFilter())


def test_pages_read_at_once_that_disagree_are_checked_by_a_pass_that_follows_the_shifts():
    # Read in parallel, the later pages saw a job finish that the first page still counted: a serial pass re-reads
    # the pages, whose items were mostly read already (that is expected there, not a server repeating itself).
    fake = FakeJobs(page_size=2)
    ids = [fake.add_job("job-%d" % n) for n in range(7)]
    finished: List[str] = []

    def first_job_finishes(_page: int) -> None:
        if not finished:
            finished.append(ids[0])
            fake.jobs[ids[0]]["status"] = "COMPLETED"

    fake.between_pages = first_job_finishes
    listed = {job["id"] for job in list_jobs(fake, JobFilter(), concurrent=3)}
    assert set(ids[1:]) <= listed
