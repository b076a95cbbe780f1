# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scenario engine: its settings (every check before a call) and its plan and moves on an in-memory server."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightConfigError, InsightError
from ansible_collections.xpress.insight.plugins.module_utils._folders import Repository
from ansible_collections.xpress.insight.plugins.module_utils._run_scenario import run_scenario, scenario_settings
from ansible_collections.xpress.insight.tests.unit.plugins.module_utils.fake_insight import FakeInsight

UNSET: Dict[str, Any] = dict(path=None, id=None, state="present", dest=None, dest_id=None)


def settings(**given: Any) -> Any:
    return scenario_settings(dict(UNSET, **given))


def run(fake: FakeInsight, check: bool = False, **given: Any) -> Dict[str, Any]:
    warnings: List[str] = []
    return run_scenario(Repository(fake, warnings.append), settings(**given), check, fake.base_url)


def seeded() -> FakeInsight:
    fake = FakeInsight(apps=("Logistics", "Finance"))
    fake.add("/Logistics/Reports/Base case", "SCENARIO")
    fake.add("/Logistics/Reports/High demand", "SCENARIO")
    fake.add("/Logistics/Archive/Old", "SCENARIO")
    fake.add("/Finance/Budgets/Plan", "SCENARIO")
    return fake


@pytest.mark.parametrize("given, line", [
    (dict(path="/Logistics"), "path: '/Logistics' names the app 'Logistics', not a scenario"),
    (dict(path=""), "path: is empty"),
    (dict(path=[]), "path: the list is empty"),
    (dict(path=3), "path: give a repository path"),
    (dict(path=["/Logistics/A", "/Logistics//B"]), "path[1]: '/Logistics//B' contains an empty folder name"),
    (dict(id="x"), "id: 'x' is not a UUID"),
    (dict(id=[]), "id: the list is empty"),
    (dict(path="/Logistics/A", dest="/Logistics"), "dest, dest_id: only used with state=moved"),
    (dict(path="/Logistics/A", state="moved"), "dest or dest_id: state=moved needs"),
    (dict(path="/Logistics/A", state="moved", dest=""), "dest: is empty"),
    (dict(path="/Logistics/A", state="moved", dest_id="nope"), "dest_id: 'nope' is not a UUID"),
])
def test_bad_settings_fail_naming_the_option(given, line):
    with pytest.raises(InsightConfigError) as caught:
        settings(**given)
    assert line in caught.value.to_line()


def test_one_string_is_one_path_and_duplicates_collapse():
    one = settings(path="/Logistics/Reports, 2025/A")
    assert one.single and [p.text for p in one.paths] == ["/Logistics/Reports, 2025/A"]
    many = settings(path=["/Logistics/A", "/Logistics/A", "/Logistics/B"])
    assert not many.single and [p.text for p in many.paths] == ["/Logistics/A", "/Logistics/B"]


def test_check_mode_plans_exactly_the_real_moves():
    given = dict(path=["/Logistics/Reports/Base case", "/Logistics/Archive/Old"], state="moved", dest="/Logistics/Archive")
    fake = seeded()
    planned = run(fake, check=True, **given)
    assert fake.writes() == []
    done = run(fake, **given)
    assert planned["moved"] == done["moved"] == ["/Logistics/Reports/Base case"]
    assert planned["diff"] == done["diff"]
    assert [s["path"] for s in planned["scenarios"]] == [s["path"] for s in done["scenarios"]] == [
        "/Logistics/Archive/Base case", "/Logistics/Archive/Old"]
    assert fake.writes() == ["POST /api/folders/{}/children"]
    assert run(fake, **given)["changed"] is False and len(fake.writes()) == 1


def test_every_refusal_comes_before_the_first_move():
    fake = seeded()
    with pytest.raises(InsightError, match="scenarios cannot move across apps"):
        run(fake, path=["/Logistics/Reports/Base case", "/Finance/Budgets/Plan"], state="moved", dest="/Logistics")
    assert fake.writes() == []


def test_a_lost_answer_is_found_in_the_destination():
    fake = seeded()
    fake.lose_answers = 1
    result = run(fake, path="/Logistics/Reports/Base case", state="moved", dest="/Logistics")
    assert result["scenario"]["path"] == "/Logistics/Base case"
    assert fake.writes() == ["POST /api/apps/{}/children"]


def test_by_id_and_an_unknown_id():
    fake = seeded()
    base = fake.find("/Logistics/Reports/Base case")
    assert base is not None
    result = run(fake, id=base["id"], state="moved", dest_id=fake.app_id("Logistics"))
    assert result["moved"] == ["/Logistics/Reports/Base case"] and result["scenario"]["parent"]["object_type"] == "APP"
    with pytest.raises(InsightError, match="id: there is no scenario"):
        run(fake, id="0b5e2a54-1c1f-4d55-9d0e-5f0c3b8a7e11")


def test_a_look_alike_in_dest_is_refused():
    fake = seeded()
    fake.add("/Logistics/Archive/base case", "SCENARIO")
    with pytest.raises(InsightError, match="differs from 'Base case' only by case"):
        run(fake, path="/Logistics/Reports/Base case", state="moved", dest="/Logistics/Archive")
    assert fake.writes() == []
