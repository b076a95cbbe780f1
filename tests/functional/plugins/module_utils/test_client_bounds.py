"""The client's bounds against a hostile server: time per attempt, requests and memory per listing, body sizes,
and the shape of what the server answers. Every test here failed (or ran on without end) before the bounds."""

from __future__ import annotations

import io
import time

import pytest

from hostile_server import answer, endless_pages, job, oversized_pages, page, same_page_forever, trickle

JOB_ID = "11111111-2222-3333-4444-555555555555"


def client_for(hostile, client_module, **options):
    return client_module.InsightClient(hostile.options(**options))


def test_timeout_bounds_the_whole_attempt_not_each_read(hostile, client_module):
    # One byte every 0.5 s: each read is well within the timeout, the whole body never is.
    hostile.route("GET", "/api/jobs/" + JOB_ID, trickle(job(JOB_ID), every=0.5))
    client = client_for(hostile, client_module, timeout=2, retries=0)
    started = time.monotonic()
    with pytest.raises(client_module.InsightTransportError) as info:
        client.get_item("/api/jobs/{}", JOB_ID)
    elapsed = time.monotonic() - started
    assert info.value.to_line() == "GET /api/jobs/%s: the whole answer did not arrive within the 2s timeout" % JOB_ID
    assert elapsed < 10, elapsed  # the body alone takes over two minutes to trickle
    assert hostile.count("GET", "/api/jobs/" + JOB_ID) == 1


def test_a_trickled_answer_is_retried_within_the_same_budget(hostile, client_module):
    hostile.route("GET", "/api/jobs/" + JOB_ID, trickle(job(JOB_ID), every=0.5))
    client = client_for(hostile, client_module, timeout=1, retries=1)
    with pytest.raises(client_module.InsightTransportError) as info:
        client.get_item("/api/jobs/{}", JOB_ID)
    assert info.value.to_line().endswith("within the 1s timeout, after 1 retry")
    assert hostile.count("GET", "/api/jobs/" + JOB_ID) == 2


def test_a_page_repeating_itself_stops_the_listing(hostile, client_module):
    hostile.route("GET", "/api/jobs", same_page_forever([job(), job()]))
    client = client_for(hostile, client_module)
    with pytest.raises(client_module.InsightTransportError) as info:
        list(client.paged("/api/jobs"))
    assert info.value.to_line() == ("GET /api/jobs: page 1 brought no new item; the listing does not advance, "
                                    "stopped")
    assert hostile.count("GET", "/api/jobs") == 2


def test_endless_new_items_stop_at_the_item_cap(hostile, client_module):
    hostile.route("GET", "/api/jobs", endless_pages(per_page=100))
    client = client_for(hostile, client_module)
    seen = []
    with pytest.raises(client_module.InsightTransportError) as info:
        for item in client.paged("/api/jobs", page_size=100, max_items=1000):
            seen.append(item["id"])
    assert info.value.to_line() == "GET /api/jobs: the listing has more than 1000 items; stopped"
    assert len(seen) == 1000 and hostile.count("GET", "/api/jobs") == 11


def test_endless_pages_stop_at_the_byte_cap(hostile, client_module):
    hostile.route("GET", "/api/jobs", endless_pages(per_page=100))
    client = client_for(hostile, client_module)
    with pytest.raises(client_module.InsightTransportError) as info:
        list(client.paged("/api/jobs", page_size=100, max_bytes=200000))
    assert info.value.to_line() == "GET /api/jobs: the listing is larger than 200000 bytes; stopped"
    assert hostile.count("GET", "/api/jobs") < 10


def test_a_total_beyond_the_cap_stops_before_reading_on(hostile, client_module):
    hostile.route("GET", "/api/jobs", answer(page([job()], total=5000000)))
    client = client_for(hostile, client_module)
    with pytest.raises(client_module.InsightTransportError) as info:
        list(client.paged("/api/jobs"))
    assert info.value.to_line() == "GET /api/jobs: the listing has 5000000 items, more than 200000; stopped"
    assert hostile.count("GET", "/api/jobs") == 1


def test_a_page_size_larger_than_asked_is_ignored(hostile, client_module):
    jobs = [job() for _index in range(25)]
    hostile.route("GET", "/api/jobs", oversized_pages(jobs, claimed_size=100000))
    client = client_for(hostile, client_module)
    listed = list(client.paged("/api/jobs", page_size=10))
    assert [j["id"] for j in listed] == [j["id"] for j in jobs]
    assert [q["size"] for q in hostile.queries if "size" in q] == ["10", "10", "10"]


def test_json_answers_are_read_with_a_size_cap(hostile, client_module):
    hostile.route("GET", "/api/apps", answer(page([job() for _index in range(50)])))
    client = client_for(hostile, client_module)
    client.max_json_bytes = 4096
    with pytest.raises(client_module.InsightTransportError) as info:
        client.get("/api/apps")
    assert info.value.to_line().startswith("GET /api/apps: the answer is ")
    assert "more than the 4096 allowed" in info.value.to_line()


def test_error_bodies_are_read_with_a_size_cap(hostile, client_module):
    hostile.route("GET", "/api/apps", answer("<html>" + "x" * (8 * 1024 * 1024) + "</html>", 502, "text/html"))
    client = client_for(hostile, client_module, retries=0)
    with pytest.raises(client_module.InsightHTTPError) as info:
        client.get("/api/apps")
    line = info.value.to_line()
    assert line.startswith("GET /api/apps: 502 ") and len(line) < 2000


def test_download_streams_into_the_file_and_stops_at_max_bytes(hostile, client_module):
    route = "/api/jobs/%s/messages/m/file" % JOB_ID
    hostile.route("GET", route, answer(b"z" * 300000, content_type="application/octet-stream"))
    client = client_for(hostile, client_module)
    out = io.BytesIO()
    assert client.download_to(out, "/api/jobs/{}/messages/{}/file", JOB_ID, "m") == 300000
    assert out.getvalue() == b"z" * 300000
    with pytest.raises(client_module.InsightTransportError) as info:
        client.download_to(io.BytesIO(), "/api/jobs/{}/messages/{}/file", JOB_ID, "m", max_bytes=1000)
    assert "more than the 1000 allowed" in info.value.to_line()


@pytest.mark.parametrize("content_type", ["text/html", "application/json", None])
def test_a_download_that_is_not_a_file_is_refused_before_its_first_byte(hostile, client_module, content_type):
    route = "/api/jobs/%s/messages/m/file" % JOB_ID
    hostile.route("GET", route, answer(b"<html>sign in</html>" * 100000, content_type=content_type or ""))
    client = client_for(hostile, client_module, retries=3)
    out = io.BytesIO()
    with pytest.raises(client_module.NotAFile) as info:
        client.download_to(out, "/api/jobs/{}/messages/{}/file", JOB_ID, "m", max_bytes=1000)
    # Named for what it is (not for its size), nothing written, and not asked again.
    assert info.value.to_line().startswith("GET %s: the server answered 200 with %s" % (route, content_type or "no content type"))
    assert (info.value.status, info.value.content_type) == (200, content_type or "")
    assert out.getvalue() == b"" and hostile.count("GET", route) == 1


def test_a_download_trickled_beyond_the_timeout_fails_in_time(hostile, client_module):
    route = "/api/jobs/%s/messages/m/file" % JOB_ID
    hostile.route("GET", route, trickle(b"z" * 1000, every=0.5, content_type="application/octet-stream"))
    client = client_for(hostile, client_module, timeout=1, retries=2)
    out = io.BytesIO()
    with pytest.raises(client_module.InsightTransportError) as info:
        client.download_to(out, "/api/jobs/{}/messages/{}/file", JOB_ID, "m")
    assert "within the 1s timeout" in info.value.to_line()
    # Bytes were already written: a download is not repeated once it has begun.
    assert hostile.count("GET", route) == 1 and 0 < len(out.getvalue()) < 1000


SHAPES = [
    ("content is not a list", {"content": {"id": "x"}}, "not a page object with a content list"),
    ("a null item", page([None]), "an item is null, not an object"),
    ("an id that is a list", page([job(job_id=["a"])]), "id is a list, not a string"),
    ("a status that is a list", page([job(status=["QUEUED"])]), "status is a list, not a string"),
]


@pytest.mark.parametrize("body,what", [case[1:] for case in SHAPES], ids=[case[0] for case in SHAPES])
def test_malformed_pages_are_one_clear_line(hostile, client_module, body, what):
    hostile.route("GET", "/api/jobs", answer(body))
    with pytest.raises(client_module.InsightTransportError) as info:
        list(client_for(hostile, client_module).paged("/api/jobs"))
    assert info.value.to_line() == "GET /api/jobs: unexpected answer from the server: %s (GET /api/jobs)" % what
