# Copyright: xpress.insight maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one command against an Insight emulator of its own, then stop the emulator, whatever the command did.

    python with_emulator.py COMMAND [ARG ...]

Starts `python -m insight_emulator --host 127.0.0.1 --port 0 --data demo` (a free loopback port, the demo data)
from the collection's tests/insight_emulator, and runs COMMAND with the connection in the environment, the way
users pass it to the modules and the inventory plugin:

    INSIGHT_URL, INSIGHT_CLIENT_ID, INSIGHT_SECRET       the first user with full access (alice in the demo data)
    INSIGHT_READONLY_CLIENT_ID, INSIGHT_READONLY_SECRET  the first read-only user (rita), for refusals
    INSIGHT_EMULATOR_URL                                 the same URL, for the control API (/_emulator/...)

Exits with COMMAND's exit code. The emulator gets SIGTERM (then SIGKILL after 10 s) on every way out: normal end,
failure, and SIGTERM/SIGINT to this script (ansible-test's timeout). ansible-test runs targets from a temporary
copy inside the collection (tests/output/.tmp/...), so the emulator is found by walking up from this file to the
directory holding tests/insight_emulator; INSIGHT_EMULATOR_TESTS names that tests/ directory instead.
"""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

START_TIMEOUT = 20


def tests_dir() -> Path:
    given = os.environ.get('INSIGHT_EMULATOR_TESTS')
    if given:
        return Path(given)
    here = Path(__file__).resolve()
    for folder in here.parents:
        if (folder / 'tests' / 'insight_emulator' / '__main__.py').is_file():
            return folder / 'tests'
    raise SystemExit('with_emulator: no tests/insight_emulator above %s (set INSIGHT_EMULATOR_TESTS)' % here)


def start(tests: Path) -> 'tuple[subprocess.Popen[str], str]':
    env = dict(os.environ, PYTHONPATH=str(tests), PYTHONDONTWRITEBYTECODE='1')
    proc = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, '-m', 'insight_emulator', '--host', '127.0.0.1', '--port', '0', '--data', 'demo'],
        stdout=subprocess.PIPE, text=True, env=env)
    lines: 'queue.Queue[str]' = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put('')

    # A thread, so a silent emulator cannot hang the target past START_TIMEOUT.
    threading.Thread(target=read, daemon=True).start()
    try:
        first = lines.get(timeout=START_TIMEOUT)
    except queue.Empty:
        first = ''
    if not first.startswith('url: '):
        stop(proc)
        raise SystemExit('with_emulator: the emulator did not start (first line %r)' % first)
    return proc, first.split(' ', 1)[1].strip()


def stop(proc: 'subprocess.Popen[str]') -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def connection(url: str) -> Dict[str, str]:
    with urllib.request.urlopen(url + '/_emulator/users', timeout=10) as answer:
        users = json.load(answer)
    full = next(user for user in users.values() if user['role'] == 'full')
    env = {'INSIGHT_URL': url, 'INSIGHT_EMULATOR_URL': url,
           'INSIGHT_CLIENT_ID': full['client_id'], 'INSIGHT_SECRET': full['secret']}
    readonly = next((user for user in users.values() if user['role'] == 'readonly'), None)
    if readonly:
        env.update(INSIGHT_READONLY_CLIENT_ID=readonly['client_id'], INSIGHT_READONLY_SECRET=readonly['secret'])
    return env


def main(command: List[str]) -> int:
    if not command:
        raise SystemExit(__doc__)

    def interrupted(signum: int, _frame: Optional[object]) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    proc, url = start(tests_dir())
    try:
        print('with_emulator: Insight emulator at %s (pid %d)' % (url, proc.pid), flush=True)
        # The caller's own INSIGHT_* settings (a token, a CA, an auth_url) would point the modules elsewhere.
        env = {name: value for name, value in os.environ.items() if not name.startswith('INSIGHT_')}
        env.update(connection(url))
        return subprocess.call(command, env=env)
    finally:
        stop(proc)
        print('with_emulator: emulator stopped (exit %s)' % proc.returncode, flush=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
