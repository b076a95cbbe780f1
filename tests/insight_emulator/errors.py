"""The Insight error envelope, HTTP reason phrases and the server's JavaScript escaping of messages."""
from __future__ import annotations

import datetime
import os
from typing import Any, Dict, List, Optional

JSON_TYPE = "application/vnd.com.fico.xpress.insight.v2+json"
TEXT_TYPE = "text/vnd.com.fico.xpress.insight.v2+plain"
BINARY_TYPE = "application/vnd.com.fico.xpress.insight.v2+octet-stream"

REASONS = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "No Content",
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
    409: "Conflict", 411: "Length Required", 413: "Payload Too Large", 415: "Unsupported Media Type",
    422: "Unprocessable Entity", 423: "Locked", 429: "Too Many Requests",
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}

# Inner error (code, desc) per status; a handler may override both.
INNER = {
    400: ("FICO-Platform-Validation-InvalidValue", "Invalid request"),
    406: ("FICO-Platform-Http-NotAcceptable", "Not acceptable"),
    409: ("FICO-Platform-Http-Conflict", "Conflict"),
    413: ("FICO-Platform-Validation-FileTooLarge", "Request too large"),
    423: ("FICO-Platform-Http-Locked", "Locked"),
    401: ("FICO-Platform-Security-NotAuthenticated", "Authentication required"),
    403: ("FICO-Platform-Security-AccessDenied", "Access denied"),
    404: ("OPTI-Insight-Persistence-DocumentNotFound", "Document not found"),
    405: ("FICO-Platform-Http-MethodNotAllowed", "Method not allowed"),
    411: ("FICO-Platform-Http-LengthRequired", "Length required"),
    415: ("FICO-Platform-Http-UnsupportedMediaType", "Unsupported media type"),
    422: ("FICO-Platform-Validation-InvalidValue", "Entity processing failed"),
    429: ("FICO-Platform-Http-TooManyRequests", "Too many requests"),
    500: ("FICO-Platform-Internal-Error", "Internal server error"),
    503: ("FICO-Platform-Http-ServiceUnavailable", "Service unavailable"),
}

_JS_ESCAPES = {
    "'": "\\'", '"': '\\"', "\\": "\\\\", "/": "\\/",
    "\b": "\\b", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f",
}


def _js_char(char: str) -> str:
    short = _JS_ESCAPES.get(char)
    if short is not None:
        return short
    code = ord(char)
    if code < 0x20 or code > 0x7f:
        # Non-ASCII and control characters become \uXXXX; outside the BMP as a UTF-16 surrogate pair.
        if code > 0xFFFF:
            code -= 0x10000
            return "\\u%04X\\u%04X" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
        return "\\u%04X" % code
    return char


def js_escape(text: str) -> str:
    """Escape a message as commons-lang ``escapeJavaScript`` does before JSON encoding (so it arrives escaped
    twice): the short escapes, and every control or non-ASCII character as ``\\uXXXX``."""
    return "".join(_js_char(char) for char in text)


def iso_now() -> str:
    return iso(datetime.datetime.now(datetime.timezone.utc).timestamp())


def iso(epoch: Optional[float]) -> Optional[str]:
    """Epoch seconds to the API's UTC timestamp form with milliseconds."""
    if epoch is None:
        return None
    moment = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


class Detail:
    """One entry of ``details``: the offending field and why."""

    def __init__(self, target: str, message: str, code: str = "FICO_PLATFORM_VALIDATION_INVALID_VALUE", desc: str = "Invalid value") -> None:
        self.target = target
        self.message = message
        self.code = code
        self.desc = desc


class ApiError(Exception):
    """Raised by handlers; the server turns it into the error envelope."""

    def __init__(self, status: int, message: Optional[str] = None, details: Optional[List[Detail]] = None,
                 inner_code: Optional[str] = None, inner_desc: Optional[str] = None,
                 headers: Optional[Dict[str, str]] = None) -> None:
        super().__init__(message or REASONS.get(status, "Error"))
        self.status = status
        self.message = message
        self.details = details or []
        self.inner_code = inner_code
        self.inner_desc = inner_desc
        self.headers = headers or {}


def not_found(what: str = "document") -> ApiError:
    return ApiError(404, "Unable to find %s" % what)


def invalid(target: str, message: str) -> ApiError:
    """A 422 naming the offending field in ``details[].target``."""
    return ApiError(422, message, details=[Detail(target, message)])


def bad_request(target: str, message: str) -> ApiError:
    return ApiError(400, message, details=[Detail(target, message)])


def forbidden(message: str = "The current user is not authorized to perform this operation") -> ApiError:
    return ApiError(403, message)


def envelope(error: ApiError) -> Dict[str, Any]:
    """The full error document for an ApiError; every ``message`` is JavaScript-escaped."""
    status = error.status
    reason = REASONS.get(status, "Error")
    code, desc = INNER.get(status, ("FICO-Platform-Http-%d" % status, reason))
    now = iso_now()
    inner = {
        "code": error.inner_code or code,
        "desc": error.inner_desc or desc,
        "message": js_escape(error.message or desc),
    }
    return {
        "error": {
            "code": "FICO-Platform-Http-%d" % status,
            "desc": reason,
            "message": js_escape(reason),
            "innerError": inner,
            "details": [
                {"code": d.code, "desc": d.desc, "message": js_escape(d.message), "target": d.target, "timestamp": now}
                for d in error.details
            ],
            "spanId": os.urandom(8).hex(),
            "traceId": os.urandom(16).hex(),
            "timestamp": now,
        }
    }
