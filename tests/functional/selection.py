"""pytest plugin: which functional tests each CI leg runs (ci/README.md, "Legs"). Two markers, set here from explicit
lists so that a leg's selection is one reviewed place, never a -k expression in a script:

- `subset`: the representative subset that the ansible-core 2.16 ("floor") and newest legs run. Every plugin
  (module, inventory, event source) has its own suite file `test_<plugin>.py` in it, found by name, plus the files
  of SUBSET_EXTRA (the client, the documented first playbook). A plugin without such a file stops the collection:
  add the file, or name another one in SUBSET_EXTRA and PLUGIN_SUITES.
- `runs_modules`: tests that execute a module (an ansible-playbook run), which the module-path leg runs again with
  INSIGHT_TEST_EXECUTION=module: everything that uses the `run_playbook` fixture, everything under the directories of
  MODULE_DIRS, and the files of MODULE_FILES that start ansible-playbook themselves. Not the files of
  FIXED_PATH_FILES: they name the execution path of every run themselves, so a second leg would repeat them
  unchanged (marker `fixed_path`; `run_playbook` fails a run of theirs that does not pass `insight_execution`).

`pytest tests/functional -m subset --collect-only -q` lists a selection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

import pytest

FUNCTIONAL = Path(__file__).resolve().parent
ROOT = FUNCTIONAL.parents[1]

# Beyond each plugin's own suite: the client's real HTTP behaviour, and the README's first playbook end to end.
SUBSET_EXTRA = (
    "plugins/module_utils/test_client.py",
    "playbooks/test_first_playbook.py",
)
# A plugin whose suite file is not test_<plugin>.py: plugin name -> file (relative to tests/functional).
PLUGIN_SUITES: Dict[str, str] = {
    "insight_jobs:event_source": "extensions/eda/test_eda_insight_jobs_source.py",
}

MODULE_DIRS = ("plugins/modules/", "playbooks/")
MODULE_FILES = (
    "reliability/test_bad_input.py",
    "reliability/test_concurrency.py",
    "reliability/test_header_trickle.py",
)
# File -> why its runs do not depend on INSIGHT_TEST_EXECUTION.
FIXED_PATH_FILES: Dict[str, str] = {
    "plugins/action/test_execution_paths.py": "runs each task on both paths and compares them",
    "bench/test_bench_smoke.py": "the bench runs the collection's default path, and its workload 12 once more forced "
                                 "onto the module path (bench/README.md); INSIGHT_TEST_EXECUTION does not reach it",
}


def plugins() -> Dict[str, str]:
    """Every plugin a user can name -> where its suite lives by default (modules, inventory, event sources)."""
    found: Dict[str, str] = {}
    for kind in ("modules", "inventory"):
        for path in sorted((ROOT / "plugins" / kind).glob("*.py")):
            if path.stem != "__init__":
                found[path.stem] = "plugins/%s/test_%s.py" % (kind, path.stem)
    for path in sorted((ROOT / "extensions" / "eda" / "plugins" / "event_source").glob("*.py")):
        if path.stem != "__init__":
            found["%s:event_source" % path.stem] = "extensions/eda/test_%s.py" % path.stem
    found.update((name, suite) for name, suite in PLUGIN_SUITES.items() if name in found)
    return found


def subset_files() -> List[str]:
    files = list(SUBSET_EXTRA)
    missing = []
    for plugin, suite in plugins().items():
        if (FUNCTIONAL / suite).is_file():
            files.append(suite)
        else:
            missing.append("%s (no %s)" % (plugin, suite))
    if missing:
        raise pytest.UsageError("tests/functional/selection.py: the `subset` marker misses plugins: %s"
                                % ", ".join(missing))
    absent = [name for name in SUBSET_EXTRA + MODULE_FILES + tuple(FIXED_PATH_FILES)
              if not (FUNCTIONAL / name).is_file()]
    if absent:
        raise pytest.UsageError("tests/functional/selection.py names files that do not exist: %s" % ", ".join(absent))
    return files


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "subset: the representative functional subset of the ansible-core 2.16 and "
                            "newest legs (tests/functional/selection.py)")
    config.addinivalue_line("markers", "runs_modules: a test that executes a module; the module-path leg runs these "
                            "(tests/functional/selection.py)")
    config.addinivalue_line("markers", "fixed_path: a test whose runs name their execution path themselves; the "
                            "module-path leg leaves it out (tests/functional/selection.py)")


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    subset = set(subset_files())
    for item in items:
        try:
            rel = Path(str(item.fspath)).resolve().relative_to(FUNCTIONAL).as_posix()
        except ValueError:
            continue
        if rel in subset:
            item.add_marker(pytest.mark.subset)
        if rel in FIXED_PATH_FILES:
            item.add_marker(pytest.mark.fixed_path)
        elif ("run_playbook" in getattr(item, "fixturenames", ()) or rel.startswith(MODULE_DIRS)
                or rel in MODULE_FILES):
            item.add_marker(pytest.mark.runs_modules)
