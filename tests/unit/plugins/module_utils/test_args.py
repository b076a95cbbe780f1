# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._args import check_uuid, validate_connection
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightConfigError

GOOD = {"url": "https://insight.example.com/", "client_id": "id", "secret": "s3cr3t"}


def test_defaults_are_filled_and_url_trimmed():
    opts = validate_connection(GOOD)
    assert opts["url"] == "https://insight.example.com"
    assert opts["validate_certs"] is True
    assert opts["timeout"] == 30.0
    assert opts["retries"] == 3


@pytest.mark.parametrize("override, field", [
    ({"url": None}, "url"),
    ({"url": "insight.example.com"}, "url"),
    ({"url": "ftp://insight.example.com"}, "url"),
    ({"token": "t"}, "token and client_id/secret"),
    ({"client_id": None, "secret": None}, "client_id/secret or token"),
    ({"secret": None}, "secret"),
    ({"client_id": ""}, "client_id"),
    ({"timeout": 0}, "timeout"),
    ({"timeout": -5}, "timeout"),
    ({"timeout": "soon"}, "timeout"),
    ({"retries": -1}, "retries"),
    ({"validate_certs": "maybe"}, "validate_certs"),
    ({"auth_url": "iam.example.com"}, "auth_url"),
])
def test_bad_options_name_the_field(override, field):
    options = dict(GOOD, **override)
    with pytest.raises(InsightConfigError) as info:
        validate_connection(options)
    assert str(info.value).startswith(field + ":")
    assert "s3cr3t" not in str(info.value)


def test_token_alone_is_enough_and_auth_url_needs_a_key_pair():
    assert validate_connection({"url": "http://h", "token": "abc"})["token"] == "abc"
    with pytest.raises(InsightConfigError, match=r"^auth_url:"):
        validate_connection({"url": "http://h", "token": "abc", "auth_url": "https://iam/x"})


def test_check_uuid():
    assert check_uuid("0F7ACBA9-713D-2C50-F085-34565A4D6E61", "id") == "0f7acba9-713d-2c50-f085-34565a4d6e61"
    assert check_uuid(None, "id") is None
    for bad in ("nope", "0f7acba9713d2c50f08534565a4d6e61", "{0f7acba9-713d-2c50-f085-34565a4d6e61}"):
        with pytest.raises(InsightConfigError, match=r"^id: "):
            check_uuid(bad, "id")
