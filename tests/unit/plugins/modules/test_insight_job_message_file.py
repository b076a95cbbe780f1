# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_job_message_file's main(): saving a message file, idempotence by checksum, force, check and diff mode,
file modes, a missing file, and its option errors."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, Dict

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._errors import NotAFile
from ansible_collections.xpress.insight.plugins.module_utils import _run_job_message_file
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
    ({"job_id": ""}, "job_id: empty; give the UUID of the job"),
    ({"job_id": "  "}, "job_id: empty; give the UUID of the job"),
    ({"message_id": ""}, "message_id: empty; give the UUID of the app message"),
    ({"message_id": "\t"}, "message_id: empty; give the UUID of the app message"),
    ({"dest": ""}, "dest: empty; give the path of the file to write"),
    ({"dest": " "}, "dest: empty; give the path of the file to write"),
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


NO_SPACE = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_mid_download_keeps_dest_and_leaves_no_temporary_file(monkeypatch: pytest.MonkeyPatch,
                                                                          tmp_path: Path) -> None:
    dest = tmp_path / "solver.log"
    dest.write_bytes(b"an older copy")
    written = []

    def write(self: Any, data: bytes) -> None:
        if written:
            raise NO_SPACE
        written.append(data)
        self.handle.write(data)
        self.size += len(data)

    monkeypatch.setattr(_run_job_message_file.HashingWriter, "write", write)
    result = run(monkeypatch, dest, server(), force=True)
    assert result["failed"] is True
    assert result["msg"] == ("dest: cannot write %s: No space left on device; the download was stopped after 4 bytes "
                             "and removed; dest is as it was" % dest)
    assert dest.read_bytes() == b"an older copy" and leftovers(tmp_path) == []


def test_a_full_disk_found_when_the_buffer_is_flushed_is_the_same_line(monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    # A small file sits in the write buffer until close: the disk is found full only then.
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle: int, mode: str) -> None:
            self.raw = real_fdopen(handle, mode)

        def write(self, data: bytes) -> None:
            pass

        def __enter__(self) -> "Full":
            return self

        def __exit__(self, *exc: Any) -> None:
            self.raw.close()
            raise NO_SPACE

    monkeypatch.setattr(_run_job_message_file.os, "fdopen", Full)
    dest = tmp_path / "solver.log"
    result = run(monkeypatch, dest, server())
    assert result["failed"] is True
    assert result["msg"].startswith("dest: cannot write %s: No space left on device; the download was stopped" % dest)
    assert not dest.exists() and leftovers(tmp_path) == []


def test_no_room_for_the_temporary_file_fails_before_any_call(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def mkstemp(**_kwargs: Any) -> Any:
        raise NO_SPACE

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    fake = server()
    dest = tmp_path / "solver.log"
    result = run(monkeypatch, dest, fake)
    assert result["failed"] is True
    assert result["msg"] == "dest: cannot write %s: No space left on device; nothing was downloaded" % dest
    assert fake.calls == [] and not dest.exists()


def test_an_unreadable_dest_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dest = tmp_path / "solver.log"
    dest.write_bytes(b"an older copy")
    real_open = open

    def guarded(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path) == str(dest):
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded)
    fake = server()
    result = run(monkeypatch, dest, fake, force=True)
    assert result["failed"] is True
    assert result["msg"] == "dest: cannot read %s: Permission denied; nothing was downloaded" % dest
    assert fake.calls == []


def test_what_is_not_a_file_is_refused_and_dest_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dest = tmp_path / "solver.log"
    dest.write_bytes(b"an older copy")
    fake = server()

    def sign_in_page(fileobj: Any, template: str, *parts: Any, max_bytes: Any = None) -> int:
        raise NotAFile("the server answered 200 with text/html (a sign-in page of a gateway or proxy?), not a file",
                       "GET", "/api/jobs/x/messages/y/file", 200, "text/html")

    monkeypatch.setattr(fake, "download_to", sign_in_page)
    result = run(monkeypatch, dest, fake, force=True)
    assert result["failed"] is True
    assert result["msg"] == ("GET /api/jobs/x/messages/y/file: the server answered 200 with text/html (a sign-in page "
                             "of a gateway or proxy?), not a message file; nothing was written to dest (%s)" % dest)
    assert dest.read_bytes() == b"an older copy" and leftovers(tmp_path) == []
