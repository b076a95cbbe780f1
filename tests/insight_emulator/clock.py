"""The job clock: virtual time that can be paused, stepped or run at any speed."""
from __future__ import annotations

import threading
import time
from typing import Dict, Optional


class JobClock:
    """Virtual epoch seconds. Jobs advance only on this clock, so a paused clock keeps every job where it is."""

    def __init__(self, speed: float = 1.0, paused: bool = False, start: Optional[float] = None) -> None:
        self._lock = threading.Lock()
        self._base_virtual = time.time() if start is None else start
        self._base_real = time.monotonic()
        self._speed = speed
        self._paused = paused

    def now(self) -> float:
        if self._paused:
            return self._base_virtual
        return self._base_virtual + (time.monotonic() - self._base_real) * self._speed

    def _rebase(self) -> None:
        self._base_virtual = self.now()
        self._base_real = time.monotonic()

    def pause(self) -> None:
        with self._lock:
            self._rebase()
            self._paused = True

    def resume(self) -> None:
        with self._lock:
            self._rebase()
            self._paused = False

    def step(self, seconds: float) -> None:
        with self._lock:
            self._rebase()
            self._base_virtual += seconds

    def set_speed(self, speed: float) -> None:
        with self._lock:
            self._rebase()
            self._speed = speed

    def describe(self) -> Dict[str, object]:
        return {"paused": self._paused, "speed": self._speed, "now": self.now()}
