"""The event source never logs or emits a secret of the run that a server or proxy quotes back: main(queue, args)
against the hostile fixture, whose token endpoints and listing quote the request (its body with the secret, its
Authorization header with the bearer token)."""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Dict

import pytest

from eda_helpers import RunningSource, load_source
from hostile_server import CLIENT_ID, ECHO_PIECES, ECHO_SECRET, HOSTILE_SECRETS, Reply, Request, echo_request, job_quoting_the_request

MASK = "********"
LOGGER = "xpress.insight.insight_jobs"


@pytest.fixture
def plugin(collection_root: Path) -> Dict[str, Any]:
    return load_source(collection_root)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("INSIGHT_URL", "INSIGHT_CLIENT_ID", "INSIGHT_SECRET", "INSIGHT_TOKEN", "INSIGHT_AUTH_URL"):
        monkeypatch.delenv(name, raising=False)


def leaked(text: str) -> list:
    return [piece for piece in ECHO_PIECES + HOSTILE_SECRETS if piece in text]


def wait_for(condition: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.parametrize("token_route,kind", [("/api/authentication/token", "envelope"), ("/iam/token", "text"),
                                              ("/iam/token", "urlencoded")])
def test_a_token_endpoint_quoting_the_secret_never_reaches_the_log(plugin, hostile, clean_env, caplog, token_route, kind):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    hostile.route("POST", token_route, echo_request(400, kind))
    args = {"url": hostile.url, "client_id": CLIENT_ID, "secret": ECHO_SECRET, "interval": 0.1, "retries": 0}
    if token_route != "/api/authentication/token":
        args["auth_url"] = hostile.url + token_route
    source = RunningSource(plugin, args)
    try:
        wait_for(lambda: any("polling failed" in r.getMessage() for r in caplog.records))
    finally:
        source.stop()
    failed = [r.getMessage() for r in caplog.records if "polling failed" in r.getMessage()]
    assert MASK in failed[0], failed
    assert leaked(caplog.text) == []


def test_a_bearer_token_quoted_in_an_error_or_a_job_never_reaches_the_log_or_an_event(plugin, hostile, clean_env, caplog):
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    refuse, listing = echo_request(500), job_quoting_the_request()

    def first_refuse_then_list(request: Request) -> Reply:
        return refuse(request) if request.number == 0 else listing(request)

    hostile.route("GET", "/api/jobs", first_refuse_then_list)
    source = RunningSource(plugin, {"url": hostile.url, "client_id": CLIENT_ID, "secret": ECHO_SECRET,
                                    "interval": 0.1, "retries": 0, "emit_existing": True})
    try:
        events = source.events(1)
    finally:
        source.stop()
    assert events[0]["insight"]["type"] == "new"
    assert events[0]["insight"]["job"]["name"] == "seen Bearer %s" % MASK
    failed = [r.getMessage() for r in caplog.records if "polling failed" in r.getMessage()]
    assert failed and "Authorization: Bearer %s" % MASK in failed[0], failed
    assert leaked(caplog.text + repr(events)) == []
