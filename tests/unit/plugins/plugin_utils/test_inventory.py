# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.xpress.insight.plugins.plugin_utils._inventory import safe_host_name


@pytest.mark.parametrize("name, expected", [
    ("High demand-0f7acba9", "High_demand-0f7acba9"),
    ("a, b:c[1]*!&~", "a_b_c_1"),
    ("Prévision été", "Pr_vision_t"),
    ("plain-name_1.2", "plain-name_1.2"),
    ("  ", None),
])
def test_safe_host_name(name, expected):
    assert safe_host_name(name) == expected
