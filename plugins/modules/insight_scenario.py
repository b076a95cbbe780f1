#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: insight_scenario
short_description: Check or move scenarios of FICO Xpress Insight 5 apps
version_added: 1.0.0
description:
  - Finds one or many scenarios by repository path, such as V(/Logistics/Reports/Base case), or by id, and moves
    them into a folder or to their app's root (O(state=moved)), for example to archive last year's scenarios.
  - Scenarios are found as M(xpress.insight.insight_folder) finds folders, by walking from the app root one level at a
    time through the children listings, each listing read at most once per task; names match exactly, case included.
  - Every scenario is found and every move checked before the first move is sent; a path that names a folder or
    nothing, a destination that is missing, in another app, or already holds an item of that name, fails the task
    with one line and nothing moved.
  - Moving sends one request per scenario that is not yet in O(dest); a scenario already there is unchanged, so a
    second run reports no change. A move keeps the scenario, its id, its data and its jobs.
  - In diff mode, each moved scenario gets one entry headed by its path before and after the move.
  - Scenarios are never created, renamed or deleted by this module.
author:
  - xpress.insight contributors (@xpress-insight)
extends_documentation_fragment:
  - xpress.insight.connection
  - xpress.insight.attributes
  - xpress.insight.attributes.changes
options:
  path:
    description:
      - The repository path of the scenario, the app's name first, for example V(/Logistics/Reports/Base case); or a
        list of such paths.
      - A single string is always one path, even if it contains commas. The path rules of
        M(xpress.insight.insight_folder) apply (C(/) separates names, no empty, V(.) or V(..) names), checked before
        any call to the server; the first segment may be the app's UUID instead of its name.
      - A path that names a folder fails; M(xpress.insight.insight_folder) moves folders.
      - The server allows two scenarios of one name in one folder. A path that names two scenarios fails, naming
        both ids; give the one meant by O(id).
      - An empty string or an empty list fails; it never selects anything by default.
      - Mutually exclusive with O(id).
    type: raw
  id:
    description:
      - The UUID of a scenario, or a list of them, instead of O(path).
      - Read with C(GET /api/scenarios/{id}). A server that does not offer that call (it answers V(404) or V(405)
        without Insight's error envelope) fails the task saying so; give the scenario by O(path) there.
    type: raw
  state:
    description:
      - V(present) only reads the scenarios and returns them, failing when one does not exist (or is not visible
        to this user). It never changes anything; use it to check that scenarios exist or to find their ids.
      - V(moved) moves each scenario into O(dest) or O(dest_id), within its app; it keeps its name.
      - With V(moved), a scenario given by O(path) that is no longer there, while O(dest) holds one scenario of that
        name, counts as moved by an earlier run (unchanged); if O(dest) holds none, the task fails.
    type: str
    choices: [present, moved]
    default: present
  dest:
    description:
      - With O(state=moved), the repository path of the folder to move the scenarios into, or V(/AppName) for the
        app's root.
      - The task fails, moving nothing, if O(dest) does not exist, lies in another app than a scenario, or already
        holds a folder or scenario with the name of a scenario that would move there (the server would otherwise
        give it a suffixed name), or if two scenarios of one name would move there together.
      - Mutually exclusive with O(dest_id).
    type: str
  dest_id:
    description:
      - With O(state=moved), the UUID of the folder to move the scenarios into, or of the app to move them to its
        root.
    type: str
notes:
  - Scenarios cannot move across apps.
  - The V(tree) option of M(xpress.insight.insight_folder) never touches scenarios; with O(xpress.insight.insight_folder#module:prune=true)
    it keeps refusing to delete folders that hold them. Move the scenarios out with this module first.
  - A read-only user gets the server's V(403); with some server settings a scenario with a queued or executing job
    cannot move (V(423)). When a move fails after others of the same task succeeded, the task fails and lists those
    in RV(moved).
  - When the server gives a moved scenario a suffixed name anyway (a clash the listing could not show, such as a
    sibling that differs only by case on a server that compares names without regard to case), the module moves it
    back and fails naming both names.
  - When the answer to a move is lost, the module reads the destination's listing before sending it again, so the
    move is never repeated blindly.
  - Check mode reads the server and reports exactly what a real run would move.
seealso:
  - module: xpress.insight.insight_folder
  - module: xpress.insight.insight_folder_info
"""

EXAMPLES = r"""
- name: Archive two scenarios into a folder (connection from INSIGHT_* variables)
  xpress.insight.insight_scenario:
    path:
      - /Logistics/Reports/Base case
      - /Logistics/Reports/High demand
    state: moved
    dest: /Logistics/Archive/2023

- name: Move a scenario to the app root
  xpress.insight.insight_scenario:
    path: /Logistics/Reports/Weekly/Week 1
    state: moved
    dest: /Logistics

- name: Check that a scenario exists (fails if not) and read its id
  xpress.insight.insight_scenario:
    path: /Logistics/Archive/2023/Q4 plan
  register: q4_plan

- name: Read the id of a folder
  xpress.insight.insight_folder_info:
    path: /Portfolio/Shared
  register: shared

- name: List the scenarios of another folder
  xpress.insight.insight_folder_info:
    path: /Portfolio/Models
    include_scenarios: true
  register: models

- name: Move them all by id into the folder given by id (an empty list would fail, so skip when there are none)
  xpress.insight.insight_scenario:
    id: "{{ models.scenarios | map(attribute='id') | list }}"
    state: moved
    dest_id: "{{ shared.folders[0].id }}"
  when: models.scenarios | length > 0
"""

RETURN = r"""
scenario:
  description:
    - The scenario, when O(path) or O(id) is a single string; with O(state=moved), where it is after the task (in
      check mode, where it would be).
  returned: when O(path) or O(id) is a string
  type: dict
  contains:
    id:
      description: The scenario's UUID.
      type: str
      sample: 003584bb-9e7b-eb70-ffca-7b446118b100
    name:
      description: The scenario's name.
      type: str
      sample: Base case
    path:
      description: The scenario's repository path.
      type: str
      sample: /Logistics/Archive/2023/Base case
    parent:
      description: The folder holding it, or the app (C(object_type=APP)) for a scenario at the app root.
      type: dict
      contains:
        id:
          description: The parent's UUID.
          type: str
        name:
          description: The parent's name.
          type: str
        object_type:
          description: V(APP) or V(FOLDER).
          type: str
    share_status:
      description: V(PRIVATE), V(READONLY) or V(FULLACCESS).
      type: str
      sample: FULLACCESS
    owner:
      description: The user who owns the scenario (C(id), C(name)).
      type: dict
    app:
      description: The app the scenario belongs to (C(id), C(name)).
      type: dict
    url:
      description: The scenario's API URL.
      type: str
      sample: https://insight.example.com/api/scenarios/003584bb-9e7b-eb70-ffca-7b446118b100
scenarios:
  description: The scenarios, one for each distinct path or id of the list given, in that order, with the keys of RV(scenario).
  returned: when O(path) or O(id) is a list
  type: list
  elements: dict
  contains:
    id:
      description: The scenario's UUID.
      type: str
      sample: 003584bb-9e7b-eb70-ffca-7b446118b100
    name:
      description: The scenario's name.
      type: str
      sample: Base case
    path:
      description: The scenario's repository path.
      type: str
      sample: /Logistics/Archive/2023/Base case
    parent:
      description: The folder holding it, or the app (C(object_type=APP)) for a scenario at the app root.
      type: dict
      contains:
        id:
          description: The parent's UUID.
          type: str
        name:
          description: The parent's name.
          type: str
        object_type:
          description: V(APP) or V(FOLDER).
          type: str
    share_status:
      description: V(PRIVATE), V(READONLY) or V(FULLACCESS).
      type: str
      sample: FULLACCESS
    owner:
      description: The user who owns the scenario (C(id), C(name)).
      type: dict
    app:
      description: The app the scenario belongs to (C(id), C(name)).
      type: dict
    url:
      description: The scenario's API URL.
      type: str
      sample: https://insight.example.com/api/scenarios/003584bb-9e7b-eb70-ffca-7b446118b100
moved:
  description:
    - Repository paths, before the move, of the scenarios moved (or that would be, in check mode), in the order given.
    - When a move fails after others succeeded, the failed task returns the ones moved before.
  returned: always
  type: list
  elements: str
  sample: [/Logistics/Reports/Base case]
"""

from ansible_collections.xpress.insight.plugins.module_utils._module import InsightModule
from ansible_collections.xpress.insight.plugins.module_utils._run_scenario import SPEC, run


def main() -> None:
    InsightModule.main(SPEC, run)


if __name__ == "__main__":
    main()
