"""Secrets stay secret: the key pair's secret, bearer tokens and the Authorization header never show in task
output, -vvvv output, error messages, diff output, inventory cache files or the emulator's request log; TLS is
verified by default and turning verification off warns once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List

from forwarding_proxy import ForwardingProxy
from reliability_helpers import FOLDER, INVENTORY, JOB_CANCEL, JOB_INFO, SECRETS, play, status, task, user_env


def leaks(text: str, secrets: List[str]) -> List[str]:
    found = [secret for secret in secrets if secret in text]
    found += [marker for marker in ("Bearer ", "Authorization") if marker in text]
    return found


def test_no_secret_or_token_in_any_output(plant, run_playbook, run_inventory, tmp_path):
    token = plant.token("alice")
    env = user_env(plant, "alice")
    book = play(
        task("tree", FOLDER, path=["/Plant/Area 1", "/Plant/Area 1/Unit 1"], share_status="READONLY"),
        task("wrong secret", FOLDER, ignore=True, path="/Plant/Area 2", secret=SECRETS["bob"] + "-not"),
        task("jobs by token", JOB_INFO, app="Ops", client_id="", secret="", token=token),
        task("cancel", JOB_CANCEL, app="Ops", max_jobs=0),
        task("refused", JOB_CANCEL, ignore=True, id=["0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11"], on_missing="fail"),
    )
    result = run_playbook(book, env=env, verbosity=4, diff=True)
    assert result.rc == 0, result
    assert status(result, "wrong secret") == "failed" and "401" in result.task("wrong secret")["msg"]
    assert result.task("cancel")["diff"]["after"]["jobs"]
    secrets = list(SECRETS.values()) + [SECRETS["bob"] + "-not", token]
    assert leaks(result.stdout + result.stderr, secrets) == []
    assert leaks(json.dumps(result.results), secrets) == []

    cache = tmp_path / "inventory-cache"
    config = {"plugin": INVENTORY, "cache": True, "cache_plugin": "ansible.builtin.jsonfile",
              "cache_connection": str(cache)}
    listing = run_inventory(config, "--list", "-vvvv", raw=True, env=env)
    assert listing.returncode == 0 and "insight_status_queued" in listing.stdout, listing.stderr
    assert leaks(listing.stdout + listing.stderr, secrets) == []
    files = [path for path in Path(cache).rglob("*") if path.is_file()]
    assert files
    assert leaks("".join(path.read_text(encoding="utf-8", errors="replace") for path in files), secrets) == []
    with_token = run_inventory(dict(config, cache=False), "--list", "-vvvv", raw=True,
                               env={"INSIGHT_URL": plant.url, "INSIGHT_TOKEN": token})
    assert with_token.returncode == 0 and leaks(with_token.stdout + with_token.stderr, secrets) == []

    log = plant.log()
    assert log and any(entry["route"] == "POST /api/authentication/token" for entry in log)
    assert leaks(json.dumps(log), secrets) == []


def test_tls_is_verified_by_default_and_turning_it_off_warns_once(emulator_tls, run_playbook, run_inventory):
    tls = emulator_tls.control()
    alice = tls.users["alice"]
    env = {"INSIGHT_URL": tls.url, "INSIGHT_CLIENT_ID": alice["client_id"], "INSIGHT_SECRET": alice["secret"]}
    book = play(task("verified", JOB_INFO, ignore=True),
                task("unverified", JOB_CANCEL, validate_certs=False, app="Portfolio", status=["CANCELLING"], parallel=4),
                task("with ca", JOB_INFO, ca_path=tls.ca))
    result = run_playbook(book, env=env)
    assert "certificate verify failed" in result.task("verified")["msg"]
    warned = [w for w in result.task("unverified").get("warnings", []) if "validate_certs" in w]
    assert len(warned) == 1, result.task("unverified")
    assert result.stdout.count("validate_certs is false") + result.stderr.count("validate_certs is false") == 1
    assert "InsecureRequestWarning" not in result.stdout + result.stderr
    assert status(result, "with ca") == "ok" and not result.task("with ca").get("warnings")

    config = {"plugin": INVENTORY, "validate_certs": False, "parallel": 4}
    tls.config(page_size_cap=2)  # several pages: several calls, still one warning
    proc = run_inventory(config, raw=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("validate_certs is false") == 1, proc.stderr
    assert "InsecureRequestWarning" not in proc.stderr


TEST_NET = "http://192.0.2.1:8080"  # TEST-NET-1: documentation only, never routed


def test_plain_http_to_another_machine_is_refused_before_anything_is_sent(plant, run_playbook, run_inventory):
    env = user_env(plant, "alice")
    before = len(plant.log())
    book = play(task("refused", JOB_INFO, ignore=True, url=TEST_NET),
                task("refused auth_url", JOB_INFO, ignore=True, auth_url=TEST_NET + "/token"),
                task("allowed", JOB_INFO, ignore=True, url=TEST_NET, allow_http=True, timeout=1, retries=0),
                task("loopback", JOB_INFO, app="Ops"))
    result = run_playbook(book, env=env)
    refused = result.task("refused")["msg"]
    assert refused == ("url: plain http:// to 192.0.2.1 would send the credentials unencrypted; use https://, "
                       "or set allow_http: true for a test server")
    assert result.task("refused auth_url")["msg"].startswith("auth_url: plain http:// to 192.0.2.1")
    allowed = result.task("allowed")
    assert status(result, "allowed") == "failed" and "192.0.2.1" in allowed["msg"] and "plain http" not in allowed["msg"]
    assert [w for w in allowed.get("warnings", []) if "allow_http is true" in w] == [
        "allow_http is true: credentials and tokens go unencrypted to 192.0.2.1; use it with test servers only"]
    assert status(result, "loopback") == "ok" and not result.task("loopback").get("warnings")
    # Only the loopback task reached the emulator (its token call, then its listing).
    assert all(entry["user"] == "alice" or entry["route"].startswith("POST /api/authentication")
               for entry in plant.log()[before:])

    env["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "true"
    proc = run_inventory({"plugin": INVENTORY}, raw=True, env=dict(env, INSIGHT_URL=TEST_NET))
    assert proc.returncode != 0 and "url: plain http:// to 192.0.2.1" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    allowed_inv = run_inventory({"plugin": INVENTORY, "timeout": 1, "retries": 0}, raw=True,
                                env=dict(env, INSIGHT_URL=TEST_NET, INSIGHT_ALLOW_HTTP="true"))
    assert allowed_inv.returncode != 0 and allowed_inv.stderr.count("allow_http is true") == 1, allowed_inv.stderr


def test_netrc_never_replaces_the_bearer_token(plant, run_playbook, run_inventory, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    netrc = home / ".netrc"
    netrc.write_text("machine 127.0.0.1 login netrc-user password netrc-pass-31x\n", encoding="utf-8")
    netrc.chmod(0o600)
    env = user_env(plant, "alice", HOME=str(home))
    with ForwardingProxy() as proxy:
        book = play(task("jobs", JOB_INFO, app="Ops"), task("tree", FOLDER, path="/Plant/Netrc"))
        result = run_playbook(book, env=dict(env, HTTP_PROXY=proxy.url, NO_PROXY="", no_proxy=""))
        assert result.rc == 0, result
        assert result.task("jobs")["jobs"]
        listing = run_inventory({"plugin": INVENTORY}, env=dict(env, HTTP_PROXY=proxy.url, NO_PROXY="", no_proxy=""))
        assert listing["insight_jobs"]["hosts"]
    # Every call went through the proxy with the bearer token, and never with the netrc login.
    api = [entry for entry in proxy.seen if entry["path"].startswith("/api/")]
    assert {"GET", "POST"} <= {entry["method"] for entry in api}
    assert all(entry["bearer"] for entry in api if entry["path"] != "/api/authentication/token"), api
    assert not any(entry["basic"] for entry in api), api
    assert "netrc-pass-31x" not in json.dumps(plant.log()) + result.stdout + result.stderr


def test_no_proxy_sends_the_calls_direct(plant, run_playbook):
    with ForwardingProxy() as proxy:
        result = run_playbook(play(task("jobs", JOB_INFO, app="Ops")),
                              env=user_env(plant, "alice", HTTP_PROXY=proxy.url, NO_PROXY="127.0.0.1", no_proxy=""))
    assert status(result, "jobs") == "ok", result
    assert proxy.seen == []
