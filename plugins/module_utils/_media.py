# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Insight's media types, and the loose matching the API reference asks clients to do."""

from __future__ import annotations

import re

JSON = "application/vnd.com.fico.xpress.insight.v2+json"
TEXT = "text/vnd.com.fico.xpress.insight.v2+plain"
BINARY = "application/vnd.com.fico.xpress.insight.v2+octet-stream"

# Any vendor flavour with optional parameters is acceptable; plain JSON is what the FICO Platform IAM endpoint uses.
_KINDS = {
    "json": re.compile(r"^application/(?:[\w.+-]*\+)?json\s*(?:;.*)?$", re.IGNORECASE),
    "text": re.compile(r"^text/(?:[\w.+-]*\+)?plain\s*(?:;.*)?$", re.IGNORECASE),
    "binary": re.compile(r"^application/(?:[\w.+-]*\+)?octet-stream\s*(?:;.*)?$", re.IGNORECASE),
}
# What each kind of call accepts. Like the vendor's client, the token call and downloads also accept JSON, so an
# error answer arrives as an error envelope rather than as an empty body.
ACCEPT = {"json": JSON, "text": TEXT + ", " + JSON, "binary": BINARY + ", " + JSON}
NAMES = {"json": "JSON", "text": "plain text", "binary": "binary"}


def is_kind(content_type: str, kind: str) -> bool:
    return bool(_KINDS[kind].match((content_type or "").strip()))


# What a 2xx answer of another type most likely is, when a file was asked for: the line says it, so the user looks
# at the gateway or proxy in front of Insight rather than at the job.
_LIKELY = (
    (re.compile(r"^(?:text/html|application/xhtml\+xml)\s*(?:;.*)?$", re.IGNORECASE),
     "a sign-in page of a gateway or proxy?"),
    (_KINDS["json"], "a JSON document, not a file: a proxy's answer, or the wrong route?"),
    (re.compile(r"^text/", re.IGNORECASE), "a text page of a gateway or proxy?"),
)
_SHOWN_TYPE = 100  # characters of a content type kept on the line


def describe_not_a_file(content_type: str) -> str:
    """`content_type` for a line saying a file was expected, with what the answer likely is."""
    text = (content_type or "").strip()
    if not text:
        return "no content type (Insight names every file %s)" % BINARY
    shown = text if len(text) <= _SHOWN_TYPE else text[:_SHOWN_TYPE] + "..."
    for pattern, likely in _LIKELY:
        if pattern.match(text):
            return "%s (%s)" % (shown, likely)
    return "%s (not a file type Insight sends)" % shown
