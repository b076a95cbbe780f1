# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wire under the client: one keep-alive requests Session, its adapter, and `send`, which runs the attempts of
one call (each bounded by the timeout, see _deadline.py) until one answers for good, as the rules of _retry.py say."""

from __future__ import annotations

import contextlib
import re
import threading
import time
import traceback
from typing import Any, Callable, Dict, Iterator, Mapping, Optional, Tuple, Type

from ._deadline import Watch, watch_pools, watching
from ._errors import InsightError, InsightTransportError, snippet
from ._retry import RETRY_STATUSES, after_retries, backoff_delay, uncertain
from ._scrub import scrub
from ._sinks import Sink

Errors = Tuple[Type[BaseException], ...]

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3 import disable_warnings
    from urllib3.exceptions import DecodeError, InsecureRequestWarning, ProtocolError, ReadTimeoutError
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR: Optional[str] = traceback.format_exc()
    # Without requests no Transport is ever made (InsightClient refuses first); these only keep the module importable.
    _CLOSED: Errors = ()
    _READ_TIMEOUTS: Errors = (TimeoutError,)
    _READ_BROKEN: Errors = (OSError,)
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
    # Connected, sent, then the connection closed.
    _CLOSED = (ProtocolError,)
    _READ_TIMEOUTS = (ReadTimeoutError, TimeoutError)
    _READ_BROKEN = (ProtocolError, DecodeError, OSError)

CHUNK = 65536
DEFAULT_POOL = 10

_OBJECT_REPR_RE = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>:?\s*")
_CONNECTION_REPR_RE = re.compile(r"\w+\(host='[^']*', port=\d+\):\s*")


class Transport:
    """The session of one client: thread-safe, its pool as large as the client's worker pool."""

    def __init__(self, timeout: float, verify: Any, pool_size: int = DEFAULT_POOL) -> None:
        self.timeout = timeout
        self.verify = verify  # merged with REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE per origin by _environment
        self.request_count = 0
        self._count_lock = threading.Lock()
        self.session = requests.Session()
        # The bearer token is set on each call. A session-wide auth, even one that adds nothing, stops requests from
        # putting ~/.netrc credentials in its place.
        self.session.auth = lambda prepared: prepared
        # The environment (HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE...) still applies, but is read once per origin
        # by _environment instead of by requests on every call, which costs more than the rest of a small call.
        self.session.trust_env = False
        self._environments: Dict[str, Dict[str, Any]] = {}
        # urllib3 makes one attempt only: every repeat is decided in send, so that one budget covers them all.
        adapter = _WatchedAdapter(pool_connections=2, pool_maxsize=max(pool_size, 1), max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def send(self, method: str, url: str, path: str, params: Optional[Mapping[str, Any]], data: Optional[str],
             headers: Dict[str, str], sink: Sink, retries: int, repeatable: bool,
             token: Optional[Callable[[], str]] = None, reject: Callable[[str], bool] = lambda token: False) -> int:
        """Run the attempts of one call until one answers for good; fills `sink`, returns the attempts made.

        At most `retries` + 1 attempts, whatever made them: nothing sent (a refused connection), an overload answer
        (RETRY_STATUSES) or an answer that never came whole, both only when `repeatable` (and the sink can start
        again), or a 401 to the bearer `token()` gave, which `reject` drops (once per call: a second 401 is final).
        An InsightError raised here carries the attempts in `attempts`."""
        replayed = False
        attempt = 0
        while True:
            attempt += 1
            more = attempt <= retries
            bearer = None
            try:
                if token is not None:
                    bearer = token()
                    headers["Authorization"] = "Bearer " + bearer
                with self._count_lock:
                    self.request_count += 1
                sink.reset()
                self.attempt(method, url, path, params, data, headers, sink)
            except _Broken as broken:
                # Nothing was sent when the connection was refused; after that only repeatable calls go again,
                # and never once a streamed file has begun to be written.
                if more and (broken.unsent or (repeatable and sink.repeatable)):
                    time.sleep(backoff_delay(attempt - 1))
                    continue
                error = uncertain(InsightTransportError(broken.message % after_retries(attempt - 1), method, path))
                error.timed_out = broken.timed_out
                error.attempts = attempt
                raise error from None
            except InsightError as exc:
                exc.attempts = attempt
                raise
            status = sink.status
            if status in RETRY_STATUSES and repeatable and more:
                time.sleep(backoff_delay(attempt - 1, sink.headers.get("Retry-After")))
                continue
            # A rejected token is forgotten even when no attempt is left, so the next call fetches a new one
            # instead of reusing a token the server has refused (a long-running event source with retries: 0).
            if status == 401 and bearer is not None and not replayed and reject(bearer) and more:
                replayed = True
                continue
            return attempt

    def attempt(self, method: str, url: str, path: str, params: Optional[Mapping[str, Any]], data: Optional[str],
                headers: Dict[str, str], sink: Sink) -> None:
        """One attempt, all of it (connect, send, headers, the whole body) within `timeout` seconds; raises _Broken.

        The timeout given to requests bounds each read; the watch bounds their sum (see _deadline.py): at the
        deadline its watchdog shuts the socket, so a read blocked in the headers returns, and the attempt ends."""
        with watching(self.timeout) as watch:
            self._watched_attempt(method, url, path, params, data, headers, sink, watch)

    def _watched_attempt(self, method: str, url: str, path: str, params: Optional[Mapping[str, Any]],
                         data: Optional[str], headers: Dict[str, str], sink: Sink, watch: Watch) -> None:
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
                % (origin(url), _reason(exc)), method, path) from None
        except requests.exceptions.RequestException as exc:
            connect = isinstance(exc, requests.exceptions.ConnectTimeout)
            # Whatever the socket said once the watchdog shut it, the attempt ran out of time; a POST may have
            # reached the server, so it counts as sent (post_or_recover never sends it again).
            if watch.expired or isinstance(exc, requests.exceptions.Timeout) or _timed_out(exc):
                raise _Broken(late, unsent=connect, timed_out=not connect) from None
            if _in_chain(exc, _CLOSED):
                # Connected, sent, then the connection closed: not unreachable, but no answer either.
                raise _Broken("the connection closed before the answer%%s: %s" % _escape(_reason(exc))) from None
            raise _Broken("cannot reach %s%%s: %s" % (origin(url), _escape(_reason(exc))), unsent=True) from None
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
                except _READ_TIMEOUTS:
                    raise _Broken(whole, timed_out=True) from None
                except _READ_BROKEN as exc:
                    if watch.expired:
                        raise _Broken(whole, timed_out=True) from None
                    raise _Broken("the connection broke in the middle of the answer%%s: %s"
                                  % _escape(_reason(exc))) from None
                if not chunk:
                    if watch.expired:
                        raise _Broken(whole, timed_out=True)  # the end of a socket the watchdog shut
                    break
                sink.write(chunk, method, path)

    def _environment(self, url: str) -> Dict[str, Any]:
        """The proxies and certificate check requests would take from the environment for this URL's origin."""
        key = origin(url)
        found = self._environments.get(key)
        if found is None:
            with requests.Session() as reader:  # trust_env on, as a plain requests call has it
                merged = reader.merge_environment_settings(url, {}, True, self.verify, None)
            found = {"proxies": merged["proxies"], "verify": merged["verify"]}
            self._environments[key] = found
        return found


def tls_verify(options: Mapping[str, Any], warn: Callable[[str], None]) -> Any:
    """What requests' `verify` gets from the connection options: the CA file, False (with a warning for https), or True."""
    if options["ca_path"]:
        return options["ca_path"]
    if options["validate_certs"]:
        return True
    disable_warnings(InsecureRequestWarning)
    if options["url"].lower().startswith("https:"):
        warn("validate_certs is false: the server's TLS certificate is not verified")
    return False


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


def _in_chain(exc: BaseException, kinds: Errors) -> bool:
    """Whether an exception of `kinds` lies anywhere in the chain of reasons of a requests/urllib3 exception."""
    return any(isinstance(reason, kinds) for reason in _chain(exc))


def _timed_out(exc: BaseException) -> bool:
    # Not urllib3's TimeoutError: its NewConnectionError (connection refused) is one too.
    return _in_chain(exc, _READ_TIMEOUTS)


def _bound_socket(raw: Any, remaining: float) -> None:
    """Let no single read outlast the attempt's deadline (the timeout given to requests applies to each read)."""
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.settimeout(max(remaining, 0.01))


def _escape(text: str) -> str:
    return text.replace("%", "%%")


def _query(params: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    if not params:
        return None
    out = {}
    for key, value in params.items():
        if value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else value
    return out


def origin(url: str) -> str:
    match = re.match(r"^(https?://[^/]+)", url)
    return match.group(1) if match else url
