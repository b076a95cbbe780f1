# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of every module: it runs the module's engine (`_run_<module>.py`: SPEC and run(task)) in the
controller's worker process when the task would run on the controller anyway, and falls back to the ordinary module
run otherwise.

In-process, the task is what a module run on the controller would be: the arguments go through the same JSON
encoding a module's arguments go through, then ansible-core's ArgumentSpecValidator with the connection options and
the module's SPEC (the INSIGHT_* fallbacks read from the controller's environment with the task's `environment:`
applied, as the module's process would see them); the result leaves as AnsibleModule.exit_json / fail_json would
leave it (`invocation`, warnings, deprecations, no_log values masked), and an InsightError fails through
`_outcome.failure`, the code InsightModule.fail_error uses.

The variable `insight_execution` chooses: `auto` (default) in-process when the connection is local (including
`delegate_to: localhost`), without `async` and without `become`, and the controller can import requests; `module`
always the module; `inprocess` in-process wherever the module allows it (the controller then makes the calls even
for a remote host)."""

from __future__ import annotations

import contextlib
import json
import os
from typing import Any, ClassVar, Dict, Iterator, List, Mapping, Optional, Tuple

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common import json as module_json
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.xpress.insight.plugins.module_utils._args import connection_argument_spec, validate_connection
from ansible_collections.xpress.insight.plugins.module_utils._client import HAS_REQUESTS, InsightClient
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightError
from ansible_collections.xpress.insight.plugins.module_utils._outcome import failure, shown
from ansible_collections.xpress.insight.plugins.module_utils._scrub import scrub
from ansible_collections.xpress.insight.plugins.module_utils._task import ModuleSpec

display = Display()

VARIABLE = "insight_execution"
MODES = ("auto", "module", "inprocess")
LOCAL_CONNECTIONS = frozenset(("local", "ansible.builtin.local", "ansible.legacy.local"))
# The serialization profile of modules without metadata (all of this collection's): what their arguments and
# results go through on the module path.
PROFILE = "legacy"
# The JSON profiles of the controller-module trip came with ansible-core 2.19; before it every task runs as a module
# (the in-process path reproduces that trip and cannot without them).
HAS_PROFILES = hasattr(module_json, "get_module_encoder")


class ControllerTask:
    """The `Task` an engine runs on in the controller's process (InsightModule is the module run's)."""

    def __init__(self, params: Dict[str, Any], check_mode: bool, diff_mode: bool, pool_size: int) -> None:
        self._params = params
        self._check_mode = check_mode
        self._diff_mode = diff_mode
        self._pool_size = pool_size
        self._client: Optional[InsightClient] = None
        # A dict keeps the order and drops repeats, as AnsibleModule's warning list does.
        self.warnings: Dict[str, None] = {}

    @property
    def params(self) -> Dict[str, Any]:
        return self._params

    @property
    def check_mode(self) -> bool:
        return self._check_mode

    @property
    def diff_mode(self) -> bool:
        return self._diff_mode

    @property
    def client(self) -> InsightClient:
        if self._client is None:
            self._client = InsightClient(self._params, warn=self.warn, pool_size=self._pool_size)
        return self._client

    def warn(self, warning: str) -> None:
        # As InsightModule.warn: warnings quote server text too.
        self.warnings[scrub(warning)] = None


@contextlib.contextmanager
def task_environment(environment: Mapping[str, Any]) -> Iterator[None]:
    """os.environ as the module's process would have it: the worker's, with the task's `environment:` on top
    (values as text, as the shell prefix gives them). Restored afterwards."""
    saved = {name: os.environ.get(name) for name in environment}
    try:
        for name, value in environment.items():
            os.environ[str(name)] = "" if value is None else str(value)
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(str(name), None)
            else:
                os.environ[str(name)] = old


def as_module_sees(value: Any, to_module: bool) -> Any:
    """`value` after the JSON trip it makes from controller to module (`to_module`) or back (tags dropped, tuples
    made lists, what cannot be sent refused alike)."""
    direction = module_json.Direction.CONTROLLER_TO_MODULE if to_module else module_json.Direction.MODULE_TO_CONTROLLER
    text = json.dumps(value, cls=module_json.get_module_encoder(PROFILE, direction))
    return json.loads(text, cls=module_json.get_module_decoder(PROFILE, direction))


class InsightAction(ActionBase):
    """Subclasses set `spec` and `engine` from the module's `_run_<module>.py`; `inprocess = False` keeps a module
    on the module path whatever the variable says."""

    spec: ClassVar[ModuleSpec]
    inprocess: ClassVar[bool] = True
    # The fallback is the ordinary module run, which handles async and check mode itself.
    _supports_check_mode = True
    _supports_async = True

    @staticmethod
    def engine(task: Any) -> Dict[str, Any]:
        """The module's `run(task)`: a subclass sets `engine = staticmethod(run)`. `Any`: engines take a Task or a
        FileTask (insight_job_message_file, which never runs in-process: `inprocess = False`)."""
        raise NotImplementedError

    def run(self, tmp: Optional[str] = None, task_vars: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        task_vars = task_vars or {}
        result: Dict[str, Any] = super().run(tmp, task_vars)
        del tmp
        path, why = self.execution_path(task_vars)
        display.vvv("%s: %s (%s)" % (self._task.action, "in-process on the controller" if path == "inprocess"
                                     else "module run", why))
        if path == "inprocess":
            result.update(self.run_inprocess())
            return result
        wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
        result.update(self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def execution_path(self, task_vars: Mapping[str, Any]) -> Tuple[str, str]:
        """("inprocess" or "module", why), from the variable and the task."""
        raw = task_vars.get(VARIABLE)
        mode = "auto" if raw is None else str(self._templar.template(raw)).strip().lower()
        if mode not in MODES:
            raise AnsibleActionFail("%s: %r is not one of %s" % (VARIABLE, raw, ", ".join(MODES)))
        if not self.inprocess:
            return "module", "this module always runs as a module"
        if mode == "module":
            return "module", "%s: module" % VARIABLE
        if mode == "inprocess":
            if not HAS_PROFILES:
                raise AnsibleActionFail("%s: inprocess needs ansible-core 2.19 or later; set %s to auto or module"
                                        % (VARIABLE, VARIABLE))
            if self._task.async_val:
                raise AnsibleActionFail("%s: inprocess cannot run an async task; leave out async, or set %s to auto "
                                        "or module" % (VARIABLE, VARIABLE))
            if not HAS_REQUESTS:
                raise AnsibleActionFail("%s: inprocess needs the Python library requests in the Python that runs "
                                        "Ansible (pip install requests), or set %s to auto or module"
                                        % (VARIABLE, VARIABLE))
            return "inprocess", "%s: inprocess" % VARIABLE
        if not HAS_PROFILES:
            return "module", "ansible-core before 2.19"
        if self._task.async_val:
            return "module", "async"
        connection = str(getattr(self._connection, "transport", "") or self._connection._load_name)
        if connection not in LOCAL_CONNECTIONS:
            return "module", "connection %s" % connection
        if self._play_context.become:
            return "module", "become"
        if not HAS_REQUESTS:
            return "module", "the controller's Python cannot import requests"
        return "inprocess", "local connection"

    # The in-process run: AnsibleModule's __init__, run and exit_json / fail_json, on a ControllerTask.

    def run_inprocess(self) -> Dict[str, Any]:
        spec = self.spec
        raw_environment: Dict[str, Any] = {}
        self._compute_environment_string(raw_environment)
        argument_spec = connection_argument_spec()
        argument_spec.update({name: dict(option) for name, option in spec.argument_spec.items()})
        if spec.add_file_common_args:
            raise AnsibleActionFail("%s: file options are only handled by the module run" % self._task.action)
        args = as_module_sees(dict(self._task.args), True)
        rules = {key: value for key, value in spec.rules().items() if value is not None}
        check_mode = bool(self._task.check_mode)
        diff_mode = bool(self._task.diff)
        with task_environment(raw_environment):
            validation = ArgumentSpecValidator(argument_spec, **rules).validate(args)
            params: Dict[str, Any] = validation.validated_parameters
            no_log_values = set(validation._no_log_values)
            warnings: List[str] = []
            deprecations: List[Dict[str, Any]] = []
            for item in validation._deprecations:
                deprecations.append({key: item[key] for key in ("msg", "version", "date", "collection_name")
                                     if item.get(key) is not None})
            for item in validation._warnings:
                warnings.append("Both option {option} and its alias {alias} are set.".format(**item))
            if validation.errors.errors:
                msg = validation.errors.msg
                if isinstance(validation.errors[0], UnsupportedError):
                    msg = "Unsupported parameters for (%s) module: %s" % (self._task.action, msg)
                return self.formatted({"failed": True, "msg": msg}, params, no_log_values, warnings, deprecations)
            if check_mode and not spec.supports_check_mode:
                return self.formatted({"skipped": True, "msg": "remote module (%s) does not support check mode"
                                       % self._task.action}, params, no_log_values, warnings, deprecations)
            task = ControllerTask(params, check_mode, diff_mode, spec.pool_size)
            try:
                validate_connection(params)
                outcome = shown(self.engine(task), diff_mode)
            except InsightError as exc:
                outcome = failure(exc, diff_mode, spec, params)
                outcome["failed"] = True
            warnings.extend(task.warnings)
        return self.formatted(outcome, params, no_log_values, warnings, deprecations)

    def formatted(self, result: Dict[str, Any], params: Dict[str, Any], no_log_values: "set[str]",
                  warnings: List[str], deprecations: List[Dict[str, Any]]) -> Dict[str, Any]:
        """The result as AnsibleModule._return_formatted leaves it, after the JSON trip back to the controller."""
        out = dict(result)
        out.setdefault("invocation", {"module_args": params})
        unique = list(dict.fromkeys(warnings))
        if unique:
            out["warnings"] = unique
        if deprecations:
            out["deprecations"] = deprecations
        preserved = {key: value for key, value in out.items() if value is None or isinstance(value, bool)}
        out = remove_values(out, no_log_values)
        out.update(preserved)
        decoded: Dict[str, Any] = as_module_sees(out, False)
        return decoded
