# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client of the collection: a keep-alive requests Session that knows Insight's auth, media types,
retries, paging and error envelope. Modules and plugins wrap it; they never talk HTTP themselves."""

from __future__ import annotations

import collections
import contextlib
import itertools
import json
import re
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Iterator, Mapping, NamedTuple, Optional, Set, Tuple
from urllib.parse import quote

from ._args import plain_http_warnings, validate_connection
from ._auth import IamToken, KeyPairToken, StaticToken, TokenSource
from ._deadline import Watch, watch_pools, watching
from ._errors import InsightError, InsightHTTPError, InsightTransportError, ListingUnsettled, NotAFile, snippet
from ._media import ACCEPT, JSON, NAMES, describe_not_a_file, is_kind
from ._scrub import scrub

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3 import disable_warnings
    from urllib3.exceptions import InsecureRequestWarning
    from urllib3.exceptions import DecodeError, InvalidHeader, ProtocolError, ReadTimeoutError
    from urllib3.util.retry import Retry
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR: Optional[str] = traceback.format_exc()
    ReadTimeoutError = ProtocolError = DecodeError = InvalidHeader = TimeoutError  # type: ignore[assignment,misc]
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

# Overload and gateway answers are worth repeating; 500 is not (the server may have acted and failed after).
RETRY_STATUSES = frozenset((429, 502, 503, 504))
# Statuses after which a POST's outcome is unknown: the caller re-reads the server before sending it again.
UNCERTAIN_STATUSES = frozenset((429, 500, 502, 503, 504))
REPEATABLE_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"))
BACKOFF_FACTOR = 0.25
BACKOFF_MAX = 10.0
RETRY_AFTER_MAX = 60.0
DEFAULT_PAGE_SIZE = 500
MAX_PAGES = 100000
CHUNK = 65536
# Size caps, so that no server can make a run hold unbounded memory. The largest Insight answers are pages of
# 500 items of a few KB each (well under 8 MB); 64 MB leaves room for large objects while a broken server
# stops long before a controller runs out of memory.
MAX_JSON_BYTES = 64 * 1024 * 1024
# An error body only feeds a one-line message.
MAX_ERROR_BYTES = 1024 * 1024
# Message files are streamed to disk, never held; the cap only stops a server that never ends the body.
MAX_FILE_BYTES = 16 * 1024 * 1024 * 1024
# One listing: 200,000 items is far beyond any real app's folders or live jobs (and as host count, beyond what an
# inventory can sensibly present), and at a few KB per item stays below 256 MB of pages read in total.
MAX_LISTING_ITEMS = 200000
MAX_LISTING_BYTES = 256 * 1024 * 1024
DEFAULT_POOL = 10


def expand(template: str, parts: Tuple[Any, ...]) -> str:
    """Fill `{}` placeholders with URL-quoted parts, so a name or id can never change the route."""
    return template.format(*[quote(str(part), safe="") for part in parts])


_OBJECT_REPR_RE = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>:?\s*")
_CONNECTION_REPR_RE = re.compile(r"\w+\(host='[^']*', port=\d+\):\s*")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """An exception of requests/urllib3 and the reasons it wraps, outermost first (a few levels at most)."""
    reason: BaseException = exc
    for _depth in range(6):
        yield reason
        inner = getattr(reason, "reason", None)
        if inner is None and reason.args and isinstance(reason.args[0], BaseException):
            inner = reason.args[0]
        if inner is None and len(reason.args) == 2 and isinstance(reason.args[1], BaseException):
            inner = reason.args[1]  # ('Connection broken: ...', IncompleteRead(...)): the exception says it best
        if not isinstance(inner, BaseException):
            return
        reason = inner


def _reason(exc: BaseException) -> str:
    """The innermost readable reason of a requests/urllib3 exception, on one line."""
    reason = list(_chain(exc))[-1]
    text = _OBJECT_REPR_RE.sub("", str(reason))
    text = _CONNECTION_REPR_RE.sub("", text)
    text = re.sub(r"\(Caused by \w+\((.*)\)\)$", r"\1", text)
    # Scrubbed before it is cut short: a secret cut at the end of the excerpt would no longer match.
    return snippet(scrub(text)) or type(reason).__name__


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
        self.request_count = 0
        self._count_lock = threading.Lock()
        self._local = threading.local()  # the body size of this thread's last call, for the listing byte cap
        self.session = requests.Session()
        # The bearer token is set on each call. A session-wide auth, even one that adds nothing, stops requests from
        # putting ~/.netrc credentials in its place.
        self.session.auth = lambda prepared: prepared
        # The environment (HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE...) still applies, but is read once per origin
        # by _environment instead of by requests on every call, which costs more than the rest of a small call.
        self.session.trust_env = False
        self._environments: Dict[str, Dict[str, Any]] = {}
        for warning in plain_http_warnings(self.options):
            self._warn(warning)
        # urllib3 makes one attempt only: every repeat is decided in _send, so that one budget covers them all.
        adapter = _WatchedAdapter(pool_connections=2, pool_maxsize=max(pool_size, 1), max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._configure_tls()
        self.auth = self._token_source()

    def _configure_tls(self) -> None:
        # Merged with REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE per origin by _environment, then passed on every call.
        self._verify: Any = True
        if self.options["ca_path"]:
            self._verify = self.options["ca_path"]
        elif not self.options["validate_certs"]:
            self._verify = False
            disable_warnings(InsecureRequestWarning)
            if self.base_url.lower().startswith("https:"):
                self._warn("validate_certs is false: the server's TLS certificate is not verified")

    def _environment(self, url: str) -> Dict[str, Any]:
        """The proxies and certificate check requests would take from the environment for this URL's origin."""
        origin = _origin(url)
        found = self._environments.get(origin)
        if found is None:
            with requests.Session() as reader:  # trust_env on, as a plain requests call has it
                merged = reader.merge_environment_settings(url, {}, True, self._verify, None)
            found = {"proxies": merged["proxies"], "verify": merged["verify"]}
            self._environments[origin] = found
        return found

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
        sink = _Buffer(self.max_json_bytes)
        attempts = self._send(method, url, path, params, data, headers, sink, use_auth,
                              self.retries if retries is None else retries)
        self._local.size = sink.size
        try:
            body = self._decode(sink, method, path, kind)
        except InsightError as exc:
            exc.attempts = attempts  # type: ignore[attr-defined]
            raise
        return Answer(body, sink.status, attempts > 1)

    def _exchange(self, method: str, url: str, body: Any, kind: str, use_auth: bool) -> Any:
        return self.request(method, url, json_body=body, kind=kind, use_auth=use_auth)

    def _is_repeatable(self, method: str, url: str) -> bool:
        # Asking for a token changes nothing on the server, so its POST may be repeated like a GET.
        token_urls = (self.base_url + "/api/authentication/token", self.options["auth_url"])
        return method in REPEATABLE_METHODS or any(prefix and url.startswith(prefix) for prefix in token_urls)

    def _send(self, method: str, url: str, path: str, params: Optional[Mapping[str, Any]], data: Optional[str],
              headers: Dict[str, str], sink: "_Sink", use_auth: bool, retries: int) -> int:
        """Run the attempts of one call until one answers for good; fills `sink`, returns the attempts made."""
        repeatable = self._is_repeatable(method, url)
        replayed = False
        attempt = 0
        while True:
            attempt += 1
            more = attempt <= retries
            token = None
            if use_auth:
                token = self.auth.token(self._exchange)
                headers["Authorization"] = "Bearer " + token
            with self._count_lock:
                self.request_count += 1
            sink.reset()
            try:
                self._attempt(method, url, path, params, data, headers, sink)
            except _Broken as broken:
                # Nothing was sent when the connection was refused; after that only repeatable calls go again,
                # and never once a streamed file has begun to be written.
                if more and (broken.unsent or (repeatable and sink.repeatable)):
                    time.sleep(backoff_delay(attempt - 1))
                    continue
                error = _retryable(InsightTransportError(broken.message % _after(attempt - 1), method, path))
                error.timed_out = broken.timed_out
                error.attempts = attempt  # type: ignore[attr-defined]
                raise error from None
            status = sink.status
            if status in RETRY_STATUSES and repeatable and more:
                time.sleep(_retry_after(sink.headers.get("Retry-After"), attempt - 1))
                continue
            # A rejected token is forgotten even when no attempt is left, so the next call fetches a new one
            # instead of reusing a token the server has refused (a long-running event source with retries: 0).
            if status == 401 and token is not None and not replayed and self.auth.invalidate(token) and more:
                replayed = True
                continue
            return attempt

    def _attempt(self, method: str, url: str, path: str, params: Optional[Mapping[str, Any]], data: Optional[str],
                 headers: Dict[str, str], sink: "_Sink") -> None:
        """One attempt, all of it (connect, send, headers, the whole body) within `timeout` seconds; raises _Broken.

        The timeout given to requests bounds each read; the watch bounds their sum (see _deadline.py): at the
        deadline its watchdog shuts the socket, so a read blocked in the headers returns, and the attempt ends."""
        with watching(self.timeout) as watch:
            self._watched_attempt(method, url, path, params, data, headers, sink, watch)

    def _watched_attempt(self, method: str, url: str, path: str, params: Optional[Mapping[str, Any]],
                         data: Optional[str], headers: Dict[str, str], sink: "_Sink", watch: Watch) -> None:
        deadline = watch.due
        environment = self._environment(url)
        late = "no answer within the %gs timeout%%s" % self.timeout
        try:
            response = self.session.request(method, url, params=_query(params), data=data, headers=headers,
                                            timeout=(self.timeout, self.timeout), allow_redirects=False,
                                            verify=environment["verify"], proxies=environment["proxies"], stream=True)
        except requests.exceptions.SSLError as exc:
            if watch.expired:
                raise _Broken(late, timed_out=True) from None
            raise InsightTransportError(
                "TLS error talking to %s: %s; set ca_path to the CA that signed the server's certificate"
                % (_origin(url), _reason(exc)), method, path) from None
        except requests.exceptions.RequestException as exc:
            connect = isinstance(exc, requests.exceptions.ConnectTimeout)
            # Whatever the socket said once the watchdog shut it, the attempt ran out of time; a POST may have
            # reached the server, so it counts as sent (post_or_recover never sends it again).
            if watch.expired or isinstance(exc, requests.exceptions.Timeout) or _timed_out(exc):
                raise _Broken(late, unsent=connect, timed_out=not connect) from None
            if _in_chain(exc, ProtocolError):
                # Connected, sent, then the connection closed: not unreachable, but no answer either.
                raise _Broken("the connection closed before the answer%%s: %s" % _escape(_reason(exc))) from None
            raise _Broken("cannot reach %s%%s: %s" % (_origin(url), _escape(_reason(exc))), unsent=True) from None
        whole = "the whole answer did not arrive within the %gs timeout%%s" % self.timeout
        with response:
            # Headers cut short by the watchdog read like headers that ended: their answer is not trusted.
            if watch.expired:
                raise _Broken(late, timed_out=True)
            sink.start(response)
            raw = response.raw
            while not sink.full:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _Broken(whole, timed_out=True)
                _bound_socket(raw, remaining)
                try:
                    chunk = raw.read1(CHUNK, decode_content=True)
                except (ReadTimeoutError, TimeoutError):
                    raise _Broken(whole, timed_out=True) from None
                except (ProtocolError, DecodeError, OSError) as exc:
                    if watch.expired:
                        raise _Broken(whole, timed_out=True) from None
                    raise _Broken("the connection broke in the middle of the answer%%s: %s"
                                  % _escape(_reason(exc))) from None
                if not chunk:
                    if watch.expired:
                        raise _Broken(whole, timed_out=True)  # the end of a socket the watchdog shut
                    break
                sink.write(chunk, method, path)

    @staticmethod
    def _decode(sink: "_Sink", method: str, path: str, kind: str) -> Any:
        status = sink.status
        content_type = sink.headers.get("Content-Type", "")
        body = sink.body
        if not 200 <= status < 300:
            envelope = None
            if is_kind(content_type, "json"):
                try:
                    envelope = json.loads(body)
                except ValueError:
                    envelope = None
            if not isinstance(envelope, dict) or not isinstance(envelope.get("error"), dict):
                envelope = None
            # A body that quotes the request is scrubbed whole, before the excerpt cuts a secret in two.
            error = InsightHTTPError(method, path, status, sink.reason, envelope,
                                     snippet(scrub(body.decode("utf-8", "replace"))), content_type)
            error.retry_after = sink.headers.get("Retry-After")
            raise error
        if isinstance(sink, _FileSink):
            return sink.size
        if status == 204 or not body:
            return None
        want = "json" if kind == "plain-json" else kind
        if not is_kind(content_type, want):
            raise InsightTransportError("%d answered %s instead of %s: %s" % (
                status, content_type or "no content type", NAMES[want], snippet(scrub(body.decode("utf-8", "replace")))),
                method, path)
        if want == "binary":
            return bytes(body)
        text = body.decode("utf-8", "replace")
        if want == "text":
            return text
        try:
            return json.loads(text)
        except ValueError:
            raise InsightTransportError("%d answered invalid JSON: %s" % (status, snippet(scrub(text))), method, path) from None

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
                left -= getattr(exc, "attempts", 1)
                if left <= 0 or not is_uncertain(exc):
                    raise
                time.sleep(backoff_delay(attempt, exc))
                attempt += 1
                found = recover()
                if found is not None:
                    return found, False
                if getattr(exc, "timed_out", False):
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
        route = expand(template, parts) if parts else template
        seen = set()
        taken = {"items": 0, "bytes": 0}

        def fetch(number: int, size: int) -> Tuple[Dict[str, Any], int]:
            body = self.get(template, *parts, params=dict(base, page=number, size=size))
            return check_page(body, route), self._local.size

        def fresh(number: int, fetched: Tuple[Dict[str, Any], int], serial: bool = True) -> Iterator[Dict[str, Any]]:
            page, size = fetched
            taken["bytes"] += size
            if taken["bytes"] > max_bytes:
                raise InsightTransportError("the listing is larger than %d bytes; stopped" % max_bytes, "GET", route)
            if on_page is not None:
                on_page(page)
            # Listings can shift while we page through them; never hand out the same item twice.
            items = []
            for item in page["content"]:
                key = item.get("id")
                if key is not None:
                    if key in seen:
                        continue
                    seen.add(key)
                items.append(item)
            # Read in order, a page of only known items means the server is not advancing (on a shifting list
            # that takes a page's worth of new jobs between two reads). Pages read in parallel can legitimately
            # repeat items that moved, and their number is fixed by the first page, so they cannot loop.
            if serial and number > 0 and page["content"] and not items:
                raise InsightTransportError("page %d brought no new item; the listing does not advance, stopped"
                                            % number, "GET", route)
            taken["items"] += len(items)
            if taken["items"] > max_items:
                raise InsightTransportError("the listing has more than %d items; stopped" % max_items, "GET", route)
            yield from items

        first = fetch(0, page_size)
        yield from fresh(0, first)
        page0 = first[0]
        if _is_last(page0, 0):
            return
        total = _int_or_none(page0.get("totalElements"))
        if total is not None and total > max_items:
            raise InsightTransportError("the listing has %d items, more than %d; stopped" % (total, max_items),
                                        "GET", route)
        served = _int_or_none(page0.get("size"))
        # A page size larger than asked is ignored: a server cannot make us hold more per answer than we chose.
        size = min(served, page_size) if served is not None and served > 0 else max(min(len(page0["content"]), page_size), 1)
        total_pages = _int_or_none(page0.get("totalPages"))
        # In parallel only when the announced pages fit the item cap; otherwise the serial loop meets the caps.
        if concurrent > 1 and total_pages is not None and 1 < total_pages <= MAX_PAGES and (total_pages - 1) * size <= max_items:
            numbers = range(1, total_pages)
            totals: Set[Optional[int]] = {total}
            with ThreadPoolExecutor(max_workers=min(concurrent, len(numbers))) as pool:
                # At most `concurrent` pages in flight or waiting to be read: the pages of a long listing are never
                # all held at once, whatever the pace of the caller.
                later = iter(numbers)
                ahead = collections.deque((n, pool.submit(fetch, n, size)) for n in itertools.islice(later, concurrent))
                while ahead:
                    number, future = ahead.popleft()
                    fetched = future.result()
                    following = next(later, None)
                    if following is not None:
                        ahead.append((following, pool.submit(fetch, following, size)))
                    totals.add(_int_or_none(fetched[0].get("totalElements")))
                    yield from fresh(number, fetched, serial=False)
            if not follow_shifts or len(totals) == 1:
                return
            # The list changed while the pages were read at once: a serial pass that follows the shifts settles it.
            yield from _follow(fetch, fresh, 0, size, None, route, check_new=False)
            return
        if follow_shifts:
            yield from _follow(fetch, fresh, 1, size, total, route)
            return
        for number in range(1, MAX_PAGES):
            fetched = fetch(number, size)
            if not fetched[0]["content"]:
                if on_page is not None:
                    on_page(fetched[0])
                return
            yield from fresh(number, fetched)
            if _is_last(fetched[0], number):
                return
        raise InsightTransportError("more than %d pages; stopped" % MAX_PAGES, "GET", route)

    def get_item(self, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """GET one object (a job, a folder), its shape checked like the items of a listing."""
        route = expand(template, parts) if parts else template
        return check_item(self.get(template, *parts, params=params), route)

    def download_to(self, fileobj: Any, template: str, *parts: Any, max_bytes: Optional[int] = None) -> int:
        """Stream a binary answer into `fileobj` chunk by chunk, never whole in memory; returns the byte count.

        Same attempts, deadline and budget as every call, except that once the first byte has been written the
        call is not repeated (what was written cannot be taken back)."""
        path = expand(template, parts) if parts else template
        sink = _FileSink(fileobj, max_bytes)
        self._send("GET", self.base_url + path, path, None, None, {"Accept": ACCEPT["binary"]}, sink, True,
                   self.retries)
        return int(self._decode(sink, "GET", path, "binary") or 0)


def _follow(fetch: Callable[[int, int], Tuple[Dict[str, Any], int]],
            fresh: Callable[..., Iterator[Dict[str, Any]]], start: int, size: int,
            last_total: Optional[int], route: str, check_new: bool = True) -> Iterator[Dict[str, Any]]:
    """Read pages `start`, `start`+1, ... in order; after a drop of the total, read again the pages below that
    the moved items can now be on (see `paged`). Re-reads are bounded by the pages read plus a few."""
    rereads = 0
    number = start
    while number < MAX_PAGES:
        fetched = fetch(number, size)
        page = fetched[0]
        total = _int_or_none(page.get("totalElements"))
        # How many items may have moved below this page since the previous read.
        pending = last_total - total if total is not None and last_total is not None and total < last_total else 0
        if page["content"]:
            # Right after a drop, a page of only known items is expected: they were read on the page before.
            # A pass that checks pages already read at once brings mostly known items by design.
            yield from fresh(number, fetched, serial=check_new and not pending)
        if total is not None:
            last_total = total
        back = number
        while pending > 0 and back > 0:
            back -= 1
            rereads += 1
            if rereads > number + 4:
                raise ListingUnsettled("the listing kept changing while it was read (items left it faster than "
                                       "%d extra page reads could follow)" % (rereads - 1), "GET", route)
            again = fetch(back, size)
            yield from fresh(back, again, serial=False)
            again_total = _int_or_none(again[0].get("totalElements"))
            if again_total is not None and last_total is not None and again_total < last_total:
                pending += last_total - again_total  # more left while we stepped back: step further
                last_total = again_total
            pending -= size
        if not page["content"] or _is_last(page, number):
            return
        number += 1
    raise InsightTransportError("more than %d pages; stopped" % MAX_PAGES, "GET", route)


def check_page(page: Any, route: str) -> Dict[str, Any]:
    """A page must be an object whose `content` is a list of well-formed items."""
    if not isinstance(page, dict) or not isinstance(page.get("content"), list):
        raise _unexpected("not a page object with a content list", route)
    for item in page["content"]:
        check_item(item, route)
    return page


def check_item(item: Any, route: str, method: str = "GET") -> Dict[str, Any]:
    """An item (job, folder, app, user) must be an object; its `id` and `status`, when present, strings."""
    if not isinstance(item, dict):
        raise _unexpected("an item is %s, not an object" % _type_name(item), route, method)
    for field in ("id", "status"):
        if field in item and not isinstance(item[field], str):
            raise _unexpected("%s is %s, not a string" % (field, _type_name(item[field])), route, method)
    return item


def _unexpected(what: str, route: str, method: str = "GET") -> InsightTransportError:
    return InsightTransportError("unexpected answer from the server: %s (%s %s)" % (what, method, route.split("?")[0]),
                                 method, route)


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _int_or_none(value: Any) -> Optional[int]:
    """A count from the server's page object, or None when it sent none (or something that is not an integer)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


if HAS_REQUESTS:
    class _WatchedAdapter(HTTPAdapter):
        """An adapter whose pools attach each connection to the attempt's watch, direct or through a proxy."""

        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            watch_pools(self.poolmanager)

        def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
            known = proxy in self.proxy_manager
            manager = super().proxy_manager_for(proxy, **proxy_kwargs)
            if not known:
                watch_pools(manager)
            return manager


class _Broken(Exception):
    """An attempt that got no full answer. `message` holds one %s for the attempts made; `unsent` says the call
    never reached the server (safe to repeat whatever its method)."""

    def __init__(self, message: str, unsent: bool = False, timed_out: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.unsent = unsent
        self.timed_out = timed_out


class _Sink:
    """Where an attempt's answer goes: the status and headers, and the body up to a size cap."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.reset()

    def reset(self) -> None:
        self.status = 0
        self.reason = ""
        self.headers: Mapping[str, str] = {}
        self.body = bytearray()
        self.size = 0
        self.full = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def repeatable(self) -> bool:
        return True

    def start(self, response: Any) -> None:
        self.status = response.status_code
        self.reason = response.reason or ""
        self.headers = response.headers
        length = response.headers.get("Content-Length", "")
        if self.ok and length.isdigit() and int(length) > self.limit:
            raise InsightTransportError("the answer is %s bytes, more than the %d allowed; stopped"
                                        % (length, self.limit), response.request.method, _path_of(response.url))

    def write(self, chunk: bytes, method: str, path: str) -> None:
        self.size += len(chunk)
        if not self.ok:
            # An error body only feeds a one-line message: keep its start, drop the rest.
            self.body += chunk[:max(MAX_ERROR_BYTES - len(self.body), 0)]
            self.full = len(self.body) >= MAX_ERROR_BYTES
            return
        if self.size > self.limit:
            raise InsightTransportError("the answer is larger than the %d bytes allowed; stopped" % self.limit,
                                        method, path)
        self.keep(chunk)

    def keep(self, chunk: bytes) -> None:
        self.body += chunk


class _Buffer(_Sink):
    """The answer kept in memory, for JSON and text (capped at MAX_JSON_BYTES)."""


class _FileSink(_Sink):
    """A successful answer streamed into a file object; error bodies are kept in memory for the message."""

    def __init__(self, fileobj: Any, max_bytes: Optional[int]) -> None:
        self.fileobj = fileobj
        self.written = 0
        super().__init__(MAX_FILE_BYTES if max_bytes is None else max_bytes)

    @property
    def repeatable(self) -> bool:
        return self.written == 0

    def start(self, response: Any) -> None:
        # A gateway's sign-in page also comes with 200: judged by its headers, before a byte reaches the file (and
        # before its size is, so that a large page is still named for what it is).
        status, content_type = response.status_code, response.headers.get("Content-Type", "")
        if 200 <= status < 300 and not is_kind(content_type, "binary"):
            raise NotAFile("the server answered %d with %s, not a file" % (status, describe_not_a_file(content_type)),
                           response.request.method, _path_of(response.url), status, content_type)
        super().start(response)

    def keep(self, chunk: bytes) -> None:
        self.fileobj.write(chunk)
        self.written += len(chunk)


def _bound_socket(raw: Any, remaining: float) -> None:
    """Let no single read outlast the attempt's deadline (the timeout given to requests applies to each read)."""
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.settimeout(max(remaining, 0.01))


def _retry_after(value: Optional[str], attempt: int) -> float:
    if value:
        try:
            return float(min(max(Retry(0).parse_retry_after(value), 0.0), RETRY_AFTER_MAX))
        except (ValueError, InvalidHeader):
            pass
    return float(min(BACKOFF_FACTOR * (2.0 ** attempt), BACKOFF_MAX))


def _escape(text: str) -> str:
    return text.replace("%", "%%")


def _path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url or "")


def _is_last(page: Dict[str, Any], number: int) -> bool:
    if not page["content"]:
        return True
    if isinstance(page.get("last"), bool):
        return bool(page["last"])
    total = page.get("totalPages")
    return not isinstance(total, int) or number + 1 >= total


def _query(params: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    if not params:
        return None
    out = {}
    for key, value in params.items():
        if value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else value
    return out


def _origin(url: str) -> str:
    match = re.match(r"^(https?://[^/]+)", url)
    return match.group(1) if match else url


def _in_chain(exc: BaseException, kinds: Any) -> bool:
    """Whether an exception of `kinds` lies anywhere in the chain of reasons of a requests/urllib3 exception."""
    return any(isinstance(reason, kinds) for reason in _chain(exc))


def _timed_out(exc: BaseException) -> bool:
    # Not urllib3's TimeoutError: its NewConnectionError (connection refused) is one too.
    return _in_chain(exc, (TimeoutError, ReadTimeoutError))


def _after(retries: int) -> str:
    return ", after %d %s" % (retries, "retry" if retries == 1 else "retries") if retries else ""


def _retryable(exc: InsightTransportError) -> InsightTransportError:
    exc.retryable = True
    return exc


def is_uncertain(exc: InsightError) -> bool:
    """True when a write may or may not have been applied by the server."""
    if isinstance(exc, InsightHTTPError):
        return exc.status in UNCERTAIN_STATUSES
    return bool(getattr(exc, "retryable", False))


def backoff_delay(attempt: int, exc: Optional[InsightError] = None) -> float:
    """Exponential backoff with a cap, or the server's Retry-After when it gave one."""
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:
        try:
            return float(min(max(float(retry_after), 0.0), RETRY_AFTER_MAX))
        except ValueError:
            pass
    return float(min(BACKOFF_FACTOR * (2.0 ** attempt), BACKOFF_MAX))
