"""Every module of the collection has its action plugin (plugins/action/<module>.py), built on the shared base and
running the same engine (SPEC and run) as the module's main(): a module added without one fails here."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
MODULES = sorted(path.stem for path in (ROOT / "plugins" / "modules").glob("*.py") if not path.stem.startswith("_"))
PACKAGE = "ansible_collections.xpress.insight.plugins"


@pytest.fixture
def plugins(collection_root: Path) -> str:
    if str(collection_root) not in sys.path:
        sys.path.insert(0, str(collection_root))
    return PACKAGE


def test_the_modules_are_found() -> None:
    assert "insight_folder_info" in MODULES and len(MODULES) >= 5, MODULES


@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_its_action_plugin(plugins: str, module: str) -> None:
    path = ROOT / "plugins" / "action" / (module + ".py")
    assert path.is_file(), ("plugins/action/%s.py is missing: every module needs its action plugin (a few lines on "
                            "plugins/plugin_utils/_action.py, see plugins/action/insight_folder_info.py)" % module)
    source = (ROOT / "plugins" / "modules" / (module + ".py")).read_text(encoding="utf-8")
    engine_name = re.search(r"module_utils\._run_(\w+) import", source)
    assert engine_name, "plugins/modules/%s.py does not run an engine (_run_<x>.py: SPEC and run)" % module
    engine = importlib.import_module("%s.module_utils._run_%s" % (plugins, engine_name.group(1)))
    action = importlib.import_module("%s.action.%s" % (plugins, module))
    base = importlib.import_module("%s.plugin_utils._action" % plugins)
    assert issubclass(action.ActionModule, base.InsightAction)
    assert action.ActionModule.spec is engine.SPEC, "the action plugin of %s validates another SPEC" % module
    assert action.ActionModule.engine is engine.run, "the action plugin of %s runs another engine" % module
