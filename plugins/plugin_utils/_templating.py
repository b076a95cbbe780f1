# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Templating on every supported ansible-core (2.16 and later): 2.19 brought data tagging (strings are templated only
when trusted) and the Templar's evaluate_* methods; before it, every plain string is a template and server text has
to be marked unsafe by the plugin itself."""

from __future__ import annotations

from typing import Any

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.template import Templar

# ansible-core 2.19+: strings parsed by the json module carry no trust, so they are never templated.
DATA_TAGGING = hasattr(Templar, "evaluate_conditional")


def evaluate_conditional(templar: Any, condition: str) -> bool:
    """A `when:`-style condition over the templar's available variables."""
    if DATA_TAGGING:
        return bool(templar.evaluate_conditional(condition))
    # What ansible-core 2.16's own Constructable does for `groups`.
    return bool(boolean(templar.template("{%% if %s %%} True {%% else %%} False {%% endif %%}" % condition)))


def evaluate_expression(templar: Any, expression: str) -> Any:
    """A bare Jinja expression (no braces) over the templar's available variables, lookups off before 2.19 as
    ansible-core 2.16's Constructable._compose has them."""
    if DATA_TAGGING:
        return templar.evaluate_expression(expression)
    env = templar.environment
    return templar.template("%s%s%s" % (env.variable_start_string, expression, env.variable_end_string),
                            disable_lookups=True)


def host_name(name: str) -> str:
    """A host name as plain text. Before 2.19 the job's text is marked unsafe, and ansible-inventory --list would
    print an unsafe host name as a {"__ansible_unsafe": ...} mapping that JSON consumers (AWX) cannot use as a
    name; a name with template marks stays unsafe there, since a plain one would be templated as inventory_hostname."""
    if DATA_TAGGING or any(mark in name for mark in ("{{", "{%", "{#")):
        return name
    return str.__str__(name)
