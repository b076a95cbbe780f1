"""``/api/apps``: list and get apps, the app root's children, moving an item to the app root."""
from __future__ import annotations

from insight_emulator.context import Request, Response
from insight_emulator.errors import not_found
from insight_emulator.folders import children_page, move_item
from insight_emulator.model import App
from insight_emulator.paging import make_page, page_params
from insight_emulator.views import app_view


def _app(req: Request) -> App:
    app = req.store.apps.get(req.uuid("id"))
    if app is None:
        raise not_found("app")
    return app


def list_apps(req: Request) -> Response:
    page, size = page_params(req.query, req.store.config)
    apps = sorted(req.store.apps.values(), key=lambda a: (a.name.casefold(), a.id))
    return Response(200, make_page(apps, page, size, True, app_view, req.store.config))


def get_app(req: Request) -> Response:
    return Response(200, app_view(_app(req)))


def children(req: Request) -> Response:
    return children_page(req, _app(req).id)


def move_to_root(req: Request) -> Response:
    req.require_full()
    return move_item(req, _app(req).id, None)
