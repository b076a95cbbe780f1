# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""When a call may go out again, and how long to wait first: the retry rules of the client, in one place."""

from __future__ import annotations

import email.utils
import re
import time
from typing import Optional

from ._errors import InsightError, InsightHTTPError, InsightTransportError

# Overload and gateway answers are worth repeating; 500 is not (the server may have acted and failed after).
RETRY_STATUSES = frozenset((429, 502, 503, 504))
# Statuses after which a POST's outcome is unknown: the caller re-reads the server before sending it again.
UNCERTAIN_STATUSES = frozenset((429, 500, 502, 503, 504))
REPEATABLE_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"))
BACKOFF_FACTOR = 0.25
BACKOFF_MAX = 10.0
# A server cannot make a run wait longer than this between two attempts, whatever its Retry-After says.
RETRY_AFTER_MAX = 60.0

# RFC 9110 gives whole seconds; a fraction is accepted too, as the collection always has.
_DELTA_RE = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*$")


def is_repeatable(method: str, url: str, *token_urls: Optional[str]) -> bool:
    """Whether a call may be sent again after its answer was lost: its method changes nothing twice, or it asks one
    of `token_urls` for a token (which changes nothing on the server)."""
    return method in REPEATABLE_METHODS or any(prefix and url.startswith(prefix) for prefix in token_urls)


def is_uncertain(exc: InsightError) -> bool:
    """True when a write may or may not have been applied by the server."""
    if isinstance(exc, InsightHTTPError):
        return exc.status in UNCERTAIN_STATUSES
    return exc.retryable


def uncertain(exc: InsightTransportError) -> InsightTransportError:
    """Mark an error after which the server may or may not have acted (an answer that never came whole)."""
    exc.retryable = True
    return exc


def retry_after_seconds(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """The wait a Retry-After header asks for, in delta-seconds or as an HTTP-date; None when it is absent or
    unreadable. A date in the past asks for no wait."""
    if not value:
        return None
    delta = _DELTA_RE.match(value)
    if delta:
        return float(delta.group(1))
    parsed = email.utils.parsedate_tz(value.strip())
    if parsed is None:
        return None
    # An HTTP-date is always GMT; a date without a zone is read as GMT too, never as the controller's local time.
    moment = email.utils.mktime_tz(parsed[:9] + (parsed[9] or 0,))
    return max(moment - (time.time() if now is None else now), 0.0)


def backoff_delay(attempt: int, retry_after: Optional[str] = None) -> float:
    """Seconds to wait before attempt `attempt` + 1 (from 0): the server's Retry-After when it gave a readable one,
    capped at RETRY_AFTER_MAX, else exponential backoff capped at BACKOFF_MAX."""
    asked = retry_after_seconds(retry_after)
    if asked is not None:
        return min(asked, RETRY_AFTER_MAX)
    return float(min(BACKOFF_FACTOR * (2.0 ** attempt), BACKOFF_MAX))


def after_retries(retries: int) -> str:
    """The tail of a message about a call that failed after `retries` repeats."""
    return ", after %d %s" % (retries, "retry" if retries == 1 else "retries") if retries else ""
