"""Folders: the six operations, their codes and envelopes, name rules, suffixing, visibility and permissions."""
from __future__ import annotations

import pytest

from conftest import JSON_TYPE, assert_error

NOT_FOUND = "OPTI-Insight-Persistence-DocumentNotFound"
INVALID = "FICO-Platform-Validation-InvalidValue"


def _create(session, name, parent):
    kind = parent["objectType"]
    return session.post("/api/folders", json={"name": name, "parent": {"id": parent["id"], "objectType": kind}})


def _names(session, url):
    answer = session.get(url + "/children", params={"size": 100})
    assert answer.status_code == 200
    return [item["name"] for item in answer.json()["content"]]


def test_create_at_app_root_and_under_a_folder(api, insight):
    alice = api("alice")
    app = alice.lookup("/Logistics")
    created = _create(alice, "Plans", app)
    assert created.status_code == 201
    assert created.headers["Content-Type"] == JSON_TYPE
    folder = created.json()
    assert created.headers["Location"] == insight.url + "/api/folders/" + folder["id"]
    assert folder["parent"] == {"id": app["id"], "name": "Logistics", "objectType": "APP", "url": "/api/apps/" + app["id"]}
    assert folder["path"] == "/Logistics/Plans"
    assert folder["owner"]["id"] == insight.users["alice"]["id"]
    child = _create(alice, "2024", folder)
    assert child.status_code == 201
    assert child.json()["parent"]["id"] == folder["id"]
    assert child.json()["path"] == "/Logistics/Plans/2024"
    assert alice.get("/api/folders/" + child.json()["id"]).json() == child.json()


def test_create_with_a_bad_parent_is_422(api):
    alice = api("alice")
    missing = "00000000-0000-4000-8000-000000000000"
    assert_error(alice.post("/api/folders", json={"name": "x", "parent": {"id": missing, "objectType": "APP"}}), 422, INVALID, "parent")
    assert_error(alice.post("/api/folders", json={"name": "x", "parent": {"id": missing, "objectType": "FOLDER"}}), 422, target="parent")
    assert_error(alice.post("/api/folders", json={"name": "x"}), 422, target="parent")
    private = api("bob").lookup("/Logistics/Bob private")
    assert_error(_create(alice, "x", private), 422, target="parent")


@pytest.mark.parametrize("name", ["", " leading", "trailing ", "tab\there", "new\nline", "x" * 256, "bell\x07", 42])
def test_invalid_names_are_422_naming_the_field(api, name):
    alice = api("alice")
    app = alice.lookup("/Logistics")
    assert_error(alice.post("/api/folders", json={"name": name, "parent": {"id": app["id"], "objectType": "APP"}}), 422, INVALID, "name")
    reports = alice.lookup("/Logistics/Reports")
    assert_error(alice.patch(reports["url"], json={"name": name}), 422, INVALID, "name")
    assert alice.lookup("/Logistics/Reports")["name"] == "Reports"


def test_longest_valid_name_and_inner_spaces_are_fine(api):
    alice = api("alice")
    app = alice.lookup("/Logistics")
    assert _create(alice, "y" * 255, app).status_code == 201
    assert _create(alice, "a  b / c's \"d\"", app).status_code == 201


def test_messages_are_javascript_escaped(api):
    alice = api("alice")
    app = alice.lookup("/Logistics")
    error = assert_error(_create(alice, 'say "hi"/bye ', app), 422, target="name")
    message = error["details"][0]["message"]
    assert '\\"hi\\"\\/bye ' in message
    assert error["innerError"]["message"] == message


def test_clashing_names_get_a_suffix(api):
    alice = api("alice")
    reports = alice.lookup("/Logistics/Reports")
    assert _create(alice, "Weekly", reports).json()["name"] == "Weekly (1)"
    assert _create(alice, "Weekly", reports).json()["name"] == "Weekly (2)"
    # Folders and scenarios share one name space per parent.
    assert _create(alice, "Base case", reports).json()["name"] == "Base case (1)"
    monthly = _create(alice, "Monthly", reports).json()
    renamed = alice.patch(monthly["url"], json={"name": "Weekly"})
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Weekly (3)"
    # Renaming a folder to its own name is not a clash.
    assert alice.patch(monthly["url"], json={"name": "Weekly (3)"}).json()["name"] == "Weekly (3)"


def test_delete_is_recursive(api, insight):
    alice = api("alice")
    reports = alice.lookup("/Logistics/Reports")
    weekly = alice.lookup("/Logistics/Reports/Weekly")
    insight.config(lock_busy=True)
    assert_error(alice.delete(reports["url"]), 423)  # its scenarios have queued and executing jobs
    insight.clock("step", seconds=7200)  # every job finishes
    answer = alice.delete(reports["url"])
    assert answer.status_code == 204
    assert answer.content == b""
    assert_error(alice.get(reports["url"]), 404, NOT_FOUND)
    assert_error(alice.get(weekly["url"]), 404, NOT_FOUND)
    assert_error(alice.get("/api/repository", params={"path": "/Logistics/Reports/Weekly/Week 1"}), 404)
    paths = [f["path"] for f in insight.state()["folders"]] + [s["path"] for s in insight.state()["scenarios"]]
    assert not [p for p in paths if p.startswith("/Logistics/Reports")]
    assert_error(alice.delete(reports["url"]), 404, NOT_FOUND)


def test_unknown_and_malformed_ids(api):
    alice = api("alice")
    missing = "/api/folders/00000000-0000-4000-8000-000000000000"
    for call in (alice.get, alice.delete):
        assert_error(call(missing), 404, NOT_FOUND)
    assert_error(alice.patch(missing, json={"name": "x"}), 404, NOT_FOUND)
    assert_error(alice.get(missing + "/children"), 404, NOT_FOUND)
    assert_error(alice.get("/api/folders/not-a-uuid"), 400, target="id")
    assert_error(alice.delete("/api/folders/123"), 400)


def test_malformed_json_and_wrong_media_type(api):
    alice = api("alice")
    reports = alice.lookup("/Logistics/Reports")
    assert_error(alice.patch(reports["url"], data=b'{"name": '), 400)
    assert_error(alice.patch(reports["url"], json=["name"]), 400)
    assert_error(alice.patch(reports["url"], data=b'{"name": "x"}', headers={"Content-Type": "text/plain"}), 415)


def test_unknown_routes_and_methods(api):
    alice = api("alice")
    assert_error(alice.get("/api/folderz"), 404)
    assert_error(alice.get("/nothing"), 404)
    reports = alice.lookup("/Logistics/Reports")
    answer = alice.request("PUT", reports["url"], json={"name": "x"})
    assert_error(answer, 405)
    assert set(answer.headers["Allow"].split(", ")) == {"GET", "PATCH", "DELETE"}
    assert_error(alice.delete("/api/folders"), 405)


def test_patch_share_status_owner_and_cascade(api, insight):
    alice = api("alice")
    bob_id = insight.users["bob"]["id"]
    reports = alice.lookup("/Logistics/Reports")
    answer = alice.patch(reports["url"], json={"owner": {"id": bob_id, "objectType": "USER"}, "shareStatus": "READONLY"})
    assert answer.status_code == 200
    assert answer.json()["owner"]["id"] == bob_id
    assert answer.json()["shareStatus"] == "READONLY"
    weekly = alice.lookup("/Logistics/Reports/Weekly")
    assert weekly["shareStatus"] == "FULLACCESS"  # not cascaded
    bob = api("bob")
    answer = bob.patch(reports["url"], params={"cascadeOwner": "true", "cascadeShareStatus": "true"}, json={"name": None})
    assert answer.status_code == 200
    weekly = bob.lookup("/Logistics/Reports/Weekly")
    assert (weekly["shareStatus"], weekly["owner"]["id"]) == ("READONLY", bob_id)
    assert bob.lookup("/Logistics/Reports/Weekly/Week 1")["owner"]["id"] == bob_id
    assert_error(bob.patch(reports["url"], params={"cascadeOwner": "maybe"}, json={}), 400)


def test_private_without_owner_makes_the_caller_owner(api, insight):
    bob = api("bob")
    shared = bob.lookup("/Portfolio/Shared")
    answer = bob.patch(shared["url"], json={"shareStatus": "PRIVATE"})
    assert answer.status_code == 200
    assert answer.json()["owner"]["id"] == insight.users["bob"]["id"]
    alice = api("alice")
    assert_error(alice.get(shared["url"]), 404)
    assert "Shared" not in _names(alice, alice.lookup("/Portfolio")["url"])


def test_patch_bad_owner_and_share_status_are_422(api):
    alice = api("alice")
    reports = alice.lookup("/Logistics/Reports")
    missing = {"id": "00000000-0000-4000-8000-000000000000", "objectType": "USER"}
    assert_error(alice.patch(reports["url"], json={"owner": missing}), 422, INVALID, "owner")
    assert_error(alice.patch(reports["url"], json={"owner": "bob"}), 422, target="owner")
    assert_error(alice.patch(reports["url"], json={"shareStatus": "PUBLIC"}), 422, target="shareStatus")


def test_private_folders_of_another_user_are_invisible(api):
    bob = api("bob")
    private = bob.lookup("/Logistics/Bob private")
    secret = bob.lookup("/Logistics/Bob private/Secret plan")
    alice = api("alice")
    assert_error(alice.get(private["url"]), 404, NOT_FOUND)
    assert_error(alice.get(private["url"] + "/children"), 404)
    assert_error(alice.patch(private["url"], json={"name": "mine"}), 404)
    assert_error(alice.delete(private["url"]), 404)
    for path in ("/Logistics/Bob private", "/Logistics/Bob private/Secret plan"):
        assert_error(alice.get("/api/repository", params={"path": path}), 404)
    logistics = alice.lookup("/Logistics")
    assert "Bob private" not in _names(alice, logistics["url"])
    assert "Bob private" in _names(bob, logistics["url"])
    reports = alice.lookup("/Logistics/Reports")
    assert_error(alice.post(reports["url"] + "/children", json={"id": secret["id"], "objectType": "SCENARIO"}), 404)


def test_readonly_user_gets_403_on_every_write(api):
    rita = api("rita")
    app = rita.lookup("/Logistics")
    reports = rita.lookup("/Logistics/Reports")
    weekly = rita.lookup("/Logistics/Reports/Weekly")
    missing = "/api/folders/00000000-0000-4000-8000-000000000000"
    assert_error(_create(rita, "x", app), 403)
    assert_error(rita.patch(reports["url"], json={"name": "x"}), 403)
    assert_error(rita.delete(reports["url"]), 403)
    assert_error(rita.delete(missing), 403)
    assert_error(rita.post(reports["url"] + "/children", json={"id": weekly["id"], "objectType": "FOLDER"}), 403)
    assert_error(rita.post(app["url"] + "/children", json={"id": weekly["id"], "objectType": "FOLDER"}), 403)
    assert rita.get(reports["url"]).status_code == 200
    assert rita.lookup("/Logistics/Reports")["name"] == "Reports"


def test_readonly_share_status_blocks_other_users(api):
    bob = api("bob")
    archive = bob.lookup("/Logistics/Archive")
    assert_error(bob.patch(archive["url"], json={"name": "x"}), 403)
    assert_error(bob.delete(archive["url"]), 403)
    assert_error(_create(bob, "x", archive), 403)
    assert api("alice").patch(archive["url"], json={"name": "Old"}).status_code == 200


def test_move_into_a_folder_and_back_to_the_app_root(api, insight):
    alice = api("alice")
    app = alice.lookup("/Logistics")
    weekly = alice.lookup("/Logistics/Reports/Weekly")
    sandbox = alice.lookup("/Logistics/Sandbox")
    insight.config(lock_busy=True)
    assert_error(alice.post(weekly["url"] + "/children", json={"id": sandbox["id"], "objectType": "SCENARIO"}), 423)
    insight.clock("step", seconds=7200)  # every job finishes, so nothing is locked any more
    answer = alice.post(weekly["url"] + "/children", json={"id": sandbox["id"], "objectType": "SCENARIO"})
    assert answer.status_code == 200
    assert answer.json()["path"] == "/Logistics/Reports/Weekly/Sandbox"
    assert answer.json()["objectType"] == "SCENARIO"
    answer = alice.post(app["url"] + "/children", json={"id": weekly["id"], "objectType": "FOLDER"})
    assert answer.status_code == 200
    assert answer.json()["path"] == "/Logistics/Weekly"
    assert answer.json()["parent"]["objectType"] == "APP"
    assert alice.lookup("/Logistics/Weekly/Sandbox")["id"] == sandbox["id"]
    assert "Weekly" not in _names(alice, alice.lookup("/Logistics/Reports")["url"])


def test_move_clash_gets_a_suffix(api):
    alice = api("alice")
    app = alice.lookup("/Logistics")
    reports = alice.lookup("/Logistics/Reports")
    made = _create(alice, "Sandbox", reports).json()
    moved = alice.post(app["url"] + "/children", json={"id": made["id"], "objectType": "FOLDER"})
    assert moved.json()["name"] == "Sandbox (1)"


def test_invalid_moves_are_422(api):
    alice = api("alice")
    reports = alice.lookup("/Logistics/Reports")
    weekly = alice.lookup("/Logistics/Reports/Weekly")
    models = alice.lookup("/Portfolio/Models")
    portfolio = alice.lookup("/Portfolio")
    assert_error(alice.post(weekly["url"] + "/children", json={"id": reports["id"], "objectType": "FOLDER"}), 422, INVALID)
    assert_error(alice.post(reports["url"] + "/children", json={"id": reports["id"], "objectType": "FOLDER"}), 422)
    assert_error(alice.post(models["url"] + "/children", json={"id": reports["id"], "objectType": "FOLDER"}), 422)
    assert_error(alice.post(portfolio["url"] + "/children", json={"id": reports["id"], "objectType": "FOLDER"}), 422)
    assert_error(alice.post(models["url"] + "/children", json={"id": reports["id"], "objectType": "APP"}), 422, target="objectType")
    assert_error(alice.post(models["url"] + "/children", json={"id": reports["id"], "objectType": "SCENARIO"}), 404)
    assert alice.lookup("/Logistics/Reports")["id"] == reports["id"]


def test_repository_lookup(api):
    alice = api("alice")
    app = alice.lookup("/Logistics")
    assert app["objectType"] == "APP"
    assert alice.lookup("/Logistics/Reports")["objectType"] == "FOLDER"
    assert alice.lookup("/Logistics/Reports/Base case")["objectType"] == "SCENARIO"
    assert alice.lookup("/Logistics/Reports/")["objectType"] == "FOLDER"
    assert_error(alice.get("/api/repository", params={"path": "/Logistics/Nope"}), 404, NOT_FOUND)
    assert_error(alice.get("/api/repository", params={"path": "/Nope"}), 404)
    assert_error(alice.get("/api/repository"), 400, target="path")


def test_apps_and_users(api, insight):
    alice = api("alice")
    apps = alice.get("/api/apps").json()
    assert [a["name"] for a in apps["content"]] == ["Logistics", "Portfolio"]
    app = apps["content"][0]
    assert alice.get(app["url"]).json() == app
    assert_error(alice.get("/api/apps/00000000-0000-4000-8000-000000000000"), 404, NOT_FOUND)
    assert_error(alice.get("/api/apps/00000000-0000-4000-8000-000000000000/children"), 404)
    users = alice.get("/api/admin/users").json()
    assert [u["username"] for u in users["content"]] == ["alice", "bob", "rita"]
    rita = alice.get("/api/admin/users/" + insight.users["rita"]["id"]).json()
    assert rita["name"] == "Rita Reader"
    assert rita["status"] == "ACTIVE"
    assert_error(alice.get("/api/admin/users/00000000-0000-4000-8000-000000000000"), 404)


def test_children_are_sorted_by_name_folders_and_scenarios_mixed(api):
    alice = api("alice")
    logistics = alice.lookup("/Logistics")
    page = alice.get(logistics["url"] + "/children").json()
    assert [(c["name"], c["objectType"]) for c in page["content"]] == [
        ("Archive", "FOLDER"), ("Reports", "FOLDER"), ("Sandbox", "SCENARIO")]
    assert page["sort"]["sorted"] is True
    reports = alice.lookup("/Logistics/Reports")
    assert _names(alice, reports["url"]) == ["Base case", "High demand", "Weekly"]
