"""What a route handler receives (Request) and returns (Response)."""
from __future__ import annotations

import json
import re
from typing import Any, Dict, Mapping, Optional

from insight_emulator.errors import JSON_TYPE, ApiError, Detail, bad_request, forbidden
from insight_emulator.model import FULL, User

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def encode_json(body: Any) -> bytes:
    """A JSON body as the server sends it: compact, UTF-8, non-ASCII text as is."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Response:
    __slots__ = ("status", "body", "content_type", "headers")

    def __init__(self, status: int, body: Any = None, content_type: Optional[str] = JSON_TYPE,
                 headers: Optional[Dict[str, str]] = None) -> None:
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers or {}


class Request:
    __slots__ = ("store", "method", "params", "query", "raw", "user", "base_url")

    def __init__(self, store: Any, method: str, params: Dict[str, str], query: Mapping[str, str], raw: bytes,
                 base_url: str) -> None:
        self.store = store
        self.method = method
        self.params = params
        self.query = query
        self.raw = raw
        self.user: Optional[User] = None
        self.base_url = base_url

    @property
    def caller(self) -> User:
        if self.user is None:  # every /api route but the token call is authenticated before its handler runs
            raise ApiError(401, "Authentication required")
        return self.user

    def require_full(self) -> User:
        """A read-only user gets 403 on every write, whatever the target."""
        user = self.caller
        if user.role != FULL:
            raise forbidden("User %s has read-only access" % user.username)
        return user

    def json_object(self) -> Dict[str, Any]:
        if not self.raw.strip():
            raise bad_request("body", "A JSON request body is required")
        try:
            value = json.loads(self.raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "The request body is not valid JSON", details=[Detail("body", "Malformed JSON")]) from None
        if not isinstance(value, dict):
            raise bad_request("body", "The request body must be a JSON object")
        return value

    def uuid(self, name: str) -> str:
        value = self.params[name]
        if not UUID_RE.match(value):
            raise bad_request(name, "Parameter %s must be a UUID, got \"%s\"" % (name, value))
        return value.lower()

    def query_uuid(self, name: str) -> Optional[str]:
        value = self.query.get(name)
        if value is None or value == "":
            return None
        if not UUID_RE.match(value):
            raise bad_request(name, "Parameter %s must be a UUID, got \"%s\"" % (name, value))
        return value.lower()

    def flag(self, name: str) -> bool:
        value = self.query.get(name)
        if value is None or value == "":
            return False
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise bad_request(name, "Parameter %s must be true or false" % name)
