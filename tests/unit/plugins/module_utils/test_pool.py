# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.xpress.insight.plugins.module_utils import _pool
from ansible_collections.xpress.insight.plugins.module_utils._pool import run_pool


class Recorder:
    """Counts the threads that ran calls and the most calls in flight at once."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.lock = threading.Lock()
        self.threads = set()
        self.running = 0
        self.most = 0

    def __call__(self, item):
        with self.lock:
            self.threads.add(threading.get_ident())
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(self.seconds)
        with self.lock:
            self.running -= 1
        return item * 2


def test_results_keep_the_order_of_the_items():
    assert run_pool(lambda n: n * 2, list(range(50)), 8) == [n * 2 for n in range(50)]
    assert run_pool(lambda n: n, [], 8) == []


def test_one_thread_or_one_item_runs_in_the_callers_thread():
    caller = threading.get_ident()
    assert run_pool(lambda n: threading.get_ident(), [1, 2, 3], 1) == [caller] * 3
    assert run_pool(lambda n: threading.get_ident(), [1], 8) == [caller]


def test_calls_that_wait_grow_the_pool_to_its_limit(monkeypatch):
    monkeypatch.setattr(_pool, "WINDOW", 0.005)
    recorder = Recorder(0.02)
    assert run_pool(recorder, list(range(60)), 6) == [n * 2 for n in range(60)]
    # Each call mostly sleeps (waits), so the process is far from busy: the pool doubles up to the limit, never past it.
    assert recorder.most == 6 and len(recorder.threads) == 6


def test_never_more_threads_than_items_or_the_limit(monkeypatch):
    monkeypatch.setattr(_pool, "WINDOW", 0.001)
    recorder = Recorder(0.01)
    run_pool(recorder, list(range(3)), 32)
    assert recorder.most <= 3


def test_busy_calls_do_not_grow_the_pool(monkeypatch):
    monkeypatch.setattr(_pool, "WINDOW", 0.005)
    # Every window reads as fully busy (CPU time grows as fast as wall time): the pool stays at one thread.
    clock = {"now": 0.0}

    def now():
        clock["now"] += 0.01
        return clock["now"]

    monkeypatch.setattr(_pool.time, "perf_counter", now)
    monkeypatch.setattr(_pool.time, "process_time", now)
    threads = set()
    run_pool(lambda n: threads.add(threading.get_ident()), list(range(40)), 8)
    assert len(threads) == 1


def test_the_first_error_is_raised_and_stops_new_calls():
    started = []

    def call(n):
        started.append(n)
        if n == 3:
            raise ValueError("item 3 failed")
        return n

    with pytest.raises(ValueError, match="item 3 failed"):
        run_pool(call, list(range(100)), 4)
    # At most the calls already taken when the error came run; the rest are never started.
    assert len(started) < 100
