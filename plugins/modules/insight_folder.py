#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: insight_folder
short_description: Create, update, move or delete folders of FICO Xpress Insight 5 apps
version_added: 1.0.0
description:
  - Makes sure folders exist at repository paths such as V(/Logistics/Reports/Weekly), creating every missing
    folder on the way (like C(mkdir -p)); manages their share status and owner, renames them, moves them to another
    parent in the same app, or deletes them.
  - A whole hierarchy is one task, since O(path) takes a list.
  - Folders are found by walking from the app root one level at a time through the children listings, with each
    listing read at most once per task. Names match exactly, case included, as on the server.
  - The server does not fail when a folder name is taken; it gives the new folder a suffixed name such as
    "Reports (1)". The module never leaves such a duplicate behind. When another writer creates the same folder at the same moment, the module
    deletes the duplicate it was given, uses the existing folder and warns. Name clashes on rename or move are
    reported as errors before anything is written; a clash the listings cannot show (a sibling that differs only
    by case on a server that compares names without regard to case, or one made meanwhile) makes the server
    suffix the name, and the module then renames or moves the folder back and fails naming both names.
  - In diff mode, each changed folder gets one entry headed by its path before and after the task (they differ
    for a rename or a move).
  - When the answer to a create or a move is lost (for example the connection drops after the server acted), the
    module reads the server again before repeating it, so no duplicate is made.
author:
  - xpress.insight contributors (@xpress-insight)
extends_documentation_fragment:
  - xpress.insight.connection
  - xpress.insight.attributes
  - xpress.insight.attributes.changes
options:
  path:
    description:
      - The repository path of the folder, the app's name first, for example V(/Logistics/Reports/Weekly); or a list
        of such paths, all handled with the same O(state) and settings.
      - A single string is always one path, even if it contains commas.
      - C(/) always separates names; there is no escape for it. An empty name (C(//), or a trailing C(/)) is refused,
        so that a path built from an empty variable never names the folder above the one meant.
      - Each name must be 1 to 255 characters, without control characters, and must not start or end with white
        space (the server's rules). So that every folder stays reachable by a path, a name must also not contain
        C(/), be V(.) or V(..), or end with a backslash (which would read as an escaped C(/)). These rules are checked
        before any call to the server, for O(path), O(name) and O(dest) alike.
      - The first segment may be the app's UUID instead of its name (V(/<app uuid>/Reports)), to name one of two
        apps that share a name. A path whose app name (or id) matches more than one app fails before any folder is
        read, naming the app ids. Results and messages show the app's name, as the server's paths do.
      - An empty or blank path, or an empty list, fails; it never selects anything by default.
      - Mutually exclusive with O(id).
      - With O(tree), the one parent folder the tree lies in, or V(/AppName) for the app root.
    type: raw
  id:
    description:
      - The UUID of an existing folder, instead of O(path). Folders are only created by O(path).
    type: str
  name:
    description:
      - A new name for the folder given by O(id), or for the folder at O(path) (a single path, not a list).
      - By path, the rename is idempotent. When the folder at O(path) is gone and its parent holds a folder named
        O(name), the rename is taken as done; when neither exists, the task fails.
      - The task fails, without renaming, if a sibling already has that name (for example when both the old and the
        new path exist), since the server would otherwise give the folder a suffixed name.
      - The same name rules as for O(path) apply.
    type: str
  state:
    description:
      - V(present) creates the missing folders and applies O(share_status) and O(owner).
      - V(absent) deletes the folder. The server's DELETE removes everything below it, also what this user cannot
        see (other users' PRIVATE folders and scenarios, which never appear in this user's listings).
      - Without O(force=true) a folder is only deleted when it holds nothing this user can see and nobody else can
        have put anything into it, that is when it and every folder below it are owned by this user and are
        V(PRIVATE) or V(READONLY). A V(FULLACCESS) folder (every full user may create items in it) or a folder of
        another user is refused, naming it, before any deletion.
      - Right before each DELETE the folder and its whole subtree are read again; if anything was added, removed
        or moved since the plan read it, that folder is not deleted, nor any after it, and the task fails saying
        what changed (folders deleted before are listed in RV(deleted)). Another writer can still add content
        between that read and the DELETE (the API has no conditional delete).
      - V(moved) moves the folder under O(dest) or O(dest_id), within the same app.
    type: str
    choices: [present, absent, moved]
    default: present
  share_status:
    description:
      - Who else may see and change the folder. Only compared and changed when given.
      - With V(PRIVATE) and no O(owner), the server makes the calling user the owner.
    type: str
    choices: [PRIVATE, READONLY, FULLACCESS]
  owner:
    description:
      - The user who owns the folder, by username or user UUID. Only compared and changed when given.
      - The task fails if no such user exists.
    type: str
  cascade:
    description:
      - Also apply O(share_status) and O(owner) to every folder and scenario below the folder.
      - The descendants are read to decide whether anything changes, so a second run reports no change.
    type: bool
    default: false
  force:
    description:
      - The one opt-in to deleting what this user cannot check. The server deletes everything below a folder, seen
        or not; O(force=true) accepts that.
      - With O(state=absent), delete folders that hold folders or scenarios, and folders that others may have put
        content into which this user cannot see (V(FULLACCESS) folders, folders owned by another user, at any
        depth). Without it, such a deletion is refused with a message that counts what would be lost or says why
        hidden content may exist.
      - With O(tree) and O(prune=true), also delete undeclared folders that hold scenarios, and those others may
        have written into, as above.
      - Even with O(force=true), a folder whose subtree changed between the plan and its DELETE is not deleted.
    type: bool
    default: false
  dest:
    description:
      - With O(state=moved), the repository path of the new parent folder, or V(/AppName) for the app's root.
      - The folder keeps its name. The task fails if O(dest) already holds an item of that name.
      - Mutually exclusive with O(dest_id).
    type: str
  dest_id:
    description:
      - With O(state=moved), the UUID of the new parent folder, or of the app to move the folder to its root.
    type: str
  tree:
    description:
      - A folder tree as one declared state, below the parent given by O(path) (a folder, or V(/AppName) for the
        app root) or O(id). The tree lists what the parent holds; existing folders are matched by name, missing
        ones are created, parents first.
      - A list of nodes. Each node is a mapping with C(name), optional C(share_status) (V(PRIVATE), V(READONLY) or
        V(FULLACCESS)), optional C(owner) (a username or a user UUID) and optional C(children) (a list of nodes).
        A node's settings apply to that folder only (see O(inherit)); settings a node leaves out are not compared.
      - The compact form, a mapping of each name to its children (a mapping of the same form, or null), describes
        trees without settings; both forms can be mixed. A mapping with a C(name) key is always the full form, so a
        folder literally named C(name) (or C(children), C(owner), C(share_status)) needs the full form, a node
        whose C(name) is V(name).
      - A name must be a string. A null name (an unset variable), a number (quote years, as in V("2025"); YAML reads
        C(0700) as 448) or a boolean (YAML reads C(No), C(yes), C(off) as booleans) fails naming the node's position,
        as does a compact key that arrives as C(true) or C(false). A compact node's value must be null, a list or a
        mapping.
      - Names compare exactly, case included, as the server compares sibling names. Two siblings with the same name,
        an empty or invalid name, an unknown owner, or a node that is a scenario on the server fail the task before
        any change.
      - An empty tree (V([]), V({}), an empty string) changes nothing and says so in C(msg); with O(prune=true) it
        fails, since it would delete every folder below the parent.
      - Diffs, plans and messages show a name with anything but plain text escaped (V('Team\\u00a0A')), so names
        that look alike can be told apart.
      - Everything is read first (one listing per existing folder) and planned; check mode returns exactly that
        plan, and diff mode shows the tree before and after as indented text. A converged tree makes no write.
      - Mutually exclusive with O(name), O(share_status), O(owner), O(cascade), O(dest) and O(dest_id); O(state)
        must be V(present).
    type: raw
  prune:
    description:
      - With O(tree), delete the folders below the parent that the tree does not name, deepest first, with
        everything in them (on the server, also what this user cannot see). Without O(force=true) only folders
        that hold no scenario (at any depth) and that nobody else can write into (owned by this user and
        V(PRIVATE) or V(READONLY), with every folder below them) are deleted; anything else fails the task before
        any change. Each folder is read again right before its DELETE, as with O(state=absent).
      - A plan that would delete a folder and create a sibling whose name differs from it only by case, Unicode
        normalisation or white space (V(Reports) and V(reports), NFC and NFD, a trailing no-break space) fails before
        any change, naming both, since some servers treat such names as one.
    type: bool
    default: false
  max_deletions:
    description:
      - With O(prune=true), the most folders the task may delete, every deleted subfolder counted. A plan that
        deletes more fails before any change. V(0) lifts the limit.
    type: int
    default: 10
  inherit:
    description:
      - With O(tree), each setting (C(share_status), C(owner)) a node leaves out is taken from its nearest ancestor
        in the tree that gives it.
    type: bool
    default: false
  parallel:
    description:
      - The most requests to send at the same time (1 to 32). The listings of folders at the same depth are read
        together, and missing folders of different parents are created together; the folders of one parent are
        created one after another, and every parent before its children.
      - The requests start one at a time, and more are sent at once only while they spend their time waiting for the
        server (for example a remote server). When the controller itself is kept busy sending and reading them (a
        server close by that answers at once), more at the same time would only slow the task down.
      - When a create fails, no further folder is created; creates already under way for other parents finish.
    type: int
    default: 8
notes:
  - Folders cannot be moved across apps, nor into themselves or their own subfolders.
  - Folders marked V(PRIVATE) by another user do not exist for the calling user; the server answers as if they did not.
  - A read-only user gets the server's V(403) on any change.
  - When the server refuses a create, update, rename or move that another writer's change can explain (for example
    V(403) because a concurrent run already handed the folder to another owner), the module reads the folder again.
    If it already is as the task asked, the task succeeds with a warning and reports no change for it; otherwise it
    fails with the server's answer.
  - Another user's V(PRIVATE) folder does not appear in the listings, so a path through it cannot be detected before
    writing. The server then gives the folder this task creates a suffixed name; the module deletes that folder again
    and fails, saying that a folder was created and removed.
  - Check mode predicts each task from the server as it is, so it reports exactly what a real run of that task would
    do. It cannot see what an earlier task of the same play would have changed.
seealso:
  - module: xpress.insight.insight_folder_info
"""

EXAMPLES = r"""
- name: Create the folder hierarchy of a new app in one task
  xpress.insight.insight_folder:
    url: https://insight.example.com
    client_id: "{{ insight_client_id }}"
    secret: "{{ insight_secret }}"
    path:
      - /Planning/Scenarios/2025
      - /Planning/Scenarios/2026
      - /Planning/Reports, drafts
      - /Planning/Archive

- name: Move the Weekly folder out of Reports to the app root (connection from INSIGHT_* variables)
  xpress.insight.insight_folder:
    path: /Logistics/Reports/Weekly
    state: moved
    dest: /Logistics

- name: Lock down a subtree for its owner
  xpress.insight.insight_folder:
    path: /Logistics/Finance
    share_status: PRIVATE
    owner: alice
    cascade: true

- name: Make an app's folders match a declared tree, deleting folders that left it (at most 10, with what others hid)
  xpress.insight.insight_folder:
    path: /Planning
    prune: true
    force: true
    tree:
      - name: Scenarios
        children:
          - name: "2025"
          - name: "2026"
      - name: Finance
        share_status: READONLY
        owner: bob
        children: [{name: Budgets}, {name: Forecasts}]
  register: planning

- name: The same tree in the compact form, settings handed down from Finance
  xpress.insight.insight_folder:
    path: /Planning
    inherit: true
    tree:
      Scenarios: {"2025": null, "2026": null}
      Finance: {Budgets: null, Forecasts: null}

- name: Rename a folder known by its id
  xpress.insight.insight_folder:
    id: 01f7774e-00c2-004e-fe08-88b1834def44
    name: Reports 2025

- name: Rename a folder by its path (no change once /Logistics/Drafts 2025 exists and /Logistics/Drafts does not)
  xpress.insight.insight_folder:
    path: /Logistics/Drafts
    name: Drafts 2025

- name: Delete an empty folder of one's own (PRIVATE or READONLY); fails, deleting nothing, if it holds anything or
    others may have written into it
  xpress.insight.insight_folder:
    path: /Logistics/Scratch
    state: absent

- name: Delete a folder and everything in it, after a look at what would go
  block:
    - name: Count what the folder holds
      xpress.insight.insight_folder_info:
        path: /Logistics/Old
        recurse: true
        include_scenarios: true
      register: old

    - name: Delete it only if it holds no scenarios
      xpress.insight.insight_folder:
        path: /Logistics/Old
        state: absent
        force: true
      when: old.scenarios | length == 0
"""

RETURN = r"""
folder:
  description:
    - The folder, when O(path) is a single path or O(id) is given.
    - With O(state=absent), the folder as it was before the deletion, or V(null) if it did not exist.
    - In check mode, a folder that would be created has a null C(id) and C(url).
  returned: when O(path) is a string or O(id) is given
  type: dict
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
      description: The parent, the app (C(object_type=APP)) for a folder at the app root, else a folder.
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
      description: The user who owns the folder (C(id), C(name)).
      type: dict
    app:
      description: The app the folder belongs to (C(id), C(name)).
      type: dict
    url:
      description: The folder's API URL.
      type: str
      sample: https://insight.example.com/api/folders/01f7774e-00c2-004e-fe08-88b1834def44
folders:
  description:
    - The folders, one for each distinct path of the list given in O(path), in that order, with the same keys as RV(folder).
    - With O(state=absent), each as it was before the deletion, or V(null) if it did not exist.
  returned: when O(path) is a list
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
      description: The parent, the app (C(object_type=APP)) for a folder at the app root, else a folder.
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
      description: The user who owns the folder (C(id), C(name)).
      type: dict
    app:
      description: The app the folder belongs to (C(id), C(name)).
      type: dict
    url:
      description: The folder's API URL.
      type: str
      sample: https://insight.example.com/api/folders/01f7774e-00c2-004e-fe08-88b1834def44
created:
  description: Repository paths of the folders created (or that would be created in check mode), parents first.
  returned: always
  type: list
  elements: str
  sample: [/Planning/Scenarios, /Planning/Scenarios/2025]
updated:
  description:
    - Repository paths of existing folders whose name, share status or owner changed; for a renamed folder, its new
      path.
  returned: always
  type: list
  elements: str
moved:
  description: Repository paths, before the move, of the folders moved.
  returned: always
  type: list
  elements: str
deleted:
  description:
    - Repository paths of the folders the task named (by O(path) or O(id)) that existed and were deleted (or would
      be, in check mode), shallow paths first; a named folder that went with a named parent is listed too.
    - The folders and scenarios below a deleted folder go with it on the server but are not listed. To see them
      first, use M(xpress.insight.insight_folder_info) with O(xpress.insight.insight_folder_info#module:recurse=true).
    - With O(tree) and O(prune=true), the undeclared folders deleted; their subfolders went with them (counted in
      RV(counts.deleted)).
    - When a DELETE is refused because the folder changed since the plan read it, the failed task returns the
      folders it had deleted before (and C(changed) says whether there were any).
  returned: always
  type: list
  elements: str
tree:
  description:
    - With O(tree), the resulting tree (planned in check mode) in the input's nested format, every node with its
      C(name), C(share_status), C(owner) (username when the task read the user list, else the user's UUID) and
      C(children) (left out when empty).
  returned: when O(tree) is given
  type: list
  elements: dict
  sample: [{name: Finance, share_status: READONLY, owner: bob, children: [{name: Budgets, share_status: READONLY, owner: bob}]}]
counts:
  description: With O(tree), how many folders were created, updated, deleted (subfolders included) and left unchanged.
  returned: when O(tree) is given
  type: dict
  contains:
    created:
      description: Folders created.
      type: int
    updated:
      description: Existing folders whose share status or owner changed.
      type: int
    deleted:
      description: Folders deleted by O(prune), every subfolder counted.
      type: int
    unchanged:
      description: Folders of the tree that already matched.
      type: int
  sample: {created: 2, updated: 1, deleted: 0, unchanged: 12}
changes:
  description: With O(tree), for each updated folder (by repository path), the fields changed, each with C(before) and C(after).
  returned: when O(tree) is given
  type: dict
  sample: {/Planning/Finance: {share_status: {before: FULLACCESS, after: READONLY}}}
"""

from ansible_collections.xpress.insight.plugins.module_utils._module import InsightModule
from ansible_collections.xpress.insight.plugins.module_utils._run_folder import SPEC, run


def main() -> None:
    InsightModule.main(SPEC, run)


if __name__ == "__main__":
    main()
