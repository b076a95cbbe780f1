# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options, defined once for every module; their checks, shared with the inventory plugin."""

from __future__ import annotations

import ipaddress
import os
import re
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ._errors import InsightConfigError, has_control

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
DEFAULT_TOKEN_LIFETIME = 900
MIN_TOKEN_LIFETIME = 60

_SCHEME_RE = re.compile(r"^https?://[^/\s]+", re.IGNORECASE)
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def connection_argument_spec() -> Dict[str, Dict[str, Any]]:
    """The argument spec of the `xpress.insight.connection` doc fragment."""
    return dict(
        url=dict(type="str", fallback=(env_fallback, ["INSIGHT_URL"])),
        client_id=dict(type="str", fallback=(env_fallback, ["INSIGHT_CLIENT_ID"])),
        secret=dict(type="str", no_log=True, fallback=(env_fallback, ["INSIGHT_SECRET"])),
        token=dict(type="str", no_log=True, fallback=(env_fallback, ["INSIGHT_TOKEN"])),
        auth_url=dict(type="str", fallback=(env_fallback, ["INSIGHT_AUTH_URL"])),
        validate_certs=dict(type="bool", fallback=(env_fallback, ["INSIGHT_VALIDATE_CERTS"])),
        ca_path=dict(type="path", fallback=(env_fallback, ["INSIGHT_CA_PATH"])),
        timeout=dict(type="float", fallback=(env_fallback, ["INSIGHT_TIMEOUT"])),
        retries=dict(type="int", fallback=(env_fallback, ["INSIGHT_RETRIES"])),
        token_lifetime=dict(type="int", no_log=False, fallback=(env_fallback, ["INSIGHT_TOKEN_LIFETIME"])),
        allow_http=dict(type="bool", fallback=(env_fallback, ["INSIGHT_ALLOW_HTTP"])),
    )


CONNECTION_OPTIONS = tuple(connection_argument_spec())


def validate_connection(options: Mapping[str, Any]) -> Dict[str, Any]:
    """Check the connection options and fill defaults; raise one InsightConfigError naming the field."""
    opts: Dict[str, Any] = {name: options.get(name) for name in CONNECTION_OPTIONS}
    for name in ("url", "client_id", "secret", "token", "auth_url", "ca_path"):
        if isinstance(opts[name], str):
            opts[name] = opts[name].strip() or None
    url = opts["url"]
    if not url:
        raise InsightConfigError("url: missing; set the url option or INSIGHT_URL")
    if not _SCHEME_RE.match(url):
        raise InsightConfigError("url: %r must start with http:// or https:// followed by a host" % url)
    opts["url"] = url.rstrip("/")
    if opts["auth_url"] and not _SCHEME_RE.match(opts["auth_url"]):
        raise InsightConfigError("auth_url: %r must start with http:// or https:// followed by a host" % opts["auth_url"])
    for name in ("token", "client_id", "secret"):
        # Never the value: it is a credential, and a header made of it would be cut at the control character.
        if isinstance(opts[name], str) and has_control(opts[name]):
            raise InsightConfigError("%s: contains a control character (a line break, tab or escape); "
                                     "check how the value was pasted or read" % name)
    opts["allow_http"] = False if opts["allow_http"] is None else _boolean(opts["allow_http"], "allow_http")
    for name in ("url", "auth_url"):
        if opts[name] and not opts["allow_http"] and plain_http_host(opts[name]):
            raise InsightConfigError("%s: plain http:// to %s would send the credentials unencrypted; use https://, "
                                     "or set allow_http: true for a test server" % (name, plain_http_host(opts[name])))

    key_pair = opts["client_id"] or opts["secret"]
    if opts["token"] and key_pair:
        raise InsightConfigError("token and client_id/secret: give one way to authenticate, not both "
                                 "(check the INSIGHT_TOKEN, INSIGHT_CLIENT_ID and INSIGHT_SECRET variables too)")
    if not opts["token"] and not key_pair:
        raise InsightConfigError("client_id/secret or token: missing; give an API key pair or a bearer token")
    if key_pair and not (opts["client_id"] and opts["secret"]):
        missing = "secret" if opts["client_id"] else "client_id"
        raise InsightConfigError("%s: missing; client_id and secret go together" % missing)
    if opts["auth_url"] and opts["token"]:
        raise InsightConfigError("auth_url: only used with client_id and secret, not with token")

    if opts["ca_path"]:
        if not os.path.isfile(opts["ca_path"]):
            raise InsightConfigError("ca_path: %r is not a file" % opts["ca_path"])
        if not os.access(opts["ca_path"], os.R_OK):
            raise InsightConfigError("ca_path: %r cannot be read" % opts["ca_path"])
    opts["validate_certs"] = True if opts["validate_certs"] is None else _boolean(opts["validate_certs"], "validate_certs")
    opts["timeout"] = DEFAULT_TIMEOUT if opts["timeout"] is None else _number(opts["timeout"], "timeout", float)
    if opts["timeout"] <= 0:
        raise InsightConfigError("timeout: must be greater than 0 seconds, got %s" % opts["timeout"])
    opts["retries"] = DEFAULT_RETRIES if opts["retries"] is None else _number(opts["retries"], "retries", int)
    if opts["retries"] < 0:
        raise InsightConfigError("retries: must be 0 or more, got %s" % opts["retries"])
    lifetime = opts["token_lifetime"]
    opts["token_lifetime"] = DEFAULT_TOKEN_LIFETIME if lifetime is None else _number(lifetime, "token_lifetime", int)
    if opts["token_lifetime"] < MIN_TOKEN_LIFETIME:
        raise InsightConfigError("token_lifetime: must be at least %d seconds, got %s"
                                 % (MIN_TOKEN_LIFETIME, opts["token_lifetime"]))
    return opts


def plain_http_host(url: str) -> Optional[str]:
    """The host of an http:// URL that leaves this machine, or None for https:// and loopback addresses.

    Loopback (127.0.0.0/8, ::1, localhost) stays allowed: the traffic never leaves the machine (a local test
    server, an SSH tunnel). Any other name is not resolved here: a name is judged by its text, not by DNS."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "http":
        return None
    host = (parts.hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass
    return host or url


def plain_http_warnings(opts: Mapping[str, Any]) -> List[str]:
    """The one warning to give when allow_http let a plain http:// URL to another machine through."""
    found = [plain_http_host(opts[name]) for name in ("url", "auth_url") if opts.get(name)]
    hosts = [host for host in found if host is not None]
    if not hosts:
        return []
    return ["allow_http is true: credentials and tokens go unencrypted to %s; use it with test servers only"
            % ", ".join(sorted(set(hosts)))]


def _boolean(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on", "y", "t"):
        return True
    if text in ("0", "false", "no", "off", "n", "f"):
        return False
    raise InsightConfigError("%s: %r is not a boolean" % (name, value))


def _number(value: Any, name: str, kind: type) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise InsightConfigError("%s: %r is not a number" % (name, value)) from None


def check_uuid(value: Optional[str], name: str) -> Optional[str]:
    """Normalise a UUID option, or raise an error naming the option."""
    if value is None:
        return None
    text = str(value).strip()
    if not _UUID_RE.match(text):
        raise InsightConfigError("%s: %r is not a UUID" % (name, value))
    return text.lower()


def check_id(value: Any, field: str) -> str:
    """`value` as a lower-case UUID, or InsightConfigError naming `field` (a missing value is an error too)."""
    text = check_uuid(value, field)
    if text is None:
        raise InsightConfigError("%s: missing; give a UUID" % field)
    return text
