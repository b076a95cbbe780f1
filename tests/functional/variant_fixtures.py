"""pytest plugin: the server variants (behaviours the API reference leaves open, each a set of emulator config keys)
and the ``variant`` fixture that puts the emulator in one of them.

A test asks for the variants its behaviour depends on with ``@pytest.mark.parametrize("variant", [...],
indirect=True)``; the fixture resets the emulator to the demo data and applies that variant's settings."""
from __future__ import annotations

from typing import Any, Dict, Optional

import pytest

from insight_emulator.control import Control

VARIANTS: Dict[str, Dict[str, Any]] = {
    "default": {},
    "names-case-insensitive": {"name_case": "insensitive"},
    "busy-items-locked": {"lock_busy": True},
    "auth-errors-without-body": {"auth_error_body": "empty"},
    "auth-errors-from-gateway": {"auth_error_body": "html"},
    "cancel-ended-404": {"cancel_finished": "not_found"},
    "cancel-ended-409": {"cancel_finished": "conflict"},
    "token-lifetime-refused": {"max_age_over": "refuse"},
    "jobs-by-id": {"job_order": "id"},
    "history-not-listed": {"list_finished": False},
    "spring-paging-small-pages": {"paging": "spring", "default_page_size": 3, "page_size_cap": 4},
    "job-fields-null": {"job_nulls": True},
    "message-404-empty": {"message_404": "empty"},
    "older-release": {"release": "older"},
}

# The variants each kind of test depends on.
FOLDER_VARIANTS = ["default", "names-case-insensitive", "busy-items-locked", "spring-paging-small-pages"]
AUTH_VARIANTS = ["default", "auth-errors-without-body", "auth-errors-from-gateway"]
CANCEL_VARIANTS = ["default", "cancel-ended-404", "cancel-ended-409", "jobs-by-id", "history-not-listed",
                   "spring-paging-small-pages", "job-fields-null"]
# insight_job_launch: the job's shape, the listing behind the 423 path, and a server without the later routes.
LAUNCH_VARIANTS = ["default", "job-fields-null", "jobs-by-id", "spring-paging-small-pages"]


class Variant:
    """The emulator in one variant; ``reset`` loads data and applies the variant again (a reset restores the
    start-up config)."""

    def __init__(self, name: str, control: Control) -> None:
        self.name = name
        self.settings = VARIANTS[name]
        self.control = control

    def reset(self, data: Any = "demo", generate: Optional[Dict[str, Any]] = None) -> None:
        self.control.reset(data, generate)
        if self.settings:
            self.control.config(**self.settings)

    def __getitem__(self, key: str) -> Any:
        return self.control.config()[key]


@pytest.fixture
def variant(request: Any, insight: Control) -> Variant:
    current = Variant(getattr(request, "param", "default"), insight)
    current.reset()
    return current
