# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one listing pass shared by job and folder listings: shifts followed, a listing that never settles fails."""

from __future__ import annotations

from typing import Any, Dict, Iterator

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightTransportError, ListingUnsettled
from ansible_collections.xpress.insight.plugins.module_utils._folders import Repository
from ansible_collections.xpress.insight.plugins.module_utils._listing import LISTING_PASSES


class UnsettledChildren:
    """A folder listing that changes faster than re-reading can follow for the first `unsettled` passes."""

    def __init__(self, unsettled: int) -> None:
        self.unsettled = unsettled
        self.passes = 0

    def paged(self, template: str, *parts: Any, follow_shifts: bool = False, **_kw: Any) -> Iterator[Dict[str, Any]]:
        assert template == "/api/folders/{}/children" and follow_shifts, "folder listings must follow shifts"
        self.passes += 1
        yield {"id": "c1", "name": "A", "objectType": "FOLDER"}
        if self.passes <= self.unsettled:
            raise ListingUnsettled("the listing kept changing while it was read", "GET", template)
        yield {"id": "c2", "name": "B", "objectType": "SCENARIO"}


FOLDER = {"id": "f1", "name": "Old", "objectType": "FOLDER", "path": "/Plant/Old"}


def test_a_folder_listing_is_read_again_until_one_pass_is_consistent() -> None:
    client = UnsettledChildren(unsettled=LISTING_PASSES - 1)
    children = Repository(client, lambda _text: None).children(FOLDER)  # type: ignore[arg-type]
    assert [c["id"] for c in children] == ["c1", "c2"] and client.passes == LISTING_PASSES


def test_a_folder_listing_that_never_settles_fails_in_one_line_and_returns_nothing() -> None:
    client = UnsettledChildren(unsettled=LISTING_PASSES)
    with pytest.raises(InsightTransportError) as failed:
        Repository(client, lambda _text: None).children(FOLDER)  # type: ignore[arg-type]
    line = failed.value.to_line()
    assert "/api/folders/f1/children kept changing while it was read (3 passes" in line and "\n" not in line
    assert "nothing was done with a partial list" in line
