"""``GET /api/repository?path=/App/Folder/...``: the app, folder or scenario at a repository path."""
from __future__ import annotations

from insight_emulator.context import Request, Response
from insight_emulator.errors import bad_request, not_found
from insight_emulator.model import App
from insight_emulator.views import app_view, node_view


def lookup(req: Request) -> Response:
    path = req.query.get("path")
    if not path:
        raise bad_request("path", "Parameter path is required")
    found = req.store.lookup_path(path)
    if isinstance(found, App):
        return Response(200, app_view(found))
    if found is None or not req.store.visible(found, req.caller):
        raise not_found("item at path \"%s\"" % path)
    return Response(200, node_view(req.store, found))
