"""insight_job_cancel and insight_job_info under every server variant that changes how jobs behave."""
from __future__ import annotations

import threading
import time

import pytest

from variant_fixtures import CANCEL_VARIANTS

CANCEL = "xpress.insight.insight_job_cancel"
INFO = "xpress.insight.insight_job_info"
DELETE = "DELETE /api/jobs/{id}"
USERS = [{"username": "alice", "name": "Alice Able", "role": "full", "client_id": "alice-id", "secret": "alice-secret"}]
APPS = [{"name": "Logistics", "scenarios": [{"name": "Base case"}, {"name": "Other"}]}]
BASE = "/Logistics/Base case"


def jid(number):
    return "00000000-0000-4000-8000-%012d" % number


def job(number, status="QUEUED", scenario=BASE, created=None, **extra):
    # Creation times run against the ids, so ordering by id and by creation time differ.
    entry = {"id": jid(number), "scenario": scenario, "owner": "alice", "status": status,
             "created": created or "-%dm" % (100 - number)}
    entry.update(extra)
    return entry


def play(*tasks):
    return {"name": "jobs", "hosts": "localhost", "gather_facts": False, "tasks": list(tasks)}


def task(name, module=CANCEL, ignore=False, **args):
    out = {"name": name, module: args}
    if ignore:
        out["ignore_errors"] = True
    return out


def statuses(insight):
    return {j["id"]: j["status"] for j in insight.state()["jobs"]}


@pytest.mark.parametrize("variant", CANCEL_VARIANTS, indirect=True)
def test_cancel_by_id_and_by_filter_then_rerun_is_unchanged(variant, insight, run_playbook):
    seeded = [job(1), job(2, "EXECUTING"), job(3, "COMPLETED"), job(4, "CANCELLING"), job(5, "FAILED")]
    seeded += [job(n, "QUEUED", scenario="/Logistics/Other") for n in range(10, 20)]
    variant.reset({"users": USERS, "apps": APPS, "jobs": seeded})
    other = next(s["id"] for s in insight.state()["scenarios"] if s["name"] == "Other")
    book = play(task("by id", id=[jid(n) for n in range(1, 6)]),
                task("by filter", scenario_id=other),
                task("listed", module=INFO, include_finished=True))
    result = run_playbook(book)
    assert result.rc == 0, result
    by_id = result.task("by id")
    assert by_id["cancelled"] == [jid(1), jid(2)]
    assert by_id["skipped_jobs"] == {jid(3): "COMPLETED", jid(4): "CANCELLING", jid(5): "FAILED"}
    assert by_id["failed_jobs"] == {} and by_id["missing"] == []
    assert sorted(result.task("by filter")["cancelled"]) == [jid(n) for n in range(10, 20)]
    after = statuses(insight)
    assert all(after[jid(n)] == "CANCELLED" for n in [1, 2] + list(range(10, 20)))
    listed = [j["id"] for j in result.task("listed")["jobs"]]
    if variant["list_finished"]:
        assert sorted(listed) == sorted(after)
    else:
        # This server lists no job history; the jobs still cancelling are all that is left.
        assert listed == [jid(4)]

    insight.reset_counters()
    again = run_playbook(book)
    assert again.rc == 0, again
    assert again.task("by id")["changed"] is False and again.task("by filter")["changed"] is False
    assert insight.counters()["writes"] == 0


@pytest.mark.parametrize("variant", ["default", "cancel-ended-404", "cancel-ended-409"], indirect=True)
def test_a_job_that_ends_between_the_read_and_the_cancel(variant, insight, run_playbook):
    """The module reads the job (QUEUED), then the job finishes before the DELETE arrives."""
    variant.reset({"users": USERS, "apps": APPS,
                   "jobs": [job(1, queue_seconds=1, run_seconds=1, outcome="COMPLETED")]})
    insight.faults({"route": DELETE, "kind": "latency", "delay": 3.0})
    outcome = {}
    runner = threading.Thread(target=lambda: outcome.update(result=run_playbook(play(task("cancel", id=jid(1))))))
    runner.start()
    deadline = time.monotonic() + 60
    while insight.counters()["by_route"].get(DELETE, 0) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    insight.clock("step", seconds=30)  # the DELETE is held by the latency rule: the job completes meanwhile
    runner.join(120)
    result = outcome["result"]
    assert result.rc == 0, result
    out = result.task("cancel")
    assert out["cancelled"] == [] and out["failed_jobs"] == {}, out
    if variant["cancel_finished"] == "not_found":
        assert out["missing"] == [jid(1)]
    else:
        assert out["skipped_jobs"] == {jid(1): "COMPLETED"}
    assert statuses(insight)[jid(1)] == "COMPLETED"


@pytest.mark.parametrize("variant", ["default", "message-404-empty"], indirect=True)
def test_missing_message_file_is_one_clear_line(variant, insight, run_playbook, tmp_path):
    variant.reset({"users": USERS, "apps": APPS, "jobs": [job(1, "COMPLETED")]})
    message_id = "6f1d3c52-8b0e-4c1a-9d7e-2a5b4c3d2e99"
    result = run_playbook(play(task("file", module="xpress.insight.insight_job_message_file", ignore=True,
                                    job_id=jid(1), message_id=message_id, dest=str(tmp_path / "m.bin"))))
    entry = next(e for e in result.results if e["task"] == "file")
    assert entry["status"] == "failed"
    msg = entry["result"]["msg"]
    assert "no message file %s for job %s" % (message_id, jid(1)) in msg, msg
    assert "\n" not in msg and "Traceback" not in msg, msg
    assert not (tmp_path / "m.bin").exists()
