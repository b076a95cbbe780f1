"""Workloads 1 and 2 at the raw-HTTP limit: exactly the calls needed, in order, over one keep-alive Session.

    INSIGHT_URL=... INSIGHT_CLIENT_ID=... INSIGHT_SECRET=... python folders_raw.py VARS.json

Token, app list, app root listing, then level by level: list each folder that existed before this run, create each
missing folder (a folder just created is known to be empty, so it is never listed). Prints the number created.
"""
from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, List

import requests

MEDIA = "application/vnd.com.fico.xpress.insight.v2+json"


def main() -> int:
    url, client_id, secret = os.environ["INSIGHT_URL"], os.environ["INSIGHT_CLIENT_ID"], os.environ["INSIGHT_SECRET"]
    vars_file = sys.argv[1]
    with open(vars_file, encoding="utf-8") as handle:
        tree = json.load(handle)
    session = requests.Session()
    session.trust_env = False  # loopback: no proxy or CA variables to consult
    token = session.post(url + "/api/authentication/token", json={"clientId": client_id, "secret": secret, "maxAge": 900},
                         headers={"Content-Type": MEDIA}).text
    session.headers.update({"Authorization": "Bearer " + token, "Accept": MEDIA})

    def get(path: str) -> Any:
        answer = session.get(url + path, params={"page": 0, "size": 500})
        answer.raise_for_status()
        return answer.json()

    def create(name: str, parent_id: str, parent_type: str) -> str:
        body = json.dumps({"name": name, "parent": {"id": parent_id, "objectType": parent_type}})
        answer = session.post(url + "/api/folders", data=body, headers={"Content-Type": MEDIA})
        answer.raise_for_status()
        return answer.json()["id"]

    app = next(a for a in get("/api/apps")["content"] if a["name"] == tree["tree_app"])
    created = 0
    # found: folders that existed before this run (listed next level); ids: every folder of the level.
    found: Dict[str, str] = {}
    for child in get("/api/apps/%s/children" % app["id"])["content"]:
        if child["objectType"] == "FOLDER":
            found[child["name"]] = child["id"]
    ids = dict(found)
    levels: List[List[Dict[str, str]]] = [tree["level1"], tree["level2"], tree["level3"]]
    for depth, level in enumerate(levels):
        if depth:
            parents_found, parent_ids = found, ids
            found = {}
            for parent_path, parent_id in parents_found.items():
                for child in get("/api/folders/%s/children" % parent_id)["content"]:
                    if child["objectType"] == "FOLDER":
                        found[parent_path + "/" + child["name"]] = child["id"]
            ids = dict(found)
        for wanted in level:
            if wanted["path"] in found:
                continue
            if depth:
                ids[wanted["path"]] = create(wanted["name"], parent_ids[wanted["parent"]], "FOLDER")
            else:
                ids[wanted["path"]] = create(wanted["name"], app["id"], "APP")
            created += 1
    print(json.dumps({"created": created}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
