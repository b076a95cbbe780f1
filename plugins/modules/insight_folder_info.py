#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: insight_folder_info
short_description: Read folders of FICO Xpress Insight 5 apps, and the scenarios in them
version_added: 1.0.0
description:
  - Reads one folder by O(path) or O(id), or the folders at the root of an O(app); optionally everything below them,
    down to a O(depth), and the scenarios they hold.
  - Folders are found by walking from the app root one level at a time through the children listings; names match
    exactly, case included.
  - A folder that does not exist (or that another user made V(PRIVATE)) gives an empty RV(folders) list, not a failure.
  - Never changes anything on the server.
author:
  - xpress.insight contributors (@xpress-insight)
extends_documentation_fragment:
  - xpress.insight.connection
  - xpress.insight.attributes
  - xpress.insight.attributes.info_module
options:
  path:
    description:
      - The repository path of a folder, the app's name first, for example V(/Logistics/Reports).
      - V(/AppName) alone means the app's root, like O(app).
      - The path rules of M(xpress.insight.insight_folder) apply, checked before any call to the server; in
        particular C(/) always separates names, and an empty name (C(//) or a trailing C(/)) is refused.
      - The first segment may be the app's UUID instead of its name (V(/<app uuid>/Reports)). An app name that two
        apps share fails, naming their ids, before any folder is read.
      - An empty or blank path fails; it never selects anything by default.
      - Mutually exclusive with O(id) and O(app).
    type: str
  id:
    description:
      - The UUID of a folder. An empty value fails (it is not a UUID).
    type: str
  app:
    description:
      - The name or UUID of an app, to read the folders at its root. The task fails if no such app exists, if two
        apps match (two apps with this name, or a UUID that is also another app's name; give the UUID of the one
        meant), or if O(app) is empty or blank.
    type: str
  recurse:
    description:
      - Also return every folder below the folder (or below the app root), breadth first.
    type: bool
    default: false
  depth:
    description:
      - With O(recurse=true), how many levels below the folder (or the app root) to read; V(1) means the direct
        children only. Unlimited when not set.
    type: int
  include_scenarios:
    description:
      - Also return the scenarios held in the folders read (directly in the folder or the app root without O(recurse),
        at every level read with it).
    type: bool
    default: false
  format:
    description:
      - V(list) returns RV(folders) (and RV(scenarios)) as flat lists.
      - V(tree) also returns RV(tree), the whole subtree under O(path) (or O(id)) in exactly the input format of
        M(xpress.insight.insight_folder)'s O(xpress.insight.insight_folder#module:tree) option, settings included,
        with the named folder as the single top node (for an app, its root folders). Applied with that module below
        the folder's parent, it changes nothing. Export once, keep it in Git, edit, apply.
      - V(tree) reads the whole subtree and only folders; it does not go with O(recurse), O(depth) or
        O(include_scenarios).
    type: str
    choices: [list, tree]
    default: list
seealso:
  - module: xpress.insight.insight_folder
"""

EXAMPLES = r"""
- name: Read one folder
  xpress.insight.insight_folder_info:
    url: https://insight.example.com
    client_id: "{{ insight_client_id }}"
    secret: "{{ insight_secret }}"
    path: /Logistics/Reports
  register: reports

- name: List the whole folder tree of an app, two levels deep (connection from INSIGHT_* variables)
  xpress.insight.insight_folder_info:
    app: Logistics
    recurse: true
    depth: 2
  register: tree

- name: Show the paths
  ansible.builtin.debug:
    msg: "{{ tree.folders | map(attribute='path') | list }}"

- name: Export a folder tree in the format insight_folder's tree option takes
  xpress.insight.insight_folder_info:
    path: /Logistics/Reports
    format: tree
  register: exported

# Modules run in a temporary directory, so a relative dest would not land beside the playbook.
- name: Make the directory of the exported trees, beside the playbook
  ansible.builtin.file:
    path: "{{ playbook_dir }}/folder_trees"
    state: directory
    mode: "0755"

- name: Keep it in Git
  ansible.builtin.copy:
    content: "{{ {'reports_tree': exported.tree} | to_nice_yaml }}"
    dest: "{{ playbook_dir }}/folder_trees/reports.yml"
    mode: "0644"

- name: List the scenarios of a folder and of its subfolders
  xpress.insight.insight_folder_info:
    path: /Logistics/Reports
    recurse: true
    include_scenarios: true
  register: reports_tree
"""

RETURN = r"""
folders:
  description:
    - The folder named by O(path) or O(id) first (if it exists), then, with O(recurse), the folders below it,
      breadth first. For O(app) (or a O(path) naming an app), the folders at the app root, and with O(recurse)
      those below them.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The folder's UUID.
      type: str
      sample: 01f7774e-00c2-004e-fe08-88b1834def44
    name:
      description: The folder's name.
      type: str
      sample: Weekly
    path:
      description: The folder's repository path.
      type: str
      sample: /Logistics/Reports/Weekly
    parent:
      description: The parent (C(id), C(name), C(object_type)), the app (V(APP)) for a folder at the app root.
      type: dict
    share_status:
      description: V(PRIVATE), V(READONLY) or V(FULLACCESS).
      type: str
      sample: FULLACCESS
    owner:
      description: The user who owns the folder (C(id), C(name)).
      type: dict
    app:
      description: The app the folder belongs to (C(id), C(name)).
      type: dict
    url:
      description: The folder's API URL.
      type: str
tree:
  description:
    - With O(format=tree), the subtree as a list of nodes (C(name), C(share_status), C(owner), C(children)), the named
      folder as the single node (for an app, one node per root folder); empty when the folder does not exist.
    - C(owner) is the username when this user may list users, else the user's UUID; C(children) is left out when empty.
  returned: when O(format=tree)
  type: list
  elements: dict
  sample: [{name: Reports, share_status: FULLACCESS, owner: alice, children: [{name: Weekly, share_status: FULLACCESS, owner: alice}]}]
scenarios:
  description: The scenarios in the folders read, with the same keys as RV(folders).
  returned: when O(include_scenarios=true)
  type: list
  elements: dict
  sample:
    - id: 003584bb-9e7b-eb70-ffca-7b446118b100
      name: Base case
      path: /Logistics/Reports/Base case
      parent: {id: 01f7774e-00c2-004e-fe08-88b1834def44, name: Reports, object_type: FOLDER}
      share_status: FULLACCESS
      owner: {id: 0013ebae-4d4c-793c-ffec-1451b28ba2f9, name: Alice Able}
      app: {id: 00007eff-83f9-05fe-ffff-81007c05fc01, name: Logistics}
      url: https://insight.example.com/api/scenarios/003584bb-9e7b-eb70-ffca-7b446118b100
"""

from ansible_collections.xpress.insight.plugins.module_utils._module import InsightModule
from ansible_collections.xpress.insight.plugins.module_utils._run_folder_info import SPEC, run


def main() -> None:
    InsightModule.main(SPEC, run)


if __name__ == "__main__":
    main()
