# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_folder with `tree:`: a folder tree as one declared state. One plan (every read, every check), then the
writes; check mode returns the plan itself, so it is exactly what the real run does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ._args import check_id
from ._errors import InsightConfigError, InsightError
from ._folder_delete import DeleteGuard, Snapshot
from ._folder_paths import RepoPath, item_view, look_alike_key, parse_path, show
from ._folders import Item, Repository, is_folder
from ._pool import check_parallel, run_groups
from ._tree_spec import Node, name_key, parse_tree

NEW_SHARE = "FULLACCESS"  # what the server gives a folder it creates (owned by the caller)
NOT_WITH_TREE = ("name", "dest", "dest_id", "share_status", "owner")


class Step:
    """One folder of the plan: its state before (None: to create) and after (None: to delete)."""

    __slots__ = ("path", "node", "before", "after", "fields", "created", "item", "container", "folders", "scenarios",
                 "planned")

    def __init__(self, path: RepoPath, node: Optional[Node], before: Optional[Item]) -> None:
        self.path = path
        self.node = node
        self.before = before
        self.after: Optional[Item] = None
        self.fields: Dict[str, Dict[str, Any]] = {}
        self.created = before is None
        self.item: Optional[Item] = before  # the server's folder once it exists
        self.container: Optional["Step"] = None
        self.folders = 0  # with a delete: the folders it removes, itself included
        self.scenarios = 0
        self.planned: Snapshot = {}  # with a delete: what the plan saw below it, compared right before the DELETE


def check_tree_options(params: Mapping[str, Any]) -> None:
    """Options that only mean something with `tree`, and those that do not go with it."""
    if params.get("tree") is None:
        for key in ("prune", "inherit"):
            if params.get(key):
                raise InsightConfigError("%s: only used with tree, and tree is not given or null (an unset "
                                         "variable?); nothing was changed" % key)
        return
    if params.get("state", "present") != "present":
        raise InsightConfigError("tree: describes folders that must exist; use it with state=present, not state=%s"
                                 % params["state"])
    given = [key for key in NOT_WITH_TREE if params.get(key) is not None] + (["cascade"] if params.get("cascade") else [])
    if given:
        raise InsightConfigError("%s: not used with tree; give share_status and owner on the tree's nodes (inherit: "
                                 "true hands them down)" % ", ".join(given))
    if params.get("force") and not params.get("prune"):
        raise InsightConfigError("force: with tree, only used with prune: true")
    if params["max_deletions"] < 0:
        raise InsightConfigError("max_deletions: must be 0 (no limit) or more, not %d" % params["max_deletions"])


@dataclass(frozen=True)
class TreeSettings:
    """insight_folder's options with tree, checked once: the engine reads nothing else."""

    path: Optional[RepoPath]  # the folder (or /AppName) the tree lies in, or None when given by id
    id: Optional[str]
    nodes: List[Node]
    prune: bool
    force: bool
    max_deletions: int  # 0: no limit
    # Without diff mode the engine skips what only the diff needs (the before text and the user listing).
    want_diff: bool
    parallel: int  # the most requests at the same time


def tree_settings(params: Mapping[str, Any], want_diff: bool = True) -> TreeSettings:
    """Every check of a tree run that needs no server, so bad input fails before the first call."""
    check_tree_options(params)
    if params.get("tree") is None:
        raise InsightConfigError("tree: give the folders to declare")
    tree = params["tree"]
    nodes = [] if isinstance(tree, str) and not tree.strip() else parse_tree(tree, bool(params.get("inherit")))
    if not nodes and params.get("prune"):
        # An empty description is what an unset variable or an empty lookup gives; pruning to it would delete every
        # folder below the path, so it is never taken as meant.
        raise InsightConfigError("tree: is empty (%r), and with prune: true that would delete every folder below "
                                 "the path; nothing was changed. Give the folders to keep, or delete folders by "
                                 "name with state: absent" % (tree,))
    path: Optional[RepoPath] = None
    folder_id: Optional[str] = None
    if params.get("path") is not None:
        if not isinstance(params["path"], str):
            raise InsightConfigError("path: with tree, give the one parent folder (or /AppName), not a list")
        path = parse_path(params["path"], "path", allow_app_root=True)
    elif params.get("id") is not None:
        folder_id = check_id(params["id"], "id")
    else:
        raise InsightConfigError("path or id: with tree, give the parent folder (or /AppName) the tree lies in")
    parallel = check_parallel(params["parallel"])
    return TreeSettings(path=path, id=folder_id, nodes=nodes, prune=bool(params["prune"]),
                        force=bool(params["force"]), max_deletions=params["max_deletions"],
                        want_diff=want_diff, parallel=parallel)


class TreeRun:
    def __init__(self, repo: Repository, settings: TreeSettings, check_mode: bool, base_url: str) -> None:
        self.repo = repo
        self.settings = settings
        self.check_mode = check_mode
        self.base_url = base_url
        self.nodes = settings.nodes
        self.prune = settings.prune
        self.steps: List[Step] = []
        self.deletes: List[Step] = []
        self.kept: Dict[Tuple[str, ...], List[Item]] = {}  # undeclared folders left alone, by parent path
        self._owners: Dict[str, Item] = {}
        self.top_item: Optional[Item] = None
        self.top_depth = 0
        self.guard = DeleteGuard(repo, settings.force, "prune: ", "Nothing was changed")

    # -- reading and planning -----------------------------------------------------------------------------------

    def top(self) -> Tuple[Item, RepoPath]:
        if self.settings.path is not None:
            path = self.repo.resolve(self.settings.path)
            app, chain, missing = self.repo.walk(path)
            if missing < len(path.names):
                raise InsightError("path: there is no folder %s (or it is not visible to this user); the tree is "
                                   "applied below an existing folder or app root" % show(path.text, bare=True))
            return (chain[-1] if chain else app), path
        folder_id = str(self.settings.id)
        folder = self.repo.folder(folder_id)
        if folder is None:
            raise InsightError("id: there is no folder %s (or it is not visible to this user)" % folder_id)
        shown = parse_path(folder.get("path") or "", "id")
        app_id = (folder.get("app") or {}).get("id")
        return folder, RepoPath(str(app_id), shown.names, shown.app) if app_id else shown

    def owner(self, node: Node, path: RepoPath, known: Mapping[str, Any]) -> Optional[Item]:
        if node.owner is None:
            return None
        if node.owner not in self._owners:
            self._owners[node.owner] = self.repo.user(node.owner, "tree (%s): owner" % path.text, known)
        return self._owners[node.owner]

    def read_ahead(self) -> None:
        """Read, one depth at a time and several at once, exactly the listings `_level` will ask for, so the plan
        (which stays one serial walk, with its order, checks and error lines) is made from the cache."""
        if self.settings.parallel <= 1:
            return  # one at a time, the walk reads each listing when it comes to it
        # Each entry: a folder and the nodes declared in it, or None for a folder prune deletes (all of it is read).
        level: List[Tuple[Optional[Item], Optional[List[Node]]]] = [(self.top_item, self.nodes)]
        while level:
            listed = [(c, nodes) for c, nodes in level if c is not None and (nodes is None or nodes or self.prune)]
            if not self.repo.prefetch([c for c, _nodes in listed], self.settings.parallel):
                return  # the walk meets the failed listing and fails there
            following: List[Tuple[Optional[Item], Optional[List[Node]]]] = []
            for container, nodes in listed:
                listing = self.repo.children(container)
                if nodes is None:
                    following.extend((item, None) for item in listing if is_folder(item))
                    continue
                by_name = {name_key(item.get("name") or ""): item for item in listing}
                declared = set()
                for node in nodes:
                    key = name_key(node.name)
                    declared.add(key)
                    existing = by_name.get(key)
                    if existing is not None and not is_folder(existing):
                        return  # the plan fails at this node: nothing deeper is read
                    if existing is not None:
                        following.append((existing, node.children))
                if self.prune:
                    following.extend((item, None) for item in listing
                                     if is_folder(item) and name_key(item.get("name") or "") not in declared)
            level = following

    def _level(self, container: Optional[Item], path: RepoPath, nodes: List[Node], parent: Optional[Step]) -> None:
        # A leaf's children only matter to prune: without it, a converged run lists only folders with declared children.
        listing = self.repo.children(container) if container is not None and (nodes or self.prune) else []
        by_name = {name_key(item.get("name") or ""): item for item in listing}
        declared = set()
        known = {}
        for item in listing:
            owner = item.get("owner") or {}
            if owner.get("id"):
                known[owner["id"]] = owner.get("name")
        for node in nodes:
            key = name_key(node.name)
            declared.add(key)
            here = path.child(node.name)
            existing = by_name.get(key)
            if existing is not None and not is_folder(existing):
                raise InsightError("tree (%s): is a scenario on the server, not a folder; rename one of them. Nothing "
                                   "was changed" % show(here.text, bare=True))
            step = Step(here, node, existing)
            step.container = parent
            self.steps.append(step)
            self._settle(step, known)
            self._level(existing, here, node.children, step)
        undeclared = [item for item in listing if name_key(item.get("name") or "") not in declared and is_folder(item)]
        if self.prune and container is not None:
            refuse_look_alikes(path, [node.name for node in nodes if name_key(node.name) not in by_name], undeclared)
            for item in undeclared:
                step = Step(path.child(item["name"]), None, item)
                below = self.repo.descendants(item)
                step.folders = 1 + sum(1 for sub, _depth in below if is_folder(sub))
                step.scenarios = sum(1 for sub, _depth in below if not is_folder(sub))
                self.deletes.append(step)
        elif undeclared:
            self.kept[path.names] = undeclared

    def _settle(self, step: Step, known: Mapping[str, Any]) -> None:
        """The folder's state after the run, and which fields a PATCH must change."""
        node = step.node
        if node is None:
            raise AssertionError("only declared folders are settled")
        before = step.before
        current_share: Optional[str]
        current_owner: Optional[Dict[str, Any]]
        if before is None:
            current_share, current_owner = NEW_SHARE, None  # the caller; only read when it matters
        else:
            current_share, current_owner = before.get("shareStatus"), before.get("owner") or {}
        owner = self.owner(node, step.path, known)
        after_share = node.share_status or current_share
        if owner is not None:
            after_owner: Dict[str, Any] = {"id": owner["id"], "name": owner.get("name"), "objectType": "USER"}
        elif node.share_status == "PRIVATE" and current_share != "PRIVATE":
            after_owner = dict(self.repo.caller())  # the server makes the caller the owner of a folder made PRIVATE
        else:
            # A new folder belongs to the caller: shown from the create's answer, or asked once in check mode.
            after_owner = dict(current_owner) if current_owner is not None else {}
        if after_share != current_share:
            step.fields["share_status"] = {"before": current_share, "after": after_share}
        if owner is not None:
            now = (current_owner or {}).get("id") if current_owner is not None else self.repo.caller()["id"]
            if now != owner["id"]:
                step.fields["owner"] = {"before": self.repo.user_label(current_owner or self.repo.caller()),
                                        "after": self.repo.user_label(after_owner) or owner["id"]}
        step.after = dict(before or {}, name=node.name, shareStatus=after_share, owner=after_owner,
                          path=step.path.text)

    def check_deletions(self) -> None:
        total = sum(s.folders for s in self.deletes)
        limit = self.settings.max_deletions
        if limit and total > limit:
            shown = ", ".join(show(s.path.text, bare=True) for s in self.deletes[:5]) + (", ..." if len(self.deletes) > 5 else "")
            raise InsightError("max_deletions: prune would delete %d folders (%s), more than max_deletions=%d; raise "
                               "it (0 lifts the limit) if that is meant. Nothing was changed" % (total, shown, limit))
        if not self.settings.force:
            holding = [s for s in self.deletes if s.scenarios]
            if holding:
                raise InsightError("prune: %s holds %d scenario(s) (counting everything below it) that deleting it "
                                   "would remove; set force: true to delete it anyway. Nothing was changed"
                                   % (show(holding[0].path.text, bare=True), holding[0].scenarios))
        for step in self.deletes:
            step.planned = self.guard.plan(step.before or {})

    # -- acting ---------------------------------------------------------------------------------------------

    def act(self) -> None:
        done: List[str] = []
        for step in self.deletes:
            folder = step.before or {}
            if self.guard.before_delete(folder, step.planned, done):
                self.repo.delete(folder["id"])
            done.append(step.path.text)
        # One depth at a time, so every parent exists before its children. Within a depth the folders of different
        # parents are created at the same time, those of one parent one after another in the tree's order (a server
        # may lock a folder while a child is added to it).
        missing = [step for step in self.steps if step.before is None]
        for depth in sorted({step.path.depth for step in missing}):
            groups: Dict[int, List[Step]] = {}
            for step in missing:
                if step.path.depth == depth:
                    groups.setdefault(id(step.container), []).append(step)
            run_groups(list(groups.values()), self._create, self.settings.parallel)
        self._update()

    def _create(self, step: Step) -> None:
        container = step.container.item if step.container is not None else self.top_item
        if container is None:
            raise InsightError("tree: the parent of %s was not created; nothing more was written" % show(step.path.text, bare=True))
        created, ours = self.repo.create(container, step.path.names[-1], step.path)
        step.item = created
        if not ours:
            step.created = False  # another writer made it meanwhile; it is used as it is

    def _update(self) -> None:
        for step in sorted(self.steps, key=lambda s: -s.path.depth):
            body: Dict[str, Any] = {}
            if "share_status" in step.fields:
                body["shareStatus"] = step.fields["share_status"]["after"]
            if "owner" in step.fields:
                body["owner"] = {"id": (step.after or {})["owner"]["id"], "objectType": "USER"}
            if body and step.item is not None:
                step.after = dict(self.repo.update(step.item["id"], body, False, False), path=step.path.text)
            elif step.item is not None:
                planned = step.after or {}
                step.after = dict(planned, id=step.item.get("id"), owner=planned.get("owner") or step.item.get("owner"))

    # -- results --------------------------------------------------------------------------------------------

    def owner_of(self, state: Mapping[str, Any]) -> Optional[str]:
        return self.repo.user_label(state.get("owner") or self.repo.caller())

    def node_view(self, step: Step, children: List[Dict[str, Any]]) -> Dict[str, Any]:
        after = step.after or {}
        out: Dict[str, Any] = {"name": step.path.names[-1], "share_status": after.get("shareStatus"),
                               "owner": self.owner_of(after)}
        if children:
            out["children"] = children
        return out

    def tree_view(self) -> List[Dict[str, Any]]:
        by_parent: Dict[Optional[int], List[Step]] = {}
        for step in self.steps:
            by_parent.setdefault(id(step.container) if step.container else None, []).append(step)

        def build(parent: Optional[int]) -> List[Dict[str, Any]]:
            return [self.node_view(s, build(id(s))) for s in by_parent.get(parent, [])]
        return build(None)

    def text(self, after: bool) -> str:
        """The tree as indented lines, settings beside each name; undeclared folders kept as they are."""
        lines: List[Tuple[Tuple[str, ...], str]] = []
        for step in self.steps:
            state = step.after if after else step.before
            if state is not None:
                lines.append((step.path.names, self._line(step.path, state)))
        if not after:
            for step in self.deletes:
                folder = step.before or {}
                lines.append((step.path.names, self._line(step.path, folder)))
                lines.extend(self._subtree_lines(step.path, folder))
        for names, items in self.kept.items():
            for item in items:
                lines.append((names + (item["name"],), self._line(RepoPath("", names + (item["name"],)), item)))
        lines.sort(key=lambda entry: entry[0])
        return "".join(line for _names, line in lines)

    def _subtree_lines(self, path: RepoPath, folder: Item) -> List[Tuple[Tuple[str, ...], str]]:
        # Listings that prune read already: no call here.
        out: List[Tuple[Tuple[str, ...], str]] = []
        for child in self.repo.children(folder):
            if is_folder(child):
                sub = path.child(child["name"])
                out.append((sub.names, self._line(sub, child)))
                out.extend(self._subtree_lines(sub, child))
        return out

    def _line(self, path: RepoPath, state: Mapping[str, Any]) -> str:
        indent = "  " * (path.depth - self.top_depth - 1)
        return "%s%s  [%s, %s]\n" % (indent, show(path.names[-1], bare=True), state.get("shareStatus"),
                                     self.owner_of(state))

    def run(self) -> Dict[str, Any]:
        diff = self.settings.want_diff
        self.top_item, top_path = self.top()
        self.top_depth = top_path.depth
        self.read_ahead()
        self._level(self.top_item, top_path, self.nodes, None)
        self.deletes.sort(key=lambda s: -s.path.depth)
        self.check_deletions()
        before_text = ""
        if diff:
            self.repo.readable_users()  # one call, so the diff names owners by username
            before_text = self.text(after=False)
        if not self.check_mode:
            self.act()
        created = [s.path.text for s in self.steps if s.created]
        updated = [s for s in self.steps if s.fields and s.path.text not in created]
        deleted: List[str] = []
        for step in sorted(self.deletes, key=lambda s: s.path.names):
            deleted.append(step.path.text)
        unchanged = len(self.steps) - len(created) - len(updated)
        out: Dict[str, Any] = {
            "changed": bool(created or updated or deleted),
            "created": sorted(created, key=lambda p: p.count("/")),
            "updated": [s.path.text for s in updated],
            "deleted": deleted,
            "changes": {s.path.text: s.fields for s in updated},
            "counts": {"created": len(created), "updated": len(updated),
                       "deleted": sum(s.folders for s in self.deletes), "unchanged": unchanged},
            "tree": self.tree_view(),
            "moved": [],
        }
        if not self.nodes:
            out["msg"] = "tree is empty: no folder is declared, so nothing was changed"
        if diff:
            out["diff"] = {"before": before_text, "after": self.text(after=True),
                           "before_header": top_path.text + " (tree)", "after_header": top_path.text + " (tree)"}
        return out


def refuse_look_alikes(parent: RepoPath, creating: List[str], deleting: List[Item]) -> None:
    """Prune must not delete one folder and create another whose name differs only by case, Unicode normalisation
    or white space: on a server that compares names that way it is the same folder (and its scenarios with it), and
    elsewhere it is almost always a typo or a copied name. Fails before any change, naming both."""
    doomed: Dict[str, str] = {}
    for item in deleting:
        doomed.setdefault(look_alike_key(str(item.get("name") or "")), str(item.get("name") or ""))
    for name in creating:
        twin = doomed.get(look_alike_key(name))
        if twin is not None:
            raise InsightError("tree (%s): prune would delete %s and create %s, names that differ only by case, "
                               "Unicode normalisation or white space (the server may even treat them as one); "
                               "declare the existing name exactly, or rename or remove one of them first. Nothing "
                               "was changed" % (show(parent.text, bare=True), show(parent.child(twin).text),
                                                show(parent.child(name).text)))


def run_tree(repo: Repository, settings: TreeSettings, check_mode: bool, base_url: str) -> Dict[str, Any]:
    """The result of insight_folder with tree; `diff` only when settings.want_diff."""
    return TreeRun(repo, settings, check_mode, base_url).run()


# -- export (insight_folder_info format=tree) ---------------------------------------------------------------------

def export_tree(repo: Repository, start: Optional[Item], base_url: str) -> Dict[str, Any]:
    """The subtree under `start` (a folder or app root; None: nothing there) in the input format of `tree:`, every
    setting given, owners by username when this user may list users (else by id), so applying it below the folder's
    parent changes nothing."""
    repo.readable_users()
    folders: List[Item] = []

    def node(item: Item) -> Dict[str, Any]:
        folders.append(item)
        out: Dict[str, Any] = {"name": item.get("name"), "share_status": item.get("shareStatus"),
                               "owner": repo.user_label(item.get("owner"))}
        children = [node(child) for child in repo.children(item) if is_folder(child)]
        if children:
            out["children"] = children
        return out

    tree: List[Dict[str, Any]] = []
    if start is not None:
        if start.get("objectType") == "APP":
            tree = [node(child) for child in repo.children(start) if is_folder(child)]
        else:
            tree = [node(start)]
    return {"changed": False, "tree": tree, "folders": [item_view(f, base_url) for f in folders]}
