"""HTTPS with a certificate from the test CA that the emulator writes out."""
from __future__ import annotations

import os

import pytest
import requests

from conftest import Api


@pytest.fixture
def tls_insight(emulator_tls):
    control = emulator_tls.control()
    control.reset("demo")
    return control


def test_https_verifies_with_the_ca_file(tls_insight):
    assert tls_insight.url.startswith("https://127.0.0.1:")
    assert os.path.isfile(tls_insight.ca)
    with open(tls_insight.ca, encoding="ascii") as handle:
        assert "BEGIN CERTIFICATE" in handle.read()
    alice = Api(tls_insight, "alice")
    answer = alice.get("/api/apps")
    assert answer.status_code == 200
    assert answer.json()["totalElements"] == 2


def test_https_without_the_ca_fails_verification(tls_insight):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(tls_insight.url + "/api/apps", timeout=30)


def test_plain_http_to_the_tls_port_gets_no_answer(tls_insight):
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(tls_insight.url.replace("https://", "http://") + "/api/apps", timeout=30)
