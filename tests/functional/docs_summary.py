"""pytest plugin: prints the documented-examples counts (runnable, marked, neither) at the end of a run that includes
tests/functional/docs. It lives beside conftest.py, not in docs/, because under xdist only the controller prints the
summary and it loads no conftest below the paths it was given."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent / "docs"


def pytest_terminal_summary(terminalreporter: Any, config: Any) -> None:
    args = [Path(str(a).split("::", maxsplit=1)[0]).resolve() for a in config.args]
    if not any(a == DOCS or DOCS in a.parents or a in DOCS.parents for a in args):
        return
    if str(DOCS) not in sys.path:
        sys.path.insert(0, str(DOCS))
    import doc_examples  # pylint: disable=import-outside-toplevel

    terminalreporter.write_sep("-", "documented examples")
    terminalreporter.write_line(doc_examples.summary(doc_examples.all_snippets()))
