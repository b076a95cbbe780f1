"""``GET /api/scenarios/{id}``: one scenario by id (the resource every Scenario's ``url`` names)."""
from __future__ import annotations

from insight_emulator.context import Request, Response
from insight_emulator.folders import visible_node
from insight_emulator.views import node_view


def get(req: Request) -> Response:
    # Unknown, not a scenario, or inside another user's PRIVATE item: the same 404 as for folders.
    return Response(200, node_view(req.store, visible_node(req, req.uuid("id"), "SCENARIO")))
