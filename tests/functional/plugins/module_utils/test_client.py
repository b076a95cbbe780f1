"""The shared client against the emulator over real HTTP: auth, errors, retries, paging, TLS."""

from __future__ import annotations

import email.utils
import time

import pytest

ZERO_UUID = "00000000-0000-0000-0000-000000000000"


def app_id(insight, name="Logistics"):
    return next(a["id"] for a in insight.state()["apps"] if a["name"] == name)


def route_count(insight, route):
    return insight.counters()["by_route"].get(route, 0)


def test_key_pair_token_is_fetched_once_and_reused(insight, make_client):
    client = make_client()
    client.get("/api/authentication/current-user")
    client.get("/api/apps")
    assert route_count(insight, "POST /api/authentication/token") == 1
    assert client.get("/api/authentication/current-user")["username"] == "alice"


def test_expired_token_is_renewed_and_call_replayed(insight, make_client):
    insight.config(token_lifetime=1)
    client = make_client()
    client.get("/api/apps")
    time.sleep(1.5)
    assert client.get("/api/apps")["totalElements"] == 2
    counters = insight.counters()["by_route"]
    assert counters["POST /api/authentication/token"] == 2
    assert counters["GET /api/apps"] == 3  # the rejected call was replayed once


def test_a_rejected_token_is_dropped_even_without_retries_left(insight, make_client, client_module):
    client = make_client(retries=0)
    client.get("/api/apps")
    insight.expire_tokens()
    with pytest.raises(client_module.InsightHTTPError) as info:
        client.get("/api/apps")  # no attempt left to replay it
    assert info.value.status == 401
    assert client.get("/api/apps")["totalElements"] == 2  # the next call asks for a new token
    assert route_count(insight, "POST /api/authentication/token") == 2


def test_static_token_rejected_fails_with_one_line(insight, make_client, client_module):
    client = make_client(user=None, token="not-a-real-token")
    with pytest.raises(client_module.InsightHTTPError) as info:
        client.get("/api/apps")
    assert info.value.status == 401
    assert info.value.to_line().startswith("GET /api/apps: 401 ")
    assert "not-a-real-token" not in info.value.to_line()


def test_wrong_secret_fails_clearly(insight, make_client, client_module):
    client = make_client(user=None, client_id="alice-id", secret="wrong-secret-value")
    with pytest.raises(client_module.InsightHTTPError) as info:
        client.get("/api/apps")
    line = info.value.to_line()
    assert line.startswith("POST /api/authentication/token: 401 ")
    assert "wrong-secret-value" not in line and "\n" not in line


def test_validation_error_is_one_line_with_unescaped_message_field_and_trace(insight, make_client, client_module):
    client = make_client()
    with pytest.raises(client_module.InsightHTTPError) as info:
        client.post("/api/folders", json_body={"name": " it's/bad ", "parent": {"id": app_id(insight), "objectType": "APP"}})
    err = info.value
    assert err.status == 422
    assert err.targets == ["name"]
    line = err.to_line()
    assert line.startswith("POST /api/folders: 422 FICO-Platform-Validation-InvalidValue: ")
    assert "(field: name, trace " in line
    assert "\\'" not in line and "\\/" not in line
    assert err.result()["error"]["error"]["code"] == "FICO-Platform-Http-422"


@pytest.mark.parametrize("call, status", [
    (lambda c: c.get("/api/folders/{}", "not-a-uuid"), 400),
    (lambda c: c.get("/api/folders/{}", ZERO_UUID), 404),
    (lambda c: c.get("/api/jobs/{}", ZERO_UUID), 404),
])
def test_statuses_map_to_errors(insight, make_client, client_module, call, status):
    with pytest.raises(client_module.InsightHTTPError) as info:
        call(make_client())
    assert info.value.status == status
    assert info.value.code == "FICO-Platform-Http-%d" % status


def test_read_only_user_gets_403(insight, make_client, client_module):
    client = make_client("rita")
    with pytest.raises(client_module.InsightHTTPError) as info:
        client.post("/api/folders", json_body={"name": "Nope", "parent": {"id": app_id(insight), "objectType": "APP"}})
    assert info.value.status == 403
    assert not [f for f in insight.state()["folders"] if f["name"] == "Nope"]


def test_retry_after_is_honoured_for_gets(insight, make_client):
    insight.faults({"route": "GET /api/apps", "kind": "status", "status": 503, "retry_after": 1, "count": 2})
    client = make_client()
    client.get("/api/authentication/current-user")
    started = time.monotonic()
    assert client.get("/api/apps")["totalElements"] == 2
    assert time.monotonic() - started >= 2.0  # two Retry-After waits of one second each
    assert route_count(insight, "GET /api/apps") == 3


def _http_date(seconds_from_now):
    """A Retry-After HTTP-date that many whole seconds ahead (the format has no fractions)."""
    return email.utils.formatdate(int(time.time()) + seconds_from_now, usegmt=True)


def test_http_date_retry_after_is_honoured_for_gets(insight, make_client):
    client = make_client()
    client.get("/api/authentication/current-user")
    insight.faults({"route": "GET /api/apps", "kind": "status", "status": 503, "retry_after": _http_date(3),
                    "count": 1})
    started = time.monotonic()
    assert client.get("/api/apps")["totalElements"] == 2
    assert time.monotonic() - started >= 1.5  # the date is 2 to 3 s ahead when the answer comes
    assert route_count(insight, "GET /api/apps") == 2


def test_http_date_retry_after_is_honoured_before_a_post_is_read_back(insight, make_client):
    # A POST is not sent again blindly: the server is read first, and that read waits as the server asked.
    client = make_client()
    parent = app_id(insight)
    client.get("/api/authentication/current-user")
    insight.faults({"route": "POST /api/folders", "kind": "status", "status": 503, "retry_after": _http_date(3),
                    "count": 1})
    read_back = []

    def recover():
        read_back.append(time.monotonic())
        return None

    started = time.monotonic()
    folder, created = client.post_or_recover("/api/folders", json_body={"name": "Dated", "parent": {"id": parent, "objectType": "APP"}},
                                             recover=recover)
    assert created is True and folder["name"] == "Dated"
    assert len(read_back) == 1 and read_back[0] - started >= 1.5
    assert route_count(insight, "POST /api/folders") == 2


def test_retries_are_bounded_and_the_last_answer_is_reported(insight, make_client, client_module):
    insight.faults({"route": "GET /api/apps", "kind": "status", "status": 429, "retry_after": 0, "rate": 1.0})
    client = make_client(retries=2)
    with pytest.raises(client_module.InsightHTTPError) as info:
        client.get("/api/apps")
    assert info.value.status == 429
    assert route_count(insight, "GET /api/apps") == 3


def test_post_is_never_repeated_blindly(insight, make_client, client_module):
    insight.faults({"route": "POST /api/folders", "kind": "status", "status": 503, "retry_after": 0, "count": 1})
    client = make_client()
    with pytest.raises(client_module.InsightHTTPError) as info:
        client.post("/api/folders", json_body={"name": "Once", "parent": {"id": app_id(insight), "objectType": "APP"}})
    assert info.value.status == 503
    assert route_count(insight, "POST /api/folders") == 1


def test_post_or_recover_reads_back_a_create_whose_answer_was_lost(insight, make_client, client_module):
    insight.faults({"route": "POST /api/folders", "kind": "drop", "when": "after", "count": 1})
    client = make_client()
    parent = app_id(insight)

    def recover():
        for item in client.paged("/api/apps/{}/children", parent):
            if item["name"] == "Lost answer":
                return item
        return None

    folder, created = client.post_or_recover("/api/folders", json_body={"name": "Lost answer", "parent": {"id": parent, "objectType": "APP"}},
                                             recover=recover)
    assert created is False and folder["name"] == "Lost answer"
    assert route_count(insight, "POST /api/folders") == 1
    assert len([f for f in insight.state()["folders"] if f["name"].startswith("Lost answer")]) == 1


def test_proxy_html_answer_is_one_clear_line(insight, make_client, client_module):
    insight.faults({"route": "GET /api/apps", "kind": "status", "status": 502, "body": "html", "rate": 1.0})
    client = make_client(retries=0)
    with pytest.raises(client_module.InsightHTTPError) as info:
        client.get("/api/apps")
    line = info.value.to_line()
    assert line.startswith("GET /api/apps: 502 ") and "no Insight error envelope" in line and "\n" not in line


def test_paging_follows_the_server_capped_size(insight, make_client):
    insight.reset(data="demo", generate={"jobs": {"count": 45, "statuses": {"QUEUED": 1}}})
    insight.config(page_size_cap=10)
    client = make_client()
    client.get("/api/authentication/current-user")
    insight.reset_counters()
    expected = len([j for j in insight.state()["jobs"] if j["status"] not in ("COMPLETED", "FAILED", "CANCELLED", "DELETED")])
    serial = list(client.paged("/api/jobs", page_size=500))
    assert len(serial) == expected and len({j["id"] for j in serial}) == expected
    pages = -(-expected // 10)
    assert route_count(insight, "GET /api/jobs") == pages
    parallel = list(client.paged("/api/jobs", page_size=500, concurrent=4))
    assert [j["id"] for j in parallel] == [j["id"] for j in serial]
    assert route_count(insight, "GET /api/jobs") == 2 * pages


def test_tls_with_the_test_ca(emulator_tls, client_module):
    user = next(iter(emulator_tls.users.values()))
    options = {"url": emulator_tls.url, "client_id": user["client_id"], "secret": user["secret"], "retries": 0}
    verified = client_module.InsightClient(dict(options, ca_path=emulator_tls.ca))
    assert verified.get("/api/authentication/current-user")["username"]
    with pytest.raises(client_module.InsightTransportError) as info:
        client_module.InsightClient(options).get("/api/apps")
    assert "TLS error" in info.value.to_line() and "ca_path" in info.value.to_line()
    warnings = []
    unverified = client_module.InsightClient(dict(options, validate_certs=False), warn=warnings.append)
    assert unverified.get("/api/apps")["totalElements"] >= 1
    assert warnings == ["validate_certs is false: the server's TLS certificate is not verified"]


def test_unreachable_server_is_one_line(client_module):
    client = client_module.InsightClient({"url": "http://127.0.0.1:9", "token": "x", "retries": 0})
    with pytest.raises(client_module.InsightTransportError) as info:
        client.get("/api/apps")
    assert info.value.to_line().startswith("GET /api/apps: cannot reach http://127.0.0.1:9: ")
