"""The inventory's connection options, as ansible-doc renders them, carry the same texts as the modules'."""

from __future__ import annotations

import json
import subprocess

from ansible_fixtures import BIN, ansible_env


CONNECTION = ("url", "client_id", "secret", "token", "auth_url", "validate_certs", "ca_path", "timeout", "retries",
              "token_lifetime", "allow_http")


def rendered(collection_root, kind, name):
    proc = subprocess.run([str(BIN / "ansible-doc"), "-t", kind, "--json", name], env=ansible_env(collection_root),
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr
    return json.loads(proc.stdout)[name]["doc"]


def test_every_connection_option_of_the_inventory_has_the_module_text(collection_root):
    module = rendered(collection_root, "module", "xpress.insight.insight_job_info")["options"]
    inventory = rendered(collection_root, "inventory", "xpress.insight.insight_jobs")
    options = inventory["options"]
    for name in CONNECTION:
        assert options[name]["description"] == module[name]["description"], name
        assert options[name]["type"] == module[name]["type"], name
        assert options[name]["env"] == [{"name": "INSIGHT_" + name.upper()}], name
    assert options["url"]["required"] is True
    assert (options["timeout"]["default"], options["retries"]["default"], options["token_lifetime"]["default"]) == (30, 3, 900)
    # The module note (module_defaults) is a module's only; the plugin's own notes are kept.
    assert not any("module_defaults" in note for note in inventory["notes"])
    assert any("INSIGHT_*" in note for note in inventory["notes"])
    assert inventory["requirements"] == ["requests"]
