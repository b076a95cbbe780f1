"""The emulator's entities. Plain records; the Store owns them and serialises access with its lock."""
from __future__ import annotations

import uuid
from typing import Dict, FrozenSet, List, Optional

# Every deterministic id is a uuid5 in this namespace, so the same seed always yields the same ids.
NAMESPACE = uuid.UUID("5b0e6a52-3f0c-4d35-9a1e-8f1d2c9b7a40")

FULL = "full"
READONLY = "readonly"
SHARE_STATUSES = ("FULLACCESS", "PRIVATE", "READONLY")
# The folder authorities of the reference pages; a full user has all of them unless its seed entry lists fewer.
AUTHORITIES = ("FOLDER_EDIT", "FOLDER_SHARE", "FOLDER_OWNER", "FOLDER_DELETE")
FINISHED = ("COMPLETED", "FAILED", "CANCELLED", "DELETED")
JOB_STATUSES = ("QUEUED", "EXECUTING", "COMPLETING", "COMPLETED", "FAILED", "CANCELLING", "CANCELLED",
                "DELETING", "DELETED", "INACTIVE")


def make_id(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "%s:%s" % (kind, key)))


class User:
    __slots__ = ("id", "username", "name", "role", "client_id", "secret", "status", "authorities")

    def __init__(self, id_: str, username: str, name: str, role: str, client_id: str, secret: str, status: str = "ACTIVE",
                 authorities: Optional[FrozenSet[str]] = None) -> None:
        self.id = id_
        self.username = username
        self.name = name
        self.role = role
        self.client_id = client_id
        self.secret = secret
        self.status = status
        self.authorities = frozenset(AUTHORITIES if role == FULL else ()) if authorities is None else authorities


class App:
    __slots__ = ("id", "name")

    def __init__(self, id_: str, name: str) -> None:
        self.id = id_
        self.name = name


class Node:
    """A folder or a scenario. ``parent_id`` is None at the app root."""

    __slots__ = ("id", "kind", "name", "app_id", "parent_id", "owner_id", "share_status", "created")

    def __init__(self, id_: str, kind: str, name: str, app_id: str, parent_id: Optional[str], owner_id: str,
                 share_status: str, created: float) -> None:
        self.id = id_
        self.kind = kind
        self.name = name
        self.app_id = app_id
        self.parent_id = parent_id
        self.owner_id = owner_id
        self.share_status = share_status
        self.created = created

    @property
    def container(self) -> str:
        """The key of the sibling set this node belongs to: its parent folder or its app's root."""
        return self.parent_id or self.app_id


class Job:
    __slots__ = ("id", "scenario_id", "scenario_name", "app_id", "owner_id", "status", "mode", "locked",
                 "created", "started", "finished", "due", "queue_s", "run_s", "complete_s", "outcome",
                 "worker", "attempts", "messages", "model_status", "solver_status", "objective", "run_log")

    def __init__(self, id_: str, scenario_id: str, scenario_name: str, app_id: str, owner_id: str, mode: str) -> None:
        self.id = id_
        self.scenario_id = scenario_id
        self.scenario_name = scenario_name
        self.app_id = app_id
        self.owner_id = owner_id
        self.mode = mode
        self.status = "QUEUED"
        self.locked = False
        self.created = 0.0
        self.started: Optional[float] = None
        self.finished: Optional[float] = None
        self.due: Optional[float] = None
        self.queue_s = 60.0
        self.run_s = 300.0
        self.complete_s = 3.0
        self.outcome = "COMPLETED"
        self.worker = 0
        self.attempts = 0
        self.messages: Dict[str, bytes] = {}
        self.model_status: Optional[str] = None
        self.solver_status: Optional[str] = None
        self.objective: Optional[float] = None
        # The run log's lines as seeded (None: the emulator writes its own, see jobs.run_log_lines).
        self.run_log: Optional[List[str]] = None
