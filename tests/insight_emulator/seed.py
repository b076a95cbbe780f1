"""Seed documents (YAML or JSON, or the built-in demo set) and the generators for large data sets."""
from __future__ import annotations

import base64
import datetime
import json
import os
import re
from typing import Any, Dict, List, Optional

from insight_emulator import lifecycle
from insight_emulator.model import AUTHORITIES, FULL, JOB_STATUSES, READONLY, SHARE_STATUSES, App, Job, Node, User, make_id
from insight_emulator.store import Store, check_name
from insight_emulator.errors import ApiError

DEMO_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "demo.yml")
DEFAULT_USERS = [
    {"username": "alice", "name": "Alice Able", "role": FULL, "client_id": "alice-id", "secret": "alice-secret"},
    {"username": "rita", "name": "Rita Reader", "role": READONLY, "client_id": "rita-id", "secret": "rita-secret"},
]
_RELATIVE = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)([smhd])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class SeedError(ValueError):
    """A seed document that cannot be loaded; the message names the offending entry."""


def read_document(data: Any) -> Dict[str, Any]:
    """``demo``, ``empty``, a file name (YAML or JSON) or an already parsed document."""
    if data is None or data == "demo":
        data = DEMO_FILE
    if data == "empty":
        return {}
    if isinstance(data, dict):
        return data
    if not isinstance(data, str):
        raise SeedError("data must be demo, empty, a file name or a seed document")
    with open(data, "r", encoding="utf-8") as handle:
        text = handle.read()
    if data.endswith(".json"):
        document = json.loads(text)
    else:
        import yaml  # only needed for YAML seeds, so JSON-only users need nothing beyond the standard library
        document = yaml.safe_load(text)
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise SeedError("a seed document must be a mapping")
    return document


def parse_time(value: Any, now: float) -> float:
    """``-6h``, ``+30m``, ``-45s``, ``-2d`` relative to the job clock, an ISO 8601 timestamp, or epoch seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, datetime.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
        return moment.timestamp()
    text = str(value).strip()
    match = _RELATIVE.match(text)
    if match:
        offset = float(match.group(2)) * _UNITS[match.group(3)]
        return now - offset if match.group(1) == "-" else now + offset
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SeedError("cannot read the time %r" % value) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.timestamp()


def _name(value: Any, where: str) -> str:
    try:
        return check_name(value)
    except ApiError as error:
        raise SeedError("%s: %s" % (where, error.message)) from None


class Loader:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.now = store.clock.now()
        self._earlier: Dict[str, bool] = {}  # app id: an app seeded before it has its name

    def owner(self, username: Optional[str], where: str) -> User:
        if username is None:
            return self.store.default_owner()
        user = self.store.user_by_name(username)
        if user is None:
            raise SeedError("%s: unknown user %r" % (where, username))
        return user

    def users(self, entries: List[Dict[str, Any]]) -> None:
        for entry in entries:
            username = _name(entry.get("username"), "user")
            role = entry.get("role", FULL)
            if role not in (FULL, READONLY):
                raise SeedError("user %s: role must be full or readonly" % username)
            authorities = entry.get("authorities")
            if authorities is not None:
                if not isinstance(authorities, list) or not set(authorities) <= set(AUTHORITIES):
                    raise SeedError("user %s: authorities must be a list of %s" % (username, ", ".join(AUTHORITIES)))
                authorities = frozenset(authorities)
            user = User(str(entry.get("id") or make_id("user", username)).lower(), username, entry.get("name") or username,
                        role, str(entry.get("client_id") or username + "-id"), str(entry.get("secret") or username + "-secret"),
                        entry.get("status", "ACTIVE"), authorities)
            self.store.users[user.id] = user

    def node(self, entry: Dict[str, Any], kind: str, app: App, parent: Optional[Node], parent_path: str) -> Node:
        name = _name(entry.get("name"), "%s under %s" % (kind.lower(), parent_path))
        path = parent_path + "/" + name
        container = parent.id if parent else app.id
        # A scenario marked `twin` may share its name with a sibling scenario, as scenarios made before the server
        # suffixed names (or imported) can; its id is made from the path and its position unless the seed gives one.
        twin = bool(entry.get("twin")) and kind == "SCENARIO"
        taken = name in self.store.sibling_names(container)
        if taken and not twin:
            raise SeedError("%s: a sibling already has this name" % path)
        share = entry.get("share_status", "FULLACCESS")
        if share not in SHARE_STATUSES:
            raise SeedError("%s: share_status must be one of %s" % (path, ", ".join(SHARE_STATUSES)))
        owner = self.owner(entry.get("owner"), path)
        # Twin apps (two apps with one name) have the same paths: the later twin's ids are made from its app id too.
        key = app.id + path if self._twin(app) else path
        if twin and taken:
            key += "#%d" % sum(1 for i in self.store.children.get(container, {}) if self.store.nodes[i].name == name)
        node_id = str(entry.get("id") or make_id(kind.lower(), key)).lower()
        if node_id in self.store.nodes:
            raise SeedError("%s: the id %s is taken already" % (path, node_id))
        node = Node(node_id, kind, name, app.id, parent.id if parent else None, owner.id, share, self.now)
        self.store.add_node(node)
        if kind == "FOLDER":
            for child in entry.get("folders") or []:
                self.node(child, "FOLDER", app, node, path)
            for child in entry.get("scenarios") or []:
                self.node(child, "SCENARIO", app, node, path)
        return node

    def _twin(self, app: App) -> bool:
        """Whether an app seeded before this one has its name."""
        return self._earlier.get(app.id, False)

    def apps(self, entries: List[Dict[str, Any]]) -> None:
        for entry in entries:
            name = _name(entry.get("name"), "app")
            app = App(str(entry.get("id") or make_id("app", name)).lower(), name)
            if app.id in self.store.apps:
                raise SeedError("app %s: the id %s is taken already (give twin apps their own ids)" % (name, app.id))
            self._earlier[app.id] = any(a.name == name for a in self.store.apps.values())
            self.store.add_app(app)
            for child in entry.get("folders") or []:
                self.node(child, "FOLDER", app, None, "/" + name)
            for child in entry.get("scenarios") or []:
                self.node(child, "SCENARIO", app, None, "/" + name)

    def job(self, entry: Dict[str, Any], key: str) -> Job:
        path = entry.get("scenario")
        if entry.get("scenario_id") is not None:
            # By id: a path cannot tell apart two apps of the same name.
            path = str(entry["scenario_id"]).lower()
            scenario = self.store.nodes.get(path)
        else:
            scenario = self.store.lookup_path(str(path)) if path else None
        if not isinstance(scenario, Node) or scenario.kind != "SCENARIO":
            raise SeedError("job %s: no scenario at %r" % (key, path))
        status = entry.get("status", "QUEUED")
        if status not in JOB_STATUSES:
            raise SeedError("job %s: status must be one of %s" % (key, ", ".join(JOB_STATUSES)))
        owner = self.owner(entry.get("owner"), "job " + key)
        job = Job(str(entry.get("id") or make_id("job", key)).lower(), scenario.id, scenario.name, scenario.app_id, owner.id,
                  str(entry.get("execution_mode", "RUN")))
        lifecycle.default_plan(job)
        job.queue_s = float(entry.get("queue_seconds", job.queue_s))
        job.run_s = float(entry.get("run_seconds", job.run_s))
        job.outcome = entry.get("outcome", job.outcome)
        job.created = parse_time(entry.get("created", "-%ds" % (60 + int(job.queue_s))), self.now)
        if entry.get("started") is not None:
            job.started = parse_time(entry["started"], self.now)
        if entry.get("finished") is not None:
            job.finished = parse_time(entry["finished"], self.now)
        job.locked = bool(entry.get("locked", False))
        if entry.get("run_log") is not None:
            job.run_log = _lines(entry["run_log"], "job " + key)
        for index, message in enumerate(entry.get("messages") or []):
            message_id = str(message.get("id") or make_id("message", "%s:%d" % (job.id, index))).lower()
            if message.get("content_b64") is not None:
                job.messages[message_id] = base64.b64decode(message["content_b64"])
            else:
                job.messages[message_id] = str(message.get("content", "")).encode("utf-8")
        lifecycle.place_seeded(job, status, self.now, self.store.config.cancel_delay)
        self.store.jobs[job.id] = job
        self.store.jobs_changed()
        self.store.schedule(job)
        return job

    def job_plan(self, entry: Dict[str, Any], key: str) -> None:
        """How the jobs that POST /api/jobs creates for one scenario run: seconds queued and running, the outcome
        and the run log's lines (defaults: 2 s, 5 s, COMPLETED, lines the emulator writes)."""
        where = "job_plans %s" % key
        if entry.get("scenario_id") is not None:
            scenario = self.store.nodes.get(str(entry["scenario_id"]).lower())
        else:
            scenario = self.store.lookup_path(str(entry.get("scenario") or ""))
        if not isinstance(scenario, Node) or scenario.kind != "SCENARIO":
            raise SeedError("%s: no scenario at %r" % (where, entry.get("scenario_id") or entry.get("scenario")))
        outcome = entry.get("outcome", "COMPLETED")
        if outcome not in ("COMPLETED", "FAILED"):
            raise SeedError("%s: outcome must be COMPLETED or FAILED" % where)
        plan: Dict[str, Any] = {"outcome": outcome, "queue_seconds": float(entry.get("queue_seconds", 2)),
                                "run_seconds": float(entry.get("run_seconds", 5))}
        if entry.get("run_log") is not None:
            plan["run_log"] = _lines(entry["run_log"], where)
        self.store.job_plans[scenario.id] = plan

    def generate_folders(self, spec: Dict[str, Any]) -> None:
        """``breadth`` folders per level, ``depth`` levels, optionally ``scenarios`` per folder, under ``parent``."""
        app = self._app(spec.get("app"))
        breadth, depth = int(spec.get("breadth", 3)), int(spec.get("depth", 2))
        per_folder = int(spec.get("scenarios", 0))
        prefix = str(spec.get("prefix", "Folder"))
        start: Any = self.store.lookup_path(spec["parent"]) if spec.get("parent") else app
        if start is None or (isinstance(start, Node) and start.kind != "FOLDER"):
            raise SeedError("generate.folders: no folder at %r" % spec.get("parent"))
        level = [start]
        for depth_index in range(1, depth + 1):
            next_level = []
            for parent in level:
                parent_node = parent if isinstance(parent, Node) else None
                parent_path = self.store.path(parent_node) if parent_node else "/" + app.name
                for number in range(1, breadth + 1):
                    entry = {"name": "%s %d-%d" % (prefix, depth_index, number), "owner": spec.get("owner"),
                             "scenarios": [{"name": "Scenario %d" % s} for s in range(1, per_folder + 1)]}
                    next_level.append(self.node(entry, "FOLDER", app, parent_node, parent_path))
            level = next_level

    def generate_jobs(self, spec: Dict[str, Any]) -> None:
        """``count`` jobs spread over the ``statuses`` weights and round-robin over the app's scenarios."""
        count = int(spec.get("count", 10))
        weights = spec.get("statuses") or {"QUEUED": 1}
        app = self._app(spec["app"]) if spec.get("app") else None
        scenarios = sorted((n for n in self.store.nodes.values()
                            if n.kind == "SCENARIO" and (app is None or n.app_id == app.id)),
                           key=self.store.path)
        if not scenarios:
            raise SeedError("generate.jobs: no scenarios to run jobs on")
        total = float(sum(weights.values()))
        # Interleave the statuses so any slice of the list has roughly the requested mix.
        slots = []
        for status, weight in weights.items():
            if status not in JOB_STATUSES:
                raise SeedError("generate.jobs: unknown status %r" % status)
            share = round(count * weight / total)
            slots.extend(((k + 0.5) / max(share, 1), status) for k in range(share))
        slots.sort()
        statuses = [slot[1] for slot in slots][:count]
        while len(statuses) < count:
            statuses.append(next(iter(weights)))
        for index, status in enumerate(statuses):
            scenario = scenarios[index % len(scenarios)]
            entry = {"scenario": self.store.path(scenario), "status": status, "owner": spec.get("owner"),
                     "execution_mode": spec.get("execution_mode", "RUN"), "created": -float(10 * (count - index)) + self.now}
            self.job(entry, "generated-%d" % index)

    def _app(self, name: Optional[str]) -> App:
        if name is None:
            if not self.store.apps:
                raise SeedError("generate: there is no app")
            return sorted(self.store.apps.values(), key=lambda a: a.name)[0]
        found = next((a for a in self.store.apps.values() if a.name == name), None)
        if found is None:
            raise SeedError("generate: no app named %r" % name)
        return found


def _lines(value: Any, where: str) -> List[str]:
    """A run log as seeded: a list of lines, or one text split at its line breaks."""
    if isinstance(value, str):
        return value.splitlines()
    if not isinstance(value, list) or not all(isinstance(line, str) for line in value):
        raise SeedError("%s: run_log must be a text or a list of lines" % where)
    return list(value)


def load(store: Store, data: Any = "demo", generate: Optional[Dict[str, Any]] = None) -> None:
    """Replace the whole state (under the store's lock) with a seed document plus generated data."""
    document = read_document(data)
    unknown = set(document) - {"users", "apps", "jobs", "job_plans", "generate"}
    if unknown:
        raise SeedError("unknown seed keys: %s" % ", ".join(sorted(unknown)))
    with store.lock:
        store.clear()
        loader = Loader(store)
        loader.users(document.get("users") or DEFAULT_USERS)
        loader.apps(document.get("apps") or [])
        plan = dict(document.get("generate") or {})
        plan.update(generate or {})
        if plan.get("folders"):
            loader.generate_folders(plan["folders"])
        for index, entry in enumerate(document.get("jobs") or []):
            loader.job(entry, str(index))
        for index, entry in enumerate(document.get("job_plans") or []):
            loader.job_plan(entry, str(index))
        if plan.get("jobs"):
            loader.generate_jobs(plan["jobs"])
        store.trim_history()
