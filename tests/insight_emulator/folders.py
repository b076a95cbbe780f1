"""``/api/folders``: create, get, update, delete, list children, move a folder or scenario into a folder."""
from __future__ import annotations

from typing import Any, Dict, Optional

from insight_emulator.context import UUID_RE, Request, Response
from insight_emulator.errors import ApiError, forbidden, invalid, not_found
from insight_emulator.model import SHARE_STATUSES, Node, User
from insight_emulator.paging import make_page, page_params
from insight_emulator.store import check_name
from insight_emulator.views import node_view


def visible_node(req: Request, node_id: str, kind: Optional[str] = "FOLDER") -> Node:
    node = req.store.nodes.get(node_id)
    if node is None or (kind and node.kind != kind) or not req.store.visible(node, req.caller):
        raise not_found("folder" if kind == "FOLDER" else "document")
    return node


def require_authority(user: User, authority: str, node: Node) -> None:
    if authority not in user.authorities:
        raise forbidden("%s is required to change \"%s\"" % (authority, node.name))


def check_unlocked(store: Any, node: Node, action: str) -> None:
    """423 for an item with a queued or executing job on a scenario at or below it."""
    busy = store.busy_scenario(node)
    if busy is not None:
        raise ApiError(423, "Cannot %s \"%s\": the scenario \"%s\" has a queued or executing job"
                       % (action, node.name, busy.name))


def children_page(req: Request, container: str) -> Response:
    store = req.store
    page, size = page_params(req.query, store.config)
    user = req.caller
    items = [store.nodes[i] for i in store.children.get(container, {})]
    # Visibility of the container is already established, so only each child's own share status matters.
    items = [n for n in items if n.share_status != "PRIVATE" or n.owner_id == user.id]
    items.sort(key=lambda n: (n.name.casefold(), n.name, n.id))
    return Response(200, make_page(items, page, size, True, lambda n: node_view(store, n), store.config))


def _reference(body: Dict[str, Any], key: str) -> Dict[str, Any]:
    ref = body.get(key)
    if not isinstance(ref, dict) or not isinstance(ref.get("id"), str) or not UUID_RE.match(ref["id"]):
        raise invalid(key, "The %s must be a reference with a UUID id and an objectType" % key)
    return ref


def create(req: Request) -> Response:
    user = req.require_full()
    body = req.json_object()
    store = req.store
    name = check_name(body.get("name"))
    parent = _reference(body, "parent")
    parent_id, kind = parent["id"].lower(), parent.get("objectType")
    if kind == "APP":
        app = store.apps.get(parent_id)
        if app is None:
            raise invalid("parent", "The app %s does not exist" % parent_id)
        app_id, folder_id = app.id, None
    elif kind == "FOLDER":
        folder = store.nodes.get(parent_id)
        if folder is None or folder.kind != "FOLDER" or not store.visible(folder, user):
            raise invalid("parent", "The parent folder %s does not exist" % parent_id)
        if not store.writable(folder, user):
            raise forbidden("The current user is not authorized to create a folder in \"%s\"" % folder.name)
        app_id, folder_id = folder.app_id, folder.id
    else:
        raise invalid("parent", "The parent objectType must be APP or FOLDER")
    app_ref = body.get("app")
    if isinstance(app_ref, dict) and app_ref.get("id") and str(app_ref["id"]).lower() != app_id:
        raise invalid("app", "The app must be the same as the parent's app")
    node = Node(store.new_id("folder"), "FOLDER", "", app_id, folder_id, user.id, "FULLACCESS", store.clock.now())
    node.name = store.unique_name(node.container, name)
    store.add_node(node)
    location = "%s/api/folders/%s" % (req.base_url, node.id)
    return Response(201, node_view(store, node), headers={"Location": location})


def get(req: Request) -> Response:
    return Response(200, node_view(req.store, visible_node(req, req.uuid("id"))))


def delete(req: Request) -> Response:
    user = req.require_full()
    node = visible_node(req, req.uuid("id"))
    if not req.store.writable(node, user):
        raise forbidden("The current user was not authorized to delete \"%s\"" % node.name)
    require_authority(user, "FOLDER_DELETE", node)
    check_unlocked(req.store, node, "delete")
    req.store.remove_node(node)
    return Response(204)


def update(req: Request) -> Response:
    user = req.require_full()
    folder_id = req.uuid("id")
    cascade_owner = req.flag("cascadeOwner")
    cascade_share = req.flag("cascadeShareStatus")
    body = req.json_object()
    store = req.store
    node = visible_node(req, folder_id)
    if not store.writable(node, user):
        raise forbidden("The current user was not authorized to update \"%s\"" % node.name)
    name = body.get("name")
    if name is not None:
        check_name(name)
    share = body.get("shareStatus")
    if share is not None and share not in SHARE_STATUSES:
        raise invalid("shareStatus", "shareStatus must be one of %s" % ", ".join(SHARE_STATUSES))
    owner_id: Optional[str] = None
    if body.get("owner") is not None:
        owner = body["owner"]
        if not isinstance(owner, dict) or owner.get("objectType", "USER") != "USER" or not isinstance(owner.get("id"), str):
            raise invalid("owner", "The owner must be a USER reference")
        owner_id = owner["id"].lower()
        if owner_id not in store.users:
            raise invalid("owner", "The user %s does not exist" % owner["id"])
    if name is not None and name != node.name:
        require_authority(user, "FOLDER_EDIT", node)
    if share is not None and share != node.share_status:
        require_authority(user, "FOLDER_SHARE", node)
    if owner_id is not None and owner_id != node.owner_id:
        require_authority(user, "FOLDER_OWNER", node)
    if share == "PRIVATE" and owner_id is None:
        owner_id = user.id  # so the caller keeps access to the folder it made private
    if name is not None and name != node.name:
        node.name = store.unique_name(node.container, name, exclude=node.id)
    if share is not None:
        node.share_status = share
    if owner_id is not None:
        node.owner_id = owner_id
    if cascade_owner or cascade_share:
        for item in store.descendants(node):
            if cascade_owner:
                item.owner_id = node.owner_id
            if cascade_share:
                item.share_status = node.share_status
    return Response(200, node_view(store, node))


def children(req: Request) -> Response:
    node = visible_node(req, req.uuid("id"))
    return children_page(req, node.id)


def move_item(req: Request, app_id: str, destination: Optional[Node]) -> Response:
    """Move the folder or scenario named in the body under ``destination`` (None: the app root)."""
    user = req.caller
    store = req.store
    body = req.json_object()
    kind = body.get("objectType")
    if kind not in ("FOLDER", "SCENARIO"):
        raise invalid("objectType", "Only a FOLDER or a SCENARIO can be moved")
    item_id = body.get("id")
    if not isinstance(item_id, str) or not UUID_RE.match(item_id):
        raise invalid("id", "The id must be a UUID")
    item = store.nodes.get(item_id.lower())
    if item is None or item.kind != kind or not store.visible(item, user):
        raise not_found(kind.lower())
    if item.app_id != app_id:
        raise invalid("id", "\"%s\" belongs to another app" % item.name)
    if destination is not None:
        if item.kind == "FOLDER" and any(a.id == item.id for a in store.ancestors(destination)):
            raise invalid("id", "A folder cannot be moved into itself or its own subfolders")
        if not store.writable(destination, user):
            raise forbidden("The current user is not authorized to move items into \"%s\"" % destination.name)
    if not store.writable(item, user):
        raise forbidden("The current user is not authorized to move \"%s\"" % item.name)
    new_parent = destination.id if destination is not None else None
    if item.parent_id != new_parent:
        check_unlocked(store, item, "move")
        store.move_node(item, new_parent)
    return Response(200, node_view(store, item))


def move(req: Request) -> Response:
    req.require_full()
    destination = visible_node(req, req.uuid("id"))
    return move_item(req, destination.app_id, destination)
