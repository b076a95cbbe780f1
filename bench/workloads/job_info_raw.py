"""Workloads 12 and 13 at the raw-HTTP limit: one token, then GET /api/jobs/{id} for every job, over one keep-alive
Session.

    INSIGHT_URL=... INSIGHT_CLIENT_ID=... INSIGHT_SECRET=... python job_info_raw.py IDS.json

Prints the number of jobs read.
"""
from __future__ import annotations

import json
import os
import sys

import requests

MEDIA = "application/vnd.com.fico.xpress.insight.v2+json"


def main() -> int:
    url, client_id, secret = os.environ["INSIGHT_URL"], os.environ["INSIGHT_CLIENT_ID"], os.environ["INSIGHT_SECRET"]
    with open(sys.argv[1], encoding="utf-8") as handle:
        ids = json.load(handle)["job_ids"]
    session = requests.Session()
    session.trust_env = False  # loopback: no proxy or CA variables to consult
    token = session.post(url + "/api/authentication/token", json={"clientId": client_id, "secret": secret, "maxAge": 900},
                         headers={"Content-Type": MEDIA}).text
    session.headers.update({"Authorization": "Bearer " + token, "Accept": MEDIA})
    read = 0
    for job_id in ids:
        answer = session.get("%s/api/jobs/%s" % (url, job_id))
        answer.raise_for_status()
        read += bool(answer.json()["id"])
    print(read)
    return 0


if __name__ == "__main__":
    sys.exit(main())
