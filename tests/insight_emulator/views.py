"""API-shaped JSON for every entity, as the reference pages define the schemas."""
from __future__ import annotations

from typing import Any, Dict, Optional

from insight_emulator.context import encode_json
from insight_emulator.errors import iso
from insight_emulator.model import App, Job, Node, User

EXECUTION_MODES = {
    "RUN": ("Run the model", 5, None, False),
    "LOAD": ("Load the input data", 10, 1, True),
}
SERVICE_ID = "8aadc318-75b3-4bee-9552-3ce8030b27c4"
WORKERS = ("c0025fa4-889a-4f02-bffd-a05bc67ebe59", "c0025fa4-889a-4f02-bffd-a05bc67ebe5a")


def app_ref(app: App) -> Dict[str, Any]:
    return {"id": app.id, "name": app.name, "objectType": "APP", "url": "/api/apps/" + app.id}


def app_view(app: App) -> Dict[str, Any]:
    """An App: the reference fields plus ``path`` and ``model``, which the vendor's client requires."""
    view = app_ref(app)
    view["path"] = "/" + app.name
    view["model"] = {"name": app.name, "version": "1.0.0", "dataVersion": 1}
    return view


def user_ref(user: Optional[User], user_id: str = "") -> Dict[str, Any]:
    if user is None:
        return {"id": user_id, "name": None, "objectType": "USER", "url": "/api/admin/users/" + user_id}
    return {"id": user.id, "name": user.name, "objectType": "USER", "url": "/api/admin/users/" + user.id}


def user_view(user: User) -> Dict[str, Any]:
    return {"id": user.id, "username": user.username, "name": user.name, "status": user.status,
            "objectType": "USER", "url": "/api/admin/users/" + user.id}


def node_url(node: Node) -> str:
    return ("/api/folders/" if node.kind == "FOLDER" else "/api/scenarios/") + node.id


def node_ref(node: Node) -> Dict[str, Any]:
    return {"id": node.id, "name": node.name, "objectType": node.kind, "url": node_url(node)}


def node_view(store: Any, node: Node) -> Dict[str, Any]:
    """A Folder or a Scenario, every field of its schema."""
    app = store.apps[node.app_id]
    parent = app_ref(app) if node.parent_id is None else node_ref(store.nodes[node.parent_id])
    view: Dict[str, Any] = {
        "app": app_ref(app),
        "id": node.id,
        "name": node.name,
        "objectType": node.kind,
        "owner": user_ref(store.users.get(node.owner_id), node.owner_id),
        "parent": parent,
        "path": store.path(node),
        "shareStatus": node.share_status,
        "url": node_url(node),
    }
    if node.kind == "SCENARIO":
        view["created"] = iso(node.created)
        view["scenarioType"] = "SCENARIO"
        view["summary"] = {
            "executionDuration": None, "executionFinished": None, "executionMode": None, "executionStarted": None,
            "executionUser": None, "modelDataVersion": 1, "modelStatus": "NA", "objective": None,
            "problemStatus": "NA", "reservedForJob": False, "state": "UNLOADED",
        }
    return view


def execution_mode(name: str) -> Dict[str, Any]:
    desc, priority, threads, clears = EXECUTION_MODES.get(name, ("Custom execution mode", 1, None, False))
    return {"name": name, "description": desc, "priority": priority, "threads": threads, "clearsInputData": clears}


# Job fields that exist only at some point of a job's life; absent until then (null with the ``job_nulls`` config).
OPTIONAL_JOB_FIELDS = ("duration", "executionWorker", "finished", "modelStatus", "objective", "solverStatus", "started")


def job_view(store: Any, job: Job, redact: bool = False) -> Dict[str, Any]:
    """Every field of the Job schema that applies now. A redacted job withholds ``name`` and ``scenario`` (null)
    because its scenario is not visible to the caller."""
    app = store.apps.get(job.app_id)
    scenario = None
    if not redact:
        scenario = {"id": job.scenario_id, "name": job.scenario_name, "objectType": "SCENARIO",
                    "url": "/api/scenarios/" + job.scenario_id}
    running = job.started is not None
    worker = None
    if running:
        worker_id = WORKERS[job.worker % len(WORKERS)]
        worker = {"id": worker_id, "name": "worker-%d" % (job.worker % len(WORKERS) + 1), "objectType": "EXECUTION_WORKER",
                  "url": "/api/admin/execution/workers/" + worker_id}
    duration = None
    if job.finished is not None:
        duration = round((job.finished - (job.started if job.started is not None else job.created)) * 1000)
    view = {
        "app": app_ref(app) if app else {"id": job.app_id, "name": None, "objectType": "APP", "url": "/api/apps/" + job.app_id},
        "created": iso(job.created),
        "duration": duration,
        "executionAttempts": job.attempts,
        "executionMode": execution_mode(job.mode),
        "executionService": {"id": SERVICE_ID, "name": "Default execution service", "objectType": "EXECUTION_SERVICE",
                             "url": "/api/admin/execution/services/" + SERVICE_ID},
        "executionWorker": worker,
        "finished": iso(job.finished),
        "id": job.id,
        "modelStatus": job.model_status,
        "name": None if redact else job.scenario_name,
        "objectType": "JOB_STATE",
        "objective": job.objective,
        "owner": user_ref(store.users.get(job.owner_id), job.owner_id),
        "scenario": scenario,
        "solverStatus": job.solver_status,
        "started": iso(job.started),
        "status": job.status,
        "url": "/api/jobs/" + job.id,
    }
    if not store.config.job_nulls:
        for key in OPTIONAL_JOB_FIELDS:
            if view[key] is None:
                del view[key]
    return view


def job_json(store: Any, job: Job, redact: bool = False) -> bytes:
    """job_view encoded, kept until a value it shows changes: a listing of ten thousand jobs, page after page, would
    otherwise spend most of the emulator's time rebuilding and encoding the same views, and the emulator must never be
    the slow side of a benchmark."""
    app = store.apps.get(job.app_id)
    owner = store.users.get(job.owner_id)
    key = (job.status, job.started, job.finished, job.attempts, job.worker, job.mode, job.model_status,
           job.solver_status, job.objective, job.scenario_name, app.name if app else None,
           owner.name if owner else None, redact, store.config.job_nulls)
    cached = store.job_json.get(job.id)
    if cached is not None and cached[0] == key:
        return cached[1]
    data = encode_json(job_view(store, job, redact))
    store.job_json[job.id] = (key, data)
    return data
