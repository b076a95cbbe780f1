# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's main() in-process with given arguments, its client replaced by a fake, and return its result."""

from __future__ import annotations

import contextlib
import json
from typing import Any, Callable, Dict, Iterator, NoReturn

import pytest

from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core before 2.19 reads the arguments from this one global

    @contextlib.contextmanager
    def patch_module_args(args: Dict[str, Any]) -> Iterator[None]:
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

from ansible_collections.xpress.insight.plugins.module_utils._module import InsightModule

CONNECTION = {"url": "https://insight.test", "client_id": "alice-id", "secret": "alice-secret"}


class ModuleExit(Exception):
    """What exit_json or fail_json would have printed."""

    def __init__(self, result: Dict[str, Any]) -> None:
        super().__init__(result.get("msg", ""))
        self.result = result


def run_main(monkeypatch: pytest.MonkeyPatch, main: Callable[[], None], args: Dict[str, Any], client: Any,
             check_mode: bool = False, diff: bool = False, connection: bool = True) -> Dict[str, Any]:
    """The module's result; `failed` is True when it ended through fail_json (argument errors included)."""
    for name in ("INSIGHT_URL", "INSIGHT_CLIENT_ID", "INSIGHT_SECRET", "INSIGHT_TOKEN", "INSIGHT_AUTH_URL"):
        monkeypatch.delenv(name, raising=False)

    def exit_json(self: AnsibleModule, **result: Any) -> NoReturn:
        raise ModuleExit(dict(result, failed=False))

    def fail_json(self: AnsibleModule, msg: str, **result: Any) -> NoReturn:
        raise ModuleExit(dict(result, msg=msg, failed=True))

    monkeypatch.setattr(AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr(InsightModule, "client", property(lambda self: client))
    given = dict(CONNECTION if connection else {}, **args)
    given.update(_ansible_check_mode=check_mode, _ansible_diff=diff)
    with patch_module_args(given), pytest.raises(ModuleExit) as info:
        main()
    return info.value.result


def assert_refused_before_any_call(result: Dict[str, Any], message: str, calls: Any) -> None:
    """A bad option: the task failed in one line naming it, without the secret, before any call to the server."""
    assert result["failed"] is True
    assert message in result["msg"]
    assert "\n" not in result["msg"] and CONNECTION["secret"] not in repr(result)
    assert calls == []
