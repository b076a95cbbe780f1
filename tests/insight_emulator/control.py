"""Python helpers for tests: start the emulator as a process, and drive its control API."""
from __future__ import annotations

import json
import os
import queue
import ssl
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Sequence

_TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Control:
    """The control API of a running emulator (``/_emulator/...``), plus ``.url``, ``.ca`` and ``.users``."""

    def __init__(self, url: str, ca: Optional[str] = None, users: Optional[Dict[str, Dict[str, Any]]] = None) -> None:
        self.url = url.rstrip("/")
        self.ca = ca
        self._context = ssl.create_default_context(cafile=ca) if ca else None
        self.users: Dict[str, Dict[str, Any]] = users if users is not None else {}

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60, context=self._context) as answer:
                return json.loads(answer.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raise RuntimeError("%s %s: %s %s" % (method, path, error.code, error.read().decode("utf-8", "replace"))) from None

    def reset(self, data: Any = "demo", generate: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Replace the whole state; counters, faults, log, tokens, config and clock return to their start values."""
        body: Dict[str, Any] = {"data": data}
        if generate:
            body["generate"] = generate
        answer = self._call("POST", "/_emulator/reset", body)
        self.users = answer["users"]
        return answer

    def load_users(self) -> Dict[str, Dict[str, Any]]:
        self.users = self._call("GET", "/_emulator/users")
        return self.users

    def state(self) -> Dict[str, Any]:
        return self._call("GET", "/_emulator/state")

    def counters(self) -> Dict[str, Any]:
        return self._call("GET", "/_emulator/counters")

    def reset_counters(self) -> Dict[str, Any]:
        return self._call("POST", "/_emulator/counters/reset", {})

    def config(self, **settings: Any) -> Dict[str, Any]:
        return self._call("POST", "/_emulator/config", settings)

    def clock(self, action: Optional[str] = None, seconds: Optional[float] = None, speed: Optional[float] = None) -> Dict[str, Any]:
        body: Dict[str, Any] = {}
        if action is not None:
            body["action"] = action
        if seconds is not None:
            body["seconds"] = seconds
        if speed is not None:
            body["speed"] = speed
        return self._call("POST", "/_emulator/clock", body)

    def faults(self, *rules: Dict[str, Any]) -> Dict[str, Any]:
        return self._call("POST", "/_emulator/faults", {"rules": list(rules)})

    def clear_faults(self) -> Dict[str, Any]:
        return self._call("DELETE", "/_emulator/faults")

    def log(self) -> List[Dict[str, Any]]:
        return self._call("GET", "/_emulator/log")["entries"]

    def expire_tokens(self) -> int:
        return self._call("POST", "/_emulator/tokens/expire", {})["expired"]

    def token(self, username: str, max_age: int = 900) -> str:
        """A bearer token for a seeded user, fetched through the real token endpoint (so it is counted)."""
        user = self.users[username]
        body = json.dumps({"clientId": user["client_id"], "secret": user["secret"], "maxAge": max_age}).encode("utf-8")
        request = urllib.request.Request(self.url + "/api/authentication/token", data=body, method="POST",
                                         headers={"Content-Type": "application/vnd.com.fico.xpress.insight.v2+json"})
        with urllib.request.urlopen(request, timeout=60, context=self._context) as answer:
            return answer.read().decode("utf-8")


class EmulatorProcess:
    """``EmulatorProcess(["--tls"]).start()`` runs ``python -m insight_emulator`` and reads what it prints."""

    def __init__(self, args: Sequence[str] = (), python: Optional[str] = None) -> None:
        self.args = list(args)
        self.python = python or sys.executable
        self.process: Optional["subprocess.Popen[str]"] = None
        self.url = ""
        self.ca: Optional[str] = None
        self.users: Dict[str, Dict[str, Any]] = {}
        self.lines: List[str] = []
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115  # lives as long as the process
        self._queue: "queue.Queue[Optional[str]]" = queue.Queue()

    def _reader(self) -> None:
        stream = self.process.stdout if self.process is not None else None
        for line in stream or []:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def _next_line(self, timeout: float) -> str:
        try:
            line = self._queue.get(timeout=timeout)
        except queue.Empty:
            line = None
        if line is None:
            self.stop()
            raise RuntimeError("the emulator did not start: %s" % self.stderr())
        self.lines.append(line)
        return line

    def start(self, timeout: float = 30.0) -> "EmulatorProcess":
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_TESTS_DIR, env.get("PYTHONPATH")) if p)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [self.python, "-m", "insight_emulator"] + self.args,
            stdout=subprocess.PIPE, stderr=self._stderr, stdin=subprocess.DEVNULL, env=env, text=True)
        threading.Thread(target=self._reader, daemon=True).start()
        first = self._next_line(timeout)
        if not first.startswith("url: "):
            self.stop()
            raise RuntimeError("unexpected first line from the emulator: %r" % first)
        self.url = first[5:]
        if "--tls" in self.args:
            self.ca = self._next_line(timeout)[4:]
        self.users = Control(self.url, self.ca).load_users()
        return self

    def control(self) -> Control:
        return Control(self.url, self.ca, dict(self.users))

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read()

    def stop(self) -> Optional[int]:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode

    def __enter__(self) -> "EmulatorProcess":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
