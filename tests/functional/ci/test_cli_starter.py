"""The suite's preloaded start of ansible-playbook and ansible-inventory (tests/functional/cli_starter.py) gives what
a new process gives: the same exit codes, task results, output and inventory, the run's own configuration and
environment, and the same timeout."""

from __future__ import annotations

import re
import subprocess

import pytest

import cli_starter

TRACE = re.compile(r"\b[0-9a-f]{16,32}\b|playbook-[0-9]+")


def comparable(result):
    """A task result without what differs between any two runs: Ansible's own keys and the server's trace ids."""
    return TRACE.sub("?", repr({key: value for key, value in result.items() if not key.startswith("_ansible")}))


def test_only_what_reads_no_configuration_is_preloaded():
    for name in ("jinja2", "yaml", "requests", "ansible", "ansible.release", "ansible.module_utils.basic"):
        assert cli_starter.shareable(name), name
    for name in ("ansible.constants", "ansible.config.manager", "ansible.cli.playbook", "ansible.plugins.loader",
                 "ansible_collections.xpress.insight.plugins.module_utils._client", "__main__"):
        assert not cli_starter.shareable(name), name


def test_both_starts_give_the_same_results_and_output(insight, run_playbook):
    play = {"hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "folder", "xpress.insight.insight_folder_info": {"path": "/Logistics/Reports"}},
        {"name": "jobs", "xpress.insight.insight_job_info": {"app": "Logistics"}},
        {"name": "would cancel", "xpress.insight.insight_job_cancel": {"app": "Logistics", "status": ["QUEUED"]},
         "check_mode": True},
        {"name": "hidden", "xpress.insight.insight_job_info": {}, "no_log": True},
        {"name": "bad option", "xpress.insight.insight_folder_info": {"path": "/Logistics", "colour": "red"},
         "ignore_errors": True},
        {"name": "fails the play", "xpress.insight.insight_folder_info": {"path": "  "}},
    ]}
    runs = {start: run_playbook(play, diff=True, start=start) for start in cli_starter.START_MODES}
    preloaded, new = runs["preloaded"], runs["exec"]
    assert preloaded.rc == new.rc == 2, (preloaded, new)
    assert [(e["task"], e["status"]) for e in preloaded.results] == [(e["task"], e["status"]) for e in new.results]
    for name in ("folder", "jobs", "would cancel", "hidden", "bad option", "fails the play"):
        assert comparable(preloaded.task(name)) == comparable(new.task(name)), name
    assert TRACE.sub("?", preloaded.stdout) == TRACE.sub("?", new.stdout)
    assert "colour" in preloaded.task("bad option")["msg"]


def test_each_run_reads_its_own_configuration_environment_and_directory(insight, run_playbook, tmp_path):
    play = {"hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "seen", "ansible.builtin.set_fact": {
            "timeout": "{{ lookup('ansible.builtin.config', 'DEFAULT_TIMEOUT') }}",
            "marker": "{{ lookup('ansible.builtin.env', 'STARTER_MARKER') }}",
            "cwd": "{{ lookup('ansible.builtin.pipe', 'pwd') }}"}}]}
    seen = []
    for start, timeout in (("preloaded", "37"), ("preloaded", "41"), ("exec", "43")):
        result = run_playbook(play, env={"ANSIBLE_TIMEOUT": timeout, "STARTER_MARKER": start + timeout}, start=start)
        facts = result.task("seen")["ansible_facts"]
        seen.append((str(facts["timeout"]), facts["marker"], facts["cwd"]))
    assert seen == [("37", "preloaded37", str(tmp_path)), ("41", "preloaded41", str(tmp_path)),
                    ("43", "exec43", str(tmp_path))]


def test_both_starts_list_the_same_inventory(insight, run_inventory):
    inventory = {"plugin": "xpress.insight.insight_jobs"}
    listing = run_inventory(inventory, start="preloaded")
    assert len(listing["_meta"]["hostvars"]) > 1 and listing == run_inventory(inventory, start="exec")


@pytest.mark.parametrize("start", cli_starter.START_MODES)
def test_a_run_past_its_timeout_is_killed(run_playbook, start):
    play = {"hosts": "localhost", "gather_facts": False, "tasks": [{"ansible.builtin.pause": {"seconds": 60}}]}
    with pytest.raises(subprocess.TimeoutExpired):
        run_playbook(play, timeout=3, start=start)
