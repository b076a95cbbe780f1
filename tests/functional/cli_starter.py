"""Start ansible-playbook and ansible-inventory from a preloaded interpreter instead of a new one.

Half the CPU of a short playbook run is Python starting and importing libraries that never depend on the run:
the standard library, Jinja2, PyYAML, cryptography, requests and `ansible.module_utils`. The suite makes about a
thousand such runs, so each pytest worker keeps one starter process (`python cli_starter.py SOCKET`) that has
imported exactly those once, and forks it for every run. The fork then does what the console script does in a
process of its own: it takes the test's argv, environment, working directory and standard streams, runs the
installed `ansible-playbook` script as `__main__`, imports the rest of ansible-core (configuration included) under
the test's environment, and exits through the normal interpreter shutdown (atexit handlers, flushed streams).

What is never preloaded: anything of ansible-core outside `ansible.module_utils` (its configuration is read at
import time, from the environment of the run), and the collection. The starter refuses to serve if a preload
pulled in `ansible.constants`. `INSIGHT_TEST_START=exec` runs every command as a new process instead;
tests/functional/ci/test_cli_starter.py runs the same playbooks and inventories both ways and compares them.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

START_MODES = ("preloaded", "exec")
# Imported on top of what the probe run imports: the collection's action plugins use them in every run.
EXTRA_PRELOAD = ("requests", "urllib3")
# ansible-core's own modules that read nothing at import time, and what is safe to share between runs.
SHARED_ANSIBLE = ("ansible.module_utils", "ansible.release")
PROBE_PLAY = "- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug: {msg: probe}\n"


def start_mode() -> str:
    mode = os.environ.get("INSIGHT_TEST_START", "preloaded").strip().lower() or "preloaded"
    if mode not in START_MODES:
        raise ValueError("INSIGHT_TEST_START=%r: use one of %s" % (mode, ", ".join(START_MODES)))
    return mode


def shareable(name: str) -> bool:
    if name == "__main__" or name.startswith(("_ansible", "ansible_collections", "ansible_test")):
        return False
    if name == "ansible" or name.startswith("ansible."):
        return name == "ansible" or name.startswith(SHARED_ANSIBLE)
    return True


# ---------------------------------------------------------------------------------------------------------------
# the starter process


class _Child(Exception):
    """Raised in a forked child to leave the server's loop with the request it must run."""

    def __init__(self, request: Dict[str, Any]) -> None:
        super().__init__()
        self.request = request


def _run_script(argv: List[str]) -> None:
    import runpy  # pylint: disable=import-outside-toplevel

    script = argv[0]
    sys.argv = list(argv)
    # A script run by the interpreter has its own directory first on sys.path, not the starter's.
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    runpy.run_path(script, run_name="__main__")


def _become(request: Dict[str, Any]) -> None:
    """In the forked child: take the run's streams, directory and environment."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    stdin = os.open(os.devnull, os.O_RDONLY)
    out = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    for fd, target in ((stdin, 0), (out, 1), (err, 2)):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # Cached from the starter's environment by the probe; a run's TMPDIR must count.
    tempfile.tempdir = None


def _preload(probe_argv: Sequence[Sequence[str]]) -> None:
    """Run the probe commands once in forked children, each reporting what it imported; import the shareable part."""
    names: set = set()
    for argv in probe_argv:
        with tempfile.TemporaryDirectory() as tmp:
            report = os.path.join(tmp, "modules.json")
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the probe child
                code = 1
                try:
                    _become({"stdout": os.path.join(tmp, "out"), "stderr": os.path.join(tmp, "err"), "cwd": tmp,
                             "env": dict(os.environ)})
                    try:
                        _run_script(list(argv))
                        code = 0
                    except SystemExit as exc:
                        code = exc.code if isinstance(exc.code, int) else 1
                    with open(report, "w", encoding="utf-8") as handle:
                        json.dump(sorted(sys.modules), handle)
                finally:
                    os._exit(code)  # pylint: disable=protected-access
            _pid, status = os.waitpid(pid, 0)
            if not os.path.exists(report):
                raise RuntimeError("the probe %s failed (status %d): %s" % (
                    list(argv), status, Path(tmp, "err").read_text(encoding="utf-8", errors="replace")[-2000:]))
            names.update(json.loads(Path(report).read_text(encoding="utf-8")))
    for name in sorted(n for n in names if shareable(n)) + list(EXTRA_PRELOAD):
        # A module that only imports in its own context stays for the run to import.
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    polluted = sorted(n for n in sys.modules if n.startswith(("ansible.constants", "ansible.config", "ansible_collections")))
    if polluted:
        raise RuntimeError("preloading imported %s, which read the run's configuration" % ", ".join(polluted))


def serve(path: str, probe_argv: Sequence[Sequence[str]]) -> None:
    """Answer requests on the Unix socket `path`: each is one JSON line (argv, env, cwd, stdout, stderr); the answer
    is a line {"pid": N} when the run started and {"returncode": N} when it ended (negative: killed by that signal)."""
    # Started without ANSIBLE_* and INSIGHT_* variables (Starter), so the probes run on ansible-core's defaults.
    _preload(probe_argv)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ)
    buffers: Dict[socket.socket, bytes] = {}
    running: Dict[int, socket.socket] = {}
    parent = os.getppid()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while os.getppid() == parent:  # the pytest worker that started it is gone: so is the starter
        for key, _events in sel.select(timeout=0.01):
            conn = key.fileobj
            if conn is listener:
                accepted, _addr = listener.accept()
                sel.register(accepted, selectors.EVENT_READ)
                buffers[accepted] = b""
                continue
            assert isinstance(conn, socket.socket)
            chunk = conn.recv(65536)
            if not chunk:
                sel.unregister(conn)
                buffers.pop(conn, None)
                conn.close()
                continue
            buffers[conn] += chunk
            if not buffers[conn].endswith(b"\n"):
                continue
            request = json.loads(buffers.pop(conn))
            sel.unregister(conn)
            pid = os.fork()
            if pid == 0:
                # The child keeps none of the server's sockets.
                for other in [listener, conn, *running.values(), *buffers]:
                    other.close()
                sel.close()
                raise _Child(request)
            running[pid] = conn
            conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        while running:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            conn = running.pop(pid, None)
            if conn is None:
                continue
            code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
            with contextlib.suppress(OSError):  # the worker gave up on it (a timeout)
                conn.sendall(json.dumps({"returncode": code}).encode() + b"\n")
            conn.close()


def main() -> None:
    path, probe = sys.argv[1], json.loads(sys.argv[2])
    try:
        serve(path, probe)
    except _Child as child:
        request = child.request
        del child
        _become(request)
        # From here on this process is the run: the script's SystemExit, or its traceback, ends it as it would end
        # a process of its own.
        _run_script(request["argv"])


# ---------------------------------------------------------------------------------------------------------------
# the client side, in the pytest worker


class Starter:
    """One starter process per pytest worker, started on first use."""

    _lock = threading.Lock()
    _instance: Optional["Starter"] = None

    def __init__(self, probe_argv: Sequence[Sequence[str]]) -> None:
        self.dir = tempfile.mkdtemp(prefix="cli-starter-")
        self.path = os.path.join(self.dir, "socket")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "INSIGHT_"))}
        probe_dir = os.path.join(self.dir, "probe")
        os.mkdir(probe_dir)
        Path(probe_dir, "probe.yml").write_text(PROBE_PLAY, encoding="utf-8")
        probe_argv = [[part.replace("{probe}", probe_dir) for part in argv] for argv in probe_argv]
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), self.path, json.dumps(probe_argv)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True, env=env)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if line.strip() != "ready":
            self.proc.wait(timeout=30)
            raise RuntimeError("the preloaded starter did not start (exit %s)" % self.proc.returncode)
        atexit.register(self.stop)

    @classmethod
    def get(cls, probe_argv: Sequence[Sequence[str]]) -> "Starter":
        with cls._lock:
            if cls._instance is None or cls._instance.proc.poll() is not None:
                cls._instance = cls(probe_argv)
            return cls._instance

    def run(self, argv: Sequence[str], env: Mapping[str, str], cwd: str, timeout: float) -> "subprocess.CompletedProcess[str]":
        with tempfile.TemporaryDirectory(dir=self.dir) as tmp:
            out, err = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
            request = {"argv": list(argv), "env": dict(env), "cwd": cwd, "stdout": out, "stderr": err}
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.connect(self.path)
                conn.sendall(json.dumps(request).encode() + b"\n")
                with conn.makefile("r", encoding="utf-8") as reader:
                    pid = json.loads(reader.readline())["pid"]
                    conn.settimeout(timeout)
                    try:
                        line = reader.readline()
                    except socket.timeout:
                        os.kill(pid, signal.SIGKILL)
                        raise subprocess.TimeoutExpired(list(argv), timeout) from None
                if not line:
                    raise RuntimeError("the preloaded starter went away during %s" % list(argv))
                code = json.loads(line)["returncode"]
            return subprocess.CompletedProcess(list(argv), code, Path(out).read_text(encoding="utf-8", errors="replace"),
                                               Path(err).read_text(encoding="utf-8", errors="replace"))

    def stop(self) -> None:
        # It holds nothing to flush: every run it started is a process of its own by now.
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
