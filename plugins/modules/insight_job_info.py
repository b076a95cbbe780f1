#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: insight_job_info
short_description: List FICO Xpress Insight 5 jobs, or read (and wait for) one job
version_added: 1.0.0
description:
  - Reads one job by O(id), or lists the jobs of an Insight 5 server, filtered by status, app, owner, scenario,
    execution mode and creation time (the job filter shared with M(xpress.insight.insight_job_cancel) and the
    P(xpress.insight.insight_jobs#inventory) inventory).
  - Also counts the jobs by status.
  - With O(wait_for), waits until the job named by O(id) is finished or in one of the statuses given.
  - Never changes anything on the server or on disk; M(xpress.insight.insight_job_message_file) saves message files.
author:
  - xpress.insight contributors (@xpress-insight)
extends_documentation_fragment:
  - xpress.insight.connection
  - xpress.insight.job_filter
  - xpress.insight.attributes
  - xpress.insight.attributes.info_module
options:
  id:
    description:
      - The UUID of one job. The module fails if that job does not exist.
      - An empty value fails; it is never read as "no id", which would list every job.
      - Cannot be combined with the job filter options.
    type: str
  include_finished:
    description:
      - Also list finished jobs (V(COMPLETED), V(FAILED), V(CANCELLED), V(DELETED)) that the server still keeps in
        its job history.
    type: bool
    default: false
  wait_for:
    description:
      - Wait until the job named by O(id) is in one of these statuses, then return it. V(finished) stands for any
        finished status (V(COMPLETED), V(FAILED), V(CANCELLED), V(DELETED)).
      - The job is polled with a delay growing from 50 ms to 1 s, by the same rules as the
        O(xpress.insight.insight_job_cancel#module:wait) option of M(xpress.insight.insight_job_cancel).
      - Fails at once when the job finishes in a status not listed (it can never get there) or, unless waiting for
        V(finished), when the server no longer has it.
    type: list
    elements: str
  wait_timeout:
    description:
      - How many seconds O(wait_for) waits at most. The task then fails in one line naming the last status seen, and
        returns RV(jobs) with the job as last seen.
    type: float
    default: 300
  parallel:
    description:
      - How many pages of the job list are fetched at the same time once the first page has told how many there are
        (1 to 32).
    type: int
    default: 8
notes:
  - Job fields are returned in snake_case, for example C(execution_mode) for the server's C(executionMode).
seealso:
  - module: xpress.insight.insight_job_cancel
  - module: xpress.insight.insight_job_message_file
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

- name: Wait up to an hour for a job started elsewhere to finish, then go on
  xpress.insight.insight_job_info:
    id: 0f7acba9-713d-2c50-f085-34565a4d6e61
    wait_for: finished
    wait_timeout: 3600
  register: finished_job
"""

RETURN = r"""
jobs:
  description:
    - The jobs found, each with every field of the server's Job object in snake_case.
    - Every field listed here is always present; it is V(null) when the server left it out or sent it empty (for
      example C(finished) and C(duration) of a queued job, or C(name) and C(scenario) of a job whose scenario you
      cannot see).
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
"""

from ansible_collections.xpress.insight.plugins.module_utils._module import InsightModule
from ansible_collections.xpress.insight.plugins.module_utils._run_job_info import SPEC, run


def main() -> None:
    InsightModule.main(SPEC, run)


if __name__ == "__main__":
    main()
