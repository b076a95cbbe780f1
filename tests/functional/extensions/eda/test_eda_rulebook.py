"""End to end: ansible-rulebook runs the rulebook xpress.insight.insight_job_alerts from the built, installed collection
against the emulator: a FAILED job gets its message file saved, a job queued too long is cancelled."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Optional

import pytest
import yaml

from ansible_fixtures import BIN, ROOT, _capture
from eda_helpers import wait_polls

JOB_FAILING = "5e0b2a44-0000-4000-8000-000000000001"
JOB_STUCK = "5e0b2a44-0000-4000-8000-000000000002"
JOB_YOUNG = "5e0b2a44-0000-4000-8000-000000000003"
MESSAGE = "5e0b2a44-0000-4000-8000-00000000aaaa"
LOG_TEXT = "solver log: infeasible at row 42\n"
# Bounds the whole run: JVM start, the first polls, two playbook runs.
DEADLINE = 180


def java_home() -> Optional[str]:
    """A Java 17+ home for ansible-rulebook (JAVA_HOME first, then java on PATH), or None."""
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(os.path.join(os.environ["JAVA_HOME"], "bin", "java"))
    if shutil.which("java"):
        candidates.append(os.path.realpath(shutil.which("java")))
    for java in candidates:
        try:
            out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30, check=False).stderr
        except OSError:
            continue
        match = re.search(r'version "(\d+)', out)
        if match and int(match.group(1)) >= 17:
            return os.path.dirname(os.path.dirname(java))
    return None


@pytest.fixture(scope="module")
def installed_collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The collection built into a tarball and installed from it, as a user gets it."""
    base = tmp_path_factory.mktemp("eda-install")
    galaxy = str(BIN / "ansible-galaxy")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(base / "collections"), ANSIBLE_NOCOLOR="1")
    subprocess.run([galaxy, "collection", "build", str(ROOT), "--output-path", str(base)], check=True, env=env,
                   capture_output=True, text=True)
    (tarball,) = base.glob("xpress-insight-*.tar.gz")
    subprocess.run([galaxy, "collection", "install", "--offline", "-p", str(base / "collections"), str(tarball)],
                   check=True, env=env, capture_output=True, text=True)
    assert (base / "collections/ansible_collections/xpress/insight/extensions/eda/plugins/event_source/insight_jobs.py").is_file()
    return base / "collections"


def seed() -> Dict[str, Any]:
    jobs = [
        {"id": JOB_FAILING, "scenario": "/Logistics/Failing", "status": "EXECUTING", "created": "-10m",
         "run_seconds": 30, "outcome": "FAILED", "messages": [{"id": MESSAGE, "content": LOG_TEXT}]},
        {"id": JOB_STUCK, "scenario": "/Logistics/Stuck", "status": "QUEUED", "created": "-2h", "queue_seconds": 99999},
        {"id": JOB_YOUNG, "scenario": "/Logistics/Young", "status": "QUEUED", "created": "-1m", "queue_seconds": 99999},
    ]
    return {"apps": [{"name": "Logistics", "scenarios": [{"name": "Failing"}, {"name": "Stuck"}, {"name": "Young"}]}],
            "jobs": jobs}


def status_of(insight: Any, job_id: str) -> str:
    return next(j["status"] for j in insight.state()["jobs"] if j["id"] == job_id)


def test_rulebook_saves_failed_job_messages_and_cancels_stuck_jobs(insight, installed_collection, tmp_path):
    home = java_home()
    if home is None:
        pytest.skip("ansible-rulebook needs a Java 17+ runtime and none was found (JAVA_HOME or java on PATH): "
                    "install Debian's openjdk-17-jre-headless (ci/ensure_java.sh does it as root)")
    insight.reset(seed())
    messages = tmp_path / "messages"
    messages.mkdir()
    variables = tmp_path / "vars.yml"
    variables.write_text(yaml.safe_dump({"insight_app": "Logistics", "insight_interval": 1, "insight_queued_for": "1h",
                                         "insight_message_id": MESSAGE, "insight_message_dir": str(messages)}))
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}))
    alice = insight.users["alice"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INSIGHT_", "ANSIBLE_"))}
    env.update(INSIGHT_URL=insight.url, INSIGHT_CLIENT_ID=alice["client_id"], INSIGHT_SECRET=alice["secret"],
               ANSIBLE_COLLECTIONS_PATH=str(installed_collection), ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"),
               ANSIBLE_NOCOLOR="1", JAVA_HOME=home, HOME=str(tmp_path),
               PATH=str(BIN) + os.pathsep + os.environ.get("PATH", ""))
    cmd = [str(BIN / "ansible-rulebook"), "-r", "xpress.insight.insight_job_alerts", "-i", str(inventory),
           "-e", str(variables), "-v"]
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    saved = messages / ("%s-%s" % (JOB_FAILING, MESSAGE))
    try:
        deadline = time.monotonic() + DEADLINE
        wait_polls(insight, 1, timeout=DEADLINE)
        # The source knows the jobs now; let the running job fail.
        insight.clock("step", seconds=60)
        while not (saved.exists() and status_of(insight, JOB_STUCK) in ("CANCELLING", "CANCELLED")):
            assert proc.poll() is None, "ansible-rulebook exited early (%s)" % proc.returncode
            assert time.monotonic() < deadline, "the rulebook did not act within %d s" % DEADLINE
            time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            stdout, stderr = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
        _capture("ansible-rulebook", cmd, subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr))
    assert saved.read_text() == LOG_TEXT
    assert status_of(insight, JOB_FAILING) == "FAILED"
    assert status_of(insight, JOB_YOUNG) == "QUEUED", "a job queued for a minute is left alone"
    assert "Traceback" not in stdout + stderr
    assert "[WARNING]" not in stdout + stderr
    assert alice["secret"] not in stdout + stderr
