"""The whole emulated server state behind one lock: users, apps, the folder tree, jobs, tokens, counters, log."""
from __future__ import annotations

import collections
import heapq
import threading
from typing import Any, Deque, Dict, Iterator, List, Optional, Tuple

from insight_emulator import lifecycle
from insight_emulator.clock import JobClock
from insight_emulator.errors import invalid
from insight_emulator.faults import FaultSet
from insight_emulator.model import FINISHED, FULL, App, Job, Node, User, make_id

LOG_LIMIT = 10000
_WHITE = " \t\n\x0b\f\r"


# Behaviours the reference pages leave open (or that were once invented here), each a choice with its default first.
CHOICES: Dict[str, Tuple[Any, ...]] = {
    "job_nulls": (False, True),                          # optional job fields absent (False) or sent as null
    "auth_error_body": ("envelope", "empty", "html"),    # what 401 and 403 carry
    "message_404": ("envelope", "empty"),               # a missing message file: JSON envelope or empty octet-stream
    "name_case": ("sensitive", "insensitive"),          # how sibling names clash
    "cancel_finished": ("accept", "not_found", "conflict"),  # DELETE of a finished or cancelling job: 202, 404, 409
    "max_age_over": ("cap", "refuse"),                  # maxAge above token_lifetime: capped, or 422
    "job_order": ("created", "id"),                     # the order of GET /api/jobs
    "list_finished": (True, False),                     # whether includeFinished lists the job history
    "paging": ("strict", "spring"),                     # 400 on a bad page/size, or Spring's clamping
    "lock_busy": (False, True),                         # 423 on deleting or moving an item with a queued/running job
    "release": ("later", "older"),                      # later: POST /api/jobs and run logs; older: neither route
}
NUMBERS = ("token_lifetime", "page_size_cap", "cancel_delay", "job_history_limit", "default_page_size", "max_body_bytes",
           "max_jobs")


class Config:
    """Settings that the CLI sets at start and ``POST /_emulator/config`` changes at run time."""

    KEYS = NUMBERS + tuple(CHOICES)

    def __init__(self, token_lifetime: float = 3600, page_size_cap: int = 100, cancel_delay: float = 2.0,
                 job_history_limit: int = 5000, **settings: Any) -> None:
        self.token_lifetime = token_lifetime
        self.page_size_cap = page_size_cap
        self.cancel_delay = cancel_delay
        self.job_history_limit = job_history_limit
        self.default_page_size = 20
        self.max_body_bytes = 1048576
        self.max_jobs = 0  # POST /api/jobs answers 429 at this many queued or running jobs; 0: no limit
        for key, choices in CHOICES.items():
            setattr(self, key, choices[0])
        for key, value in settings.items():
            self.set(key, value)

    def set(self, key: str, value: Any) -> None:
        """One setting, checked: a ValueError names the key and what it accepts."""
        if key in CHOICES:
            if value not in CHOICES[key] or type(value) is not type(CHOICES[key][0]):
                raise ValueError("%s must be one of %s" % (key, ", ".join(json_text(c) for c in CHOICES[key])))
        elif key in NUMBERS:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError("%s must be a non-negative number" % key)
            if key == "max_jobs":
                value = int(value)
            if key in ("page_size_cap", "job_history_limit", "default_page_size", "max_body_bytes"):
                if int(value) < 1:
                    raise ValueError("%s must be at least 1" % key)
                value = int(value)
        else:
            raise ValueError("unknown config key: %s" % key)
        setattr(self, key, value)

    def as_dict(self) -> Dict[str, Any]:
        return {key: getattr(self, key) for key in self.KEYS}

    def copy(self) -> "Config":
        return Config(**self.as_dict())


def json_text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def name_key(name: str, case: str) -> str:
    """The form in which sibling names are compared."""
    return name.casefold() if case == "insensitive" else name


def check_name(value: Any, target: str = "name") -> str:
    """The server's name rules: 1 to 255 characters, no control characters, no white space at either end."""
    if not isinstance(value, str) or not value:
        raise invalid(target, "The %s must be a non-empty string" % target)
    if len(value) > 255:
        raise invalid(target, "The %s must be at most 255 characters long" % target)
    if any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in value):
        # The name goes into the message as it is: the envelope escapes its control characters as \uXXXX.
        raise invalid(target, "The %s \"%s\" must not contain control characters" % (target, value))
    if value[0] in _WHITE or value[-1] in _WHITE:
        raise invalid(target, "The %s \"%s\" must not start or end with white space" % (target, value))
    return value


class Store:
    def __init__(self, config: Config, clock_speed: float = 1.0, paused: bool = False) -> None:
        self.lock = threading.RLock()
        self.startup_config = config.copy()
        self.startup_clock = (clock_speed, paused)
        self.config = config.copy()
        self.clock = JobClock(clock_speed, paused)
        self.users: Dict[str, User] = {}
        self.apps: Dict[str, App] = {}
        self.nodes: Dict[str, Node] = {}
        self.children: Dict[str, Dict[str, None]] = {}
        self.jobs: Dict[str, Job] = {}
        # scenario id: how the jobs POST /api/jobs creates for it run (seed key job_plans).
        self.job_plans: Dict[str, Dict[str, Any]] = {}
        # Encoded job views for listings, see views.job_json.
        self.job_json: Dict[str, Any] = {}
        self.tokens: Dict[str, Any] = {}
        self.faults = FaultSet()
        self.log: Deque[Dict[str, Any]] = collections.deque(maxlen=LOG_LIMIT)
        self.counters: Dict[str, Any] = {}
        # (due, job id) of every scheduled transition; entries whose job has moved on since are skipped when popped.
        self.due_heap: List[Tuple[float, str]] = []
        # Bumped whenever a job is added or removed: the listing order below is kept until then.
        self.jobs_version = 0
        self._order: Tuple[Any, List[Job]] = (None, [])
        self.sequence = 0
        self.reset_counters()

    # -- whole-state operations ------------------------------------------------------------------------------
    def clear(self) -> None:
        """Empty state, startup config and clock, no counters, faults, tokens or log."""
        self.config = self.startup_config.copy()
        self.clock = JobClock(*self.startup_clock)
        self.users.clear()
        self.apps.clear()
        self.nodes.clear()
        self.children.clear()
        self.jobs.clear()
        self.job_plans.clear()
        self.job_json.clear()
        self.tokens.clear()
        self.faults.clear()
        self.log.clear()
        self.due_heap = []
        self.jobs_changed()
        self.sequence = 0
        self.reset_counters()

    def reset_counters(self) -> None:
        self.counters = {"total": 0, "writes": 0, "by_route": {}, "by_method": {}}

    def count(self, method: str, route: str) -> None:
        counters = self.counters
        counters["total"] += 1
        if method in ("POST", "PATCH", "DELETE") and route != "POST /api/authentication/token":
            counters["writes"] += 1
        counters["by_route"][route] = counters["by_route"].get(route, 0) + 1
        counters["by_method"][method] = counters["by_method"].get(method, 0) + 1

    def new_id(self, kind: str) -> str:
        """Ids for objects created at run time: deterministic for a given sequence of calls after a reset."""
        self.sequence += 1
        return make_id("runtime-" + kind, str(self.sequence))

    # -- users -----------------------------------------------------------------------------------------------
    def user_by_name(self, username: str) -> Optional[User]:
        for user in self.users.values():
            if user.username == username:
                return user
        return None

    def default_owner(self) -> User:
        for user in self.users.values():
            if user.role == FULL:
                return user
        raise ValueError("the seed needs at least one full user to own folders and jobs")

    # -- the tree --------------------------------------------------------------------------------------------
    def add_app(self, app: App) -> None:
        self.apps[app.id] = app
        self.children.setdefault(app.id, {})

    def add_node(self, node: Node) -> None:
        self.nodes[node.id] = node
        self.children.setdefault(node.container, {})[node.id] = None
        if node.kind == "FOLDER":
            self.children.setdefault(node.id, {})

    def sibling_names(self, container: str, exclude: Optional[str] = None) -> Dict[str, None]:
        case = self.config.name_case
        return {name_key(self.nodes[i].name, case): None for i in self.children.get(container, {}) if i != exclude}

    def unique_name(self, container: str, name: str, exclude: Optional[str] = None) -> str:
        """The server appends `` (n)`` instead of failing when a sibling (folder or scenario) has the name
        (compared as ``name_case`` says)."""
        taken = self.sibling_names(container, exclude)
        case = self.config.name_case
        if name_key(name, case) not in taken:
            return name
        number = 1
        while name_key("%s (%d)" % (name, number), case) in taken:
            number += 1
        return "%s (%d)" % (name, number)

    def ancestors(self, node: Node) -> Iterator[Node]:
        """The node itself, then each parent folder up to the app root."""
        current: Optional[Node] = node
        while current is not None:
            yield current
            current = self.nodes.get(current.parent_id) if current.parent_id else None

    def path(self, node: Node) -> str:
        names = [n.name for n in self.ancestors(node)]
        names.append(self.apps[node.app_id].name)
        return "/" + "/".join(reversed(names))

    def visible(self, node: Node, user: User) -> bool:
        """PRIVATE items of another user, and everything below them, do not exist for this user."""
        return all(not (item.share_status == "PRIVATE" and item.owner_id != user.id) for item in self.ancestors(node))

    def writable(self, node: Node, user: User) -> bool:
        """Write access: a full user, and the item is not READONLY unless the user owns it."""
        if user.role != FULL:
            return False
        return node.share_status != "READONLY" or node.owner_id == user.id

    def busy_scenario(self, node: Node) -> Optional[Node]:
        """A scenario at or below ``node`` with a queued or executing job (such an item is locked: 423)."""
        if not self.config.lock_busy:
            return None
        busy = {j.scenario_id for j in self.jobs.values() if j.status in ("QUEUED", "EXECUTING")}
        if not busy:
            return None
        for item in [node] + self.descendants(node):
            if item.kind == "SCENARIO" and item.id in busy:
                return item
        return None

    def descendants(self, node: Node) -> List[Node]:
        found: List[Node] = []
        stack = [node.id]
        while stack:
            for child_id in self.children.get(stack.pop(), {}):
                child = self.nodes[child_id]
                found.append(child)
                if child.kind == "FOLDER":
                    stack.append(child.id)
        return found

    def remove_node(self, node: Node) -> None:
        """Recursive delete of a folder (or a scenario) and everything below it."""
        for item in [node] + self.descendants(node):
            self.nodes.pop(item.id, None)
            self.children.pop(item.id, None)
        self.children.get(node.container, {}).pop(node.id, None)

    def move_node(self, node: Node, parent_id: Optional[str]) -> None:
        self.children[node.container].pop(node.id, None)
        node.parent_id = parent_id
        node.name = self.unique_name(node.container, node.name)
        self.children.setdefault(node.container, {})[node.id] = None

    def lookup_path(self, path: str) -> Any:
        """The app, folder or scenario at a repository path, or None."""
        parts = [p for p in path.split("/") if p]
        if not parts:
            return None
        app = next((a for a in self.apps.values() if a.name == parts[0]), None)
        if app is None:
            return None
        container: str = app.id
        found: Any = app
        for part in parts[1:]:
            found = next((self.nodes[i] for i in self.children.get(container, {}) if self.nodes[i].name == part), None)
            if found is None:
                return None
            container = found.id
        return found

    # -- jobs ------------------------------------------------------------------------------------------------
    def advance(self) -> None:
        """Bring every job that has a transition due up to the job clock. Only the due jobs are touched, so a request
        costs the same with 10 or 100,000 jobs on the server."""
        now = self.clock.now()
        finished_any = False
        while self.due_heap and self.due_heap[0][0] <= now:
            due, job_id = heapq.heappop(self.due_heap)
            job = self.jobs.get(job_id)
            if job is None or job.due != due:
                continue  # gone, or rescheduled (cancelled, finished) since this entry was pushed
            lifecycle.advance(job, now, self)
            finished_any = finished_any or job.status in FINISHED
            self.schedule(job)
        if finished_any:
            self.trim_history()

    def jobs_changed(self) -> None:
        """Call after adding or removing jobs (not after a status change: the order does not depend on it)."""
        self.jobs_version += 1

    def listing_order(self) -> List[Job]:
        """Every job in the order listings return them (config.job_order), sorted again only after jobs were added
        or removed: a page of a 100,000-job listing then costs a filter pass, not a sort."""
        key = (self.jobs_version, self.config.job_order)
        if self._order[0] != key:
            jobs = list(self.jobs.values())
            if self.config.job_order == "id":
                jobs.sort(key=lambda j: j.id)
            else:
                jobs.sort(key=lambda j: (j.created, j.id))
            self._order = (key, jobs)
        return self._order[1]

    def schedule(self, job: Job) -> None:
        """Note the job's next transition (after any change of `job.due`)."""
        if job.due is not None:
            heapq.heappush(self.due_heap, (job.due, job.id))

    def trim_history(self) -> None:
        """The server keeps only the most recently finished jobs."""
        if len(self.jobs) <= self.config.job_history_limit:
            return  # fewer jobs in all than the history keeps: nothing to look for
        done = [job for job in self.jobs.values() if job.status in FINISHED]
        excess = len(done) - self.config.job_history_limit
        if excess > 0:
            done.sort(key=lambda j: (j.finished or 0.0, j.id))
            for job in done[:excess]:
                del self.jobs[job.id]
            self.jobs_changed()
