# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bearer tokens: exchanged from an API key pair (Insight or FICO Platform IAM), or given as is."""

from __future__ import annotations

import abc
import threading
import time
from typing import Any, Callable, Optional, Tuple

from ._errors import InsightError, InsightHTTPError, has_control
from ._scrub import register, register_token

# The lifetime the vendor's client asks for; servers may cap or refuse longer ones. Renew this long before expiry.
TOKEN_MAX_AGE = 900
RENEW_MARGIN = 30.0

# (method, url_or_path, json_body, kind, use_auth) -> parsed body; provided by the client so tokens share its session.
Exchange = Callable[..., Any]


class TokenSource(abc.ABC):
    """Hands out a bearer token, renewing it when it is about to expire or was rejected."""

    renewable = True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._token: Optional[str] = None
        self._expires = 0.0

    def token(self, exchange: Exchange) -> str:
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires - RENEW_MARGIN:
                token, expires = self._fetch(exchange)
                # A token that cannot go into a header makes requests raise an error quoting the header, and so the
                # token: refuse it here, without its text.
                if has_control(token) or token != token.strip():
                    raise InsightError("the server answered a token with a control character or white space; "
                                       "it cannot be sent back in a header")
                # Before any call sends it: a server quoting the Authorization header must not print it.
                register_token(token)
                self._token, self._expires = token, expires
            return self._token

    def invalidate(self, rejected: str) -> bool:
        """Forget a token the server rejected; True when a new one can be fetched."""
        with self._lock:
            if self._token == rejected:
                self._token = None
        return self.renewable

    @abc.abstractmethod
    def _fetch(self, exchange: Exchange) -> Tuple[str, float]:
        """A new token and the monotonic time it expires at."""


class KeyPairToken(TokenSource):
    """`POST /api/authentication/token` with the key pair; the answer is the raw token as plain text.

    The token is taken to expire `max_age` seconds after the request was sent (a server that caps the lifetime
    makes the first call after the cap fail with 401, which renews the token once). A server that refuses the
    lifetime (400 or 422) is asked once more with the vendor's 900 seconds, which is then used from there on."""

    def __init__(self, client_id: str, secret: str, max_age: int = TOKEN_MAX_AGE) -> None:
        super().__init__()
        register(secret)
        self._client_id = client_id
        self._secret = secret
        self._max_age = max_age

    def _request(self, exchange: Exchange, max_age: int) -> Tuple[str, float]:
        sent = time.monotonic()
        body = {"clientId": self._client_id, "secret": self._secret, "maxAge": max_age}
        token = exchange("POST", "/api/authentication/token", body, "text", False)
        token = (token or "").strip()
        if not token:
            raise InsightError("the server answered an empty token", "POST", "/api/authentication/token")
        return token, sent + max_age

    def _fetch(self, exchange: Exchange) -> Tuple[str, float]:
        try:
            return self._request(exchange, self._max_age)
        except InsightHTTPError as exc:
            if exc.status not in (400, 422) or self._max_age == TOKEN_MAX_AGE:
                raise
        self._max_age = TOKEN_MAX_AGE
        return self._request(exchange, TOKEN_MAX_AGE)


class IamToken(TokenSource):
    """FICO Platform deployments: the IAM endpoint answers JSON with the token and its expiry in epoch milliseconds."""

    def __init__(self, auth_url: str, client_id: str, secret: str) -> None:
        super().__init__()
        register(secret)
        self._url = auth_url
        self._body = {"clientId": client_id, "secret": secret}

    def _fetch(self, exchange: Exchange) -> Tuple[str, float]:
        started = time.monotonic()
        answer = exchange("POST", self._url, self._body, "plain-json", False)
        token = answer.get("accessToken") if isinstance(answer, dict) else None
        if not token:
            raise InsightError("the IAM answer has no accessToken", "POST", self._url)
        expiry_ms = answer.get("expiryTimestamp")
        lifetime = float(TOKEN_MAX_AGE)
        if isinstance(expiry_ms, (int, float)):
            lifetime = max(0.0, expiry_ms / 1000.0 - time.time())
        return str(token), started + lifetime


class StaticToken(TokenSource):
    """A pre-issued bearer token: it cannot be renewed, so a 401 is final."""

    renewable = False

    def __init__(self, token: str) -> None:
        super().__init__()
        register(token)
        self._static = token

    def _fetch(self, exchange: Exchange) -> Tuple[str, float]:
        return self._static, float("inf")
