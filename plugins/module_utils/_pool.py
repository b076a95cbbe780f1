# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running one call per item on a pool of threads that grows only while more threads can help.

Threads pay off while each request mostly waits for the server (a remote server, a slow answer). They cannot when
this process is already busy running Python for the requests it has in flight: one interpreter runs one thread at a
time, so more threads only add switching between them. The pool starts with one thread and doubles while the
process used less than BUSY of one core over the last window, up to `parallel`."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Dict, List, Optional, Sequence

from ._errors import InsightConfigError

# Below this share of one core over a window, the requests in flight are waiting for the server: add threads.
BUSY = 0.8
# How often (seconds of wall time) the pool looks at its own CPU use.
WINDOW = 0.05
# The most threads a module's `parallel` option may ask for (and the connection pool holds).
MAX_PARALLEL = 32
# `parallel` when the task leaves it out, in every module and the inventory plugin.
DEFAULT_PARALLEL = 8


class _Pool:
    def __init__(self, function: Callable[[Any], Any], items: Sequence[Any], limit: int) -> None:
        self.function = function
        self.items = items
        self.limit = limit
        self.results: List[Any] = [None] * len(items)
        self.lock = threading.Lock()
        self.taken = 0
        self.error: Optional[BaseException] = None
        self.threads: List[threading.Thread] = []
        self.mark_wall = time.perf_counter()
        self.mark_cpu = time.process_time()

    def run(self) -> List[Any]:
        with self.lock:
            self._start(1)
        index = 0
        # Threads may be started while others are joined: join until every started thread has ended.
        while True:
            with self.lock:
                if index >= len(self.threads):
                    break
                thread = self.threads[index]
            thread.join()
            index += 1
        if self.error is not None:
            raise self.error
        return self.results

    def _start(self, count: int) -> None:
        for _number in range(count):
            thread = threading.Thread(target=self._work, daemon=True)
            self.threads.append(thread)
            thread.start()

    def _take(self) -> Optional[int]:
        with self.lock:
            if self.error is not None or self.taken >= len(self.items):
                return None
            self.taken += 1
            return self.taken - 1

    def _work(self) -> None:
        while True:
            index = self._take()
            if index is None:
                return
            try:
                self.results[index] = self.function(self.items[index])
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                # Handed to the caller's thread; nothing new is started after a failure.
                with self.lock:
                    if self.error is None:
                        self.error = exc
                return
            self._grow()

    def _grow(self) -> None:
        now = time.perf_counter()
        if now - self.mark_wall < WINDOW:
            return
        with self.lock:
            elapsed = now - self.mark_wall
            if elapsed < WINDOW:
                return
            cpu = time.process_time()
            busy = (cpu - self.mark_cpu) / elapsed
            self.mark_wall, self.mark_cpu = now, cpu
            room = min(len(self.threads), self.limit - len(self.threads), len(self.items) - self.taken)
            if busy < BUSY and room > 0:
                self._start(room)


def run_pool(function: Callable[[Any], Any], items: Sequence[Any], parallel: int) -> List[Any]:
    """`function` over `items` on at most `parallel` threads, results in the order of `items`. The first exception
    raised stops the taking of new items and is raised here once the running calls have ended."""
    items = list(items)
    if not items:
        return []
    if parallel <= 1 or len(items) == 1:
        return [function(item) for item in items]
    return _Pool(function, items, min(parallel, len(items))).run()


def parallel_option() -> Dict[str, Any]:
    """The argument spec of `parallel`, the same in every module that has it."""
    return dict(type="int", default=DEFAULT_PARALLEL)


def check_parallel(value: int) -> int:
    """The `parallel` option of a module or the inventory plugin, checked before the first call."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PARALLEL:
        raise InsightConfigError("parallel: must be between 1 and %d, got %d" % (MAX_PARALLEL, value))
    return value


def run_groups(groups: Sequence[Sequence[Any]], function: Callable[[Any], Any], parallel: int) -> None:
    """`function` over every item of every group: one group's items one after another in their order (each may need
    the one before it, or the server may lock what they share), different groups at the same time. After the first
    exception no group starts another item, as a serial run would have stopped there; that exception is raised."""
    failed = threading.Event()

    def one(group: Sequence[Any]) -> None:
        for item in group:
            if failed.is_set():
                return
            try:
                function(item)
            except BaseException:
                failed.set()
                raise

    run_pool(one, [group for group in groups if group], parallel)
