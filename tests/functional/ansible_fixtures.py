"""pytest plugin: run real ansible-playbook and ansible-inventory processes against the emulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Union

import pytest
import yaml
from ansible.release import __version__ as ansible_version

import cli_starter

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CAPTURED = ROOT / "tests" / "output" / "captured"
CALLBACKS = Path(__file__).resolve().parent / "callback_plugins"
COLLECTION_PARTS = ("plugins", "extensions", "playbooks", "meta", "galaxy.yml", "README.md")
# Which path the collection's action plugins take in every playbook of the suite: `inprocess` (the default: the
# engine in the controller's worker) or `module` (the module run). CI runs the suite once with each; a test that
# needs a path of its own passes `insight_execution` in its extra_vars, which wins.
EXECUTION_MODES = ("inprocess", "module")
CORE = tuple(int(part) for part in ansible_version.split(".")[:2])


def execution_mode() -> str:
    mode = os.environ.get("INSIGHT_TEST_EXECUTION", "inprocess").strip().lower() or "inprocess"
    if mode not in EXECUTION_MODES:
        raise pytest.UsageError("INSIGHT_TEST_EXECUTION=%r: use one of %s" % (mode, ", ".join(EXECUTION_MODES)))
    if mode == "inprocess" and CORE < (2, 19):
        # Before ansible-core 2.19 every task runs as a module (plugin_utils/_action.py); forcing inprocess fails.
        return "module"
    return mode


class PlaybookResult:
    """What one ansible-playbook run did: exit code, output, and every task result by task name."""

    def __init__(self, rc: int, stdout: str, stderr: str, results: List[Dict[str, Any]]) -> None:
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.results = results
        self.tasks: Dict[str, Dict[str, Any]] = {}
        for entry in results:
            self.tasks[entry["task"]] = entry["result"]

    def task(self, name: str, host: Optional[str] = None) -> Dict[str, Any]:
        for entry in reversed(self.results):
            if entry["task"] == name and (host is None or entry["host"] == host):
                return entry["result"]
        raise KeyError("no result for task %r (host %r); tasks: %s\n%s\n%s" % (name, host, list(self.tasks), self.stdout, self.stderr))

    def __repr__(self) -> str:
        return "PlaybookResult(rc=%d)\nSTDOUT:\n%s\nSTDERR:\n%s" % (self.rc, self.stdout[-4000:], self.stderr[-4000:])


def _capture(kind: str, args: List[str], proc: "subprocess.CompletedProcess[str]") -> None:
    """Keep every output so the secret-leak test can search the whole suite's output (a playbook's file name says
    which execution path its tasks took: `playbook-inprocess-...`, `playbook-module-...`)."""
    CAPTURED.mkdir(parents=True, exist_ok=True)
    name = "%s-%d-%d.log" % (kind, os.getpid(), time.monotonic_ns())
    (CAPTURED / name).write_text("$ %s\n--- stdout\n%s\n--- stderr\n%s\n" % (" ".join(args), proc.stdout, proc.stderr), encoding="utf-8")


def run_cli(cmd: List[str], env: Mapping[str, str], cwd: str, timeout: float,
            start: Optional[str] = None) -> "subprocess.CompletedProcess[str]":
    """ansible-playbook / ansible-inventory with captured text output, started as `start` or INSIGHT_TEST_START says:
    from the worker's preloaded starter (the default, tests/functional/cli_starter.py) or as a new process."""
    if (start or cli_starter.start_mode()) == "exec":
        return subprocess.run(cmd, env=dict(env), capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False)
    probe = [[str(BIN / "ansible-playbook"), "{probe}/probe.yml", "-i", "localhost,", "-c", "local"],
             [str(BIN / "ansible-inventory"), "-i", "localhost,", "--list"]]
    return cli_starter.Starter.get(probe).run(cmd, env, cwd, timeout)


def ansible_env(collection_root: Path, extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INSIGHT_", "ANSIBLE_"))}
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(collection_root),
        "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS),
        "ANSIBLE_CALLBACKS_ENABLED": "result_capture",
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCAL_TEMP": str(collection_root / "tmp"),
        "PATH": str(BIN) + os.pathsep + env.get("PATH", ""),
    })
    env.update(extra or {})
    return env


@pytest.fixture(scope="session")
def collection_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temp `ansible_collections/xpress/insight` whose parts link to the working tree, so edits are live."""
    base = tmp_path_factory.mktemp("collections")
    target = base / "ansible_collections" / "xpress" / "insight"
    target.mkdir(parents=True)
    for part in COLLECTION_PARTS:
        (target / part).symlink_to(ROOT / part)
    (base / "tmp").mkdir()
    return base


@pytest.fixture
def insight_env(request: pytest.FixtureRequest) -> Dict[str, str]:
    """Connection variables for the emulator's first full user, when the test uses the `insight` fixture."""
    if "insight" not in request.fixturenames:
        return {}
    control = request.getfixturevalue("insight")
    full = next(u for u in control.users.values() if u["role"] == "full")
    return {"INSIGHT_URL": control.url, "INSIGHT_CLIENT_ID": full["client_id"], "INSIGHT_SECRET": full["secret"]}


Playbook = Union[str, Path, List[Any], Dict[str, Any]]


@pytest.fixture
def run_playbook(collection_root: Path, tmp_path: Path, insight_env: Dict[str, str], request: pytest.FixtureRequest):
    """run_playbook(playbook, extra_vars=None, env=None, check=False, diff=False, verbosity=0, args=(), inventory=None,
    timeout=600, start=None) -> PlaybookResult (`start`: "exec" or "preloaded", see run_cli).

    `playbook` is a path, YAML text, or plays as Python objects (a single play dict or a list of plays).
    Connection variables default to the emulator's full user (INSIGHT_*), overridable through `env`."""
    counter = {"n": 0}

    def run(playbook: Playbook, extra_vars: Optional[Dict[str, Any]] = None, env: Optional[Mapping[str, str]] = None,
            check: bool = False, diff: bool = False, verbosity: int = 0, args: Any = (), inventory: Optional[str] = None,
            timeout: float = 600, start: Optional[str] = None) -> PlaybookResult:
        counter["n"] += 1
        n = counter["n"]
        if request.node.get_closest_marker("fixed_path") and "insight_execution" not in (extra_vars or {}):
            # The module-path leg leaves such a test out (selection.py): a run on the suite's path would go untested.
            pytest.fail("%s is in FIXED_PATH_FILES (tests/functional/selection.py): pass insight_execution in every "
                        "run's extra_vars" % request.node.nodeid)
        if isinstance(playbook, Path) or (isinstance(playbook, str) and "\n" not in playbook and Path(playbook).is_file()):
            path = Path(playbook)
        else:
            path = tmp_path / ("playbook-%d.yml" % n)
            text = playbook if isinstance(playbook, str) else yaml.safe_dump(
                playbook if isinstance(playbook, list) else [playbook], sort_keys=False)
            path.write_text(text, encoding="utf-8")
        results_file = tmp_path / ("results-%d.jsonl" % n)
        cmd = [str(BIN / "ansible-playbook"), str(path)]
        cmd += ["-i", inventory] if inventory else ["-i", "localhost,", "-c", "local"]
        # First, so that a test's own extra_vars (a later -e) win.
        cmd += ["-e", "insight_execution=%s" % execution_mode()]
        path_taken = (extra_vars or {}).get("insight_execution", execution_mode())
        if extra_vars:
            vars_file = tmp_path / ("vars-%d.json" % n)
            vars_file.write_text(json.dumps(extra_vars), encoding="utf-8")
            cmd += ["-e", "@%s" % vars_file]
        if check:
            cmd.append("--check")
        if diff:
            cmd.append("--diff")
        if verbosity:
            cmd.append("-" + "v" * verbosity)
        cmd += list(args)
        merged = dict(insight_env)
        merged.update(env or {})
        merged["INSIGHT_TEST_RESULTS"] = str(results_file)
        proc = run_cli(cmd, ansible_env(collection_root, merged), str(tmp_path), timeout, start)
        _capture("playbook-%s" % path_taken, cmd, proc)
        results = []
        if results_file.exists():
            results = [json.loads(line) for line in results_file.read_text(encoding="utf-8").splitlines() if line.strip()]
        return PlaybookResult(proc.returncode, proc.stdout, proc.stderr, results)

    return run


@pytest.fixture
def run_inventory(collection_root: Path, tmp_path: Path, insight_env: Dict[str, str]):
    """run_inventory(config, *args, env=None, name='insight_jobs.yml', check=True, raw=False, timeout=600, start=None) -> parsed
    --list JSON, or text (`timeout`: seconds before the subprocess is killed, so a hang fails the test).

    `config` is the inventory file's content (YAML text or a dict); `args` default to `--list`."""

    def run(config: Union[str, Dict[str, Any]], *args: str, env: Optional[Mapping[str, str]] = None,
            name: str = "insight_jobs.yml", check: bool = True, raw: bool = False, timeout: float = 600,
            start: Optional[str] = None) -> Any:
        path = tmp_path / name
        path.write_text(config if isinstance(config, str) else yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        cmd = [str(BIN / "ansible-inventory"), "-i", str(path)] + (list(args) or ["--list"])
        merged = dict(insight_env)
        merged.update(env or {})
        proc = run_cli(cmd, ansible_env(collection_root, merged), str(tmp_path), timeout, start)
        _capture("inventory", cmd, proc)
        if raw:
            return proc
        if check and proc.returncode != 0:
            raise AssertionError("ansible-inventory failed (%d):\n%s\n%s" % (proc.returncode, proc.stdout, proc.stderr))
        if "--list" in cmd or "--host" in cmd:
            return json.loads(proc.stdout)
        return proc.stdout

    return run


@pytest.fixture(scope="session")
def client_module(collection_root: Path) -> Any:
    """The collection's client package, imported from the same tree ansible-playbook uses."""
    if str(collection_root) not in sys.path:
        sys.path.insert(0, str(collection_root))
    import importlib

    return importlib.import_module("ansible_collections.xpress.insight.plugins.module_utils._client")


@pytest.fixture
def make_client(client_module: Any, request: pytest.FixtureRequest):
    """make_client(user='alice', **options) -> InsightClient for the emulator of the `insight` fixture."""
    control = request.getfixturevalue("insight")
    warnings: List[str] = []

    def make(user: Optional[str] = "alice", **options: Any) -> Any:
        opts: Dict[str, Any] = {"url": control.url, "retries": 3, "timeout": 10}
        if user:
            opts.update(client_id=control.users[user]["client_id"], secret=control.users[user]["secret"])
        opts.update(options)
        client = client_module.InsightClient(opts, warn=warnings.append)
        client.warnings = warnings
        return client

    return make
