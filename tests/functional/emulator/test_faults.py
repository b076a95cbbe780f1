"""Fault injection: replaced statuses, proxies' HTML answers, dropped connections, latency, rate and count."""
from __future__ import annotations

import urllib.error

import pytest
import requests

from conftest import assert_error


def _new_folder(alice, name):
    app = alice.lookup("/Logistics")
    return alice.post("/api/folders", json={"name": name, "parent": {"id": app["id"], "objectType": "APP"}})


@pytest.mark.parametrize("status", [429, 503])
def test_status_with_retry_after(api, insight, status):
    alice = api("alice")
    insight.faults({"route": "GET /api/apps", "kind": "status", "status": status, "retry_after": 2, "count": 1})
    answer = alice.get("/api/apps")
    assert_error(answer, status)
    assert answer.headers["Retry-After"] == "2"
    assert alice.get("/api/apps").status_code == 200
    assert alice.get("/api/apps").status_code == 200


def test_retry_after_can_be_an_http_date(api, insight):
    alice = api("alice")
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    insight.faults({"route": "GET /api/apps", "kind": "status", "status": 503, "retry_after": date, "count": 1})
    answer = alice.get("/api/apps")
    assert_error(answer, 503)
    assert answer.headers["Retry-After"] == date


def test_500_envelope_and_other_routes_unaffected(api, insight):
    alice = api("alice")
    insight.faults({"route": "GET /api/jobs", "kind": "status", "status": 500})
    assert_error(alice.get("/api/jobs"), 500)
    assert alice.get("/api/apps").status_code == 200
    insight.clear_faults()
    assert alice.get("/api/jobs").status_code == 200


def test_502_from_a_proxy_html_or_empty(api, insight):
    alice = api("alice")
    insight.faults({"route": "*", "kind": "status", "status": 502, "count": 1},
                   {"route": "*", "kind": "status", "status": 502, "body": "empty", "count": 1})
    html = alice.get("/api/apps")
    assert html.status_code == 502
    assert html.headers["Content-Type"] == "text/html"
    assert "<html>" in html.text
    empty = alice.get("/api/apps")
    assert empty.status_code == 502 and empty.content == b""
    assert "Content-Type" not in empty.headers
    assert alice.get("/api/apps").status_code == 200


def test_sign_in_answers_200_with_a_gateway_page_or_nothing(api, insight):
    alice = api("alice")
    route = "GET /api/apps"
    insight.faults({"route": route, "kind": "sign_in", "count": 1},
                   {"route": route, "kind": "sign_in", "body": "empty", "count": 1})
    page = alice.get("/api/apps")
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"<form" in page.content and b"password" in page.content
    empty = alice.get("/api/apps")
    assert empty.status_code == 200 and empty.content == b""
    assert "Content-Type" not in empty.headers
    assert alice.get("/api/apps").headers["Content-Type"].startswith("application/vnd.com.fico.xpress.insight.v2+json")
    assert [entry["status"] for entry in insight.log() if entry.get("fault") == "sign_in"] == [200, 200]


@pytest.mark.parametrize("rule, why", [
    ({"kind": "sign_in", "status": 302}, "always answers 200"),
    ({"kind": "sign_in", "body": "envelope"}, "html or empty"),
])
def test_sign_in_rules_that_cannot_be_played_are_refused(api, insight, rule, why):
    with pytest.raises(RuntimeError, match=why):
        insight.faults(dict(rule, route="GET /api/apps"))
    assert api("alice").get("/api/apps").status_code == 200


def test_drop_before_leaves_state_unchanged(api, insight):
    alice = api("alice")
    insight.faults({"route": "POST /api/folders", "kind": "drop", "when": "before", "count": 1})
    with pytest.raises(requests.exceptions.ConnectionError):
        _new_folder(alice, "Dropped")
    assert_error(alice.get("/api/repository", params={"path": "/Logistics/Dropped"}), 404)
    assert _new_folder(alice, "Dropped").json()["name"] == "Dropped"


def test_drop_after_applies_the_change(api, insight):
    alice = api("alice")
    insight.faults({"route": "POST /api/folders", "kind": "drop", "when": "after", "count": 1})
    with pytest.raises(requests.exceptions.ConnectionError):
        _new_folder(alice, "Ghost")
    assert alice.lookup("/Logistics/Ghost")["name"] == "Ghost"
    # A client that retries blindly makes a duplicate, as against the real server.
    assert _new_folder(alice, "Ghost").json()["name"] == "Ghost (1)"


def test_status_after_applies_the_change(api, insight):
    alice = api("alice")
    job = next(j for j in insight.state()["jobs"] if j["status"] == "QUEUED" and not j["locked"])
    insight.faults({"route": "DELETE /api/jobs/{id}", "kind": "status", "status": 503, "when": "after", "count": 1})
    assert_error(alice.delete(job["url"]), 503)
    assert alice.get(job["url"]).json()["status"] == "CANCELLED"


def test_drop_mid_answer(api, insight):
    alice = api("alice")
    insight.faults({"route": "GET /api/jobs", "kind": "drop", "partial": True, "count": 1})
    with pytest.raises(requests.exceptions.RequestException):
        alice.get("/api/jobs").json()
    assert alice.get("/api/jobs").status_code == 200


def test_latency_delays_but_answers(api, insight):
    alice = api("alice")
    insight.faults({"route": "GET /api/apps", "kind": "latency", "delay": 0.2, "count": 2})
    assert alice.get("/api/apps").status_code == 200
    assert alice.get("/api/apps").status_code == 200
    alice.get("/api/apps")
    rules = insight._call("GET", "/_emulator/faults")["rules"]  # pylint: disable=protected-access
    assert rules[0]["fired"] == 2 and rules[0]["remaining"] == 0


def test_rate_is_seeded_and_repeats(api, insight):
    def pattern():
        insight.reset("demo")
        alice = api("alice")
        insight.faults({"route": "GET /api/apps", "kind": "status", "status": 503, "rate": 0.3, "seed": 7})
        return [alice.get("/api/apps").status_code for _attempt in range(40)]
    first = pattern()
    assert 0 < first.count(503) < 40
    assert set(first) == {200, 503}
    assert pattern() == first


def test_global_rule_hits_the_token_call_and_faults_are_logged(api, insight):
    insight.faults({"route": "*", "kind": "status", "status": 503, "count": 1})
    with pytest.raises(urllib.error.HTTPError):
        api("alice")
    entry = insight.log()[-1]
    assert entry["route"] == "POST /api/authentication/token"
    assert entry["fault"] == "status" and entry["status"] == 503


def test_bad_rules_are_refused(insight):
    for rule in ({"kind": "explode"}, {"kind": "status", "status": 200}, {"when": "later"}, {"colour": "red"}):
        with pytest.raises(RuntimeError):
            insight.faults(rule)
