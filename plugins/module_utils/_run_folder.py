# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_folder: its SPEC and run(task); the three states without tree (present, absent, moved), computed the same
way in check mode and for real. With `tree:` the run is _run_folder_tree.py's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from ._errors import InsightConfigError, InsightError, InsightHTTPError
from ._args import check_id
from ._folder_delete import DeleteGuard
from ._folder_paths import (SHARE_STATUSES, RepoPath, check_name, diff_view, item_view, parents_first, parse_path,
                            parse_paths, show)
from ._folders import Item, Repository, is_folder, planned_folder
from ._pool import MAX_PARALLEL, check_parallel, parallel_option, run_groups
from ._run_folder_tree import check_tree_options, run_tree, tree_settings
from ._task import ModuleSpec, Task

SPEC = ModuleSpec(
    argument_spec=dict(
        path=dict(type="raw"),
        id=dict(type="str"),
        name=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent", "moved"]),
        share_status=dict(type="str", choices=list(SHARE_STATUSES)),
        owner=dict(type="str"),
        cascade=dict(type="bool", default=False),
        force=dict(type="bool", default=False),
        dest=dict(type="str"),
        dest_id=dict(type="str"),
        tree=dict(type="raw"),
        prune=dict(type="bool", default=False),
        max_deletions=dict(type="int", default=10),
        inherit=dict(type="bool", default=False),
        parallel=parallel_option(),
    ),
    mutually_exclusive=[("path", "id"), ("dest", "dest_id")],
    required_one_of=[("path", "id")],
    # Room for `parallel` concurrent requests on kept-alive connections, up to its documented maximum.
    pool_size=MAX_PARALLEL,
)

SETTINGS = ("share_status", "owner", "cascade", "name")
# Answers to a write that another writer's change can cause (it took ownership, made the folder READONLY, moved or
# renamed it first). The folder is read again: the run only fails when the state it asked for is not there.
RACE_STATUSES = (403, 404, 409, 412, 422, 423)


@dataclass(frozen=True)
class FolderSettings:
    """insight_folder's options (without tree), checked once: the engine reads nothing else."""

    state: str
    paths: List[RepoPath]  # empty when the folder is given by id
    single: bool  # one folder given (path as a string, or id): the result has `folder`, else `folders`
    id: Optional[str]
    name: Optional[str]
    share_status: Optional[str]
    owner: Optional[str]
    cascade: bool
    force: bool
    dest: Optional[RepoPath]
    dest_id: Optional[str]
    parallel: int  # the most requests at the same time


def folder_settings(params: Mapping[str, Any]) -> FolderSettings:
    """Every check that needs no server, so bad input fails before the first call and changes nothing."""
    state = params["state"]
    paths: List[RepoPath] = []
    single = True
    folder_id: Optional[str] = None
    name: Optional[str] = None
    dest: Optional[RepoPath] = None
    dest_id: Optional[str] = None
    if params.get("path") is not None:
        paths, single = parse_paths(params["path"])
    elif params.get("id") is not None:
        folder_id = check_id(params["id"], "id")
    else:
        raise InsightConfigError("path or id: give the folder's repository path or its id")
    if params.get("name") is not None:
        name = check_name(params["name"], "name")
        if not single:
            raise InsightConfigError("name: renames one folder; give path as a single path (or id), not a list")
    if state != "present":
        given = [key for key in SETTINGS if params.get(key) not in (None, False)]
        if given:
            raise InsightConfigError("%s: only used with state=present, not state=%s" % (", ".join(given), state))
    if state != "moved" and (params.get("dest") is not None or params.get("dest_id") is not None):
        raise InsightConfigError("dest, dest_id: only used with state=moved")
    if state != "absent" and params.get("force"):
        raise InsightConfigError("force: only used with state=absent")
    if state == "moved":
        if params.get("dest") is not None:
            dest = parse_path(params["dest"], "dest", allow_app_root=True)
        elif params.get("dest_id") is not None:
            dest_id = check_id(params["dest_id"], "dest_id")
        else:
            raise InsightConfigError("dest or dest_id: state=moved needs the new parent folder (or /AppName for the app root)")
    if params.get("cascade") and params.get("share_status") is None and params.get("owner") is None:
        raise InsightConfigError("cascade: applies share_status and owner to the descendants; give at least one of them")
    parallel = check_parallel(params["parallel"])
    owner = params.get("owner")
    return FolderSettings(state=state, paths=paths, single=single, id=folder_id, name=name,
                          share_status=params.get("share_status"), owner=None if owner is None else str(owner),
                          cascade=bool(params.get("cascade")), force=bool(params.get("force")), dest=dest,
                          dest_id=dest_id, parallel=parallel)


def _path_of(item: Item) -> str:
    return item.get("path") or ""


def _parent_path(path: str) -> str:
    return path.rsplit("/", 1)[0] if path.count("/") > 1 else path


class FolderRun:
    """One run of insight_folder: the lookups, the writes (skipped in check mode) and what to report."""

    def __init__(self, repo: Repository, settings: FolderSettings, check_mode: bool, base_url: str) -> None:
        self.repo = repo
        self.settings = settings
        self.check_mode = check_mode
        self.base_url = base_url
        self.created: List[str] = []
        self.updated: List[str] = []
        self.moved: List[str] = []
        self.deleted: List[str] = []
        self.diffs: List[Dict[str, Any]] = []
        self._owner: Optional[Item] = None
        self.made: Dict[RepoPath, Tuple[Item, bool]] = {}  # created ahead, not yet reported: (folder, ours)
        self.paths: List[RepoPath] = list(settings.paths)  # with their apps found, once run() starts
        self.dest: Optional[RepoPath] = settings.dest

    # -- results ---------------------------------------------------------------------------------------------

    def view(self, item: Optional[Item]) -> Optional[Dict[str, Any]]:
        return item_view(item, self.base_url) if item else None

    def note_diff(self, before_header: str, after_header: str, before: Optional[Item], after: Optional[Item]) -> None:
        """One diff entry; the headers are where the folder was and where it is (they differ for a rename or move)."""
        old, new = diff_view(self.view(before)), diff_view(self.view(after))
        if old != new:
            self.diffs.append({"before": old, "after": new, "before_header": before_header, "after_header": after_header})

    def diff_entry(self, path: str) -> Optional[Dict[str, Any]]:
        for entry in self.diffs:
            if entry["after_header"] == path:
                return entry
        return None

    def after_refusal(self, exc: InsightHTTPError, where: str, done: str, reread: Callable[[], Optional[Item]]) -> Item:
        """A write was refused: if another writer already brought about what this run asked for, that is success."""
        if exc.status not in RACE_STATUSES:
            raise exc
        current = reread()
        if current is None:
            raise exc
        self.repo.warn("%s: the server answered %d to this run's change, but another writer had already %s; "
                       "nothing was changed by this run" % (where, exc.status, done))
        return current

    def result(self, items: List[Optional[Item]]) -> Dict[str, Any]:
        views = [self.view(item) for item in items]
        out: Dict[str, Any] = {
            "changed": bool(self.created or self.updated or self.moved or self.deleted),
            "created": sorted(self.created, key=lambda p: p.count("/")), "updated": self.updated, "moved": self.moved, "deleted": self.deleted,
        }
        if self.settings.single:
            out["folder"] = views[0]
        else:
            out["folders"] = views
        out["diff"] = self.diffs
        return out

    def resolve_apps(self) -> None:
        """Find the app of every path first: an app name that two apps share fails here, before any listing."""
        self.paths = [self.repo.resolve(path) for path in self.settings.paths]
        if self.settings.dest is not None:
            self.dest = self.repo.resolve(self.settings.dest, "dest")

    def run(self) -> Dict[str, Any]:
        self.resolve_apps()
        state = self.settings.state
        if state == "present":
            return self.result(self.present())
        if state == "absent":
            return self.result(self.absent())
        return self.result(self.moved_state())

    # -- lookups ---------------------------------------------------------------------------------------------

    def by_id(self) -> Optional[Item]:
        return self.repo.folder(str(self.settings.id))

    def wanted_owner(self) -> Optional[Item]:
        if self.settings.owner is None:
            return None
        if self._owner is None:
            self._owner = self.repo.user(self.settings.owner)
        return self._owner

    # -- state=present ---------------------------------------------------------------------------------------

    def present(self) -> List[Optional[Item]]:
        if self.settings.id:
            folder = self.by_id()
            if folder is None:
                raise InsightError("id: there is no folder %s (or it is not visible to this user); folders are created "
                                   "by path" % self.settings.id)
            if self.settings.name is not None:
                folder = self.rename(folder, self.settings.name)
            return [self.settle(folder, created=False)]
        if self.settings.name is not None:
            return [self.settle(self.rename_at(self.paths[0], self.settings.name), created=False)]
        done: Dict[RepoPath, Item] = {}
        ordered = parents_first(self.paths)
        self.read_ahead(ordered)
        if not self.check_mode and self.settings.share_status is None and self.settings.owner is None:
            # Nothing to settle, so the creates do not depend on what a settle between them would change.
            self.create_ahead(ordered)
        for path in ordered:
            folder, created = self.ensure(path)
            done[path] = self.settle(folder, created)
        return [done[path] for path in self.paths]

    def read_ahead(self, paths: List[RepoPath]) -> None:
        """Read, one depth at a time and several at once, the listings the walks of `paths` will ask for."""
        if self.settings.parallel <= 1:
            return  # one at a time, each walk reads its listings when it comes to them
        try:
            level = [(path, self.repo.app(path.app)) for path in paths]
        except InsightConfigError:
            return  # the walk fails on the same app
        depth = 0
        while level:
            if not self.repo.prefetch([container for _path, container in level], self.settings.parallel):
                return
            following = []
            for path, container in level:
                child = self.repo.child_named(container, path.names[depth])
                if child is not None and is_folder(child) and depth + 1 < len(path.names):
                    following.append((path, child))
            level = following
            depth += 1

    def create_ahead(self, paths: List[RepoPath]) -> None:
        """Create the folders missing on `paths` before the walks that report them: one depth at a time, folders of
        different parents at the same time, those of one parent one after another in the order the walks would."""
        missing: Dict[RepoPath, None] = {}  # in the order the serial walks would create them
        for path in paths:
            _app, _chain, first = self.repo.walk(path)
            for index in range(first, len(path.names)):
                missing.setdefault(path.prefix(index + 1), None)
        for depth in sorted({path.depth for path in missing}):
            groups: Dict[RepoPath, List[RepoPath]] = {}
            for path in missing:
                if path.depth == depth:
                    groups.setdefault(path.parent(), []).append(path)
            run_groups(list(groups.values()), self._create_ahead, self.settings.parallel)

    def _create_ahead(self, path: RepoPath) -> None:
        parent = path.parent()
        container = self.made[parent][0] if parent in self.made else self._container(parent)
        self.made[path] = self.create(container, path.names[-1], path)

    def _container(self, path: RepoPath) -> Item:
        app, chain, _missing = self.repo.walk(path)
        return chain[-1] if chain else app

    def ensure(self, path: RepoPath) -> Tuple[Item, bool]:
        """mkdir -p: create every missing folder on the path, parents first; reuses this run's listings. Folders
        `create_ahead` made are reported here, where the serial walk would have created them."""
        app, chain, missing = self.repo.walk(path)
        created = False
        for index in range(missing):
            made = self.made.pop(path.prefix(index + 1), None)
            if made is not None:
                folder, created = made
                if created:
                    sub = path.prefix(index + 1)
                    self.created.append(sub.text)
                    self.note_diff(sub.text, sub.text, None, folder)
        container = chain[-1] if chain else app
        for index in range(missing, len(path.names)):
            name = path.names[index]
            sub = path.prefix(index + 1)
            if self.check_mode:
                folder = planned_folder(name, container, app, sub, "FULLACCESS", self.repo.caller())
                self.repo.remember_child(container, folder)
                self.repo.known_empty(folder)
                ours = True
            else:
                folder, ours = self.create(container, name, sub)
            if ours:
                self.created.append(sub.text)
                self.note_diff(sub.text, sub.text, None, folder)
            created = ours
            container = folder
        return container, created

    def create(self, container: Item, name: str, path: RepoPath) -> Tuple[Item, bool]:
        try:
            return self.repo.create(container, name, path)
        except InsightHTTPError as exc:
            # For example a concurrent run created the folder and handed its parent to another owner meanwhile.
            def made_meanwhile() -> Optional[Item]:
                found = self.repo.child_named(container, name, fresh=True)
                return found if found is not None and is_folder(found) else None

            return self.after_refusal(exc, path.text, "created this folder", made_meanwhile), False

    def rename_at(self, path: RepoPath, name: str) -> Item:
        """Rename by path, idempotently: done when the folder at `path` is gone and its parent holds `name`."""
        _app, chain, missing = self.repo.walk(path)
        if missing == len(path.names):
            return self.rename(chain[-1], name)
        if missing < len(path.names) - 1:
            raise InsightError("path: there is no folder %s (or it is not visible to this user), so there is nothing "
                               "to rename" % path.prefix(missing + 1).text)
        container = chain[-1] if chain else self.repo.app(path.app)
        renamed = self.repo.child_named(container, name)
        if renamed is not None and is_folder(renamed) and name != path.names[-1]:
            return renamed  # renamed by an earlier run
        raise InsightError("path: there is no folder %s to rename, and %s holds no folder named %s"
                           % (path.text, path.parent().text, show(name)))

    def rename(self, folder: Item, name: str) -> Item:
        if folder.get("name") == name:
            return folder
        parent = self.repo.container_of(folder)
        parent_path = _parent_path(_path_of(folder))
        clash = self.repo.child_named(parent, name)
        if clash is not None and clash.get("id") != folder.get("id"):
            what = "a folder" if is_folder(clash) else "a scenario"
            raise InsightError("name: %s and %s both exist (%s already holds %s named %s); renaming would make the "
                               "server suffix the name, so nothing was renamed: remove or rename one of them first"
                               % (_path_of(folder), parent_path + "/" + name, parent_path, what, show(name)))
        before = dict(folder)
        if self.check_mode:
            after = dict(folder, name=name, path=parent_path + "/" + name)
        else:
            try:
                after = self.repo.update(folder["id"], {"name": name}, False, False)
            except InsightHTTPError as exc:
                def renamed_meanwhile() -> Optional[Item]:
                    current = self.repo.folder(folder["id"])
                    return current if current is not None and current.get("name") == name else None

                return self.after_refusal(exc, _path_of(before), "renamed the folder to %s" % show(name),
                                          renamed_meanwhile)
            if after.get("name") != name:
                self.repo.undo_rename(_path_of(before), after, before, name)
        self.updated.append(_path_of(after))
        self.note_diff(_path_of(before), _path_of(after), before, after)
        return after

    def settle(self, folder: Item, created: bool) -> Item:
        """Apply share_status and owner (and their cascade) where they differ; only fields the user set count."""
        share = self.settings.share_status
        owner = self.wanted_owner()
        if share is None and owner is None:
            return folder
        cascade = self.settings.cascade
        body: Dict[str, Any] = {}
        if share is not None and folder.get("shareStatus") != share:
            body["shareStatus"] = share
        if owner is not None and (folder.get("owner") or {}).get("id") != owner["id"]:
            body["owner"] = {"id": owner["id"], "objectType": "USER"}
        below = []
        if cascade and not folder.get("_planned"):
            below = [item for item, _depth in self.repo.descendants(folder)]
            if any(self._differs(item, share, owner) for item in below):
                # The folder itself may already match: send its values again so the server cascades them.
                if share is not None:
                    body["shareStatus"] = share
                if owner is not None:
                    body["owner"] = {"id": owner["id"], "objectType": "USER"}
        if not body:
            return folder
        before = dict(folder)
        if self.check_mode:
            after = dict(folder)
            if "shareStatus" in body:
                after["shareStatus"] = share
            if owner is not None:
                after["owner"] = {"id": owner["id"], "name": owner.get("name"), "objectType": "USER"}
            elif share == "PRIVATE":
                after["owner"] = self.repo.caller()  # the server makes the caller the owner of a folder made PRIVATE
        else:
            try:
                after = self.repo.update(folder["id"], body, cascade and owner is not None, cascade and share is not None)
            except InsightHTTPError as exc:
                current = self.after_refusal(exc, _path_of(folder), "given it the wanted settings",
                                             lambda: self.settled_meanwhile(folder, share, owner, cascade))
                return self.replace(folder, current, created)
        folder.clear()
        folder.update(after)  # listings hold this dict: later lookups in this run see the new values
        if cascade:
            for item in below:
                if share is not None:
                    item["shareStatus"] = share
                if owner is not None:
                    item["owner"] = dict(after.get("owner") or {})
        path = _path_of(after)
        entry = self.diff_entry(path)
        if entry is not None:
            # A folder created (or renamed) by this task: one entry in `created` (or `updated`) and one diff, showing
            # the final settings.
            entry["after"] = diff_view(self.view(after))
        else:
            self.updated.append(path)
            self.note_diff(path, path, before, after)
        return folder

    def replace(self, folder: Item, current: Item, created: bool) -> Item:
        folder.clear()
        folder.update(current)
        entry = self.diff_entry(_path_of(current)) if created else None
        if entry is not None:
            entry["after"] = diff_view(self.view(current))
        return folder

    def settled_meanwhile(self, folder: Item, share: Optional[str], owner: Optional[Item], cascade: bool) -> Optional[Item]:
        """The folder read again, when it (and with cascade everything visible below it) has the wanted settings."""
        current = self.repo.folder(folder["id"])
        if current is None or self._differs(current, share, owner):
            return None
        if cascade and any(self._differs(item, share, owner) for item, _depth in self.repo.descendants(current, fresh=True)):
            return None
        return current

    @staticmethod
    def _differs(item: Item, share: Optional[str], owner: Optional[Item]) -> bool:
        if share is not None and item.get("shareStatus") != share:
            return True
        return owner is not None and (item.get("owner") or {}).get("id") != owner["id"]

    # -- state=absent ----------------------------------------------------------------------------------------

    def absent(self) -> List[Optional[Item]]:
        found: List[Optional[Item]] = []
        if self.settings.id:
            found.append(self.by_id())
        else:
            self.read_ahead(self.paths)
            for path in self.paths:
                _app, chain, missing = self.repo.walk(path)
                found.append(chain[-1] if missing == len(path.names) and chain else None)
        targets: List[Item] = []
        for folder in sorted((f for f in found if f), key=lambda f: _path_of(f).count("/")):
            inside = any(_path_of(folder).startswith(_path_of(t) + "/") or folder["id"] == t["id"] for t in targets)
            if not inside:
                targets.append(folder)
        if not self.settings.force:
            for folder in targets:
                self.refuse_if_not_empty(folder)
        guard = DeleteGuard(self.repo, self.settings.force, "", "Nothing was deleted")
        planned = [guard.plan(folder) for folder in targets]  # every refusal before the first DELETE
        for folder in sorted((f for f in found if f), key=lambda f: _path_of(f).count("/")):
            if _path_of(folder) in self.deleted:
                continue
            # A folder gone by the time it is read again needs no DELETE; one that changed since the plan is refused.
            sent = folder in targets and not self.check_mode
            if sent and guard.before_delete(folder, planned[targets.index(folder)], self.deleted):
                self.repo.delete(folder["id"])
            self.deleted.append(_path_of(folder))
            self.note_diff(_path_of(folder), _path_of(folder), folder, None)
        return [dict(f) if f else None for f in found]

    def refuse_if_not_empty(self, folder: Item) -> None:
        if not self.repo.children(folder):
            return
        below = self.repo.descendants(folder)
        folders = sum(1 for item, _depth in below if is_folder(item))
        scenarios = len(below) - folders
        raise InsightError("%s holds %d folder(s) and %d scenario(s) (counting everything below it) that deleting it "
                           "would remove; set force: true to delete it anyway. Nothing was deleted"
                           % (_path_of(folder), folders, scenarios))

    # -- state=moved -----------------------------------------------------------------------------------------

    def destination(self) -> Tuple[Item, Optional[List[str]]]:
        """The new parent, and the ids of it and its ancestors when known (to refuse moving a folder into itself)."""
        dest: Optional[RepoPath] = self.dest
        if dest is not None:
            app, chain, missing = self.repo.walk(dest, "dest")
            if missing < len(dest.names):
                raise InsightError("dest: there is no folder %s (or it is not visible to this user)"
                                   % dest.prefix(missing + 1).text)
            item = chain[-1] if chain else app
            return item, [c["id"] for c in chain]
        dest_id = str(self.settings.dest_id)
        folder = self.repo.folder(dest_id)
        if folder is not None:
            return folder, None
        root = self.repo.app_by_id(dest_id)
        if root is None:
            raise InsightError("dest_id: there is no folder or app %s (or it is not visible to this user)" % dest_id)
        return dict(root, path="/" + root["name"]), []

    def moved_state(self) -> List[Optional[Item]]:
        dest, dest_chain = self.destination()
        dest_app = (dest.get("app") or {}).get("id") if dest.get("objectType") != "APP" else dest["id"]
        dest_path = _path_of(dest) or "/" + dest.get("name", "")
        out: List[Optional[Item]] = []
        sources: List[Tuple[str, Optional[Item], str]] = []
        if self.settings.id:
            folder = self.by_id()
            if folder is None:
                raise InsightError("id: there is no folder %s (or it is not visible to this user)" % self.settings.id)
            sources.append((_path_of(folder), folder, folder["name"]))
        else:
            self.read_ahead(self.paths)
            for path in self.paths:
                _app, chain, missing = self.repo.walk(path)
                sources.append((path.text, chain[-1] if missing == len(path.names) else None, path.names[-1]))
        for label, folder, name in sources:
            if folder is None:
                there = self.repo.child_named(dest, name)
                if there is not None and is_folder(there):
                    out.append(there)  # moved by an earlier run
                    continue
                raise InsightError("path: there is no folder %s to move, and %s holds no folder named %s"
                                   % (show(label, bare=True), show(dest_path, bare=True), show(name)))
            out.append(self.move_one(label, folder, dest, dest_app, dest_path, dest_chain))
        return out

    def move_one(self, label: str, folder: Item, dest: Item, dest_app: Optional[str], dest_path: str,
                 dest_chain: Optional[List[str]]) -> Item:
        if (folder.get("parent") or {}).get("id") == dest["id"]:
            return folder
        if (folder.get("app") or {}).get("id") != dest_app:
            raise InsightError("dest: %s is in another app than %s; folders cannot move across apps"
                               % (show(dest_path, bare=True), show(label, bare=True)))
        into_itself = folder["id"] in dest_chain if dest_chain is not None else (
            dest_path == _path_of(folder) or dest_path.startswith(_path_of(folder) + "/"))
        if into_itself or dest["id"] == folder["id"]:
            raise InsightError("dest: %s is %s itself or lies below it; a folder cannot move into its own subtree"
                               % (show(dest_path, bare=True), show(label, bare=True)))
        clash = self.repo.child_named(dest, folder["name"])
        if clash is not None:
            what = "a folder" if is_folder(clash) else "a scenario"
            raise InsightError("dest: %s already holds %s named %s; rename or remove it first (the server would "
                               "otherwise suffix the name)" % (show(dest_path, bare=True), what, show(folder["name"])))
        before = dict(folder)
        if self.check_mode:
            after = dict(folder, path=dest_path + "/" + folder["name"],
                         parent={"id": dest["id"], "name": dest.get("name"), "objectType": dest.get("objectType", "FOLDER")})
            # As the real move does: later lookups of this task see the folder in its new place.
            self.repo.forget_child(self.repo.container_of(folder), folder["id"])
            self.repo.remember_child(dest, after)
        else:
            try:
                after = self.repo.move(folder, dest)
            except InsightHTTPError as exc:
                def moved_meanwhile() -> Optional[Item]:
                    current = self.repo.folder(folder["id"])
                    return current if current is not None and (current.get("parent") or {}).get("id") == dest["id"] else None

                return self.after_refusal(exc, label, "moved the folder to %s" % dest_path, moved_meanwhile)
            if after.get("name") != folder["name"]:
                self.repo.undo_move(label, after, before, dest, dest_path)
        self.moved.append(label)
        self.note_diff(label, _path_of(after), before, after)
        return after


def run_folder(repo: Repository, settings: FolderSettings, check_mode: bool, base_url: str) -> Dict[str, Any]:
    """The result of insight_folder without tree, `diff` included (InsightModule.run drops it outside diff mode)."""
    return FolderRun(repo, settings, check_mode, base_url).run()


def run(task: Task) -> Dict[str, Any]:
    """insight_folder's whole run: settings checked before the first call, then the tree or the one-folder run."""
    if task.params.get("tree") is not None:
        tree = tree_settings(task.params, want_diff=task.diff_mode)
        client = task.client
        return run_tree(Repository(client, task.warn), tree, task.check_mode, client.base_url)
    check_tree_options(task.params)  # prune and inherit only mean something with tree
    settings = folder_settings(task.params)
    client = task.client
    return run_folder(Repository(client, task.warn), settings, task.check_mode, client.base_url)
