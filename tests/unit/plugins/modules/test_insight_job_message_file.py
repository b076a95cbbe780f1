# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_job_message_file's main(): saving a message file, idempotence by checksum, force, check and diff mode,
file modes, a missing file, and its option errors."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any, Dict

import pytest

from ansible_collections.xpress.insight.plugins.modules import insight_job_message_file
from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.fake_jobs import FakeJobs, ident
from ansible_collections.xpress.insight.tests.unit.plugins.modules.module_runner import run_main

JOB = ident("job-failed")
MESSAGE = ident("message-solver-log")
DOWNLOAD = "GET /api/jobs/{}/messages/{}/file"
CONTENT = b"Solver log\nInfeasible at row 12\n"


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def server(content: bytes = CONTENT) -> FakeJobs:
    fake = FakeJobs()
    fake.add_job("failed", status="FAILED")
    fake.files[(JOB, MESSAGE)] = content
    return fake


def run(monkeypatch: pytest.MonkeyPatch, path: Path, fake: FakeJobs, **args: Any) -> Dict[str, Any]:
    check_mode = args.pop("check_mode", False)
    diff = args.pop("diff", False)
    given = dict({"job_id": JOB, "message_id": MESSAGE, "dest": str(path)}, **args)
    return run_main(monkeypatch, insight_job_message_file.main, given, fake, check_mode=check_mode, diff=diff)


def leftovers(directory: Path) -> list:
    return sorted(path.name for path in directory.iterdir() if path.name.startswith(".insight-message-"))


def test_saves_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dest = tmp_path / "solver.log"
    result = run(monkeypatch, dest, server())
    assert result["failed"] is False, result.get("msg")
    assert result["changed"] is True and result["downloaded"] is True
    assert dest.read_bytes() == CONTENT
    assert result["size"] == len(CONTENT) and result["checksum"] == sha1(CONTENT)
    assert result["dest"] == str(dest)
    assert "diff" not in result
    assert leftovers(tmp_path) == []


def test_an_empty_file_is_saved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dest = tmp_path / "empty.log"
    result = run(monkeypatch, dest, server(b""))
    assert result["changed"] is True
    assert dest.is_file() and dest.read_bytes() == b""
    assert result["size"] == 0 and result["checksum"] == sha1(b"")


def test_an_existing_file_is_left_unread_without_force(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dest = tmp_path / "solver.log"
    dest.write_bytes(b"an older copy")
    fake = server()
    result = run(monkeypatch, dest, fake)
    assert result["changed"] is False and result["downloaded"] is False
    assert result["size"] == len(b"an older copy") and result["checksum"] == sha1(b"an older copy")
    assert dest.read_bytes() == b"an older copy"
    assert fake.calls == []


def test_force_with_the_same_content_changes_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dest = tmp_path / "solver.log"
    fake = server()
    run(monkeypatch, dest, fake)
    before = dest.stat().st_mtime_ns
    result = run(monkeypatch, dest, fake, force=True)
    assert result["changed"] is False and result["downloaded"] is True
    assert fake.count(DOWNLOAD) == 2
    assert dest.stat().st_mtime_ns == before
    assert leftovers(tmp_path) == []


def test_force_replaces_a_file_whose_content_differs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dest = tmp_path / "solver.log"
    dest.write_bytes(b"an older copy")
    result = run(monkeypatch, dest, server(), force=True, diff=True)
    assert result["changed"] is True
    assert dest.read_bytes() == CONTENT
    assert result["diff"]["before"] == {"checksum": sha1(b"an older copy"), "size": len(b"an older copy")}
    assert result["diff"]["after"] == {"checksum": sha1(CONTENT), "size": len(CONTENT)}


def test_check_mode_downloads_to_compare_but_writes_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dest = tmp_path / "solver.log"
    result = run(monkeypatch, dest, server(), check_mode=True, diff=True)
    assert result["changed"] is True
    assert not dest.exists()
    assert result["diff"]["before"] == {"checksum": None, "size": None}
    assert result["diff"]["after"]["checksum"] == sha1(CONTENT)
    assert leftovers(tmp_path) == []


def test_mode_is_applied_and_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dest = tmp_path / "solver.log"
    fake = server()
    result = run(monkeypatch, dest, fake, mode="0600")
    assert result["changed"] is True
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    os.chmod(dest, 0o644)
    # The content is current; only the mode differs, and that alone is a change.
    result = run(monkeypatch, dest, fake, mode="0600")
    assert result["changed"] is True and result["downloaded"] is False
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    result = run(monkeypatch, dest, fake, mode="0600")
    assert result["changed"] is False


def test_a_missing_message_file_fails_in_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dest = tmp_path / "solver.log"
    other = ident("message-nowhere")
    result = run(monkeypatch, dest, server(), message_id=other)
    assert result["failed"] is True
    assert result["msg"].endswith("no message file %s for job %s" % (other, JOB))
    assert "\n" not in result["msg"]
    assert not dest.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("args, message", [
    ({"job_id": "nope"}, "job_id: 'nope' is not a UUID"),
    ({"message_id": "nope"}, "message_id: 'nope' is not a UUID"),
    ({"dest": "{tmp}"}, "dest: {tmp} is a directory; give the path of the file"),
    ({"dest": "{tmp}/missing/solver.log"}, "dest: the directory {tmp}/missing does not exist"),
])
def test_option_errors_name_the_option_before_any_call(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                       args: Dict[str, Any], message: str) -> None:
    fake = server()
    given = {key: value.format(tmp=tmp_path) for key, value in args.items()}
    result = run(monkeypatch, tmp_path / "solver.log", fake, **given)
    assert result["failed"] is True
    assert message.format(tmp=tmp_path) in result["msg"]
    assert fake.calls == []
    assert leftovers(tmp_path) == []


def test_a_missing_required_option_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = server()
    result = run_main(monkeypatch, insight_job_message_file.main, {"message_id": MESSAGE, "dest": str(tmp_path / "x")}, fake)
    assert result["failed"] is True
    assert result["msg"] == "missing required arguments: job_id"
    assert fake.calls == []
