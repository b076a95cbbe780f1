#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: insight_job_cancel
short_description: Cancel FICO Xpress Insight 5 jobs by id or by filter, safely and in bulk
version_added: 1.0.0
description:
  - Cancels the jobs named by O(id), or the unfinished jobs that match the job filter (O(status), O(app), O(owner),
    O(scenario_id), O(execution_mode), O(created_before), O(created_after)), the same options as
    M(xpress.insight.insight_job_info) and the P(xpress.insight.insight_jobs#inventory) inventory.
  - Without O(id) and O(status), the filter selects V(QUEUED) jobs. Finished statuses cannot be selected.
  - Jobs that are already finished or on their way out (V(CANCELLING), V(CANCELLED), V(COMPLETED), V(FAILED),
    V(DELETING), V(DELETED)) are left alone and reported in RV(skipped_jobs); they do not make the task changed, so
    running the task again reports no change.
  - Many jobs are cancelled concurrently, up to O(parallel) requests at the same time over kept-alive connections.
  - With O(wait=true), waits until every cancelled job has finished, polling with a growing delay.
  - A filter that matches more than O(max_jobs) jobs fails before anything is cancelled.
author:
  - xpress.insight contributors (@xpress-insight)
extends_documentation_fragment:
  - xpress.insight.connection
  - xpress.insight.job_filter
  - xpress.insight.attributes
  - xpress.insight.attributes.changes
options:
  id:
    description:
      - The UUID of one job, or a list of job UUIDs, to cancel.
      - Cannot be combined with the filter options.
      - Ids that do not exist (or are not visible to the user) are handled as O(on_missing) says.
      - An empty list selects no job; the task then sends no request and reports no change, with RV(msg) saying
        that nothing was selected (it never falls back to the filter). An empty id in the list is an error.
    type: list
    elements: str
  job_fields:
    description:
      - What each record of RV(jobs) holds.
      - V(compact) keeps the job's C(id) and C(status) only. It is the cheapest form to return when a task touches
        thousands of jobs, because Ansible copies, checks and stores every value a module returns.
      - V(full) keeps every field of the server's Job object in snake_case, as M(xpress.insight.insight_job_info)
        returns them.
    type: str
    choices: [compact, full]
    default: compact
  max_jobs:
    description:
      - The most jobs a filter may select. When the filter matches more (skipped jobs included), the module fails
        without cancelling anything and says how many jobs matched, so a mistaken filter cannot empty a queue.
      - V(0) lifts the cap. Not applied to jobs named by O(id).
    type: int
    default: 100
  on_missing:
    description:
      - What to do when a job named by O(id) does not exist (or is not visible to the user).
      - V(ignore) reports it in RV(missing) and goes on; V(fail) fails before anything is cancelled.
      - A job that disappears between its selection and its cancellation has finished meanwhile; it is reported in
        RV(missing) and never fails the task.
    type: str
    choices: [ignore, fail]
    default: ignore
  parallel:
    description:
      - The most requests to send at the same time (1 to 32) when reading, cancelling and polling many jobs.
      - The requests start one at a time, and more are sent at once only while they spend their time waiting for the
        server (for example a remote server). When the controller itself is kept busy sending and reading them (a
        server close by that answers at once), more at the same time would only slow the task down.
    type: int
    default: 8
  wait:
    description:
      - Wait until every job cancelled by this task, and every selected job that was already V(CANCELLING) or
        V(DELETING), has finished.
      - Once some of the cancelled jobs have finished, the next poll comes when the others can have finished too,
        judged by how long the finished ones took after their cancellation was accepted. Without such a guess the
        jobs are polled with a delay growing from 50 ms to 1 s. Polls are never more than 1 s apart.
      - Many jobs are polled with one listing pass of the unfinished jobs rather than one request each, whichever
        takes fewer requests; the final states of the jobs that left that listing are read together at the end.
      - A job counts as finished only when it was seen finished or the server answers V(404) for it. A job that a
        listing pass does not show is read again by itself (or in one pass over the job history), because a paged
        listing shifts when other jobs finish while it is read.
      - Not done in check mode.
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds O(wait=true) waits at most. The task then fails, listing the jobs not finished and their
        statuses, with every other result value set.
    type: float
    default: 300
notes:
  - Cancellation is asynchronous on the server; the server accepts it (V(CANCELLING)) and the job reaches
    V(CANCELLED) later. Use O(wait) to wait for that.
  - When the server refuses to cancel a job (for example V(403) for a job the user may not cancel), the other jobs are
    still cancelled; the task then fails, naming the refused jobs with the server's message, with every result value
    set (RV(cancelled) says what succeeded, RV(failed_jobs) what did not and why).
  - In check mode only reads are sent; RV(cancelled) lists the jobs the task would I(ask) the server to cancel. The
    server can still refuse some of them at run time (a locked job, for example, is refused only then, and nothing
    tells beforehand), so check mode cannot promise that each of them will be cancelled; RV(msg) says so.
  - When the answer to a cancellation is lost and the client sends the C(DELETE) again, a server can answer the
    repeat with V(404) or V(409) because the first one was carried out. The job is then read by its id and
    reported as the server shows it; V(CANCELLING) or V(CANCELLED) is in RV(cancelled), and O(wait=true) waits for
    it.
  - In diff mode the diff shows the status of every job the task cancelled (or would cancel), before and after.
seealso:
  - module: xpress.insight.insight_job_info
"""

EXAMPLES = r"""
# Nightly clean-up: cancel what has been queued for more than 6 hours in the Logistics app.
- name: Nightly clean-up of the Logistics queue
  module_defaults:
    group/xpress.insight.insight:
      url: https://insight.example.com
      client_id: "{{ insight_client_id }}"
      secret: "{{ insight_secret }}"
  block:
    - name: Cancel the jobs queued for more than 6 hours, refusing to touch more than 500
      xpress.insight.insight_job_cancel:
        app: Logistics
        status: [QUEUED]
        created_before: 6h
        max_jobs: 500
      register: cleanup

    - name: Report the clean-up
      ansible.builtin.debug:
        msg: "{{ cleanup.cancelled | length }} of {{ cleanup.matched }} matching jobs cancelled"

# Ops runbook step (connection from the INSIGHT_* environment variables).
- name: Cancel everything of one scenario and wait until it has stopped
  xpress.insight.insight_job_cancel:
    scenario_id: 003584bb-9e7b-eb70-ffca-7b446118b100
    status: [QUEUED, EXECUTING, COMPLETING, CANCELLING]
    max_jobs: 0
    wait: true
    wait_timeout: 600

- name: Cancel two jobs by id and fail if one of them does not exist
  xpress.insight.insight_job_cancel:
    id:
      - 0f7acba9-713d-2c50-f085-34565a4d6e61
      - 2b9e4f61-7c3a-4d8e-b1f5-6a0c9d2e7f43
    on_missing: fail

- name: Find the jobs queued for more than 6 hours
  xpress.insight.insight_job_info:
    status: [QUEUED]
    created_before: 6h
  register: stuck

- name: Cancel exactly those; when none was found the list is empty and nothing is cancelled
  xpress.insight.insight_job_cancel:
    id: "{{ stuck.jobs | map(attribute='id') | list }}"

- name: Preview which jobs the clean-up would ask to cancel (check mode sends no write)
  xpress.insight.insight_job_cancel:
    app: Logistics
    created_before: 6h
  check_mode: true
  register: preview
"""

RETURN = r"""
cancelled:
  description:
    - Ids of the jobs whose cancellation the server accepted (in check mode, that would be cancelled).
  returned: always
  type: list
  elements: str
  sample: [0f7acba9-713d-2c50-f085-34565a4d6e61]
skipped_jobs:
  description:
    - The selected jobs left alone because they were already finished or on their way out, with their status.
    - Named C(skipped_jobs) because Ansible reserves C(skipped) for the task's own outcome.
  returned: always
  type: dict
  sample: {"5c1d3a8e-3f1b-4b7e-9a55-0c7e2d1f4a10": CANCELLED}
missing:
  description:
    - Ids named by O(id) that do not exist on the server (or are not visible to the user), and jobs that disappeared
      between their selection and their cancellation.
  returned: always
  type: list
  elements: str
failed_jobs:
  description:
    - The jobs the server refused to cancel (or that could not be cancelled for another reason), with the server's
      message. When not empty the task fails, with every other result value set.
    - Named C(failed_jobs) because Ansible reserves C(failed) for the task's own outcome.
  returned: always
  type: dict
  sample: {"0f7acba9-713d-2c50-f085-34565a4d6e61": "403: The job is locked and cannot be cancelled"}
jobs:
  description:
    - The last seen state of every job the task cancelled (or tried to, or would in check mode).
    - With O(job_fields=compact) (the default) each record holds C(id) and C(status) only. With O(job_fields=full)
      it holds every field of the server's Job object in snake_case, as M(xpress.insight.insight_job_info) returns
      them (every field present, V(null) when the server left it out).
    - After O(wait=true) this is the final state, for example with C(status=CANCELLED).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The job's UUID.
      type: str
    status:
      description: The job's status.
      type: str
      sample: CANCELLING
    app:
      description: Reference to the job's app. With O(job_fields=full) only.
      type: dict
    scenario:
      description: Reference to the job's scenario. With O(job_fields=full) only.
      type: dict
    owner:
      description: Reference to the user who owns the job. With O(job_fields=full) only.
      type: dict
    created:
      description: When the job was created (ISO 8601). With O(job_fields=full) only.
      type: str
msg:
  description:
    - In check mode, says that RV(cancelled) lists the jobs that would be asked to cancel, not a promise that each
      will be.
    - With an empty O(id) list, says that no job was selected.
  returned: in check mode, and when O(id) is an empty list
  type: str
  sample: "check mode: 2 job(s) would be asked to cancel; the server may still refuse some (a locked job, for example)"
matched:
  description:
    - How many existing jobs the task selected (by O(id) or by the filter), skipped ones included.
  returned: always
  type: int
  sample: 12
"""

from ansible_collections.xpress.insight.plugins.module_utils._module import InsightModule
from ansible_collections.xpress.insight.plugins.module_utils._run_job_cancel import SPEC, run


def main() -> None:
    InsightModule.main(SPEC, run)


if __name__ == "__main__":
    main()
