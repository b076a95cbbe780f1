"""Workload 3 at the raw-HTTP limit: exactly the calls needed, in order, over one keep-alive Session.

    INSIGHT_URL=... INSIGHT_CLIENT_ID=... INSIGHT_SECRET=... python cancel_raw.py

Token, every page of the unfinished jobs, one DELETE per QUEUED job, then the unfinished listing again (with the
same 50 ms-growing backoff as the collection) until none of the cancelled jobs is in it. Prints the count.
"""
from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, List, Set

import requests

MEDIA = "application/vnd.com.fico.xpress.insight.v2+json"


def main() -> int:
    url, client_id, secret = os.environ["INSIGHT_URL"], os.environ["INSIGHT_CLIENT_ID"], os.environ["INSIGHT_SECRET"]
    session = requests.Session()
    session.trust_env = False  # loopback: no proxy or CA variables to consult
    token = session.post(url + "/api/authentication/token", json={"clientId": client_id, "secret": secret, "maxAge": 900},
                         headers={"Content-Type": MEDIA}).text
    session.headers.update({"Authorization": "Bearer " + token, "Accept": MEDIA})

    def unfinished() -> List[Any]:
        jobs: List[Any] = []
        for number in range(100000):
            answer = session.get(url + "/api/jobs", params={"includeFinished": "false", "page": number, "size": 500})
            answer.raise_for_status()
            page = answer.json()
            jobs.extend(page["content"])
            if page["last"] or not page["content"]:
                break
        return jobs

    queued = [job["id"] for job in unfinished() if job["status"] == "QUEUED"]
    for job_id in queued:
        session.delete(url + "/api/jobs/" + job_id).raise_for_status()
    pending: Set[str] = set(queued)
    delay = 0.05
    while True:
        pending &= {job["id"] for job in unfinished()}
        if not pending:
            break
        time.sleep(delay)
        delay = min(delay + 0.05, 1.0)
    print(json.dumps({"cancelled": len(queued)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
