"""insight_job_cancel through real ansible-playbook runs against the emulator and its job clock."""

from __future__ import annotations

import math
from pathlib import Path

import yaml

TASK = "xpress.insight.insight_job_cancel"
FINISHED = ("COMPLETED", "FAILED", "CANCELLED", "DELETED")
DELETE = "DELETE /api/jobs/{id}"
GET_ONE = "GET /api/jobs/{id}"
LIST = "GET /api/jobs"

USERS = [
    {"username": "alice", "name": "Alice Able", "role": "full", "client_id": "alice-id", "secret": "alice-secret"},
    {"username": "bob", "name": "Bob Builder", "role": "full", "client_id": "bob-id", "secret": "bob-secret"},
]
APPS = [
    {"name": "Logistics", "scenarios": [{"name": "Sandbox"}],
     "folders": [{"name": "Reports", "scenarios": [{"name": "Base case"}, {"name": "High demand"}]}]},
    {"name": "Portfolio", "scenarios": [{"name": "Balanced"}]},
]
BASE = "/Logistics/Reports/Base case"
HIGH = "/Logistics/Reports/High demand"
SANDBOX = "/Logistics/Sandbox"
BALANCED = "/Portfolio/Balanced"


MODULE = Path(__file__).resolve().parents[4] / "plugins" / "modules" / "insight_job_cancel.py"


def examples():
    """The module's EXAMPLES, as the task list they are."""
    text = MODULE.read_text(encoding="utf-8").split('EXAMPLES = r"""', 1)[1].split('"""', 1)[0]
    return yaml.safe_load(text)


def jid(number: int) -> str:
    return "00000000-0000-4000-8000-%012d" % number


def seed(*jobs, generate=None):
    document = {"users": USERS, "apps": APPS, "jobs": list(jobs)}
    if generate:
        document["generate"] = generate
    return document


def job(number, status="QUEUED", scenario=BASE, owner="alice", created="-10m", **extra):
    entry = {"id": jid(number), "scenario": scenario, "owner": owner, "status": status, "created": created}
    entry.update(extra)
    return entry


def play(*tasks):
    return {"name": "cancel", "hosts": "localhost", "gather_facts": False, "tasks": list(tasks)}


def task(name, ignore_errors=False, **args):
    out = {"name": name, TASK: args, "register": "out"}
    if ignore_errors:
        out["ignore_errors"] = True
    return out


def failed(result, name):
    """The task failed (Ansible keeps its own `failed` flag out of the result the callback sees)."""
    return [entry["status"] for entry in result.results if entry["task"] == name] == ["failed"]


def statuses(insight):
    return {j["id"]: j["status"] for j in insight.state()["jobs"]}


def by_route(insight, route):
    return insight.counters()["by_route"].get(route, 0)


def test_cancels_queued_and_executing_skips_finished_and_rerun_is_unchanged(insight, run_playbook):
    insight.reset(seed(job(1), job(2, "EXECUTING"), job(3, "COMPLETED"), job(4, "CANCELLING"), job(5, "FAILED"),
                       job(6)))
    ids = [jid(n) for n in range(1, 6)]
    result = run_playbook(play(task("cancel", id=ids)))
    assert result.rc == 0, result
    out = result.task("cancel")
    assert out["changed"] is True
    assert out["cancelled"] == [jid(1), jid(2)]
    assert out["skipped_jobs"] == {jid(3): "COMPLETED", jid(4): "CANCELLING", jid(5): "FAILED"}
    assert out["missing"] == [] and out["failed_jobs"] == {}
    assert out["matched"] == 5
    # The compact form by default: id and status only.
    assert out["jobs"] == [{"id": jid(1), "status": "CANCELLING"}, {"id": jid(2), "status": "CANCELLING"}]
    assert by_route(insight, DELETE) == 2
    after = statuses(insight)
    assert after[jid(1)] == "CANCELLED" and after[jid(2)] == "CANCELLED"
    assert after[jid(3)] == "COMPLETED" and after[jid(5)] == "FAILED" and after[jid(6)] == "QUEUED"

    insight.reset_counters()
    again = run_playbook(play(task("cancel", id=ids)))
    assert again.rc == 0, again
    out = again.task("cancel")
    assert out["changed"] is False and out["cancelled"] == []
    assert out["skipped_jobs"][jid(1)] == "CANCELLED" and out["skipped_jobs"][jid(2)] == "CANCELLED"
    assert insight.counters()["writes"] == 0


def test_single_id_as_a_string(insight, run_playbook):
    insight.reset(seed(job(1), job(2)))
    result = run_playbook(play(task("one", id=jid(2))))
    assert result.rc == 0, result
    assert result.task("one")["cancelled"] == [jid(2)]
    assert statuses(insight) == {jid(1): "QUEUED", jid(2): "CANCELLED"}


def test_missing_ids_ignored_or_fail_before_cancelling(insight, run_playbook):
    insight.reset(seed(job(1), job(2)))
    ghost = jid(999)
    result = run_playbook(play(task("strict", ignore_errors=True, id=[jid(1), ghost], on_missing="fail")))
    strict = result.task("strict")
    assert failed(result, "strict")
    assert ghost in strict["msg"] and "nothing was cancelled" in strict["msg"]
    assert by_route(insight, DELETE) == 0
    assert statuses(insight)[jid(1)] == "QUEUED"

    result = run_playbook(play(task("lenient", id=[jid(1), ghost, jid(2)])))
    assert result.rc == 0, result
    lenient = result.task("lenient")
    assert lenient["missing"] == [ghost]
    assert lenient["cancelled"] == [jid(1), jid(2)]
    assert lenient["matched"] == 2 and lenient["changed"] is True


def test_locked_job_fails_after_the_others_are_cancelled(insight, run_playbook):
    insight.reset(seed(job(1), job(2, locked=True), job(3, "EXECUTING")))
    result = run_playbook(play(task("cancel", ignore_errors=True, id=[jid(1), jid(2), jid(3)])))
    out = result.task("cancel")
    assert failed(result, "cancel")
    assert list(out["failed_jobs"]) == [jid(2)]
    assert out["failed_jobs"][jid(2)] == "403: The job %s is locked and cannot be cancelled" % jid(2)
    assert out["cancelled"] == [jid(1), jid(3)]
    assert out["changed"] is True
    assert jid(2) in out["msg"] and "locked" in out["msg"] and "cancelled 2" in out["msg"]
    assert [j["id"] for j in out["jobs"]] == [jid(1), jid(2), jid(3)]
    after = statuses(insight)
    assert after == {jid(1): "CANCELLED", jid(2): "QUEUED", jid(3): "CANCELLED"}


def test_locked_job_among_filtered_jobs(insight, run_playbook):
    insight.reset(seed(job(1, locked=True), job(2)))
    result = run_playbook(play(task("by_filter", ignore_errors=True, app="Logistics")))
    out = result.task("by_filter")
    assert failed(result, "by_filter")
    assert "locked and cannot be cancelled" in out["msg"]
    assert list(out["failed_jobs"]) == [jid(1)]
    assert out["cancelled"] == [jid(2)]
    assert statuses(insight) == {jid(1): "QUEUED", jid(2): "CANCELLED"}


def test_max_jobs_guard_cancels_nothing_and_counts(insight, run_playbook):
    insight.reset(seed(generate={"jobs": {"count": 30, "statuses": {"QUEUED": 1}, "app": "Logistics"}}))
    result = run_playbook(play(task("guarded", ignore_errors=True, max_jobs=10)))
    out = result.task("guarded")
    assert failed(result, "guarded")
    assert "matched 30 jobs" in out["msg"] and "max_jobs=10" in out["msg"]
    assert insight.counters()["writes"] == 0
    assert set(statuses(insight).values()) == {"QUEUED"}

    result = run_playbook(play(task("uncapped", max_jobs=0)))
    assert result.rc == 0, result
    assert len(result.task("uncapped")["cancelled"]) == 30
    assert set(statuses(insight).values()) == {"CANCELLED"}


def test_older_than_selects_only_old_queued_jobs(insight, run_playbook):
    insight.reset(seed(job(1, created="-8h"), job(2, created="-7h"), job(3, created="-1h"), job(4, created="-5m"),
                       job(5, "EXECUTING", created="-9h")))
    result = run_playbook(play(task("nightly", app="Logistics", older_than="6h", max_jobs=5)))
    assert result.rc == 0, result
    out = result.task("nightly")
    assert sorted(out["cancelled"]) == [jid(1), jid(2)]
    assert out["matched"] == 2
    after = statuses(insight)
    assert after == {jid(1): "CANCELLED", jid(2): "CANCELLED", jid(3): "QUEUED", jid(4): "QUEUED", jid(5): "EXECUTING"}


def test_app_owner_scenario_and_mode_filters(insight, run_playbook):
    insight.reset(seed(
        job(1, scenario=BALANCED), job(2, scenario=BALANCED, owner="bob"),
        job(3, owner="bob"), job(4, scenario=HIGH, owner="bob"),
        job(5, scenario=HIGH), job(6, scenario=SANDBOX, execution_mode="LOAD"), job(7, scenario=SANDBOX),
        job(8, "EXECUTING", scenario=HIGH),
    ))
    scenario_high = next(n["id"] for n in insight.state()["scenarios"] if n["name"] == "High demand")
    portfolio = next(a["id"] for a in insight.state()["apps"] if a["name"] == "Portfolio")
    result = run_playbook(play(
        task("app", app=portfolio),
        task("owner", owner="Bob Builder"),
        task("scenario", scenario_id=scenario_high, status=["QUEUED", "EXECUTING"]),
        task("mode", execution_mode="LOAD"),
        task("bad_app", ignore_errors=True, app="Nope"),
    ))
    assert sorted(result.task("app")["cancelled"]) == [jid(1), jid(2)]
    assert sorted(result.task("owner")["cancelled"]) == [jid(3), jid(4)]
    assert sorted(result.task("scenario")["cancelled"]) == [jid(5), jid(8)]
    assert result.task("mode")["cancelled"] == [jid(6)]
    bad = result.task("bad_app")
    assert failed(result, "bad_app") and "app" in bad["msg"] and "Nope" in bad["msg"]
    assert statuses(insight)[jid(7)] == "QUEUED"


def test_check_mode_sends_no_write_and_lists_what_would_be_cancelled(insight, run_playbook):
    insight.reset(seed(job(1), job(2, "EXECUTING"), job(3, "CANCELLING"), job(4)))
    before = statuses(insight)
    insight.reset_counters()
    result = run_playbook(play(task("preview", status=["QUEUED", "EXECUTING", "CANCELLING"])), check=True, diff=True)
    assert result.rc == 0, result
    out = result.task("preview")
    assert out["changed"] is True
    assert sorted(out["cancelled"]) == [jid(1), jid(2), jid(4)]
    assert out["skipped_jobs"] == {jid(3): "CANCELLING"}
    assert out["diff"]["before"]["jobs"] == {jid(1): "QUEUED", jid(2): "EXECUTING", jid(4): "QUEUED"}
    assert out["diff"]["after"]["jobs"] == {jid(1): "CANCELLING", jid(2): "CANCELLING", jid(4): "CANCELLING"}
    counters = insight.counters()
    assert counters["writes"] == 0 and by_route(insight, DELETE) == 0
    assert set(counters["by_method"]) <= {"GET", "POST"}  # POST: the token only
    assert counters["by_route"].get("POST /api/authentication/token", 0) == counters["by_method"].get("POST", 0)
    assert statuses(insight) == before


def test_diff_mode_shows_before_and_after(insight, run_playbook):
    insight.reset(seed(job(1), job(2, "EXECUTING")))
    result = run_playbook(play(task("cancel", id=[jid(1), jid(2)], wait=True)), diff=True)
    assert result.rc == 0, result
    diff = result.task("cancel")["diff"]
    assert diff["before"]["jobs"] == {jid(1): "QUEUED", jid(2): "EXECUTING"}
    assert diff["after"]["jobs"] == {jid(1): "CANCELLED", jid(2): "CANCELLED"}


def test_wait_until_cancelled_on_the_job_clock(insight, run_playbook):
    insight.reset(seed(job(1), job(2, "EXECUTING"), job(3, "CANCELLING")))
    insight.config(cancel_delay=3)
    insight.clock("speed", speed=20)
    insight.clock("resume")
    result = run_playbook(play(task("cancel", id=[jid(1), jid(2), jid(3)], wait=True, wait_timeout=60,
                                    job_fields="full")))
    assert result.rc == 0, result
    out = result.task("cancel")
    assert out["cancelled"] == [jid(1), jid(2)]
    assert [j["status"] for j in out["jobs"]] == ["CANCELLED", "CANCELLED"]
    # The full form: every field of the Job object, the final state's included.
    assert all(j["finished"] and {"app", "scenario", "owner", "execution_mode", "created"} <= set(j) for j in out["jobs"])
    assert statuses(insight)[jid(3)] == "CANCELLED"  # already cancelling: waited for, not touched
    assert by_route(insight, DELETE) == 2
    assert by_route(insight, GET_ONE) >= 3 + 2  # the selection reads, then at least one poll of each job


def test_wait_timeout_lists_jobs_not_finished(insight, run_playbook):
    insight.reset(seed(job(1), job(2, "EXECUTING"), job(3)))
    insight.config(cancel_delay=600)
    insight.clock("pause")
    result = run_playbook(play(task("cancel", ignore_errors=True, id=[jid(1), jid(2)], wait=True, wait_timeout=1.5)))
    out = result.task("cancel")
    assert failed(result, "cancel")
    assert "2 job(s) not finished after 1.5s" in out["msg"]
    assert "%s (CANCELLING)" % jid(1) in out["msg"] and "%s (CANCELLING)" % jid(2) in out["msg"]
    assert out["cancelled"] == [jid(1), jid(2)] and out["changed"] is True
    assert [j["status"] for j in out["jobs"]] == ["CANCELLING", "CANCELLING"]
    assert statuses(insight)[jid(3)] == "QUEUED"
    # Backoff, not a tight loop: far fewer polls than a 50 ms fixed interval would make in 1.5 s per job.
    polls = by_route(insight, GET_ONE) - 2
    assert 2 <= polls <= 2 * 15


def test_rejects_id_with_filters_and_bad_numbers(insight, run_playbook):
    result = run_playbook(play(
        task("mixed", ignore_errors=True, id=[jid(1)], app="Logistics"),
        task("not_uuid", ignore_errors=True, id=["job-1"]),
        task("parallel", ignore_errors=True, parallel=0),
        task("older", ignore_errors=True, older_than="yesterday"),
    ))
    assert "mutually exclusive" in result.task("mixed")["msg"]
    assert "id: 'job-1' is not a UUID" in result.task("not_uuid")["msg"]
    assert "parallel: must be between 1 and 32" in result.task("parallel")["msg"]
    assert result.task("older")["msg"].startswith("older_than (alias of created_before): 'yesterday' is neither an age")
    assert insight.counters()["writes"] == 0


def _budget_seed(insight, count):
    insight.reset(seed(job(1, "EXECUTING", scenario=BALANCED),
                       generate={"jobs": {"count": count, "statuses": {"QUEUED": 1}, "app": "Logistics"}}))
    insight.reset_counters()
    return insight.config()["page_size_cap"]


def test_budget_cancelling_1000_jobs_by_filter(insight, run_playbook):
    count = 1000
    page_cap = _budget_seed(insight, count)
    result = run_playbook(play(task("bulk", app="Logistics", max_jobs=0, parallel=8)))
    assert result.rc == 0, result
    assert len(result.task("bulk")["cancelled"]) == count
    counters = insight.counters()["by_route"]
    pages = math.ceil((count + 1) / page_cap)  # every unfinished job, the Portfolio one too
    assert counters[LIST] == pages  # one listing pass
    assert counters[DELETE] == count  # one DELETE per job
    assert counters.get(GET_ONE, 0) == 0
    assert counters.get("POST /api/authentication/token") == 1


def test_budget_cancelling_1000_jobs_and_waiting(insight, run_playbook):
    count = 1000
    page_cap = _budget_seed(insight, count)
    insight.config(cancel_delay=2)
    insight.clock("speed", speed=4)
    insight.clock("resume")
    result = run_playbook(play(task("bulk", app="Logistics", max_jobs=0, wait=True, wait_timeout=120)))
    assert result.rc == 0, result
    out = result.task("bulk")
    assert len(out["cancelled"]) == count
    assert {j["status"] for j in out["jobs"]} == {"CANCELLED"}
    counters = insight.counters()["by_route"]
    pages = math.ceil((count + 1) / page_cap)
    assert counters[DELETE] == count
    # Polling is by listing passes of the unfinished jobs (shrinking as they finish), then one pass over the
    # history for the final states: bounded by a few dozen listing calls, never one GET per job per round. (A job
    # that a pass missed while the list shifted is read by id: on a loaded machine that can be one or two.)
    assert counters.get(GET_ONE, 0) <= count // 100
    polls = counters[LIST] - pages
    assert 0 < polls <= 40 * pages, counters


def test_documented_nightly_cleanup_and_runbook_examples_work(insight, run_playbook):
    insight.reset(seed(job(1, created="-8h"), job(2, created="-7h", scenario=HIGH), job(3, created="-1h"),
                       job(4, created="-9h", scenario=BALANCED), job(5, "EXECUTING", scenario=HIGH, created="-2h"),
                       job(6, scenario=HIGH, created="-5m")))
    nightly, runbook = examples()[:2]
    # Same tasks; the connection comes from the test's INSIGHT_* variables instead of the placeholders.
    nightly.pop("module_defaults")
    result = run_playbook(play(nightly), extra_vars={"insight_client_id": "unused", "insight_secret": "unused"})
    assert result.rc == 0, result
    cleanup = result.task("Cancel the jobs queued for more than 6 hours, refusing to touch more than 500")
    assert sorted(cleanup["cancelled"]) == [jid(1), jid(2)]
    assert result.task("Report the clean-up")["msg"] == "2 of 2 matching jobs cancelled"

    high = next(n["id"] for n in insight.state()["scenarios"] if n["name"] == "High demand")
    runbook[TASK].update(scenario_id=high, wait_timeout=30)
    # Cancelling takes 2 s on the job clock, which runs ten times faster than real time.
    insight.config(cancel_delay=2)
    insight.clock("speed", speed=10)
    insight.clock("resume")
    result = run_playbook(play(runbook))
    assert result.rc == 0, result
    out = result.task(runbook["name"])
    assert sorted(out["cancelled"]) == [jid(5), jid(6)]
    assert [j["status"] for j in out["jobs"]] == ["CANCELLED", "CANCELLED"]
    after = statuses(insight)
    assert all(after[jid(n)] == "CANCELLED" for n in (1, 2, 5, 6))
    assert after[jid(3)] != "CANCELLED" and after[jid(4)] != "CANCELLED"


def test_lost_cancel_answer_is_repeated_safely_and_touches_nothing_else(insight, run_playbook):
    insight.reset(seed(job(1), job(2), job(3, scenario=HIGH), job(4, scenario=BALANCED)))
    # The server applies the first DELETE, then drops the connection: the client repeats the DELETE, which
    # meets a job already CANCELLING and is accepted again.
    insight.faults({"route": DELETE, "kind": "drop", "when": "after", "count": 1})
    result = run_playbook(play(task("cancel", scenario_id=next(
        n["id"] for n in insight.state()["scenarios"] if n["name"] == "Base case"))))
    assert result.rc == 0, result
    out = result.task("cancel")
    assert out["cancelled"] == [jid(1), jid(2)] and out["failed_jobs"] == {}
    assert by_route(insight, DELETE) == 3
    deleted = {e["path"].rsplit("/", 1)[1] for e in insight.log() if e["method"] == "DELETE"}
    assert deleted == {jid(1), jid(2)}
    assert statuses(insight) == {jid(1): "CANCELLED", jid(2): "CANCELLED", jid(3): "QUEUED", jid(4): "QUEUED"}


def test_check_mode_lists_the_jobs_it_would_ask_to_cancel(insight, run_playbook):
    insight.reset(seed(job(1, locked=True), job(2)))
    check = run_playbook(play(task("preview", app="Logistics")), check=True)
    assert check.rc == 0, check
    preview = check.task("preview")
    # The lock shows only when the server is asked: check mode lists the job, and says what its list means.
    assert sorted(preview["cancelled"]) == [jid(1), jid(2)]
    assert preview["msg"] == ("check mode: 2 job(s) would be asked to cancel; the server may still refuse some (a locked "
                              "job, for example)")
    assert insight.counters()["writes"] == 0
    real = run_playbook(play(task("cancel", ignore_errors=True, app="Logistics")))
    assert list(real.task("cancel")["failed_jobs"]) == [jid(1)]
    assert real.task("cancel")["cancelled"] == [jid(2)]


def test_finished_statuses_cannot_be_selected(insight, run_playbook):
    insight.reset(seed(job(1)))
    result = run_playbook(play(task("done", ignore_errors=True, status=["COMPLETED", "QUEUED"])))
    assert result.task("done")["msg"] == "status: COMPLETED jobs are finished and cannot be cancelled"
    assert insight.counters()["writes"] == 0


def test_old_filter_names_are_aliases(insight, run_playbook):
    insight.reset(seed(job(1, created="-8h"), job(2, created="-1h")))
    result = run_playbook(play(task("old", apps=["Logistics"], statuses=["QUEUED"], older_than="6h")))
    assert result.rc == 0, result
    assert result.task("old")["cancelled"] == [jid(1)]
