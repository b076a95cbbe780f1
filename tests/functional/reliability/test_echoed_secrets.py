"""A server or proxy that quotes the refused request (its body with the secret, its Authorization header with the
bearer token) never makes a module, the inventory or their -vvv output print a secret of the run: the key pair's
secret, a static token and every bearer token obtained are masked in every server text, in whatever form it was
quoted (raw, JSON- or JavaScript-escaped, URL-encoded)."""

from __future__ import annotations

import json
from typing import List

import pytest

from hostile_server import CLIENT_ID, ECHO_PIECES, ECHO_SECRET, ECHO_TOKEN, HOSTILE_SECRETS, answer, echo_request
from reliability_helpers import INVENTORY, JOB_INFO, play, status, task

MASK = "********"
KINDS = ("envelope", "text", "urlencoded")


def leaked(text: str) -> List[str]:
    """Any piece of the echoed credentials, or any token the hostile server handed out, found in `text`."""
    return [piece for piece in ECHO_PIECES + HOSTILE_SECRETS if piece in text]


def test_a_module_never_returns_the_bearer_token_a_server_quotes(hostile, run_playbook):
    hostile.route("GET", "/api/jobs", echo_request(403))
    book = play(task("quoted", JOB_INFO, ignore=True))
    result = run_playbook(book, env=hostile.env(), verbosity=3)
    assert status(result, "quoted") == "failed"
    outcome = result.task("quoted")
    # The quote reached the message and the envelope, with the token masked.
    assert "refused Authorization: Bearer %s; body: " % MASK in outcome["msg"], outcome["msg"]
    assert outcome["error"]["error"]["details"][0]["message"] == "Authorization: Bearer %s; body: " % MASK
    assert leaked(json.dumps(result.results)) == []
    assert leaked(result.stdout + result.stderr) == []


def test_token_endpoints_that_quote_the_secret_never_print_it(hostile, run_playbook, run_inventory):
    """Insight's own POST /api/authentication/token and FICO IAM endpoints (auth_url), each quoting the request
    body as Insight does (JavaScript-escaped message), as a proxy does (raw text) and form-encoded."""
    hostile.route("POST", "/api/authentication/token", echo_request(401))
    for kind in KINDS:
        hostile.route("POST", "/iam/" + kind, echo_request(400, kind))
    env = dict(hostile.env(), INSIGHT_SECRET=ECHO_SECRET)
    tasks = [task("insight", JOB_INFO, ignore=True)]
    tasks += [task(kind, JOB_INFO, ignore=True, auth_url=hostile.url + "/iam/" + kind) for kind in KINDS]
    result = run_playbook(play(*tasks), env=env, verbosity=3)
    for name in ("insight",) + KINDS:
        assert status(result, name) == "failed", result
        assert MASK in result.task(name)["msg"], result.task(name)
    assert "refused " in result.task("insight")["msg"]
    assert leaked(json.dumps(result.results)) == []
    assert leaked(result.stdout + result.stderr) == []

    # The inventory's own path (its one error line becomes ansible-inventory's warning): Insight's endpoint and IAM.
    for auth_url in (None, hostile.url + "/iam/urlencoded"):
        extra = {"INSIGHT_AUTH_URL": auth_url} if auth_url else {}
        proc = run_inventory({"plugin": INVENTORY}, "--list", "-vvv", raw=True, env=dict(env, **extra))
        assert MASK in proc.stderr, proc.stderr
        assert leaked(proc.stdout + proc.stderr) == [], (auth_url, proc.stderr)


def test_the_inventory_never_prints_a_static_token_a_server_quotes(hostile, run_inventory):
    hostile.route("GET", "/api/jobs", echo_request(401))
    env = {"INSIGHT_URL": hostile.url, "INSIGHT_TOKEN": ECHO_TOKEN, "INSIGHT_CLIENT_ID": "", "INSIGHT_SECRET": ""}
    proc = run_inventory({"plugin": INVENTORY}, "--list", "-vvv", raw=True, env=env)
    assert "Bearer %s" % MASK in proc.stderr, proc.stderr
    assert leaked(proc.stdout + proc.stderr) == [], proc.stderr


@pytest.mark.parametrize("kind", ["text", "urlencoded"])
def test_an_excerpt_of_a_quoting_page_is_scrubbed_before_it_is_cut(hostile, run_playbook, kind):
    """A page of no Insight envelope is shown as an excerpt of 120 characters: the token is masked first, so no
    cut leaves a piece of it."""
    hostile.route("GET", "/api/jobs", echo_request(500, kind))
    # A token that stops right at the cut, once the proxy's prefix is counted.
    result = run_playbook(play(task("cut", JOB_INFO, ignore=True)),
                          env={"INSIGHT_URL": hostile.url, "INSIGHT_TOKEN": ECHO_TOKEN * 6})
    assert status(result, "cut") == "failed"
    assert MASK in result.task("cut")["msg"], result.task("cut")
    assert leaked(json.dumps(result.results) + result.stdout + result.stderr) == []


def test_the_client_id_and_ordinary_texts_are_left_alone(hostile, run_playbook):
    """Only secrets are masked: the client id and the rest of the server's text stay readable."""
    hostile.route("GET", "/api/jobs", answer({"error": {"code": "X", "message": "client %s may not list" % CLIENT_ID}}, 403))
    result = run_playbook(play(task("plain", JOB_INFO, ignore=True)), env=hostile.env())
    assert result.task("plain")["msg"] == "GET /api/jobs: 403 X: client %s may not list" % CLIENT_ID
