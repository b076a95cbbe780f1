# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.xpress.insight.plugins.module_utils._media import ACCEPT, BINARY, JSON, TEXT, is_kind


def test_token_calls_and_downloads_also_accept_json_so_errors_come_as_envelopes():
    assert ACCEPT["json"] == JSON
    assert [part.strip() for part in ACCEPT["text"].split(",")] == [TEXT, JSON]
    assert [part.strip() for part in ACCEPT["binary"].split(",")] == [BINARY, JSON]


def test_loose_matching():
    assert is_kind("application/vnd.com.fico.xpress.insight.v2+json;charset=UTF-8", "json")
    assert is_kind("text/plain", "text") and not is_kind("text/html", "text")
    assert is_kind("application/octet-stream", "binary")
