# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options are written in three places (the argspec and the two doc flavours): they must agree."""

from __future__ import annotations

import yaml

from ansible_collections.xpress.insight.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.xpress.insight.plugins.module_utils._args import (
    CONNECTION_OPTIONS, DEFAULT_RETRIES, DEFAULT_TIMEOUT, connection_argument_spec)


def test_both_doc_flavours_document_every_option_of_the_argspec_with_its_type():
    spec = connection_argument_spec()
    for text in (ModuleDocFragment.DOCUMENTATION, ModuleDocFragment.PLUGINS):
        options = yaml.safe_load(text)["options"]
        assert set(options) == set(CONNECTION_OPTIONS)
        assert {name: o["type"] for name, o in options.items()} == {name: s["type"] for name, s in spec.items()}
    assert all(s["fallback"][1] == ["INSIGHT_" + name.upper()] for name, s in spec.items())


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
