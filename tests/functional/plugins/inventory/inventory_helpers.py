"""Helpers for the insight_jobs inventory tests: reading `ansible-inventory` output and the emulator's state."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Set

PLUGIN = "xpress.insight.insight_jobs"
STATUSES = ("QUEUED", "EXECUTING", "COMPLETING", "COMPLETED", "FAILED", "CANCELLING", "CANCELLED", "DELETING",
            "DELETED", "INACTIVE")
FINISHED = {"COMPLETED", "FAILED", "CANCELLED", "DELETED"}
STATUS_GROUPS = ["insight_status_" + status.lower() for status in STATUSES]
LIST_ROUTE = "GET /api/jobs"


def plain(value: Any) -> Any:
    """The value with ansible-inventory's `{"__ansible_unsafe": text}` markers replaced by the text."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def unsafe(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"__ansible_unsafe"}


def config(**options: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {"plugin": PLUGIN}
    out.update(options)
    return out


def groups(listing: Dict[str, Any]) -> Set[str]:
    """Every group name of a --list answer (empty groups are only named among all's children)."""
    return set(listing) - {"_meta"} | set(listing.get("all", {}).get("children", []))


def hosts_of(listing: Dict[str, Any], group: str) -> Set[str]:
    return set(listing.get(group, {}).get("hosts", []))


def hostvars(listing: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return plain(listing["_meta"]["hostvars"])


def state_jobs(insight: Any, statuses: Optional[Set[str]] = None) -> List[Dict[str, Any]]:
    jobs = insight.state()["jobs"]
    return [job for job in jobs if statuses is None or job["status"] in statuses]


def active_ids(insight: Any) -> Set[str]:
    return {job["id"] for job in state_jobs(insight) if job["status"] not in FINISHED}


def list_requests(insight: Any) -> int:
    return insight.counters()["by_route"].get(LIST_ROUTE, 0)
