"""pytest plugin: `hostile`, a loopback HTTP server that misbehaves on purpose, route by route.

The emulator plays a well-behaved Insight with faults on top; this server plays the servers a real run can meet
instead: gateways that trickle, listings that never end or repeat themselves, pages that lie about their size
or shape, proxies answering HTML. A test scripts each route with a behaviour (a callable) and reads the log of
requests it received. The token endpoint answers like Insight, so every client auth path works against it."""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

import pytest

JSON_TYPE = "application/vnd.com.fico.xpress.insight.v2+json"
TOKEN_TYPE = "text/vnd.com.fico.xpress.insight.v2+plain"
CLIENT_ID = "hostile-client"
SECRET = "hostile-secret-value"
# Credentials for tests of servers that quote them back in refusals: full of characters that JSON, JavaScript and URL
# encodings change, with alphanumeric runs (ECHO_PIECES) that no encoding changes, so a leak in any form shows as one.
ECHO_SECRET = 'Zq8k/Wv5j"Rt2x\\Pn7q+\u00e9 Ux3m'
ECHO_TOKEN = "Tk9q/Vb4w+Lm6z=Hs2r"
ECHO_PIECES = ["Zq8k", "Wv5j", "Rt2x", "Pn7q", "Ux3m", "Tk9q", "Vb4w", "Lm6z", "Hs2r"]
# The secret above and the prefix of every token the token endpoint hands out: never in any output.
HOSTILE_SECRETS = [SECRET, "hostile-token-"]

# A behaviour gets the request (method, path, query) and returns what to send; see the factories below.
Behaviour = Callable[["Request"], "Reply"]


class Request:
    def __init__(self, method: str, path: str, query: Dict[str, str], number: int,
                 headers: Optional[Dict[str, str]] = None, body: bytes = b"") -> None:
        self.method = method
        self.path = path
        self.query = query
        self.number = number  # how many times this route was asked before, from 0
        self.headers = headers or {}
        self.body = body

    def int_param(self, name: str, default: int) -> int:
        try:
            return int(self.query.get(name, default))
        except ValueError:
            return default


class Reply:
    """Status, content type and body; `trickle` sends the body one byte every that many seconds."""

    def __init__(self, status: int = 200, body: Any = b"", content_type: str = JSON_TYPE,
                 trickle: float = 0.0, header_trickle: float = 0.0, header_for: float = 60.0) -> None:
        self.status = status
        self.body = body if isinstance(body, bytes) else (
            body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8"))
        self.content_type = content_type
        self.trickle = trickle
        # One more header line every `header_trickle` seconds for `header_for` seconds, before the body.
        self.header_trickle = header_trickle
        self.header_for = header_for


def page(content: List[Any], number: int = 0, size: Optional[int] = None, last: bool = False,
         total: Optional[int] = None) -> Dict[str, Any]:
    """A Spring-style page object with whatever claims the test wants it to make."""
    out: Dict[str, Any] = {"content": content, "number": number, "size": len(content) if size is None else size,
                           "numberOfElements": len(content), "first": number == 0, "last": last}
    if total is not None:
        out["totalElements"] = total
    return out


def job(job_id: Optional[str] = None, status: Any = "QUEUED") -> Dict[str, Any]:
    return {"id": job_id or str(uuid.uuid4()), "objectType": "JOB", "status": status, "app": {"id": str(uuid.UUID(int=1))},
            "scenario": {"id": str(uuid.UUID(int=2))}, "owner": {"id": str(uuid.UUID(int=3))},
            "executionMode": "RUN", "created": "2026-01-01T00:00:00Z"}


# -- behaviours --------------------------------------------------------------------------------------------------

def answer(body: Any, status: int = 200, content_type: str = JSON_TYPE) -> Behaviour:
    return lambda request: Reply(status, body, content_type)


def trickle(body: Any, every: float, content_type: str = JSON_TYPE) -> Behaviour:
    """The whole answer, one byte every `every` seconds (a stalled gateway that never quite stops)."""
    return lambda request: Reply(200, body, content_type, trickle=every)


def header_trickle(body: Any, every: float = 0.5, lasting: float = 60.0, status: int = 200,
                   content_type: str = JSON_TYPE) -> Behaviour:
    """The status line at once, then one header line every `every` seconds for `lasting` seconds, then the answer:
    each read is quick, the headers never end in time (a proxy or server stuck while it writes them)."""
    return lambda request: Reply(status, body, content_type, header_trickle=every, header_for=lasting)


def same_page_forever(content: List[Any]) -> Behaviour:
    """Page after page of the same items, always claiming there is more."""
    return lambda request: Reply(200, page(content, request.int_param("page", 0), last=False))


def endless_pages(per_page: int) -> Behaviour:
    """New items on every page, never the last one."""
    return lambda request: Reply(200, page([job() for _index in range(per_page)], request.int_param("page", 0)))


def oversized_pages(items: List[Any], claimed_size: int) -> Behaviour:
    """Serves `items` in pages of the size asked for, while each page claims a much larger size."""
    def reply(request: Request) -> Reply:
        number, size = request.int_param("page", 0), request.int_param("size", 20)
        chunk = items[number * size:(number + 1) * size]
        last = (number + 1) * size >= len(items)
        return Reply(200, page(chunk, number, size=claimed_size, last=last, total=len(items)))
    return reply


def js_escape(text: str) -> str:
    """What Insight does to every message before JSON-encoding it (commons-lang escapeJavaScript)."""
    out = []
    for char in text:
        if char in "'\"\\/":
            out.append("\\" + char)
        elif ord(char) < 32 or ord(char) > 0x7E:
            out.append("\\u%04X" % ord(char))
        else:
            out.append(char)
    return "".join(out)


def echo_request(status: int = 401, kind: str = "envelope") -> Behaviour:
    """A refusal that quotes the request, as a careless server or proxy does: its Authorization header and body.

    `envelope`: Insight's error envelope, the quote JavaScript-escaped in `message` and as sent in a detail;
    `text`: a proxy's plain-text page quoting the raw request; `urlencoded`: the body quoted form-encoded."""
    def reply(request: Request) -> Reply:
        header = request.headers.get("Authorization")
        quoted = ("Authorization: %s; " % header if header else "") + "body: " + request.body.decode("utf-8", "replace")
        if kind == "text":
            return Reply(status, "refused request:\n" + quoted, "text/plain")
        if kind == "urlencoded":
            from urllib.parse import quote_plus  # pylint: disable=import-outside-toplevel
            return Reply(status, "refused: " + quote_plus(quoted), "text/plain")
        return Reply(status, {"error": {"code": "FICO-Platform-Http-%d" % status, "message": js_escape("refused " + quoted),
                                        "details": [{"code": "echo", "target": "request", "message": quoted}]}})
    return reply


def job_quoting_the_request() -> Behaviour:
    """A job listing whose one job carries the request's Authorization header in a field."""
    def reply(request: Request) -> Reply:
        item = job("00000000-0000-4000-8000-00000000e401")
        item["name"] = "seen %s" % request.headers.get("Authorization", "-")
        return Reply(200, page([item], last=True, total=1))
    return reply


def gateway_html(status: int = 502) -> Behaviour:
    return answer("<html><body><h1>%d Bad Gateway</h1></body></html>" % status, status, "text/html")


# -- the server --------------------------------------------------------------------------------------------------

class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client giving up mid-answer is what these tests provoke; anything else still shows.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class HostileServer:
    """A ThreadingHTTPServer on 127.0.0.1 with per-route behaviours; `url`, `log`, `route(...)`, `env()`."""

    def __init__(self) -> None:
        self.routes: Dict[Tuple[str, str], Behaviour] = {}
        self.log: List[Tuple[str, str]] = []
        self.queries: List[Dict[str, str]] = []  # the query of each logged request, in the same order
        self._lock = threading.Lock()
        self.httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def route(self, method: str, path: str, behaviour: Behaviour) -> None:
        self.routes[(method, path)] = behaviour

    def count(self, method: str, path: str) -> int:
        with self._lock:
            return sum(1 for entry in self.log if entry == (method, path))

    def env(self) -> Dict[str, str]:
        """INSIGHT_* variables for a module run against this server."""
        return {"INSIGHT_URL": self.url, "INSIGHT_CLIENT_ID": CLIENT_ID, "INSIGHT_SECRET": SECRET}

    def options(self, **extra: Any) -> Dict[str, Any]:
        out: Dict[str, Any] = {"url": self.url, "client_id": CLIENT_ID, "secret": SECRET}
        out.update(extra)
        return out

    def _dispatch(self, method: str, target: str, headers: Optional[Dict[str, str]] = None, body: bytes = b"") -> Reply:
        parts = urlsplit(target)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        with self._lock:
            number = sum(1 for entry in self.log if entry == (method, parts.path))
            self.log.append((method, parts.path))
            self.queries.append(query)
        if (method, parts.path) == ("POST", "/api/authentication/token") and (method, parts.path) not in self.routes:
            return Reply(200, "hostile-token-%d" % number, TOKEN_TYPE)
        behaviour = self.routes.get((method, parts.path))
        if behaviour is None:
            return Reply(404, {"error": {"code": "FICO-Platform-Http-404", "message": "no such route"}})
        return behaviour(Request(method, parts.path, query, number, headers, body))

    def _handler(self) -> type:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # pylint: disable=redefined-builtin
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                reply = server._dispatch(self.command, self.path, dict(self.headers.items()), body)  # pylint: disable=protected-access
                try:
                    self.send_response(reply.status)
                    if reply.header_trickle:
                        self.flush_headers()
                        stop = time.monotonic() + reply.header_for
                        number = 0
                        while time.monotonic() < stop:
                            time.sleep(reply.header_trickle)
                            self.wfile.write(b"X-Trickle-%d: %d\r\n" % (number, number))
                            self.wfile.flush()
                            number += 1
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if not reply.trickle:
                        self.wfile.write(reply.body)
                        return
                    for index in range(len(reply.body)):
                        self.wfile.write(reply.body[index:index + 1])
                        self.wfile.flush()
                        time.sleep(reply.trickle)
                except OSError:
                    self.close_connection = True  # the client gave up: that is what these tests want

            do_GET = do_POST = do_PATCH = do_DELETE = _serve

        return Handler

    def start(self) -> "HostileServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    """A fresh hostile server per test; script it with ``hostile.route(method, path, behaviour)``."""
    server = HostileServer().start()
    yield server
    server.stop()
