"""insight_job_message_file refusing what is not a message file, failing on file errors, and refusing blank
selectors: real ansible-playbook runs against the emulator (and the hostile server), each ending in one line,
with dest untouched and no temporary file left."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import sys
from pathlib import Path

import pytest

from hostile_server import answer
from test_insight_job_cancel import failed, jid, seed

TASK = "xpress.insight.insight_job_message_file"
FILE_ROUTE = "GET /api/jobs/{id}/messages/{appMessageId}/file"
MESSAGE = jid(501)
CONTENT = b"route plan: depot A -> B -> C\n" * 500
HTML_LINE = ("GET /api/jobs/%s/messages/%s/file: the server answered 200 with text/html; charset=utf-8 (a sign-in "
             "page of a gateway or proxy?), not a message file; nothing was written to dest (%s)")
UNTYPED_LINE = ("GET /api/jobs/%s/messages/%s/file: the server answered 200 with no content type (Insight names "
                "every file application/vnd.com.fico.xpress.insight.v2+octet-stream), not a message file; nothing was written "
                "to dest (%s)")
# Not writable even by root: sysfs refuses new files in its directories.
ROOT_PROOF_DIR = Path("/sys/kernel")


def play(*tasks, **extra):
    return dict({"name": "message file", "hosts": "localhost", "gather_facts": False, "tasks": list(tasks)}, **extra)


def task(name, **args):
    return {"name": name, TASK: args, "register": "out", "ignore_errors": True}


def with_message(insight, content=CONTENT):
    insight.reset(seed({"id": jid(1), "scenario": "/Logistics/Reports/Base case", "owner": "alice",
                        "status": "COMPLETED", "created": "-1h",
                        "messages": [{"id": MESSAGE, "content_b64": base64.b64encode(content).decode("ascii")}]}))


def downloads(insight):
    return insight.counters()["by_route"].get(FILE_ROUTE, 0)


def leftovers(directory):
    return sorted(path.name for path in Path(directory).iterdir() if path.name.startswith(".insight-message-"))


def one_line(result, name):
    """The task failed in one line, without a traceback anywhere in the run's output; that line."""
    assert failed(result, name), result
    msg = result.task(name)["msg"]
    assert "\n" not in msg
    assert "Traceback" not in result.stdout + result.stderr
    # ansible-core puts an `exception` key on every failure; a raw one would carry its traceback.
    assert "Traceback" not in str(result.task(name).get("exception", ""))
    return msg


# -- item 10: what is not a message file is refused before the first byte is written ------------------------------

def test_a_gateway_sign_in_page_is_refused_and_a_good_copy_kept(insight, run_playbook, tmp_path):
    with_message(insight)
    fresh, good = tmp_path / "fresh.txt", tmp_path / "good.txt"
    good.write_bytes(CONTENT)
    os.utime(good, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = good.stat()
    insight.faults({"route": FILE_ROUTE, "kind": "sign_in"})
    args = {"job_id": jid(1), "message_id": MESSAGE}
    result = run_playbook(play(task("fresh", dest=str(fresh), **args),
                               task("forced", dest=str(good), force=True, **args),
                               task("check", dest=str(good), force=True, **args)), diff=True)
    assert one_line(result, "fresh") == HTML_LINE % (jid(1), MESSAGE, fresh)
    assert one_line(result, "forced") == HTML_LINE % (jid(1), MESSAGE, good)
    assert result.task("forced").get("changed") is not True
    assert not fresh.exists()
    assert good.read_bytes() == CONTENT
    after = good.stat()
    assert (after.st_mtime_ns, after.st_ino, after.st_size) == (before.st_mtime_ns, before.st_ino, before.st_size)
    assert leftovers(tmp_path) == []
    assert downloads(insight) == 3


def test_an_answer_without_content_type_is_refused_too(insight, run_playbook, tmp_path):
    # An empty message file is a file (see the main suite); an empty answer that does not say it is one is not.
    with_message(insight)
    good = tmp_path / "good.txt"
    good.write_bytes(CONTENT)
    mtime = good.stat().st_mtime_ns
    insight.faults({"route": FILE_ROUTE, "kind": "sign_in", "body": "empty"})
    result = run_playbook(play(task("forced", job_id=jid(1), message_id=MESSAGE, dest=str(good), force=True),
                               task("fresh", job_id=jid(1), message_id=MESSAGE, dest=str(tmp_path / "new.txt"))))
    assert one_line(result, "forced") == UNTYPED_LINE % (jid(1), MESSAGE, good)
    assert one_line(result, "fresh") == UNTYPED_LINE % (jid(1), MESSAGE, tmp_path / "new.txt")
    assert good.read_bytes() == CONTENT and good.stat().st_mtime_ns == mtime
    assert not (tmp_path / "new.txt").exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("content_type, likely", [
    ("application/vnd.com.fico.xpress.insight.v2+json", "a JSON document, not a file: a proxy's answer, or the wrong route?"),
    ("text/plain", "a text page of a gateway or proxy?"),
    ("application/pdf", "not a file type Insight sends"),
])
def test_other_content_types_are_refused_by_name(hostile, run_playbook, tmp_path, content_type, likely):
    route = "/api/jobs/%s/messages/%s/file" % (jid(1), MESSAGE)
    hostile.route("GET", route, answer(b"not what was asked for", content_type=content_type))
    dest = tmp_path / "file.bin"
    dest.write_bytes(b"a good copy")
    result = run_playbook(play(task("forced", job_id=jid(1), message_id=MESSAGE, dest=str(dest), force=True)),
                          env=dict(hostile.env(), INSIGHT_RETRIES="0"))
    assert one_line(result, "forced") == (
        "GET %s: the server answered 200 with %s (%s), not a message file; nothing was written to dest (%s)"
        % (route, content_type, likely, dest))
    assert dest.read_bytes() == b"a good copy" and leftovers(tmp_path) == []
    # Refused on sight, not asked again.
    assert hostile.count("GET", route) == 1


def test_any_octet_stream_flavour_is_a_file(hostile, run_playbook, tmp_path):
    route = "/api/jobs/%s/messages/%s/file" % (jid(1), MESSAGE)
    hostile.route("GET", route, answer(b"\x00\x01binary", content_type="Application/Octet-Stream; charset=binary"))
    dest = tmp_path / "file.bin"
    result = run_playbook(play(task("save", job_id=jid(1), message_id=MESSAGE, dest=str(dest))), env=hostile.env())
    assert result.rc == 0, result
    assert result.task("save")["changed"] is True and dest.read_bytes() == b"\x00\x01binary"


# -- item 11: file errors end in one line naming dest and the reason -----------------------------------------------

def unwritable_directory(tmp_path):
    """A directory the module cannot create files in, whoever runs the tests."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        return locked
    # chmod does not stop root; sysfs does (Linux, where the suite runs): without it the test fails, never skips.
    assert ROOT_PROOF_DIR.is_dir(), "running as root and %s is missing: no directory here refuses root's writes" % ROOT_PROOF_DIR
    return ROOT_PROOF_DIR


def test_file_errors_fail_in_one_line_before_any_call(insight, run_playbook, tmp_path):
    with_message(insight)
    locked = unwritable_directory(tmp_path)
    a_file = tmp_path / "a-file"
    a_file.write_bytes(b"x")
    args = {"job_id": jid(1), "message_id": MESSAGE}
    result = run_playbook(play(
        task("unwritable", dest=str(locked / "plan.txt"), **args),
        task("missing_dir", dest=str(tmp_path / "no" / "plan.txt"), **args),
        task("is_a_dir", dest=str(tmp_path), **args),
        task("parent_is_a_file", dest=str(a_file / "plan.txt"), **args),
    ))
    assert one_line(result, "unwritable") == (
        "dest: cannot write %s: Permission denied; nothing was downloaded" % (locked / "plan.txt"))
    assert one_line(result, "missing_dir") == "dest: the directory %s does not exist" % (tmp_path / "no")
    assert one_line(result, "is_a_dir") == "dest: %s is a directory; give the path of the file" % tmp_path
    assert one_line(result, "parent_is_a_file") == "dest: %s is not a directory" % a_file
    assert not (locked / "plan.txt").exists() and leftovers(locked) == [] and leftovers(tmp_path) == []
    assert downloads(insight) == 0


def test_a_write_that_fails_midway_leaves_dest_and_no_temporary_file(insight, run_playbook, tmp_path):
    """The module's process may write files of at most 1 MiB (RLIMIT_FSIZE), so a 2 MiB message file fails in
    the middle of the download with EFBIG, as a full disk fails with ENOSPC (unit-tested): the same code path."""
    content = b"0123456789abcdef" * (128 * 1024)
    with_message(insight, content)
    wrapper = tmp_path / "python-limited"
    wrapper.write_text("#!%s\nimport os, resource, sys\nresource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))\n"
                       "os.execv(%r, [%r] + sys.argv[1:])\n" % (sys.executable, sys.executable, sys.executable))
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    dest = tmp_path / "plan.txt"
    dest.write_bytes(b"the copy from yesterday")
    result = run_playbook(play(task("forced", job_id=jid(1), message_id=MESSAGE, dest=str(dest), force=True)),
                          env={"ANSIBLE_PYTHON_INTERPRETER": str(wrapper)})
    msg = one_line(result, "forced")
    assert msg.startswith("dest: cannot write %s: File too large; the download was stopped after " % dest), msg
    assert msg.endswith(" bytes and removed; dest is as it was")
    assert dest.read_bytes() == b"the copy from yesterday"
    assert leftovers(tmp_path) == []
    assert hashlib.sha1(content).hexdigest() not in repr(result.task("forced"))


# -- item 9: blank selectors select nothing and fail before any call -----------------------------------------------

def test_blank_selectors_and_dest_fail_in_one_line_before_any_call(insight, run_playbook, tmp_path):
    with_message(insight)
    insight.reset_counters()
    good = {"job_id": jid(1), "message_id": MESSAGE, "dest": str(tmp_path / "plan.txt")}

    def blank(name, option, value):
        args = dict(good)
        args[option] = value
        return task(name, **args)

    result = run_playbook(play(
        blank("job_id_empty", "job_id", ""),
        blank("job_id_blank", "job_id", "   "),
        blank("job_id_unset", "job_id", "{{ nothing_found }}"),
        blank("message_id_empty", "message_id", ""),
        blank("message_id_blank", "message_id", " \t "),
        blank("dest_empty", "dest", ""),
        blank("dest_unset", "dest", "{{ nothing_found }}"),
        vars={"nothing_found": ""}))
    for name in ("job_id_empty", "job_id_blank", "job_id_unset"):
        assert one_line(result, name) == "job_id: empty; give the UUID of the job", name
    for name in ("message_id_empty", "message_id_blank"):
        assert one_line(result, name) == "message_id: empty; give the UUID of the app message", name
    for name in ("dest_empty", "dest_unset"):
        assert one_line(result, name) == "dest: empty; give the path of the file to write", name
    assert insight.counters()["total"] == 0
    assert leftovers(tmp_path) == [] and not (tmp_path / "plan.txt").exists()
    assert sorted(path.name for path in tmp_path.iterdir() if not path.name.startswith(("playbook-", "results-"))) == []
