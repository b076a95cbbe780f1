"""Helpers for the emulator's own tests: an authenticated requests session per seeded user."""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional

import pytest
import requests

from insight_emulator.control import Control

JSON_TYPE = "application/vnd.com.fico.xpress.insight.v2+json"


class Api:
    """Real HTTP to the emulator as one user; ``path`` is relative to the base URL."""

    def __init__(self, control: Control, username: Optional[str], max_age: int = 900) -> None:
        self.control = control
        self.session = requests.Session()
        self.session.headers["Content-Type"] = JSON_TYPE
        if username is not None:
            self.session.headers["Authorization"] = "Bearer " + control.token(username, max_age)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        if self.control.ca:
            # Per request: requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a session's verify.
            kwargs.setdefault("verify", self.control.ca)
        return self.session.request(method, self.control.url + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def lookup(self, path: str) -> Dict[str, Any]:
        answer = self.get("/api/repository", params={"path": path})
        assert answer.status_code == 200, answer.text
        return answer.json()


def assert_error(answer: requests.Response, status: int, inner_code: Optional[str] = None, target: Optional[str] = None) -> Dict[str, Any]:
    """The answer is the full error envelope for ``status``."""
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"] == JSON_TYPE
    error = answer.json()["error"]
    assert error["code"] == "FICO-Platform-Http-%d" % status
    for key in ("desc", "message", "innerError", "details", "spanId", "traceId", "timestamp"):
        assert key in error, key
    for key in ("code", "desc", "message"):
        assert isinstance(error["innerError"][key], str)
    if inner_code:
        assert error["innerError"]["code"] == inner_code
    if target:
        assert target in [d["target"] for d in error["details"]], error["details"]
    return error


@pytest.fixture
def api(insight: Control) -> Callable[..., Api]:
    """``api("alice")``: a session authenticated as a seeded user; ``api(None)``: no token."""
    def make(username: Optional[str] = "alice", max_age: int = 900) -> Api:
        return Api(insight, username, max_age)
    return make
