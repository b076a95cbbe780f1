# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks around each folder DELETE (state=absent and prune). The server's DELETE removes everything below the
folder, also what this user cannot see (other users' PRIVATE folders and scenarios), and the API has no conditional
delete. So without force a folder is deleted only when nobody but the caller can have put anything into it, and
right before each DELETE its subtree is read again and must be what the plan saw."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ._errors import InsightError
from ._folders import Item, Repository, is_folder

# Share statuses under which only the owner can add to a folder: PRIVATE hides it from others, READONLY lets
# only its owner write. FULLACCESS lets every full user create (PRIVATE) items inside.
CLOSED_SHARES = ("PRIVATE", "READONLY")

# What a plan saw below a folder: item id -> (parent id, objectType, name); the folder's own parent under "".
Snapshot = Dict[str, Tuple[Optional[str], str, str]]


class DeleteRefused(InsightError):
    """A DELETE was refused right before it was sent; `result()` says which folders this run had deleted already."""

    def __init__(self, line: str, deleted: List[str]) -> None:
        super().__init__(line)
        self.deleted = list(deleted)

    def result(self) -> Dict[str, Any]:
        return {"changed": bool(self.deleted), "deleted": list(self.deleted)}


def _path(item: Item) -> str:
    return str(item.get("path") or item.get("name") or item.get("id"))


def _parent_id(item: Item) -> Optional[str]:
    return (item.get("parent") or {}).get("id")


def _count(kinds: List[str]) -> str:
    folders = sum(1 for kind in kinds if kind == "FOLDER")
    scenarios = len(kinds) - folders
    parts = []
    if scenarios:
        parts.append("%d scenario%s" % (scenarios, "" if scenarios == 1 else "s"))
    if folders:
        parts.append("%d folder%s" % (folders, "" if folders == 1 else "s"))
    return " and ".join(parts)


class DeleteGuard:
    """One run's delete checks: `plan` for each folder to delete (before any DELETE), `before_delete` right before
    each DELETE of a real run. `tail` ends a refusal of the plan ("Nothing was deleted", "Nothing was changed")."""

    def __init__(self, repo: Repository, force: bool, prefix: str, tail: str) -> None:
        self.repo = repo
        self.force = force
        self.prefix = prefix
        self.tail = tail

    def open_to_others(self, folder: Item, below: List[Tuple[Item, int]]) -> Optional[str]:
        """Why others may have put into `folder` what this user cannot see (None: nobody but the caller can)."""
        me = self.repo.caller()
        for item in [folder] + [sub for sub, _depth in below if is_folder(sub)]:
            where = _path(item) if item is folder else "%s (below %s)" % (_path(item), _path(folder))
            owner = item.get("owner") or {}
            if not owner.get("id") or owner.get("id") != me.get("id"):
                who = owner.get("name") or owner.get("username") or owner.get("id") or "nobody known"
                return ("%s is owned by %s, not by this user, so other users may have put PRIVATE folders or "
                        "scenarios in it that this user cannot see" % (where, who))
            if item.get("shareStatus") not in CLOSED_SHARES:
                return ("%s is %s, so other users may have put PRIVATE folders or scenarios in it that this user "
                        "cannot see" % (where, item.get("shareStatus") or "of unknown share status"))
        return None

    def refusal(self, why: str) -> str:
        return ("%s%s, and the server's DELETE removes those too; set force: true to delete it with everything below "
                "it, seen or not. %s" % (self.prefix, why, self.tail))

    def plan(self, folder: Item) -> Snapshot:
        """What the plan sees below `folder` (this run's listings); without force, refuses a folder others may
        have written into."""
        below = self.repo.descendants(folder)
        if not self.force:
            why = self.open_to_others(folder, below)
            if why is not None:
                raise InsightError(self.refusal(why))
        return snapshot(folder, below)

    def before_delete(self, folder: Item, planned: Snapshot, done: List[str]) -> bool:
        """Read the folder and its whole subtree again; refuse (DeleteRefused) when it differs from the plan or,
        without force, is now open to others. False when the folder is gone already (nothing to send)."""
        current = self.repo.folder(folder["id"])
        if current is None:
            return False
        current = dict(current, path=current.get("path") or folder.get("path"))
        below = self.repo.descendants(current, fresh=True)
        change = differences(planned, snapshot(current, below))
        if change is None and not self.force:
            why = self.open_to_others(current, below)
            if why is not None:
                change = why + " (it was not when the plan read it)"
        if change is None:
            return True
        line = ("%s%s: %s; it was not deleted, and no further folder was deleted (run the task again to plan with what "
                "is there now)" % (self.prefix, _path(folder), change))
        if done:
            line += "; already deleted by this run: %s" % ", ".join(done)
        raise DeleteRefused(line, done)


def snapshot(folder: Item, below: List[Tuple[Item, int]]) -> Snapshot:
    seen: Snapshot = {"": (_parent_id(folder), "FOLDER", str(folder.get("name")))}
    for item, _depth in below:
        seen[str(item.get("id"))] = (_parent_id(item), str(item.get("objectType") or "FOLDER"), str(item.get("name")))
    return seen


def differences(planned: Snapshot, now: Snapshot) -> Optional[str]:
    """What changed between two snapshots of one folder, in words (None: nothing)."""
    if planned[""][0] != now[""][0]:
        return "it was moved to another parent folder after the plan read it"
    added = [now[key][1] for key in now if key not in planned]
    removed = [planned[key][1] for key in planned if key not in now]
    moved = [now[key][1] for key in now if key in planned and key and now[key][0] != planned[key][0]]
    parts = []
    if added:
        parts.append("now holds %s the plan did not see" % _count(added))
    if removed:
        parts.append("no longer holds %s the plan saw" % _count(removed))
    if moved:
        parts.append("%s below it moved to another folder" % _count(moved))
    return ", ".join(parts) if parts else None
