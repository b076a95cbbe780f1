# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jobs: their statuses, their snake_case shape, and the one job filter shared by modules and the inventory."""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any, Callable, Dict, FrozenSet, Iterable, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

from ._apps import ambiguous, pick_app
from ._args import check_id
from ._client_protocol import InsightClientLike
from ._errors import InsightConfigError, InsightHTTPError
from ._listing import LISTING_PASSES, settled_listing
from ._listing import read_pass as read_listing_pass

STATUSES = ("QUEUED", "EXECUTING", "COMPLETING", "COMPLETED", "FAILED", "CANCELLING", "CANCELLED", "DELETING",
            "DELETED", "INACTIVE")
FINISHED = frozenset(("COMPLETED", "FAILED", "CANCELLED", "DELETED"))
# Jobs in these states need no cancelling: they are finished or already on their way out.
NOT_CANCELLABLE = FINISHED | {"CANCELLING", "DELETING"}

# Every field of the reference's Job object, snake_case. A result always has each of them, null when the server left
# it out (servers omit fields that do not apply yet, such as `finished` of a queued job), so a playbook or an inventory
# host variable can read any of them without `default`.
JOB_FIELDS = ("app", "created", "duration", "execution_attempts", "execution_mode", "execution_service",
              "execution_worker", "finished", "id", "model_status", "name", "object_type", "objective", "owner",
              "scenario", "solver_status", "started", "status", "url")

_CAMEL_RE = re.compile(r"(?<=[a-z0-9])([A-Z])")
_AGE_RE = re.compile(r"^\s*(?:(\d+)\s*w)?\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$", re.IGNORECASE)


# Job lists repeat the same few dozen keys thousands of times: memoise the conversion (and share the key strings).
@functools.lru_cache(maxsize=512)
def snake(name: str) -> str:
    return _CAMEL_RE.sub(r"_\1", name).lower()


def snake_keys(value: Any) -> Any:
    """A deep copy of a JSON value with every object key in snake_case."""
    if isinstance(value, dict):
        return {snake(str(key)): snake_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [snake_keys(item) for item in value]
    return value


def normalize_job(job: Mapping[str, Any]) -> Dict[str, Any]:
    """A job in snake_case with every field of JOB_FIELDS (null when absent); extra fields are kept."""
    out = dict.fromkeys(JOB_FIELDS)
    out.update(snake_keys(dict(job)))
    return out


def count_by_status(jobs: Iterable[Mapping[str, Any]]) -> Dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for job in jobs:
        status = job.get("status")
        if status is not None:
            counts[status] = counts.get(status, 0) + 1
    return counts


def now_utc() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def parse_timestamp(text: Optional[str]) -> Optional[datetime.datetime]:
    """An ISO 8601 timestamp as the server writes it (`Z` or an offset); naive values are taken as UTC."""
    if not text:
        return None
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    # Python < 3.11 accepts only 0, 3 or 6 fraction digits.
    value = re.sub(r"(\.\d{1,6})\d*", lambda m: m.group(1).ljust(7, "0"), value)
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def parse_moment(value: Any, name: str, now: Optional[datetime.datetime] = None) -> Optional[datetime.datetime]:
    """An option that is an age (`6h`, `30m`, `1d12h`: that long before now) or a timestamp."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    match = _AGE_RE.match(text)
    if match and any(match.groups()):
        weeks, days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
        delta = datetime.timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
        return (now or now_utc()) - delta
    moment = parse_timestamp(text)
    if moment is None:
        raise InsightConfigError("%s: %r is neither an age such as 6h, 30m or 1d12h nor an ISO 8601 timestamp" % (name, value))
    return moment


def _ref_matches(ref: Any, wanted: Sequence[str]) -> bool:
    if not isinstance(ref, Mapping):
        return False
    return any(str(ref.get(key)) in wanted for key in ("id", "name", "username") if ref.get(key) is not None)


class JobFilter:
    """The one job filter of every plugin: built from options by `from_options`, made exact against the server by
    `resolve` (apps named by name become ids), applied client-side by `matches`. Criteria that are None select
    everything."""

    def __init__(self, status: Optional[Sequence[str]] = None, app: Optional[Sequence[str]] = None,
                 owner: Optional[Sequence[str]] = None, execution_mode: Optional[Sequence[str]] = None,
                 scenario_id: Optional[Sequence[str]] = None,
                 created_before: Optional[datetime.datetime] = None,
                 created_after: Optional[datetime.datetime] = None) -> None:
        self.status = _upper_set(status, "status")
        self.app = _as_list(app)
        self.owner = _as_list(owner)
        self.execution_mode = [m.upper() for m in _as_list(execution_mode) or []] or None
        self.scenario_id = [check_id(s, "scenario_id") for s in _as_list(scenario_id) or []] or None
        self.created_before = created_before
        self.created_after = created_after
        self.resolved = False

    @classmethod
    def from_options(cls, params: Mapping[str, Any], now: Optional[datetime.datetime] = None) -> "JobFilter":
        """Build from the options of `job_filter_argument_spec` (module params or plugin options by the same names);
        a blank option fails (check_blank_filters): it never falls back to selecting everything."""
        check_blank_filters(params)
        return cls(status=params.get("status"), app=params.get("app"), owner=params.get("owner"),
                   execution_mode=params.get("execution_mode"), scenario_id=params.get("scenario_id"),
                   created_before=parse_moment(params.get("created_before"), "created_before", now),
                   created_after=parse_moment(params.get("created_after"), "created_after", now))

    def resolve(self, client: InsightClientLike) -> "JobFilter":
        """Check every app against the server and match apps by id from now on; fails naming an unknown app."""
        if self.app and not self.resolved:
            self.app = resolve_apps(client, self.app)
        self.resolved = True
        return self

    def resolve_from_jobs(self, jobs: Iterable[Mapping[str, Any]]) -> "JobFilter":
        """`resolve` without a server, from the app references of jobs already read (an inventory's cache): an app
        name that two of those apps share fails as it does against the server."""
        if self.app and not self.resolved:
            names: Dict[str, Set[str]] = {}
            for job in jobs:
                ref = job.get("app")
                if isinstance(ref, Mapping) and ref.get("id") is not None:
                    names.setdefault(str(ref.get("name")), set()).add(str(ref["id"]))
            for item in self.app:
                ids = names.get(item, set())
                if len(ids) > 1:
                    raise ambiguous("app", item, [{"id": i, "name": item} for i in sorted(ids)])
        return self

    def server_side(self) -> "JobFilter":
        """The part of this filter the server applies (so a cached raw listing stays valid for the rest)."""
        return JobFilter(scenario_id=self.scenario_id) if self.server_params() else JobFilter()

    def server_params(self) -> Dict[str, Any]:
        """The part of the filter the server applies itself (one scenario)."""
        if self.scenario_id and len(self.scenario_id) == 1:
            return {"scenarioId": self.scenario_id[0]}
        return {}

    def matches(self, job: Mapping[str, Any]) -> bool:
        if self.status is not None and job.get("status") not in self.status:
            return False
        if self.app is not None and not _ref_matches(job.get("app"), self.app):
            return False
        if self.owner is not None and not _ref_matches(job.get("owner"), self.owner):
            return False
        if self.execution_mode is not None:
            mode = job.get("execution_mode")
            mode_name = mode.get("name") if isinstance(mode, Mapping) else mode
            if str(mode_name or "").upper() not in self.execution_mode:
                return False
        if self.scenario_id is not None:
            scenario = job.get("scenario")
            if not isinstance(scenario, Mapping) or scenario.get("id") not in self.scenario_id:
                return False
        if self.created_before is not None or self.created_after is not None:
            created = parse_timestamp(job.get("created"))
            if created is None:
                return False
            if self.created_before is not None and created >= self.created_before:
                return False
            if self.created_after is not None and created <= self.created_after:
                return False
        return True

    def select(self, jobs: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        return (job for job in jobs if self.matches(job))


def job_filter_argument_spec() -> Dict[str, Dict[str, Any]]:
    """The argument spec of the `xpress.insight.job_filter` doc fragment, for every module that selects jobs."""
    return dict(
        status=dict(type="list", elements="str", choices=list(STATUSES), aliases=["statuses"]),
        app=dict(type="list", elements="str", aliases=["apps"]),
        owner=dict(type="list", elements="str", aliases=["owners"]),
        scenario_id=dict(type="list", elements="str", aliases=["scenario_ids"]),
        execution_mode=dict(type="list", elements="str"),
        created_before=dict(type="str", aliases=["older_than"]),
        created_after=dict(type="str"),
    )


JOB_FILTER_OPTIONS = tuple(job_filter_argument_spec())

# What leaving each filter option out means, for the line that refuses a blank value of it.
_LEFT_OUT = {
    "status": "select by the default statuses",
    "app": "not filter by app",
    "owner": "not filter by owner",
    "scenario_id": "not filter by scenario",
    "execution_mode": "not filter by execution mode",
    "created_before": "not filter by creation time",
    "created_after": "not filter by creation time",
}


def _blank(value: Any) -> bool:
    return value is not None and not isinstance(value, bool) and not str(value).strip()


def check_blank_filters(params: Mapping[str, Any], options: Sequence[str] = JOB_FILTER_OPTIONS) -> None:
    """Fail naming the first filter option given an empty value (`""`, `[]`, or a list holding a blank item).

    A variable that is unset or a search that found nothing (`"{{ stuck.jobs | map(attribute='id') | list }}"`)
    gives such values; read as "no filter" they would widen the selection to every job, which is the one thing a
    cancel must never do. None is the option left out."""
    for name in options:
        value = params.get(name)
        if value is None:
            continue
        if isinstance(value, (list, tuple, set)):
            if not value:
                problem = "is an empty list"
            elif any(item is None or _blank(item) for item in value):
                problem = "holds an empty value"
            else:
                continue
        elif _blank(value):
            problem = "is empty"
        else:
            continue
        raise InsightConfigError("%s: %s; leave the option out to %s" % (name, problem, _LEFT_OUT.get(name, "not filter by it")))


def _as_list(value: Any) -> Optional[List[str]]:
    if value is None:
        return None
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value] or None
    return [str(value)]


def _upper_set(value: Any, name: str) -> Optional[FrozenSet[str]]:
    items = _as_list(value)
    if items is None:
        return None
    wanted = frozenset(v.strip().upper() for v in items)
    unknown = sorted(wanted - set(STATUSES))
    if unknown:
        raise InsightConfigError("%s: unknown job status %s; valid: %s" % (name, ", ".join(unknown), ", ".join(STATUSES)))
    return wanted


def get_job(client: InsightClientLike, job_id: str) -> Optional[Dict[str, Any]]:
    """One job, normalised, or None when the server does not have it (or it is not visible to this user)."""
    try:
        return normalize_job(client.get_item("/api/jobs/{}", job_id))
    except InsightHTTPError as exc:
        if exc.status == 404:
            return None
        raise


def list_jobs(client: InsightClientLike, job_filter: JobFilter, include_finished: bool = False, concurrent: int = 4,
              shape: Optional[Callable[[Dict[str, Any]], Dict[str, Any]]] = None) -> List[Dict[str, Any]]:
    """Every job of one complete listing pass, normalised, then filtered client-side by `job_filter`.

    The server pages by number, so when jobs leave the list while it is read (other jobs finish, or leave the job
    history), later jobs move onto pages already read. The pass follows those shifts (`paged(follow_shifts=True)`:
    every drop of `totalElements` between two reads makes it read again the pages the moved jobs can now be on), so
    a job that stays listed for the whole pass is never missed (and a job that finished while the pass read on is
    listed as it was when read: any listing that takes more than one call is spread over time). A list that changes
    faster than that can follow is
    read again, up to LISTING_PASSES times; after that the listing fails rather than hand out a partial list. Two
    limits: a server that sends no `totalElements` cannot be followed (its single pass is taken as is), and a gap
    between two reads in which as many jobs were added before the read position as left keeps the total, so a job
    that moved then can still be missed (the next run sees it)."""
    def keep(job: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        # Filtered and shaped as the pages are read, so that only the jobs kept, as kept, are held.
        if not job_filter.matches(job):
            return None
        return shape(job) if shape is not None else job

    return settled_listing(client, "/api/jobs", params=_job_params(job_filter, include_finished),
                           concurrent=concurrent, keep=lambda job: keep(normalize_job(job)),
                           unsettled="the job list kept changing while it was read (%d passes, other jobs finishing "
                                     "or leaving the history between pages faster than re-reading could follow); "
                                     "nothing was done with a partial list: run it again" % LISTING_PASSES)


def _job_params(job_filter: JobFilter, include_finished: bool) -> Dict[str, Any]:
    params: Dict[str, Any] = dict(job_filter.server_params())
    params["includeFinished"] = bool(include_finished)
    return params


def read_pass(client: InsightClientLike, job_filter: JobFilter, include_finished: bool = False, concurrent: int = 4,
              shape: Optional[Callable[[Dict[str, Any]], Optional[Dict[str, Any]]]] = None) -> Tuple[List[Dict[str, Any]], bool]:
    """One paging pass that follows shifts (only the server-side part of `job_filter` applies), normalised, and
    whether it completed. Pollers use it directly: they confirm every job a pass did not show (see _job_wait).
    `shape` maps each normalised job to what the caller keeps of it (None: nothing), as the pages are read."""
    return read_listing_pass(client, "/api/jobs", params=_job_params(job_filter, include_finished),
                             concurrent=concurrent,
                             keep=lambda job: shape(normalize_job(job)) if shape is not None else normalize_job(job))


def resolve_apps(client: InsightClientLike, wanted: Optional[Sequence[str]], option: str = "app") -> Optional[List[str]]:
    """Check that every app named (by name or id) exists; returns the ids, or raises naming the option. An app name
    that two apps share is never taken for both (nor for the first): pick_app refuses it, naming the ids."""
    if not wanted:
        return None
    apps = list(client.paged("/api/apps"))
    return [str(pick_app(apps, item, option)["id"]) for item in wanted]
