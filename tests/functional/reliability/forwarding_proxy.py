"""A tiny plain-HTTP forwarding proxy on loopback, to show that HTTP_PROXY is honoured: it relays each request to
the URL in its request line and records what went through it (method, path, and whether a bearer token rode along)."""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade"}


class _Relay(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "ForwardingProxy"

    def log_message(self, format: str, *args: Any) -> None:  # pylint: disable=redefined-builtin
        pass

    def _relay(self) -> None:
        target = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        auth = self.headers.get("Authorization") or ""
        self.server.record({"method": self.command, "path": target.path, "bearer": auth.startswith("Bearer "),
                            "basic": auth.startswith("Basic ")})
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        try:
            upstream.request(self.command, target.path + ("?" + target.query if target.query else ""), body, headers)
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        finally:
            upstream.close()

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _relay


class ForwardingProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Relay)
        self._lock = threading.Lock()
        self.seen: List[Dict[str, Any]] = []
        self.url = "http://127.0.0.1:%d" % self.server_address[1]
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def record(self, entry: Dict[str, Any]) -> None:
        with self._lock:
            self.seen.append(entry)

    def __enter__(self) -> "ForwardingProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()
        self.server_close()
