"""The event source against a server that trickles the headers of `GET /api/jobs` (one line every 0.5 s): each
poll ends at its deadline and is reported as a timeout, instead of one poll hanging for as long as the server
trickles (before the deadline covered the headers, no warning came for the whole minute of the trickle)."""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Dict

import pytest

from eda_helpers import RunningSource, load_source
from hostile_server import CLIENT_ID, SECRET, header_trickle, page


@pytest.fixture
def plugin(collection_root: Path) -> Dict[str, Any]:
    return load_source(collection_root)


def test_a_poll_whose_headers_trickle_ends_at_its_deadline(hostile, plugin, caplog, monkeypatch):
    for name in ("INSIGHT_URL", "INSIGHT_TOKEN", "INSIGHT_AUTH_URL", "INSIGHT_CLIENT_ID", "INSIGHT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.WARNING, logger="xpress.insight.insight_jobs")
    hostile.route("GET", "/api/jobs", header_trickle(page([], last=True)))
    started = time.monotonic()
    source = RunningSource(plugin, {"url": hostile.url, "client_id": CLIENT_ID, "secret": SECRET, "timeout": 1,
                                    "retries": 1, "interval": 0.1})
    try:
        failed = []
        while not failed and time.monotonic() - started < 20:
            failed = [r.getMessage() for r in caplog.records if "polling failed" in r.getMessage()]
            time.sleep(0.05)
        elapsed = time.monotonic() - started
    finally:
        source.stop()
    assert failed == ["insight_jobs: polling failed, retrying with backoff until it works again: "
                      "GET /api/jobs: no answer within the 1s timeout, after 1 retry"], failed
    assert elapsed < 2 * 1 * (1 + 1) + 2, elapsed  # two attempts of 1 s, the backoff, the token call
    assert source.error is None, source.error
