"""The HTTP(S) server: routing, authentication, faults, counters, the request log, and the command line."""
from __future__ import annotations

import argparse
import contextlib
import email.utils
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qsl

from insight_emulator import admin, apps, auth, folders, jobs, repository, scenarios, seed, users
from insight_emulator.context import Request, Response, encode_json
from insight_emulator.errors import BINARY_TYPE, JSON_TYPE, REASONS, TEXT_TYPE, ApiError, Detail, envelope, iso_now
from insight_emulator.faults import CHILDREN_KINDS, TERMINAL, FaultRule, children_leave, jobs_leave
from insight_emulator.store import CHOICES, Config, Store, json_text

Handler = Callable[[Request], Response]

ROUTES: List[Tuple[str, str, Handler]] = [
    ("POST", "/api/authentication/token", auth.token),
    ("GET", "/api/authentication/current-user", auth.current_user),
    ("GET", "/api/apps", apps.list_apps),
    ("GET", "/api/apps/{id}", apps.get_app),
    ("GET", "/api/apps/{id}/children", apps.children),
    ("POST", "/api/apps/{id}/children", apps.move_to_root),
    ("GET", "/api/repository", repository.lookup),
    ("GET", "/api/scenarios/{id}", scenarios.get),
    ("POST", "/api/folders", folders.create),
    ("GET", "/api/folders/{id}", folders.get),
    ("PATCH", "/api/folders/{id}", folders.update),
    ("DELETE", "/api/folders/{id}", folders.delete),
    ("GET", "/api/folders/{id}/children", folders.children),
    ("POST", "/api/folders/{id}/children", folders.move),
    ("GET", "/api/jobs", jobs.list_jobs),
    ("POST", "/api/jobs", jobs.create_job),
    ("GET", "/api/jobs/{id}", jobs.get_job),
    ("DELETE", "/api/jobs/{id}", jobs.cancel_job),
    ("GET", "/api/jobs/{id}/messages/{appMessageId}/file", jobs.message_file),
    ("GET", "/api/jobs/{id}/run-log", jobs.run_log),
    ("GET", "/api/admin/users", users.list_users),
    ("GET", "/api/admin/users/{id}", users.get_user),
]
TOKEN_ROUTE = "POST /api/authentication/token"
# What a route produces when it succeeds; every other route produces JSON.
PRODUCES = {TOKEN_ROUTE: TEXT_TYPE, "GET /api/jobs/{id}/messages/{appMessageId}/file": BINARY_TYPE,
            "GET /api/jobs/{id}/run-log": TEXT_TYPE}
# Routes of the later releases' reference only: a server of the older release (config release: older) has none of
# them, and answers them as its web framework answers any route it lacks (see _older_release).
LATER_ROUTES = frozenset(("POST /api/jobs", "GET /api/jobs/{id}/run-log"))


def _compile(template: str) -> "re.Pattern[str]":
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile("^" + pattern + "$")


# Templates grouped by pattern so a path that matches with the wrong method can answer 405.
_TABLE: List[Tuple["re.Pattern[str]", str, Dict[str, Handler]]] = []
for _method, _template, _handler in ROUTES:
    for _entry in _TABLE:
        if _entry[1] == _template:
            _entry[2][_method] = _handler
            break
    else:
        _TABLE.append((_compile(_template), _template, {_method: _handler}))
_EXACT = {template: (template, methods) for pattern, template, methods in _TABLE if "{" not in template}


def match(path: str) -> Tuple[Optional[str], Dict[str, Handler], Dict[str, str]]:
    """``(template, handlers by method, path parameters)``; template None when no route has this path."""
    exact = _EXACT.get(path)
    if exact is not None:
        return exact[0], exact[1], {}
    for pattern, template, methods in _TABLE:
        found = pattern.match(path)
        if found:
            return template, methods, found.groupdict()
    return None, {}, {}


# What a single-sign-on gateway in front of Insight answers when the caller's session is unknown to it.
_HTML_SIGN_IN = (b"<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method=\"post\" action=\"/sso/login\">"
                 b"<input name=\"username\"><input name=\"password\" type=\"password\"></form></body></html>\n")
_HTML_502 = (b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
             b"<hr><center>nginx</center></body></html>\n")


class _DateCache:
    """RFC 7231 dates are formatted once per second, not per request."""

    def __init__(self) -> None:
        self.second = -1
        self.text = ""

    def get(self) -> str:
        now = int(time.time())
        if now != self.second:
            self.second, self.text = now, email.utils.formatdate(now, usegmt=True)
        return self.text


_DATES = _DateCache()


class InsightHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "insight-emulator"
    timeout = 300  # idle keep-alive connections release their thread eventually

    server: "EmulatorServer"

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # pylint: disable=redefined-builtin
        """Silent: per-request logging to stderr costs throughput; the control API has the request log."""

    def do_GET(self) -> None:  # pylint: disable=invalid-name
        self._dispatch()

    do_POST = do_PATCH = do_DELETE = do_PUT = do_HEAD = do_OPTIONS = do_GET

    # -- wire helpers -----------------------------------------------------------------------------------------
    def _read_body(self) -> Optional[bytes]:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return None
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError:
            return None
        return self.rfile.read(size) if size > 0 else b""

    def _send(self, status: int, body: bytes, content_type: Optional[str], headers: Dict[str, str],
              partial: bool = False) -> None:
        lines = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Status")), "Server: insight-emulator",
                 "Date: " + _DATES.get()]
        if content_type:
            lines.append("Content-Type: " + content_type)
        if status != 204:
            lines.append("Content-Length: %d" % len(body))
        for key, value in headers.items():
            lines.append("%s: %s" % (key, value))
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if self.command == "HEAD" or status == 204:
            body = b""
        if partial:
            self.wfile.write(head + body[:len(body) // 2])
            self._drop()
            return
        self.wfile.write(head + body)

    def _drop(self) -> None:
        """Close the connection without (the rest of) an answer, as a crashing proxy would."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send_response(self, response: Response) -> None:
        body = response.body
        if body is None:
            data = b""
        elif isinstance(body, bytes):
            data = body
        elif isinstance(body, str):
            data = body.encode("utf-8")
        else:
            data = encode_json(body)
        self._send(response.status, data, response.content_type if response.status != 204 or body else JSON_TYPE,
                   response.headers)

    # -- dispatch ---------------------------------------------------------------------------------------------
    def _dispatch(self) -> None:
        store = self.server.store
        path, _sep, query_string = self.path.partition("?")
        raw = self._read_body()
        if raw is None:
            self.close_connection = True
            self._send_response(_error_response(ApiError(411, "Send the body with a Content-Length")))
            return
        if path.startswith("/_emulator/"):
            self._control(store, path, raw)
            return
        template, handlers, params = match(path)
        method = self.command
        route = "%s %s" % (method, template or path)
        with store.lock:
            if path.startswith("/api/") or path == "/api":
                store.count(method, route)
        rules = store.faults.pick(route, params.get("id")) if path.startswith("/api") else []
        terminal: Optional[FaultRule] = None
        for rule in rules:
            if rule.kind == "latency":
                time.sleep(rule.delay)
            elif rule.kind in TERMINAL:
                terminal = rule
        if terminal is not None and terminal.when == "before":
            self._fault(store, terminal, method, route, path)
            return
        response, username = self._answer(store, method, path, query_string, raw, handlers, params)
        for rule in rules:
            if rule.kind in CHILDREN_KINDS:
                with store.lock:
                    children_leave(store, rule, params.get("id"))
            elif rule.kind not in TERMINAL and rule.kind != "latency":
                with store.lock:
                    jobs_leave(store, rule)
        response = _shape_error(store, response, self.headers.get("Accept"), PRODUCES.get(route, JSON_TYPE))
        if terminal is not None:
            self._fault(store, terminal, method, route, path, applied=response.status)
            return
        self._send_response(response)
        entry = {"time": iso_now(), "method": method, "route": route, "path": path, "status": response.status,
                 "user": username}
        with store.lock:
            store.log.append(entry)

    def _answer(self, store: Store, method: str, path: str, query_string: str, raw: bytes,
                handlers: Dict[str, Handler], params: Dict[str, str]) -> Tuple[Response, Optional[str]]:
        username = None
        try:
            if len(raw) > store.config.max_body_bytes:
                raise ApiError(413, "The request body is larger than %d bytes" % store.config.max_body_bytes)
            if not path.startswith("/api/"):
                raise ApiError(404, "No resource at %s" % path, inner_code="FICO-Platform-Http-404", inner_desc="Not Found")
            handler = handlers.get(method)
            query = dict(parse_qsl(query_string, keep_blank_values=True)) if query_string else {}
            request = Request(store, method, params, query, raw, self._base_url())
            with store.lock:
                if handler is not auth.token:
                    request.user = auth.authenticate(store, self.headers.get("Authorization"))
                    username = request.user.username
                if store.config.release == "older":
                    template = match(path)[0]
                    if "%s %s" % (method, template) in LATER_ROUTES:
                        return _older_release(method, path, handlers), username
                if handler is None:
                    if not handlers:
                        raise ApiError(404, "No resource at %s" % path, inner_code="FICO-Platform-Http-404", inner_desc="Not Found")
                    raise ApiError(405, "%s is not supported on %s" % (method, path),
                                   headers={"Allow": ", ".join(sorted(handlers))})
                produces = PRODUCES.get("%s %s" % (method, match(path)[0]), JSON_TYPE)
                if not acceptable(self.headers.get("Accept"), produces):
                    raise ApiError(406, "This resource produces %s only" % produces)
                if raw.strip() and not _is_json(self.headers.get("Content-Type")):
                    raise ApiError(415, "Send JSON bodies as application/vnd.com.fico.xpress.insight.v2+json")
                return handler(request), username
        except ApiError as error:
            return _error_response(error), username
        except Exception:  # pylint: disable=broad-except
            traceback.print_exc(file=sys.stderr)
            return _error_response(ApiError(500, "Unexpected emulator error")), username

    def _fault(self, store: Store, rule: FaultRule, method: str, route: str, path: str, applied: Optional[int] = None) -> None:
        entry = {"time": iso_now(), "method": method, "route": route, "path": path, "fault": rule.kind,
                 "when": rule.when, "applied_status": applied, "status": None if rule.kind == "drop" else rule.status}
        with store.lock:
            store.log.append(entry)
        if rule.kind == "drop":
            if rule.partial:
                self._send(200, json.dumps({"content": [], "partial": True}).encode("utf-8") * 4, JSON_TYPE, {}, partial=True)
            else:
                self._drop()
            return
        if rule.kind == "sign_in":
            if rule.body == "empty":
                self._send(200, b"", None, {})
            else:
                self._send(200, _HTML_SIGN_IN, "text/html; charset=utf-8", {})
            return
        headers = {}
        if rule.retry_after is not None:
            headers["Retry-After"] = str(rule.retry_after)
        if rule.body == "html":
            self._send(rule.status, _HTML_502 if rule.status == 502 else b"<html><body>%d</body></html>" % rule.status,
                       "text/html", headers)
        elif rule.body == "empty":
            self._send(rule.status, b"", None, headers)
        else:
            error = ApiError(rule.status, rule.message,
                             details=[Detail("field%d" % n, "%s %d" % (rule.message, n)) for n in range(rule.details)])
            error.headers = headers
            self._send_response(_error_response(error))

    def _control(self, store: Store, path: str, raw: bytes) -> None:
        if not _is_loopback(self.client_address[0]):
            status, document = 403, {"error": "the control API answers loopback clients only"}
        else:
            status, document = admin.handle(store, self.command, path, raw)
        self._send(status, json.dumps(document).encode("utf-8"), "application/json", {})

    def _base_url(self) -> str:
        return self.server.base_url


def _media_ranges(accept: Optional[str]) -> List[str]:
    return [part.split(";")[0].strip().lower() for part in (accept or "*/*").split(",") if part.strip()]


def acceptable(accept: Optional[str], media: str) -> bool:
    """Whether an Accept header admits ``media``: exact, ``type/*``, ``*/*``, or a suffix wildcard such as
    ``application/*+json`` (Spring's compatibility rules; plain ``application/json`` does not admit a vendor type)."""
    kind, _slash, sub = media.partition("/")
    suffix = sub.rpartition("+")[2]
    for rng in _media_ranges(accept) or ["*/*"]:
        r_kind, _slash, r_sub = rng.partition("/")
        if r_kind not in ("*", kind):
            continue
        if r_sub in ("*", sub) or (r_sub.startswith("*+") and r_sub[2:] == suffix):
            return True
    return False


_HTML_GATEWAY = b"<html><head><title>%d %s</title></head><body><h1>%d %s</h1><p>gateway</p></body></html>\n"


def _shape_error(store: Store, response: Response, accept: Optional[str], produces: str) -> Response:
    """Error answers as the config and the caller's Accept allow: 401/403 without an envelope (or an HTML page
    from a gateway) in their variants; no body at all when the caller does not accept JSON (a 406 never has one)."""
    status = response.status
    if status < 400 or not isinstance(response.body, dict):
        return response
    if status in (401, 403) and store.config.auth_error_body != "envelope":
        if store.config.auth_error_body == "html":
            reason = REASONS[status].encode("ascii")
            return Response(status, _HTML_GATEWAY % (status, reason, status, reason), "text/html", response.headers)
        return Response(status, None, None, response.headers)
    if status == 406 or not acceptable(accept, JSON_TYPE):
        return Response(status, b"", produces if status != 406 else None, response.headers)
    return response


def _is_json(content_type: Optional[str]) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _older_release(method: str, path: str, handlers: Dict[str, Handler]) -> Response:
    """A later route on an older server: 405 (with Allow) where the path serves other methods, else 404, each with
    the framework's own small JSON error (Spring's), not Insight's error envelope."""
    others = sorted(m for m, h in handlers.items() if "%s %s" % (m, match(path)[0]) not in LATER_ROUTES)
    status = 405 if others and method not in others else 404
    body = {"timestamp": iso_now(), "status": status, "error": REASONS[status], "path": path}
    return Response(status, body, "application/json", {"Allow": ", ".join(others)} if status == 405 else {})


def _error_response(error: ApiError) -> Response:
    return Response(error.status, envelope(error), JSON_TYPE, dict(error.headers))


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: Tuple[str, int], store: Store, tls_context: Any = None) -> None:
        super().__init__(address, InsightHandler)
        self.store = store
        self.tls_context = tls_context
        host, port = self.server_address[0], self.server_address[1]
        shown = "[%s]" % host if ":" in str(host) else host
        self.base_url = "%s://%s:%d" % ("https" if tls_context else "http", shown, port)

    def get_request(self) -> Tuple[Any, Any]:
        sock, address = self.socket.accept()
        if self.tls_context is not None:
            # The handshake happens on the connection's own thread (first read), never in the accept loop.
            sock = self.tls_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Client disconnects and TLS failures are routine for a test server; stay quiet."""


def make_tls(host: str) -> Tuple[Any, str, str]:
    """An SSL context with a certificate from a fresh trustme CA; the CA PEM goes to a temp file."""
    import ssl
    import trustme  # imported here so plain HTTP needs nothing beyond the standard library
    authority = trustme.CA()
    names = sorted({host, "127.0.0.1", "localhost", "::1"})
    cert = authority.issue_cert(*names)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    directory = tempfile.mkdtemp(prefix="insight-emulator-")
    ca_file = os.path.join(directory, "ca.pem")
    authority.cert_pem.write_to_path(ca_file)
    return context, ca_file, directory


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m insight_emulator", description="Emulates the Insight 5 REST API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a certificate from a test CA")
    parser.add_argument("--data", default="demo", help="demo, empty, or a seed file (.yml, .yaml, .json)")
    parser.add_argument("--token-lifetime", type=float, default=3600.0, help="cap on token lifetime in seconds")
    parser.add_argument("--page-size-cap", type=int, default=100)
    parser.add_argument("--cancel-delay", type=float, default=2.0, help="job-clock seconds from CANCELLING to CANCELLED")
    parser.add_argument("--job-history-limit", type=int, default=5000)
    parser.add_argument("--clock-speed", type=float, default=1.0)
    parser.add_argument("--paused", action="store_true", help="start with the job clock paused")
    parser.add_argument("--default-page-size", type=int, default=20, help="size of a page when the call names none")
    parser.add_argument("--max-body-bytes", type=int, default=1048576, help="larger request bodies answer 413")
    parser.add_argument("--max-jobs", type=int, default=0, help="POST /api/jobs answers 429 at this many queued or "
                        "running jobs (0: no limit)")
    for key, choices in CHOICES.items():
        if isinstance(choices[0], bool):
            parser.add_argument("--" + key.replace("_", "-"), choices=("true", "false"), default=json_text(choices[0]))
        else:
            parser.add_argument("--" + key.replace("_", "-"), choices=choices, default=choices[0])
    return parser.parse_args(argv)


def startup_config(args: argparse.Namespace) -> Config:
    settings: Dict[str, Any] = {"default_page_size": args.default_page_size, "max_body_bytes": args.max_body_bytes,
                                "max_jobs": args.max_jobs}
    for key, choices in CHOICES.items():
        value = getattr(args, key)
        settings[key] = (value == "true") if isinstance(choices[0], bool) else value
    return Config(args.token_lifetime, args.page_size_cap, args.cancel_delay, args.job_history_limit, **settings)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    try:
        config = startup_config(args)
    except ValueError as error:
        print("error: %s" % error, file=sys.stderr)
        return 2
    store = Store(config, args.clock_speed, args.paused)
    try:
        seed.load(store, args.data)
    except (OSError, ValueError) as error:
        print("error: cannot load %s: %s" % (args.data, error), file=sys.stderr)
        return 2
    tls_context, ca_file, tls_dir = (None, None, None)
    if args.tls:
        tls_context, ca_file, tls_dir = make_tls(args.host)
    server = EmulatorServer((args.host, args.port), store, tls_context)
    lines = ["url: " + server.base_url]
    if ca_file:
        lines.append("ca: " + ca_file)
    for user in store.users.values():
        lines.append("user: %s %s %s %s" % (user.username, user.role, user.client_id, user.secret))
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()

    def stop(_signum: int, _frame: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        if tls_dir:
            shutil.rmtree(tls_dir, ignore_errors=True)
    return 0
