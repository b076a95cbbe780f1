"""Workloads 5 (a 1,000-folder tree through insight_folder's `tree:` option, in an empty app) and 6 (its converged
re-run), against the raw script of workloads 1-2 doing exactly the needed calls for the same tree."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Sequence

import folder_workloads
from harness import Bench, Entry, Row, RunFailed, Sample, no_calls
from report import FLOOR_TASK

XPRESS = "xpress.insight tree playbook"
RAW = "raw requests script"


def tree_nodes(shape: Sequence[int]) -> List[Dict[str, Any]]:
    """The same tree as folder_workloads.tree_levels, in the nested form of the `tree:` option."""
    names = folder_workloads.NAMES
    return [{"name": "%s %d" % (names[0], a), "children": [
        {"name": "%s %d" % (names[1], b), "children": [{"name": "%s %d" % (names[2], c)} for c in range(1, shape[2] + 1)]}
        for b in range(1, shape[1] + 1)]} for a in range(1, shape[0] + 1)]


def write_vars(bench: Bench, shape: Sequence[int]) -> Path:
    levels = folder_workloads.tree_levels(shape)
    data = {"tree_app": folder_workloads.APP, "tree_nodes": tree_nodes(shape), "level1": levels[0], "level2": levels[1],
            "level3": levels[2]}
    target = Path(bench.work) / "big_tree_vars.json"
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def run(bench: Bench, shape: Sequence[int], workloads: Sequence[int]) -> List[Row]:
    vars_file = write_vars(bench, shape)
    wanted = sorted(folder_workloads.all_paths(shape))
    variants = [(FLOOR_TASK, bench.floor_playbook("tree_xpress.yml", vars_file)),
                (XPRESS, bench.playbook("tree_xpress.yml", vars_file)),
                (RAW, bench.script("folders_raw.py", str(vars_file)))]
    rows: List[Row] = []
    for number, built in ((5, False), (6, True)):
        if number not in workloads:
            continue
        workload = "%d %s" % (number, "tree option converged" if built else "tree option %d folders" % len(wanted))

        def prepare(built: bool = built) -> None:
            bench.control.reset(folder_workloads.seed(shape, built))

        def check(sample: Sample, built: bool = built) -> None:
            found = folder_workloads.folder_paths(bench)
            if found != wanted:
                raise RunFailed("the tree is wrong after the run: %d folders, %d wanted" % (len(found), len(wanted)))
            if built and sample.writes:
                raise RunFailed("the converged run made %d write(s)" % sample.writes)

        turns = [Entry(Row(workload, variant, folder_workloads.minimal_calls(shape, built), work=len(wanted)), cmd, prepare,
                       no_calls if variant == FLOOR_TASK else check) for variant, cmd in variants]
        bench.rotate(turns)
        rows += [turn.row for turn in turns]
    return rows
