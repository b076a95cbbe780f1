"""Every module and inventory plugin has an ansible-test integration target (tests/integration/targets), built the
same way: runme.sh (a module's is the shared one, which starts the emulator), main.yml and aliases."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TARGETS = ROOT / "tests" / "integration" / "targets"


def expected_targets() -> list:
    modules = sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("*.py") if not p.stem.startswith("_"))
    inventories = sorted("inventory_" + p.stem for p in (ROOT / "plugins" / "inventory").glob("*.py")
                         if not p.stem.startswith("_"))
    return modules + inventories


def test_every_plugin_has_an_integration_target():
    expected = expected_targets()
    assert len(expected) >= 8
    runme = (TARGETS / "insight_job_info" / "runme.sh").read_text(encoding="utf-8")
    missing = []
    for name in expected:
        target = TARGETS / name
        for part in ("runme.sh", "main.yml", "aliases"):
            if not (target / part).is_file():
                missing.append("%s/%s" % (name, part))
        # A module's target runs main.yml with the shared runme.sh; the inventory's runs ansible-inventory too.
        if not name.startswith("inventory_") and (target / "runme.sh").is_file() and \
                (target / "runme.sh").read_text(encoding="utf-8") != runme:
            missing.append("%s/runme.sh differs from the shared one" % name)
    assert not missing, "copy tests/integration/targets/insight_job_info and rewrite main.yml: " + ", ".join(missing)
