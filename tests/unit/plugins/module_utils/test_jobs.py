# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import datetime

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightConfigError
from ansible_collections.xpress.insight.plugins.module_utils._jobs import (
    STATUSES, JobFilter, count_by_status, normalize_job, parse_moment, parse_timestamp)

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
    with pytest.raises(InsightConfigError, match="^older_than: 'yesterday-ish'"):
        parse_moment("yesterday-ish", "older_than", NOW)


def test_parse_timestamp_handles_long_fractions():
    assert parse_timestamp("2026-11-23T05:00:00.123456789Z") == datetime.datetime(
        2026, 11, 23, 5, 0, 0, 123456, tzinfo=datetime.timezone.utc)


def test_filter_combines_every_criterion():
    selected = JobFilter.from_options({"status": ["queued"], "app": "Logistics", "owner": "u1", "execution_mode": "run",
                                       "older_than": "6h", "scenario_id": SCENARIO}, NOW)
    assert selected.matches(job())
    assert not selected.matches(job(status="EXECUTING"))
    assert not selected.matches(job(app="Other"))
    assert not selected.matches(job(owner="Bob") | {"owner": {"id": "u2", "name": "Bob"}})
    assert not selected.matches(job(mode="LOAD"))
    assert not selected.matches(job(created="2026-11-23T11:00:00Z"))
    assert not selected.matches(job(scenario="11111111-2222-3333-4444-555555555555"))
    assert selected.server_params() == {"scenarioId": SCENARIO}


def test_filter_rejects_unknown_status():
    with pytest.raises(InsightConfigError, match="^status: unknown job status BOGUS"):
        JobFilter(status=["QUEUED", "bogus"])


def test_empty_filter_selects_everything():
    assert JobFilter().matches(job(status="COMPLETED"))
