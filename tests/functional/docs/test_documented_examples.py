"""Every documented example runs as written: each plugin's EXAMPLES, the YAML and console snippets of README.md and
docs/docsite/rst/*.rst, against a seeded emulator, with the real ansible-playbook and ansible-inventory.

How it works (doc_examples.py extracts, this file runs):
- Plugins are discovered (plugins/modules/*.py, plugins/inventory/*.py): a new module's EXAMPLES run with no change
  here. Each top-level task of EXAMPLES is one snippet; the tasks of one source file run in one play, in order, so
  one example may use what an earlier one registered. Each snippet sits in a block whose rescue names it, so every
  failing snippet is reported by name and the run goes on.
- Each source file starts from the same seed: the demo data plus examples_seed.yml. **Seed data for a new module's
  examples goes into examples_seed.yml** (apps and folders merged into the demo ones by name, jobs appended, ids
  given where an example names one; `vars` for the variables a guide leaves to the reader, such as `job_id`).
- Only server-specific values are replaced: a `url` of https://insight.example.com becomes the emulator's, `ca_path`
  its CA (the getting-started guide runs against the TLS emulator), and credentials come from INSIGHT_* or the
  variables `insight_client_id` / `insight_secret`. Names and ids stay as written, so they must exist in the seed.
- Console snippets run their `ansible-playbook` / `ansible-inventory` lines in the source's working directory
  (which links `playbooks/`); files they name are snippets marked `.. example-file: <path>` in the guide.
- A snippet that cannot run is marked where it is written (`# not-runnable: <reason>` above an EXAMPLES task,
  `.. not-runnable: <reason>` before an rst code-block, `<!-- not-runnable: <reason> -->` before a README fence);
  one neither runnable nor marked fails test_every_snippet_is_runnable_or_marked. The counts and the marked ones
  are printed at the end of the pytest run (conftest.py)."""
from __future__ import annotations

import copy
import json
import re
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
import yaml

import demo_capture
import doc_examples as dx
from ansible_fixtures import BIN, _capture, ansible_env

HERE = Path(__file__).resolve().parent
DEMO = dx.ROOT / "tests" / "insight_emulator" / "data" / "demo.yml"
EXAMPLE_URL = "https://insight.example.com"
# The getting-started guide names a CA file (ca_path): it runs against the --tls emulator, with that emulator's CA.
TLS_SOURCES = {"docs/docsite/rst/getting_started.rst"}
RUNNABLE = (dx.TASKS, dx.PLAY, dx.INVENTORY, dx.CONSOLE, dx.FILE)
SNIPPETS = dx.all_snippets()
SOURCES = sorted({s.source for s in SNIPPETS if not s.marked and s.kind in RUNNABLE})


def _merge_nodes(base: List[Dict[str, Any]], extra: List[Dict[str, Any]]) -> None:
    for entry in extra:
        same = next((b for b in base if b.get("name") == entry.get("name")), None)
        if same is None:
            base.append(copy.deepcopy(entry))
            continue
        for key in ("folders", "scenarios"):
            if entry.get(key):
                same.setdefault(key, [])
                _merge_nodes(same[key], entry[key])


def examples_seed() -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(the seed document, the reader's variables): the demo data plus examples_seed.yml."""
    seed = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    extra = yaml.safe_load((HERE / "examples_seed.yml").read_text(encoding="utf-8"))
    _merge_nodes(seed["apps"], extra.get("apps") or [])
    seed["jobs"] = list(seed.get("jobs") or []) + list(extra.get("jobs") or [])
    return seed, dict(extra.get("vars") or {})


def server_values(data: Any, url: str, ca: Optional[str], creds: Optional[Dict[str, str]] = None) -> Any:
    """The snippet with its server-specific values pointed at the emulator; nothing else changes."""
    if isinstance(data, list):
        return [server_values(item, url, ca, creds) for item in data]
    if not isinstance(data, dict):
        return data
    out: Dict[str, Any] = {}
    for key, value in data.items():
        if key == "url" and isinstance(value, str) and value.startswith(EXAMPLE_URL):
            out[key] = url
        elif key == "ca_path":
            if ca:
                out[key] = ca
        elif creds is not None and key in creds and isinstance(value, str) and "{{" not in value:
            out[key] = creds[key]
        else:
            out[key] = server_values(value, url, ca, creds)
    return out


def _tasks_of(snippet: dx.Snippet) -> List[Any]:
    return snippet.data if isinstance(snippet.data, list) else [snippet.data]


def _guarded(tasks: List[Any], label: str) -> List[Dict[str, Any]]:
    """The snippet's tasks in a block whose rescue records the snippet by name (the run goes on to the next)."""
    return [{
        "name": "example: " + label,
        "block": tasks,
        "rescue": [{"name": "example failed: " + label, "ansible.builtin.set_fact": {
            "examples_failed": "{{ examples_failed | default([]) + [ansible_failed_task.name] }}"}}],
    }]


class SourceRun:
    """Runs the snippets of one source file in order, batching consecutive tasks and plays into one playbook."""

    def __init__(self, source: str, workdir: Path, collection_root: Path, env: Dict[str, str], url: str,
                 ca: Optional[str], extra_vars: Dict[str, Any], creds: Dict[str, str]) -> None:
        self.source, self.workdir, self.collection_root = source, workdir, collection_root
        self.env, self.url, self.ca, self.extra_vars, self.creds = env, url, ca, extra_vars, creds
        self.failures: List[str] = []
        self.ran: List[str] = []
        self.batch: List[Tuple[dx.Snippet, Dict[str, Any]]] = []
        self.runs = 0

    def _run(self, cmd: List[str], kind: str, results: Optional[Path] = None) -> "subprocess.CompletedProcess[str]":
        env = ansible_env(self.collection_root, dict(self.env, INSIGHT_TEST_RESULTS=str(results or "")))
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, cwd=str(self.workdir), check=False)
        _capture(kind, cmd, proc)
        self.runs += 1
        return proc

    def add(self, snippet: dx.Snippet) -> None:
        if snippet.save_as:
            self.save(snippet)
        if snippet.kind == dx.TASKS:
            tasks = _guarded(server_values(_tasks_of(snippet), self.url, self.ca), snippet.label)
            if self.batch and self.batch[-1][0].kind == dx.TASKS:
                self.batch[-1][1]["tasks"] += tasks
            else:
                self.batch.append((snippet, {"name": "examples of " + self.source, "hosts": "localhost",
                                             "connection": "local", "gather_facts": False, "tasks": tasks}))
        elif snippet.kind == dx.PLAY:
            for play in server_values(snippet.data, self.url, self.ca):
                play = dict(play)
                play["tasks"] = _guarded(play.get("tasks") or [], snippet.label)
                self.batch.append((snippet, play))
        elif snippet.kind == dx.INVENTORY:
            self.inventory(snippet)
        elif snippet.kind == dx.CONSOLE:
            self.flush()
            self.console(snippet)
        self.ran.append(snippet.label)

    def save(self, snippet: dx.Snippet) -> None:
        data = server_values(snippet.data, self.url, self.ca, self.creds)
        path = self.workdir / str(snippet.save_as)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(snippet.text if data == snippet.data else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    def flush(self) -> None:
        if not self.batch:
            return
        plays = [entry[1] for entry in self.batch]
        labels = sorted({t["name"][len("example: "):] for p in plays for t in p["tasks"] if t["name"].startswith("example: ")})
        self.batch = []
        n = self.runs
        playbook = self.workdir / ("examples-%d.yml" % n)
        playbook.write_text(yaml.safe_dump(plays, sort_keys=False), encoding="utf-8")
        variables = self.workdir / ("vars-%d.json" % n)
        variables.write_text(json.dumps(dict(self.extra_vars, insight_client_id=self.creds["client_id"],
                                             insight_secret=self.creds["secret"])), encoding="utf-8")
        results = self.workdir / ("results-%d.jsonl" % n)
        proc = self._run([str(BIN / "ansible-playbook"), str(playbook), "-i", "localhost,", "-e", "@%s" % variables],
                         "playbook", results)
        entries = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()] if results.exists() else []
        last_failure: Dict[str, Any] = {}
        rescued = set()
        for entry in entries:
            if entry["status"] == "failed":
                last_failure = entry
            elif entry["task"].startswith("example failed: "):
                label = entry["task"][len("example failed: "):]
                rescued.add(label)
                result = last_failure.get("result", {})
                message = str(result.get("msg", result))[:600]
                self.failures.append("%s: task %r failed: %s" % (label, last_failure.get("task"), message))
        started = {e["task"] for e in entries}
        if proc.returncode != 0 and not rescued:
            self.failures.append("%s: ansible-playbook ended %d:\n%s\n%s" % (", ".join(labels), proc.returncode,
                                                                             proc.stdout[-2000:], proc.stderr[-2000:]))
        elif proc.returncode == 0 and not started:
            self.failures.append("%s: no task ran" % ", ".join(labels))

    def inventory(self, snippet: dx.Snippet) -> None:
        name = Path(str(snippet.save_as or "")).name or snippet.name.strip()
        if not name.endswith(("insight_jobs.yml", "insight_jobs.yaml")):
            name = "example.insight_jobs.yml"
        path = self.workdir / "inventories" / ("%d-%s" % (self.runs, name))
        path.parent.mkdir(exist_ok=True)
        data = server_values(snippet.data, self.url, self.ca, self.creds)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        proc = self._run([str(BIN / "ansible-inventory"), "-i", str(path), "--list"], "inventory")
        try:
            listed = json.loads(proc.stdout) if proc.returncode == 0 else {}
        except ValueError:
            listed = {}
        if "insight_jobs" not in listed or "Failed to parse" in proc.stderr:
            self.failures.append("%s: ansible-inventory ended %d:\n%s" % (snippet.label, proc.returncode, proc.stderr[-2000:]))

    def console(self, snippet: dx.Snippet) -> None:
        for command in snippet.commands:
            proc = self._run(["bash", "-c", command], "console")
            if proc.returncode != 0:
                self.failures.append("%s: `%s` ended %d:\n%s\n%s" % (
                    snippet.label, command, proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:]))


def source_groups() -> List[List[str]]:
    """The sources run together in one ansible-playbook (those without console snippets, the emulator reset by a
    play between them: each ansible-playbook start costs seconds), then each other source alone."""
    console = {s.source for s in SNIPPETS if s.kind == dx.CONSOLE and not s.marked}
    together = [source for source in SOURCES if source not in console and source not in TLS_SOURCES]
    return [together] + [[source] for source in SOURCES if source not in together]


# Sources whose examples wait for a job to finish: the job clock runs for them (at this speed), from their first
# snippet until the next source's reset pauses it again. Every other source sees the seeded statuses as written.
RUNNING_CLOCK = {"plugins/modules/insight_job_launch.py": 20.0, "docs/docsite/rst/job_runs.rst": 20.0,
                 "docs/docsite/rst/job_cleanup.rst": 20.0, "README.md": 20.0}


def clock_play(control: Any, source: str) -> Dict[str, Any]:
    def call(name: str, body: Dict[str, Any]) -> Dict[str, Any]:
        return {"name": name, "ansible.builtin.uri": {
            "url": control.url + "/_emulator/clock", "method": "POST", "body_format": "json", "body": body,
            "ca_path": control.ca, "status_code": 200}}
    return {"name": "the job clock runs, for " + source, "hosts": "localhost", "connection": "local",
            "gather_facts": False,
            "tasks": [call("clock speed for " + source, {"action": "speed", "speed": RUNNING_CLOCK[source]}),
                      call("clock resumed for " + source, {"action": "resume"})]}


def reset_play(control: Any, seed: Dict[str, Any], source: str) -> Dict[str, Any]:
    return {"name": "the examples seed, for " + source, "hosts": "localhost", "connection": "local", "gather_facts": False,
            "tasks": [{"name": "reset the emulator for " + source, "ansible.builtin.uri": {
                "url": control.url + "/_emulator/reset", "method": "POST", "body_format": "json",
                "body": {"data": seed}, "ca_path": control.ca, "status_code": 200}}]}


@pytest.mark.parametrize("sources", source_groups(), ids=lambda group: group[0] if len(group) == 1 else "plugins+README")
def test_documented_examples_run(sources: List[str], request: pytest.FixtureRequest, collection_root: Path,
                                 tmp_path: Path) -> None:
    process = request.getfixturevalue("emulator_tls" if sources[0] in TLS_SOURCES else "emulator")
    control = process.control()
    seed, reader_vars = examples_seed()
    control.reset(seed)
    full = control.users["alice"]
    env = {"INSIGHT_URL": control.url, "INSIGHT_CLIENT_ID": full["client_id"], "INSIGHT_SECRET": full["secret"]}
    if control.ca:
        env["INSIGHT_CA_PATH"] = control.ca
    creds = {"client_id": full["client_id"], "secret": full["secret"]}
    (tmp_path / "playbooks").symlink_to(dx.ROOT / "playbooks")
    run = SourceRun(", ".join(sources), tmp_path, collection_root, env, control.url, control.ca, reader_vars, creds)
    for index, source in enumerate(sources):
        if index:
            run.batch.append((dx.Snippet(source, 0, "reset", dx.PLAY, ""), reset_play(control, seed, source)))
        if source in RUNNING_CLOCK:
            run.batch.append((dx.Snippet(source, 0, "clock", dx.PLAY, ""), clock_play(control, source)))
        run.source = source
        for snippet in SNIPPETS:
            if snippet.source == source and not snippet.marked and snippet.kind in RUNNABLE:
                run.add(snippet)
    run.flush()
    assert run.ran, "no runnable snippet in %s" % sources
    assert not run.failures, "%d of the %d examples of %s failed:\n%s" % (
        len(run.failures), len(run.ran), ", ".join(sources), "\n".join(run.failures))


def test_every_snippet_is_runnable_or_marked() -> None:
    unknown = [s.label for s in SNIPPETS if not s.marked and s.kind == dx.UNKNOWN]
    assert not unknown, ("these snippets can neither be run nor are they marked `not-runnable: <reason>` "
                         "(see doc_examples.py):\n" + "\n".join(unknown))
    assert len(SNIPPETS) >= 50 and sum(1 for s in SNIPPETS if s.source.startswith("plugins/")) >= 20


# What runs each shipped playbook and rulebook; a new one fails the test until it is run somewhere.
SHIPPED = {
    "playbooks/job_report.yml": "docs/docsite/rst/getting_started.rst (console snippet), make demo",
    "playbooks/provision_folders.yml": "tests/functional/playbooks/test_use_cases.py",
    "playbooks/nightly_cleanup.yml": "tests/functional/playbooks/test_use_cases.py",
    "playbooks/run_scenario.yml": "docs/docsite/rst/job_runs.rst (console snippet), make demo",
    "playbooks/ops_runbook.yml": "tests/functional/playbooks/test_use_cases.py",
    "playbooks/eda_save_failed_job.yml": "tests/functional/extensions/eda/test_eda_rulebook.py",
    "playbooks/eda_cancel_queued_job.yml": "tests/functional/extensions/eda/test_eda_rulebook.py",
    "extensions/eda/rulebooks/insight_job_alerts.yml": "tests/functional/extensions/eda/test_eda_rulebook.py",
}


def test_every_shipped_playbook_and_rulebook_is_run() -> None:
    shipped = {str(p.relative_to(dx.ROOT)) for p in (dx.ROOT / "playbooks").glob("*.yml")}
    shipped |= {str(p.relative_to(dx.ROOT)) for p in (dx.ROOT / "extensions" / "eda" / "rulebooks").glob("*.yml")}
    assert shipped == set(SHIPPED), "map each shipped playbook to what runs it: %s" % sorted(shipped ^ set(SHIPPED))
    for name, runner in SHIPPED.items():
        first = runner.split(" ", maxsplit=1)[0]
        text = (dx.ROOT / first).read_text(encoding="utf-8")
        stem = Path(name).stem
        assert stem in text or (stem.startswith("eda_") and "insight_job_alerts" in text), (name, runner)
    rulebook = (dx.ROOT / "extensions/eda/rulebooks/insight_job_alerts.yml").read_text(encoding="utf-8")
    assert "eda_save_failed_job" in rulebook and "eda_cancel_queued_job" in rulebook


def _normalised(line: str) -> str:
    line = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", "<time>", line.rstrip())
    return re.sub(r"http://127\.0\.0\.1:\d+", "http://127.0.0.1:<port>", line)


def readme_transcript() -> List[str]:
    """The lines of README.md's `make demo` transcript (the text block after "make demo ... prints"), `...` left out."""
    text = (dx.ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"`make demo` runs .*?```text\n(.*?)```", text, flags=re.S)
    assert match, "README.md has no `make demo` transcript"
    return [line for line in match.group(1).splitlines() if line.strip() and line.strip() != "..."]


def transcript_drift(shown: List[str], printed: str) -> List[str]:
    """README lines that do not appear in the demo's output in the README's order (added output lines are fine)."""
    lines = [_normalised(line) for line in printed.splitlines()]
    missing, at = [], 0
    for line in shown:
        want = _normalised(line)
        try:
            at = lines.index(want, at) + 1
        except ValueError:
            missing.append(line)
    return missing


def test_readme_demo_transcript_matches_what_make_demo_prints() -> None:
    """Against the captured run of the demo (demo_capture.py says why, and how to capture it again)."""
    captured_with, printed = demo_capture.read_capture()
    assert captured_with == demo_capture.fingerprint(), (
        "the demo (ci/demo.sh, its playbooks or the demo data) changed since tests/functional/docs/demo_output.txt "
        "was captured: run `PYTHONPATH=tests .venv/bin/python tests/functional/docs/demo_capture.py`, then compare "
        "README.md's transcript with it")
    missing = transcript_drift(readme_transcript(), printed)
    assert not missing, ("README.md's make demo transcript shows lines the demo does not print, in this order:\n"
                         + "\n".join(missing) + "\n--- the captured run: tests/functional/docs/demo_output.txt")


def test_transcript_check_catches_drift() -> None:
    """The comparison itself: a README line the output lacks, or lines out of order, are reported."""
    printed = "a\n  b: 1\nc  \nd\n"
    assert transcript_drift(["a", "  b: 1", "d"], printed) == []
    assert transcript_drift(["a", "  b: 2"], printed) == ["  b: 2"]
    assert transcript_drift(["d", "a"], printed) == ["a"]


# "``option`` (default ``value``" and "``option`` requests (default value, ..." in a guide's prose.
_STATED_DEFAULT = re.compile(r"``(?P<option>[a-z_]+)``(?P<between>[^.;()`]{0,20})\(default (?:``)?(?P<value>[^`,) ]+)")
_REF = re.compile(r":ref:`xpress\.insight\.(?P<plugin>insight_\w+) <[^>]*_(?P<type>module|inventory)>`")
# The event source has no ansible-doc page (its guide is its reference): its defaults are not checked here.
NO_ANSIBLE_DOC = {"docs/docsite/rst/event_source.rst"}


def plugin_docs(collection_root: Path) -> Dict[str, Dict[str, Any]]:
    """{plugin name: its options} from ansible-doc --json. ansible-test sanity (validate-modules) fails when a
    documented default differs from the argument spec, so these are the argspec's defaults."""
    names = {"module": ["xpress.insight." + p.stem for p in (dx.ROOT / "plugins" / "modules").glob("*.py")],
             "inventory": ["xpress.insight." + p.stem for p in (dx.ROOT / "plugins" / "inventory").glob("*.py")]}
    options: Dict[str, Dict[str, Any]] = {}
    for kind, plugins in names.items():
        cmd = [str(BIN / "ansible-doc"), "--json", "-t", kind] + sorted(plugins)
        proc = subprocess.run(cmd, env=ansible_env(collection_root), capture_output=True, text=True, timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr
        for name, doc in json.loads(proc.stdout).items():
            options[name.split(".")[-1]] = doc["doc"].get("options") or {}
    return options


def stated_defaults() -> List[Tuple[str, int, str, str, List[str]]]:
    """(guide, line, option, value, the plugins the guide is about) for each default a guide states."""
    found = []
    for path in sorted((dx.ROOT / "docs" / "docsite" / "rst").glob("*.rst")):
        rel = str(path.relative_to(dx.ROOT))
        if rel in NO_ANSIBLE_DOC:
            continue
        text = path.read_text(encoding="utf-8")
        about = sorted({m.group("plugin") for m in _REF.finditer(text)})
        for number, line in enumerate(text.splitlines(), 1):
            for match in _STATED_DEFAULT.finditer(line):
                found.append((rel, number, match.group("option"), match.group("value"), about))
        # The getting-started table of environment variables: option, variable, default.
        for option, value in re.findall(r"\* - ``(\w+)``\n\s+- ``INSIGHT_\w+``\n\s+- ``([^`]+)``", text):
            found.append((rel, 0, option, value, about))
    return found


def effective_default(option: Dict[str, Any]) -> Any:
    """The option's default; for a connection option with an INSIGHT_* fallback (no argspec default, so that the
    variable can apply), the value its description gives for neither being set."""
    if option.get("default") is not None:
        return option["default"]
    description = " ".join(option.get("description") or [])
    match = re.search(r"V\(([^)]+)\) if that is not set either", description)
    return match.group(1) if match else None


def _same(documented: Any, stated: str) -> bool:
    return str(documented).lower() == stated.lower()


def test_defaults_the_guides_state_are_the_modules_defaults(collection_root: Path) -> None:
    options = plugin_docs(collection_root)
    stated = stated_defaults()
    assert len(stated) >= 6, stated
    wrong = []
    for guide, line, option, value, about in stated:
        plugins = [p for p in (about or sorted(options)) if option in options.get(p, {})] or \
            [p for p in sorted(options) if option in options[p]]
        if not plugins:
            wrong.append("%s:%d: ``%s`` is no option of any plugin" % (guide, line, option))
        for plugin in plugins:
            default = effective_default(options[plugin][option])
            if not _same(default, value):
                wrong.append("%s:%d: ``%s`` (default %s), but %s's default is %r" % (guide, line, option, value, plugin, default))
    assert not wrong, "\n".join(wrong)
