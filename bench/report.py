"""The bench's table and target checks, as text for the terminal and as Markdown for docs/performance.md."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from harness import Row

XPRESS = "xpress.insight playbook"
URI = "uri-loop playbook"
RAW = "raw requests script"
ONE_TASK = "one ping task playbook"
ONE_ACTION = "one debug task playbook"
FLOOR_TASK = "floor task (no-op module, same arguments)"
FLOOR = "replayed from a file (ansible-core floor)"
TREE_XPRESS = "xpress.insight tree playbook"
RAW8 = "raw requests script, 8 connections"
PLUGIN = "plugin ansible-inventory --list"
RAW_FETCH_ROW = "raw paged fetch"
BARE = "bare ansible-inventory --list"
PLUGIN_PLAYBOOK = "plugin ansible-playbook --limit queued"
LISTING = "GET /api/jobs"
XPRESS_MODULE = "xpress.insight playbook, module path"
DEBUG_PLAY = "debug playbook (same tasks)"
ACTION_TARGET = 1.5  # workloads 12-13: the collection against debug + the raw calls

TARGET = 1.10  # the collection's time (and at scale its memory) against its floor
URI_SHARE = 0.95  # of the floor's uri-loop ratio
PLAYBOOK_WORKLOADS = ("1", "2", "3", "5", "6", "7", "8", "9")


def find(rows: Sequence[Row], number: str, variant: str) -> Optional[Row]:
    """The row of workload `number` (exactly: "1" is not "10") and `variant`."""
    for row in rows:
        if row.number == number and row.variant == variant:
            return row
    return None


def table_rows(rows: Sequence[Row], startup: Optional[float]) -> List[List[str]]:
    out = []
    for row in rows:
        share = ""
        if startup is not None and ("playbook" in row.variant or row.number == "11"):
            share = "%.0f%%" % (100.0 * min(startup / row.median(), 1.0))
        server = row.server_share()
        last = row.last()
        out.append([
            row.workload, row.variant, "%.2f" % row.median(), " ".join("%.2f" % s.seconds for s in row.samples),
            str(last.requests), str(last.writes), "" if row.minimal is None else str(row.minimal), share,
            "" if server is None else "%.0f%%" % (100.0 * server), "%.0f" % row.peak_rss_mb(),
        ])
    return out


HEADER = ["workload", "variant", "median s", "runs s", "requests", "writes", "minimal", "Ansible start-up",
          "emulator CPU", "peak RSS MB"]


def text_table(cells: List[List[str]]) -> str:
    widths = [max(len(r[i]) for r in [HEADER] + cells) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(HEADER, widths, strict=True)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


def markdown_table(cells: List[List[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(" --- " for _column in HEADER) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in cells]
    return "\n".join(lines)


def _floor(item: Dict[str, Any], value: float, met: bool, how: str) -> Dict[str, Any]:
    """Adds what the best possible collection would score on the same target, measured in the same run."""
    item["floor"] = float(round(value, 2))
    item["reachable"] = met
    return _note(item, how)


def _note(item: Dict[str, Any], text: str) -> Dict[str, Any]:
    item["note"] = (item["note"] + "; " if item.get("note") else "") + text
    return item


def extra_requests(row: Row) -> Dict[str, int]:
    """A cancel row's requests beyond the minimum (token, first listing, one DELETE per job, one final listing): in
    all, on the jobs listing (the passes of the wait) and elsewhere."""
    sample, count, minimal = row.last(), row.work or 0, row.minimal or 0
    listing = int(sample.counters.get("by_route", {}).get(LISTING, 0))
    extra_listing = listing - (minimal - 1 - count)
    return {"extra": sample.requests - minimal, "listing": extra_listing, "other": sample.requests - minimal - extra_listing}


def _playbook_checks(number: str, rows: Sequence[Row], startup: Optional[float]) -> List[Dict[str, Any]]:
    """Time against the floor (one-task playbook + raw script; on workload 3 also + the raw script with 8
    connections), the uri loop's ratio against the floor's, no write when converged, minimal requests at scale."""
    out: List[Dict[str, Any]] = []
    xpress = find(rows, number, XPRESS) or find(rows, number, TREE_XPRESS)
    one_ping, one_action, uri = find(rows, "0", ONE_TASK), find(rows, "0", ONE_ACTION), find(rows, number, URI)
    # The floor's one task is this workload's own task with a module that does nothing (same variables and
    # arguments); without that row, the one-ping-task playbook.
    one_task = find(rows, number, FLOOR_TASK) or one_ping
    if xpress is None:
        return out
    for variant, label in ((RAW, "raw"), (RAW8, "raw 8 connections")):
        raw = find(rows, number, variant)
        if raw is None or one_task is None:
            continue
        floor = one_task.median() + raw.median()
        value = xpress.median() / floor
        item = {"workload": number, "target": "xpress.insight / (one-task + %s) <= %.2f" % (label, TARGET), "value": round(value, 2),
                "met": value <= TARGET}
        _floor(item, 1.0, True, "floor: %s %.2f s + %s script %.2f s = %.2f s; xpress.insight %.2f s"
               % ("floor task" if one_task is not one_ping else "one-task playbook", one_task.median(), label, raw.median(),
                  floor, xpress.median()))
        if one_ping is not None and one_task is not one_ping:
            _note(item, "with the one-ping-task playbook (%.2f s) instead of the floor task: %.2f"
                  % (one_ping.median(), xpress.median() / (one_ping.median() + raw.median())))
        _note(item, "xpress.insight / %s script %.2f (former target <= 1.5)" % (label, xpress.median() / raw.median()))
        if startup is not None:
            _note(item, "empty playbook %.2f s is %.0f%% of the run" % (startup, 100.0 * startup / xpress.median()))
        if one_action is not None:
            # Not a floor for modules: the same work done inside the controller's worker by an action plugin, no module.
            _note(item, "without a module (one debug task + %s script) %.2f" % (label, (one_action.median() + raw.median()) / floor))
        out.append(item)
        if variant == RAW and uri is not None:
            ratio, floor_ratio = uri.median() / xpress.median(), uri.median() / floor
            item = {"workload": number, "target": "uri-loop / xpress.insight >= %.2f x uri-loop / floor" % URI_SHARE,
                    "value": round(ratio, 2), "met": ratio >= URI_SHARE * floor_ratio}
            out.append(_floor(item, floor_ratio, True, "floor's ratio: uri loop / (one-task + raw) = %.2f / %.2f = %.2f, needed >= %.2f"
                              % (uri.median(), floor, floor_ratio, URI_SHARE * floor_ratio)))
    raw = find(rows, number, RAW)
    if number in ("2", "6", "8"):
        item = {"workload": number, "target": "xpress.insight writes == 0", "value": xpress.last().writes, "met": xpress.last().writes == 0}
        if raw is not None:
            _floor(item, raw.last().writes, raw.last().writes == 0, "floor: the raw script's writes")
        out.append(item)
    if number in ("7", "8"):
        item = {"workload": number, "target": "xpress.insight requests == minimal", "value": "%d/%d" % (xpress.last().requests, xpress.minimal or 0),
                "met": xpress.last().requests == xpress.minimal}
        if raw is not None:
            _floor(item, raw.last().requests, raw.last().requests == raw.minimal, "floor: the raw script's requests")
        out.append(item)
    if number == "9":
        out.append(_cancel_requests(xpress, raw, find(rows, "3", XPRESS), find(rows, "3", RAW)))
    return out


def _cancel_requests(xpress: Row, raw: Optional[Row], small: Optional[Row], small_raw: Optional[Row]) -> Dict[str, Any]:
    """At scale the cancel rows poll until every job is finished: their requests beyond the minimum must be passes
    of that wait (the jobs listing), compared with the raw script's at the same size."""
    mine = extra_requests(xpress)
    item = {"workload": "9", "target": "requests beyond the minimum are listing passes of the wait", "value": mine["extra"],
            "met": mine["other"] == 0}
    _note(item, "xpress.insight +%d requests: +%d on %s (listing passes of the wait), +%d elsewhere"
          % (mine["extra"], mine["listing"], LISTING, mine["other"]))
    if raw is not None:
        theirs = extra_requests(raw)
        _floor(item, theirs["extra"], theirs["other"] == 0, "floor: the raw script at the same size +%d (+%d listing)"
               % (theirs["extra"], theirs["listing"]))
    if small is not None:
        _note(item, "workload 3: xpress.insight +%d" % extra_requests(small)["extra"]
              + (", raw script +%d" % extra_requests(small_raw)["extra"] if small_raw is not None else ""))
    return item


def _inventory_checks(rows: Sequence[Row]) -> List[Dict[str, Any]]:
    """Workloads 4 and 10 (`--list`) and 11 (a playbook --limit'ed to the queued jobs) against the same inventory
    replayed from a file; at scale, memory and requests too."""
    out: List[Dict[str, Any]] = []
    for number, variant in (("4", PLUGIN), ("10", PLUGIN), ("11", PLUGIN_PLAYBOOK)):
        plugin, replayed = find(rows, number, variant), find(rows, number, FLOOR)
        if plugin is None or replayed is None:
            continue
        value = plugin.median() / replayed.median()
        what = "plugin" if number != "11" else "play on the plugin's inventory"
        item = {"workload": number, "target": "%s / replayed inventory <= %.2f" % (what, TARGET), "value": round(value, 2),
                "met": value <= TARGET}
        _floor(item, 1.0, True, "floor: the replayed inventory %.2f s; the plugin %.2f s" % (replayed.median(), plugin.median()))
        if number == "4":
            raw, bare = find(rows, "4", RAW_FETCH_ROW), find(rows, "4", BARE)
            if raw is not None and bare is not None:
                _note(item, "plugin / (raw fetch + bare ansible-inventory) %.2f (former target <= 1.5)"
                      % (plugin.median() / (raw.median() + bare.median())))
            _note(item, "peak RSS %.0f MB (former target <= 250 MB), replayed %.0f MB" % (plugin.peak_rss_mb(), replayed.peak_rss_mb()))
        if number == "11":
            item["first_task"] = {"plugin": _rounded(plugin.first_task()), "floor": _rounded(replayed.first_task())}
            _note(item, "time to the first task (from the child's start): plugin %s s, replayed %s s; the debug task ran on %d hosts,"
                  " the queued jobs the server lists" % (_seconds(plugin.first_task()), _seconds(replayed.first_task()), plugin.work or 0))
        out.append(item)
        if number == "10":
            memory = plugin.peak_rss_mb() / replayed.peak_rss_mb()
            item = {"workload": number, "target": "plugin peak RSS / replayed inventory's <= %.2f" % TARGET, "value": round(memory, 2),
                    "met": memory <= TARGET}
            out.append(_floor(item, 1.0, True, "floor: the replayed inventory %.0f MB; the plugin %.0f MB"
                              % (replayed.peak_rss_mb(), plugin.peak_rss_mb())))
            item = {"workload": number, "target": "plugin requests == minimal", "value": "%d/%d" % (plugin.last().requests, plugin.minimal or 0),
                    "met": plugin.last().requests == plugin.minimal}
            out.append(_floor(item, plugin.minimal or 0, True, "floor: token + one request per page"))
    return out


def _action_checks(rows: Sequence[Row]) -> List[Dict[str, Any]]:
    """Workloads 12 and 13: one insight_job_info per task against the same tasks with debug plus the raw calls."""
    out: List[Dict[str, Any]] = []
    for number in ("12", "13"):
        xpress, debug, raw = find(rows, number, XPRESS), find(rows, number, DEBUG_PLAY), find(rows, number, RAW)
        if xpress is None or debug is None or raw is None:
            continue
        floor = debug.median() + raw.median()
        value = xpress.median() / floor
        item = {"workload": number, "target": "xpress.insight / (debug play + raw) <= %.2f" % ACTION_TARGET,
                "value": round(value, 2), "met": value <= ACTION_TARGET}
        _floor(item, 1.0, True, "floor: debug play %.2f s + raw script %.2f s = %.2f s; xpress.insight %.2f s, %d requests "
               "(the raw script %d)" % (debug.median(), raw.median(), floor, xpress.median(), xpress.last().requests,
                                        raw.last().requests))
        module = find(rows, number, XPRESS_MODULE)
        if module is not None:
            _note(item, "module path (insight_execution: module) %.2f s: %.2f x the floor" % (module.median(), module.median() / floor))
        out.append(item)
    return out


def _rounded(value: Optional[float]) -> Optional[float]:
    return None if value is None else round(value, 2)


def _seconds(value: Optional[float]) -> str:
    return "n/a" if value is None else "%.2f" % value


def checks(rows: Sequence[Row], startup: Optional[float]) -> List[Dict[str, Any]]:
    """Every target of the issue with the measured value, whether it is met, and whether it can be met at all.

    The floors: on the playbook workloads, a module that did exactly the raw script's work inside Ansible's cost of
    one trivial task (the one-ping-task playbook plus the raw script); on the inventory workloads, the same inventory
    replayed from a file. A target a floor would miss too is out of reach for the collection."""
    out: List[Dict[str, Any]] = []
    for number in PLAYBOOK_WORKLOADS:
        out += _playbook_checks(number, rows, startup)
    out += _inventory_checks(rows)
    out += _action_checks(rows)
    shares = [row.server_share() for row in rows if row.server_share() is not None]
    if shares:
        worst = max(shares)  # type: ignore[type-var]
        out.append({"workload": "all", "target": "emulator CPU share of each run < 50% (not the bottleneck)",
                    "value": "%.0f%%" % (100.0 * worst), "met": worst < 0.5})
    return out


def check_lines(items: Sequence[Dict[str, Any]]) -> List[str]:
    lines = []
    for item in items:
        verdict = "met" if item["met"] else "MISSED"
        if not item["met"] and "reachable" in item:
            verdict += " (floor %s: %s)" % (item["floor"], "reachable" if item["reachable"] else "out of reach")
        value = "%.2f" % item["value"] if isinstance(item["value"], float) else str(item["value"])
        line = "workload %-4s %-62s %-8s %s" % (item["workload"], item["target"], value, verdict)
        lines.append(line + ("\n              " + item["note"] if item.get("note") else ""))
    return lines
