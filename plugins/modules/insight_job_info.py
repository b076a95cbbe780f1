#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: insight_job_info
short_description: List FICO Xpress Insight 5 jobs, or read one job and its message files
version_added: 0.1.0
description:
  - Reads one job by O(id), or lists the jobs of an Insight 5 server, filtered by scenario, status, app, owner,
    execution mode and creation time.
  - Also counts the jobs by status, and can save a job's message file to disk.
  - Never changes anything on the server.
author:
  - xpress.insight contributors (@xpress-insight)
extends_documentation_fragment:
  - xpress.insight.connection
  - xpress.insight.attributes
  - xpress.insight.attributes.info_module
options:
  id:
    description:
      - The UUID of one job. The module fails if that job does not exist.
      - Cannot be combined with the list filters.
    type: str
  scenario_id:
    description:
      - Only jobs of this scenario (UUID). Applied by the server.
      - With O(include_finished=true), the server does not apply this filter to finished jobs, so the module
        applies it again on its side.
    type: str
  include_finished:
    description:
      - Also list finished jobs (V(COMPLETED), V(FAILED), V(CANCELLED), V(DELETED)) that the server still keeps in
        its job history.
    type: bool
    default: false
  status:
    description:
      - Only jobs in one of these statuses.
    type: list
    elements: str
    choices: [QUEUED, EXECUTING, COMPLETING, COMPLETED, FAILED, CANCELLING, CANCELLED, DELETING, DELETED, INACTIVE]
  app:
    description:
      - Only jobs of this app, by name or UUID. The module fails if no such app exists.
    type: str
  owner:
    description:
      - Only jobs owned by this user, by UUID or by the name the server shows in the job's owner reference.
    type: str
  execution_mode:
    description:
      - Only jobs in this execution mode, for example V(RUN) or V(LOAD).
    type: str
  created_before:
    description:
      - Only jobs created before this moment, either an age such as V(6h), V(30m) or V(1d12h) (that long before now),
        or an ISO 8601 timestamp such as V(2026-11-23T06:00:00Z).
    type: str
  created_after:
    description:
      - Only jobs created after this moment, as an age or an ISO 8601 timestamp like O(created_before).
    type: str
  message_file:
    description:
      - Save the file of one message of the job named by O(id) to disk.
      - The file is replaced atomically, and only when its content changed.
    type: dict
    suboptions:
      message_id:
        description:
          - The UUID of the app message whose file to save.
        type: str
        required: true
      dest:
        description:
          - The local path to write the file to.
        type: path
        required: true
notes:
  - Job fields are returned in snake_case, for example C(execution_mode) for the server's C(executionMode).
seealso:
  - module: xpress.insight.insight_job_cancel
  - plugin: xpress.insight.insight_jobs
    plugin_type: inventory
"""

EXAMPLES = r"""
- name: Report the jobs of the Logistics app
  xpress.insight.insight_job_info:
    url: https://insight.example.com
    client_id: "{{ insight_client_id }}"
    secret: "{{ insight_secret }}"
    app: Logistics
  register: logistics_jobs

- name: Show how many jobs wait in the queue
  ansible.builtin.debug:
    msg: "{{ logistics_jobs.count_by_status.QUEUED }} jobs queued"

- name: Find jobs that have been queued for more than six hours (connection from INSIGHT_* variables)
  xpress.insight.insight_job_info:
    status: [QUEUED]
    created_before: 6h
  register: stuck

- name: Read one job and save the file of one of its messages
  xpress.insight.insight_job_info:
    id: 0f7acba9-713d-2c50-f085-34565a4d6e61
    message_file:
      message_id: 5c1d3a8e-3f1b-4b7e-9a55-0c7e2d1f4a10
      dest: /tmp/job-message.bin
"""

RETURN = r"""
jobs:
  description:
    - The jobs found, each with every field of the server's Job object in snake_case.
    - Fields the server leaves out (for example C(finished) of a queued job, or details of a redacted job whose
      scenario you cannot see) are absent.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The job's UUID.
      type: str
      sample: 0f7acba9-713d-2c50-f085-34565a4d6e61
    name:
      description: The job's name.
      type: str
    status:
      description: The job's status.
      type: str
      sample: QUEUED
    app:
      description: Reference to the job's app (C(id), C(name), C(object_type), C(url)).
      type: dict
    scenario:
      description: Reference to the job's scenario (C(id), C(name), C(object_type), C(url)).
      type: dict
    owner:
      description: Reference to the user who owns the job.
      type: dict
    execution_mode:
      description: The execution mode (C(name), C(description), C(priority), C(threads), C(clears_input_data)).
      type: dict
    execution_service:
      description: Reference to the execution service, when assigned.
      type: dict
    execution_worker:
      description: Reference to the execution worker, when assigned.
      type: dict
    execution_attempts:
      description: How many times the server tried to execute the job.
      type: int
    created:
      description: When the job was created (ISO 8601).
      type: str
    started:
      description: When the job started executing.
      type: str
    finished:
      description: When the job finished.
      type: str
    duration:
      description: Duration of the job in milliseconds, once finished.
      type: int
    model_status:
      description: The model status, for example C(OK).
      type: str
    solver_status:
      description: The solver status, for example C(OPTIMAL).
      type: str
    objective:
      description: The objective value.
      type: float
    object_type:
      description: Always C(JOB_STATE).
      type: str
    url:
      description: The job's API URL.
      type: str
count_by_status:
  description: How many of the returned jobs are in each status; every status is present, zero included.
  returned: always
  type: dict
  sample: {"QUEUED": 3, "EXECUTING": 1, "COMPLETING": 0, "COMPLETED": 0, "FAILED": 0, "CANCELLING": 0,
           "CANCELLED": 0, "DELETING": 0, "DELETED": 0, "INACTIVE": 0}
message_file:
  description: The saved message file.
  returned: when O(message_file) is given
  type: dict
  contains:
    dest:
      description: Where the file was written.
      type: str
    size:
      description: Size of the file in bytes.
      type: int
    checksum:
      description: SHA-1 of the file's content.
      type: str
"""

import hashlib
import os
import tempfile
from typing import Any, Dict

from ansible_collections.xpress.insight.plugins.module_utils._args import check_uuid
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightError
from ansible_collections.xpress.insight.plugins.module_utils._jobs import (
    STATUSES, JobFilter, count_by_status, get_job, list_jobs, resolve_apps)
from ansible_collections.xpress.insight.plugins.module_utils._module import InsightModule

FILTERS = ("scenario_id", "status", "app", "owner", "execution_mode", "created_before", "created_after")


def save_message_file(module: InsightModule, job_id: str, spec: Dict[str, Any]) -> Dict[str, Any]:
    message_id = check_uuid(spec["message_id"], "message_file.message_id")
    dest = spec["dest"]
    content = module.client.download("/api/jobs/{}/messages/{}/file", job_id, message_id)
    checksum = hashlib.sha1(content).hexdigest()
    current = None
    if os.path.isfile(dest):
        with open(dest, "rb") as handle:
            current = hashlib.sha1(handle.read()).hexdigest()
    changed = current != checksum
    if changed and not module.check_mode:
        directory = os.path.dirname(os.path.abspath(dest))
        if not os.path.isdir(directory):
            raise InsightError("message_file.dest: the directory %s does not exist" % directory)
        handle, tmp = tempfile.mkstemp(dir=directory, prefix=".insight-message-")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        module.atomic_move(tmp, dest)
    return {"changed": changed, "message_file": {"dest": dest, "size": len(content), "checksum": checksum}}


def run_module(module: InsightModule) -> Dict[str, Any]:
    params = module.params
    if params["id"]:
        job_id = check_uuid(params["id"], "id")
        job = get_job(module.client, job_id)
        if job is None:
            raise InsightError("id: no job %s on the server (or it is not visible to this user)" % job_id)
        jobs = [job]
        result: Dict[str, Any] = {"changed": False}
        if params["message_file"]:
            result.update(save_message_file(module, job_id, params["message_file"]))
        result.update(jobs=jobs, count_by_status=count_by_status(jobs))
        return result

    job_filter = JobFilter.from_options(params)
    if params["app"]:
        job_filter.app = resolve_apps(module.client, [params["app"]])
    jobs = list_jobs(module.client, job_filter, include_finished=params["include_finished"])
    return {"changed": False, "jobs": jobs, "count_by_status": count_by_status(jobs)}


def main() -> None:
    module = InsightModule(
        argument_spec=dict(
            id=dict(type="str"),
            scenario_id=dict(type="str"),
            include_finished=dict(type="bool", default=False),
            status=dict(type="list", elements="str", choices=list(STATUSES)),
            app=dict(type="str"),
            owner=dict(type="str"),
            execution_mode=dict(type="str"),
            created_before=dict(type="str"),
            created_after=dict(type="str"),
            message_file=dict(type="dict", options=dict(
                message_id=dict(type="str", required=True),
                dest=dict(type="path", required=True),
            )),
        ),
        mutually_exclusive=[("id", name) for name in FILTERS],
        required_by={"message_file": "id"},
        supports_check_mode=True,
    )
    module.run(run_module)


if __name__ == "__main__":
    main()
