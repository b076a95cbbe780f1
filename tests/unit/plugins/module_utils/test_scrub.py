# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import re
from urllib.parse import quote, quote_plus

from ansible_collections.xpress.insight.plugins.module_utils import _scrub
from ansible_collections.xpress.insight.plugins.module_utils._auth import StaticToken
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightError, InsightHTTPError, js_unescape

SECRET = 'unit/Se"cr\\et+\u00e9 q7Zp'
MASK = _scrub.MASK


def _js(text):
    return _scrub._js_escape(text)  # pylint: disable=protected-access


def test_every_form_of_a_secret_is_masked():
    _scrub.register(SECRET)
    quoted = [SECRET, json.dumps(SECRET)[1:-1], json.dumps(SECRET, ensure_ascii=False)[1:-1], _js(SECRET),
              json.dumps(_js(SECRET))[1:-1], _js(json.dumps(SECRET)[1:-1]), json.dumps(_js(json.dumps(SECRET)[1:-1]))[1:-1],
              quote(SECRET, safe=""), quote_plus(SECRET),
              re.sub("%[0-9A-F]{2}", lambda match: match.group(0).lower(), quote(SECRET, safe="")), quote_plus(json.dumps(SECRET)[1:-1])]
    for form in quoted:
        assert _scrub.scrub("before %s after" % form) == "before %s after" % MASK, form


def test_the_javascript_escape_is_the_one_insight_undoes():
    assert js_unescape(_js(SECRET)) == SECRET


def test_empty_short_and_unknown_texts_are_left_alone():
    _scrub.register("")
    _scrub.register(None)
    _scrub.register("1")
    _scrub.register_token("sh0rt-7")  # one below MIN_LENGTH: it would be found in ordinary words and numbers
    assert _scrub.scrub("401 sh0rt-7") == "401 sh0rt-7"
    assert _scrub.scrub("nothing secret here") == "nothing secret here"
    assert _scrub.scrub("") == ""


def test_data_is_scrubbed_in_keys_and_values_and_not_changed_in_place():
    _scrub.register(SECRET)
    data = {"a": [SECRET, 1, None, {SECRET: "x %s" % SECRET}], "n": 3}
    out = _scrub.scrub_data(data)
    assert out == {"a": [MASK, 1, None, {MASK: "x " + MASK}], "n": 3}
    assert data["a"][0] == SECRET


def test_tokens_are_registered_when_obtained_and_only_the_recent_ones_kept():
    for number in range(_scrub.RECENT_TOKENS + 3):
        _scrub.register_token("unit-token-%03d-zz" % number)
    assert _scrub.scrub("unit-token-000-zz") == "unit-token-000-zz"  # renewed long ago: expired
    assert _scrub.scrub("Bearer unit-token-%03d-zz" % (_scrub.RECENT_TOKENS + 2)) == "Bearer " + MASK
    StaticToken("unit-static-Qw3e")
    assert _scrub.scrub("unit-static-Qw3e") == MASK


def test_errors_carry_no_secret_in_line_envelope_or_excerpt():
    _scrub.register(SECRET)
    envelope = {"error": {"code": "E", "message": "refused " + _js(json.dumps(SECRET)[1:-1]),
                          "details": [{"message": SECRET, "target": "secret"}]}}
    error = InsightHTTPError("POST", "/api/authentication/token", 400, "Bad", envelope)
    assert SECRET not in error.to_line() and MASK in error.to_line()
    assert "q7Zp" not in json.dumps(error.result()) and "q7Zp" not in error.message
    plain = InsightHTTPError("GET", "/x", 502, "Bad Gateway", None, "echo " + SECRET, "text/plain")
    assert "q7Zp" not in plain.to_line()
    assert "q7Zp" not in InsightError("cannot reach: " + SECRET).to_line()
