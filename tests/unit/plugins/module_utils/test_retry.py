# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import email.utils

import pytest

from ansible_collections.xpress.insight.plugins.module_utils import _retry
from ansible_collections.xpress.insight.plugins.module_utils._errors import (
    InsightConfigError, InsightHTTPError, InsightTransportError)

NOW = 1_800_000_000.0


@pytest.mark.parametrize("value, seconds", [
    ("5", 5.0), (" 7 ", 7.0), ("0", 0.0), ("1.5", 1.5),
    (email.utils.formatdate(NOW + 42, usegmt=True), 42.0),
    (email.utils.formatdate(NOW + 42), 42.0),  # a numeric zone, as some servers send
    (email.utils.formatdate(NOW - 42, usegmt=True), 0.0),  # a date past: no wait
    (None, None), ("", None), ("soon", None), ("-3", None), ("Wed, 99 Foo 2026", None),
])
def test_retry_after_is_read_as_delta_seconds_or_an_http_date(value, seconds):
    assert _retry.retry_after_seconds(value, now=NOW) == seconds


def test_backoff_is_exponential_and_capped_unless_the_server_asked_for_a_wait():
    assert [_retry.backoff_delay(n) for n in range(8)] == [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert _retry.backoff_delay(3, "1") == 1.0
    assert _retry.backoff_delay(0, "3600") == _retry.RETRY_AFTER_MAX
    assert _retry.backoff_delay(1, "Thu, 01 Jan 2099 00:00:00 GMT") == _retry.RETRY_AFTER_MAX
    assert _retry.backoff_delay(2, "later") == 1.0


def test_only_calls_that_change_nothing_twice_are_repeatable():
    token_url = "https://insight.test/api/authentication/token"
    assert _retry.is_repeatable("GET", "https://insight.test/api/apps", token_url, None)
    assert _retry.is_repeatable("DELETE", "https://insight.test/api/jobs/1")
    assert not _retry.is_repeatable("POST", "https://insight.test/api/folders", token_url, None)
    assert _retry.is_repeatable("POST", token_url, token_url, None)
    assert _retry.is_repeatable("POST", "https://iam.test/token", token_url, "https://iam.test/token")


def test_a_write_is_uncertain_after_an_overload_a_server_error_or_a_lost_answer():
    assert _retry.is_uncertain(InsightHTTPError("POST", "/api/folders", 500))
    assert _retry.is_uncertain(InsightHTTPError("POST", "/api/folders", 429))
    assert not _retry.is_uncertain(InsightHTTPError("POST", "/api/folders", 422))
    assert not _retry.is_uncertain(InsightTransportError("TLS error", "POST", "/api/folders"))
    assert _retry.is_uncertain(_retry.uncertain(InsightTransportError("cut", "POST", "/api/folders")))
    assert not _retry.is_uncertain(InsightConfigError("url: missing"))


def test_the_message_tail_names_the_retries_made():
    assert _retry.after_retries(0) == ""
    assert _retry.after_retries(1) == ", after 1 retry"
    assert _retry.after_retries(3) == ", after 3 retries"
