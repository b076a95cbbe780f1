"""Fixtures of the event source suites: the source loaded from the collection copy, and sources started against
the emulator (stopped after each test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import pytest

from eda_helpers import RunningSource, load_source


@pytest.fixture
def plugin(collection_root: Path) -> Dict[str, Any]:
    return load_source(collection_root)


@pytest.fixture
def start(plugin: Dict[str, Any], insight: Any, monkeypatch: pytest.MonkeyPatch):
    """start(**args) -> RunningSource, connected as alice through the INSIGHT_* variables; stopped after the test."""
    for name in ("INSIGHT_TOKEN", "INSIGHT_AUTH_URL", "INSIGHT_CA_PATH", "INSIGHT_VALIDATE_CERTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSIGHT_URL", insight.url)
    monkeypatch.setenv("INSIGHT_CLIENT_ID", insight.users["alice"]["client_id"])
    monkeypatch.setenv("INSIGHT_SECRET", insight.users["alice"]["secret"])
    running = []

    def run(**args: Any) -> RunningSource:
        args.setdefault("interval", 0.1)
        source = RunningSource(plugin, args)
        running.append(source)
        return source

    yield run
    for source in running:
        source.stop()
