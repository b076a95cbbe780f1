# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The send path (Transport.send and InsightClient.call over it) on a fake session: which attempts go out again,
after which wait, and what error is left when none is left."""

from __future__ import annotations

import email.utils
import io
import time
import types
from typing import Any, Dict, List, Optional

import pytest
import requests
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from ansible_collections.xpress.insight.plugins.module_utils import _client, _transport
from ansible_collections.xpress.insight.plugins.module_utils._client import InsightClient
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightHTTPError, InsightTransportError
from ansible_collections.xpress.insight.plugins.module_utils._sinks import Buffer, FileSink

URL = "https://insight.test"
JSON_TYPE = "application/vnd.com.fico.xpress.insight.v2+json"


class Raw:
    """The raw stream of a fake response: its chunks, then the end, or `broken` raised instead of the end."""

    def __init__(self, chunks: List[bytes], broken: Optional[BaseException]) -> None:
        self.chunks = list(chunks)
        self.broken = broken

    def read1(self, size: int, decode_content: bool = True) -> bytes:
        if self.chunks:
            return self.chunks.pop(0)
        if self.broken is not None:
            raise self.broken
        return b""


class Response:
    def __init__(self, method: str, url: str, status: int, body: bytes, headers: Dict[str, str],
                 broken: Optional[BaseException]) -> None:
        self.status_code = status
        self.reason = "Reason %d" % status
        self.headers = requests.structures.CaseInsensitiveDict(headers)
        self.url = url
        self.request = types.SimpleNamespace(method=method)
        self.raw = Raw([body] if body else [], broken)

    def __enter__(self) -> "Response":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None


class FakeSession:
    """Answers each request with the next scripted reply: an exception to raise, or a dict (status, body,
    headers, broken: an exception raised once the body is read). Records what was sent."""

    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.sent: List[Dict[str, Any]] = []

    def request(self, method: str, url: str, **kwargs: Any) -> Response:
        self.sent.append(dict(kwargs, method=method, url=url, headers=dict(kwargs["headers"])))
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        body = reply.get("body", b"")
        headers = dict(reply.get("headers", {}))
        if body:
            headers.setdefault("Content-Type", JSON_TYPE)
        return Response(method, url, reply.get("status", 200), body, headers, reply.get("broken"))


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> List[float]:
    """The waits the transport makes between attempts, recorded instead of slept."""
    slept: List[float] = []
    clock = types.SimpleNamespace(sleep=slept.append, monotonic=time.monotonic)
    monkeypatch.setattr(_transport, "time", clock)
    monkeypatch.setattr(_client, "time", clock)  # post_or_recover waits before it reads the server back
    return slept


def transport(*replies: Any) -> _transport.Transport:
    made = _transport.Transport(timeout=5.0, verify=True)
    made.session = FakeSession(*replies)  # type: ignore[assignment]  # a fake in place of requests' Session
    return made


def send(made: _transport.Transport, method: str = "GET", retries: int = 3, repeatable: bool = True,
         sink: Any = None, **kwargs: Any) -> int:
    return made.send(method, URL + "/api/apps", "/api/apps", None, None, {}, sink or Buffer(1 << 20), retries,
                     repeatable, **kwargs)


def test_an_overload_answer_is_repeated_after_its_retry_after_in_seconds(waits):
    made = transport({"status": 503, "headers": {"Retry-After": "2"}}, {"status": 200, "body": b"{}"})
    sink = Buffer(1 << 20)
    assert send(made, sink=sink) == 2
    assert sink.status == 200 and bytes(sink.body) == b"{}"
    assert waits == [2.0]
    assert made.request_count == 2


def test_an_http_date_retry_after_is_waited_for_and_capped(waits):
    soon = email.utils.formatdate(time.time() + 5, usegmt=True)
    years = email.utils.formatdate(time.time() + 10 ** 8, usegmt=True)
    made = transport({"status": 429, "headers": {"Retry-After": soon}}, {"status": 429, "headers": {"Retry-After": years}},
                     {"status": 204})
    assert send(made) == 3
    assert 3.5 <= waits[0] <= 5.0
    assert waits[1] == 60.0


def test_an_unreadable_retry_after_falls_back_to_exponential_backoff(waits):
    made = transport({"status": 502, "headers": {"Retry-After": "soon"}}, {"status": 502}, {"status": 200})
    assert send(made) == 3
    assert waits == [0.25, 0.5]


def test_an_overload_answer_to_a_post_is_final(waits):
    made = transport({"status": 503, "headers": {"Retry-After": "0"}})
    sink = Buffer(1 << 20)
    assert send(made, method="POST", repeatable=False, sink=sink) == 1
    assert sink.status == 503 and waits == []


def test_the_last_overload_answer_is_kept_when_no_attempt_is_left(waits):
    made = transport({"status": 503}, {"status": 503}, {"status": 429, "body": b"{}"})
    sink = Buffer(1 << 20)
    assert send(made, retries=2, sink=sink) == 3
    assert sink.status == 429 and len(waits) == 2


def test_a_refused_connection_is_repeated_even_for_a_post_and_ends_naming_the_retries(waits):
    refused = requests.exceptions.ConnectionError("Connection refused")
    made = transport(refused, refused, refused)
    with pytest.raises(InsightTransportError) as info:
        send(made, method="POST", repeatable=False, retries=2)
    assert info.value.to_line() == "POST /api/apps: cannot reach https://insight.test, after 2 retries: Connection refused"
    assert info.value.attempts == 3 and info.value.retryable and not info.value.timed_out
    assert len(made.session.sent) == 3 and waits == [0.25, 0.5]


def test_a_connection_closed_after_sending_is_repeated_only_when_the_call_is_repeatable(waits):
    closed = requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError("reset")))
    assert send(transport(closed, {"status": 200}), repeatable=True) == 2
    with pytest.raises(InsightTransportError) as info:
        send(transport(closed, {"status": 200}), method="POST", repeatable=False)
    assert "the connection closed before the answer: " in info.value.to_line()
    assert info.value.attempts == 1 and info.value.retryable


def test_a_body_cut_short_is_read_again_but_not_into_a_file_already_written(waits):
    cut = ProtocolError("Connection broken", ConnectionResetError("reset"))
    made = transport({"status": 200, "body": b"{", "broken": cut}, {"status": 200, "body": b"{}"})
    assert send(made) == 2
    target = io.BytesIO()
    made = transport({"status": 200, "body": b"part", "broken": cut, "headers": {"Content-Type": "application/octet-stream"}},
                     {"status": 200, "body": b"whole"})
    with pytest.raises(InsightTransportError) as info:
        send(made, sink=FileSink(target, None))
    assert "the connection broke in the middle of the answer" in info.value.to_line()
    assert target.getvalue() == b"part" and len(made.session.sent) == 1


def test_a_read_beyond_the_timeout_is_a_timed_out_error(waits):
    late = ReadTimeoutError(None, "/api/apps", "Read timed out.")  # type: ignore[arg-type]  # urllib3 takes a pool
    made = transport({"status": 200, "body": b"{", "broken": late})
    with pytest.raises(InsightTransportError) as info:
        send(made, retries=0)
    assert info.value.to_line() == "GET /api/apps: the whole answer did not arrive within the 5s timeout"
    assert info.value.timed_out and info.value.attempts == 1


def test_a_rejected_token_is_renewed_once_per_call(waits):
    tokens = iter(["first", "second", "third"])
    rejected: List[str] = []

    def reject(token: str) -> bool:
        rejected.append(token)
        return True

    made = transport({"status": 401}, {"status": 401}, {"status": 200})
    sink = Buffer(1 << 20)
    assert send(made, sink=sink, token=lambda: next(tokens), reject=reject) == 2
    # The second 401 is the answer: the key pair or token is not accepted, and asking again would not change that.
    assert sink.status == 401 and rejected == ["first"]
    assert [s["headers"]["Authorization"] for s in made.session.sent] == ["Bearer first", "Bearer second"]
    assert waits == []


def test_a_rejected_token_is_dropped_even_with_no_attempt_left(waits):
    rejected: List[str] = []
    made = transport({"status": 401})
    assert send(made, retries=0, token=lambda: "only", reject=lambda token: rejected.append(token) or True) == 1
    assert rejected == ["only"]


def test_an_error_raised_while_reading_carries_the_attempts_made(waits):
    made = transport({"status": 503}, {"status": 200, "body": b"x" * 64})
    with pytest.raises(InsightTransportError) as info:
        send(made, sink=Buffer(16))
    assert "larger than the 16 bytes allowed" in info.value.to_line()
    assert info.value.attempts == 2


def client(*replies: Any, retries: int = 3) -> InsightClient:
    made = InsightClient({"url": URL, "token": "static-token-value", "retries": retries})
    made.transport.session = FakeSession(*replies)  # type: ignore[assignment]  # a fake in place of requests' Session
    return made


def test_a_call_decodes_the_answer_and_says_when_it_went_out_more_than_once(waits):
    made = client({"status": 503, "headers": {"Retry-After": "1"}}, {"status": 200, "body": b'{"id": "a"}'})
    answer = made.call("GET", "/api/folders/{}", "a b")
    assert answer == ({"id": "a"}, 200, True)
    sent = made.transport.session.sent[0]
    assert sent["url"] == URL + "/api/folders/a%20b" and sent["headers"]["Authorization"] == "Bearer static-token-value"
    assert sent["allow_redirects"] is False and sent["stream"] is True and waits == [1.0]
    assert made.request_count == 2


def test_a_post_whose_answer_is_uncertain_waits_for_the_http_date_before_reading_back(waits):
    soon = email.utils.formatdate(time.time() + 5, usegmt=True)
    made = client({"status": 503, "headers": {"Retry-After": soon}}, {"status": 201, "body": b'{"id": "new"}'})
    read_back: List[float] = []
    made_it = made.post_or_recover("/api/folders", json_body={"name": "x"},
                                   recover=lambda: read_back.append(len(waits)))
    assert made_it == ({"id": "new"}, True)
    assert read_back == [1] and 3.5 <= waits[0] <= 5.0
    assert [s["method"] for s in made.transport.session.sent] == ["POST", "POST"]


def test_an_error_answer_keeps_its_retry_after_and_attempts(waits):
    made = client({"status": 503, "headers": {"Retry-After": "7"}}, retries=0)
    with pytest.raises(InsightHTTPError) as info:
        made.get("/api/apps")
    assert info.value.status == 503 and info.value.retry_after == "7" and info.value.attempts == 1
