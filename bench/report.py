"""The bench's table and target checks, as text for the terminal and as Markdown for docs/performance.md."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from harness import Row

XPRESS = "xpress.insight playbook"
URI = "uri-loop playbook"
RAW = "raw requests script"
ONE_TASK = "one ping task playbook"
ONE_ACTION = "one debug task playbook"
FLOOR = "replayed from a file (ansible-core floor)"
TREE_XPRESS = "xpress.insight tree playbook"


def find(rows: Sequence[Row], workload_prefix: str, variant: str) -> Optional[Row]:
    for row in rows:
        if row.workload.startswith(workload_prefix) and row.variant == variant:
            return row
    return None


def table_rows(rows: Sequence[Row], startup: Optional[float]) -> List[List[str]]:
    out = []
    for row in rows:
        share = ""
        if startup is not None and "playbook" in row.variant:
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
    item["floor"] = round(value, 2)
    item["reachable"] = met
    return _note(item, how)


def _note(item: Dict[str, Any], text: str) -> Dict[str, Any]:
    item["note"] = (item["note"] + "; " if item.get("note") else "") + text
    return item


def checks(rows: Sequence[Row], startup: Optional[float]) -> List[Dict[str, Any]]:
    """Every target of the issue with the measured value, whether it is met, and whether it can be met at all.

    The floors: on workloads 1-3 and 5-6, a module that did exactly the raw script's work inside Ansible's cost of one trivial
    task (the one-ping-task playbook plus the raw script); on workload 4, the same inventory replayed from a file."""
    out: List[Dict[str, Any]] = []
    one_task, one_action = find(rows, "0", ONE_TASK), find(rows, "0", ONE_ACTION)
    for number in ("1", "2", "3", "5", "6"):
        xpress, uri, raw = find(rows, number, XPRESS) or find(rows, number, TREE_XPRESS), find(rows, number, URI), \
            find(rows, number, RAW)
        if xpress is None:
            continue
        best = one_task.median() + raw.median() if one_task is not None and raw is not None else None
        # Not a floor for modules: the same work done inside the controller's worker by an action plugin, no module.
        in_controller = one_action.median() + raw.median() if one_action is not None and raw is not None else None
        if uri is not None:
            value = uri.median() / xpress.median()
            item = {"workload": number, "target": "uri-loop / xpress.insight >= 10", "value": round(value, 1), "met": value >= 10}
            if best is not None:
                _floor(item, uri.median() / best, uri.median() / best >= 10,
                       "floor: uri loop / (one-task playbook + raw script) = %.2f / %.2f" % (uri.median(), best))
            if in_controller is not None:
                _note(item, "without a module (one debug task + raw script) %.1f" % (uri.median() / in_controller))
            out.append(item)
        if raw is not None:
            value = xpress.median() / raw.median()
            item = {"workload": number, "target": "xpress.insight / raw <= 1.5", "value": round(value, 2), "met": value <= 1.5}
            if startup is not None:
                beyond = xpress.median() - startup
                item["note"] = ("empty playbook %.2f s is %.0f%% of the xpress.insight run; without it %.2f s vs raw %.2f s"
                                % (startup, 100.0 * startup / xpress.median(), beyond, raw.median()))
            if best is not None:
                _floor(item, best / raw.median(), best / raw.median() <= 1.5,
                       "floor: (one-task playbook + raw script) / raw = %.2f / %.2f" % (best, raw.median()))
            if in_controller is not None:
                _note(item, "without a module (one debug task + raw script) %.2f" % (in_controller / raw.median()))
            out.append(item)
        if number in ("2", "6"):
            out.append({"workload": number, "target": "xpress.insight writes == 0", "value": xpress.last().writes,
                        "met": xpress.last().writes == 0})
    plugin, raw, bare = find(rows, "4", "plugin ansible-inventory --list"), find(rows, "4", "raw paged fetch"), \
        find(rows, "4", "bare ansible-inventory --list")
    replayed = find(rows, "4", FLOOR)
    if plugin is not None and raw is not None and bare is not None:
        baseline = raw.median() + bare.median()
        value = plugin.median() / baseline
        item = {"workload": "4", "target": "plugin / (raw fetch + bare ansible-inventory) <= 1.5", "value": round(value, 2),
                "met": value <= 1.5}
        memory = {"workload": "4", "target": "plugin peak RSS <= 250 MB", "value": round(plugin.peak_rss_mb()),
                  "met": plugin.peak_rss_mb() <= 250}
        if replayed is not None:
            _floor(item, replayed.median() / baseline, replayed.median() / baseline <= 1.5,
                   "floor: replayed inventory / baseline = %.2f / %.2f" % (replayed.median(), baseline))
            _floor(memory, replayed.peak_rss_mb(), replayed.peak_rss_mb() <= 250, "floor: the replayed inventory's peak RSS, %.0f MB" % replayed.peak_rss_mb())
        out += [item, memory]
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
        line = "workload %-4s %-58s %-8s %s" % (item["workload"], item["target"], item["value"], verdict)
        lines.append(line + ("\n              " + item["note"] if item.get("note") else ""))
    return lines
