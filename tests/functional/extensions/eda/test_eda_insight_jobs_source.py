"""The event source xpress.insight.insight_jobs: main(queue, args) against the emulator."""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict

import pytest

from eda_helpers import polls, summary, wait_polls

IDS = {name: "0b6e4f1c-0000-4000-8000-%012d" % number for number, name in enumerate(
    ("Plan A", "Plan B", "Plan C", "Plan D", "Plan E", "Other"), start=1)}


def job(name: str, status: str, app: str = "Logistics", **extra: Any) -> Dict[str, Any]:
    return dict({"id": IDS[name], "scenario": "/%s/%s" % (app, name), "status": status, "created": "-5m"}, **extra)


def seed(*jobs: Dict[str, Any]) -> Dict[str, Any]:
    return {"apps": [{"name": "Logistics", "scenarios": [{"name": n} for n in IDS if n != "Other"]},
                     {"name": "Portfolio", "scenarios": [{"name": "Other"}]}],
            "jobs": list(jobs)}


def test_existing_jobs_are_remembered_then_changes_are_emitted_once(insight, start):
    insight.reset(seed(job("Plan A", "QUEUED", queue_seconds=60, run_seconds=300, outcome="FAILED"),
                       job("Plan B", "EXECUTING", run_seconds=100, outcome="COMPLETED"),
                       job("Plan C", "QUEUED", queue_seconds=5000)))
    source = start()
    wait_polls(insight, 2)
    assert source.pending() == [], "emit_existing is false: the jobs found at start make no event"

    insight.clock("step", seconds=150)
    events = source.events(2)
    assert summary(events) == [("finished", "Plan B", "COMPLETED", "EXECUTING"),
                               ("status_changed", "Plan A", "EXECUTING", "QUEUED")]
    finished = next(e["insight"] for e in events if e["insight"]["type"] == "finished")
    # The job as insight_job_info returns it: snake_case keys, the final state read from the server.
    assert finished["job"]["id"] == IDS["Plan B"]
    assert finished["job"]["model_status"] == "OK"
    assert finished["job"]["app"]["name"] == "Logistics"
    assert finished["detected_at"].endswith("+00:00")

    insight.clock("step", seconds=400)
    assert summary(source.events(1)) == [("finished", "Plan A", "FAILED", "EXECUTING")]
    wait_polls(insight, 5)
    assert source.pending() == [], "no event is repeated on later polls"
    # One read by id per job that left the list, and nothing else besides the listings and the token.
    by_route = insight.counters()["by_route"]
    assert by_route.get("GET /api/jobs/{id}") == 2
    assert set(by_route) <= {"GET /api/jobs", "GET /api/jobs/{id}", "POST /api/authentication/token"}


def test_new_jobs_and_a_token_renewal(insight, start):
    plan_a = job("Plan A", "QUEUED", queue_seconds=5000)
    insight.reset(seed(plan_a))
    source = start(events=["new"])
    wait_polls(insight, 2)
    # A reset invalidates every token: the source renews its own and goes on.
    insight.reset(seed(plan_a, job("Plan D", "EXECUTING", run_seconds=5000)))
    (event,) = source.events(1)
    assert event["insight"]["type"] == "new"
    assert event["insight"]["job"]["id"] == IDS["Plan D"]
    assert event["insight"]["previous_status"] is None
    insight.expire_tokens()
    wait_polls(insight, 3)
    assert source.pending() == []
    log = insight.log()
    assert any(entry["route"] == "POST /api/authentication/token" for entry in log), "the token was renewed"
    assert any(entry["status"] == 401 for entry in log), "the expired token was refused once"


def test_emit_existing_reports_every_unfinished_job(insight, start):
    source = start(emit_existing=True)
    unfinished = {j["id"] for j in insight.state()["jobs"] if j["status"] not in ("COMPLETED", "FAILED", "CANCELLED")}
    events = source.events(len(unfinished))
    assert {e["insight"]["job"]["id"] for e in events} == unfinished
    assert {e["insight"]["type"] for e in events} == {"new"}
    wait_polls(insight, 3)
    assert source.pending() == []


def test_filters_limit_the_jobs_and_the_statuses(insight, start):
    insight.reset(seed(job("Plan A", "EXECUTING", run_seconds=50, outcome="FAILED"),
                       job("Plan B", "EXECUTING", run_seconds=50, outcome="COMPLETED"),
                       job("Other", "EXECUTING", app="Portfolio", run_seconds=50, outcome="FAILED")))
    source = start(app="Logistics", status=["FAILED"], events="finished")
    wait_polls(insight, 2)
    insight.clock("step", seconds=100)
    assert summary(source.events(1)) == [("finished", "Plan A", "FAILED", "EXECUTING")]
    wait_polls(insight, 3)
    assert source.pending() == [], "the completed job and the other app's failed job make no event"


def test_every_job_filter_of_the_modules_reaches_the_source(insight, start, plugin):
    """The source takes the filters of the shared job filter spec, aliases included: here execution_mode and apps."""
    assert set(plugin["_jobs"].JOB_FILTER_OPTIONS) <= set(plugin["OWN_OPTIONS"])
    insight.reset(seed(job("Plan A", "EXECUTING", run_seconds=50, outcome="COMPLETED", execution_mode="RUN"),
                       job("Plan B", "EXECUTING", run_seconds=50, outcome="COMPLETED", execution_mode="LOAD"),
                       job("Other", "EXECUTING", app="Portfolio", run_seconds=50, outcome="COMPLETED", execution_mode="LOAD")))
    source = start(apps="Logistics", execution_mode="load", created_before="1m", events="finished")
    wait_polls(insight, 2)
    insight.clock("step", seconds=100)
    assert summary(source.events(1)) == [("finished", "Plan B", "COMPLETED", "EXECUTING")]
    wait_polls(insight, 3)
    assert source.pending() == [], "the RUN job and the other app's job make no event"


def test_queued_longer_than_fires_once_per_job(insight, start):
    insight.reset(seed(job("Plan A", "QUEUED", created="-2h", queue_seconds=99999),
                       job("Plan B", "QUEUED", created="-30m", queue_seconds=99999),
                       job("Plan C", "QUEUED", created="-3597s", queue_seconds=99999),
                       job("Plan D", "EXECUTING", created="-3h", run_seconds=99999)))
    source = start(events=["queued_longer_than"], queued_for="1h")
    # A job already queued too long when the source starts is reported at once, emit_existing or not.
    first = source.events(1)
    assert summary(first) == [("queued_longer_than", "Plan A", "QUEUED", None)]
    # Plan C crosses the hour a few seconds later (its age is measured on this host's clock).
    assert summary(source.events(1, timeout=20)) == [("queued_longer_than", "Plan C", "QUEUED", None)]
    wait_polls(insight, 5)
    assert source.pending() == [], "each job is reported once; Plan B is young and Plan D is not queued"


def test_a_job_the_server_forgot_is_gone_not_guessed(insight, start):
    insight.reset(seed(job("Plan A", "EXECUTING", run_seconds=50, outcome="COMPLETED"),
                       job("Plan B", "EXECUTING", run_seconds=80, outcome="FAILED")))
    insight.config(job_history_limit=1)
    source = start(events=["finished", "gone"], status="COMPLETED")
    wait_polls(insight, 2)
    insight.clock("step", seconds=100)
    events = source.events(1)
    # Plan A finished first and dropped out of the one-job history: its GET answers 404, so its final status is
    # unknown; the status filter cannot rule a gone job out. Plan B failed, which the filter leaves out.
    assert summary(events) == [("gone", "Plan A", "GONE", "EXECUTING")]
    assert events[0]["insight"]["job"]["id"] == IDS["Plan A"]
    wait_polls(insight, 3)
    assert source.pending() == []


def test_survives_a_fault_window_with_one_warning(insight, start, caplog):
    caplog.set_level(logging.DEBUG, logger="xpress.insight.insight_jobs")
    insight.reset(seed(job("Plan A", "QUEUED", queue_seconds=60, run_seconds=5000)))
    source = start(retries=0)
    wait_polls(insight, 2)
    insight.faults({"route": "GET /api/jobs", "kind": "status", "status": 503, "retry_after": None, "count": 2},
                   {"route": "GET /api/jobs", "kind": "status", "status": 502, "count": 1},
                   {"route": "GET /api/jobs", "kind": "drop", "count": 1},
                   {"route": "GET /api/jobs", "kind": "status", "status": 500, "count": 1})
    insight.clock("step", seconds=100)
    assert summary(source.events(1, timeout=30)) == [("status_changed", "Plan A", "EXECUTING", "QUEUED")]
    fired = sum(rule["fired"] for rule in insight._call("GET", "/_emulator/faults")["rules"])  # pylint: disable=protected-access
    assert fired == 5
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len([w for w in warnings if "polling failed" in w]) == 1, warnings
    assert len([w for w in warnings if "works again after 5 failed" in w]) == 1, warnings
    secret = insight.users["alice"]["secret"]
    assert secret not in caplog.text
    wait_polls(insight, 2)
    assert source.pending() == []


def test_survives_broken_answers(insight, start, caplog):
    """Half an answer and then a closed connection, twice: one warning, and the change still arrives."""
    caplog.set_level(logging.WARNING, logger="xpress.insight.insight_jobs")
    insight.reset(seed(job("Plan A", "QUEUED", queue_seconds=60, run_seconds=5000)))
    source = start(retries=0)
    wait_polls(insight, 2)
    insight.faults({"route": "GET /api/jobs", "kind": "drop", "partial": True, "count": 2})
    insight.clock("step", seconds=100)
    assert summary(source.events(1, timeout=30)) == [("status_changed", "Plan A", "EXECUTING", "QUEUED")]
    assert len([r for r in caplog.records if "polling failed" in r.getMessage()]) == 1


@pytest.mark.parametrize("args, message", [
    ({"intervall": 5}, "intervall: unknown argument"),
    ({"status": ["QUEUED", "WAITING"]}, "status: unknown job status WAITING"),
    ({"events": ["new", "failed"]}, "events: unknown event type failed"),
    ({"events": ["queued_longer_than"]}, "queued_for: missing"),
    ({"queued_for": "soon"}, "queued_for: 'soon' is neither"),
    ({"interval": 0}, "interval: must be more than 0"),
    ({"scenario_id": "nope"}, "scenario_id: 'nope' is not a UUID"),
    ({"emit_existing": "maybe"}, "emit_existing: 'maybe' is not a boolean"),
    ({"url": "ftp://x"}, "url: 'ftp://x' must start with http:// or https://"),
    # Blank filters (an unset variable) never widen the watch to every job.
    ({"app": ""}, "app: is empty; leave the option out to not filter by app"),
    ({"app": []}, "app: is an empty list"),
    ({"app": ","}, "app: is an empty list"),
    ({"status": []}, "status: is an empty list"),
    ({"owner": " "}, "owner: is empty"),
    ({"scenario_id": ""}, "scenario_id: is empty; leave the option out to not filter by scenario"),
    ({"app": ["Logistics", ""]}, "app: holds an empty value"),
    ({"execution_mode": ""}, "execution_mode: is empty"),
    ({"created_after": "yesterday-ish"}, "created_after:"),
    ({"app": "Logistics", "apps": "Portfolio"}, "app: given twice (as app and apps); give one"),
])
def test_bad_arguments_fail_with_one_line(plugin, start, args, message):
    del start  # only for its INSIGHT_* variables
    with pytest.raises(plugin["SourceConfigError"]) as raised:
        plugin["make_source"](args)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_an_app_the_server_does_not_have_stops_the_source(plugin, insight, start):
    del start
    queue: "asyncio.Queue[Dict[str, Any]]" = asyncio.Queue()
    with pytest.raises(plugin["SourceConfigError"], match="app: there is no app named 'Nope' on the server"):
        asyncio.run(asyncio.wait_for(plugin["main"](queue, {"app": "Nope", "interval": 0.1}), timeout=30))
    assert polls(insight) == 0


def test_an_app_name_two_apps_share_stops_the_source_naming_their_ids(plugin, insight, start):
    del start
    twin = "0b6e4f1c-0000-4000-8000-0000000000aa"
    insight.reset({"apps": [{"name": "Logistics", "scenarios": [{"name": "Plan A"}]},
                            {"name": "Logistics", "id": twin, "scenarios": [{"name": "Plan B", "id": IDS["Plan B"]}]}],
                   "jobs": [job("Plan A", "QUEUED"), {"id": IDS["Other"], "scenario_id": IDS["Plan B"], "status": "QUEUED"}]})
    queue: "asyncio.Queue[Dict[str, Any]]" = asyncio.Queue()
    with pytest.raises(plugin["SourceConfigError"], match="app: 'Logistics' matches 2 apps: .*%s" % twin):
        asyncio.run(asyncio.wait_for(plugin["main"](queue, {"app": "Logistics", "interval": 0.1}), timeout=30))
    assert polls(insight) == 0


def test_connection_arguments_override_the_environment(plugin, insight, start, monkeypatch):
    del start
    monkeypatch.setenv("INSIGHT_URL", "http://127.0.0.1:9")
    watcher, options = plugin["make_source"]({"url": insight.url, "events": ["new"]})
    assert options.connection["url"] == insight.url
    before = polls(insight)
    assert watcher.poll() == []
    assert polls(insight) == before + 1
