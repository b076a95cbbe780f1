"""The event source's DOCUMENTATION block (the form ansible.eda documents its sources in) names exactly the
arguments the source accepts, with the filters' aliases, choices and defaults it applies; EXAMPLES are rulebooks."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import yaml

from eda_helpers import load_source


def test_documented_options_are_the_accepted_ones(collection_root: Path) -> None:
    plugin = load_source(collection_root)
    options: Dict[str, Any] = yaml.safe_load(plugin["DOCUMENTATION"])["options"]
    accepted = set(plugin["OWN_OPTIONS"]) | set(plugin["_args"].CONNECTION_OPTIONS)
    aliases = {alias for spec in options.values() for alias in spec.get("aliases", [])}
    assert set(options) | aliases == accepted
    for name, spec in plugin["FILTER_SPEC"].items():
        assert sorted(options[name].get("aliases", [])) == sorted(spec.get("aliases", [])), name
        if spec.get("choices"):
            assert options[name]["choices"] == list(spec["choices"]), name
    assert options["events"]["choices"] == list(plugin["EVENT_TYPES"])
    assert float(options["interval"]["default"]) == plugin["DEFAULT_INTERVAL"]
    assert options["emit_existing"]["default"] is False


def test_examples_are_rulebooks_using_the_source(collection_root: Path) -> None:
    plugin = load_source(collection_root)
    examples = yaml.safe_load(plugin["EXAMPLES"])
    options = yaml.safe_load(plugin["DOCUMENTATION"])["options"]
    assert examples
    for rulebook in examples:
        source = rulebook["sources"][0]["xpress.insight.insight_jobs"]
        assert set(source) <= set(options)
        assert rulebook["rules"]
