# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the answer of an attempt goes (memory or a file, both capped) and what it decodes to (a body, or the error
it stands for)."""

from __future__ import annotations

import json
import re
from typing import Any, Mapping, Optional

from ._errors import InsightHTTPError, InsightTransportError, NotAFile, snippet
from ._media import NAMES, describe_not_a_file, is_kind
from ._scrub import scrub

# Size caps, so that no server can make a run hold unbounded memory. The largest Insight answers are pages of
# 500 items of a few KB each (well under 8 MB); 64 MB leaves room for large objects while a broken server
# stops long before a controller runs out of memory.
MAX_JSON_BYTES = 64 * 1024 * 1024
# An error body only feeds a one-line message.
MAX_ERROR_BYTES = 1024 * 1024
# Message files are streamed to disk, never held; the cap only stops a server that never ends the body.
MAX_FILE_BYTES = 16 * 1024 * 1024 * 1024


class Sink:
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
                                        % (length, self.limit), response.request.method, path_of(response.url))

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


class Buffer(Sink):
    """The answer kept in memory, for JSON and text (capped at MAX_JSON_BYTES)."""


class FileSink(Sink):
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
                           response.request.method, path_of(response.url), status, content_type)
        super().start(response)

    def keep(self, chunk: bytes) -> None:
        self.fileobj.write(chunk)
        self.written += len(chunk)


def decode(sink: Sink, method: str, path: str, kind: str) -> Any:
    """The body of a final answer as `kind` asks (a file's byte count for a FileSink), or the error it stands for."""
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
    if isinstance(sink, FileSink):
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


def path_of(url: str) -> str:
    """The path (and query) of a URL, as error messages name the route."""
    return re.sub(r"^https?://[^/]+", "", url or "")
