"""A small run of `make bench` (tiny sizes, one run per row): the runner works end to end, reports every row with
the emulator's request counts, and the converged re-run makes no write. No figure of speed is asserted here."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CAPTURED = ROOT / "tests" / "output" / "captured"
PLAYBOOK_VARIANTS = ["xpress.insight playbook", "uri-loop playbook", "raw requests script"]
TREE_VARIANTS = ["xpress.insight tree playbook", "raw requests script"]
EXPECTED = (
    [("0 Ansible alone", "empty playbook"), ("0 Ansible alone", "one ping task playbook"),
     ("0 Ansible alone", "one debug task playbook")]
    + [("1 tree 14 folders", v) for v in PLAYBOOK_VARIANTS]
    + [("2 tree converged", v) for v in PLAYBOOK_VARIANTS]
    + [("3 cancel 10 jobs", v) for v in PLAYBOOK_VARIANTS]
    + [("4 inventory 100 jobs", v) for v in ["plugin ansible-inventory --list", "raw paged fetch", "bare ansible-inventory --list",
                                             "replayed from a file (ansible-core floor)"]]
    + [("5 tree option 18 folders", v) for v in TREE_VARIANTS]
    + [("6 tree option converged", v) for v in TREE_VARIANTS]
)


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
    assert sorted(rows) == sorted(EXPECTED)
    # The printed table carries the same rows.
    table = proc.stdout.split("median s", 1)[1]
    for workload, variant in EXPECTED:
        assert any(workload in line and variant in line for line in table.splitlines()), (workload, variant)

    # 2x2x2 tree: 14 folders, one POST each; every side makes the minimal number of calls on the folder workloads.
    for variant in PLAYBOOK_VARIANTS:
        made = rows[("1 tree 14 folders", variant)]
        assert made["writes"] == "14" and int(made["requests"]) >= int(made["minimal"]) == 17
        converged = rows[("2 tree converged", variant)]
        assert converged["writes"] == "0" and int(converged["requests"]) >= int(converged["minimal"]) == 9
        cancel = rows[("3 cancel 10 jobs", variant)]
        assert cancel["writes"] == "10"
    assert rows[("2 tree converged", "xpress.insight playbook")]["requests"] == "9"
    # The tree option (2x2x3 in the smoke run): one POST per folder, and the converged run makes the minimal calls.
    for variant in TREE_VARIANTS:
        made = rows[("5 tree option 18 folders", variant)]
        assert made["writes"] == "18" and int(made["requests"]) >= int(made["minimal"]) == 21
        converged = rows[("6 tree option converged", variant)]
        assert converged["writes"] == "0" and int(converged["requests"]) >= int(converged["minimal"]) == 9
    assert rows[("5 tree option 18 folders", "xpress.insight tree playbook")]["requests"] == "21"
    assert rows[("6 tree option converged", "xpress.insight tree playbook")]["requests"] == "9"
    assert {"workload": "6", "target": "xpress.insight writes == 0", "value": 0, "met": True} in data["checks"]
    assert {"workload": "2", "target": "xpress.insight writes == 0", "value": 0, "met": True} in data["checks"]
    # Ansible-only rows talk to nobody; the inventory row reads every job in a few pages.
    assert rows[("0 Ansible alone", "empty playbook")]["requests"] == "0"
    assert int(rows[("4 inventory 100 jobs", "plugin ansible-inventory --list")]["requests"]) >= 2
    # The replayed inventory (checked by the bench to list what the plugin lists) talks to nobody either.
    assert rows[("4 inventory 100 jobs", "replayed from a file (ansible-core floor)")]["requests"] == "0"
    # Every speed and memory target carries the floor measured in the same run, so a miss says whether it is ours.
    floors = [c for c in data["checks"] if "<=" in c["target"] or ">=" in c["target"]]
    assert len(floors) == 10 and all(isinstance(c["floor"], float) and isinstance(c["reachable"], bool) for c in floors)
    assert data["machine"]["cores"] >= 1 and data["machine"]["ansible_core"]
    assert "| workload | variant |" in markdown.read_text(encoding="utf-8")
