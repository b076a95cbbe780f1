# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plugin flavour of the Insight client: the same core, errors raised as AnsibleError subclasses."""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Optional, Type

from ansible.errors import AnsibleError

from ansible_collections.xpress.insight.plugins.module_utils._args import CONNECTION_OPTIONS
from ansible_collections.xpress.insight.plugins.module_utils._client import HAS_REQUESTS, InsightClient
from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightError


@contextlib.contextmanager
def insight_errors(error_class: Type[AnsibleError] = AnsibleError) -> Iterator[None]:
    """Turn any InsightError raised inside the block into one line of `error_class`, with no traceback."""
    try:
        yield
    except InsightError as exc:
        raise error_class(exc.to_line()) from None


def plugin_client(get_option: Callable[[str], Any], warn: Optional[Callable[[str], None]] = None,
                  pool_size: int = 10, error_class: Type[AnsibleError] = AnsibleError) -> InsightClient:
    """Build a client from a plugin's options (the `xpress.insight.connection` and `.plugins` doc fragments)."""
    if not HAS_REQUESTS:
        raise error_class("the Python library requests is required by xpress.insight plugins (pip install requests)")
    options = {name: get_option(name) for name in CONNECTION_OPTIONS}
    with insight_errors(error_class):
        return InsightClient(options, warn=warn, pool_size=pool_size)
