"""Text from the server never drives the operator's terminal, and never floods it: control characters in the error
envelope are shown as visible escapes on the one-line message (and kept as sent in the returned envelope), and a
422 listing thousands of details shows the first five on the line and a capped envelope in the result."""

from __future__ import annotations

import json
import re

from reliability_helpers import INVENTORY, JOB_INFO, play, status, task, user_env

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
HOSTILE = "done\x1b[2J\nFAKE: all good\r"


def test_control_characters_from_the_server_never_reach_the_message(plant, run_playbook, run_inventory):
    plant.faults({"route": "GET /api/jobs", "status": 422, "message": HOSTILE, "details": 2})
    result = run_playbook(play(task("hostile", JOB_INFO, ignore=True, app="Ops")), env=user_env(plant, "alice"))
    outcome = result.task("hostile")
    assert status(result, "hostile") == "failed"
    msg = outcome["msg"]
    assert not CONTROL.search(msg), repr(msg)
    assert "done\\x1b[2J\\x0aFAKE: all good\\x0d" in msg
    assert "\x1b" not in result.stdout + result.stderr
    # The returned envelope is the server's, as it arrived (JavaScript-escaped, as Insight sends every message):
    # the escape is still there for whoever inspects it.
    inner = outcome["error"]["error"]["innerError"]["message"]
    assert inner == "done\\u001B[2J\\nFAKE: all good\\r"
    assert [d["target"] for d in outcome["error"]["error"]["details"]] == ["field0", "field1"]

    proc = run_inventory({"plugin": INVENTORY}, raw=True,
                         env=user_env(plant, "alice", ANSIBLE_INVENTORY_UNPARSED_FAILED="true"))
    assert proc.returncode != 0 and "FAKE: all good" in proc.stderr, proc.stderr
    assert not CONTROL.search(proc.stderr.replace("\n", "")), repr(proc.stderr)
    assert not any(line.startswith("FAKE") for line in proc.stderr.splitlines())


def test_thousands_of_details_are_capped_on_the_line_and_in_the_result(plant, run_playbook):
    plant.faults({"route": "GET /api/jobs", "status": 422, "message": "Invalid filter", "details": 5000})
    result = run_playbook(play(task("flood", JOB_INFO, ignore=True, app="Ops")), env=user_env(plant, "alice"))
    outcome = result.task("flood")
    msg = outcome["msg"]
    assert ("Invalid filter: Invalid filter 0; Invalid filter 1; Invalid filter 2; Invalid filter 3; "
            "Invalid filter 4 (+4995 more)") in msg, msg
    assert "field0, field1, field2, field3, field4 (+4995 more)" in msg
    assert len(msg) < 1000
    envelope = outcome["error"]["error"]
    assert len(envelope["details"]) == 50 and envelope["detailsOmitted"] == 4950
    assert len(json.dumps(outcome)) < 50000
    assert len(result.stdout) < 100000
