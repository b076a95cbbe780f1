"""After the suite: no secret, token or Authorization header in anything the functional suite captured.

Every ansible-playbook and ansible-inventory run of the suite appends its output to tests/output/captured/. The
file name does not match pytest's `test_*.py`, so the suite's own run never collects it (under pytest-xdist other
tests would still be writing); `make test-functional` runs it alone once the suite has finished:
`pytest tests/functional/reliability/check_captured_output.py`."""

from __future__ import annotations

import re

from ansible_fixtures import CAPTURED, EXECUTION_MODES
from reliability_helpers import KNOWN_SECRETS

# The emulator's tokens are 43 URL-safe characters; the suite never prints one on purpose, and the Authorization
# header never belongs in output, except as the scrubbed quote of a server that echoes requests (test_echoed_secrets).
MARKERS = [re.escape(secret) for secret in KNOWN_SECRETS] + [r"Bearer [A-Za-z0-9_\-.]{16,}",
                                                             r"Authorization:(?! Bearer \*{8})"]
PATTERN = re.compile("|".join(MARKERS))


def test_no_secret_in_any_captured_output():
    files = sorted(CAPTURED.glob("*.log")) if CAPTURED.is_dir() else []
    # An empty capture would make this check pass vacuously: `make test-functional` runs the suite first.
    assert files, "nothing captured under %s: run the functional suite before this check" % CAPTURED
    # Both execution paths of the action plugins ran and were captured: the suite's own path
    # (INSIGHT_TEST_EXECUTION) and, from tests/functional/plugins/action, the other one.
    for path_taken in EXECUTION_MODES:
        assert any(f.name.startswith("playbook-%s-" % path_taken) for f in files), (
            "no playbook output captured on the %s path (tests/functional/plugins/action runs both)" % path_taken)
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in PATTERN.finditer(text):
            found.append("%s: %r" % (path.name, text[max(0, match.start() - 60):match.end() + 20]))
    assert not found, "secrets in captured output:\n" + "\n".join(found[:20])
