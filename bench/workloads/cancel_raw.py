"""Workloads 3 and 9 at the raw-HTTP limit: exactly the calls needed, in order, over one keep-alive Session.

    INSIGHT_URL=... INSIGHT_CLIENT_ID=... INSIGHT_SECRET=... python cancel_raw.py [--parallel 8]

Token, every page of the unfinished jobs, one DELETE per QUEUED job, then the unfinished listing again (with the
same 50 ms-growing backoff as the collection) until none of the cancelled jobs is in it. Prints the count.
With --parallel N, a pool of N threads shares the Session (its connection pool holds N connections): the DELETEs
and the pages after the first run N at a time; the waiting is the same as the serial run's.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterable, List, Set

import requests
from requests.adapters import HTTPAdapter

MEDIA = "application/vnd.com.fico.xpress.insight.v2+json"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parallel", type=int, default=1, help="connections (and threads) to use; 1: one call at a time")
    parallel = max(1, parser.parse_args().parallel)
    url, client_id, secret = os.environ["INSIGHT_URL"], os.environ["INSIGHT_CLIENT_ID"], os.environ["INSIGHT_SECRET"]
    session = requests.Session()
    session.trust_env = False  # loopback: no proxy or CA variables to consult
    if parallel > 1:
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=parallel)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
    pool = ThreadPoolExecutor(parallel) if parallel > 1 else None

    def each(call: Callable[[Any], Any], items: Iterable[Any]) -> List[Any]:
        return list(pool.map(call, items)) if pool is not None else [call(item) for item in items]

    token = session.post(url + "/api/authentication/token", json={"clientId": client_id, "secret": secret, "maxAge": 900},
                         headers={"Content-Type": MEDIA}).text
    session.headers.update({"Authorization": "Bearer " + token, "Accept": MEDIA})

    def page(number: int) -> Any:
        answer = session.get(url + "/api/jobs", params={"includeFinished": "false", "page": str(number), "size": "500"})
        answer.raise_for_status()
        return answer.json()

    def unfinished() -> List[Any]:
        if pool is None:
            jobs: List[Any] = []
            for number in range(100000):
                listed = page(number)
                jobs.extend(listed["content"])
                if listed["last"] or not listed["content"]:
                    break
            return jobs
        first = page(0)
        jobs = list(first["content"])
        for later in each(page, range(1, first["totalPages"])):
            jobs.extend(later["content"])
        return jobs

    def cancel(job_id: str) -> None:
        session.delete(url + "/api/jobs/" + job_id).raise_for_status()

    queued = [job["id"] for job in unfinished() if job["status"] == "QUEUED"]
    each(cancel, queued)
    pending: Set[str] = set(queued)
    delay = 0.05
    while True:
        pending &= {job["id"] for job in unfinished()}
        if not pending:
            break
        time.sleep(delay)
        delay = min(delay + 0.05, 1.0)
    if pool is not None:
        pool.shutdown()
    print(json.dumps({"cancelled": len(queued)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
