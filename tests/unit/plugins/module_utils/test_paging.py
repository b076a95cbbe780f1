# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from typing import Any, List, Tuple

import pytest

from ansible_collections.xpress.insight.plugins.module_utils import _paging
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightTransportError


class Listing:
    """A listing of `count` items served `cap` at most per page; records the (page, size) asked for."""

    def __init__(self, count: int, cap: int = 1000) -> None:
        self.items = [{"id": "item-%d" % n} for n in range(count)]
        self.cap = cap
        self.asked: List[Tuple[int, int]] = []

    def get(self, number: int, size: int) -> Tuple[Any, int]:
        self.asked.append((number, size))
        size = min(size, self.cap)
        content = self.items[number * size:(number + 1) * size]
        pages = -(-len(self.items) // size)
        return {"content": content, "totalElements": len(self.items), "totalPages": pages, "size": size}, 100


def test_every_item_is_read_once_at_the_size_the_server_serves():
    listing = Listing(7, cap=3)
    items = list(_paging.paged(listing.get, "/api/jobs", page_size=5))
    assert [item["id"] for item in items] == ["item-%d" % n for n in range(7)]
    assert listing.asked == [(0, 5), (1, 3), (2, 3)]


def test_pages_after_the_first_can_be_read_in_parallel():
    listing = Listing(10, cap=2)
    items = list(_paging.paged(listing.get, "/api/jobs", page_size=2, concurrent=3))
    assert sorted(item["id"] for item in items) == sorted("item-%d" % n for n in range(10))
    assert sorted(listing.asked) == [(n, 2) for n in range(5)]


def test_a_server_that_repeats_its_page_is_stopped():
    def same(number: int, size: int) -> Tuple[Any, int]:
        return {"content": [{"id": "a"}, {"id": "b"}], "last": False}, 10

    with pytest.raises(InsightTransportError, match="page 1 brought no new item"):
        list(_paging.paged(same, "/api/jobs", page_size=2))


def test_the_caps_stop_a_listing_too_large():
    with pytest.raises(InsightTransportError, match="has 7 items, more than 5"):
        list(_paging.paged(Listing(7, cap=3).get, "/api/jobs", max_items=5))
    with pytest.raises(InsightTransportError, match="larger than 150 bytes"):
        list(_paging.paged(Listing(7, cap=3).get, "/api/jobs", max_bytes=150))


@pytest.mark.parametrize("page, what", [
    ([], "not a page object with a content list"),
    ({"content": [1]}, "an item is a number, not an object"),
    ({"content": [{"id": 7}]}, "id is a number, not a string"),
    ({"content": [{"status": None}]}, "status is null, not a string"),
])
def test_a_malformed_page_is_one_clear_line(page, what):
    with pytest.raises(InsightTransportError) as info:
        _paging.check_page(page, "/api/jobs?page=0")
    assert info.value.to_line() == "GET /api/jobs?page=0: unexpected answer from the server: %s (GET /api/jobs)" % what
