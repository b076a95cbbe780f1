# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.xpress.insight.plugins.module_utils._media import (
    ACCEPT, BINARY, JSON, TEXT, describe_not_a_file, is_kind)


def test_token_calls_and_downloads_also_accept_json_so_errors_come_as_envelopes():
    assert ACCEPT["json"] == JSON
    assert [part.strip() for part in ACCEPT["text"].split(",")] == [TEXT, JSON]
    assert [part.strip() for part in ACCEPT["binary"].split(",")] == [BINARY, JSON]


def test_loose_matching():
    assert is_kind("application/vnd.com.fico.xpress.insight.v2+json;charset=UTF-8", "json")
    assert is_kind("text/plain", "text") and not is_kind("text/html", "text")
    assert is_kind("application/octet-stream", "binary")


def test_what_a_download_of_another_type_likely_is():
    assert describe_not_a_file("text/html; charset=UTF-8") == "text/html; charset=UTF-8 (a sign-in page of a gateway or proxy?)"
    assert describe_not_a_file("application/xhtml+xml").endswith("(a sign-in page of a gateway or proxy?)")
    assert describe_not_a_file(JSON).endswith("(a JSON document, not a file: a proxy's answer, or the wrong route?)")
    assert describe_not_a_file("text/plain").endswith("(a text page of a gateway or proxy?)")
    assert describe_not_a_file("image/png") == "image/png (not a file type Insight sends)"
    assert describe_not_a_file("") == describe_not_a_file("  ") == "no content type (Insight names every file %s)" % BINARY
    assert len(describe_not_a_file("x/" + "y" * 500)) < 150
