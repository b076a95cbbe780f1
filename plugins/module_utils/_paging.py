# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a paged listing whole: the page walk, the shifts it follows, and the checks of each page and item."""

from __future__ import annotations

import collections
import itertools
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Iterator, Optional, Set, Tuple

from ._errors import InsightTransportError, ListingUnsettled

DEFAULT_PAGE_SIZE = 500
MAX_PAGES = 100000
# One listing: 200,000 items is far beyond any real app's folders or live jobs (and as host count, beyond what an
# inventory can sensibly present), and at a few KB per item stays below 256 MB of pages read in total.
MAX_LISTING_ITEMS = 200000
MAX_LISTING_BYTES = 256 * 1024 * 1024

# One page read: the checked page and the bytes its answer took. Given the page number and size.
Fetch = Callable[[int, int], Tuple[Dict[str, Any], int]]
# The new items of a page read (see paged): page number, what fetch returned, whether read in order.
Fresh = Callable[[int, Tuple[Dict[str, Any], int], bool], Iterator[Dict[str, Any]]]


def paged(get: Callable[[int, int], Tuple[Any, int]], route: str, page_size: int = DEFAULT_PAGE_SIZE,
          concurrent: int = 0, on_page: Optional[Callable[[Dict[str, Any]], None]] = None,
          max_items: int = MAX_LISTING_ITEMS, max_bytes: int = MAX_LISTING_BYTES,
          follow_shifts: bool = False) -> Iterator[Dict[str, Any]]:
    """Yield every item of the listing at `route` (for messages), whose page `number` of `size` items
    `get(number, size)` reads, returning the body and its size in bytes. See InsightClient.paged."""
    seen = set()
    taken = {"items": 0, "bytes": 0}

    def fetch(number: int, size: int) -> Tuple[Dict[str, Any], int]:
        body, length = get(number, size)
        return check_page(body, route), length

    def fresh(number: int, fetched: Tuple[Dict[str, Any], int], serial: bool = True) -> Iterator[Dict[str, Any]]:
        page, size = fetched
        taken["bytes"] += size
        if taken["bytes"] > max_bytes:
            raise InsightTransportError("the listing is larger than %d bytes; stopped" % max_bytes, "GET", route)
        if on_page is not None:
            on_page(page)
        # Listings can shift while we page through them; never hand out the same item twice.
        items = []
        for item in page["content"]:
            key = item.get("id")
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            items.append(item)
        # Read in order, a page of only known items means the server is not advancing (on a shifting list
        # that takes a page's worth of new jobs between two reads). Pages read in parallel can legitimately
        # repeat items that moved, and their number is fixed by the first page, so they cannot loop.
        if serial and number > 0 and page["content"] and not items:
            raise InsightTransportError("page %d brought no new item; the listing does not advance, stopped"
                                        % number, "GET", route)
        taken["items"] += len(items)
        if taken["items"] > max_items:
            raise InsightTransportError("the listing has more than %d items; stopped" % max_items, "GET", route)
        yield from items

    first = fetch(0, page_size)
    yield from fresh(0, first)
    page0 = first[0]
    if _is_last(page0, 0):
        return
    total = _int_or_none(page0.get("totalElements"))
    if total is not None and total > max_items:
        raise InsightTransportError("the listing has %d items, more than %d; stopped" % (total, max_items),
                                    "GET", route)
    served = _int_or_none(page0.get("size"))
    # A page size larger than asked is ignored: a server cannot make us hold more per answer than we chose.
    size = min(served, page_size) if served is not None and served > 0 else max(min(len(page0["content"]), page_size), 1)
    total_pages = _int_or_none(page0.get("totalPages"))
    # In parallel only when the announced pages fit the item cap; otherwise the serial loop meets the caps.
    if concurrent > 1 and total_pages is not None and 1 < total_pages <= MAX_PAGES and (total_pages - 1) * size <= max_items:
        numbers = range(1, total_pages)
        totals: Set[Optional[int]] = {total}
        with ThreadPoolExecutor(max_workers=min(concurrent, len(numbers))) as pool:
            # At most `concurrent` pages in flight or waiting to be read: the pages of a long listing are never
            # all held at once, whatever the pace of the caller.
            later = iter(numbers)
            ahead = collections.deque((n, pool.submit(fetch, n, size)) for n in itertools.islice(later, concurrent))
            while ahead:
                number, future = ahead.popleft()
                fetched = future.result()
                following = next(later, None)
                if following is not None:
                    ahead.append((following, pool.submit(fetch, following, size)))
                totals.add(_int_or_none(fetched[0].get("totalElements")))
                yield from fresh(number, fetched, serial=False)
        if not follow_shifts or len(totals) == 1:
            return
        # The list changed while the pages were read at once: a serial pass that follows the shifts settles it.
        yield from _follow(fetch, fresh, 0, size, None, route, check_new=False)
        return
    if follow_shifts:
        yield from _follow(fetch, fresh, 1, size, total, route)
        return
    for number in range(1, MAX_PAGES):
        fetched = fetch(number, size)
        if not fetched[0]["content"]:
            if on_page is not None:
                on_page(fetched[0])
            return
        yield from fresh(number, fetched)
        if _is_last(fetched[0], number):
            return
    raise InsightTransportError("more than %d pages; stopped" % MAX_PAGES, "GET", route)


def _follow(fetch: Fetch, fresh: Fresh, start: int, size: int, last_total: Optional[int], route: str,
            check_new: bool = True) -> Iterator[Dict[str, Any]]:
    """Read pages `start`, `start`+1, ... in order; after a drop of the total, read again the pages below that
    the moved items can now be on (see `paged`). Re-reads are bounded by the pages read plus a few."""
    rereads = 0
    number = start
    while number < MAX_PAGES:
        fetched = fetch(number, size)
        page = fetched[0]
        total = _int_or_none(page.get("totalElements"))
        # How many items may have moved below this page since the previous read.
        pending = last_total - total if total is not None and last_total is not None and total < last_total else 0
        if page["content"]:
            # Right after a drop, a page of only known items is expected: they were read on the page before.
            # A pass that checks pages already read at once brings mostly known items by design.
            yield from fresh(number, fetched, check_new and not pending)
        if total is not None:
            last_total = total
        back = number
        while pending > 0 and back > 0:
            back -= 1
            rereads += 1
            if rereads > number + 4:
                raise ListingUnsettled("the listing kept changing while it was read (items left it faster than "
                                       "%d extra page reads could follow)" % (rereads - 1), "GET", route)
            again = fetch(back, size)
            yield from fresh(back, again, False)
            again_total = _int_or_none(again[0].get("totalElements"))
            if again_total is not None and last_total is not None and again_total < last_total:
                pending += last_total - again_total  # more left while we stepped back: step further
                last_total = again_total
            pending -= size
        if not page["content"] or _is_last(page, number):
            return
        number += 1
    raise InsightTransportError("more than %d pages; stopped" % MAX_PAGES, "GET", route)


def check_page(page: Any, route: str) -> Dict[str, Any]:
    """A page must be an object whose `content` is a list of well-formed items."""
    if not isinstance(page, dict) or not isinstance(page.get("content"), list):
        raise _unexpected("not a page object with a content list", route)
    for item in page["content"]:
        check_item(item, route)
    return page


def check_item(item: Any, route: str, method: str = "GET") -> Dict[str, Any]:
    """An item (job, folder, app, user) must be an object; its `id` and `status`, when present, strings."""
    if not isinstance(item, dict):
        raise _unexpected("an item is %s, not an object" % _type_name(item), route, method)
    for field in ("id", "status"):
        if field in item and not isinstance(item[field], str):
            raise _unexpected("%s is %s, not a string" % (field, _type_name(item[field])), route, method)
    return item


def _unexpected(what: str, route: str, method: str = "GET") -> InsightTransportError:
    return InsightTransportError("unexpected answer from the server: %s (%s %s)" % (what, method, route.split("?")[0]),
                                 method, route)


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _int_or_none(value: Any) -> Optional[int]:
    """A count from the server's page object, or None when it sent none (or something that is not an integer)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _is_last(page: Dict[str, Any], number: int) -> bool:
    if not page["content"]:
        return True
    if isinstance(page.get("last"), bool):
        return bool(page["last"])
    total = page.get("totalPages")
    return not isinstance(total, int) or number + 1 >= total
