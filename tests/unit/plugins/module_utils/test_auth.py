# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.xpress.insight.plugins.module_utils import _auth
from ansible_collections.xpress.insight.plugins.module_utils._args import validate_connection
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightConfigError, InsightError, InsightHTTPError

GOOD = {"url": "https://insight.example.com", "client_id": "id", "secret": "s3cr3t"}


class FakeServer:
    """Answers token calls: refuses lifetimes above `limit` with `refusal`, else hands out numbered tokens."""

    def __init__(self, limit=3600, refusal=422):
        self.limit = limit
        self.refusal = refusal
        self.asked = []

    def __call__(self, method, path, body, kind, use_auth):
        assert (method, path, kind, use_auth) == ("POST", "/api/authentication/token", "text", False)
        self.asked.append(body["maxAge"])
        if body["maxAge"] > self.limit:
            raise InsightHTTPError(method, path, self.refusal, "Refused")
        return "token-%d\n" % len(self.asked)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(_auth.time, "monotonic", fake)
    return fake


def test_asks_for_900_seconds_and_renews_30_seconds_early(clock):
    server = FakeServer()
    source = _auth.KeyPairToken("id", "s3cr3t")
    assert source.token(server) == "token-1"
    clock.now += 869
    assert source.token(server) == "token-1"
    clock.now += 2  # fewer than 30 s of the 900 left
    assert source.token(server) == "token-2"
    assert server.asked == [900, 900]


def test_expiry_counts_from_when_the_request_was_sent(clock):
    def slow(*args):
        clock.now += 100  # the answer takes a while; the server's clock started when it got the request
        return FakeServer()(*args)

    source = _auth.KeyPairToken("id", "s3cr3t", 600)
    source.token(slow)
    assert source._expires == 1000.0 + 600


@pytest.mark.parametrize("refusal", [400, 422])
def test_a_refused_lifetime_is_asked_again_once_with_900(clock, refusal):
    server = FakeServer(limit=3600, refusal=refusal)
    source = _auth.KeyPairToken("id", "s3cr3t", 7200)
    assert source.token(server) == "token-2"
    assert server.asked == [7200, 900]
    clock.now += 900
    source.token(server)
    assert server.asked == [7200, 900, 900]  # the refused lifetime is not asked for again


def test_a_refusal_of_900_itself_is_final(clock):
    server = FakeServer(limit=600)
    with pytest.raises(InsightHTTPError) as info:
        _auth.KeyPairToken("id", "s3cr3t").token(server)
    assert info.value.status == 422
    assert server.asked == [900]


def test_token_lifetime_option():
    assert validate_connection(GOOD)["token_lifetime"] == 900
    assert validate_connection(dict(GOOD, token_lifetime="3600"))["token_lifetime"] == 3600
    for bad in (59, "soon"):
        with pytest.raises(InsightConfigError) as info:
            validate_connection(dict(GOOD, token_lifetime=bad))
        assert str(info.value).startswith("token_lifetime:")


@pytest.mark.parametrize("answer", ["tok-abc\r\nX-Injected: 1", "tok-abc\x1b[2J", "tok-abc\x00"])
def test_a_token_that_cannot_go_into_a_header_is_refused_without_its_text(answer):
    source = _auth.KeyPairToken("id", "s3cr3t")
    with pytest.raises(InsightError) as info:
        source.token(lambda *args: answer)
    assert "tok-abc" not in str(info.value) and "s3cr3t" not in str(info.value)
