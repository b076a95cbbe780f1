"""How time and peak memory grow from a workload to the same workload with `--scale` times the work (1 -> 7, 2 -> 8,
3 -> 9, 4 -> 10). The target: at most linear growth above Ansible's fixed start-up,

    (value at scale - start-up) <= (work ratio) x (value at 1x - start-up)

for the median time and the peak RSS, where start-up is the empty playbook's row for playbooks and the bare
ansible-inventory's row for the inventory. The floor's growth (one-task playbook + raw script, or the replayed
inventory, at both sizes) says whether the target is reachable at all.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from harness import Row
from report import BARE, FLOOR, FLOOR_TASK, ONE_TASK, PLUGIN, RAW, XPRESS, find

PAIRS = (("1", "7"), ("2", "8"), ("3", "9"), ("4", "10"))


def _factor(big: float, small: float) -> Optional[float]:
    """big / small, or None when the small side is not above start-up (no factor to speak of)."""
    return round(big / small, 2) if small > 0 else None


def _within(big: float, small: float, work: float) -> bool:
    return big <= work * small


def _floor_values(rows: Sequence[Row], number: str) -> Optional[Tuple[float, float]]:
    """The floor's time and peak RSS (MB) on workload `number`: the floor task (or the one-task playbook) + raw script
    (its memory: the larger of the two processes), or the replayed inventory."""
    if number in ("4", "10"):
        replayed = find(rows, number, FLOOR)
        return None if replayed is None else (replayed.median(), replayed.peak_rss_mb())
    one_task, raw = find(rows, number, FLOOR_TASK) or find(rows, "0", ONE_TASK), find(rows, number, RAW)
    if one_task is None or raw is None:
        return None
    return one_task.median() + raw.median(), max(one_task.peak_rss_mb(), raw.peak_rss_mb())


def factors(rows: Sequence[Row]) -> List[Dict[str, Any]]:
    """One entry per pair whose rows all ran: the work ratio, the growth factors of time and RSS above start-up,
    the verdict, and the floor's growth factors with whether they meet the same target."""
    out: List[Dict[str, Any]] = []
    for small_number, big_number in PAIRS:
        inventory = small_number == "4"
        variant = PLUGIN if inventory else XPRESS
        small, big = find(rows, small_number, variant), find(rows, big_number, variant)
        start = find(rows, "4", BARE) if inventory else find(rows, "0", "empty playbook")
        small_floor, big_floor = _floor_values(rows, small_number), _floor_values(rows, big_number)
        if small is None or big is None or start is None or not small.work or not big.work:
            continue
        work = big.work / small.work
        t0, r0 = start.median(), start.peak_rss_mb()
        time_small, time_big = small.median() - t0, big.median() - t0
        rss_small, rss_big = small.peak_rss_mb() - r0, big.peak_rss_mb() - r0
        item: Dict[str, Any] = {
            "pair": "%s -> %s" % (small_number, big_number), "work": round(work, 2),
            "time": _factor(time_big, time_small), "rss": _factor(rss_big, rss_small),
            "time_met": _within(time_big, time_small, work), "rss_met": _within(rss_big, rss_small, work),
            "note": "time %.2f -> %.2f s, peak RSS %.1f -> %.1f MB; start-up (%s) %.2f s, %.1f MB"
                    % (small.median(), big.median(), small.peak_rss_mb(), big.peak_rss_mb(), start.variant, t0, r0)}
        item["met"] = item["time_met"] and item["rss_met"]
        if small_floor is not None and big_floor is not None:
            (floor_time_small, floor_rss_small), (floor_time_big, floor_rss_big) = small_floor, big_floor
            item["floor_time"] = _factor(floor_time_big - t0, floor_time_small - t0)
            item["floor_rss"] = _factor(floor_rss_big - r0, floor_rss_small - r0)
            item["reachable"] = (_within(floor_time_big - t0, floor_time_small - t0, work)
                                 and _within(floor_rss_big - r0, floor_rss_small - r0, work))
        out.append(item)
    return out


def _x(value: Optional[float]) -> str:
    return "n/a" if value is None else "x%.2f" % value


def lines(items: Sequence[Dict[str, Any]]) -> List[str]:
    out = []
    for item in items:
        missed = [name for name, met in (("time", item["time_met"]), ("RSS", item["rss_met"])) if not met]
        verdict = "MISSED (%s)" % ", ".join(missed) if missed else "met"
        if missed and "reachable" in item:
            reach = "reachable" if item["reachable"] else "out of reach"
            verdict += " (floor time %s, RSS %s: %s)" % (_x(item["floor_time"]), _x(item["floor_rss"]), reach)
        out.append("growth %-7s work x%-6.2f time above start-up %-7s RSS above start-up %-7s %s\n              %s"
                   % (item["pair"], item["work"], _x(item["time"]), _x(item["rss"]), verdict, item["note"]))
    return out
