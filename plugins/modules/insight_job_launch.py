#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: insight_job_launch
short_description: Start a job for a FICO Xpress Insight 5 scenario, and optionally wait for it to end
version_added: 1.0.0
description:
  - Starts a job for one scenario, named by its repository path (O(scenario)) or its UUID (O(scenario_id)), in an
    O(execution_mode) of its app, with C(POST /api/jobs) of the later Insight 5 REST API releases.
  - Idempotent as far as the server allows. A scenario runs one job at a time, and the server refuses a second one
    with C(423) while a job of the scenario is queued or running. The module then reports that job, with
    RV(existing_job=true) and C(changed=false), instead of failing; a warning says so when its execution mode
    differs from O(execution_mode). The API offers no way to force a second job, and neither does this module.
  - With O(wait=true), waits until the job has finished, polling it with a delay growing from 50 ms to 1 s (the
    rules of the O(xpress.insight.insight_job_cancel#module:wait) option of M(xpress.insight.insight_job_cancel), where a
    job counts as finished only once it was seen finished). When it ends in a status listed in O(fail_on), the task
    fails; the message and RV(run_log) hold the last O(run_log_lines) lines of its run log, with the run's secrets
    masked and control characters escaped.
  - In check mode nothing is started. The module finds the scenario and its queued or running job (reported as in a
    real run), or reports the job it would start, with RV(job=null).
  - A server of an older release, which has no C(POST /api/jobs), fails the task with one line saying that the
    server's release does not offer job creation.
author:
  - xpress.insight contributors (@xpress-insight)
extends_documentation_fragment:
  - xpress.insight.connection
  - xpress.insight.attributes
  - xpress.insight.attributes.changes
options:
  scenario:
    description:
      - The repository path of the scenario, the app's name first, for example V(/Logistics/Reports/Base case) or
        V(/Logistics/Sandbox) for a scenario at the app root.
      - The path rules of M(xpress.insight.insight_folder) apply, checked before any call; the first segment may be the
        app's UUID instead of its name. Names match exactly, case included.
      - A path that names a folder, a scenario that does not exist (or that another user made V(PRIVATE)) and a name
        that two scenarios of one folder share fail in one line before anything is started; for the last, give the
        one meant with O(scenario_id).
      - Mutually exclusive with O(scenario_id).
    type: str
  scenario_id:
    description:
      - The UUID of the scenario. The server says whether it exists when asked to start its job, so in check mode
        an unknown id is reported as a job that would start (the calls this module uses cannot read a scenario by id).
      - An empty value fails; it never selects anything by default.
    type: str
  execution_mode:
    description:
      - The name of the execution mode to run the job in, one of the scenario's app's modes; the server refuses a
        mode its app does not have (C(422)), and the task fails naming this option.
      - V(RUN), the default, is the mode of a plain run.
    type: str
    default: RUN
  wait:
    description:
      - Wait until the job has finished (in V(COMPLETED), V(FAILED), V(CANCELLED) or V(DELETED)) and return it as it
        ended.
      - A job that the server drops from its job history before it was seen finished has an unknown outcome; the task
        then fails unless O(fail_on) is empty, and warns if it is.
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds O(wait=true) waits at most. The task then fails in one line naming the job's last status,
        and returns RV(job) as last seen.
    type: float
    default: 300
  fail_on:
    description:
      - With O(wait=true), the final statuses that fail the task. V([]) never fails on the job's outcome.
    type: list
    elements: str
    choices: [CANCELLED, COMPLETED, DELETED, FAILED]
    default: [CANCELLED, FAILED]
  run_log_lines:
    description:
      - How many of the last lines of the job's run log the failure of O(fail_on) shows and returns (1 to 1000). Each
        line is cut at 1000 characters (300 on the message line).
    type: int
    default: 20
notes:
  - The job is returned as M(xpress.insight.insight_job_info) returns jobs, every field in snake_case.
  - Job creation and run logs are in the REST API of later Insight 5 releases (the 2024 and 2025 releases'
    reference); the routes of older releases do not include them.
seealso:
  - module: xpress.insight.insight_job_info
  - module: xpress.insight.insight_job_cancel
"""

EXAMPLES = r"""
- name: Start a job for a scenario (connection from INSIGHT_* variables)
  xpress.insight.insight_job_launch:
    scenario: /Logistics/Reports/Weekly/Week 1
  register: launched

- name: Show the job, new or already queued
  ansible.builtin.debug:
    msg: "{{ launched.job.id }} is {{ launched.job.status }}{{ ' (it was already in the queue)' if launched.existing_job else '' }}"

- name: Run a scenario given by id, wait up to ten minutes, and fail with its run log if it fails
  xpress.insight.insight_job_launch:
    url: https://insight.example.com
    client_id: "{{ insight_client_id }}"
    secret: "{{ insight_secret }}"
    scenario_id: "{{ launched.scenario.id }}"
    execution_mode: RUN
    wait: true
    wait_timeout: 600
  register: run

- name: Load a scenario's input data, and accept any outcome
  xpress.insight.insight_job_launch:
    scenario: /Portfolio/Models/Balanced
    execution_mode: LOAD
    wait: true
    fail_on: []
  register: loaded

- name: Report the outcome
  ansible.builtin.debug:
    msg: "{{ loaded.job.status }} (objective {{ loaded.job.objective | default('none', true) }})"
"""

RETURN = r"""
job:
  description:
    - The job started, or the scenario's job already in the queue (RV(existing_job=true)); with O(wait=true), as it
      ended (or as last seen when the wait failed).
    - Every field of the server's Job object in snake_case, each present (V(null) when the server left it out), as
      M(xpress.insight.insight_job_info) returns RV(xpress.insight.insight_job_info#module:jobs).
    - V(null) in check mode when a job would be started.
  returned: always
  type: dict
  sample:
    id: 0f7acba9-713d-2c50-f085-34565a4d6e61
    status: QUEUED
    name: High demand
    scenario: {id: 003584bb-9e7b-eb70-ffca-7b446118b100, name: High demand, object_type: SCENARIO,
               url: /api/scenarios/003584bb-9e7b-eb70-ffca-7b446118b100}
    execution_mode: {name: RUN, description: Run the model, priority: 5, threads: null, clears_input_data: false}
    created: "2026-11-20T08:00:00.000Z"
    started: null
    finished: null
existing_job:
  description: Whether RV(job) is a job the scenario already had (queued or running), reported instead of starting one.
  returned: always
  type: bool
  sample: false
scenario:
  description: The scenario (C(id), C(name), C(path)); C(path) is V(null) when it was given by O(scenario_id).
  returned: always
  type: dict
  sample: {id: 003584bb-9e7b-eb70-ffca-7b446118b100, name: High demand, path: /Logistics/Reports/High demand}
run_log:
  description:
    - The last O(run_log_lines) lines of the job's run log, secrets masked, control characters escaped (C(\x1b)),
      each cut at 1000 characters; empty when the run log is empty or could not be read (the message says why).
  returned: when the job ended in a status of O(fail_on)
  type: list
  elements: str
  sample: ["Solving", "Error: the model stopped with status ERROR"]
msg:
  description: What the task did, in one line.
  returned: always
  type: str
  sample: started job 0f7acba9-713d-2c50-f085-34565a4d6e61 (RUN) for scenario /Logistics/Reports/High demand
"""

from ansible_collections.xpress.insight.plugins.module_utils._module import InsightModule
from ansible_collections.xpress.insight.plugins.module_utils._run_job_launch import SPEC, run


def main() -> None:
    InsightModule.main(SPEC, run)


if __name__ == "__main__":
    main()
