"""Paging: the page object, the server's size cap, and 400 for bad page or size."""
from __future__ import annotations

import pytest

from conftest import assert_error

PAGE_KEYS = {"content", "first", "last", "number", "numberOfElements", "size", "sort", "totalElements", "totalPages"}


def test_pages_walk_a_large_folder(api, insight):
    insight.reset("demo", generate={"folders": {"app": "Portfolio", "parent": "/Portfolio/Shared", "breadth": 23, "depth": 1}})
    alice = api("alice")
    shared = alice.lookup("/Portfolio/Shared")
    names = []
    for number in range(3):
        page = alice.get(shared["url"] + "/children", params={"page": number, "size": 10}).json()
        assert set(page) == PAGE_KEYS
        assert page["number"] == number and page["size"] == 10
        assert page["totalElements"] == 23 and page["totalPages"] == 3
        assert page["first"] is (number == 0)
        assert page["last"] is (number == 2)
        assert page["numberOfElements"] == len(page["content"]) == (3 if number == 2 else 10)
        names += [item["name"] for item in page["content"]]
    assert names == sorted(names, key=str.casefold) and len(set(names)) == 23
    beyond = alice.get(shared["url"] + "/children", params={"page": 5, "size": 10}).json()
    assert beyond["content"] == [] and beyond["last"] is True and beyond["first"] is False


def test_the_server_caps_the_size(api, insight):
    insight.config(page_size_cap=5)
    alice = api("alice")
    page = alice.get("/api/jobs", params={"size": 50, "includeFinished": "true"}).json()
    assert page["size"] == 5
    assert page["numberOfElements"] == 5
    assert page["totalPages"] == -(-page["totalElements"] // 5)
    assert page["last"] is False


def test_default_page(api):
    page = api("alice").get("/api/admin/users").json()
    assert page["number"] == 0 and page["size"] == 20 and page["first"] and page["last"]
    assert page["totalElements"] == 3 and page["totalPages"] == 1


def test_empty_page(api, insight):
    insight.reset("empty")
    page = api("alice").get("/api/apps").json()
    assert page["content"] == [] and page["totalElements"] == 0 and page["totalPages"] == 0
    assert page["first"] is True and page["last"] is True
    assert page["sort"]["empty"] is True


@pytest.mark.parametrize("params, target", [
    ({"page": -1}, "page"), ({"size": 0}, "size"), ({"size": -3}, "size"), ({"size": "ten"}, "size"),
    ({"page": "1.5"}, "page"), ({"page": ""}, "page"),
])
def test_bad_page_parameters_are_400(api, params, target):
    alice = api("alice")
    for path in ("/api/jobs", "/api/apps", "/api/admin/users"):
        assert_error(alice.get(path, params=params), 400, "FICO-Platform-Validation-InvalidValue", target)
