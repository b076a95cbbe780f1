# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An in-memory Insight repository that answers the client calls of the folder engine (InsightClientLike).

Apps, folders, scenarios and users, with the server's rules that the engine depends on: a name clash on create,
rename or move gets a ` (1)` suffix, DELETE removes the subtree, PATCH cascades on request, PRIVATE without an owner
makes the caller the owner, an unknown id answers 404; scenarios are read (`GET /api/scenarios/{id}`) and moved
like folders. Every call is recorded as `METHOD template`, so a test can
count listings and writes. `before_write` lets a test play another writer; `lose_answers` makes the server act on a
create or move and the answer get lost, as a dropped connection would. Calls may come from several threads: each is
carried out whole under one lock, after `latency` seconds of waiting outside it (a server some way off)."""

from __future__ import annotations

import functools
import threading
import time
import uuid
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, TypeVar

from ansible_collections.xpress.insight.plugins.module_utils._client import Answer
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightHTTPError, InsightTransportError

BASE_URL = "https://insight.test"
WRITES = ("POST", "PATCH", "DELETE")
_NAMESPACE = uuid.UUID("6f1c0e52-3b7a-4d5e-9a39-0c7d2f5b8e11")
CallT = TypeVar("CallT", bound=Callable[..., Any])


def _one_at_a_time(method: CallT) -> CallT:
    """A call of the server: waits its latency with the lock free (so other threads' calls overlap), then runs whole."""
    @functools.wraps(method)
    def call(self: "FakeInsight", *args: Any, **kwargs: Any) -> Any:
        if self.latency:
            time.sleep(self.latency)
        with self.lock:
            return method(self, *args, **kwargs)
    return call  # type: ignore[return-value]


class FakeInsight:
    """One Insight server in memory; `caller` is the user the client authenticates as."""

    def __init__(self, apps: Tuple[str, ...] = ("Logistics",), caller: str = "alice") -> None:
        self.base_url = BASE_URL
        self._counter = 0
        self.users: Dict[str, Dict[str, Any]] = {}
        for username, name in (("alice", "Alice Able"), ("bob", "Bob Builder")):
            self.users[self._id("user-" + username)] = {"username": username, "name": name}
        self.caller = self.user_id(caller)
        self.apps: Dict[str, str] = {self._id("app-" + name): name for name in apps}
        # id -> {"name", "kind" (FOLDER | SCENARIO), "app", "parent" (None at the app root), "share", "owner"}
        self.nodes: Dict[str, Dict[str, Any]] = {}
        self.calls: List[str] = []
        self.before_write: Optional[Callable[[str], None]] = None
        self.lose_answers = 0
        self.latency = 0.0
        self.pending_body: Any = None
        self.lock = threading.RLock()

    # -- seeding and inspection ----------------------------------------------------------------------------------

    def _id(self, seed: str) -> str:
        return str(uuid.uuid5(_NAMESPACE, seed))

    def _new_id(self) -> str:
        self._counter += 1
        return self._id("node-%d" % self._counter)

    def user_id(self, username: str) -> str:
        return next(uid for uid, user in self.users.items() if user["username"] == username)

    def app_id(self, name: str) -> str:
        return next(aid for aid, app in self.apps.items() if app == name)

    def add(self, path: str, kind: str = "FOLDER", share: str = "FULLACCESS", owner: str = "alice") -> str:
        """Seed a folder (or scenario) at a repository path, with any missing parent folders; returns its id."""
        names = path.strip("/").split("/")
        app = self.app_id(names[0])
        parent: Optional[str] = None
        for index, name in enumerate(names[1:], start=2):
            found = self._child(app, parent, name)
            if found is None:
                found = self._new_id()
                last = index == len(names)
                self.nodes[found] = {"name": name, "kind": kind if last else "FOLDER", "app": app, "parent": parent,
                                     "share": share if last else "FULLACCESS", "owner": self.user_id(owner)}
            parent = found
        assert parent is not None, "add() needs a path below the app root"
        return parent

    def find(self, path: str) -> Optional[Dict[str, Any]]:
        """The API view of the item at a repository path, or None."""
        for node_id in self.nodes:
            if self.path(node_id) == path:
                return self.view(node_id)
        return None

    def paths(self) -> List[str]:
        return sorted(self.path(node_id) for node_id in self.nodes)

    def writes(self) -> List[str]:
        return [call for call in self.calls if call.split(" ", 1)[0] in WRITES]

    def count(self, call: str) -> int:
        return self.calls.count(call)

    # -- views ---------------------------------------------------------------------------------------------------

    def path(self, node_id: str) -> str:
        node = self.nodes[node_id]
        names = [node["name"]]
        while node["parent"] is not None:
            node = self.nodes[node["parent"]]
            names.append(node["name"])
        return "/" + "/".join([self.apps[node["app"]], *reversed(names)])

    def _app_ref(self, app_id: str) -> Dict[str, Any]:
        return {"id": app_id, "name": self.apps[app_id], "objectType": "APP", "url": "/api/apps/" + app_id}

    def _user_ref(self, user_id: str) -> Dict[str, Any]:
        return {"id": user_id, "name": self.users[user_id]["name"], "objectType": "USER",
                "url": "/api/admin/users/" + user_id}

    def view(self, node_id: str) -> Dict[str, Any]:
        node = self.nodes[node_id]
        kind = node["kind"]
        url = ("/api/folders/" if kind == "FOLDER" else "/api/scenarios/") + node_id
        if node["parent"] is None:
            parent = self._app_ref(node["app"])
        else:
            above = self.nodes[node["parent"]]
            parent = {"id": node["parent"], "name": above["name"], "objectType": "FOLDER",
                      "url": "/api/folders/" + node["parent"]}
        return {"id": node_id, "name": node["name"], "objectType": kind, "path": self.path(node_id),
                "shareStatus": node["share"], "owner": self._user_ref(node["owner"]), "parent": parent,
                "app": self._app_ref(node["app"]), "url": url}

    def _user_view(self, user_id: str) -> Dict[str, Any]:
        user = self.users[user_id]
        return {"id": user_id, "username": user["username"], "name": user["name"], "status": "ACTIVE",
                "objectType": "USER"}

    # -- server rules --------------------------------------------------------------------------------------------

    def _child(self, app: str, parent: Optional[str], name: str) -> Optional[str]:
        for node_id, node in self.nodes.items():
            if node["app"] == app and node["parent"] == parent and node["name"] == name:
                return node_id
        return None

    def _free_name(self, app: str, parent: Optional[str], name: str, moving: Optional[str] = None) -> str:
        candidate, number = name, 0
        while self._child(app, parent, candidate) not in (None, moving):
            number += 1
            candidate = "%s (%d)" % (name, number)
        return candidate

    def _below(self, node_id: str) -> List[str]:
        found = [nid for nid, node in self.nodes.items() if node["parent"] == node_id]
        for child in list(found):
            found.extend(self._below(child))
        return found

    def _folder(self, method: str, folder_id: str) -> Dict[str, Any]:
        node = self.nodes.get(folder_id)
        if node is None or node["kind"] != "FOLDER":
            raise InsightHTTPError(method, "/api/folders/" + folder_id, 404, "Not Found")
        return node

    def _scenario(self, method: str, scenario_id: str) -> Dict[str, Any]:
        node = self.nodes.get(scenario_id)
        if node is None or node["kind"] != "SCENARIO":
            raise InsightHTTPError(method, "/api/scenarios/" + scenario_id, 404, "Not Found", envelope={"error": {}})
        return node

    def _record(self, method: str, template: str) -> None:
        call = "%s %s" % (method, template)
        if method in WRITES and self.before_write is not None:
            self.before_write(call)
        self.calls.append(call)

    # -- InsightClientLike -----------------------------------------------------------------------------------------

    def get_item(self, template: str, *parts: Any, params: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        # The real client checks the item's shape; the fake's items are well formed.
        return dict(self.get(template, *parts, params=params))

    @_one_at_a_time
    def get(self, template: str, *parts: Any, params: Optional[Dict[str, Any]] = None, kind: str = "json") -> Any:
        self._record("GET", template)
        if template == "/api/authentication/current-user":
            return self._user_view(self.caller)
        if template == "/api/admin/users/{}":
            if parts[0] not in self.users:
                raise InsightHTTPError("GET", "/api/admin/users/" + parts[0], 404, "Not Found")
            return self._user_view(parts[0])
        if template == "/api/folders/{}":
            self._folder("GET", parts[0])
            return self.view(parts[0])
        if template == "/api/scenarios/{}":
            self._scenario("GET", parts[0])
            return self.view(parts[0])
        raise AssertionError("no such route in the fake: GET " + template)

    @_one_at_a_time
    def paged(self, template: str, *parts: Any, params: Optional[Dict[str, Any]] = None, page_size: int = 500,
              concurrent: int = 0, follow_shifts: bool = False) -> Iterator[Dict[str, Any]]:
        self._record("GET", template)
        if template == "/api/apps":
            items = [dict(self._app_ref(aid), path="/" + name) for aid, name in sorted(self.apps.items(), key=lambda a: a[1])]
        elif template == "/api/admin/users":
            items = [self._user_view(uid) for uid in self.users]
        elif template == "/api/apps/{}/children":
            items = [self.view(nid) for nid, node in self.nodes.items() if node["app"] == parts[0] and node["parent"] is None]
        elif template == "/api/folders/{}/children":
            self._folder("GET", parts[0])
            items = [self.view(nid) for nid, node in self.nodes.items() if node["parent"] == parts[0]]
        else:
            raise AssertionError("no such route in the fake: GET " + template)
        return iter(sorted(items, key=lambda item: str(item["name"]).lower()))

    @_one_at_a_time
    def post(self, template: str, *parts: Any, json_body: Any = None, params: Optional[Dict[str, Any]] = None) -> Any:
        self.pending_body = json_body  # what `before_write` may look at
        self._record("POST", template)
        if template == "/api/folders":
            parent = json_body["parent"]
            if parent["objectType"] == "APP":
                app, parent_id = parent["id"], None
            else:
                app, parent_id = self._folder("POST", parent["id"])["app"], parent["id"]
            node_id = self._new_id()
            self.nodes[node_id] = {"name": self._free_name(app, parent_id, json_body["name"]), "kind": "FOLDER",
                                   "app": app, "parent": parent_id, "share": "FULLACCESS", "owner": self.caller}
            return self.view(node_id)
        if template in ("/api/apps/{}/children", "/api/folders/{}/children"):
            if json_body.get("objectType") == "SCENARIO":
                node = self._scenario("POST", json_body["id"])
                if template.startswith("/api/folders/"):
                    self._folder("POST", parts[0])
            else:
                node = self._folder("POST", json_body["id"])
            parent_id = None if template.startswith("/api/apps/") else parts[0]
            if parent_id is not None and (parent_id == json_body["id"] or parent_id in self._below(json_body["id"])):
                raise InsightHTTPError("POST", template.format(*parts), 422, "Unprocessable Entity")
            node["name"] = self._free_name(node["app"], parent_id, node["name"], moving=json_body["id"])
            node["parent"] = parent_id
            return self.view(json_body["id"])
        raise AssertionError("no such route in the fake: POST " + template)

    @_one_at_a_time
    def patch(self, template: str, *parts: Any, json_body: Any = None, params: Optional[Dict[str, Any]] = None) -> Any:
        self._record("PATCH", template)
        assert template == "/api/folders/{}", template
        node = self._folder("PATCH", parts[0])
        params = params or {}
        if json_body.get("name") is not None:
            node["name"] = self._free_name(node["app"], node["parent"], json_body["name"], moving=parts[0])
        targets = [parts[0]]
        if json_body.get("shareStatus") is not None:
            node["share"] = json_body["shareStatus"]
            if json_body["shareStatus"] == "PRIVATE" and json_body.get("owner") is None:
                node["owner"] = self.caller
            if params.get("cascadeShareStatus"):
                for below in self._below(parts[0]):
                    self.nodes[below]["share"] = json_body["shareStatus"]
        if json_body.get("owner") is not None:
            node["owner"] = json_body["owner"]["id"]
            if params.get("cascadeOwner"):
                targets.extend(self._below(parts[0]))
                for below in targets:
                    self.nodes[below]["owner"] = json_body["owner"]["id"]
        return self.view(parts[0])

    @_one_at_a_time
    def delete(self, template: str, *parts: Any, params: Optional[Dict[str, Any]] = None) -> Any:
        self._record("DELETE", template)
        assert template == "/api/folders/{}", template
        self._folder("DELETE", parts[0])
        for node_id in [parts[0], *self._below(parts[0])]:
            del self.nodes[node_id]
        return None

    def download(self, template: str, *parts: Any) -> bytes:
        raise AssertionError("the folder engine downloads nothing: " + template)

    def call(self, method: str, template: str, *parts: Any, params: Optional[Dict[str, Any]] = None,
             json_body: Any = None, kind: str = "json", use_auth: bool = True) -> Answer:
        verbs: Dict[str, Callable[..., Any]] = {"POST": self.post, "PATCH": self.patch}
        if method in verbs:
            return Answer(verbs[method](template, *parts, json_body=json_body, params=params), 200, False)
        if method == "DELETE":
            return Answer(self.delete(template, *parts, params=params), 204, False)
        return Answer(self.get(template, *parts, params=params, kind=kind), 200, False)

    def post_or_recover(self, template: str, *parts: Any, json_body: Any,
                        recover: Callable[[], Optional[Any]]) -> Tuple[Any, bool]:
        """As InsightClient does it: when the answer is lost, ask `recover` before sending the POST again."""
        answer = self.post(template, *parts, json_body=json_body)
        if self.lose_answers:
            self.lose_answers -= 1
            found = recover()
            if found is None:
                raise InsightTransportError("the connection closed before the answer", "POST", template)
            return found, False
        return answer, True
