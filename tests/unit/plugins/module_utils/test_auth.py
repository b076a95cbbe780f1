# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.xpress.insight.plugins.module_utils._auth import KeyPairToken
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightError


@pytest.mark.parametrize("answer", ["tok-abc\r\nX-Injected: 1", "tok-abc\x1b[2J", "tok-abc\x00"])
def test_a_token_that_cannot_go_into_a_header_is_refused_without_its_text(answer):
    source = KeyPairToken("id", "s3cr3t")
    with pytest.raises(InsightError) as info:
        source.token(lambda *args: answer)
    assert "tok-abc" not in str(info.value) and "s3cr3t" not in str(info.value)
    assert "control character or white space" in str(info.value)


def test_a_clean_token_is_handed_out():
    assert KeyPairToken("id", "s3cr3t").token(lambda *args: "  tok-abc.def\n") == "tok-abc.def"
