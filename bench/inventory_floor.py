"""Workload 4's floor: turn the insight_jobs plugin's `--list` output into a file the insight_replay plugin replays.

    python inventory_floor.py make PLUGIN_LIST.json REPLAY.json    # groups, hosts and variables of the output
    python inventory_floor.py same PLUGIN_LIST.json REPLAY_LIST.json  # exit 1 unless both list the same inventory

Run as child processes of the bench so that the bench runner itself never holds a 10,000-host inventory (a child's
peak RSS starts at its parent's high-water mark on Linux).
"""
from __future__ import annotations

import json
import sys
from typing import Any, Dict, List

UNSAFE = "__ansible_unsafe"


def plain(value: Any) -> Any:
    """A value of ansible-inventory's JSON output without its untrusted-string markers."""
    if isinstance(value, dict):
        if len(value) == 1 and UNSAFE in value:
            return value[UNSAFE]
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def load(path: str) -> Dict[str, Any]:
    with open(path, "rb") as listing:
        return json.load(listing)


def make(listing: Dict[str, Any]) -> Dict[str, Any]:
    groups: List[str] = []
    member_of: Dict[str, List[str]] = {}

    def walk(group: str) -> None:
        for child in listing.get(group, {}).get("children", []):
            if child not in groups:
                groups.append(child)
                walk(child)
        for host in listing.get(group, {}).get("hosts", []):
            member_of.setdefault(host, []).append(group)

    walk("all")
    hostvars = listing["_meta"]["hostvars"]
    hosts = [[name, member_of.get(name, ["ungrouped"]), plain(hostvars.get(name, {}))] for name in member_of]
    return {"groups": [g for g in groups if g != "ungrouped"], "hosts": hosts}


def main(argv: List[str]) -> int:
    command, first, second = argv[1:4]
    if command == "make":
        with open(second, "w", encoding="utf-8") as out:
            json.dump(make(load(first)), out)
        return 0
    if command == "same":
        if load(first) != load(second):
            print("the replayed inventory differs from the plugin's")
            return 1
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
