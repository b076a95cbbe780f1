# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Params as a task validated against an engine's SPEC hands them to the settings functions: every option present,
its default from the SPEC when not given (the settings functions have no defaults of their own)."""

from __future__ import annotations

from typing import Any, Dict

from ansible_collections.xpress.insight.plugins.module_utils._task import ModuleSpec


def spec_params(spec: ModuleSpec, **given: Any) -> Dict[str, Any]:
    params: Dict[str, Any] = {name: option.get("default") for name, option in spec.argument_spec.items()}
    params.update(given)
    return params
