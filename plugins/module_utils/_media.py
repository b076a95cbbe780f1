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
