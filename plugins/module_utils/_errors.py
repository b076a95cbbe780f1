# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exceptions of the Insight client and the parsing of Insight's error envelope."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from ._scrub import scrub, scrub_data

SNIPPET_LENGTH = 120
# A 422 can carry thousands of details: the line shows the first few, the returned envelope keeps a bounded number.
LINE_DETAILS = 5
LINE_TEXT = 300  # characters kept of each server text (message, detail) on the line
ENVELOPE_DETAILS = 50

# C0 and C1 control characters and DEL: a server's text must not move the cursor, clear the screen or start a line.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# The server JavaScript-escapes `message` fields before JSON-encoding them, so after json.loads one layer remains.
_JS_ESCAPES = {"'": "'", '"': '"', "\\": "\\", "/": "/", "b": "\b", "t": "\t", "n": "\n", "r": "\r", "f": "\f"}
_JS_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)


def js_unescape(text: Optional[str]) -> Optional[str]:
    """Undo the server's JavaScript escaping of a message field."""
    if not text or "\\" not in text:
        return text

    def repl(match: "re.Match[str]") -> str:
        seq = match.group(1)
        if len(seq) == 5 and seq[0] == "u":
            return chr(int(seq[1:], 16))
        return _JS_ESCAPES.get(seq, match.group(0))

    text = _JS_ESCAPE_RE.sub(repl, text)
    # Characters outside the BMP arrive as two \\u escapes (UTF-16 surrogates): join them.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def printable(text: Any) -> str:
    """`text` as a string fit for a message or warning: each control character shown as a visible escape (\\x1b)."""
    return _CONTROL_RE.sub(lambda match: "\\x%02x" % ord(match.group(0)), str(text))


def has_control(text: str) -> bool:
    return _CONTROL_RE.search(text) is not None


def snippet(text: str) -> str:
    """A short, single-line excerpt of an unexpected body, for error messages."""
    flat = printable(" ".join(text.split()))
    return flat if len(flat) <= SNIPPET_LENGTH else flat[:SNIPPET_LENGTH] + "..."


def capped_envelope(envelope: Dict[str, Any]) -> Dict[str, Any]:
    """The envelope as the server sent it, with at most ENVELOPE_DETAILS details and `detailsOmitted` counting the
    rest, so a hostile or buggy answer cannot flood the task result."""
    error = envelope.get("error")
    if not isinstance(error, dict):
        return envelope
    details = error.get("details")
    if not isinstance(details, list) or len(details) <= ENVELOPE_DETAILS:
        return envelope
    capped = dict(error, details=details[:ENVELOPE_DETAILS], detailsOmitted=len(details) - ENVELOPE_DETAILS)
    return dict(envelope, error=capped)


class InsightError(Exception):
    """Base of every error the client raises; `str()` is the one line shown to users."""

    # Set on errors after which the server may or may not have acted (lost answers): callers re-read before retrying.
    retryable = False
    # The server's Retry-After header, when it sent one.
    retry_after: Optional[str] = None
    # Set when the server took longer than the timeout to answer: it may still be carrying the call out.
    timed_out = False
    # How many attempts the failed call made (its retries and token renewal included), for a caller that spends
    # one budget over several calls (post_or_recover).
    attempts = 1

    def __init__(self, message: str, method: str = "", path: str = "") -> None:
        # Messages quote server text (error bodies, a broken connection's reason): no secret of the run stays in them.
        super().__init__(scrub(message))
        self.method = method
        self.path = path

    def prefix(self) -> str:
        return "%s %s: " % (self.method, self.path) if self.method else ""

    def to_line(self) -> str:
        # Messages quote names and texts that came from the server: no control character reaches the terminal.
        # Scrubbed again: a token obtained after the error was made may be quoted in it.
        return printable(scrub(self.prefix() + str(self.args[0])))

    def __str__(self) -> str:
        return self.to_line()

    def result(self) -> Dict[str, Any]:
        """Extra keys returned beside `msg` by modules, for debugging."""
        return {}


class InsightConfigError(InsightError):
    """Invalid connection or module options, detected before any call."""


class InsightTransportError(InsightError):
    """The server could not be reached or answered something that is not the Insight API."""


class ListingUnsettled(InsightTransportError):
    """A listing changed faster than re-reading its pages could follow (see InsightClient.paged)."""


class NotAFile(InsightTransportError):
    """A download answered 2xx with a content type outside the octet-stream family, refused before its first byte
    reached the file; `status` and `content_type` say what came instead."""

    def __init__(self, message: str, method: str, path: str, status: int, content_type: str) -> None:
        super().__init__(message, method, path)
        self.status = status
        self.content_type = content_type


class InsightHTTPError(InsightError):
    """A non-2xx answer, carrying the fields of Insight's error envelope."""

    def __init__(self, method: str, path: str, status: int, reason: str = "", envelope: Optional[Dict[str, Any]] = None,
                 body_snippet: str = "", content_type: str = "") -> None:
        self.method, self.path = method, path  # _describe names the route
        self.status = status
        self.reason = scrub(reason)
        # A server or proxy may quote the refused request (its body, its Authorization header) anywhere in it.
        self.envelope = scrub_data(envelope)
        envelope = self.envelope
        self.body_snippet = scrub(body_snippet)
        self.content_type = content_type
        error = (envelope or {}).get("error") if isinstance(envelope, dict) else None
        error = error if isinstance(error, dict) else {}
        self.code: Optional[str] = error.get("code")
        innermost = error
        chain = [error]
        while isinstance(innermost.get("innerError"), dict):
            innermost = innermost["innerError"]
            chain.append(innermost)
        self.inner_code: Optional[str] = innermost.get("code") if innermost is not error else None
        self.message = self._best_message(chain)
        self.details: List[Dict[str, Any]] = [d for d in error.get("details") or [] if isinstance(d, dict)]
        self.targets: List[str] = [str(d["target"]) for d in self.details if d.get("target")]
        self.trace_id: Optional[str] = error.get("traceId")
        super().__init__(self._describe(), method, path)

    @staticmethod
    def _best_message(chain: List[Dict[str, Any]]) -> Optional[str]:
        # The most specific human text wins: innermost message, then its desc, then outwards.
        for err in reversed(chain):
            for key in ("message", "desc"):
                if err.get(key):
                    return scrub(js_unescape(str(err[key])) or "")
        return None

    def _describe(self) -> str:
        head = "%d %s" % (self.status, self.inner_code or self.code or self.reason or "")
        head = head.rstrip()
        if self.envelope is None:
            what = "no Insight error envelope"
            if self.content_type:
                what += " (%s)" % self.content_type
            if self.status in (401, 403):
                # The reference gives these no body, and a gateway may send its own page: say what happened.
                if self.status == 401:
                    meaning = "authentication failed; check client_id and secret, or token"
                else:
                    meaning = "not allowed: %s %s" % (self.method, self.path)
                return "%s: %s (no Insight error envelope%s)" % (
                    head, meaning, ", " + self.content_type if self.content_type else "")
            if self.body_snippet:
                return "%s: %s: %s" % (head, what, self.body_snippet)
            return "%s: %s, empty body" % (head, what)
        detail_messages = [js_unescape(str(d["message"])) for d in self.details if d.get("message")]
        text = _short(self.message or "")
        extra = [m for m in detail_messages if m and m != text]
        if extra:
            text = "%s: %s" % (text, _first(extra, "; ")) if text else _first(extra, "; ")
        notes = []
        if self.targets:
            notes.append("field: %s" % _first(list(dict.fromkeys(self.targets)), ", "))
        if self.trace_id:
            notes.append("trace %s" % self.trace_id)
        tail = " (%s)" % ", ".join(notes) if notes else ""
        return "%s: %s%s" % (head, text, tail) if text else head + tail

    def result(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"status": self.status}
        if self.envelope is not None:
            out["error"] = scrub_data(capped_envelope(self.envelope))
        return out


def _first(items: List[str], separator: str) -> str:
    """The first LINE_DETAILS items joined, and how many more there are."""
    text = separator.join(_short(item) for item in items[:LINE_DETAILS])
    if len(items) > LINE_DETAILS:
        text += " (+%d more)" % (len(items) - LINE_DETAILS)
    return text


def _short(text: str) -> str:
    return text if len(text) <= LINE_TEXT else text[:LINE_TEXT] + "..."
