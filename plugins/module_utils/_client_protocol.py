# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the engines need from the Insight client, as a type: InsightClient has it, and so do the fakes of the unit
tests, so an engine can be type-checked and tested without requests or a server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, Mapping, Optional, Protocol, Tuple

if TYPE_CHECKING:
    from ._client import Answer


class InsightClientLike(Protocol):
    """The HTTP verbs of InsightClient (`{}` in a template is filled with a URL-quoted part), its base URL, and how many
    requests it has sent (the job code measures what a listing pass costs by it)."""

    base_url: str

    @property
    def request_count(self) -> int:
        """Attempts sent so far (read-only: the client counts, its users read)."""

    def get(self, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None, kind: str = "json") -> Any:
        ...

    def post(self, template: str, *parts: Any, json_body: Any = None, params: Optional[Mapping[str, Any]] = None) -> Any:
        ...

    def patch(self, template: str, *parts: Any, json_body: Any = None, params: Optional[Mapping[str, Any]] = None) -> Any:
        ...

    def delete(self, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None) -> Any:
        ...

    def get_item(self, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        ...

    def download(self, template: str, *parts: Any) -> bytes:
        ...

    def download_to(self, fileobj: Any, template: str, *parts: Any, max_bytes: Optional[int] = None) -> int:
        ...

    def paged(self, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None, page_size: int = ...,
              concurrent: int = 0, on_page: Optional[Callable[[Dict[str, Any]], None]] = None,
              max_items: int = ..., max_bytes: int = ..., follow_shifts: bool = False) -> Iterator[Dict[str, Any]]:
        ...

    def call(self, method: str, template: str, *parts: Any, params: Optional[Mapping[str, Any]] = None,
             json_body: Any = None, kind: str = "json", use_auth: bool = True) -> Answer:
        ...

    def post_or_recover(self, template: str, *parts: Any, json_body: Any,
                        recover: Callable[[], Optional[Any]]) -> Tuple[Any, bool]:
        ...
