"""``/api/admin/users``: the seeded users, paged."""
from __future__ import annotations

from insight_emulator.context import Request, Response
from insight_emulator.errors import not_found
from insight_emulator.paging import make_page, page_params
from insight_emulator.views import user_view


def list_users(req: Request) -> Response:
    page, size = page_params(req.query, req.store.config)
    users = sorted(req.store.users.values(), key=lambda u: (u.username.casefold(), u.id))
    return Response(200, make_page(users, page, size, True, user_view, req.store.config))


def get_user(req: Request) -> Response:
    user = req.store.users.get(req.uuid("id"))
    if user is None:
        raise not_found("user")
    return Response(200, user_view(user))
