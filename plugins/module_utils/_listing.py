# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One consistent pass over a paged listing that may shift while it is read: the job listings and the folder
children listings all read through here."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from ._client_protocol import InsightClientLike
from ._errors import InsightTransportError, ListingUnsettled

# How many times a listing pass is read again when the listing changed under it faster than it could follow.
LISTING_PASSES = 3

Keep = Callable[[Dict[str, Any]], Optional[Any]]


def read_pass(client: InsightClientLike, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None,
              concurrent: int = 0, keep: Optional[Keep] = None) -> Tuple[List[Any], bool]:
    """One paging pass that follows shifts (`paged(follow_shifts=True)`), and whether it completed. `keep` maps
    each item to what the caller holds of it (None: nothing), as the pages are read."""
    items: List[Any] = []
    try:
        for item in client.paged(template, *parts, params=params, concurrent=concurrent, follow_shifts=True):
            kept = keep(item) if keep is not None else item
            if kept is not None:
                items.append(kept)
    except ListingUnsettled:
        return items, False
    return items, True


def settled_listing(client: InsightClientLike, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None,
                    concurrent: int = 0, keep: Optional[Keep] = None, unsettled: str = "",
                    route: str = "") -> List[Any]:
    """Every item of one complete pass (see InsightClient.paged for what following shifts finds), read again up to
    LISTING_PASSES times; after that it fails with `unsettled` (one line) rather than hand out a partial list."""
    for _pass in range(LISTING_PASSES):
        items, complete = read_pass(client, template, *parts, params=params, concurrent=concurrent, keep=keep)
        if complete:
            return items
    where = route or template.replace("{}", "%s") % tuple(parts)
    raise InsightTransportError(unsettled or ("the listing %s kept changing while it was read (%d passes, items "
                                              "moving or leaving between pages faster than re-reading could follow); "
                                              "nothing was done with a partial list: run it again"
                                              % (where, LISTING_PASSES)), "GET", where)
