# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_job_message_file: its SPEC and run(task). The file of a job message, streamed into a temporary file next
to `dest` and moved over it only when its checksum differs; dest is never left half written."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from typing import Any, Dict, Optional

from ._args import check_id
from ._client_protocol import InsightClientLike
from ._errors import InsightConfigError, InsightError, InsightHTTPError, NotAFile
from ._media import describe_not_a_file
from ._task import FileTask, ModuleSpec

SPEC = ModuleSpec(
    argument_spec=dict(
        job_id=dict(type="str", required=True),
        message_id=dict(type="str", required=True),
        dest=dict(type="path", required=True),
        force=dict(type="bool", default=False),
    ),
    add_file_common_args=True,
)


CHUNK = 65536
FILE_ROUTE = "/api/jobs/{}/messages/{}/file"


class HashingWriter:
    """A file wrapper that hashes and counts what is written through it."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.digest = hashlib.sha1()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.handle.write(data)
        self.size += len(data)


def file_error(dest: str, doing: str, exc: OSError, outcome: str) -> InsightError:
    """One line for a failed file operation: the option, the path, the system's reason, and what was left."""
    reason = exc.strerror or str(exc)
    return InsightError("dest: cannot %s %s: %s; %s" % (doing, dest, reason, outcome))


def file_checksum(path: str) -> Optional[str]:
    if not os.path.isfile(path):
        return None
    digest = hashlib.sha1()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
    except OSError as exc:
        raise file_error(path, "read", exc, "nothing was downloaded") from None
    return digest.hexdigest()


def remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def download(client: InsightClientLike, job_id: str, message_id: str, directory: str, dest: str) -> Dict[str, Any]:
    """Stream the file into a temporary file in `directory`; its path, size and checksum.

    Whatever goes wrong, the temporary file is removed and `dest` is as it was."""
    # Created before the call, so that a directory the module cannot write into fails without asking the server.
    try:
        handle, tmp = tempfile.mkstemp(dir=directory, prefix=".insight-message-")
    except OSError as exc:
        raise file_error(dest, "write", exc, "nothing was downloaded") from None
    out = os.fdopen(handle, "wb")
    writer = HashingWriter(out)
    try:
        with out:
            size = client.download_to(writer, FILE_ROUTE, job_id, message_id)
    except InsightHTTPError as exc:
        remove(tmp)
        if exc.status == 404:
            raise InsightError("message_id: no message file %s for job %s" % (message_id, job_id)) from None
        raise
    except NotAFile as exc:
        remove(tmp)
        raise InsightError("the server answered %d with %s, not a message file; nothing was written to dest (%s)"
                           % (exc.status, describe_not_a_file(exc.content_type), dest), exc.method, exc.path) from None
    except OSError as exc:
        # A full disk, a quota, a size limit: also raised when closing flushes what was buffered.
        remove(tmp)
        raise file_error(dest, "write", exc, "the download was stopped after %d bytes and removed; dest is as it was"
                         % writer.size) from None
    except BaseException:
        remove(tmp)
        raise
    return {"tmp": tmp, "size": size, "checksum": writer.digest.hexdigest()}


def check_dest(value: Any) -> str:
    """`dest` as given, or InsightConfigError: it must name a file in a directory that exists."""
    dest = value if isinstance(value, str) else ""
    if not dest.strip():
        # An unset variable would otherwise save the file under a name no one chose.
        raise InsightConfigError("dest: empty; give the path of the file to write")
    if os.path.isdir(dest):
        raise InsightConfigError("dest: %s is a directory; give the path of the file" % dest)
    directory = os.path.dirname(os.path.abspath(dest))
    if not os.path.exists(directory):
        raise InsightConfigError("dest: the directory %s does not exist" % directory)
    if not os.path.isdir(directory):
        raise InsightConfigError("dest: %s is not a directory" % directory)
    return dest


FIELD_NOUNS = {"job_id": "job", "message_id": "app message"}


def check_selector(value: Any, field: str) -> str:
    # A blank id is an unset variable, never "any": it is named as such rather than as a malformed UUID.
    if value is None or not str(value).strip():
        raise InsightConfigError("%s: empty; give the UUID of the %s" % (field, FIELD_NOUNS[field]))
    return check_id(value, field)


def run(task: FileTask) -> Dict[str, Any]:
    """insight_job_message_file's whole run: ids and dest checked before the first call, then the download."""
    params = task.params
    job_id = check_selector(params["job_id"], "job_id")
    message_id = check_selector(params["message_id"], "message_id")
    dest = check_dest(params["dest"])
    directory = os.path.dirname(os.path.abspath(dest))

    current = file_checksum(dest)
    size_before = os.path.getsize(dest) if current is not None else None
    result: Dict[str, Any] = {"dest": dest, "downloaded": False, "size": None, "checksum": current}
    changed = False
    if current is None or params["force"]:
        got = download(task.client, job_id, message_id, directory, dest)
        result.update(downloaded=True, size=got["size"], checksum=got["checksum"])
        changed = got["checksum"] != current
        try:
            if changed and not task.check_mode:
                task.atomic_move(got["tmp"], dest)
        finally:
            # atomic_move may end the run (AnsibleModule's fails through fail_json) when it cannot replace dest: the
            # temporary file goes all the same.
            remove(got["tmp"])
        result["diff"] = {"before_header": dest, "after_header": dest,
                          "before": {"checksum": current, "size": size_before},
                          "after": {"checksum": got["checksum"], "size": got["size"]}}
    else:
        result["size"] = size_before
    if os.path.exists(dest) or not task.check_mode:
        changed = task.set_file_attributes(dest, changed)
    result["changed"] = changed
    return result
