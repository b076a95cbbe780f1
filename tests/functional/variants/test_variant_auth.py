"""Authentication and authorization failures, and token lifetimes, under the server variants for them."""
from __future__ import annotations

import pytest

from variant_fixtures import AUTH_VARIANTS

FOLDER = "xpress.insight.insight_folder"
TOKEN = "POST /api/authentication/token"


def play(*tasks):
    return {"name": "auth", "hosts": "localhost", "gather_facts": False, "tasks": list(tasks)}


def one(result, name):
    entries = [e for e in result.results if e["task"] == name]
    assert len(entries) == 1, result
    return entries[0]


@pytest.mark.parametrize("variant", AUTH_VARIANTS, indirect=True)
def test_refused_key_and_refused_write_are_one_clear_line(variant, insight, run_playbook):
    users = insight.load_users()
    bad = run_playbook(play({"name": "bad key", FOLDER: {"path": "/Logistics/Never"}}),
                       env={"INSIGHT_SECRET": "not-the-secret"})
    entry = one(bad, "bad key")
    assert entry["status"] == "failed"
    msg = entry["result"]["msg"]
    assert "401" in msg and "\n" not in msg and "not-the-secret" not in msg, msg
    rita = {"INSIGHT_CLIENT_ID": users["rita"]["client_id"], "INSIGHT_SECRET": users["rita"]["secret"]}
    refused = run_playbook(play({"name": "write", FOLDER: {"path": "/Logistics/Never"}}), env=rita)
    entry = one(refused, "write")
    assert entry["status"] == "failed"
    denied = entry["result"]["msg"]
    assert "403" in denied and "POST /api/folders" in denied and "\n" not in denied, denied
    if variant["auth_error_body"] != "envelope":
        assert "authentication failed" in msg, msg
        assert "not allowed: POST /api/folders" in denied, denied
        assert "<html" not in msg + denied
    assert "/Logistics/Never" not in [f["path"] for f in insight.state()["folders"]]


@pytest.mark.parametrize("variant", ["default", "token-lifetime-refused"], indirect=True)
def test_a_longer_token_lifetime_is_capped_or_retried_with_900(variant, insight, run_playbook):
    insight.reset_counters()
    result = run_playbook(play({"name": "read", "xpress.insight.insight_folder_info": {"path": "/Logistics"}}),
                          env={"INSIGHT_TOKEN_LIFETIME": "7200"})
    assert result.rc == 0, result
    tokens = insight.counters()["by_route"][TOKEN]
    if variant["max_age_over"] == "refuse":
        assert tokens == 2  # refused with 422, then asked once more for 900 seconds
        assert [e["status"] for e in insight.log() if e["route"] == TOKEN] == [422, 200]
    else:
        assert tokens == 1
