# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightHTTPError, js_unescape, snippet

ENVELOPE = {
    "error": {
        "code": "FICO-Platform-Http-422",
        "desc": "Unprocessable Entity",
        "message": "Unprocessable Entity",
        "innerError": {
            "code": "FICO-Platform-Validation-InvalidValue",
            "desc": "Entity processing failed",
            "message": "Name \\'a\\/b\\' is not valid",
        },
        "details": [{"code": "X", "message": "must not end with white space", "target": "name"}],
        "traceId": "0000000000000abc",
        "spanId": "0000000000000123",
    }
}


@pytest.mark.parametrize("raw, expected", [
    ("plain", "plain"),
    ("it\\'s", "it's"),
    ('say \\"hi\\"', 'say "hi"'),
    ("a\\/b", "a/b"),
    ("back\\\\slash", "back\\slash"),
    ("tab\\there", "tab\there"),
    ("line\\nbreak", "line\nbreak"),
    ("\\u00e9t\\u00e9", "\u00e9t\u00e9"),
    ("unknown \\q stays", "unknown \\q stays"),
    (None, None),
])
def test_js_unescape(raw, expected):
    assert js_unescape(raw) == expected


def test_one_line_error_names_innermost_code_message_field_and_trace():
    err = InsightHTTPError("POST", "/api/folders", 422, "Unprocessable Entity", ENVELOPE)
    line = err.to_line()
    assert line == ("POST /api/folders: 422 FICO-Platform-Validation-InvalidValue: Name 'a/b' is not valid: "
                    "must not end with white space (field: name, trace 0000000000000abc)")
    assert "\n" not in line
    assert err.inner_code == "FICO-Platform-Validation-InvalidValue"
    assert err.code == "FICO-Platform-Http-422"
    assert err.targets == ["name"]
    assert err.result() == {"status": 422, "error": ENVELOPE}


def test_message_falls_back_outwards_when_inner_has_none():
    envelope = {"error": {"code": "FICO-Platform-Http-404", "desc": "Not Found", "message": "Not Found",
                          "innerError": {"code": "OPTI-Insight-Persistence-DocumentNotFound", "desc": "Document not found"}}}
    err = InsightHTTPError("GET", "/api/jobs/x", 404, "Not Found", envelope)
    assert err.to_line() == "GET /api/jobs/x: 404 OPTI-Insight-Persistence-DocumentNotFound: Document not found"


def test_answer_without_envelope_shows_status_type_and_snippet():
    err = InsightHTTPError("GET", "/api/jobs", 502, "Bad Gateway", None, snippet("<html>\n<body>bad   gateway</body></html>"),
                           "text/html")
    assert err.to_line() == "GET /api/jobs: 502 Bad Gateway: no Insight error envelope (text/html): <html> <body>bad gateway</body></html>"
    empty = InsightHTTPError("GET", "/api/jobs", 502, "Bad Gateway", None, "", "")
    assert empty.to_line() == "GET /api/jobs: 502 Bad Gateway: no Insight error envelope, empty body"


def test_snippet_is_short_and_single_line():
    text = snippet("x\n" * 500)
    assert "\n" not in text
    assert len(text) <= 123


@pytest.mark.parametrize("content_type, body", [("", ""), ("text/html", "<html><body>401</body></html>")])
def test_401_and_403_without_envelope_say_what_happened(content_type, body):
    refused = InsightHTTPError("GET", "/api/jobs", 401, "Unauthorized", None, body, content_type)
    assert "401 Unauthorized: authentication failed" in refused.to_line()
    denied = InsightHTTPError("DELETE", "/api/folders/x", 403, "Forbidden", None, body, content_type)
    assert "403 Forbidden: not allowed: DELETE /api/folders/x" in denied.to_line()
    for line in (refused.to_line(), denied.to_line()):
        assert "\n" not in line and "<html" not in line


def test_unescape_joins_surrogate_pairs():
    assert js_unescape("Caf\\u00E9 \\uD83D\\uDE00 \\u0001") == "Caf\u00e9 \U0001F600 \x01"
