#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: insight_job_message_file
short_description: Save the file of a FICO Xpress Insight 5 job message to disk
version_added: 1.0.0
description:
  - Downloads the file of one app message of a job and writes it to O(dest) on the host the task runs on.
  - The file is streamed to a temporary file beside O(dest), never held whole in memory, and moved into place
    atomically only when its SHA-1 checksum differs from the file already there, so running the task again reports
    no change.
  - An empty (0-byte) message file is a file like any other and is saved.
  - Only an answer whose content type is in the octet-stream family is saved, that is C(application/octet-stream) or any
    C(application/*+octet-stream), such as Insight's C(application/vnd.com.fico.xpress.insight.v2+octet-stream),
    with or without parameters. Any other content type, or none, answered with a 2xx status (typically a gateway's
    or proxy's C(200 text/html) sign-in page) fails the task in one line naming the content type and what it likely
    is, before a byte is written; O(dest) is left exactly as it was (also with O(force=true)), and no temporary file
    is left.
  - "A file error (a directory that cannot be written to, a full disk, a size limit, a permission error) fails the task
    in one line, C(dest: cannot write <dest>: <reason>; ...), naming what was left; the temporary file is removed and
    O(dest) is as it was."
  - Never changes anything on the server.
author:
  - xpress.insight contributors (@xpress-insight)
extends_documentation_fragment:
  - xpress.insight.connection
  - xpress.insight.attributes
  - ansible.builtin.files
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
    details:
      - The file is downloaded to a temporary file to tell whether O(dest) would change, then removed.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: full
    details:
      - The diff shows the size and checksum of O(dest) before and after.
options:
  job_id:
    description:
      - The UUID of the job.
      - "An empty or blank value (an unset variable) fails before any call, C(job_id: empty; give the UUID of the job)."
    type: str
    required: true
  message_id:
    description:
      - The UUID of the app message whose file to save.
      - An empty or blank value fails before any call, like O(job_id).
    type: str
    required: true
  dest:
    description:
      - The local path to write the file to. Its directory must exist.
      - An empty or blank value, a directory, or a path whose directory is missing (or is not a directory) fails before
        any call.
    type: path
    required: true
  force:
    description:
      - With V(false), an existing O(dest) is left as it is and nothing is downloaded.
      - With V(true), the file is downloaded and O(dest) is replaced when its content differs.
    type: bool
    default: false
notes:
  - The task fails in one line, C(no message file <message_id> for job <job_id>), when the server has no such file
    (or the job or its scenario is not visible to the user).
  - "A refused answer reads C(GET /api/jobs/<job_id>/messages/<message_id>/file: the server answered 200 with text/html
    (a sign-in page of a gateway or proxy?), not a message file; nothing was written to dest (<dest>)); the request is
    not repeated. Check the proxy or single-sign-on gateway in front of Insight, or O(url)."
  - O(timeout) bounds the whole download, the file included, so that a server that trickles it cannot hold the task;
    raise O(timeout) for large files over slow links. A download that timed out after its first byte is not
    repeated, and O(dest) is left as it was.
seealso:
  - module: xpress.insight.insight_job_info
"""

EXAMPLES = r"""
# dest's directory must exist (the module does not create it): here a directory beside the playbook.
- name: Make the directory of the solver logs
  ansible.builtin.file:
    path: "{{ playbook_dir }}/solver_logs"
    state: directory
    mode: "0700"

- name: Save the solver log of a failed job, readable by its owner only
  xpress.insight.insight_job_message_file:
    job_id: 0f7acba9-713d-2c50-f085-34565a4d6e61
    message_id: 5c1d3a8e-3f1b-4b7e-9a55-0c7e2d1f4a10
    dest: "{{ playbook_dir }}/solver_logs/job-0f7acba9.log"
    mode: "0600"

- name: Fetch it again even if a copy exists (replaced only when its content changed)
  xpress.insight.insight_job_message_file:
    job_id: 0f7acba9-713d-2c50-f085-34565a4d6e61
    message_id: 5c1d3a8e-3f1b-4b7e-9a55-0c7e2d1f4a10
    dest: "{{ playbook_dir }}/solver_logs/job-0f7acba9.log"
    force: true
"""

RETURN = r"""
dest:
  description: Where the file was (or, in check mode, would be) written.
  returned: always
  type: str
  sample: /var/log/insight/job-0f7acba9.log
size:
  description: Size of the file in bytes; V(null) when O(force=false) left an existing O(dest) unread.
  returned: always
  type: int
  sample: 1024
checksum:
  description: SHA-1 of the file's content.
  returned: always
  type: str
  sample: da39a3ee5e6b4b0d3255bfef95601890afd80709
downloaded:
  description: Whether the file was downloaded (V(false) when O(force=false) found O(dest) already there).
  returned: always
  type: bool
state:
  description: The type of O(dest), V(file), as Ansible's file modules report it.
  returned: when O(dest) exists
  type: str
  sample: file
mode:
  description: The permissions of O(dest), in octal.
  returned: when O(dest) exists
  type: str
  sample: "0600"
owner:
  description: The name of the user that owns O(dest).
  returned: when O(dest) exists
  type: str
group:
  description: The name of the group that owns O(dest).
  returned: when O(dest) exists
  type: str
uid:
  description: The user id of the owner of O(dest).
  returned: when O(dest) exists
  type: int
gid:
  description: The group id of the group of O(dest).
  returned: when O(dest) exists
  type: int
"""

from ansible_collections.xpress.insight.plugins.module_utils._module import InsightModule
from ansible_collections.xpress.insight.plugins.module_utils._run_job_message_file import SPEC, run


def main() -> None:
    InsightModule.main(SPEC, run)


if __name__ == "__main__":
    main()
