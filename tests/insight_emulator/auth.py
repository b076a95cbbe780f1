"""Bearer tokens: ``POST /api/authentication/token`` and the check in front of every other /api call."""
from __future__ import annotations

import hmac
import secrets
import time
from typing import Any, Optional

from insight_emulator.context import Request, Response
from insight_emulator.errors import TEXT_TYPE, ApiError, Detail, bad_request
from insight_emulator.model import User
from insight_emulator.views import user_view

DEFAULT_MAX_AGE = 900


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers={"WWW-Authenticate": "Bearer"})


def token(req: Request) -> Response:
    body = req.json_object()
    client_id, secret = body.get("clientId"), body.get("secret")
    max_age = body.get("maxAge", DEFAULT_MAX_AGE)
    if max_age is None:
        max_age = DEFAULT_MAX_AGE
    if isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 1:
        raise bad_request("maxAge", "maxAge must be a positive number of seconds")
    store = req.store
    user: Optional[User] = None
    if isinstance(client_id, str) and isinstance(secret, str):
        for candidate in store.users.values():
            if candidate.client_id == client_id:
                if hmac.compare_digest(candidate.secret.encode("utf-8"), secret.encode("utf-8")):
                    user = candidate
                break
    if user is None or user.status != "ACTIVE":
        raise _unauthorized("Invalid client ID or secret")
    if max_age > store.config.token_lifetime and store.config.max_age_over == "refuse":
        raise ApiError(422, "maxAge must be at most %d seconds" % store.config.token_lifetime,
                       details=[Detail("maxAge", "maxAge must be at most %d seconds" % store.config.token_lifetime)])
    value = secrets.token_urlsafe(32)
    lifetime = min(float(max_age), float(store.config.token_lifetime))
    now = time.monotonic()
    if len(store.tokens) > 10000:
        for key in [k for k, entry in store.tokens.items() if entry[1] <= now]:
            del store.tokens[key]
    store.tokens[value] = (user.id, now + lifetime)
    return Response(200, value, TEXT_TYPE)


def authenticate(store: Any, header: Optional[str]) -> User:
    """The user behind an ``Authorization: Bearer`` header, or 401 (missing, malformed, unknown, expired)."""
    if not header:
        raise _unauthorized("Full authentication is required to access this resource")
    scheme, _sep, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or " " in value:
        raise _unauthorized("The Authorization header is not a bearer token")
    entry = store.tokens.get(value)
    if entry is None:
        raise _unauthorized("The token is not valid")
    user_id, expiry = entry
    if expiry <= time.monotonic():
        store.tokens.pop(value, None)
        raise _unauthorized("The token has expired")
    user = store.users.get(user_id)
    if user is None or user.status != "ACTIVE":
        raise _unauthorized("The token is not valid")
    return user


def current_user(req: Request) -> Response:
    return Response(200, user_view(req.caller))


def expire_all(store: Any) -> int:
    count = len(store.tokens)
    store.tokens.clear()
    return count
