# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The repository as folder modules see it: apps, path lookup through children listings (cached for the run),
users, and the folder writes that must survive lost answers and concurrent writers."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, NoReturn, Optional, Sequence, Tuple

from ._args import check_uuid
from ._client import check_item
from ._client_protocol import InsightClientLike
from ._errors import InsightConfigError, InsightError, InsightHTTPError
from ._apps import pick_app
from ._folder_paths import RepoPath, show
from ._listing import settled_listing
from ._pool import run_pool

Item = Dict[str, Any]

# A container is the app root or a folder; its children listing is keyed by ("APP" | "FOLDER", id).
ContainerKey = Tuple[str, str]


def container_key(item: Item) -> ContainerKey:
    if item.get("_planned"):
        return ("PLANNED", item["path"])
    return (item.get("objectType") or "FOLDER", item["id"])


def is_folder(item: Item) -> bool:
    return bool(item.get("objectType", "FOLDER") == "FOLDER")


def as_item(body: Any, method: str, path: str) -> Item:
    """An answer that must be one API object (the client's item shape check); anything else is not Insight talking."""
    return check_item(body, path, method)


def planned_folder(name: str, parent: Item, app: Item, path: RepoPath, share_status: str,
                   owner: Optional[Item]) -> Item:
    """A folder that check mode would create: the API shape with no id."""
    return {
        "id": None, "name": name, "objectType": "FOLDER", "path": path.text, "shareStatus": share_status,
        "parent": {"id": parent.get("id"), "name": parent.get("name"), "objectType": parent.get("objectType", "FOLDER")},
        "owner": owner, "app": {"id": app["id"], "name": app["name"], "objectType": "APP"}, "url": None,
        "_planned": True,
    }


class Repository:
    """Read-through caches over one client for one module run, so no listing is fetched twice."""

    def __init__(self, client: InsightClientLike, warn: Callable[[str], None]) -> None:
        self.client = client
        self.warn = warn
        self._apps: Optional[List[Item]] = None
        self._listings: Dict[ContainerKey, List[Item]] = {}
        # Listings read ahead that failed: the error is raised where the walk asks for that listing, so a run
        # fails with the same line, at the same point, as when it reads one listing after another.
        self._failed: Dict[ContainerKey, InsightError] = {}
        self._users: Optional[List[Item]] = None
        self._user_by_id: Dict[str, Item] = {}
        self._caller: Optional[Item] = None

    # -- apps and users ---------------------------------------------------------------------------------------

    def apps(self) -> List[Item]:
        if self._apps is None:
            self._apps = list(self.client.paged("/api/apps"))
        return self._apps

    def app(self, name: str, option: str = "path") -> Item:
        """The one app named `name`, or whose id is `name` (a path's first segment may be the app's id); two apps
        that match fail the option (see pick_app)."""
        how = "its id (for a path, in place of the app's name: /<app id>/Folder)" if option != "app" else "its id"
        return dict(pick_app(self.apps(), name, option, how), objectType="APP")

    def resolve(self, path: RepoPath, option: str = "path") -> RepoPath:
        """`path` with its app found: keyed by the app's id, shown with the app's name (as the server's paths are),
        so a path given by app id reports, compares and reads exactly like the same path given by name."""
        app = self.app(path.app, option)
        return RepoPath(str(app["id"]), path.names, str(app.get("name")))

    def app_by_id(self, app_id: str) -> Optional[Item]:
        for app in self.apps():
            if app.get("id") == app_id:
                return dict(app, objectType="APP")
        return None

    def users(self) -> List[Item]:
        """Every user (the paged list), read once per run."""
        if self._users is None:
            self._users = list(self.client.paged("/api/admin/users"))
            self._user_by_id.update({u["id"]: u for u in self._users if u.get("id")})
        return self._users

    def user(self, wanted: str, option: str = "owner", known_ids: Optional[Mapping[str, Any]] = None) -> Item:
        """A user by id (GET /api/admin/users/{id}) or by username (the paged list). `known_ids` maps ids already seen
        as owners to their names: such a user exists, so it costs no call."""
        text = wanted.strip()
        try:
            user_id = check_uuid(text, option)
        except InsightConfigError:
            user_id = None
        if user_id:
            if user_id in self._user_by_id:
                return self._user_by_id[user_id]
            if known_ids and user_id in known_ids:
                return {"id": user_id, "name": known_ids[user_id]}
            try:
                user = as_item(self.client.get("/api/admin/users/{}", user_id), "GET", "/api/admin/users/" + user_id)
            except InsightHTTPError as exc:
                if exc.status == 404:
                    raise InsightConfigError("%s: there is no user with id %s" % (option, user_id)) from None
                raise
            self._user_by_id[user_id] = user
            return user
        for user in self.users():
            if user.get("username") == text:
                return user
        raise InsightConfigError("%s: there is no user named %r (give a username or a user id)" % (option, text))

    def readable_users(self) -> None:
        """Read the user list so owners show as usernames (user_label); a user who may not list users sees ids."""
        try:
            self.users()
        except InsightHTTPError as exc:
            if exc.status not in (403, 404):
                raise

    def user_label(self, owner: Optional[Mapping[str, Any]]) -> Optional[str]:
        """An owner as results show it: the username when this run knows the user, else the id."""
        if not owner:
            return None
        user = self._user_by_id.get(owner.get("id") or "")
        return user.get("username") if user and user.get("username") else owner.get("id")

    def caller(self) -> Item:
        """The calling user as an owner reference: the server makes it the owner of what it creates."""
        if self._caller is None:
            user = as_item(self.client.get("/api/authentication/current-user"), "GET", "/api/authentication/current-user")
            self._caller = {"id": user.get("id"), "name": user.get("name"), "objectType": "USER"}
        return self._caller

    # -- listings ---------------------------------------------------------------------------------------------

    def children(self, container: Item, fresh: bool = False) -> List[Item]:
        """Every child (folders and scenarios, every page) of the app root or a folder; cached for the run."""
        key = container_key(container)
        if container.get("_planned"):
            return self._listings.setdefault(key, [])
        failed = self._failed.pop(key, None)
        if failed is not None and not fresh:
            raise failed
        if fresh or key not in self._listings:
            self._listings[key] = self._read(key)
        return self._listings[key]

    def _read(self, key: ContainerKey) -> List[Item]:
        # Children are paged by number like jobs, so an item leaving an earlier page hides a later one unless the
        # pass follows the shifts (the one listing logic of _listing); a listing that never settles fails whole.
        template = "/api/apps/{}/children" if key[0] == "APP" else "/api/folders/{}/children"
        return settled_listing(self.client, template, key[1])

    def prefetch(self, containers: Sequence[Item], parallel: int) -> bool:
        """Read the listings of these containers that this run has not read yet, up to `parallel` at a time, for
        `children` to answer from. False when one failed: its error waits for the walk to ask for that listing."""
        wanted: Dict[ContainerKey, Item] = {}
        for container in containers:
            key = container_key(container)
            if not container.get("_planned") and key not in self._listings and key not in self._failed:
                wanted.setdefault(key, container)

        def read(key: ContainerKey) -> Tuple[Optional[List[Item]], Optional[InsightError]]:
            try:
                return self._read(key), None
            except InsightError as exc:
                return None, exc

        keys = list(wanted)
        ok = True
        # The caches are filled here, in the caller's thread, so the pool's threads share no state but the client.
        for key, (listing, error) in zip(keys, run_pool(read, keys, parallel)):
            if error is not None:
                self._failed[key] = error
                ok = False
            elif listing is not None:
                self._listings[key] = listing
        return ok

    def known_empty(self, container: Item) -> None:
        """A folder this run just created has no children: never list it."""
        self._listings[container_key(container)] = []

    def remember_child(self, container: Item, item: Item) -> None:
        listing = self._listings.get(container_key(container))
        if listing is not None:
            # Folders planned by check mode have no id: they are told apart by identity, never by a shared None.
            if item.get("id") is None:
                listing[:] = [c for c in listing if c is not item] + [item]
            else:
                listing[:] = [c for c in listing if c.get("id") != item.get("id")] + [item]

    def forget_child(self, container: Item, item_id: Optional[str]) -> None:
        listing = self._listings.get(container_key(container))
        if listing is not None:
            listing[:] = [c for c in listing if c.get("id") != item_id]

    def child_named(self, container: Item, name: str, fresh: bool = False) -> Optional[Item]:
        """The child (folder or scenario) with exactly this name; the server matches names case-sensitively."""
        for item in self.children(container, fresh=fresh):
            if item.get("name") == name:
                return item
        return None

    def walk(self, path: RepoPath, option: str = "path") -> Tuple[Item, List[Item], int]:
        """Follow `path` from its app root one listing per level. Returns (app, found chain, index of the first
        missing name, or len(names) when the whole path exists). A scenario in the way is an error."""
        app = self.app(path.app, option)
        chain: List[Item] = []
        container = app
        for index, name in enumerate(path.names):
            child = self.child_named(container, name)
            if child is None:
                return app, chain, index
            if not is_folder(child):
                where = RepoPath(path.app, path.names[:index + 1], str(app.get("name"))).text
                raise InsightError("%s: %s is a scenario, not a folder" % (option, show(where, bare=True)))
            chain.append(child)
            container = child
        return app, chain, len(path.names)

    def folder(self, folder_id: str) -> Optional[Item]:
        """GET a folder by id, or None when it is gone or not visible to this user."""
        try:
            return self.client.get_item("/api/folders/{}", folder_id)
        except InsightHTTPError as exc:
            if exc.status == 404:
                return None
            raise

    def container_of(self, item: Item) -> Item:
        """The app or folder reference an item's `parent` points to, usable as a container."""
        parent = item.get("parent") or {}
        return {"id": parent.get("id"), "name": parent.get("name"), "objectType": parent.get("objectType") or "FOLDER"}

    # -- writes -----------------------------------------------------------------------------------------------

    def create(self, container: Item, name: str, path: RepoPath) -> Tuple[Item, bool]:
        """Create one folder in a container whose listing we hold; never leaves a suffixed duplicate behind.

        Returns the folder and whether this run made it (False when another writer's folder is used instead)."""
        body = {"name": name, "parent": {"id": container["id"], "objectType": container.get("objectType", "FOLDER")}}

        def recover() -> Optional[Item]:
            # The answer was lost: the server may have made it. Read the parent again instead of posting twice.
            found = self.child_named(container, name, fresh=True)
            return found if found is not None and is_folder(found) else None

        answer, posted = self.client.post_or_recover("/api/folders", json_body=body, recover=recover)
        created = as_item(answer, "POST", "/api/folders")
        ours = True
        if created.get("name") != name:
            created = self._undo_duplicate(container, created, name, path)
            ours = False
        elif posted:
            self.known_empty(created)
        # A folder found by `recover` is most likely the one our lost POST made, but it may hold children already.
        self.remember_child(container, created)
        return created, ours

    def _undo_duplicate(self, container: Item, duplicate: Item, name: str, path: RepoPath) -> Item:
        # Another writer made `name` between our lookup and our create, so the server suffixed ours.
        self.delete(duplicate["id"])
        existing = self.child_named(container, name, fresh=True)
        if existing is None:
            twin = next((c for c in self.children(container) if str(c.get("name", "")).casefold() == name.casefold()), None)
            if twin is not None:
                # This server compares sibling names without regard to case.
                raise InsightError("path: %s: the server treats %s and the existing %s as the same name (it compares "
                                   "names without regard to case); removed the duplicate %s it made instead"
                                   % (show(path.text, bare=True), show(name), show(twin.get("name")),
                                      show(duplicate.get("name"))))
            # The listings never show another user's PRIVATE folder, so this cannot be known before the create.
            raise InsightError("path: %s exists on the server but is not visible to this user (presumably another "
                               "user's PRIVATE folder); the server created the folder %s instead, which this task "
                               "then deleted again, so nothing is left changed"
                               % (show(path.text, bare=True), show(duplicate.get("name"))))
        if not is_folder(existing):
            raise InsightError("path: %s is a scenario, not a folder (it appeared while this task ran); removed the "
                               "duplicate folder %s the server made instead"
                               % (show(path.text, bare=True), show(duplicate.get("name"))))
        self.warn("%s: another writer created this folder at the same time; removed the duplicate %s that the server "
                  "made for this run and used the existing folder"
                  % (show(path.text, bare=True), show(duplicate.get("name"))))
        return existing

    def twin(self, container: Item, name: str, exclude: Optional[str]) -> Optional[Item]:
        """A child of `container` (read again) whose name equals `name` without regard to case, other than `exclude`."""
        for child in self.children(container, fresh=True):
            if child.get("id") != exclude and str(child.get("name", "")).casefold() == name.casefold():
                return child
        return None

    def _clash_text(self, container: Item, asked: str, exclude: Optional[str]) -> str:
        twin = self.twin(container, asked, exclude)
        if twin is not None and twin.get("name") != asked:
            return ("the server treats %s and the existing %s as the same name (it compares names without regard to "
                    "case)" % (show(asked), show(twin.get("name"))))
        return "an item named %s appeared meanwhile" % show(asked)

    def undo_rename(self, where: str, renamed: Item, before: Item, asked: str) -> NoReturn:
        """The server suffixed a rename because a sibling holds the name: rename the folder back and fail, naming
        both names."""
        why = self._clash_text(self.container_of(renamed), asked, renamed.get("id"))
        head = "name: %s: %s, so the server renamed the folder to %s instead" % (where, why, show(renamed.get("name")))
        try:
            self.update(renamed["id"], {"name": before["name"]}, False, False)
        except InsightError as exc:
            raise InsightError("%s; renaming it back to %s failed: %s" % (head, show(before["name"]), exc.to_line())) from None
        raise InsightError("%s; renamed it back to %s, so nothing is left changed" % (head, show(before["name"])))

    def undo_move(self, where: str, moved: Item, before: Item, dest: Item, dest_path: str) -> NoReturn:
        """The server suffixed a move because the destination holds the name: move the folder back (under its own
        name) and fail, naming both names."""
        name = str(before.get("name"))
        why = self._clash_text(dest, name, moved.get("id"))
        head = "dest: %s: in %s, %s, so the server moved the folder there as %s instead" % (
            where, dest_path, why, show(moved.get("name")))
        try:
            back = self.move(moved, self.container_of(before))
            if back.get("name") != name:
                self.update(back["id"], {"name": name}, False, False)
        except InsightError as exc:
            raise InsightError("%s; moving it back failed: %s" % (head, exc.to_line())) from None
        raise InsightError("%s; moved it back, so nothing is left changed" % head)

    def delete(self, folder_id: str) -> bool:
        """Delete a folder this run saw. A 404 means it is already gone (for example a retried DELETE that the
        server had already carried out): returns False then."""
        try:
            self.client.delete("/api/folders/{}", folder_id)
        except InsightHTTPError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def update(self, folder_id: str, body: Dict[str, Any], cascade_owner: bool, cascade_share: bool) -> Item:
        params = {}
        if cascade_owner:
            params["cascadeOwner"] = True
        if cascade_share:
            params["cascadeShareStatus"] = True
        answer = self.client.patch("/api/folders/{}", folder_id, json_body=body, params=params or None)
        return as_item(answer, "PATCH", "/api/folders/" + folder_id)

    def move(self, folder: Item, dest: Item) -> Item:
        """Move a folder into a folder or to its app root; a lost answer is resolved by reading where it is."""
        template = "/api/apps/{}/children" if dest.get("objectType") == "APP" else "/api/folders/{}/children"
        body = {"id": folder["id"], "objectType": "FOLDER"}

        def recover() -> Optional[Item]:
            current = self.folder(folder["id"])
            if current is not None and (current.get("parent") or {}).get("id") == dest["id"]:
                return current
            return None

        answer, _made_here = self.client.post_or_recover(template, dest["id"], json_body=body, recover=recover)
        if isinstance(answer, dict) and answer.get("id"):
            moved: Item = answer
        else:
            # The reference page allows an empty answer: read the folder instead.
            moved = self.folder(folder["id"]) or dict(folder)
        self.forget_child(self.container_of(folder), folder["id"])
        self.remember_child(dest, moved)
        return moved

    def descendants(self, container: Item, max_depth: Optional[int] = None,
                    fresh: bool = False) -> List[Tuple[Item, int]]:
        """Every item below a container, breadth first, with its depth (1 for direct children); `fresh` reads every
        listing again instead of using this run's copies."""
        found: List[Tuple[Item, int]] = []
        level = [container]
        depth = 1
        while level and (max_depth is None or depth <= max_depth):
            next_level = []
            for parent in level:
                for item in self.children(parent, fresh=fresh):
                    found.append((item, depth))
                    if is_folder(item):
                        next_level.append(item)
            level = next_level
            depth += 1
        return found
