# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection options shared by every module and plugin of the collection, each text written once (DOCUMENTATION).

    Modules extend `xpress.insight.connection` (and `xpress.insight.attributes`, which carries the module_defaults
    note). Plugins extend `xpress.insight.connection` and then `xpress.insight.connection.plugins`, whose entries hold
    only what the plugin configuration adds (env, default, required): ansible-core merges the two fragments option by
    option. DOCUMENTATION is one literal: ansible-test's yamllint reads fragments as plain string assignments.
    """

    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the Insight 5 server, for example V(https://insight.example.com).
      - If not set, the value of the E(INSIGHT_URL) environment variable is used.
    type: str
  client_id:
    description:
      - Client ID of an Insight API key pair (created in the Insight UI), exchanged for a bearer token.
      - Give O(client_id) with O(secret), or O(token); not both.
      - If not set, the value of the E(INSIGHT_CLIENT_ID) environment variable is used.
    type: str
  secret:
    description:
      - Secret of the API key pair named by O(client_id). Never logged.
      - If not set, the value of the E(INSIGHT_SECRET) environment variable is used.
    type: str
  token:
    description:
      - A bearer token issued beforehand, used instead of an API key pair. It cannot be renewed, so calls fail once it
        expires.
      - If not set, the value of the E(INSIGHT_TOKEN) environment variable is used.
    type: str
  auth_url:
    description:
      - For FICO Platform deployments, the IAM token endpoint that exchanges O(client_id) and O(secret) for a token,
        for example V(https://iam-svc.example.com/registration/rest/client/security/token).
      - When not set, the key pair is exchanged with the Insight server itself.
      - If not set, the value of the E(INSIGHT_AUTH_URL) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. Turning it off prints a warning.
      - If not set, the value of the E(INSIGHT_VALIDATE_CERTS) environment variable is used, and V(true) if that is not set either.
    type: bool
  ca_path:
    description:
      - A PEM file of CA certificates to verify the server with, for servers signed by a private CA.
      - The file must exist and be readable; this is checked before any call.
      - If not set, the value of the E(INSIGHT_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds one attempt of a call may take in all (connecting, sending, and reading the headers and the whole
        answer, a downloaded file included); must be greater than 0. A server that answers slowly, a header line or
        a byte at a time, is cut off at that time like one that is silent.
      - Each retry is a new attempt with the same time.
      - If not set, the value of the E(INSIGHT_TIMEOUT) environment variable is used, and V(30) if that is not set either.
    type: float
  retries:
    description:
      - How many times a call that is safe to repeat is retried after a connection error, a V(429), V(502), V(503)
        or V(504) answer, an answer cut off or a timeout, with exponential backoff that honours C(Retry-After).
      - One budget per call, whatever the cause; at most O(retries) + 1 attempts in all, the one token renewal after
        a V(401) included (so with V(0), a token the server rejects is not renewed within that call).
      - A call that creates something is never repeated blindly; the server is read again first.
      - If not set, the value of the E(INSIGHT_RETRIES) environment variable is used, and V(3) if that is not set either.
    type: int
  token_lifetime:
    description:
      - Seconds of validity to ask for when exchanging O(client_id) and O(secret) for a token (at least V(60)). The
        token is renewed 30 seconds before that time, counted from when the request was sent.
      - A server that grants less makes the first call after its limit answer V(401), after which the token is
        renewed once; a server that refuses the value is asked again once with V(900).
      - Not used with O(token) or O(auth_url).
      - If not set, the value of the E(INSIGHT_TOKEN_LIFETIME) environment variable is used, and V(900) if that is
        not set either.
    type: int
  allow_http:
    description:
      - Allow a plain V(http://) O(url) or O(auth_url) that names another machine, for test servers only; the key
        pair and every bearer token then cross the network unencrypted, and a warning is shown once.
      - Without it such a URL is refused before anything is sent. V(http://) to a loopback address (V(127.0.0.0/8),
        V(::1), V(localhost)), such as a local test server or an SSH tunnel, is always allowed.
      - If not set, the value of the E(INSIGHT_ALLOW_HTTP) environment variable is used, and V(false) if that is not set either.
    type: bool
requirements:
  - requests
"""

    # Defaults here and in the texts of DOCUMENTATION equal those of _args.validate_connection (held equal by a unit test).
    PLUGINS = r"""
options:
  url:
    required: true
    env:
      - name: INSIGHT_URL
  client_id:
    env:
      - name: INSIGHT_CLIENT_ID
  secret:
    env:
      - name: INSIGHT_SECRET
  token:
    env:
      - name: INSIGHT_TOKEN
  auth_url:
    env:
      - name: INSIGHT_AUTH_URL
  validate_certs:
    default: true
    env:
      - name: INSIGHT_VALIDATE_CERTS
  ca_path:
    env:
      - name: INSIGHT_CA_PATH
  timeout:
    default: 30
    env:
      - name: INSIGHT_TIMEOUT
  retries:
    default: 3
    env:
      - name: INSIGHT_RETRIES
  token_lifetime:
    default: 900
    env:
      - name: INSIGHT_TOKEN_LIFETIME
  allow_http:
    default: false
    env:
      - name: INSIGHT_ALLOW_HTTP
"""
