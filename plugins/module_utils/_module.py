# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module flavour of the client, and the one exit of every module: `InsightModule.run` ends the task with
exit_json, or with fail_json when an InsightError ends it (one line, plus what the error's `result()` carries), and
drops `diff` outside diff mode. Modules and engines never call exit_json or fail_json themselves."""

from __future__ import annotations

from typing import Any, Callable, Dict, NoReturn, Optional

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ._args import connection_argument_spec, validate_connection
from ._client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, InsightClient
from ._errors import InsightError
from ._outcome import failure, shown
from ._scrub import scrub
from ._task import ModuleSpec


class InsightModule(AnsibleModule):
    """An AnsibleModule with the connection options and a lazily built, shared InsightClient."""

    @classmethod
    def main(cls, spec: ModuleSpec, run: Callable[["InsightModule"], Dict[str, Any]]) -> NoReturn:
        """Every module's main(): its SPEC validated by AnsibleModule, then its engine's run(task), one exit.

        `run` takes a Task (or a FileTask, which InsightModule also is)."""
        kwargs = {key: value for key, value in spec.rules().items() if value is not None}
        module = cls(argument_spec={name: dict(option) for name, option in spec.argument_spec.items()},
                     pool_size=spec.pool_size, supports_check_mode=spec.supports_check_mode,
                     add_file_common_args=spec.add_file_common_args, **kwargs)
        module.spec = spec
        module.run(run)

    def __init__(self, argument_spec: Dict[str, Any], pool_size: int = 10, **kwargs: Any) -> None:
        spec = connection_argument_spec()
        spec.update(argument_spec)
        super().__init__(argument_spec=spec, **kwargs)
        self._pool_size = pool_size
        self._client: Optional[InsightClient] = None
        # The module's SPEC once main() has it: error lines name an option as the task wrote it (alias or not).
        self.spec: Optional[ModuleSpec] = None
        try:
            validate_connection(self.params)
        except InsightError as exc:
            self.fail_error(exc)

    @property
    def client(self) -> InsightClient:
        if self._client is None:
            if not HAS_REQUESTS:
                self.fail_json(msg=missing_required_lib("requests") + "; for example set it to the Python that runs "
                               "Ansible with ansible_python_interpreter: '{{ ansible_playbook_python }}' in the play's "
                               "vars or the inventory", exception=REQUESTS_IMPORT_ERROR)
            try:
                self._client = InsightClient(self.params, warn=self.warn, pool_size=self._pool_size)
            except InsightError as exc:
                self.fail_error(exc)
        return self._client

    def warn(self, warning: str, **kwargs: Any) -> None:
        # Warnings quote server text too (folder names, statuses of another writer's change).
        super().warn(scrub(warning), **kwargs)

    def set_file_attributes(self, dest: str, changed: bool) -> bool:
        """FileTask's file options: mode, owner, group and SELinux context from the task's params, applied to dest."""
        file_args = self.load_file_common_arguments(self.params, path=dest)
        return bool(self.set_fs_attributes_if_different(file_args, changed))

    @property
    def diff_mode(self) -> bool:
        """Whether the task runs in diff mode: engines that can skip work only the diff needs get it as a setting."""
        return bool(self._diff)

    def shown(self, result: Dict[str, Any]) -> Dict[str, Any]:
        """The result as the task returns it: without `diff` outside diff mode."""
        return shown(result, self.diff_mode)

    def fail_error(self, exc: InsightError) -> NoReturn:
        """End the task with the error's one line and the partial result its `result()` carries."""
        self.fail_json(**failure(exc, self.diff_mode, self.spec, self.params))

    def run(self, main: Callable[["InsightModule"], Dict[str, Any]]) -> NoReturn:
        """Run the module's logic; any InsightError becomes one clear failure line, never a traceback."""
        try:
            result = main(self)
        except InsightError as exc:
            self.fail_error(exc)
        self.exit_json(**self.shown(result))
