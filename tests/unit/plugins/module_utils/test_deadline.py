# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import socket
import time

from ansible_collections.xpress.insight.plugins.module_utils import _deadline


class Connection:
    """What the watchdog needs of a urllib3 connection: its `sock`."""

    def __init__(self, sock):
        self.sock = sock


def test_a_read_blocked_past_the_deadline_ends_when_the_watchdog_shuts_the_socket():
    ours, theirs = socket.socketpair()
    try:
        ours.settimeout(30)  # far beyond the deadline: only the watchdog can end the read in time
        started = time.monotonic()
        with _deadline.watching(0.3) as watch:
            watch.attach(Connection(ours))
            assert ours.recv(10) == b""
            assert watch.expired
        assert 0.25 < time.monotonic() - started < 5
    finally:
        ours.close()
        theirs.close()


def test_an_attempt_that_ended_in_time_is_left_alone():
    ours, theirs = socket.socketpair()
    try:
        with _deadline.watching(0.2) as watch:
            watch.attach(Connection(ours))
        time.sleep(0.4)
        assert not watch.expired
        theirs.sendall(b"still open")
        assert ours.recv(10) == b"still open"
    finally:
        ours.close()
        theirs.close()


def test_a_connection_attached_after_the_deadline_is_shut_at_once():
    ours, theirs = socket.socketpair()
    try:
        with _deadline.watching(0.05) as watch:
            time.sleep(0.3)
            watch.attach(Connection(ours))
            ours.settimeout(5)
            assert ours.recv(10) == b""
    finally:
        ours.close()
        theirs.close()


def test_ended_watches_do_not_pile_up_and_nested_watches_restore_the_outer_one():
    for _number in range(1000):
        with _deadline.watching(60):
            pass
    assert _deadline.live_watches() < 200
    with _deadline.watching(60) as outer:
        with _deadline.watching(60) as inner:
            assert _deadline.current() is inner
        assert _deadline.current() is outer
    assert _deadline.current() is None
    assert len(list(_deadline.iter_watchdog_threads())) == 1


def test_pool_classes_are_wrapped_once_and_attach_their_connections():
    class Pool:
        def _get_conn(self, timeout=None):
            return Connection(None)

    class Manager:
        def __init__(self):
            self.pool_classes_by_scheme = {"http": Pool}

    first, second = _deadline.watch_pools(Manager()), _deadline.watch_pools(Manager())
    assert first.pool_classes_by_scheme["http"] is second.pool_classes_by_scheme["http"]
    with _deadline.watching(60) as watch:
        connection = first.pool_classes_by_scheme["http"]()._get_conn()
        assert watch._connection is connection  # pylint: disable=protected-access
