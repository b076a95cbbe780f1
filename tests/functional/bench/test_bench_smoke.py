"""A small run of `make bench` (tiny sizes, the scale rows at 10x those, one run per row): the runner works end to
end, reports every row with the emulator's request counts, every target with its verdict and floor, and every growth
factor; the converged re-runs make no write. No figure of speed is asserted here."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))

from scale_workloads import folders, scaled_shape  # noqa: E402  pylint: disable=wrong-import-position
CAPTURED = ROOT / "tests" / "output" / "captured"
XPRESS, URI, RAW = "xpress.insight playbook", "uri-loop playbook", "raw requests script"
RAW8 = "raw requests script, 8 connections"
FLOOR = "replayed from a file (ansible-core floor)"
PLUGIN = "plugin ansible-inventory --list"
FLOOR_TASK = "floor task (no-op module, same arguments)"
WORKING_VARIANTS = [XPRESS, URI, RAW]
PLAYBOOK_VARIANTS = [FLOOR_TASK] + WORKING_VARIANTS
TREE_WORKING = ["xpress.insight tree playbook", RAW]
TREE_VARIANTS = [FLOOR_TASK] + TREE_WORKING
EXPECTED = (
    [("0 Ansible alone", "empty playbook"), ("0 Ansible alone", "one ping task playbook"),
     ("0 Ansible alone", "one debug task playbook")]
    + [("1 tree 14 folders", v) for v in PLAYBOOK_VARIANTS]
    + [("2 tree converged", v) for v in PLAYBOOK_VARIANTS]
    + [("3 cancel 10 jobs", v) for v in PLAYBOOK_VARIANTS + [RAW8]]
    + [("4 inventory 100 jobs", v) for v in [PLUGIN, "raw paged fetch", "bare ansible-inventory --list", FLOOR]]
    + [("5 tree option 18 folders", v) for v in TREE_VARIANTS]
    + [("6 tree option converged", v) for v in TREE_VARIANTS]
    # The scale rows: 10 x the smoke sizes (a 5 x 3 x 8 tree of 140 folders for 2 x 2 x 2 = 14), no uri loop.
    + [("7 tree 140 folders", v) for v in [FLOOR_TASK, XPRESS, RAW]]
    + [("8 tree converged 140 folders", v) for v in [FLOOR_TASK, XPRESS, RAW]]
    + [("9 cancel 100 jobs", v) for v in [FLOOR_TASK, XPRESS, RAW]]
    + [("10 inventory 1000 jobs", v) for v in [PLUGIN, FLOOR]]
    + [("11 inventory playbook 100 jobs", v) for v in ["plugin ansible-playbook --limit queued", FLOOR]]
    + [("12 job_info 10 tasks", v) for v in ["debug playbook (same tasks)", XPRESS, RAW, "xpress.insight playbook, module path"]]
)
# Workload 13's name carries the number of job hosts this user can read, which the seeds decide.
HOST_VARIANTS = sorted(["debug playbook (same tasks)", XPRESS, RAW])
ACTION = "xpress.insight / (debug play + raw) <= 1.50"
TIME = "xpress.insight / (one-task + raw) <= 1.10"
URI_TARGET = "uri-loop / xpress.insight >= 0.95 x uri-loop / floor"
WRITES = "xpress.insight writes == 0"
MINIMAL = "xpress.insight requests == minimal"
INVENTORY_TIME = "plugin / replayed inventory <= 1.10"
CHECKS = sorted(
    [("1", TIME), ("1", URI_TARGET), ("2", TIME), ("2", URI_TARGET), ("2", WRITES),
     ("3", TIME), ("3", URI_TARGET), ("3", "xpress.insight / (one-task + raw 8 connections) <= 1.10"),
     ("5", TIME), ("6", TIME), ("6", WRITES), ("7", TIME), ("7", MINIMAL), ("8", TIME), ("8", WRITES), ("8", MINIMAL),
     ("9", TIME), ("9", "requests beyond the minimum are listing passes of the wait"),
     ("4", INVENTORY_TIME), ("10", INVENTORY_TIME), ("10", "plugin peak RSS / replayed inventory's <= 1.10"),
     ("10", "plugin requests == minimal"), ("11", "play on the plugin's inventory / replayed inventory <= 1.10"),
     ("12", ACTION), ("13", ACTION),
     ("all", "emulator CPU share of each run < 50% (not the bottleneck)")])


def test_bench_smoke_run_reports_every_row(tmp_path: Path) -> None:
    report = tmp_path / "bench.json"
    markdown = tmp_path / "bench.md"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "tests"), env.get("PYTHONPATH")) if p)
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--json", str(report), "--markdown",
                           str(markdown)], cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=900, check=False)
    CAPTURED.mkdir(parents=True, exist_ok=True)
    (CAPTURED / ("bench-smoke-%d-%d.log" % (os.getpid(), time.monotonic_ns()))).write_text(
        "--- stdout\n%s\n--- stderr\n%s\n" % (proc.stdout, proc.stderr), encoding="utf-8")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]

    data = json.loads(report.read_text(encoding="utf-8"))
    rows = {(row["workload"], row["variant"]): row for row in data["rows"]}
    hosts = sorted(key for key in rows if key[0].startswith("13 jobs as hosts "))
    assert sorted(variant for _workload, variant in hosts) == HOST_VARIANTS and len({w for w, _v in hosts}) == 1
    assert sorted(key for key in rows if key not in hosts) == sorted(EXPECTED)
    # One token and one read per job on the raw side; the play reads each job host's job.
    for workload, variant in hosts:
        if variant == RAW:
            assert rows[(workload, variant)]["requests"] == str(1 + int(workload.rsplit(" ", 1)[1]))
    # The printed table carries the same rows.
    table = proc.stdout.split("median s", 1)[1]
    for workload, variant in EXPECTED:
        assert any(line.startswith(workload + " ") and variant in line for line in table.splitlines()), (workload, variant)

    # 2x2x2 tree: 14 folders, one POST each; every side makes the minimal number of calls on the folder workloads.
    for variant in WORKING_VARIANTS:
        made = rows[("1 tree 14 folders", variant)]
        assert made["writes"] == "14" and int(made["requests"]) >= int(made["minimal"]) == 17
        converged = rows[("2 tree converged", variant)]
        assert converged["writes"] == "0" and int(converged["requests"]) >= int(converged["minimal"]) == 9
    for variant in WORKING_VARIANTS + [RAW8]:
        assert rows[("3 cancel 10 jobs", variant)]["writes"] == "10"
    assert rows[("2 tree converged", XPRESS)]["requests"] == "9"
    # The tree option (2x2x3 in the smoke run): one POST per folder, and the converged run makes the minimal calls.
    for variant in TREE_WORKING:
        made = rows[("5 tree option 18 folders", variant)]
        assert made["writes"] == "18" and int(made["requests"]) >= int(made["minimal"]) == 21
        converged = rows[("6 tree option converged", variant)]
        assert converged["writes"] == "0" and int(converged["requests"]) >= int(converged["minimal"]) == 9
    assert rows[("5 tree option 18 folders", "xpress.insight tree playbook")]["requests"] == "21"
    assert rows[("6 tree option converged", "xpress.insight tree playbook")]["requests"] == "9"
    # At scale: 140 folders (5 + 15 + 120 POSTs after token, app list and root listing), the converged tree lists
    # its 20 inner folders, 100 jobs each cancelled once.
    for variant in (XPRESS, RAW):
        made = rows[("7 tree 140 folders", variant)]
        assert made["writes"] == "140" and int(made["requests"]) >= int(made["minimal"]) == 143
        converged = rows[("8 tree converged 140 folders", variant)]
        assert converged["writes"] == "0" and int(converged["requests"]) >= int(converged["minimal"]) == 23
        cancel = rows[("9 cancel 100 jobs", variant)]
        assert cancel["writes"] == "100" and int(cancel["requests"]) >= int(cancel["minimal"]) == 103
    # Ansible-only rows and the floor tasks (the workload's task with a module that does nothing) talk to nobody; the
    # inventory rows read every job in a few pages.
    assert rows[("0 Ansible alone", "empty playbook")]["requests"] == "0"
    floor_tasks = [key for key in rows if key[1] == FLOOR_TASK]
    assert len(floor_tasks) == 8 and all(rows[key]["requests"] == rows[key]["writes"] == "0" for key in floor_tasks)
    assert int(rows[("4 inventory 100 jobs", PLUGIN)]["requests"]) >= 2
    assert int(rows[("10 inventory 1000 jobs", PLUGIN)]["requests"]) >= int(rows[("10 inventory 1000 jobs", PLUGIN)]["minimal"]) >= 3
    # The replayed inventories (checked by the bench to list what the plugin lists) talk to nobody either.
    for workload in ("4 inventory 100 jobs", "10 inventory 1000 jobs", "11 inventory playbook 100 jobs"):
        assert rows[(workload, FLOOR)]["requests"] == "0"

    # Every target has its verdict, and every one of the carries the floor measured in the same run, so a
    # miss says whether it is ours.
    checks = data["checks"]
    assert sorted((c["workload"], c["target"]) for c in checks) == CHECKS
    assert all(isinstance(c["met"], bool) for c in checks)
    targets = [c for c in checks if c["workload"] != "all"]
    assert all(isinstance(c["floor"], float) and isinstance(c["reachable"], bool) for c in targets)
    for check in checks:
        assert any(check["target"] in line and ("met" in line or "MISSED" in line) for line in proc.stdout.splitlines()), check
    for workload in ("2", "6", "8"):
        assert next(c for c in checks if c["workload"] == workload and c["target"] == WRITES)["met"] is True
    first_task = next(c for c in checks if c["workload"] == "11")["first_task"]
    assert set(first_task) == {"plugin", "floor"} and all(isinstance(v, float) and v > 0 for v in first_task.values())
    # One growth line per pair of sizes, with the work ratio, both factors, the verdict and the floor's growth.
    growth = data["growth"]
    assert [g["pair"] for g in growth] == ["1 -> 7", "2 -> 8", "3 -> 9", "4 -> 10"]
    assert [g["work"] for g in growth[:3]] == [10.0, 10.0, 10.0] and growth[3]["work"] > 5
    for item in growth:
        assert all(isinstance(item[key], bool) for key in ("met", "time_met", "rss_met", "reachable"))
        assert all(item[key] is None or isinstance(item[key], float) for key in ("time", "rss", "floor_time", "floor_rss"))
        assert any(line.startswith("growth %s " % item["pair"]) and "work x" in line for line in proc.stdout.splitlines())
    assert data["scale"] == 10
    assert data["machine"]["cores"] >= 1 and data["machine"]["ansible_core"]
    text = markdown.read_text(encoding="utf-8")
    assert "| workload | variant |" in text and "- growth 4 -> 10 " in text and "- workload 11 " in text


def test_scale_tree_has_scale_times_the_folders() -> None:
    # The default 4 x 3 x 7 (100 folders) grows to 10 x 9 x 10 (1,000), the smoke's 2 x 2 x 2 (14) to 5 x 3 x 8 (140).
    assert scaled_shape((4, 3, 7), 10) == (10, 9, 10) and folders((10, 9, 10)) == 1000
    assert scaled_shape((2, 2, 2), 10) == (5, 3, 8) and folders((5, 3, 8)) == 140
    for shape, factor in (((4, 3, 7), 3), ((3, 3, 3), 7), ((1, 1, 1), 2)):
        assert folders(scaled_shape(shape, factor)) == folders(shape) * factor
