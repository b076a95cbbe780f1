"""The control API under ``/_emulator/``: reset, state, counters, config, clock, faults, log. No auth, never counted."""
from __future__ import annotations

import json
from typing import Any, Dict, Tuple

from insight_emulator import auth, seed
from insight_emulator.model import FINISHED
from insight_emulator.store import Config, Store
from insight_emulator.views import app_view, job_view, node_view, user_view


def users_with_keys(store: Store) -> Dict[str, Dict[str, Any]]:
    """What a test needs to authenticate as each seeded user (the secrets are test fixtures, not real keys)."""
    return {u.username: {"client_id": u.client_id, "secret": u.secret, "role": u.role, "id": u.id}
            for u in store.users.values()}


def state(store: Store) -> Dict[str, Any]:
    store.advance()
    nodes = sorted(store.nodes.values(), key=store.path)
    return {
        "apps": [app_view(a) for a in sorted(store.apps.values(), key=lambda a: a.name)],
        "folders": [node_view(store, n) for n in nodes if n.kind == "FOLDER"],
        "scenarios": [node_view(store, n) for n in nodes if n.kind == "SCENARIO"],
        "jobs": [dict(job_view(store, j), locked=j.locked, messages=sorted(j.messages))
                 for j in sorted(store.jobs.values(), key=lambda j: (j.created, j.id))],
        "users": [dict(user_view(u), role=u.role) for u in sorted(store.users.values(), key=lambda u: u.username)],
        "finished": sum(1 for j in store.jobs.values() if j.status in FINISHED),
    }


def _config(store: Store, body: Dict[str, Any]) -> Dict[str, Any]:
    unknown = set(body) - set(Config.KEYS)
    if unknown:
        raise ValueError("unknown config keys: %s" % ", ".join(sorted(unknown)))
    checked = store.config.copy()
    for key, value in body.items():
        checked.set(key, value)  # all or nothing: a bad key leaves the config as it was
    store.config = checked
    store.trim_history()
    return store.config.as_dict()


def _clock(store: Store, body: Dict[str, Any]) -> Dict[str, Any]:
    action = body.get("action")
    store.advance()
    if action == "pause":
        store.clock.pause()
    elif action == "resume":
        store.clock.resume()
    elif action == "step":
        store.clock.step(float(body.get("seconds", 1.0)))
    elif action == "speed":
        speed = float(body.get("speed", 1.0))
        if speed < 0:
            raise ValueError("speed must not be negative")
        store.clock.set_speed(speed)
    elif action is not None:
        raise ValueError("action must be pause, resume, step or speed")
    store.advance()
    return store.clock.describe()


def handle(store: Store, method: str, path: str, raw: bytes) -> Tuple[int, Any]:
    """Answer one control call: ``(status, JSON document)``. Errors are ``{"error": text}`` with 400 or 404."""
    route = "%s %s" % (method, path.rstrip("/"))
    try:
        body: Any = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except ValueError:
        return 400, {"error": "malformed JSON"}
    if not isinstance(body, dict):
        return 400, {"error": "the body must be a JSON object"}
    try:
        with store.lock:
            if route == "POST /_emulator/reset":
                seed.load(store, body.get("data", "demo"), body.get("generate"))
                return 200, {"users": users_with_keys(store), "counts": _counts(store)}
            if route == "GET /_emulator/state":
                return 200, state(store)
            if route == "GET /_emulator/users":
                return 200, users_with_keys(store)
            if route == "GET /_emulator/counters":
                return 200, json.loads(json.dumps(store.counters))
            if route == "POST /_emulator/counters/reset":
                store.reset_counters()
                return 200, store.counters
            if route == "GET /_emulator/config":
                return 200, store.config.as_dict()
            if route == "POST /_emulator/config":
                return 200, _config(store, body)
            if route in ("GET /_emulator/clock", "POST /_emulator/clock"):
                return 200, _clock(store, body if method == "POST" else {})
            if route == "GET /_emulator/faults":
                return 200, {"rules": [r.describe() for r in store.faults.rules]}
            if route == "POST /_emulator/faults":
                store.faults.add(list(body.get("rules") or []))
                return 200, {"rules": [r.describe() for r in store.faults.rules]}
            if route == "DELETE /_emulator/faults":
                store.faults.clear()
                return 200, {"rules": []}
            if route == "GET /_emulator/log":
                return 200, {"entries": list(store.log)}
            if route == "DELETE /_emulator/log":
                store.log.clear()
                return 200, {"entries": []}
            if route == "POST /_emulator/tokens/expire":
                return 200, {"expired": auth.expire_all(store)}
    except (ValueError, TypeError, KeyError, OSError) as error:
        return 400, {"error": str(error)}
    return 404, {"error": "no control route %s" % route}


def _counts(store: Store) -> Dict[str, int]:
    return {"apps": len(store.apps), "nodes": len(store.nodes), "jobs": len(store.jobs), "users": len(store.users)}
