"""Host variables named by the server: with `prefix: ''` the job fields become variables as they are named, so a
server (or a job field added to Insight one day) must never set Ansible's own ansible_* variables, which change how
and where tasks run. Such fields are skipped with one warning; a prefix that itself starts with ansible_ is refused."""

from __future__ import annotations

import json

from hostile_server import answer, job, page
from inventory_helpers import plain

INVENTORY = "xpress.insight.insight_jobs"
JOB_ID = "00000000-0000-4000-8000-0000000a0517"


def crafted_job() -> dict:
    item = job(JOB_ID)
    item.update({"ansible_host": "evil.example.com", "ansiblePythonInterpreter": "/tmp/evil-python",
                 "ANSIBLE_become": True, "label": "kept"})
    return item


def test_fields_that_would_be_ansible_variables_are_skipped_with_one_warning(hostile, run_inventory):
    hostile.route("GET", "/api/jobs", answer(page([crafted_job(), dict(crafted_job(), id=JOB_ID[:-1] + "8")],
                                                  last=True, total=2)))
    proc = run_inventory({"plugin": INVENTORY, "prefix": ""}, "--list", raw=True, env=hostile.env())
    assert proc.returncode == 0, proc.stderr
    hostvars = plain(json.loads(proc.stdout)["_meta"]["hostvars"])
    assert sorted(hostvars) == sorted([JOB_ID, JOB_ID[:-1] + "8"])
    for variables in hostvars.values():
        assert not [name for name in variables if name.lower().startswith("ansible_") and name != "ansible_connection"]
        assert variables["ansible_connection"] == "local"  # the plugin's own, not the server's
        assert variables["status"] == "QUEUED" and variables["label"] == "kept"
    warnings = [line for line in proc.stderr.splitlines() if "ansible_* namespace" in line]
    assert len(warnings) == 1, proc.stderr
    for name in ("ansible_host", "ansible_python_interpreter"):
        assert name in warnings[0], warnings


def test_a_prefix_in_ansibles_namespace_is_refused(hostile, run_inventory):
    proc = run_inventory({"plugin": INVENTORY, "prefix": "Ansible_"}, raw=True,
                         env=dict(hostile.env(), ANSIBLE_INVENTORY_UNPARSED_FAILED="true"))
    assert proc.returncode != 0
    assert "prefix: 'Ansible_' would let server fields set Ansible's own ansible_* variables" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert hostile.log == []  # refused before any call
