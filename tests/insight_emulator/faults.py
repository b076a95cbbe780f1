"""Fault injection rules: latency, replaced statuses, dropped connections, before or after the change, and jobs or
folder children that leave a listing while a client pages through it."""
from __future__ import annotations

import random
import threading
from typing import Any, Dict, List, Optional

from insight_emulator import lifecycle

KINDS = ("status", "drop", "latency", "finish_jobs", "remove_jobs", "move_children", "remove_children", "sign_in")
# Kinds that change a folder listing: the children of one container move to its parent, or vanish.
CHILDREN_KINDS = ("move_children", "remove_children")
# Kinds that replace the answer; the others only add to it (a delay, or a change after the answer is made).
TERMINAL = ("status", "drop", "sign_in")
# Jobs a finish_jobs / remove_jobs rule takes: the earliest created of those still in these statuses.
RUNNING = ("QUEUED", "EXECUTING", "COMPLETING")


class FaultRule:
    def __init__(self, spec: Dict[str, Any]) -> None:
        unknown = set(spec) - {"route", "kind", "status", "retry_after", "body", "rate", "count", "when", "delay",
                               "seed", "partial", "jobs", "skip", "message", "details", "children", "target",
                               "container"}
        if unknown:
            raise ValueError("unknown fault rule keys: %s" % ", ".join(sorted(unknown)))
        self.route = str(spec.get("route", "*"))
        self.kind = spec.get("kind", "status")
        if self.kind not in KINDS:
            raise ValueError("fault kind must be one of %s" % ", ".join(KINDS))
        # sign_in plays a single-sign-on gateway that answers for Insight: 200, whatever the route.
        self.status = 200 if self.kind == "sign_in" else int(spec.get("status", 503))
        if self.kind == "sign_in" and "status" in spec:
            raise ValueError("a sign_in fault always answers 200")
        if self.kind == "status" and not 400 <= self.status <= 599:
            raise ValueError("a status fault needs a 4xx or 5xx status")
        # 429 and 503 tell the client when to come back unless the rule says otherwise.
        default_retry = 1 if self.status in (429, 503) else None
        self.retry_after: Optional[Any] = spec.get("retry_after", default_retry)
        self.body = spec.get("body", "html" if self.status == 502 or self.kind == "sign_in" else "envelope")
        if self.body not in ("html", "empty", "envelope"):
            raise ValueError("fault body must be html, empty or envelope")
        if self.kind == "sign_in" and self.body == "envelope":
            raise ValueError("a sign_in fault body is html or empty")
        # An envelope body's own text and how many details it lists: a hostile or buggy server's answer.
        self.message = str(spec.get("message", "Injected fault"))
        self.details = int(spec.get("details", 0))
        self.rate = float(spec.get("rate", 1.0))
        count = spec.get("count")
        self.remaining: Optional[int] = None if count is None else int(count)
        self.when = spec.get("when", "before")
        if self.when not in ("before", "after"):
            raise ValueError("fault when must be before or after")
        self.delay = float(spec.get("delay", 1.0 if self.kind == "latency" else 0.0))
        self.partial = bool(spec.get("partial", False))
        self.skip = int(spec.get("skip", 0))
        self.jobs = int(spec.get("jobs", 1))
        if self.jobs < 1:
            raise ValueError("fault jobs must be 1 or more")
        self.children = int(spec.get("children", 1))
        if self.children < 1:
            raise ValueError("fault children must be 1 or more")
        # Only requests naming this id in their path match (default: any); the children of `container` (default:
        # the folder or app the request names) are the ones that move.
        self.target = None if spec.get("target") is None else str(spec["target"]).lower()
        self.container = None if spec.get("container") is None else str(spec["container"]).lower()
        self.seed = spec.get("seed", 0)
        self.rng = random.Random(self.seed)
        self.fired = 0
        self.spec = dict(spec)

    def matches(self, route: str, target: Optional[str] = None) -> bool:
        if self.target is not None and (target or "").lower() != self.target:
            return False
        return self.route in ("*", route)

    def fire(self) -> bool:
        """Whether the rule applies to this matching request; consumes one of ``count``."""
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.skip > 0:
            self.skip -= 1
            return False
        if self.rate < 1.0 and self.rng.random() >= self.rate:
            return False
        if self.remaining is not None:
            self.remaining -= 1
        self.fired += 1
        return True

    def describe(self) -> Dict[str, Any]:
        return dict(self.spec, fired=self.fired, remaining=self.remaining)


class FaultSet:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.rules: List[FaultRule] = []

    def add(self, specs: List[Dict[str, Any]]) -> None:
        rules = [FaultRule(spec) for spec in specs]
        with self._lock:
            self.rules.extend(rules)

    def clear(self) -> None:
        with self._lock:
            self.rules = []

    def pick(self, route: str, target: Optional[str] = None) -> List[FaultRule]:
        """The rules that fire for this request: every latency rule, then at most one status or drop rule."""
        if not self.rules:
            return []
        chosen: List[FaultRule] = []
        terminal = False
        with self._lock:
            for rule in self.rules:
                if not rule.matches(route, target):
                    continue
                if rule.kind in TERMINAL and terminal:
                    continue
                if rule.fire():
                    chosen.append(rule)
                    terminal = terminal or rule.kind in TERMINAL
        return chosen


def jobs_leave(store: Any, rule: FaultRule) -> None:
    """finish_jobs / remove_jobs: the `jobs` earliest created running jobs complete (or vanish) at once, as when other
    work ends on a busy server between two page reads. The caller holds the store lock."""
    running = sorted((j for j in store.jobs.values() if j.status in RUNNING), key=lambda j: (j.created, j.id))
    for job in running[:rule.jobs]:
        if rule.kind == "remove_jobs":
            del store.jobs[job.id]
            store.job_json.pop(job.id, None)
            store.jobs_changed()
        else:
            if job.started is None:
                lifecycle.start(job, store.clock.now())
            lifecycle.finish(job, "COMPLETED", store.clock.now())


def children_leave(store: Any, rule: FaultRule, named: Optional[str]) -> None:
    """move_children / remove_children: the first `children` children (in listing order) of a folder or app root
    move to its parent (suffixed on a name clash, as a move is) or vanish with everything below them, as when
    another writer changes a folder between two page reads. An app root has no parent: move_children leaves it as
    it is. The caller holds the store lock."""
    container = rule.container or (named or "").lower()
    listing = [store.nodes[i] for i in store.children.get(container, {}) if i in store.nodes]
    listing.sort(key=lambda n: (n.name.casefold(), n.name, n.id))
    folder = store.nodes.get(container)
    for node in listing[:rule.children]:
        if rule.kind == "remove_children":
            store.remove_node(node)
        elif folder is not None:
            store.move_node(node, folder.parent_id)
