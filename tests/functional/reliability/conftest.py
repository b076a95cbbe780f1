"""The reliability suite: the emulator reset to its own seed."""

from __future__ import annotations

from typing import Any

import pytest

from reliability_helpers import seed


@pytest.fixture
def plant(insight: Any) -> Any:
    """The emulator reset to the reliability seed (users with their own secrets): pass `env=user_env(...)`."""
    insight.reset(seed())
    return insight
