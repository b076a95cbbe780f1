"""Authentication: the token call, bearer checks on every other call, expiry, and no secrets in the log."""
from __future__ import annotations

import time

import requests

from conftest import JSON_TYPE, assert_error

TEXT_TYPE = "text/vnd.com.fico.xpress.insight.v2+plain"


def _token(insight, client_id, secret, **extra):
    body = dict({"clientId": client_id, "secret": secret}, **extra)
    return requests.post(insight.url + "/api/authentication/token", json=body, timeout=30)


def test_token_is_raw_text_with_the_insight_media_type(insight):
    alice = insight.users["alice"]
    answer = _token(insight, alice["client_id"], alice["secret"], maxAge=900)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == TEXT_TYPE
    assert answer.text and '"' not in answer.text and " " not in answer.text


def test_bad_client_id_or_secret_is_401_envelope(insight):
    alice = insight.users["alice"]
    assert_error(_token(insight, alice["client_id"], "wrong"), 401)
    assert_error(_token(insight, "nobody", alice["secret"]), 401)
    assert_error(_token(insight, None, None), 401)


def test_malformed_token_body_is_400(insight):
    answer = requests.post(insight.url + "/api/authentication/token", data=b"{not json",
                           headers={"Content-Type": "application/json"}, timeout=30)
    assert_error(answer, 400)
    alice = insight.users["alice"]
    assert_error(_token(insight, alice["client_id"], alice["secret"], maxAge="long"), 400, target="maxAge")


def test_every_other_call_needs_a_bearer_token(api):
    anonymous = api(None)
    for path in ("/api/apps", "/api/jobs", "/api/authentication/current-user", "/api/admin/users", "/api/nothing-here"):
        assert_error(anonymous.get(path), 401)
    for header in ("Bearer", "Basic abc", "Bearer not-a-token", "Bearer a b"):
        assert_error(anonymous.get("/api/apps", headers={"Authorization": header}), 401)


def test_current_user(api, insight):
    answer = api("rita").get("/api/authentication/current-user")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == JSON_TYPE
    user = answer.json()
    assert user["username"] == "rita"
    assert user["id"] == insight.users["rita"]["id"]
    assert user["status"] == "ACTIVE"


def test_token_expires_after_the_configured_cap(api, insight):
    insight.config(token_lifetime=1)
    session = api("alice", max_age=900)
    assert session.get("/api/apps").status_code == 200
    time.sleep(1.3)
    error = assert_error(session.get("/api/apps"), 401)
    assert "expired" in error["innerError"]["message"]


def test_max_age_shorter_than_the_cap_wins(api):
    session = api("alice", max_age=1)
    assert session.get("/api/apps").status_code == 200
    time.sleep(1.3)
    assert_error(session.get("/api/apps"), 401)


def test_control_can_expire_every_token(api, insight):
    session = api("alice")
    assert session.get("/api/apps").status_code == 200
    assert insight.expire_tokens() >= 1
    assert_error(session.get("/api/apps"), 401)


def test_reset_invalidates_tokens(api, insight):
    session = api("alice")
    insight.reset("demo")
    assert_error(session.get("/api/apps"), 401)


def test_request_log_holds_no_secrets_or_tokens(api, insight):
    session = api("alice")
    session.get("/api/apps")
    _token(insight, "alice-id", "wrong-secret")
    text = repr(insight.log())
    token = session.session.headers["Authorization"].split()[1]
    assert "POST /api/authentication/token" in text
    for secret in (token, insight.users["alice"]["secret"], "wrong-secret"):
        assert secret not in text
