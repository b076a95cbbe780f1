# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one scrubber of server text: every secret of the run (the key pair's secret, a static token, each bearer
token obtained) is replaced by MASK in any text a server or proxy sent before it becomes a message, log line, event
or returned envelope. A server that quotes the refused request (its body or its Authorization header) would
otherwise print the secret: Ansible's no_log masks task parameters only, and not in inventory or event sources.

The registry is per process, so that an error raised deep in the client is scrubbed wherever it is shown. Secrets
of MIN_LENGTH characters or more are masked. A shorter one occurs by chance in ordinary words and numbers: masking
"x" or "401" would garble every message of the process (and every later test in a test process), while a secret that
short protects nothing; Insight's generated client secrets and its tokens are far longer. The empty string is never
a secret. Besides the text itself, the forms a server can quote it in are masked too: JSON-escaped,
JavaScript-escaped (as Insight escapes its messages, commons-lang escapeJavaScript), both, and URL-encoded (form or
path, either hex case)."""

from __future__ import annotations

import collections
import json
import re
import threading
from typing import Any, Deque, Dict, List, Optional, Pattern, Set
from urllib.parse import quote, quote_plus

MASK = "********"
MIN_LENGTH = 8
# A run renews its token every few minutes; an event source runs for weeks. Tokens older than this many renewals
# expired long ago (one renewal happens shortly before expiry), so holding them would only grow the registry.
RECENT_TOKENS = 16
# Secrets given as options: a process builds a handful of clients; the bound only stops a pathological caller.
MAX_SECRETS = 256


class _Registry:
    """The secrets of this process and the one pattern that finds any of their forms (rebuilt on each change)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.secrets: "collections.OrderedDict[str, None]" = collections.OrderedDict()
        self.tokens: Deque[str] = collections.deque(maxlen=RECENT_TOKENS)
        self.pattern: Optional[Pattern[str]] = None

    def rebuild(self) -> None:
        every: Set[str] = set()
        for secret in list(self.secrets) + list(self.tokens):
            every.update(forms(secret))
        ordered = sorted(every, key=lambda form: (-len(form), form))
        # Swapped in one assignment: threads scrubbing meanwhile use the old pattern or the new one, whole.
        self.pattern = re.compile("|".join(re.escape(form) for form in ordered)) if ordered else None


_REGISTRY = _Registry()


def _js_escape(text: str) -> str:
    """`text` escaped like commons-lang escapeJavaScript: quotes, backslash and slash, control characters and every
    non-ASCII character as \\uXXXX (upper-case hex)."""
    out = []
    for char in text:
        code = ord(char)
        if char in "'\"\\/":
            out.append("\\" + char)
        elif char in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[char])
        elif code < 32 or code > 0x7e:
            if code > 0xFFFF:
                code -= 0x10000
                out.append("\\u%04X\\u%04X" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
            else:
                out.append("\\u%04X" % code)
        else:
            out.append(char)
    return "".join(out)


def _escapes(text: str) -> Set[str]:
    return {json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1], _js_escape(text)}


def forms(secret: str) -> List[str]:
    """Every way a server is likely to quote `secret`, longest first: up to three layers of JSON and JavaScript
    escaping (the client JSON-encodes the request body, a server quoting it escapes it again for its message, which
    its answer JSON-encodes once more), and URL-encodings of the secret and of its JSON form."""
    found = {secret}
    layer = {secret}
    for depth in range(3):
        layer = set().union(*(_escapes(text) for text in layer))
        if depth == 0:
            quoted = set()
            for text in layer | {secret}:
                for encoded in (quote(text, safe=""), quote(text), quote_plus(text)):
                    quoted.add(encoded)
                    quoted.add(re.sub(r"%[0-9A-F]{2}", lambda match: match.group(0).lower(), encoded))
            found |= quoted
        found |= layer
    found.discard("")
    return sorted(found, key=lambda form: (-len(form), form))


def register(secret: Optional[str]) -> None:
    """A secret given as an option (the key pair's secret, a static token): masked from now on."""
    if not isinstance(secret, str) or len(secret) < MIN_LENGTH:
        return
    with _REGISTRY.lock:
        if secret in _REGISTRY.secrets:
            _REGISTRY.secrets.move_to_end(secret)
            return
        _REGISTRY.secrets[secret] = None
        while len(_REGISTRY.secrets) > MAX_SECRETS:
            _REGISTRY.secrets.popitem(last=False)
        _REGISTRY.rebuild()


def register_token(token: Optional[str]) -> None:
    """A bearer token the run obtained: masked from now on, together with the last RECENT_TOKENS ones."""
    if not isinstance(token, str) or len(token) < MIN_LENGTH:
        return
    with _REGISTRY.lock:
        if token in _REGISTRY.tokens:
            return
        _REGISTRY.tokens.append(token)
        _REGISTRY.rebuild()


def scrub(text: str) -> str:
    """`text` with every known secret, in each of its forms, replaced by MASK."""
    pattern = _REGISTRY.pattern
    if pattern is None or not text:
        return text
    return pattern.sub(MASK, text)


def scrub_data(value: Any) -> Any:
    """A copy of JSON-like data (dicts, lists, strings) with every string scrubbed, keys included."""
    pattern = _REGISTRY.pattern
    if pattern is None:
        return value
    return _walk(value, pattern)


def _walk(value: Any, pattern: Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(MASK, value) if pattern.search(value) else value
    if isinstance(value, dict):
        out: Dict[Any, Any] = {}
        for key, item in value.items():
            out[_walk(key, pattern) if isinstance(key, str) else key] = _walk(item, pattern)
        return out
    if isinstance(value, (list, tuple)):
        return [_walk(item, pattern) for item in value]
    return value
