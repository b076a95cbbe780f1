"""pytest plugin: the emulator processes (`emulator`, `emulator_tls`) and the per-test reset (`insight`).

Both processes start with the job clock paused and a cancellation delay of 0, so every test sees the seeded
job statuses and a cancelled job reads CANCELLING in the 202 answer and CANCELLED on the next read. A test that
needs time to pass steps the clock (``insight.clock("step", seconds=...)``)."""
from __future__ import annotations

import os
import sys
from typing import Iterator

import pytest

# `make` exports PYTHONPATH=tests; a bare `python -m pytest tests/functional` finds the emulator package here.
_TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)

from insight_emulator.control import Control, EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position

EMULATOR_ARGS = ["--paused", "--cancel-delay", "0"]


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    process = EmulatorProcess(EMULATOR_ARGS).start()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def emulator_tls() -> Iterator[EmulatorProcess]:
    process = EmulatorProcess(EMULATOR_ARGS + ["--tls"]).start()
    yield process
    process.stop()


@pytest.fixture
def insight(emulator: EmulatorProcess) -> Control:  # pylint: disable=redefined-outer-name
    """The emulator reset to the demo data: a Control with ``.url``, ``.users`` and ``.ca``."""
    control = emulator.control()
    control.reset("demo")
    return control
