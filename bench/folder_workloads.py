"""Workloads 1 (provision a folder tree in an empty app) and 2 (the converged re-run), three variants each; 7 and 8,
the same on a tree `--scale` times bigger (no uri loop there)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from harness import Bench, Entry, Row, RunFailed, Sample, no_calls
from report import FLOOR_TASK, RAW, URI, XPRESS

APP = "Tree"
NAMES = ("Region", "Site", "Line")


def tree_levels(shape: Sequence[int]) -> List[List[Dict[str, str]]]:
    """The tree as three levels of {name, path, parent}; paths are relative to the app."""
    levels: List[List[Dict[str, str]]] = [[], [], []]
    for a in range(1, shape[0] + 1):
        top = "%s %d" % (NAMES[0], a)
        levels[0].append({"name": top, "path": top, "parent": ""})
        for b in range(1, shape[1] + 1):
            mid = "%s %d" % (NAMES[1], b)
            levels[1].append({"name": mid, "path": top + "/" + mid, "parent": top})
            for c in range(1, shape[2] + 1):
                leaf = "%s %d" % (NAMES[2], c)
                levels[2].append({"name": leaf, "path": "%s/%s/%s" % (top, mid, leaf), "parent": top + "/" + mid})
    return levels


def all_paths(shape: Sequence[int]) -> List[str]:
    return ["/%s/%s" % (APP, item["path"]) for level in tree_levels(shape) for item in level]


def seed(shape: Sequence[int], built: bool) -> Dict[str, Any]:
    app: Dict[str, Any] = {"name": APP}
    if built:
        app["folders"] = [{"name": "%s %d" % (NAMES[0], a), "folders": [
            {"name": "%s %d" % (NAMES[1], b), "folders": [{"name": "%s %d" % (NAMES[2], c)} for c in range(1, shape[2] + 1)]}
            for b in range(1, shape[1] + 1)]} for a in range(1, shape[0] + 1)]
    # Another app with content, so the lookups have something to skip.
    return {"apps": [{"name": "Logistics", "folders": [{"name": "Reports", "scenarios": [{"name": "Base case"}]}]}, app]}


def minimal_calls(shape: Sequence[int], built: bool) -> int:
    """Token + app list + app root listing; then one POST per folder (empty app: a new folder has no children to
    list) or one listing per existing parent of a leaf (converged: top and second-level folders)."""
    if built:
        return 3 + shape[0] + shape[0] * shape[1]
    return 3 + shape[0] + shape[0] * shape[1] + shape[0] * shape[1] * shape[2]


def write_vars(bench: Bench, shape: Sequence[int]) -> Path:
    levels = tree_levels(shape)
    data = {"tree_app": APP, "tree_paths": all_paths(shape), "level1": levels[0], "level2": levels[1], "level3": levels[2]}
    target = Path(bench.work) / ("tree_vars_%s.json" % "x".join(str(n) for n in shape))
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def folder_paths(bench: Bench) -> List[str]:
    prefix = "/%s/" % APP
    return sorted(f["path"] for f in bench.control.state()["folders"] if f["path"].startswith(prefix))


def run(bench: Bench, shape: Sequence[int], uri_reps: int, workloads: Sequence[int], numbers: Tuple[int, int] = (1, 2),
        reps: Optional[int] = None, warmup: Optional[int] = None) -> List[Row]:
    """Workloads 1 and 2, or with numbers (7, 8) the same at scale: no uri loop, `reps` runs after `warmup`."""
    vars_file = write_vars(bench, shape)
    wanted = sorted(all_paths(shape))
    scaled = numbers != (1, 2)
    variants: List[Tuple[str, List[str], bool]] = [
        (FLOOR_TASK, bench.floor_playbook("folders_xpress.yml", vars_file), False),
        (XPRESS, bench.playbook("folders_xpress.yml", vars_file), False),
        (URI, bench.playbook("folders_uri.yml", vars_file), True),
        (RAW, bench.script("folders_raw.py", str(vars_file)), False),
    ]
    rows: List[Row] = []
    for number, built in zip(numbers, (False, True), strict=True):
        if number not in workloads:
            continue
        if built:
            workload = "%d tree converged" % number + (" %d folders" % len(wanted) if scaled else "")
        else:
            workload = "%d tree %d folders" % (number, len(wanted))

        def prepare(built: bool = built) -> None:
            bench.control.reset(seed(shape, built))

        def check(sample: Sample, built: bool = built) -> None:
            found = folder_paths(bench)
            if found != wanted:
                raise RunFailed("the tree is wrong after the run: %d folders, %d wanted" % (len(found), len(wanted)))
            if built and sample.writes:
                raise RunFailed("the converged run made %d write(s)" % sample.writes)

        turns = []
        for variant, cmd, slow in variants:
            if slow and (uri_reps < 1 or scaled):
                continue
            row = Row(workload, variant, minimal_calls(shape, built), work=len(wanted))
            if slow:
                bench.measure(row, cmd, prepare, check, reps=uri_reps, warmup=0)
            else:
                turns.append(Entry(row, cmd, prepare, no_calls if variant == FLOOR_TASK else check))
            rows.append(row)
        bench.rotate(turns, reps=reps, warmup=warmup)
    return rows
