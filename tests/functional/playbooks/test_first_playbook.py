"""The first playbook of the getting-started guide, copied as a user copies it and run the way the guide says
(`ansible-playbook -i localhost, first.yml`: no `-c local`), and every example play on localhost in the README, the
guides and playbooks/ saying `connection: local`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator, List

import yaml
from ansible.release import __version__ as ansible_version

ROOT = Path(__file__).resolve().parents[3]
GUIDE = ROOT / "docs" / "docsite" / "rst" / "getting_started.rst"
INTERPRETER_VAR = "ansible_python_interpreter"


def rst_blocks(text: str) -> Iterator[str]:
    """The YAML code blocks of an RST page, dedented."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if re.match(r"\s*\.\. code-block:: yaml", line):
            # The block ends at the first line indented no deeper than its directive (which may sit in a list item).
            directive_indent = len(line) - len(line.lstrip())
            body: List[str] = []
            for following in lines[index + 1:]:
                if following.strip() and len(following) - len(following.lstrip()) <= directive_indent:
                    break
                body.append(following)
            indent = min(len(b) - len(b.lstrip()) for b in body if b.strip())
            yield "\n".join(b[indent:] for b in body)


def markdown_blocks(text: str) -> Iterator[str]:
    yield from re.findall(r"```ya?ml\n(.*?)```", text, flags=re.S)


def example_plays() -> Iterator[Any]:
    sources = [(p, rst_blocks(p.read_text(encoding="utf-8"))) for p in sorted((ROOT / "docs" / "docsite" / "rst").glob("*.rst"))]
    sources.append((ROOT / "README.md", markdown_blocks((ROOT / "README.md").read_text(encoding="utf-8"))))
    sources += [(p, iter([p.read_text(encoding="utf-8")])) for p in sorted((ROOT / "playbooks").glob("*.yml"))]
    for path, blocks in sources:
        for block in blocks:
            loaded = yaml.safe_load(block)
            if isinstance(loaded, list):
                for play in loaded:
                    # A rulebook's rule sets have hosts too, but sources instead of tasks: they are not plays.
                    if isinstance(play, dict) and "hosts" in play and "sources" not in play:
                        yield path.name, play


def first_playbook() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("save this play as ``first.yml``")
    return next(rst_blocks(text[start:]))


def test_every_example_play_on_localhost_says_connection_local():
    plays = list(example_plays())
    on_localhost = [(name, play) for name, play in plays if play["hosts"] == "localhost"]
    assert {name for name, _play in on_localhost} >= {"getting_started.rst", "README.md", "provision_folders.yml"}
    for name, play in on_localhost:
        assert play.get("connection") == "local", (name, play.get("name"))


def test_the_first_playbook_runs_as_the_guide_says(insight, run_playbook, tmp_path):
    book = first_playbook()
    assert "connection: local" in book and INTERPRETER_VAR in book
    # A Python without requests, as the one Ansible may discover for localhost: the play's own setting must win.
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=120)
    bare_python = str(bare / "bin" / "python")
    assert subprocess.run([bare_python, "-c", "import requests"], capture_output=True, check=False).returncode != 0
    env = {"ANSIBLE_PYTHON_INTERPRETER": bare_python}

    first = run_playbook(book, inventory="localhost,", env=env)
    assert first.rc == 0, first
    created = first.task("Make sure the planning folders exist")["created"]
    assert created == ["/Logistics/Planning", "/Logistics/Planning/2025", "/Logistics/Planning/2025/Q1",
                       "/Logistics/Planning/2025/Q2"]
    assert first.task("Count the jobs by status")["count_by_status"]
    again = run_playbook(book, inventory="localhost,", env=env)
    assert again.rc == 0 and again.task("Make sure the planning folders exist")["changed"] is False

    # Without the interpreter line, a task run as a module runs under the Python without requests: the one-line
    # error says what to set. In-process (the default on a local connection) the controller's Python runs it.
    without = "\n".join(line for line in book.splitlines() if INTERPRETER_VAR not in line and line.strip() != "vars:")
    # ansible-core before 2.19 runs every task as a module (plugin_utils/_action.py).
    core = tuple(int(part) for part in ansible_version.split(".")[:2])
    if os.environ.get("INSIGHT_TEST_EXECUTION", "inprocess") == "inprocess" and core >= (2, 19):
        in_process = run_playbook(without, inventory="localhost,", env=env)
        assert in_process.rc == 0, in_process
    failed = run_playbook(without, inventory="localhost,", env=env, extra_vars={"insight_execution": "module"})
    assert failed.rc != 0
    msg = failed.task("Make sure the planning folders exist")["msg"]
    assert "Failed to import the required Python library (requests)" in msg and bare_python in msg
    assert "ansible_python_interpreter: '{{ ansible_playbook_python }}'" in msg and "\n" not in msg
