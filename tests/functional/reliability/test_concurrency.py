"""Two playbooks at the same time: provisioning the same tree, and cancelling by the same filter."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import yaml

from ansible_fixtures import BIN, ansible_env
from reliability_helpers import FOLDER, JOB_CANCEL, QUEUED_OPS, folder_paths, job_statuses, ops_queued, play, task, tree_paths, user_env


def run_side_by_side(collection_root: Path, workdir: Path, book: Dict[str, Any], envs: List[Dict[str, str]]) -> List[Dict[str, Any]]:
    """The same playbook started once per env at the same moment; returns each run's single task result."""
    path = workdir / "book.yml"
    path.write_text(yaml.safe_dump([book], sort_keys=False), encoding="utf-8")
    procs = []
    for n, env in enumerate(envs):
        results = workdir / ("side-%d.jsonl" % n)
        merged = ansible_env(collection_root, dict(env, INSIGHT_TEST_RESULTS=str(results)))
        procs.append((subprocess.Popen([str(BIN / "ansible-playbook"), str(path), "-i", "localhost,", "-c", "local"],
                                       env=merged, cwd=str(workdir), text=True, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE), results))
    out = []
    for proc, results in procs:
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, (stdout, stderr)
        entries = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert len(entries) == 1, entries
        out.append(entries[0]["result"])
    return out


def test_two_playbooks_provisioning_the_same_tree_make_one_folder_per_path(plant, collection_root, tmp_path):
    wanted = tree_paths()
    sides = run_side_by_side(collection_root, tmp_path, play(task("tree", FOLDER, path=wanted)),
                             [user_env(plant, "alice"), user_env(plant, "bob")])
    assert folder_paths(plant, "/Plant/") == sorted(wanted)  # one folder per path, no suffixed duplicate
    made = sorted(p for side in sides for p in side["created"])
    assert made == sorted(wanted)  # between them, every folder created exactly once


def test_two_bulk_cancels_of_the_same_filter_cancel_each_job_once(plant, collection_root, tmp_path):
    before = job_statuses(plant)
    selected = set(ops_queued(plant))
    assert len(selected) == QUEUED_OPS
    book = play(task("cancel", JOB_CANCEL, app="Ops", status=["QUEUED"], max_jobs=0, parallel=8))
    sides = run_side_by_side(collection_root, tmp_path, book, [user_env(plant, "alice"), user_env(plant, "bob")])
    after = job_statuses(plant)
    assert {job_id for job_id in before if after[job_id] != before[job_id]} == selected  # nothing else touched
    assert {after[job_id] for job_id in selected} <= {"CANCELLING", "CANCELLED"}
    for job_id in selected:
        claims = [n for n, side in enumerate(sides) if job_id in side["cancelled"]]
        # Exactly one side reports the cancellation; the other skipped it, or never selected it.
        assert len(claims) == 1, (job_id, claims, [side["skipped_jobs"].get(job_id) for side in sides])
        other = sides[1 - claims[0]]
        assert job_id in other["skipped_jobs"] or job_id not in {j["id"] for j in other["jobs"]}
    assert all(not side["failed_jobs"] for side in sides)
