"""The finish_jobs / remove_jobs faults: running jobs leave the unfinished list right after a listing page."""
from __future__ import annotations

import pytest
import requests


def _unfinished(alice, **params):
    answer = alice.get("/api/jobs", params=dict(params, size=100))
    assert answer.status_code == 200
    return answer.json()


@pytest.mark.parametrize("kind, final", [("finish_jobs", "COMPLETED"), ("remove_jobs", None)])
def test_the_earliest_running_jobs_leave_after_the_answer(api, insight, kind, final):
    alice = api("alice")
    before = _unfinished(alice)
    running = sorted((j for j in before["content"] if j["status"] in ("QUEUED", "EXECUTING", "COMPLETING")),
                     key=lambda j: (j["created"], j["id"]))
    leaving = [j["id"] for j in running[:3]]
    insight.faults({"route": "GET /api/jobs", "kind": kind, "jobs": 3, "skip": 1, "count": 1})
    # The skipped request changes nothing; the next one is answered in full, then the three jobs leave.
    assert _unfinished(alice)["totalElements"] == before["totalElements"]
    assert _unfinished(alice)["totalElements"] == before["totalElements"]
    after = _unfinished(alice)
    assert after["totalElements"] == before["totalElements"] - 3
    assert not {j["id"] for j in after["content"]} & set(leaving)
    for job_id in leaving:
        one = alice.get("/api/jobs/" + job_id)
        if final is None:
            assert one.status_code == 404
        else:
            assert one.json()["status"] == final and one.json()["finished"] is not None
    rules = requests.get(insight.url + "/_emulator/faults", timeout=30).json()["rules"]
    assert [(r["fired"], r["remaining"]) for r in rules] == [(1, 0)]


def test_bad_jobs_count_is_refused(insight):
    with pytest.raises(RuntimeError, match="fault jobs must be 1 or more"):
        insight.faults({"route": "GET /api/jobs", "kind": "finish_jobs", "jobs": 0})
