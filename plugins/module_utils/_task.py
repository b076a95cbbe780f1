# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a module's engine runs on, whoever runs it: `ModuleSpec` is a module's whole argument spec (options and the
rules between them), and `Task` is what the engine may use of the run (validated options, check and diff mode, the
client, warnings). `InsightModule` is one `Task`; an in-process runner on the controller can be another, so every
module's logic is callable without `AnsibleModule`.

Each engine file `_run_<module>.py` holds the module's `SPEC` and `run(task)`; the module file is its documentation
plus `InsightModule.main(SPEC, run)`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Protocol, Sequence

from ._client_protocol import InsightClientLike


@dataclass(frozen=True)
class ModuleSpec:
    """A module's options and the rules between them, in the keywords AnsibleModule and ArgumentSpecValidator take."""

    argument_spec: Mapping[str, Mapping[str, Any]]
    mutually_exclusive: Sequence[Sequence[str]] = ()
    required_one_of: Sequence[Sequence[str]] = ()
    required_together: Sequence[Sequence[str]] = ()
    required_if: Sequence[Sequence[Any]] = ()
    required_by: Mapping[str, Sequence[str]] = field(default_factory=dict)
    supports_check_mode: bool = True
    # Connections kept alive for concurrent requests (a module with `parallel` asks for room up to its maximum).
    pool_size: int = 10
    # insight_job_message_file: the file options (mode, owner, ...) of Ansible's file modules.
    add_file_common_args: bool = False

    def rules(self) -> Dict[str, Any]:
        """The rules between options, as keyword arguments (no argument_spec, no module behaviour flags)."""
        return {
            "mutually_exclusive": [list(group) for group in self.mutually_exclusive] or None,
            "required_one_of": [list(group) for group in self.required_one_of] or None,
            "required_together": [list(group) for group in self.required_together] or None,
            "required_if": [list(rule) for rule in self.required_if] or None,
            "required_by": {key: list(value) for key, value in self.required_by.items()} or None,
        }


class Task(Protocol):
    """What an engine's `run(task)` may use: never exit_json / fail_json (raise an InsightError instead)."""

    @property
    def params(self) -> Dict[str, Any]:
        """The options, validated against the module's SPEC (defaults and environment fallbacks applied)."""

    @property
    def check_mode(self) -> bool:
        ...

    @property
    def diff_mode(self) -> bool:
        ...

    @property
    def client(self) -> InsightClientLike:
        """The run's client, built on first use (so bad options fail before any connection)."""

    def warn(self, warning: str) -> None:
        ...
