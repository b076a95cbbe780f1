# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers of the insight_jobs inventory plugin: host name templates and variable names, no Ansible state."""

from __future__ import annotations

import re
from typing import Any, Callable, List, Mapping, Optional, Sequence, Set

# A bare field path such as `id` or `scenario.name`: resolved with dict lookups, no template engine per host.
_FIELD_PATH_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*$")
_TEMPLATE_MARKS = ("{{", "{%", "{#")
_VAR_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Characters a host name may keep and still be named by a host pattern (--limit, --host) as it is.
_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_.-]+")


def is_template(text: str) -> bool:
    return any(mark in text for mark in _TEMPLATE_MARKS)


def field_path(text: str) -> Optional[List[str]]:
    """The keys of a bare dotted field path, or None when the text needs Jinja."""
    match = _FIELD_PATH_RE.match(text)
    return match.group(1).split(".") if match else None


def lookup_path(fields: Mapping[str, Any], path: Sequence[str]) -> Any:
    value: Any = fields
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def as_host_name(value: Any) -> Optional[str]:
    """A usable host name from a template's result: non-empty text, or None to try the next template."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


class HostNamer:
    """Turns a job's snake_case fields into its host name with the first `hostnames` entry that gives a non-empty one.

    Entries that are bare field paths never reach the template engine: that keeps ten thousand jobs cheap."""

    def __init__(self, entries: Sequence[str], render: Callable[[str, Mapping[str, Any]], Any]) -> None:
        self._render = render
        self._steps = [(entry, field_path(entry) if not is_template(entry) else None) for entry in entries]

    def name(self, fields: Mapping[str, Any]) -> Optional[str]:
        for entry, path in self._steps:
            value = lookup_path(fields, path) if path is not None else self._render(entry, fields)
            name = as_host_name(value)
            if name is not None:
                return name
        return None


def check_prefix(prefix: str) -> Optional[str]:
    """An error message when host variables named `<prefix><field>` would not be valid variable names."""
    if not _VAR_NAME_RE.match((prefix or "") + "x"):
        return "prefix: %r would make invalid variable names; use letters, digits and underscores, not starting with a digit" % prefix
    if is_ansible_name(prefix or ""):
        return ("prefix: %r would let server fields set Ansible's own ansible_* variables (such as ansible_host); "
                "choose a prefix that does not start with ansible_" % prefix)
    return None


def is_ansible_name(name: str) -> bool:
    """Whether a variable name is in Ansible's own namespace (ansible_host, ansible_python_interpreter...), which
    server data must never set: such a variable changes how and where Ansible runs tasks."""
    return name.lower().startswith("ansible_")


def safe_host_name(name: str) -> Optional[str]:
    """`name` with each run of characters that host patterns treat specially (spaces, `:`, `,`, `*`, `!`, `&`,
    `[`, non-ASCII letters...) turned into one `_`; None when nothing is left."""
    return _UNSAFE_RE.sub("_", name).strip("_") or None


def unique_host_name(name: str, job_id: str, taken: Set[str]) -> str:
    """`<name>_<job id>` for a job whose host name another job also got; adds it to `taken`.

    Job ids are unique, so these names differ from each other; the loop only guards against a name that another
    job happens to have as it is."""
    candidate = "%s_%s" % (name, job_id)
    while candidate in taken:
        candidate = "%s_%s" % (candidate, job_id)
    taken.add(candidate)
    return candidate
