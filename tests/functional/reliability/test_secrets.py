"""Secrets stay secret: the key pair's secret, bearer tokens and the Authorization header never show in task
output, -vvvv output, error messages, diff output, inventory cache files or the emulator's request log; TLS is
verified by default and turning verification off warns once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List

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
