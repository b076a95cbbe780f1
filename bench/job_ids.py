"""The ids of the unfinished jobs the bench user can read one by one (GET /api/jobs/{id} answers 200; jobs on
another user's PRIVATE scenario are listed but answer 404), written to a JSON file and as an ansible --limit file.

    INSIGHT_URL=... INSIGHT_CLIENT_ID=... INSIGHT_SECRET=... python job_ids.py IDS.json LIMIT_FILE [MAX]

A child of the bench (like job_counts.py), so the runner never holds a big job list itself. Prints the count.
"""
from __future__ import annotations

import json
import os
import sys

import requests

MEDIA = "application/vnd.com.fico.xpress.insight.v2+json"


def main(argv: list[str]) -> int:
    url = os.environ["INSIGHT_URL"]
    session = requests.Session()
    session.trust_env = False
    token = session.post(url + "/api/authentication/token", json={"clientId": os.environ["INSIGHT_CLIENT_ID"],
                         "secret": os.environ["INSIGHT_SECRET"], "maxAge": 900}, headers={"Content-Type": MEDIA}).text
    session.headers.update({"Authorization": "Bearer " + token, "Accept": MEDIA})
    listed = []
    page = 0
    while True:
        body = session.get(url + "/api/jobs", params={"includeFinished": "false", "page": page, "size": 500}).json()
        listed += [job["id"] for job in body["content"]]
        page += 1
        if page >= int(body.get("totalPages", 0)):
            break
    limit = int(argv[3]) if len(argv) > 3 else None
    ids = []
    for job_id in listed:
        if session.get("%s/api/jobs/%s" % (url, job_id)).status_code == 200:
            ids.append(job_id)
            if limit is not None and len(ids) >= limit:
                break
    with open(argv[1], "w", encoding="utf-8") as out:
        json.dump({"job_ids": ids}, out)
    with open(argv[2], "w", encoding="utf-8") as out:
        out.write("".join(job_id + "\n" for job_id in ids))
    print(len(ids))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
