# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._args import (
    check_uuid, plain_http_host, plain_http_warnings, validate_connection)
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
    assert validate_connection({"url": "https://h", "token": "abc"})["token"] == "abc"
    with pytest.raises(InsightConfigError, match=r"^auth_url:"):
        validate_connection({"url": "https://h", "token": "abc", "auth_url": "https://iam/x"})


def test_check_uuid():
    assert check_uuid("0F7ACBA9-713D-2C50-F085-34565A4D6E61", "id") == "0f7acba9-713d-2c50-f085-34565a4d6e61"
    assert check_uuid(None, "id") is None
    for bad in ("nope", "0f7acba9713d2c50f08534565a4d6e61", "{0f7acba9-713d-2c50-f085-34565a4d6e61}"):
        with pytest.raises(InsightConfigError, match=r"^id: "):
            check_uuid(bad, "id")


@pytest.mark.parametrize("url, host", [
    ("http://192.0.2.1", "192.0.2.1"),
    ("http://insight.example.com:8080/x", "insight.example.com"),
    ("HTTP://Insight.Example.com", "insight.example.com"),
    ("http://[2001:db8::1]:8080", "2001:db8::1"),
    ("http://127.0.0.1.example.com", "127.0.0.1.example.com"),
    ("http://localhost.example.com", "localhost.example.com"),
    ("http://127.0.0.1:8080", None),
    ("http://127.8.9.10", None),
    ("http://[::1]:8080", None),
    ("http://localhost:8080", None),
    ("http://LocalHost", None),
    ("https://insight.example.com", None),
])
def test_plain_http_host_allows_only_loopback(url, host):
    assert plain_http_host(url) == host


@pytest.mark.parametrize("override, field", [
    ({"url": "http://192.0.2.1"}, "url"),
    ({"url": "http://insight.example.com"}, "url"),
    ({"auth_url": "http://iam.example.com/token"}, "auth_url"),
    ({"url": "http://192.0.2.1", "allow_http": "no"}, "url"),
])
def test_plain_http_to_another_machine_is_refused(override, field):
    with pytest.raises(InsightConfigError) as info:
        validate_connection(dict(GOOD, **override))
    assert str(info.value).startswith(field + ": plain http://")
    assert "allow_http: true" in str(info.value)


def test_allow_http_lets_it_through_with_one_warning():
    opts = validate_connection(dict(GOOD, url="http://192.0.2.1", auth_url="http://192.0.2.1/token", allow_http=True))
    assert opts["allow_http"] is True
    warnings = plain_http_warnings(opts)
    assert len(warnings) == 1 and "192.0.2.1" in warnings[0]
    assert plain_http_warnings(validate_connection(dict(GOOD, url="http://127.0.0.1:9"))) == []
    assert plain_http_warnings(validate_connection(GOOD)) == []
    assert validate_connection(GOOD)["allow_http"] is False


@pytest.mark.parametrize("field, value", [
    ("token", "tokenXYZ\r\nX-Injected: 1"),
    ("token", "abc\x1b[2Jdef"),
    ("client_id", "clientXYZ\nother"),
    ("secret", "s3cr3t\x00more"),
    ("secret", "s3cr3t\tmore"),
])
def test_control_characters_in_credentials_name_the_field_not_the_value(field, value):
    options = dict(GOOD, **{field: value})
    if field == "token":
        options.update(client_id=None, secret=None)
    with pytest.raises(InsightConfigError) as info:
        validate_connection(options)
    line = str(info.value)
    assert line.startswith(field + ": contains a control character")
    assert value.split()[0] not in line and "s3cr3t" not in line


def test_ca_path_must_be_a_readable_file(tmp_path):
    with pytest.raises(InsightConfigError, match=r"^ca_path: .* is not a file"):
        validate_connection(dict(GOOD, ca_path=str(tmp_path / "missing.pem")))
    with pytest.raises(InsightConfigError, match=r"^ca_path: .* is not a file"):
        validate_connection(dict(GOOD, ca_path=str(tmp_path)))
    ca = tmp_path / "ca.pem"
    ca.write_text("not checked for content here", encoding="utf-8")
    assert validate_connection(dict(GOOD, ca_path=str(ca)))["ca_path"] == str(ca)
