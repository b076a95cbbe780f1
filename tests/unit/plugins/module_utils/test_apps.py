# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._apps import app_matches, pick_app
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightConfigError

ONE = "0a000000-0000-4000-8000-000000000001"
TWO = "0a000000-0000-4000-8000-000000000002"
APPS = [{"id": ONE, "name": "Logistics"}, {"id": TWO, "name": "Logistics"}, {"id": "0a00-3", "name": "Portfolio"}]


def test_one_app_by_name_or_by_id_in_any_case():
    assert pick_app(APPS, "Portfolio", "app")["id"] == "0a00-3"
    assert pick_app(APPS, TWO.upper(), "path")["id"] == TWO


def test_twin_apps_fail_naming_both_ids():
    with pytest.raises(InsightConfigError) as info:
        pick_app(APPS, "Logistics", "path", "its id as the first segment")
    assert str(info.value) == ("path: 'Logistics' matches 2 apps: %s ('Logistics'), %s ('Logistics'); name the one "
                               "meant by its id as the first segment. Nothing was read or changed" % (ONE, TWO))


def test_an_id_that_is_another_apps_name_is_ambiguous():
    apps = [{"id": ONE, "name": "Logistics"}, {"id": TWO, "name": ONE}]
    assert len(app_matches(apps, ONE)) == 2
    with pytest.raises(InsightConfigError, match="matches 2 apps"):
        pick_app(apps, ONE, "app")


def test_no_app():
    with pytest.raises(InsightConfigError, match=r"^dest: there is no app named 'Sales' on the server"):
        pick_app(APPS, "Sales", "dest")
