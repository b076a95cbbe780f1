# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event-Driven Ansible source xpress.insight.insight_jobs: events about FICO Xpress Insight 5 jobs.

Polls the server's list of unfinished jobs every ``interval`` seconds and puts one event on the queue per change:

    {"insight": {"type": "new" | "status_changed" | "finished" | "gone" | "queued_longer_than",
                 "job": {...the job as xpress.insight.insight_job_info returns it...},
                 "previous_status": "EXECUTING" or null,
                 "detected_at": "2026-01-31T12:00:00.000000+00:00"}}

Arguments: the connection options of the collection (url, client_id, secret, token, auth_url, validate_certs,
ca_path, timeout, retries, with the same INSIGHT_* environment fallbacks), interval (default 10), the job filters of
the modules (module_utils/_jobs.py job_filter_argument_spec: app, status, owner, scenario_id, ...), events, queued_for
and emit_existing (default false).
docs/docsite/rst/event_source.rst is the full reference.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
import sys
from typing import Any, Awaitable, Callable, Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

from ansible.module_utils.parsing.convert_bool import boolean

DOCUMENTATION = r"""
---
short_description: Events about the jobs of a FICO Xpress Insight 5 server.
description:
  - An ansible-rulebook event source that polls the unfinished jobs of an Insight 5 server and puts one event on
    the queue for each change it sees between two polls.
  - 'Each event is C({"insight": {"type": ..., "job": ..., "previous_status": ..., "detected_at": ...}}): C(type) is
    one of V(new), V(status_changed), V(finished), V(gone) and V(queued_longer_than); C(job) is the job as the
    xpress.insight.insight_job_info module returns it (V(GONE) as status for a job the server no longer knows);
    C(previous_status) is the status seen before the change, null for V(new) and V(queued_longer_than);
    C(detected_at) is when the source saw it, in ISO 8601 with the time zone.'
  - It connects, retries and renews tokens with the collection's own Insight client, as the modules do.
  - A bad argument stops the source at start with one line naming the argument; a failing server makes it wait
    longer between polls, up to 5 minutes, without stopping.
  - The guide docs/docsite/rst/event_source.rst describes every event, how the source polls and how it rides out
    faults.
requirements:
  - requests
  - ansible-core (for the collection's client)
options:
  # The connection options are those of the modules (the xpress.insight.connection doc fragment), each with its
  # INSIGHT_* environment variable when not given.
  url:
    description:
      - Base URL of the Insight 5 server. Taken from E(INSIGHT_URL) when not given.
    type: str
    required: true
  client_id:
    description:
      - Client ID of an Insight API key pair (E(INSIGHT_CLIENT_ID)). Give it with O(secret), or give O(token).
    type: str
  secret:
    description:
      - Secret of the key pair (E(INSIGHT_SECRET)); better kept in the environment than in the rulebook. Never
        logged and never part of an event.
    type: str
  token:
    description:
      - A bearer token issued beforehand, instead of a key pair (E(INSIGHT_TOKEN)).
    type: str
  auth_url:
    description:
      - For FICO Platform deployments, the IAM token endpoint (E(INSIGHT_AUTH_URL)).
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate (E(INSIGHT_VALIDATE_CERTS)).
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle to verify the server's certificate with (E(INSIGHT_CA_PATH)).
    type: str
  timeout:
    description:
      - Seconds one attempt of a call may take in all (E(INSIGHT_TIMEOUT)).
    type: float
    default: 30
  retries:
    description:
      - How often a call that is safe to repeat is retried after a connection error, a V(429), V(502), V(503) or
        V(504) answer or a timeout (E(INSIGHT_RETRIES)).
    type: int
    default: 3
  token_lifetime:
    description:
      - Seconds of validity to ask for when exchanging the key pair for a token (E(INSIGHT_TOKEN_LIFETIME)).
    type: int
    default: 900
  allow_http:
    description:
      - Allow a plain V(http://) URL that names another machine, for test servers only (E(INSIGHT_ALLOW_HTTP)).
        Loopback addresses are always allowed.
    type: bool
    default: false
  interval:
    description:
      - Seconds between two polls; a number, or a duration such as V(30s) or V(2m).
    type: str
    default: 10
  app:
    description:
      - Only jobs of these apps, by name or id. An app name that two apps share stops the source naming their ids.
    type: list
    elements: str
    aliases: [apps]
  owner:
    description:
      - Only jobs of these owners, by id or by the name the server shows.
    type: list
    elements: str
    aliases: [owners]
  scenario_id:
    description:
      - Only jobs of these scenarios, by id.
    type: list
    elements: str
    aliases: [scenario_ids]
  execution_mode:
    description:
      - Only jobs in these execution modes, for example V(RUN) or V(LOAD).
    type: list
    elements: str
  created_before:
    description:
      - Only jobs created before this moment, an ISO 8601 timestamp or an age such as V(6h) taken when the source
        starts.
    type: str
    aliases: [older_than]
  created_after:
    description:
      - Only jobs created after this moment, in the form of O(created_before).
    type: str
  status:
    description:
      - Only events about jobs whose status after the change is one of these. V(gone) events pass any status filter.
      - An empty value of any job filter stops the source at start; it never means every job.
    type: list
    elements: str
    choices: [QUEUED, EXECUTING, COMPLETING, COMPLETED, FAILED, CANCELLING, CANCELLED, DELETING, DELETED, INACTIVE]
    aliases: [statuses]
  events:
    description:
      - The event types to emit. Default all of them, V(queued_longer_than) only when O(queued_for) is set.
    type: list
    elements: str
    choices: [new, status_changed, finished, gone, queued_longer_than]
  queued_for:
    description:
      - How long a job may stay V(QUEUED) before a V(queued_longer_than) event, in seconds or as a duration such as
        V(30m) or V(1d12h). Required when O(events) names V(queued_longer_than).
    type: str
  emit_existing:
    description:
      - With V(false), the jobs found unfinished on start are only remembered; with V(true), each also gives a V(new)
        event.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: React to failed and long-queued jobs of one app
  hosts: all
  sources:
    - xpress.insight.insight_jobs:
        app: Logistics
        events: [finished, queued_longer_than]
        queued_for: 30m
        interval: 30s
  rules:
    - name: Save the message file of a failed job
      condition: event.insight.type == "finished" and event.insight.job.status == "FAILED"
      action:
        run_playbook:
          name: xpress.insight.eda_save_failed_job

- name: Report every job start, the connection from INSIGHT_URL, INSIGHT_CLIENT_ID and INSIGHT_SECRET
  hosts: all
  sources:
    - xpress.insight.insight_jobs:
        events: [status_changed]
        status: [EXECUTING]
  rules:
    - name: Print the job that started
      condition: event.insight.type == "status_changed"
      action:
        debug:
          msg: "{{ event.insight.job.id }} started ({{ event.insight.job.app.name }})"
"""


def _collections_root() -> Optional[str]:
    """The directory that holds this collection's `ansible_collections` folder, judged from where this file is.

    ansible-rulebook loads a source with runpy from the installed collection, without Ansible's collection loader, so
    `ansible_collections.xpress.insight` is only importable when that directory is on sys.path."""
    # No resolving of symbolic links: an installed collection may itself be a link into a checkout.
    parts = os.path.abspath(__file__).split(os.sep)
    if len(parts) > 8 and parts[-8:-5] == ["ansible_collections", "xpress", "insight"]:
        return os.sep.join(parts[:-8]) or os.sep
    return None


try:
    from ansible_collections.xpress.insight.plugins.module_utils import _args, _client, _errors, _jobs, _scrub
except ImportError:
    _ROOT = _collections_root()
    if _ROOT is None:
        raise
    sys.path.append(_ROOT)
    from ansible_collections.xpress.insight.plugins.module_utils import _args, _client, _errors, _jobs, _scrub

LOG = logging.getLogger("xpress.insight.insight_jobs")

EVENT_TYPES = ("new", "status_changed", "finished", "gone", "queued_longer_than")
# The job filters of the modules, by name and alias: a filter added to the shared spec reaches the source as it is.
FILTER_SPEC: Dict[str, Dict[str, Any]] = _jobs.job_filter_argument_spec()
FILTER_OPTIONS: Tuple[str, ...] = tuple(FILTER_SPEC)
FILTER_ALIASES: Dict[str, str] = {alias: name for name, spec in FILTER_SPEC.items() for alias in spec.get("aliases", ())}
OWN_OPTIONS = ("interval",) + FILTER_OPTIONS + tuple(FILTER_ALIASES) + ("events", "queued_for", "emit_existing")
DEFAULT_INTERVAL = 10.0
# The longest pause between two polls while the server is failing.
MAX_BACKOFF = 300.0
# Doublings past this many are capped before computing: 2 ** 1024 overflows a float after a long weekend of failures.
MAX_DOUBLINGS = 32
# How many polls in a row may fail to read one job that left the list before it is reported and no longer asked for.
UNREADABLE_TRIES = 5
# Past this many jobs that left the list in one interval, one pass over the job history costs fewer calls.
HISTORY_PASS_MIN = 25
GONE = "GONE"
# What a malformed answer can raise below the client (which turns bad pages into InsightTransportError itself).
BAD_ANSWER = (TypeError, ValueError, KeyError, AttributeError)


# -- the job calls of module_utils/_jobs.py, all in one place ----------------------------------------------------


def make_filter(options: Mapping[str, Any]) -> Tuple[Any, Optional[FrozenSet[str]]]:
    """The listing filter (every job filter but status) and the statuses wanted in events (None: all)."""
    job_filter = _jobs.JobFilter.from_options({name: options.get(name) for name in FILTER_OPTIONS})
    statuses: Optional[FrozenSet[str]] = job_filter.status
    job_filter.status = None
    return job_filter, statuses


def check_blank(options: Mapping[str, Any]) -> None:
    """An empty filter argument fails naming it: it must not widen the watch to every job."""
    _jobs.check_blank_filters(options, FILTER_OPTIONS)


def resolve_apps(client: Any, job_filter: Any) -> None:
    """App names become ids once, so a job's app reference matches whether the server names it or not."""
    job_filter.resolve(client)


def list_unfinished(client: Any, job_filter: Any) -> List[Dict[str, Any]]:
    return _jobs.list_jobs(client, job_filter, include_finished=False)


def list_with_history(client: Any, job_filter: Any) -> List[Dict[str, Any]]:
    return _jobs.list_jobs(client, job_filter, include_finished=True)


def read_job(client: Any, job_id: str) -> Optional[Dict[str, Any]]:
    """One job, or None when the server answers 404 for it."""
    return _jobs.get_job(client, job_id)


FINISHED = _jobs.FINISHED


# -- options -----------------------------------------------------------------------------------------------------


class SourceConfigError(ValueError):
    """A bad argument: one line naming it."""


def connection_options(args: Mapping[str, Any], environ: Mapping[str, str]) -> Dict[str, Any]:
    """The connection options from the rulebook, each falling back to its INSIGHT_* variable like in the modules."""
    options = {}
    for name, spec in _args.connection_argument_spec().items():
        value = args.get(name)
        if value is None:
            for variable in spec.get("fallback", (None, []))[1]:
                if environ.get(variable) is not None:
                    value = environ[variable]
                    break
        options[name] = value
    return options


def _list_arg(value: Any, name: str) -> Optional[List[str]]:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()] or None
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value] or None
    raise SourceConfigError("%s: %r is neither a list nor a comma-separated string" % (name, value))


def _filter_arg(value: Any, name: str) -> Any:
    """A filter argument in the shape its spec takes: a list (from a list or a comma-separated string) or a string."""
    if FILTER_SPEC[name].get("type") == "list":
        return _list_arg(value, name)
    if value is None or isinstance(value, str):
        return value
    raise SourceConfigError("%s: %r is not a string" % (name, value))


def _canonical_filters(args: Mapping[str, Any]) -> Dict[str, Any]:
    """The filter arguments by their names, aliases folded in; an argument given under two of its names fails."""
    found: Dict[str, Any] = {}
    given: Dict[str, str] = {}
    for key, value in args.items():
        name = FILTER_ALIASES.get(str(key), str(key))
        if name not in FILTER_SPEC:
            continue
        if name in given:
            raise SourceConfigError("%s: given twice (as %s and %s); give one" % (name, given[name], key))
        given[name] = str(key)
        found[name] = value
    return found


def _seconds(value: Any, name: str) -> float:
    """A number of seconds, or an age such as 30m, 1h or 1d12h."""
    if isinstance(value, bool):
        raise SourceConfigError("%s: %r is not a duration" % (name, value))
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        text = str(value).strip()
        try:
            seconds = float(text)
        except ValueError:
            reference = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
            try:
                moment = _jobs.parse_moment(text, name, reference)
            except _errors.InsightError:
                moment = None
            # parse_moment also takes timestamps; only an age, which lies before the reference, is a duration here.
            if moment is None or moment > reference:
                raise SourceConfigError("%s: %r is neither a number of seconds nor a duration such as 30m or 1h" % (name, value)) from None
            seconds = (reference - moment).total_seconds()
    if seconds <= 0:
        raise SourceConfigError("%s: must be more than 0 seconds, got %r" % (name, value))
    return seconds


class SourceOptions:
    """The checked arguments of the source."""

    def __init__(self, args: Mapping[str, Any], environ: Optional[Mapping[str, str]] = None) -> None:
        environ = os.environ if environ is None else environ
        known = set(OWN_OPTIONS) | set(_args.CONNECTION_OPTIONS)
        # ansible-rulebook adds its own eda_* arguments (the feedback queue); anything else is a typo.
        unknown = sorted(str(key) for key in args if key not in known and not str(key).startswith("eda_"))
        if unknown:
            raise SourceConfigError("%s: unknown argument; valid: %s" % (", ".join(unknown), ", ".join(sorted(known))))
        self.connection = connection_options(args, environ)
        self.interval = DEFAULT_INTERVAL if args.get("interval") is None else _seconds(args["interval"], "interval")
        given = _canonical_filters(args)
        filters = {name: _filter_arg(given.get(name), name) for name in FILTER_OPTIONS}
        try:
            # `app: ""` or `status: []` (an unset variable) must fail, not watch every job; "," lists nothing too.
            check_blank(given)
            check_blank({name: [] for name in FILTER_OPTIONS if given.get(name) is not None and filters[name] is None})
            self.job_filter, self.statuses = make_filter(filters)
        except _errors.InsightError as exc:
            raise SourceConfigError(exc.to_line()) from None
        events = _list_arg(args.get("events"), "events")
        unknown_events = sorted(set(events or ()) - set(EVENT_TYPES))
        if unknown_events:
            raise SourceConfigError("events: unknown event type %s; valid: %s" % (", ".join(unknown_events), ", ".join(EVENT_TYPES)))
        self.queued_for = None if args.get("queued_for") is None else _seconds(args["queued_for"], "queued_for")
        if events is None:
            events = [name for name in EVENT_TYPES if name != "queued_longer_than" or self.queued_for is not None]
        elif "queued_longer_than" in events and self.queued_for is None:
            raise SourceConfigError("queued_for: missing; the queued_longer_than event needs it (for example 30m)")
        self.events: Set[str] = set(events)
        try:
            self.emit_existing = boolean(args.get("emit_existing", False), strict=True)
        except TypeError:
            raise SourceConfigError("emit_existing: %r is not a boolean" % (args.get("emit_existing"),)) from None


# -- the watcher -------------------------------------------------------------------------------------------------


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


# The clock and the pause of the source, looked up at each use: tests replace them to run days of polls in seconds.
_clock: Callable[[], datetime.datetime] = _now
_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


class JobWatcher:
    """Turns successive listings of the unfinished jobs into events. Blocking: main() runs it in a thread."""

    def __init__(self, client: Any, options: SourceOptions, clock: Optional[Callable[[], datetime.datetime]] = None) -> None:
        self.client = client
        self.options = options
        self.clock = clock
        # Every collection below holds only jobs of the last listing (known), or of it and those that left it and
        # could not be read yet (at most UNREADABLE_TRIES polls each): the state never grows with the jobs ever seen.
        self.known: Dict[str, Dict[str, Any]] = {}
        self.queued_reported: Set[str] = set()
        self.unreadable: Dict[str, int] = {}
        self.started = False
        self.apps_resolved = False

    def poll(self) -> List[Dict[str, Any]]:
        """One pass: raises InsightError (or a BAD_ANSWER error) without having changed what it remembers."""
        if not self.apps_resolved:
            resolve_apps(self.client, self.options.job_filter)
            self.apps_resolved = True
        listed: Dict[str, Dict[str, Any]] = {}
        for job in list_unfinished(self.client, self.options.job_filter):
            if isinstance(job, dict) and isinstance(job.get("id"), str):
                listed[job["id"]] = job
        now = (self.clock or _clock)()
        changes: List[Tuple[str, Dict[str, Any], Optional[str]]] = []
        if not self.started:
            if self.options.emit_existing:
                changes.extend(("new", job, None) for job in listed.values())
        else:
            for job_id, job in listed.items():
                before = self.known.get(job_id)
                if before is None:
                    changes.append(("new", job, None))
                elif before.get("status") != job.get("status"):
                    changes.append(("status_changed", job, before.get("status")))
        departed = {job_id: job for job_id, job in self.known.items() if job_id not in listed}
        finals, failed = self._final_states(departed)
        # Only now, with every call of this pass done, is the new state remembered: a failed pass changes nothing.
        unreadable: Dict[str, int] = {}
        for job_id, before in departed.items():
            if job_id in failed:
                tries = self.unreadable.get(job_id, 0) + 1
                if tries < UNREADABLE_TRIES:
                    # Kept as last seen, so the next poll reads it again; no event until the server tells how it ended.
                    unreadable[job_id] = tries
                    listed[job_id] = before
                else:
                    LOG.warning("insight_jobs: job %s left the list of unfinished jobs and reading it failed %d polls in a row "
                                "(%s); it is no longer followed and makes no event: its final status is unknown",
                                job_id, tries, failed[job_id])
                continue
            final = finals[job_id]
            if final is None:
                gone = dict(before, status=GONE)
                changes.append(("gone", gone, before.get("status")))
            elif final.get("status") in FINISHED:
                changes.append(("finished", final, before.get("status")))
            else:
                # Still unfinished (the listing shifted while it was read): keep following it.
                listed[job_id] = final
                if final.get("status") != before.get("status"):
                    changes.append(("status_changed", final, before.get("status")))
        self.known = listed
        self.unreadable = unreadable
        # Reported once per job while it is listed; a job that left the list is never reported again, so forget it.
        self.queued_reported.intersection_update(listed)
        self.started = True
        # A job kept only because it could not be read is not listed as queued any more: no queued event for it.
        changes.extend(self._queued_too_long({job_id: job for job_id, job in listed.items() if job_id not in unreadable}, now))
        detected_at = now.isoformat()
        return [self._event(kind, job, previous, detected_at) for kind, job, previous in changes if self._wanted(kind, job)]

    def _final_states(self, departed: Mapping[str, Dict[str, Any]]) -> Tuple[Dict[str, Optional[Dict[str, Any]]], Dict[str, str]]:
        """The state of each job that left the unfinished list, as the server tells it (None: 404, it is gone), and
        why each job that could not be read failed: one unreadable job must not hold back the events of the others."""
        finals: Dict[str, Optional[Dict[str, Any]]] = {}
        failed: Dict[str, str] = {}
        pending = list(departed)
        if len(pending) > HISTORY_PASS_MIN:
            history = {job.get("id"): job for job in list_with_history(self.client, self.options.job_filter) if isinstance(job, dict)}
            for job_id in pending:
                if job_id in history:
                    finals[job_id] = history[job_id]
            pending = [job_id for job_id in pending if job_id not in finals]
        for job_id in pending:
            # Never a guess: a job absent from a listing is read by its id, and only a 404 makes it gone.
            try:
                finals[job_id] = read_job(self.client, job_id)
            except _errors.InsightConfigError:
                raise
            except _errors.InsightError as exc:
                failed[job_id] = exc.to_line()
            except BAD_ANSWER as exc:
                failed[job_id] = "unexpected answer (%s)" % type(exc).__name__
        return finals, failed

    def _queued_too_long(self, listed: Mapping[str, Dict[str, Any]], now: datetime.datetime) -> List[Tuple[str, Dict[str, Any], Optional[str]]]:
        if self.options.queued_for is None:
            return []
        found: List[Tuple[str, Dict[str, Any], Optional[str]]] = []
        limit = datetime.timedelta(seconds=self.options.queued_for)
        for job_id, job in listed.items():
            if job.get("status") != "QUEUED" or job_id in self.queued_reported:
                continue
            created = _jobs.parse_timestamp(job.get("created")) if isinstance(job.get("created"), str) else None
            if created is not None and now - created >= limit:
                self.queued_reported.add(job_id)
                found.append(("queued_longer_than", job, None))
        return found

    def _wanted(self, kind: str, job: Mapping[str, Any]) -> bool:
        if kind not in self.options.events:
            return False
        if kind == "gone":
            # Its final status is unknown, so no status filter can rule it out.
            return True
        statuses = self.options.statuses
        return statuses is None or job.get("status") in statuses

    @staticmethod
    def _event(kind: str, job: Dict[str, Any], previous: Optional[str], detected_at: str) -> Dict[str, Any]:
        # The job is server data: a server quoting the request in it must not put a secret of the run in an event.
        return {"insight": {"type": kind, "job": _scrub.scrub_data(job), "previous_status": previous,
                            "detected_at": detected_at}}


class Backoff:
    """The pause after each failed poll, and one warning per outage."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.failures = 0

    def failed(self, reason: str) -> float:
        self.failures += 1
        if self.failures == 1:
            LOG.warning("insight_jobs: polling failed, retrying with backoff until it works again: %s", reason)
        else:
            LOG.debug("insight_jobs: poll %d of this outage failed: %s", self.failures, reason)
        doublings = min(self.failures - 1, MAX_DOUBLINGS)
        return min(self.interval * 2.0 ** doublings, max(self.interval, MAX_BACKOFF))

    def succeeded(self) -> float:
        if self.failures:
            LOG.warning("insight_jobs: polling works again after %d failed attempt(s)", self.failures)
        self.failures = 0
        return self.interval


def make_source(args: Mapping[str, Any]) -> Tuple[JobWatcher, SourceOptions]:
    """Check the arguments and build the client; raises SourceConfigError with one line."""
    options = SourceOptions(args)
    try:
        client = _client.InsightClient(options.connection, warn=LOG.warning)
    except _errors.InsightError as exc:
        raise SourceConfigError(exc.to_line()) from None
    return JobWatcher(client, options), options


async def main(queue: Any, args: Dict[str, Any]) -> None:
    """The ansible-rulebook entry point: poll until cancelled."""
    watcher, options = make_source(args)
    backoff = Backoff(options.interval)
    LOG.info("insight_jobs: watching the jobs of %s every %ss", options.connection["url"], options.interval)
    while True:
        try:
            events = await asyncio.to_thread(watcher.poll)
        except _errors.InsightConfigError as exc:
            # The server says an argument is wrong (an app that does not exist): waiting will not fix it.
            raise SourceConfigError(exc.to_line()) from None
        except _errors.InsightError as exc:
            delay = backoff.failed(exc.to_line())
        except BAD_ANSWER as exc:
            delay = backoff.failed("unexpected answer (%s)" % type(exc).__name__)
        else:
            delay = backoff.succeeded()
            for event in events:
                await queue.put(event)
        await _sleep(delay)
