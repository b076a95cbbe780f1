# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client of the collection: a keep-alive requests Session that knows Insight's auth, media types,
retries, paging and error envelope. Modules and plugins wrap it; they never talk HTTP themselves."""

from __future__ import annotations

import json
import re
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Iterator, Mapping, NamedTuple, Optional, Tuple
from urllib.parse import quote

from ._args import plain_http_warnings, validate_connection
from ._auth import IamToken, KeyPairToken, StaticToken, TokenSource
from ._errors import InsightError, InsightHTTPError, InsightTransportError, snippet
from ._media import ACCEPT, JSON, NAMES, is_kind

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3 import disable_warnings
    from urllib3.exceptions import InsecureRequestWarning
    from urllib3.exceptions import ProtocolError, ReadTimeoutError
    from urllib3.util.retry import Retry
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR: Optional[str] = traceback.format_exc()
    Retry = object  # type: ignore[assignment,misc]  # keeps the subclass below importable without urllib3
    ReadTimeoutError = ProtocolError = TimeoutError  # type: ignore[assignment,misc]
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
DEFAULT_POOL = 10


class _CappedRetry(Retry):  # type: ignore[misc,valid-type]
    """urllib3's Retry, with Retry-After capped so a confused server cannot park a playbook for hours."""

    def get_retry_after(self, response: Any) -> Optional[float]:
        value = super().get_retry_after(response)
        return None if value is None else min(value, RETRY_AFTER_MAX)


def make_retry(retries: int, methods: frozenset) -> Any:
    return _CappedRetry(total=retries, connect=retries, read=retries, status=retries, other=0, redirect=0,
                        backoff_factor=BACKOFF_FACTOR, backoff_max=BACKOFF_MAX, status_forcelist=RETRY_STATUSES,
                        allowed_methods=methods, respect_retry_after_header=True, raise_on_status=False,
                        raise_on_redirect=False)


def expand(template: str, parts: Tuple[Any, ...]) -> str:
    """Fill `{}` placeholders with URL-quoted parts, so a name or id can never change the route."""
    return template.format(*[quote(str(part), safe="") for part in parts])


_OBJECT_REPR_RE = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>:?\s*")
_CONNECTION_REPR_RE = re.compile(r"\w+\(host='[^']*', port=\d+\):\s*")


def _reason(exc: BaseException) -> str:
    """The innermost readable reason of a requests/urllib3 exception, on one line."""
    reason: Any = exc
    for _depth in range(5):
        inner = getattr(reason, "reason", None)
        if inner is None and reason.args and isinstance(reason.args[0], BaseException):
            inner = reason.args[0]
        if inner is None and len(reason.args) == 2 and isinstance(reason.args[1], BaseException):
            inner = reason.args[1]  # ('Connection broken: ...', IncompleteRead(...)): the exception says it best
        if not isinstance(inner, BaseException):
            break
        reason = inner
    text = _OBJECT_REPR_RE.sub("", str(reason))
    text = _CONNECTION_REPR_RE.sub("", text)
    text = re.sub(r"\(Caused by \w+\((.*)\)\)$", r"\1", text)
    return snippet(text) or type(reason).__name__


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
        self.request_count = 0
        self._count_lock = threading.Lock()
        self.session = requests.Session()
        # The bearer token is set on each call. A session-wide auth, even one that adds nothing, stops requests from
        # putting ~/.netrc credentials in its place; trust_env stays on, so HTTPS_PROXY and NO_PROXY still apply.
        self.session.auth = lambda prepared: prepared
        for warning in plain_http_warnings(self.options):
            self._warn(warning)
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=max(pool_size, 1),
                              max_retries=make_retry(self.retries, REPEATABLE_METHODS))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        # Asking for a token changes nothing on the server, so its POST may be repeated like a GET.
        self._token_adapter = HTTPAdapter(pool_connections=1, pool_maxsize=2,
                                          max_retries=make_retry(self.retries, REPEATABLE_METHODS | {"POST"}))
        self.session.mount(self.base_url + "/api/authentication/token", self._token_adapter)
        if self.options["auth_url"]:
            self.session.mount(self.options["auth_url"], self._token_adapter)
        self._configure_tls()
        self.auth = self._token_source()

    def _configure_tls(self) -> None:
        # Passed on every call: requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a session-wide setting.
        self._verify: Any = True
        if self.options["ca_path"]:
            self._verify = self.options["ca_path"]
        elif not self.options["validate_certs"]:
            self._verify = False
            disable_warnings(InsecureRequestWarning)
            if self.base_url.lower().startswith("https:"):
                self._warn("validate_certs is false: the server's TLS certificate is not verified")

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
        return self.request("GET", template, *parts, kind="binary")

    def request(self, method: str, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None,
                json_body: Any = None, kind: str = "json", use_auth: bool = True) -> Any:
        """Send one call and return the decoded body, or raise InsightError (see `call`)."""
        return self.call(method, template, *parts, params=params, json_body=json_body, kind=kind, use_auth=use_auth).body

    def call(self, method: str, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None,
             json_body: Any = None, kind: str = "json", use_auth: bool = True) -> "Answer":
        """Send one call (urllib3 repeats it where that is safe) and return its Answer, or raise InsightError.

        A 401 renews the token once and replays the call (the server did not act on a call it did not authenticate);
        a second 401 is final: the key pair or token is not accepted, and asking again would not change that.
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
        for attempt in range(2):
            token = None
            if use_auth:
                token = self.auth.token(self._exchange)
                headers["Authorization"] = "Bearer " + token
            response, sent = self._send(method, url, path, params, data, headers)
            if response.status_code == 401 and token is not None and attempt == 0 and self.auth.invalidate(token):
                continue
            history = getattr(getattr(response.raw, "retries", None), "history", None) or ()
            return Answer(self._decode(response, method, path, kind), response.status_code, sent > 1 or len(history) > 0)
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(self, method: str, url: str, body: Any, kind: str, use_auth: bool) -> Any:
        return self.request(method, url, json_body=body, kind=kind, use_auth=use_auth)

    def _send(self, method: str, url: str, path: str, params: Optional[Mapping[str, Any]], data: Optional[str],
              headers: Dict[str, str]) -> Tuple[Any, int]:
        """The response and how many times this method sent the call."""
        # urllib3 repeats failed connections and overload answers, but a body cut short (a proxy dropping the
        # connection mid-answer) only shows once requests reads it, after urllib3 has handed the response over:
        # calls that are safe to repeat are repeated here, up to `retries` times as well.
        repeatable = method in REPEATABLE_METHODS or self.session.get_adapter(url) is self._token_adapter
        for attempt in range(self.retries + 1):
            with self._count_lock:
                self.request_count += 1
            try:
                return self.session.request(method, url, params=_query(params), data=data, headers=headers,
                                            timeout=self.timeout, allow_redirects=False, verify=self._verify), attempt + 1
            except requests.exceptions.SSLError as exc:
                raise InsightTransportError(
                    "TLS error talking to %s: %s; set ca_path to the CA that signed the server's certificate"
                    % (_origin(url), _reason(exc)), method, path) from None
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
                if repeatable and attempt < self.retries:
                    time.sleep(backoff_delay(attempt))
                    continue
                raise _retryable(InsightTransportError("the connection broke in the middle of the answer%s: %s" % (
                    _after(attempt), _reason(exc)), method, path)) from None
            except requests.exceptions.RetryError as exc:
                raise _retryable(InsightTransportError("gave up after %d retries: %s" % (self.retries, _reason(exc)),
                                                       method, path)) from None
            except requests.exceptions.RequestException as exc:
                # urllib3 reports a read timeout that outlasted its retries as a connection error: say what it was.
                if isinstance(exc, requests.exceptions.Timeout) or _timed_out(exc):
                    error = _retryable(InsightTransportError("no answer within the %gs timeout%s" % (
                        self.timeout, _after(self.retries if repeatable else 0)), method, path))
                    error.timed_out = not isinstance(exc, requests.exceptions.ConnectTimeout)
                    raise error from None
                if _in_chain(exc, ProtocolError):
                    # Connected, sent, then the connection closed: not unreachable, but no answer either.
                    raise _retryable(InsightTransportError("the connection closed before the answer%s: %s" % (
                        _after(self.retries if repeatable else 0), _reason(exc)), method, path)) from None
                raise _retryable(InsightTransportError("cannot reach %s%s: %s" % (
                    _origin(url), _after(self.retries if repeatable else 0), _reason(exc)), method, path)) from None
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _decode(response: Any, method: str, path: str, kind: str) -> Any:
        status = response.status_code
        content_type = response.headers.get("Content-Type", "")
        body: bytes = response.content or b""
        if not 200 <= status < 300:
            envelope = None
            if is_kind(content_type, "json"):
                try:
                    envelope = json.loads(body)
                except ValueError:
                    envelope = None
            if not isinstance(envelope, dict) or not isinstance(envelope.get("error"), dict):
                envelope = None
            error = InsightHTTPError(method, path, status, response.reason or "", envelope,
                                     snippet(body.decode("utf-8", "replace")), content_type)
            error.retry_after = response.headers.get("Retry-After")
            raise error
        if status == 204 or not body:
            return None
        want = "json" if kind == "plain-json" else kind
        if not is_kind(content_type, want):
            raise InsightTransportError("%d answered %s instead of %s: %s" % (
                status, content_type or "no content type", NAMES[want], snippet(body.decode("utf-8", "replace"))),
                method, path)
        if want == "binary":
            return body
        text = body.decode("utf-8", "replace")
        if want == "text":
            return text
        try:
            return json.loads(text)
        except ValueError:
            raise InsightTransportError("%d answered invalid JSON: %s" % (status, snippet(text)), method, path) from None

    # -- writes whose answer may be lost ------------------------------------------------------------------------

    def post_or_recover(self, template: str, *parts: Any, json_body: Any,
                        recover: Callable[[], Optional[Any]]) -> Tuple[Any, bool]:
        """POST once; when its outcome is unknown (lost answer, overload, server error) ask `recover` whether the
        server acted before sending it again. Returns (object, True) when this POST made it, (found, False) when
        `recover` found it. A POST is never repeated blindly: that is how duplicates are made."""
        attempts = self.retries + 1
        for attempt in range(attempts):
            try:
                return self.post(template, *parts, json_body=json_body), True
            except InsightError as exc:
                if attempt == attempts - 1 or not is_uncertain(exc):
                    raise
                time.sleep(backoff_delay(attempt, exc))
                found = recover()
                if found is not None:
                    return found, False
                if getattr(exc, "timed_out", False):
                    # A stalled server may still carry the POST out after we stopped waiting, and sending it again
                    # would then make a second object. Stop: the next run reads the server again and converges.
                    raise InsightTransportError("%s; not sent again, because the server may still carry it out: run "
                                                "the task again" % exc.args[0], exc.method, exc.path) from None
        raise AssertionError("unreachable")  # pragma: no cover

    # -- paging -------------------------------------------------------------------------------------------------

    def paged(self, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None,
              page_size: int = DEFAULT_PAGE_SIZE, concurrent: int = 0,
              on_page: Optional[Callable[[dict], None]] = None) -> Iterator[Dict[str, Any]]:
        """Yield every item of a paged listing, following the page object the server returns (its own `size`).

        With `concurrent` > 1 the pages after the first are fetched in parallel once the total is known.
        `on_page` sees each raw page (its totals) before its items are yielded."""
        base = dict(params or {})
        seen = set()

        def fetch(number: int, size: int) -> Dict[str, Any]:
            page = self.get(template, *parts, params=dict(base, page=number, size=size))
            if not isinstance(page, dict) or not isinstance(page.get("content"), list):
                raise InsightTransportError("the answer is not a page object", "GET", expand(template, parts))
            return page

        def fresh(page: Dict[str, Any]) -> Iterator[Dict[str, Any]]:
            if on_page is not None:
                on_page(page)
            # Listings can shift while we page through them; never hand out the same item twice.
            for item in page["content"]:
                key = item.get("id") if isinstance(item, dict) else None
                if key is not None:
                    if key in seen:
                        continue
                    seen.add(key)
                yield item

        first = fetch(0, page_size)
        yield from fresh(first)
        if _is_last(first, 0):
            return
        size = first.get("size") if isinstance(first.get("size"), int) and first["size"] > 0 else len(first["content"])
        total_pages = first.get("totalPages")
        if concurrent > 1 and isinstance(total_pages, int) and 1 < total_pages <= MAX_PAGES:
            numbers = range(1, total_pages)
            with ThreadPoolExecutor(max_workers=min(concurrent, len(numbers))) as pool:
                for page in pool.map(lambda n: fetch(n, size), numbers):
                    yield from fresh(page)
            return
        for number in range(1, MAX_PAGES):
            page = fetch(number, size)
            if not page["content"]:
                if on_page is not None:
                    on_page(page)
                return
            yield from fresh(page)
            if _is_last(page, number):
                return
        raise InsightTransportError("more than %d pages; stopped" % MAX_PAGES, "GET", expand(template, parts))

    def download_to(self, fileobj: Any, template: str, *parts: Any, max_bytes: Optional[int] = None) -> int:
        """Stream a binary answer into `fileobj` chunk by chunk (never whole in memory); returns the byte count."""
        path = expand(template, parts) if parts else template
        for attempt in range(2):
            token = self.auth.token(self._exchange)
            with self._count_lock:
                self.request_count += 1
            try:
                response = self.session.get(self.base_url + path, headers={"Accept": ACCEPT["binary"],
                                                                           "Authorization": "Bearer " + token},
                                            timeout=self.timeout, allow_redirects=False, verify=self._verify,
                                            stream=True)
            except requests.exceptions.RequestException as exc:
                raise _retryable(InsightTransportError("cannot reach %s: %s" % (_origin(self.base_url), _reason(exc)),
                                                       "GET", path)) from None
            with response:
                if response.status_code == 401 and attempt == 0 and self.auth.invalidate(token):
                    continue
                if not 200 <= response.status_code < 300:
                    self._decode(response, "GET", path, "binary")
                written = 0
                try:
                    for chunk in response.iter_content(65536):
                        written += len(chunk)
                        if max_bytes is not None and written > max_bytes:
                            raise InsightTransportError("the file is larger than %d bytes; stopped" % max_bytes,
                                                        "GET", path)
                        fileobj.write(chunk)
                except requests.exceptions.RequestException as exc:
                    raise _retryable(InsightTransportError("the connection broke in the middle of the answer: %s"
                                                           % _reason(exc), "GET", path)) from None
                return written
        raise AssertionError("unreachable")  # pragma: no cover


def _is_last(page: Dict[str, Any], number: int) -> bool:
    if not page["content"]:
        return True
    if isinstance(page.get("last"), bool):
        return page["last"]
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
    reason: Any = exc
    for _depth in range(6):
        if isinstance(reason, kinds):
            return True
        inner = getattr(reason, "reason", None)
        if inner is None and reason.args and isinstance(reason.args[0], BaseException):
            inner = reason.args[0]
        if not isinstance(inner, BaseException):
            return False
        reason = inner
    return False


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
            return min(max(float(retry_after), 0.0), RETRY_AFTER_MAX)
        except ValueError:
            pass
    return min(BACKOFF_FACTOR * (2 ** attempt), BACKOFF_MAX)
