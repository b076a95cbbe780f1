"""insight_job_info through real ansible-playbook runs against a hostile server: an answer that trickles past the
timeout and listings whose pages are malformed end in one clear line, in bounded time, with no traceback."""

from __future__ import annotations

import time

import pytest

from hostile_server import answer, job, page, trickle

TASK = "xpress.insight.insight_job_info"
JOB_ID = "11111111-2222-3333-4444-555555555555"


def play(**args):
    return {"name": "job info", "hosts": "localhost", "gather_facts": False,
            "tasks": [{"name": "info", TASK: args, "register": "out"}]}


def failure(result):
    assert result.rc != 0, result
    msg = result.task("info")["msg"]
    assert "\n" not in msg and "Traceback" not in result.stdout + result.stderr, result
    assert "TypeError" not in msg, msg
    return msg


def test_trickled_answer_fails_within_the_timeout(hostile, run_playbook):
    hostile.route("GET", "/api/jobs/" + JOB_ID, trickle(job(JOB_ID), every=0.5))
    started = time.monotonic()
    result = run_playbook(play(id=JOB_ID), env=dict(hostile.env(), INSIGHT_TIMEOUT="2", INSIGHT_RETRIES="0"))
    elapsed = time.monotonic() - started
    assert failure(result) == "GET /api/jobs/%s: the whole answer did not arrive within the 2s timeout" % JOB_ID
    assert elapsed < 30, elapsed  # the body alone takes over two minutes; ansible-playbook's start-up is the rest
    assert hostile.count("GET", "/api/jobs/" + JOB_ID) == 1


SHAPES = [
    ("a null item", page([None], last=True), "an item is null, not an object"),
    ("an id that is a list", page([job(job_id=["a"])], last=True), "id is a list, not a string"),
    ("a status that is a list", page([job(status=["QUEUED"])], last=True), "status is a list, not a string"),
    ("an HTML page", "<html><body>Welcome</body></html>", None),
]


@pytest.mark.parametrize("body,what", [case[1:] for case in SHAPES], ids=[case[0] for case in SHAPES])
def test_malformed_listing_is_one_clear_line(hostile, run_playbook, body, what):
    content_type = "text/html" if isinstance(body, str) else "application/vnd.com.fico.xpress.insight.v2+json"
    hostile.route("GET", "/api/jobs", answer(body, content_type=content_type))
    msg = failure(run_playbook(play(), env=hostile.env()))
    if what is None:
        assert msg.startswith("GET /api/jobs: 200 answered text/html instead of "), msg
    else:
        assert msg == "GET /api/jobs: unexpected answer from the server: %s (GET /api/jobs)" % what


def test_malformed_job_is_one_clear_line(hostile, run_playbook):
    hostile.route("GET", "/api/jobs/" + JOB_ID, answer(job(JOB_ID, status={"name": "QUEUED"})))
    msg = failure(run_playbook(play(id=JOB_ID), env=hostile.env()))
    assert msg == ("GET /api/jobs/%s: unexpected answer from the server: status is an object, not a string "
                   "(GET /api/jobs/%s)" % (JOB_ID, JOB_ID))
