"""insight_job_message_file through real ansible-playbook runs against the emulator."""

from __future__ import annotations

import base64
import hashlib
import os
import stat

from test_insight_job_cancel import failed, jid, seed

TASK = "xpress.insight.insight_job_message_file"
FILE_ROUTE = "GET /api/jobs/{id}/messages/{appMessageId}/file"
TEXT = jid(501)
EMPTY = jid(502)
BINARY = jid(503)
CONTENT = b"route plan: depot A -> B -> C\n" * 5000


def play(*tasks):
    return {"name": "message file", "hosts": "localhost", "gather_facts": False, "tasks": list(tasks)}


def task(name, ignore_errors=False, **args):
    out = {"name": name, TASK: args, "register": "out"}
    if ignore_errors:
        out["ignore_errors"] = True
    return out


def with_messages(insight):
    messages = [{"id": TEXT, "content_b64": base64.b64encode(CONTENT).decode("ascii")},
                {"id": EMPTY, "content": ""},
                {"id": BINARY, "content_b64": base64.b64encode(bytes(range(256))).decode("ascii")}]
    insight.reset(seed({"id": jid(1), "scenario": "/Logistics/Reports/Base case", "owner": "alice",
                        "status": "COMPLETED", "created": "-1h", "messages": messages}))


def test_saves_converges_and_sets_the_mode(insight, run_playbook, tmp_path):
    with_messages(insight)
    dest = tmp_path / "plan.txt"
    args = {"job_id": jid(1), "message_id": TEXT, "dest": str(dest), "mode": "0600"}
    check = run_playbook(play(task("check", **args)), check=True, diff=True)
    assert check.rc == 0, check
    assert check.task("check")["changed"] is True and not dest.exists()
    assert check.task("check")["diff"]["after"]["checksum"] == hashlib.sha1(CONTENT).hexdigest()
    assert not list(tmp_path.glob(".insight-message-*"))

    result = run_playbook(play(task("save", **args), task("again", **args), task("forced", force=True, **args)))
    assert result.rc == 0, result
    save = result.task("save")
    assert save["changed"] is True and save["downloaded"] is True
    assert dest.read_bytes() == CONTENT
    assert save["size"] == len(CONTENT) and save["checksum"] == hashlib.sha1(CONTENT).hexdigest()
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    # Without force an existing file is left alone and nothing is downloaded; with force, same content: no change.
    assert result.task("again")["changed"] is False and result.task("again")["downloaded"] is False
    assert result.task("forced")["changed"] is False and result.task("forced")["downloaded"] is True
    # check mode, save and forced download; `again` reads nothing.
    assert insight.counters()["by_route"][FILE_ROUTE] == 3
    assert insight.counters()["writes"] == 0

    # Only the mode differs: changed, content untouched.
    wider = dict(args)
    wider["mode"] = "0644"
    mode_only = run_playbook(play(task("mode", **wider)))
    assert mode_only.task("mode")["changed"] is True
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o644 and dest.read_bytes() == CONTENT

    # A changed file on disk is replaced with force.
    dest.write_bytes(b"stale")
    fixed = run_playbook(play(task("fix", force=True, **args)), diff=True)
    assert fixed.task("fix")["changed"] is True and dest.read_bytes() == CONTENT
    assert fixed.task("fix")["diff"]["before"] == {"checksum": hashlib.sha1(b"stale").hexdigest(), "size": 5}


def test_empty_and_binary_files_are_saved(insight, run_playbook, tmp_path):
    with_messages(insight)
    empty, binary = tmp_path / "empty.bin", tmp_path / "binary.bin"
    result = run_playbook(play(task("empty", job_id=jid(1), message_id=EMPTY, dest=str(empty)),
                               task("binary", job_id=jid(1), message_id=BINARY, dest=str(binary))))
    assert result.rc == 0, result
    assert empty.exists() and empty.read_bytes() == b""
    assert result.task("empty")["size"] == 0 and result.task("empty")["changed"] is True
    assert result.task("empty")["checksum"] == hashlib.sha1(b"").hexdigest()
    assert binary.read_bytes() == bytes(range(256))


def test_missing_file_fails_in_one_line(insight, run_playbook, tmp_path):
    with_messages(insight)
    ghost = jid(599)
    dest = tmp_path / "nothing.bin"
    insight.faults({"route": FILE_ROUTE, "kind": "status", "status": 404, "body": "empty", "count": 1})
    result = run_playbook(play(
        task("empty_404", ignore_errors=True, job_id=jid(1), message_id=TEXT, dest=str(dest)),
        task("envelope_404", ignore_errors=True, job_id=jid(1), message_id=ghost, dest=str(dest)),
        task("no_dir", ignore_errors=True, job_id=jid(1), message_id=TEXT, dest=str(tmp_path / "no" / "x")),
        task("bad_id", ignore_errors=True, job_id="nope", message_id=TEXT, dest=str(dest)),
    ))
    assert failed(result, "empty_404") and failed(result, "envelope_404")
    assert result.task("empty_404")["msg"] == "message_id: no message file %s for job %s" % (TEXT, jid(1))
    assert result.task("envelope_404")["msg"] == "message_id: no message file %s for job %s" % (ghost, jid(1))
    assert result.task("no_dir")["msg"] == "dest: the directory %s does not exist" % (tmp_path / "no")
    assert result.task("bad_id")["msg"] == "job_id: 'nope' is not a UUID"
    assert not dest.exists() and not list(tmp_path.glob(".insight-message-*"))
