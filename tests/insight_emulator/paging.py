"""Spring-style page objects and the strict parsing of ``page`` and ``size``."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from insight_emulator.context import encode_json
from insight_emulator.errors import bad_request


def _integer(query: Mapping[str, str], name: str, default: int, minimum: int, spring: bool) -> int:
    """Strict: 400 for anything but an integer in range. Spring's resolver instead falls back to the default for
    text that is not a number or a value below the minimum."""
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip(), 10)
    except ValueError:
        if spring:
            return default
        raise bad_request(name, "Parameter %s must be an integer" % name) from None
    if value < minimum or value > 2 ** 31 - 1:
        if spring:
            return default if value < minimum else 2 ** 31 - 1
        raise bad_request(name, "Parameter %s must be at least %d" % (name, minimum))
    return value


def page_params(query: Mapping[str, str], config: Any) -> Tuple[int, int]:
    """``(page, size)`` from the query; the server silently caps ``size`` and answers with its own."""
    spring = config.paging == "spring"
    page = _integer(query, "page", 0, 0, spring)
    size = _integer(query, "size", config.default_page_size, 1, spring)
    return page, min(size, config.page_size_cap)


def make_page(items: List[Any], page: int, size: int, sorted_: bool,
              render: Optional[Callable[[Any], Any]] = None, config: Any = None) -> Dict[str, Any]:
    """One page of ``items``; only the items on the page are rendered, so large lists stay cheap."""
    spring = config is not None and config.paging == "spring"
    total = len(items)
    start = page * size
    content = items[start:start + size]
    if render is not None:
        content = [render(item) for item in content]
    total_pages = (total + size - 1) // size
    return {
        "content": content,
        "first": page == 0,
        "last": page >= total_pages - 1,
        "number": page,
        "numberOfElements": len(content),
        "size": size,
        # The reference pages define ``empty`` as "there are no results"; Spring's Sort says "no sort orders".
        "sort": {"empty": (not sorted_) if spring else not content, "sorted": sorted_, "unsorted": not sorted_},
        "totalElements": total,
        "totalPages": total_pages,
    }


def encode_page(page: Dict[str, Any]) -> bytes:
    """A page whose ``content`` holds items already encoded as JSON, encoded in the same key order as make_page."""
    rest = dict(page)
    content = rest.pop("content")
    return b'{"content":[' + b",".join(content) + b"]," + encode_json(rest)[1:]
