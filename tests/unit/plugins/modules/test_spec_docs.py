# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every default has one source, the engine's SPEC: each module's documented options agree with it, and every
`parallel` (the modules' and the inventory plugin's) is _pool's DEFAULT_PARALLEL, checked by _pool's check_parallel."""

from __future__ import annotations

from types import ModuleType
from typing import Any, Dict

import pytest
import yaml

from ansible_collections.xpress.insight.plugins.inventory import insight_jobs
from ansible_collections.xpress.insight.plugins.module_utils import (
    _run_folder, _run_folder_info, _run_job_cancel, _run_job_info, _run_job_message_file)
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightConfigError
from ansible_collections.xpress.insight.plugins.module_utils._jobs import job_filter_argument_spec
from ansible_collections.xpress.insight.plugins.module_utils._pool import DEFAULT_PARALLEL, MAX_PARALLEL, check_parallel
from ansible_collections.xpress.insight.plugins.modules import (
    insight_folder, insight_folder_info, insight_job_cancel, insight_job_info, insight_job_message_file)

MODULES = [(insight_folder, _run_folder), (insight_folder_info, _run_folder_info), (insight_job_cancel, _run_job_cancel),
           (insight_job_info, _run_job_info), (insight_job_message_file, _run_job_message_file)]
# Options a doc fragment documents (the job filter's own test holds those).
FRAGMENT_OPTIONS = set(job_filter_argument_spec())


@pytest.mark.parametrize("module, engine", MODULES, ids=[m.__name__.rsplit(".", 1)[-1] for m, _e in MODULES])
def test_documented_options_are_the_spec(module: ModuleType, engine: ModuleType) -> None:
    doc = yaml.safe_load(module.DOCUMENTATION)
    docs: Dict[str, Any] = doc["options"]
    spec = dict(engine.SPEC.argument_spec)
    if "xpress.insight.job_filter" in doc.get("extends_documentation_fragment", []):
        spec = {name: option for name, option in spec.items() if name not in FRAGMENT_OPTIONS}
    assert set(docs) == set(spec)
    for name, option in spec.items():
        assert docs[name].get("default") == option.get("default"), name
        assert docs[name].get("type", "str") == option.get("type", "str"), name
        assert list(docs[name].get("choices") or []) == list(option.get("choices") or []), name


def test_every_parallel_has_the_one_default() -> None:
    with_parallel = [engine for _module, engine in MODULES if "parallel" in engine.SPEC.argument_spec]
    assert len(with_parallel) == 3
    assert all(engine.SPEC.argument_spec["parallel"]["default"] == DEFAULT_PARALLEL for engine in with_parallel)
    inventory = yaml.safe_load(insight_jobs.DOCUMENTATION)["options"]["parallel"]
    assert inventory["default"] == DEFAULT_PARALLEL


@pytest.mark.parametrize("value", [0, -1, MAX_PARALLEL + 1, True])
def test_check_parallel_refuses_what_is_out_of_range(value: Any) -> None:
    with pytest.raises(InsightConfigError, match="^parallel: must be between 1 and %d" % MAX_PARALLEL):
        check_parallel(value)
