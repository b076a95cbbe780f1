"""The reliability suite: the emulator reset to its own seed, and the captured-output check ordered last."""

from __future__ import annotations

from typing import Any, List

import pytest

from reliability_helpers import seed


def pytest_collection_modifyitems(session: Any, config: Any, items: List[Any]) -> None:
    """Run the captured-output check after every other test of the session, so it sees all of their output."""
    last = [item for item in items if item.get_closest_marker("captured_output")]
    if last:
        items[:] = [item for item in items if item not in last] + last


@pytest.fixture
def plant(insight: Any) -> Any:
    """The emulator reset to the reliability seed (users with their own secrets): pass `env=user_env(...)`."""
    insight.reset(seed())
    return insight
