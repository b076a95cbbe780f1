# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_folder with `parallel`: reads and creates at the same time give what one call after another gives, and a
failed create stops its parent's later folders as a serial run would."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Tuple

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightConfigError, InsightError, InsightHTTPError
from ansible_collections.xpress.insight.plugins.module_utils._run_folder import SPEC, folder_settings, run_folder
from ansible_collections.xpress.insight.plugins.module_utils._run_folder_tree import run_tree, tree_settings
from ansible_collections.xpress.insight.plugins.module_utils._folders import Repository
from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.fake_insight import FakeInsight
from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.spec_params import spec_params

REPORTED = ("changed", "created", "updated", "moved", "deleted", "diff")
# A server some way off: the pool only grows while its threads wait.
LATENCY = 0.003


def seeded() -> FakeInsight:
    fake = FakeInsight(apps=("Logistics",))
    fake.latency = LATENCY
    fake.add("/Logistics/Plan/North/Q1")
    fake.add("/Logistics/Plan/South")
    fake.add("/Logistics/Plan/East/Old")
    fake.add("/Logistics/Plan/East/Base", kind="SCENARIO")
    return fake


def path_list() -> List[str]:
    return ["/Logistics/Plan/%s/Q%d/%s" % (region, quarter, week)
            for region in ("North", "South", "East", "West") for quarter in (1, 2, 3) for week in ("W1", "W2")]


def tree_nodes() -> List[Dict[str, Any]]:
    return [{"name": region, "children": [{"name": "Q%d" % quarter, "children": [{"name": "W1"}, {"name": "W2"}]}
                                          for quarter in (1, 2, 3)]}
            for region in ("North", "South", "East", "West")]


def run_paths(fake: FakeInsight, parallel: int, check: bool = False) -> Dict[str, Any]:
    settings = folder_settings(spec_params(SPEC, path=path_list(), parallel=parallel))
    return run_folder(Repository(fake, lambda _text: None), settings, check, fake.base_url)


def run_tree_on(fake: FakeInsight, parallel: int, check: bool = False, **given: Any) -> Dict[str, Any]:
    params = spec_params(SPEC, path="/Logistics/Plan", tree=tree_nodes(), parallel=parallel, **given)
    return run_tree(Repository(fake, lambda _text: None), tree_settings(params), check, fake.base_url)


def calls_of(run: Callable[[FakeInsight], Dict[str, Any]]) -> Tuple[Dict[str, Any], List[str], List[str]]:
    fake = seeded()
    result = run(fake)
    return result, sorted(fake.calls), fake.paths()


@pytest.mark.parametrize("parallel", [0, 33, -1])
def test_parallel_out_of_range_is_refused_naming_the_option(parallel: int) -> None:
    for check in (lambda: folder_settings(spec_params(SPEC, path="/Logistics/A", parallel=parallel)),
                  lambda: tree_settings(spec_params(SPEC, path="/Logistics", tree=[{"name": "A"}], parallel=parallel))):
        with pytest.raises(InsightConfigError) as info:
            check()
        assert str(info.value) == "parallel: must be between 1 and 32, got %d" % parallel


def test_path_list_in_parallel_equals_one_at_a_time() -> None:
    serial, serial_calls, serial_paths = calls_of(lambda fake: run_paths(fake, 1))
    concurrent, concurrent_calls, concurrent_paths = calls_of(lambda fake: run_paths(fake, 8))
    assert len(serial["created"]) == 4 * 3 * 2 + 11 + 1  # the weeks, the missing quarters, West
    assert {key: concurrent[key] for key in REPORTED} == {key: serial[key] for key in REPORTED}
    assert [f["path"] for f in concurrent["folders"]] == [f["path"] for f in serial["folders"]]
    assert concurrent_calls == serial_calls and concurrent_paths == serial_paths
    # Check mode plans what either real run did.
    planned = run_paths(seeded(), 8, check=True)
    assert {key: planned[key] for key in REPORTED} == {key: serial[key] for key in REPORTED}


@pytest.mark.parametrize("prune", [False, True])
def test_tree_in_parallel_equals_one_at_a_time(prune: bool) -> None:
    given = dict(prune=True, force=True, max_deletions=0) if prune else {}
    serial, serial_calls, serial_paths = calls_of(lambda fake: run_tree_on(fake, 1, **given))
    concurrent, concurrent_calls, concurrent_paths = calls_of(lambda fake: run_tree_on(fake, 8, **given))
    assert serial["counts"]["created"] == 4 * 3 * 2 + 11 + 1  # the weeks, the missing quarters, West
    assert concurrent == serial
    assert concurrent_calls == serial_calls and concurrent_paths == serial_paths
    planned = run_tree_on(seeded(), 8, check=True, **given)
    assert planned == serial
    # Converged: one listing per existing folder that has declared children (and, with prune, every folder).
    fake = seeded()
    run_tree_on(fake, 8, **given)
    fake.calls.clear()
    again = run_tree_on(fake, 8, **given)
    assert again["changed"] is False and fake.writes() == []
    assert fake.count("GET /api/folders/{}/children") == (1 + 4 + 12 + 24 if prune else 1 + 4 + 12)


def refuse(fake: FakeInsight, doomed: str) -> Callable[[str], None]:
    """Refuse the create of the folder `doomed` (a parent path and a name), as a server error would."""
    parent_path, name = doomed.rsplit("/", 1)

    def act(call: str) -> None:
        body = fake.pending_body or {}
        if call == "POST /api/folders" and body.get("name") == name:
            parent = fake.find(parent_path)
            if parent is not None and body["parent"]["id"] == parent["id"]:
                raise InsightHTTPError("POST", "/api/folders", 500, "Internal Server Error")
    return act


@pytest.mark.parametrize("parallel", [1, 8])
def test_a_failed_create_stops_its_parent_and_keeps_what_was_made(parallel: int) -> None:
    fake = FakeInsight(apps=("Logistics",))
    fake.latency = LATENCY
    fake.add("/Logistics/Plan")
    fake.before_write = refuse(fake, "/Logistics/Plan/South/Q2")
    with pytest.raises(InsightError) as info:
        run_tree_on(fake, parallel)
    assert str(info.value).startswith("POST /api/folders: 500"), str(info.value)
    made = fake.paths()
    # The regions come first (one parent, one at a time); then North's quarters, which the pool takes before South's.
    assert {"/Logistics/Plan/%s" % region for region in ("North", "South", "East", "West")} <= set(made)
    assert {"/Logistics/Plan/North/Q%d" % quarter for quarter in (1, 2, 3)} <= set(made)
    # South stops at the refused folder: its first quarter stays, nothing after it was started.
    assert "/Logistics/Plan/South/Q1" in made
    assert "/Logistics/Plan/South/Q3" not in made
    # No folder of the next depth is started once a create failed.
    assert not [path for path in made if path.count("/") > 4]


@pytest.mark.parametrize("parallel", [1, 8])
def test_a_failed_listing_read_ahead_fails_where_the_walk_reads_it(parallel: int) -> None:
    fake = seeded()
    south = (fake.find("/Logistics/Plan/South") or {})["id"]
    listing = fake.paged

    def paged(template: str, *parts: Any, **kwargs: Any) -> Any:
        if parts and parts[0] == south:
            fake.calls.append("GET " + template)
            raise InsightHTTPError("GET", "/api/folders/%s/children" % south, 500, "Internal Server Error")
        return listing(template, *parts, **kwargs)

    fake.paged = paged  # type: ignore[method-assign]
    with pytest.raises(InsightError) as info:
        run_tree_on(fake, parallel)
    assert str(info.value).startswith("GET /api/folders/%s/children: 500" % south), str(info.value)
    assert fake.writes() == []
    # One at a time: Plan, North, North/Q1, then South fails. Read ahead, East (same depth as South) is read too, as
    # the walk could not know South would fail; nothing deeper than the failure is read ahead.
    assert fake.count("GET /api/folders/{}/children") == (4 if parallel == 1 else 5)
