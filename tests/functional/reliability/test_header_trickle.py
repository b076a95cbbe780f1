"""Header trickle: a server or proxy sending one header line every half second, for a minute. Each read is quick,
so only a bound on the whole attempt ends it. Real ansible-playbook and ansible-inventory runs with `timeout: 2,
retries: 1` fail in one line within two attempts' time, on the listing, the token call and the IAM call. The
subprocess timeout makes a hang (the behaviour before the bound) fail the test instead of blocking the suite."""

from __future__ import annotations

import time

from hostile_server import CLIENT_ID, SECRET, header_trickle, page

TIMEOUT, RETRIES = 2, 1
# Two attempts of 2 s and the backoff between them; the slack is ansible's own start-up on a busy machine.
ONE_CALL = TIMEOUT * (RETRIES + 1) * 2
STARTUP = 15
KILL_AFTER = 60  # the trickle lasts 60 s per attempt: a run that is still going here has no bound at all
CONNECTION = {"timeout": TIMEOUT, "retries": RETRIES}


def test_job_listing_token_and_iam_calls_end_at_their_deadline(hostile, run_playbook):
    hostile.route("GET", "/api/jobs", header_trickle(page([], last=True)))
    hostile.route("POST", "/api/authentication/token", header_trickle("never-used", content_type="text/plain"))
    hostile.route("POST", "/iam/token", header_trickle({"accessToken": "never-used"}, content_type="application/json"))
    # The secret reaches the tasks from the environment: a failed task prints its source lines, never a literal.
    key_pair = dict(CONNECTION, client_id=CLIENT_ID, secret="{{ lookup('env', 'HOSTILE_SECRET') }}")
    tasks = [
        # A static token: the listing is the only call.
        {"name": "listing", "xpress.insight.insight_job_info": dict(CONNECTION, token="static-token"),
         "ignore_errors": True},
        {"name": "token", "xpress.insight.insight_job_info": key_pair, "ignore_errors": True},
        {"name": "iam", "xpress.insight.insight_job_info": dict(key_pair, auth_url=hostile.url + "/iam/token"),
         "ignore_errors": True},
    ]
    play = {"name": "header trickle", "hosts": "localhost", "gather_facts": False, "tasks": tasks}
    started = time.monotonic()
    result = run_playbook(play, env={"INSIGHT_URL": hostile.url, "HOSTILE_SECRET": SECRET}, timeout=KILL_AFTER)
    elapsed = time.monotonic() - started
    lines = {name: result.task(name)["msg"] for name in ("listing", "token", "iam")}
    assert lines == {
        "listing": "GET /api/jobs: no answer within the 2s timeout, after 1 retry",
        "token": "POST /api/authentication/token: no answer within the 2s timeout, after 1 retry",
        "iam": "POST %s/iam/token: no answer within the 2s timeout, after 1 retry" % hostile.url,
    }, lines
    assert "Traceback" not in result.stdout + result.stderr
    assert elapsed < 3 * ONE_CALL + STARTUP, elapsed
    # Two attempts each, no more: the deadline ended the attempt, the budget the call.
    assert [hostile.count("GET", "/api/jobs"), hostile.count("POST", "/api/authentication/token"),
            hostile.count("POST", "/iam/token")] == [2, 2, 2]


def test_inventory_ends_at_its_deadline(hostile, run_inventory):
    hostile.route("GET", "/api/jobs", header_trickle(page([], last=True)))
    options = dict(CONNECTION, plugin="xpress.insight.insight_jobs")
    started = time.monotonic()
    proc = run_inventory(options, raw=True, timeout=KILL_AFTER,
                         env=dict(hostile.env(), ANSIBLE_INVENTORY_UNPARSED_FAILED="true"))
    elapsed = time.monotonic() - started
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc
    prefix = "[WARNING]: Failed to parse inventory with 'auto' plugin: "
    lines = [line for line in proc.stderr.splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, proc.stderr
    assert lines[0][len(prefix):].startswith("GET /api/jobs: no answer within the 2s timeout, after 1 retry"), lines
    assert elapsed < ONE_CALL + STARTUP, elapsed
    assert hostile.count("GET", "/api/jobs") == 2
