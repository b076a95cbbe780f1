# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options are written in the argspec and once in the doc fragment (DOCUMENTATION), which the plugin
flavour (PLUGINS) extends with plugin configuration keys only: they must agree."""

from __future__ import annotations

import yaml

from ansible_collections.xpress.insight.plugins.doc_fragments.attributes import ModuleDocFragment as AttributesFragment
from ansible_collections.xpress.insight.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.xpress.insight.plugins.module_utils._args import (
    CONNECTION_OPTIONS, DEFAULT_RETRIES, DEFAULT_TIMEOUT, connection_argument_spec)

# What a plugin's configuration adds to an option; the texts and types come from DOCUMENTATION alone.
PLUGIN_KEYS = {"env", "ini", "vars", "default", "required"}


def test_the_fragment_documents_every_option_of_the_argspec_with_its_type_once():
    spec = connection_argument_spec()
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert set(options) == set(CONNECTION_OPTIONS)
    assert {name: o["type"] for name, o in options.items()} == {name: s["type"] for name, s in spec.items()}
    plugins = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]
    assert set(plugins) == set(CONNECTION_OPTIONS)
    assert all(set(option) <= PLUGIN_KEYS for option in plugins.values()), plugins
    assert all(s["fallback"][1] == ["INSIGHT_" + name.upper()] for name, s in spec.items())


def test_the_module_note_stays_out_of_the_plugin_flavour():
    # The module_defaults note is in the modules' attributes fragment, which plugins do not extend.
    assert "module_defaults" in " ".join(yaml.safe_load(AttributesFragment.DOCUMENTATION)["notes"])
    assert "notes" not in yaml.safe_load(ModuleDocFragment.DOCUMENTATION)
    assert "notes" not in yaml.safe_load(ModuleDocFragment.PLUGINS)


def test_each_plugin_default_is_the_one_the_text_names():
    texts = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    for name, option in yaml.safe_load(ModuleDocFragment.PLUGINS)["options"].items():
        if "default" in option:
            default = option["default"]
            shown = ("true" if default else "false") if isinstance(default, bool) else "%g" % default
            assert "and V(%s) if that is not" % shown in " ".join(texts[name]["description"]), name


def test_defaults_agree_with_the_validation():
    plugins = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]
    assert plugins["timeout"]["default"] == DEFAULT_TIMEOUT
    assert plugins["retries"]["default"] == DEFAULT_RETRIES
    assert plugins["validate_certs"]["default"] is True and plugins["allow_http"]["default"] is False
    modules = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert "V(%g)" % DEFAULT_TIMEOUT in " ".join(modules["timeout"]["description"])
    assert "V(%d)" % DEFAULT_RETRIES in " ".join(modules["retries"]["description"])
    for name, option in plugins.items():
        env = "INSIGHT_" + name.upper()
        assert option["env"] == [{"name": env}]
        assert "E(%s)" % env in " ".join(modules[name]["description"])
