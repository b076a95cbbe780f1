"""Extract the documented examples: each plugin's EXAMPLES, and the YAML and console snippets of README.md and the guides.

No Ansible and no emulator here, so the counts can be printed without running anything (see conftest.py).

Markers, written in the source right before the snippet they concern:
- ``# not-runnable: <reason>``: a YAML comment above a top-level task (or an inventory document) of EXAMPLES;
- ``.. not-runnable: <reason>``: an rst comment before a ``code-block`` of a guide;
- ``<!-- not-runnable: <reason> -->``: before a fenced block of README.md;
- ``.. example-file: <relative path>`` / ``<!-- example-file: <path> -->``: the snippet is saved under that name in
  the working directory of its source (for the console snippets that name it), instead of being run on its own.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[3]

# What each kind of snippet is run with.
TASKS = "tasks"          # a list of tasks: run in one localhost play per source file
PLAY = "play"            # a list of plays on localhost: appended to that playbook
INVENTORY = "inventory"  # an inventory source: ansible-inventory --list
CONSOLE = "console"      # ansible-playbook / ansible-inventory command lines
FILE = "file"            # saved under its example-file name, for a console snippet
UNKNOWN = "unknown"      # neither runnable nor marked: the test fails naming it

CONSOLE_RUNNABLE = ("ansible-playbook", "ansible-inventory")
YAML_LANGS = ("yaml", "yaml+jinja", "yml")
CONSOLE_LANGS = ("console", "bash", "shell", "sh")


@dataclass
class Snippet:
    source: str                      # path relative to the repository root
    line: int                        # 1-based line of the snippet's first line of code
    name: str                        # for reports: the task name, or the section and position
    kind: str
    text: str
    marked: Optional[str] = None     # the reason given by a not-runnable marker
    save_as: Optional[str] = None
    data: Any = None                 # the parsed YAML, for YAML snippets
    commands: List[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "%s:%d %s" % (self.source, self.line, self.name)


def plugin_files() -> List[Path]:
    """Every module and inventory plugin: new ones are picked up without a change to the test."""
    return sorted((ROOT / "plugins" / "modules").glob("*.py")) + sorted((ROOT / "plugins" / "inventory").glob("*.py"))


def doc_files() -> List[Path]:
    return [ROOT / "README.md"] + sorted((ROOT / "docs" / "docsite" / "rst").glob("*.rst"))


def examples_text(path: Path) -> Tuple[str, int]:
    """EXAMPLES of a plugin file, read without importing it, and the file line it starts on."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "EXAMPLES" for t in node.targets):
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value, value.lineno
    return "", 0


_MARK = re.compile(r"^\s*#\s*not-runnable:\s*(.+?)\s*$")


def _chunks(text: str) -> List[Tuple[int, str, Optional[str]]]:
    """Split YAML text into its top-level list items: (line offset, text, marker reason of the comments above)."""
    lines = text.splitlines()
    chunks: List[Tuple[int, str, Optional[str]]] = []
    pending: List[str] = []
    start = None
    current: List[str] = []
    marked: Optional[str] = None
    for index, line in enumerate(lines):
        if line.startswith("- "):
            if current:
                chunks.append((start or 0, "\n".join(current), marked))
            marks = [m.group(1) for m in (_MARK.match(p) for p in pending) if m]
            marked = marks[-1] if marks else None
            current, start, pending = [line], index, []
        elif line.startswith("#") or not line.strip():
            pending.append(line)
            if current and not line.strip():
                current.append(line)
        else:
            current.extend(pending if current else [])
            pending = []
            current.append(line)
    if current:
        chunks.append((start or 0, "\n".join(current), marked))
    return chunks


def plugin_snippets(path: Path) -> List[Snippet]:
    rel = str(path.relative_to(ROOT))
    text, first_line = examples_text(path)
    snippets: List[Snippet] = []
    if path.parent.name == "inventory":
        offset = 0
        for document in re.split(r"^---\s*$", text, flags=re.M):
            comments = [m.group(1) for m in (_MARK.match(line) for line in document.splitlines()) if m]
            data = yaml.safe_load(document)
            if data is not None:
                head = next((line.lstrip("# ") for line in document.splitlines() if line.startswith("#")), "inventory")
                snippets.append(Snippet(rel, first_line + offset, head.split(":")[0], INVENTORY, document,
                                        marked=comments[0] if comments else None, data=data))
            offset += document.count("\n") + 1
        return snippets
    for start, chunk, marked in _chunks(text):
        data = yaml.safe_load(chunk)
        task = data[0] if isinstance(data, list) and data else {}
        snippets.append(Snippet(rel, first_line + start, str(task.get("name", "task")), TASKS, chunk, marked=marked, data=data))
    return snippets


# rst: ".. code-block:: lang" (possibly indented, inside a list item), its options, a blank line, the indented code.
_RST_BLOCK = re.compile(r"^(?P<indent>[ \t]*)\.\. code-block::\s*(?P<lang>\S+)\s*$")
_RST_MARK = re.compile(r"^\s*\.\. (?P<what>not-runnable|example-file):\s*(?P<value>.+?)\s*$")
_MD_FENCE = re.compile(r"^```(?P<lang>[\w+-]*)\s*$")
_MD_MARK = re.compile(r"^\s*<!--\s*(?P<what>not-runnable|example-file):\s*(?P<value>.+?)\s*-->\s*$")
_HEADING = re.compile(r"^(=+|-+|~+)$")


def _rst_blocks(lines: List[str]) -> List[Tuple[int, str, str, Dict[str, str], str]]:
    """(line, lang, code, markers, section) of each code-block."""
    blocks = []
    section = ""
    for index, line in enumerate(lines):
        if index and _HEADING.match(line) and lines[index - 1].strip() and len(line) >= len(lines[index - 1].strip()):
            section = lines[index - 1].strip()
        match = _RST_BLOCK.match(line)
        if not match:
            continue
        markers: Dict[str, str] = {}
        back = index - 1
        while back >= 0 and (not lines[back].strip() or _RST_MARK.match(lines[back])):
            mark = _RST_MARK.match(lines[back])
            if mark:
                markers.setdefault(mark.group("what"), mark.group("value"))
            back -= 1
        indent = len(match.group("indent"))
        body = index + 1
        while body < len(lines) and lines[body].strip().startswith(":") and lines[body].strip():
            body += 1
        code: List[str] = []
        code_start = body
        while body < len(lines):
            text = lines[body]
            if text.strip() and len(text) - len(text.lstrip()) <= indent:
                break
            code.append(text)
            body += 1
        while code and not code[-1].strip():
            code.pop()
        while code and not code[0].strip():
            code.pop(0)
            code_start += 1
        width = min((len(c) - len(c.lstrip()) for c in code if c.strip()), default=0)
        blocks.append((code_start + 1, match.group("lang"), "\n".join(c[width:] for c in code), markers, section))
    return blocks


def _md_blocks(lines: List[str]) -> List[Tuple[int, str, str, Dict[str, str], str]]:
    blocks = []
    section = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("#") and not blocks_open(lines, index):
            section = line.lstrip("# ").strip()
        match = _MD_FENCE.match(line)
        if match and match.group("lang"):
            markers: Dict[str, str] = {}
            back = index - 1
            while back >= 0 and (not lines[back].strip() or _MD_MARK.match(lines[back])):
                mark = _MD_MARK.match(lines[back])
                if mark:
                    markers.setdefault(mark.group("what"), mark.group("value"))
                back -= 1
            end = index + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            blocks.append((index + 2, match.group("lang"), "\n".join(lines[index + 1:end]), markers, section))
            index = end + 1
            continue
        index += 1
    return blocks


def blocks_open(lines: List[str], index: int) -> bool:
    """Whether line `index` of a Markdown file lies inside a fenced block (a `#` comment there is no heading)."""
    return sum(1 for line in lines[:index] if line.startswith("```")) % 2 == 1


def _classify_yaml(data: Any) -> str:
    if isinstance(data, dict) and "plugin" in data:
        return INVENTORY
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        if all("hosts" in item for item in data):
            return PLAY if all("sources" not in item for item in data) else UNKNOWN
        if all("name" in item and "hosts" not in item and "sources" not in item for item in data):
            return TASKS
    return UNKNOWN


def _console_commands(code: str) -> Tuple[List[str], bool]:
    """The `$ ` lines of a console block (output lines dropped), and whether all of them can run here."""
    prompt = [line[2:] for line in code.splitlines() if line.startswith("$ ")]
    if not prompt:  # a bash block: every line is a command
        prompt = [line for line in code.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    runnable = True
    commands = []
    for command in prompt:
        if re.match(r"export INSIGHT_\w+=", command):
            continue  # server-specific: the test sets INSIGHT_* itself
        commands.append(command)
        runnable = runnable and command.split()[0] in CONSOLE_RUNNABLE
    return commands, runnable and bool(commands)


def doc_snippets(path: Path) -> List[Snippet]:
    rel = str(path.relative_to(ROOT))
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = _md_blocks(lines) if path.suffix == ".md" else _rst_blocks(lines)
    snippets = []
    counter: Dict[str, int] = {}
    for line, lang, code, markers, section in blocks:
        lang = lang.lower()
        if lang not in YAML_LANGS + CONSOLE_LANGS:
            continue  # output, error lines, ini: shown, not run
        counter[section] = counter.get(section, 0) + 1
        name = "%s #%d" % (section or "top", counter[section])
        snippet = Snippet(rel, line, name, UNKNOWN, code, marked=markers.get("not-runnable"), save_as=markers.get("example-file"))
        if lang in YAML_LANGS:
            try:
                snippet.data = yaml.safe_load(code)
            except yaml.YAMLError:
                snippet.data = None
            snippet.kind = _classify_yaml(snippet.data)
            if snippet.save_as and snippet.kind != INVENTORY:
                snippet.kind = FILE  # run only by the console snippets that name it (an inventory also runs alone)
            elif snippet.kind == PLAY and any(play.get("hosts") != "localhost" for play in snippet.data):
                snippet.kind = UNKNOWN  # another inventory's hosts: save it for a console snippet, or mark it
        else:
            snippet.commands, runnable = _console_commands(code)
            snippet.kind = CONSOLE if runnable else UNKNOWN
        snippets.append(snippet)
    return snippets


def all_snippets() -> List[Snippet]:
    found: List[Snippet] = []
    for path in plugin_files():
        found += plugin_snippets(path)
    for path in doc_files():
        found += doc_snippets(path)
    return found


def summary(snippets: List[Snippet]) -> str:
    marked = [s for s in snippets if s.marked]
    runnable = [s for s in snippets if not s.marked and s.kind != UNKNOWN]
    unknown = [s for s in snippets if not s.marked and s.kind == UNKNOWN]
    lines = ["documented examples: %d runnable, %d marked not-runnable, %d neither (must be fixed or marked)"
             % (len(runnable), len(marked), len(unknown))]
    lines += ["  marked  %s: %s" % (s.label, s.marked) for s in marked]
    lines += ["  NEITHER %s" % s.label for s in unknown]
    return "\n".join(lines)
