"""The deadline of one attempt against a server that trickles its headers (one line every 0.5 s for a minute):
every call ends at `timeout` seconds per attempt, a create is never sent twice, a connection whose socket the
watchdog shut is not reused, and the watchdog is one thread however many calls are made. Before the deadline
covered the headers, each of these calls ran for as long as the server trickled."""

from __future__ import annotations

import importlib
import io
import threading
import time

import pytest

from hostile_server import answer, header_trickle, job, page

JOB_ID = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def deadline(client_module):
    return importlib.import_module(client_module.__name__.rsplit(".", 1)[0] + "._deadline")


def client_for(hostile, client_module, **options):
    return client_module.InsightClient(hostile.options(**options))


def test_header_trickle_ends_each_attempt_at_its_deadline(hostile, client_module):
    hostile.route("GET", "/api/jobs/" + JOB_ID, header_trickle(job(JOB_ID)))
    client = client_for(hostile, client_module, timeout=1, retries=1)
    started = time.monotonic()
    with pytest.raises(client_module.InsightTransportError) as info:
        client.get_item("/api/jobs/{}", JOB_ID)
    elapsed = time.monotonic() - started
    assert info.value.to_line() == "GET /api/jobs/%s: no answer within the 1s timeout, after 1 retry" % JOB_ID
    assert elapsed < 2 * 1 * (1 + 1), elapsed  # two attempts of 1 s and one backoff of 0.25 s
    assert hostile.count("GET", "/api/jobs/" + JOB_ID) == 2


def test_a_create_whose_attempt_hit_the_deadline_is_never_sent_again(hostile, client_module):
    hostile.route("POST", "/api/folders", header_trickle({"id": "made"}))
    client = client_for(hostile, client_module, timeout=1, retries=3)
    asked = []
    with pytest.raises(client_module.InsightTransportError) as info:
        client.post_or_recover("/api/folders", json_body={"name": "Area 1"}, recover=lambda: asked.append(1))
    assert info.value.to_line() == ("POST /api/folders: no answer within the 1s timeout; not sent again, because "
                                    "the server may still carry it out: run the task again")
    assert hostile.count("POST", "/api/folders") == 1 and asked == [1]


def test_a_download_whose_headers_trickle_ends_at_the_deadline(hostile, client_module):
    route = "/api/jobs/%s/messages/m/file" % JOB_ID
    hostile.route("GET", route, header_trickle(b"z" * 10, content_type="application/octet-stream"))
    client = client_for(hostile, client_module, timeout=1, retries=1)
    out = io.BytesIO()
    with pytest.raises(client_module.InsightTransportError) as info:
        client.download_to(out, "/api/jobs/{}/messages/{}/file", JOB_ID, "m")
    assert info.value.to_line() == "GET %s: no answer within the 1s timeout, after 1 retry" % route
    # Nothing was written, so the download could be tried again.
    assert out.getvalue() == b"" and hostile.count("GET", route) == 2


def test_a_connection_shut_at_the_deadline_is_not_reused(hostile, client_module):
    hostile.route("GET", "/api/jobs/" + JOB_ID, header_trickle(job(JOB_ID)))
    hostile.route("GET", "/api/jobs", answer(page([job(JOB_ID)], last=True)))
    # No retries: a call on a connection the watchdog had shut would fail instead of being repeated.
    client = client_for(hostile, client_module, timeout=1, retries=0)
    assert [item["id"] for item in client.paged("/api/jobs")] == [JOB_ID]  # the connection is now in the pool
    for _round in range(3):
        with pytest.raises(client_module.InsightTransportError):
            client.get_item("/api/jobs/{}", JOB_ID)
        assert [item["id"] for item in client.paged("/api/jobs")] == [JOB_ID]


def test_many_calls_keep_one_watchdog_thread_and_a_bounded_heap(make_client, deadline):
    client = make_client(timeout=30, retries=0)
    client.get("/api/apps")
    before = threading.active_count()
    for _call in range(300):
        client.get("/api/apps")
    # Not one more thread (threads of earlier tests' servers may still be ending meanwhile).
    assert threading.active_count() <= before
    assert len(list(deadline.iter_watchdog_threads())) == 1
    # Ended watches with a 30 s deadline are dropped long before it: the heap holds about the live ones only.
    assert deadline.live_watches() <= 130, deadline.live_watches()
