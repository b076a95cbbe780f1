# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client of the collection: Insight's auth, media types and error envelope over the transport of
_transport.py, the retry rules of _retry.py and the paging of _paging.py. Modules and plugins wrap it; they never
talk HTTP themselves."""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Callable, Dict, Iterator, Mapping, NamedTuple, Optional, Tuple
from urllib.parse import quote

from ._args import plain_http_warnings, validate_connection
from ._auth import IamToken, KeyPairToken, StaticToken, TokenSource
from ._errors import InsightError, InsightHTTPError, InsightTransportError, NotAFile
from ._media import ACCEPT, JSON
from ._paging import DEFAULT_PAGE_SIZE, MAX_LISTING_BYTES, MAX_LISTING_ITEMS, MAX_PAGES, check_item, check_page, paged
from ._retry import (BACKOFF_FACTOR, BACKOFF_MAX, REPEATABLE_METHODS, RETRY_AFTER_MAX, RETRY_STATUSES, UNCERTAIN_STATUSES,
                     backoff_delay, is_repeatable, is_uncertain)
from ._sinks import MAX_ERROR_BYTES, MAX_FILE_BYTES, MAX_JSON_BYTES, Buffer, FileSink, Sink, decode
from ._transport import CHUNK, DEFAULT_POOL, HAS_REQUESTS, REQUESTS_IMPORT_ERROR, Transport, tls_verify

# Every name other files import from here, wherever it is defined now.
__all__ = [
    "BACKOFF_FACTOR", "BACKOFF_MAX", "CHUNK", "DEFAULT_PAGE_SIZE", "DEFAULT_POOL", "HAS_REQUESTS", "MAX_ERROR_BYTES",
    "MAX_FILE_BYTES", "MAX_JSON_BYTES", "MAX_LISTING_BYTES", "MAX_LISTING_ITEMS", "MAX_PAGES", "REPEATABLE_METHODS",
    "REQUESTS_IMPORT_ERROR", "RETRY_AFTER_MAX", "RETRY_STATUSES", "UNCERTAIN_STATUSES", "Answer", "InsightClient",
    "InsightError", "InsightHTTPError", "InsightTransportError", "NotAFile", "backoff_delay", "check_item",
    "check_page", "expand", "is_uncertain",
]


def expand(template: str, parts: Tuple[Any, ...]) -> str:
    """Fill `{}` placeholders with URL-quoted parts, so a name or id can never change the route."""
    return template.format(*[quote(str(part), safe="") for part in parts])


class Answer(NamedTuple):
    """A decoded answer; `repeated` says the call went out more than once, so an earlier attempt may have acted."""

    body: Any
    status: int
    repeated: bool


class InsightClient:
    """A connection to one Insight server. Thread-safe: bulk operations share it across a bounded pool."""

    def __init__(self, options: Mapping[str, Any], warn: Optional[Callable[[str], None]] = None,
                 pool_size: int = DEFAULT_POOL) -> None:
        if not HAS_REQUESTS:
            raise InsightError("the Python library requests is required (pip install requests)")
        self.options = validate_connection(options)
        self.base_url: str = self.options["url"]
        self.timeout: float = self.options["timeout"]
        self.retries: int = self.options["retries"]
        self._warn = warn or (lambda message: None)
        self.max_json_bytes = MAX_JSON_BYTES  # per answer held in memory; an attribute so tests can lower it
        self._local = threading.local()  # the body size of this thread's last call, for the listing byte cap
        for warning in plain_http_warnings(self.options):
            self._warn(warning)
        self.transport = Transport(self.timeout, tls_verify(self.options, self._warn), pool_size)
        self.auth = self._token_source()

    @property
    def request_count(self) -> int:
        """Attempts sent so far, every retry and token call included."""
        return self.transport.request_count

    def _token_source(self) -> TokenSource:
        opts = self.options
        if opts["token"]:
            return StaticToken(opts["token"])
        if opts["auth_url"]:
            return IamToken(opts["auth_url"], opts["client_id"], opts["secret"])
        return KeyPairToken(opts["client_id"], opts["secret"], opts["token_lifetime"])

    # -- HTTP verbs ---------------------------------------------------------------------------------------------

    def get(self, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None, kind: str = "json") -> Any:
        return self.request("GET", template, *parts, params=params, kind=kind)

    def post(self, template: str, *parts: Any, json_body: Any = None, params: Optional[Mapping[str, Any]] = None) -> Any:
        return self.request("POST", template, *parts, params=params, json_body=json_body)

    def patch(self, template: str, *parts: Any, json_body: Any = None, params: Optional[Mapping[str, Any]] = None) -> Any:
        return self.request("PATCH", template, *parts, params=params, json_body=json_body)

    def delete(self, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None) -> Any:
        return self.request("DELETE", template, *parts, params=params)

    def download(self, template: str, *parts: Any) -> bytes:
        return bytes(self.request("GET", template, *parts, kind="binary") or b"")

    def request(self, method: str, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None,
                json_body: Any = None, kind: str = "json", use_auth: bool = True) -> Any:
        """Send one call and return the decoded body, or raise InsightError (see `call`)."""
        return self.call(method, template, *parts, params=params, json_body=json_body, kind=kind, use_auth=use_auth).body

    def call(self, method: str, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None,
             json_body: Any = None, kind: str = "json", use_auth: bool = True,
             retries: Optional[int] = None) -> "Answer":
        """Send one call and return its Answer, or raise InsightError.

        One budget per call: at most `retries` + 1 attempts in all, whatever made them (a refused connection, an
        overload answer, a body cut short, a read beyond the timeout, a 401 that renewed the token). A second 401 is
        final: the key pair or token is not accepted, and asking again would not change that.
        """
        path = expand(template, parts) if parts else template
        url = path if path.startswith(("http://", "https://")) else self.base_url + path
        headers = {"Accept": ACCEPT["json" if kind == "plain-json" else kind]}
        data = None
        if json_body is not None:
            headers["Content-Type"] = "application/json" if kind == "plain-json" else JSON
            data = json.dumps(json_body)
        if kind == "plain-json":
            headers["Accept"] = "application/json"
        sink = Buffer(self.max_json_bytes)
        attempts = self._send(method, url, path, params, data, headers, sink, use_auth,
                              self.retries if retries is None else retries)
        self._local.size = sink.size
        try:
            body = decode(sink, method, path, kind)
        except InsightError as exc:
            exc.attempts = attempts
            raise
        return Answer(body, sink.status, attempts > 1)

    def _exchange(self, method: str, url: str, body: Any, kind: str, use_auth: bool) -> Any:
        return self.request(method, url, json_body=body, kind=kind, use_auth=use_auth)

    def _send(self, method: str, url: str, path: str, params: Optional[Mapping[str, Any]], data: Optional[str],
              headers: Dict[str, str], sink: Sink, use_auth: bool, retries: int) -> int:
        # Asking for a token changes nothing on the server, so its POST may be repeated like a GET.
        repeatable = is_repeatable(method, url, self.base_url + "/api/authentication/token", self.options["auth_url"])
        token = (lambda: self.auth.token(self._exchange)) if use_auth else None
        return self.transport.send(method, url, path, params, data, headers, sink, retries, repeatable,
                                   token, self.auth.invalidate)

    # -- writes whose answer may be lost ------------------------------------------------------------------------

    def post_or_recover(self, template: str, *parts: Any, json_body: Any,
                        recover: Callable[[], Optional[Any]]) -> Tuple[Any, bool]:
        """POST once; when its outcome is unknown (lost answer, overload, server error) ask `recover` whether the
        server acted before sending it again. Returns (object, True) when this POST made it, (found, False) when
        `recover` found it. A POST is never repeated blindly: that is how duplicates are made."""
        # The POST itself is only repeated where that is safe (nothing was sent, or a 401 renewed the token); the
        # attempts it used count against the same budget as the ones made here.
        left = self.retries + 1
        attempt = 0
        while True:
            try:
                return self.call("POST", template, *parts, json_body=json_body, retries=left - 1).body, True
            except InsightError as exc:
                left -= exc.attempts
                if left <= 0 or not is_uncertain(exc):
                    raise
                # The same wait as before any other retry: the server's Retry-After (seconds or a date), or backoff.
                time.sleep(backoff_delay(attempt, exc.retry_after))
                attempt += 1
                found = recover()
                if found is not None:
                    return found, False
                if exc.timed_out:
                    # A stalled server may still carry the POST out after we stopped waiting, and sending it again
                    # would then make a second object. Stop: the next run reads the server again and converges.
                    raise InsightTransportError("%s; not sent again, because the server may still carry it out: run "
                                                "the task again" % exc.args[0], exc.method, exc.path) from None

    # -- paging -------------------------------------------------------------------------------------------------

    def paged(self, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None,
              page_size: int = DEFAULT_PAGE_SIZE, concurrent: int = 0,
              on_page: Optional[Callable[[Dict[str, Any]], None]] = None, max_items: int = MAX_LISTING_ITEMS,
              max_bytes: int = MAX_LISTING_BYTES, follow_shifts: bool = False) -> Iterator[Dict[str, Any]]:
        """Yield every item of a paged listing, following the page object the server returns.

        The server may make pages smaller than asked, never larger. A listing ends with an error when a page
        brings no item not seen before (a server repeating itself), or beyond `max_items` items or `max_bytes`
        bytes of pages. With `concurrent` > 1 the pages after the first are fetched in parallel once the total is
        known. `on_page` sees each raw page (its totals) before its items are yielded.

        With `follow_shifts`, items that leave the listing while it is read do not hide others: pages are numbered,
        so when `totalElements` drops by d between two reads, up to d later items moved onto pages already read.
        Those pages are read again (as many as d items can span), which finds the moved items; a parallel pass
        whose pages disagree on the total is checked by such a serial pass. Items added meanwhile only push others
        onto later pages (read anyway, duplicates dropped). A listing that keeps changing faster than this catches
        up (more re-reads than pages) raises ListingUnsettled."""
        base = dict(params or {})

        def get(number: int, size: int) -> Tuple[Any, int]:
            return self.get(template, *parts, params=dict(base, page=number, size=size)), self._local.size

        return paged(get, expand(template, parts) if parts else template, page_size, concurrent, on_page, max_items,
                     max_bytes, follow_shifts)

    def get_item(self, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """GET one object (a job, a folder), its shape checked like the items of a listing."""
        route = expand(template, parts) if parts else template
        return check_item(self.get(template, *parts, params=params), route)

    def download_to(self, fileobj: Any, template: str, *parts: Any, max_bytes: Optional[int] = None) -> int:
        """Stream a binary answer into `fileobj` chunk by chunk, never whole in memory; returns the byte count.

        Same attempts, deadline and budget as every call, except that once the first byte has been written the
        call is not repeated (what was written cannot be taken back)."""
        path = expand(template, parts) if parts else template
        sink = FileSink(fileobj, max_bytes)
        self._send("GET", self.base_url + path, path, None, None, {"Accept": ACCEPT["binary"]}, sink, True,
                   self.retries)
        return int(decode(sink, "GET", path, "binary") or 0)
