# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a task's result and its failure look, whoever runs the engine: `InsightModule` (a module run) and the
in-process action plugin (plugins/plugin_utils/_action.py) both end through these, so the two paths cannot drift."""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from ._errors import InsightError
from ._scrub import scrub_data
from ._task import ModuleSpec


def shown(result: Mapping[str, Any], diff_mode: bool) -> Dict[str, Any]:
    """The result as the task returns it: without `diff` outside diff mode."""
    out = dict(result)
    if not diff_mode:
        out.pop("diff", None)
    return out


def failure(exc: InsightError, diff_mode: bool, spec: Optional[ModuleSpec] = None,
            params: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """The keyword arguments of fail_json for an InsightError: its one line as `msg` (an option named as the task
    wrote it, alias or not, when the module's `spec` and validated `params` are given), plus the partial result its
    `result()` carries."""
    # The partial result quotes server text too (the error envelope, per-job errors): no secret of the run in it.
    extra: Dict[str, Any] = scrub_data(shown(exc.result(), diff_mode))
    extra.pop("msg", None)
    line = exc.to_line()
    if spec is not None and params is not None:
        line = spec.as_given(line, params)
    extra["msg"] = line
    return extra
