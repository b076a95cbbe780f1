# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_job_message_file always runs as a module (plugin_utils/_action.py falls back): it writes a file on the
task's host with the file options of Ansible's file modules (mode, owner, group, SELinux context, atomic move), which
AnsibleModule implements; an in-process copy of that code could drift from it, and the task's cost is the download."""

from __future__ import annotations

from ansible_collections.xpress.insight.plugins.module_utils._run_job_message_file import SPEC, run
from ansible_collections.xpress.insight.plugins.plugin_utils._action import InsightAction


class ActionModule(InsightAction):
    spec = SPEC
    engine = staticmethod(run)
    inprocess = False
