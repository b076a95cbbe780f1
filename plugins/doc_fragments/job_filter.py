# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """The job filter options, the same names and meaning in every module and plugin that selects jobs
    (argument spec: module_utils._jobs.job_filter_argument_spec)."""

    DOCUMENTATION = r"""
options:
  status:
    description:
      - Only jobs in one of these statuses.
    type: list
    elements: str
    choices: [QUEUED, EXECUTING, COMPLETING, COMPLETED, FAILED, CANCELLING, CANCELLED, DELETING, DELETED, INACTIVE]
    aliases: [statuses]
  app:
    description:
      - Only jobs of one of these apps, each given by name or by UUID.
      - An app that does not exist on the server is an error, not an empty selection.
      - A name that more than one app has is an error naming their ids; give such an app by its id.
    type: list
    elements: str
    aliases: [apps]
  owner:
    description:
      - Only jobs owned by one of these users, each given by UUID or by the name the server shows in the job's owner
        reference.
    type: list
    elements: str
    aliases: [owners]
  scenario_id:
    description:
      - Only jobs of one of these scenarios (UUIDs).
      - With one scenario the server applies the filter itself; it is applied again on the client, because the
        server does not filter finished jobs.
    type: list
    elements: str
    aliases: [scenario_ids]
  execution_mode:
    description:
      - Only jobs in one of these execution modes, for example V(RUN) or V(LOAD).
    type: list
    elements: str
  created_before:
    description:
      - Only jobs created before this moment, either an age such as V(6h), V(30m) or V(1d12h) (that long before
        now), or an ISO 8601 timestamp such as V(2026-11-23T06:00:00Z).
    type: str
    aliases: [older_than]
  created_after:
    description:
      - Only jobs created after this moment, as an age or an ISO 8601 timestamp like O(created_before).
    type: str
notes:
  - An option given an empty value (V(""), V([]), or a list holding an empty item), as an unset variable gives,
    fails before any call with one line naming the option; it is never read as "no filter", which would select
    every job. Leave the option out not to filter by it.
  - The job list is read in pages. When jobs leave it while it is read (other jobs finish between two pages), later
    jobs move onto pages already read; a pass is used only when every page reported the same total and the pass read
    that many jobs, otherwise it is read again (three passes at most, then it fails rather than use a partial list).
"""
