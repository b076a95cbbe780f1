# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The deadline of one HTTP attempt, enforced by one watchdog thread per process.

The timeout given to requests bounds each socket read, not their sum: a server that sends one header line every
half second keeps an attempt alive for as long as it likes, and the headers are read inside requests, out of reach
of the client's own loop. So each attempt registers its deadline here, the connection pool tells the attempt which
connection it got, and when the deadline passes the watchdog shuts that connection's socket down: the blocked read
returns or raises at once, and the attempt reports its timeout. Shutting down (not closing) is safe from another
thread: the file descriptor stays the attempt's own until its thread closes it, and urllib3 drops a connection
whose socket was shut instead of reusing it."""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import socket
import threading
import time
from typing import Any, Dict, Iterator, List, Optional, Tuple, Type

# After its deadline, an attempt's socket is shut again at this pace until the attempt ends, because the
# connection may not have had a socket yet (still connecting) or may have got a new one (TLS wrap, reconnect).
RESHUT = 0.05


class Watch:
    """One attempt's deadline. `expired` turns true (before the socket is shut) once the deadline passed."""

    def __init__(self, seconds: float) -> None:
        self.due = time.monotonic() + seconds
        self.expired = False
        self.done = False
        self._connection: Any = None
        self._lock = threading.Lock()

    def attach(self, connection: Any) -> None:
        """The connection this attempt uses (the pool hands it over before connecting or sending)."""
        with self._lock:
            self._connection = connection
            if self.expired:
                _shut(connection)

    def expire(self) -> None:
        with self._lock:
            if self.done:
                return
            self.expired = True
            _shut(self._connection)

    def end(self) -> None:
        # Under the lock, so that no shutdown reaches the connection once the pool may lend it to another call.
        with self._lock:
            self.done = True
            self._connection = None


def _shut(connection: Any) -> None:
    sock = getattr(connection, "sock", None)
    if sock is None:
        return
    # Already shut, closed by its own thread, or never connected: nothing left to stop.
    with contextlib.suppress(OSError, ValueError):
        sock.shutdown(socket.SHUT_RDWR)


class _Watchdog:
    """A heap of watches by deadline and the one daemon thread that expires them; ended watches are dropped."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: List[Tuple[float, int, Watch]] = []
        self._order = itertools.count()
        self._thread: Optional[threading.Thread] = None
        self._pid = 0
        self._ended = 0

    def add(self, watch: Watch) -> None:
        with self._cond:
            # A forked process (an Ansible worker) inherits the variables but not the thread: start its own.
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._heap = [entry for entry in self._heap if not entry[2].done]
                heapq.heapify(self._heap)
                self._thread = threading.Thread(target=self._run, name="insight-deadline-watchdog", daemon=True)
                self._pid = os.getpid()
                self._thread.start()
            heapq.heappush(self._heap, (watch.due, next(self._order), watch))
            if self._heap[0][2] is watch:
                self._cond.notify()

    def ended(self) -> None:
        with self._cond:
            self._ended += 1
            # Ended watches wait in the heap for their deadline; compact it so it holds about the live ones only.
            if self._ended > 64 and self._ended * 2 > len(self._heap):
                self._heap = [entry for entry in self._heap if not entry[2].done]
                heapq.heapify(self._heap)
                self._ended = 0

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                while self._heap and (self._heap[0][2].done or self._heap[0][0] <= now):
                    _due, _order, watch = heapq.heappop(self._heap)
                    if watch.done:
                        self._ended = max(self._ended - 1, 0)
                        continue
                    watch.expire()
                    heapq.heappush(self._heap, (now + RESHUT, next(self._order), watch))
                wait = self._heap[0][0] - now if self._heap else None
                self._cond.wait(wait)


_WATCHDOG = _Watchdog()
_CURRENT = threading.local()


@contextlib.contextmanager
def watching(seconds: float) -> Iterator[Watch]:
    """`with watching(timeout) as watch:` bounds the attempt run inside the block to `timeout` seconds."""
    watch = Watch(seconds)
    outer = getattr(_CURRENT, "watch", None)
    _CURRENT.watch = watch
    _WATCHDOG.add(watch)
    try:
        yield watch
    finally:
        _CURRENT.watch = outer
        watch.end()
        _WATCHDOG.ended()


def current() -> Optional[Watch]:
    """The watch of the attempt running in this thread, if any."""
    return getattr(_CURRENT, "watch", None)


class _WatchedPool:
    """Mixed into urllib3's pool classes: every connection taken for an attempt is attached to its watch."""

    def _get_conn(self, *args: Any, **kwargs: Any) -> Any:
        connection = super()._get_conn(*args, **kwargs)  # type: ignore[misc]  # the urllib3 pool it is mixed into
        watch = current()
        if watch is not None:
            watch.attach(connection)
        return connection


_WATCHED: Dict[type, type] = {}
_WATCHED_LOCK = threading.Lock()


def _watched(pool_class: Type[Any]) -> Type[Any]:
    with _WATCHED_LOCK:
        found = _WATCHED.get(pool_class)
        if found is None:
            found = type("Watched" + pool_class.__name__, (_WatchedPool, pool_class), {})
            _WATCHED[pool_class] = found
        return found


def watch_pools(manager: Any) -> Any:
    """Make a urllib3 PoolManager (or ProxyManager, SOCKS included) attach its connections to the current watch."""
    classes = getattr(manager, "pool_classes_by_scheme", None)
    if isinstance(classes, dict):
        manager.pool_classes_by_scheme = {scheme: _watched(cls) for scheme, cls in classes.items()}
    return manager


def live_watches() -> int:
    """How many watches the watchdog holds (ended ones not yet dropped included); for tests of its bound."""
    with _WATCHDOG._cond:  # pylint: disable=protected-access
        return len(_WATCHDOG._heap)  # pylint: disable=protected-access


def iter_watchdog_threads() -> Iterator[threading.Thread]:
    """The watchdog threads alive in this process (one at most)."""
    return (thread for thread in threading.enumerate() if thread.name == "insight-deadline-watchdog")
