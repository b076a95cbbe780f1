"""insight_job_info through real ansible-playbook runs against the emulator."""

from __future__ import annotations


TASK = "xpress.insight.insight_job_info"


def play(*tasks, **play_kw):
    base = {"name": "job info", "hosts": "localhost", "gather_facts": False, "tasks": list(tasks)}
    base.update(play_kw)
    return base


def task(name, ignore_errors=False, **args):
    out = {"name": name, TASK: args, "register": "out"}
    if ignore_errors:
        out["ignore_errors"] = True
    return out


def jobs_by(insight, **match):
    return [j for j in insight.state()["jobs"] if all(j.get(k) == v for k, v in match.items())]


def test_lists_active_jobs_with_counts_and_snake_case_fields(insight, run_playbook):
    result = run_playbook(play(task("list")))
    assert result.rc == 0, result
    out = result.task("list")
    active = [j for j in insight.state()["jobs"] if j["status"] not in ("COMPLETED", "FAILED", "CANCELLED", "DELETED")]
    assert {j["id"] for j in out["jobs"]} == {j["id"] for j in active}
    assert out["changed"] is False
    counts = out["count_by_status"]
    assert len(counts) == 10 and counts["COMPLETED"] == 0
    assert counts["QUEUED"] == len([j for j in active if j["status"] == "QUEUED"])
    sample = out["jobs"][0]
    assert {"id", "status", "created", "execution_mode", "object_type", "url", "app", "owner"} <= set(sample)
    assert "executionMode" not in sample


def test_filters_combine(insight, run_playbook):
    result = run_playbook(play(
        task("finished", include_finished=True, status=["COMPLETED", "FAILED"]),
        task("queued_logistics", status=["QUEUED"], app="Logistics"),
        task("old", include_finished=True, created_before="150m"),
        task("recent", created_after="100s"),
        task("load_mode", execution_mode="LOAD"),
    ))
    assert result.rc == 0, result
    state_jobs = insight.state()["jobs"]
    finished = [j for j in state_jobs if j["status"] in ("COMPLETED", "FAILED")]
    assert {j["id"] for j in result.task("finished")["jobs"]} == {j["id"] for j in finished}
    queued = result.task("queued_logistics")["jobs"]
    assert queued and all(j["status"] == "QUEUED" and j["app"]["name"] == "Logistics" for j in queued)
    assert len(result.task("old")["jobs"]) == 4  # created 6h, 5h, 4h, 3h ago
    assert all(j["status"] == "QUEUED" for j in result.task("recent")["jobs"])
    assert [j["execution_mode"]["name"] for j in result.task("load_mode")["jobs"]] == ["LOAD"]


def test_one_job_by_id_is_read_only(insight, run_playbook):
    job = next(j for j in insight.state()["jobs"] if j["status"] == "COMPLETED" and j.get("messages"))
    result = run_playbook(play(task("one", id=job["id"]),
                               task("no_download", ignore_errors=True, id=job["id"],
                                    message_file={"message_id": job["id"], "dest": "/tmp/x"})))
    out = result.task("one")
    assert out["changed"] is False and [j["id"] for j in out["jobs"]] == [job["id"]]
    # Saving message files moved to insight_job_message_file: an _info module changes nothing.
    assert "Unsupported parameters" in result.task("no_download")["msg"]
    assert "message_file" in result.task("no_download")["msg"]
    assert insight.counters()["writes"] == 0


def test_module_defaults_group_sets_the_connection_once(insight, run_playbook):
    full = insight.users["alice"]
    playbook = play(task("grouped", status=["EXECUTING"]),
                    module_defaults={"group/xpress.insight.insight": {
                        "url": insight.url, "client_id": full["client_id"], "secret": full["secret"]}})
    result = run_playbook(playbook, env={"INSIGHT_URL": "", "INSIGHT_CLIENT_ID": "", "INSIGHT_SECRET": ""})
    assert result.rc == 0, result
    assert result.task("grouped")["count_by_status"]["EXECUTING"] >= 1


def test_bad_input_fails_with_one_clear_line(insight, run_playbook):
    result = run_playbook(play(
        task("bad_uuid", ignore_errors=True, id="not-a-uuid"),
        task("missing_job", ignore_errors=True, id="00000000-0000-0000-0000-000000000000"),
        task("unknown_app", ignore_errors=True, app="No such app"),
        task("id_and_filter", ignore_errors=True, id="00000000-0000-0000-0000-000000000000", status=["QUEUED"]),
        task("bad_age", ignore_errors=True, created_before="yesterday"),
    ))
    messages = {name: result.task(name)["msg"] for name in ("bad_uuid", "missing_job", "unknown_app", "id_and_filter", "bad_age")}
    assert messages["bad_uuid"] == "id: 'not-a-uuid' is not a UUID"
    assert messages["missing_job"].startswith("id: no job 00000000-0000-0000-0000-000000000000")
    assert messages["unknown_app"] == "app: there is no app named 'No such app' on the server (or it is not visible to this user)"
    assert "mutually exclusive" in messages["id_and_filter"] and "status" in messages["id_and_filter"]
    assert messages["bad_age"].startswith("created_before: 'yesterday' is neither an age")
    for name, msg in messages.items():
        assert "\n" not in msg and "Traceback" not in msg, name
    assert "Traceback" not in result.stdout + result.stderr
    assert insight.counters()["writes"] == 0


def test_wrong_secret_and_wrong_url(insight, run_playbook):
    result = run_playbook(play(task("wrong_secret", ignore_errors=True), task("wrong_url", ignore_errors=True, url="http://127.0.0.1:9", retries=0)),
                          env={"INSIGHT_SECRET": "definitely-wrong-secret"})
    assert result.task("wrong_secret")["msg"].startswith("POST /api/authentication/token: 401 ")
    assert result.task("wrong_url")["msg"].startswith("POST /api/authentication/token: cannot reach http://127.0.0.1:9")
    assert "definitely-wrong-secret" not in result.stdout + result.stderr
