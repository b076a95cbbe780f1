# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_scenario in the controller's process when the task runs there anyway (plugin_utils/_action.py)."""

from __future__ import annotations

from ansible_collections.xpress.insight.plugins.module_utils._run_scenario import SPEC, run
from ansible_collections.xpress.insight.plugins.plugin_utils._action import InsightAction


class ActionModule(InsightAction):
    spec = SPEC
    engine = staticmethod(run)
