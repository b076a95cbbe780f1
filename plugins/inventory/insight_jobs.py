# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: insight_jobs
short_description: FICO Xpress Insight 5 jobs as inventory hosts, grouped by status
version_added: 1.0.0
description:
  - Lists the jobs of an Insight 5 server and makes one host per job, so playbooks can target jobs the way they target
    machines, for example a play with C(hosts) set to C(insight_status_queued).
  - Every job field becomes a host variable in snake_case under O(prefix), for example C(insight_status) and
    C(insight_scenario.name). All of it is server data and is never templated.
  - Every field of the server's Job object is defined on every host, V(null) when the server left it out (for example
    C(insight_finished) and C(insight_duration) of a job that has not finished), so templates need no C(default).
  - Each host also gets C(ansible_connection=local), so tasks on a job run on the controller, unless O(compose) sets
    C(ansible_connection).
  - The group C(insight_jobs) holds every job, and there is one group per job status, C(insight_status_queued),
    C(insight_status_executing) and so on for every status an Insight job can have. Every one of them exists even
    when it has no job, so a play aimed at an empty status group runs cleanly with no hosts.
  - The whole job list is read with a few paged calls, never one call per job. When any call fails the source fails
    with one error line; a partial job list is never presented as the inventory (see the note on pages that shift).
  - The configuration file name must end in C(insight_jobs.yml) or C(insight_jobs.yaml).
author:
  - xpress.insight contributors (@xpress-insight)
extends_documentation_fragment:
  - xpress.insight.connection
  - xpress.insight.connection.plugins
  - xpress.insight.job_filter
  - constructed
  - inventory_cache
options:
  plugin:
    description:
      - The name of this plugin; it makes the file an inventory source of this plugin, also through the
        P(ansible.builtin.auto#inventory) plugin.
    type: str
    required: true
    choices: [xpress.insight.insight_jobs]
  include_finished:
    description:
      - Also list finished jobs (V(COMPLETED), V(FAILED), V(CANCELLED), V(DELETED)) that the server still keeps in its
        job history.
      - Finished statuses in O(status) need this set to V(true).
    type: bool
    default: false
  filters:
    description:
      - Jinja2 conditionals evaluated on the controller for each job, over the same host variables as O(compose)
        (the job fields under O(prefix)). A job becomes a host only when every conditional is true.
      - A conditional that fails to evaluate drops the job, or fails the source when O(strict=true).
    type: list
    elements: str
    default: []
  hostnames:
    description:
      - How to name each job's host. Entries are tried in order and the first one that gives a non-empty name wins.
      - An entry is either a field path such as V(id), V(name) or V(scenario.name), a Jinja2 expression such as
        V(scenario.name ~ '-' ~ id[:8]), or a template such as V({{ owner.name }}/{{ id }}). They see the job's
        fields in snake_case, without O(prefix).
      - Names made of server text (scenario and user names) can hold spaces and other characters that host patterns
        treat specially, so C(--limit) and C(ansible-inventory --host) cannot name them; set O(safe_hostnames=true),
        or build names with a filter such as C(regex_replace('[^A-Za-z0-9_.-]+', '_')).
      - When no entry gives a name the job's UUID is used.
      - A host is always one job. When two or more jobs get the same name, none of them keeps it; each becomes
        C(<name>_<job id>), whatever order the server lists them in (a cached inventory gives the same names), and
        the source prints one warning saying how many jobs got such a name. With O(strict=true) such a collision
        fails the source instead. Keep V(id) in names that may not be unique to choose the names yourself.
    type: list
    elements: str
    default: [id]
  safe_hostnames:
    description:
      - Make every host name pattern-safe, so it can be given to C(--limit) and C(ansible-inventory --host) as it is.
      - Each run of characters other than ASCII letters, digits, V(_), V(.) and V(-) becomes one V(_), and leading
        and trailing V(_) are dropped, so V(High demand-0f7acba9) becomes V(High_demand-0f7acba9).
      - Applied after O(hostnames) and before two jobs with the same name are detected.
    type: bool
    default: false
  prefix:
    description:
      - Prefix of the host variables made from the job fields, for example V(insight_) gives C(insight_id) and
        C(insight_execution_mode).
      - A prefix starting with V(ansible_) (in any case) is refused, since server fields must never set Ansible's own
        variables.
      - With V(''), a job field whose name would make a variable starting with V(ansible_) (such as a field
        C(ansible_host) or C(ansiblePythonInterpreter)) is not set on any host, and the source prints one warning
        naming such fields; the other fields are set as usual.
    type: str
    default: insight_
  parallel:
    description:
      - How many pages of the job list are fetched at the same time once the first page has told how many there are.
      - V(1) fetches them one after another; at most V(32). Checked before any call to the server.
    type: int
    default: 8
    aliases: [concurrency]
notes:
  - Connection options may come from the C(INSIGHT_*) environment variables, which keeps secrets out of the file.
  - With O(cache=true) the cache holds the job list as the server returned it for the source, before any filter of
    this plugin. O(status), O(app), O(owner), O(execution_mode), O(created_before), O(created_after), O(filters),
    O(hostnames), O(compose) and the groups are applied again at each run, so changing them needs no refresh; after
    changing O(include_finished), O(scenario_id) or the server, refresh the cache with C(--flush-cache).
  - The C(refresh_inventory) meta task always reads the server again and refreshes the cache.
  - Job names and other server text that contain C({{) stay literal; they are never templated.
seealso:
  - module: xpress.insight.insight_job_info
  - module: xpress.insight.insight_job_cancel
"""

EXAMPLES = r"""
# insight_jobs.yml: every queued and running job, connection from the INSIGHT_* environment variables:
#   plugin: xpress.insight.insight_jobs

# prod.insight_jobs.yml: a fuller example
plugin: xpress.insight.insight_jobs
url: https://insight.example.com
client_id: my-client-id
include_finished: true
app: [Logistics, Portfolio]
created_after: 7d
filters:
  - insight_execution_mode.name != 'LOAD'
hostnames:
  - scenario.name ~ '-' ~ id[:8]
  - id
# "High demand-0f7acba9" becomes "High_demand-0f7acba9", which --limit accepts
safe_hostnames: true
compose:
  job_age_source: insight_created
keyed_groups:
  - key: insight_app.name
    prefix: app
  - key: insight_scenario.name
    prefix: scenario
  - key: insight_owner.name
    prefix: owner
  - key: insight_execution_mode.name
    prefix: mode
groups:
  long_running: insight_status == 'EXECUTING' and insight_execution_attempts > 1
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: /tmp/insight_inventory_cache
cache_timeout: 300

# A playbook that cancels every queued job (ansible-playbook -i insight_jobs.yml cancel.yml)
# - hosts: insight_status_queued
#   gather_facts: false
#   tasks:
#     - name: Cancel the job
#       xpress.insight.insight_job_cancel:
#         id: "{{ insight_id }}"
"""

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.xpress.insight.plugins.module_utils._errors import InsightConfigError
from ansible_collections.xpress.insight.plugins.module_utils._pool import check_parallel
from ansible_collections.xpress.insight.plugins.module_utils._jobs import (
    FINISHED, JOB_FILTER_OPTIONS, STATUSES, JobFilter, check_blank_filters, list_jobs, normalize_job)
from ansible_collections.xpress.insight.plugins.plugin_utils._client import insight_errors, plugin_client
from ansible_collections.xpress.insight.plugins.plugin_utils._inventory import (
    HostNamer, check_prefix, is_ansible_name, is_template, safe_host_name, unique_host_name)
from ansible_collections.xpress.insight.plugins.plugin_utils._templating import (
    DATA_TAGGING, evaluate_conditional, evaluate_expression, host_name)

ALL_JOBS_GROUP = "insight_jobs"
STATUS_GROUP = "insight_status_%s"


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    """One host per Insight job; groups by status; filters, Constructable and Cacheable on top."""

    NAME = "xpress.insight.insight_jobs"

    def verify_file(self, path: str) -> bool:
        return bool(super().verify_file(path)) and path.endswith(("insight_jobs.yml", "insight_jobs.yaml"))

    def parse(self, inventory: Any, loader: Any, path: str, cache: bool = True) -> None:
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        prefix = self.get_option("prefix")
        problem = check_prefix(prefix)
        if problem:
            raise AnsibleParserError(problem)
        with insight_errors(AnsibleParserError):
            job_filter = self._job_filter()
            check_parallel(self.get_option("parallel"))

        use_cache = bool(self.get_option("cache"))
        cache_key = self.get_cache_key(path)
        raw_jobs: Optional[List[Dict[str, Any]]] = None
        from_cache = False
        if use_cache and cache:
            try:
                raw_jobs = self._cache[cache_key]
                from_cache = True
            except KeyError:
                raw_jobs = None
        if raw_jobs is None:
            raw_jobs = self._fetch(job_filter)
            if use_cache:
                self._cache[cache_key] = raw_jobs
        elif not isinstance(raw_jobs, list):
            raise AnsibleParserError("the cached job list for %s is not a list; refresh it with --flush-cache" % path)
        if from_cache:
            with insight_errors(AnsibleParserError):
                job_filter.resolve_from_jobs(normalize_job(job) for job in raw_jobs if isinstance(job, Mapping))
            self.display.vvv("insight_jobs: %d jobs from the cache (key %s)" % (len(raw_jobs), cache_key))
        self._populate(raw_jobs, job_filter, prefix, from_cache)

    # -- options and fetching -----------------------------------------------------------------------------------

    def _job_filter(self) -> JobFilter:
        options = {name: self.get_option(name) for name in JOB_FILTER_OPTIONS}
        # Before the default statuses fill in an empty status: a blank option never widens the selection.
        check_blank_filters(options)
        include_finished = self.get_option("include_finished")
        finished_asked = sorted(set(s.upper() for s in options["status"] or []) & FINISHED)
        if finished_asked and not include_finished:
            raise InsightConfigError("status: %s only appear with include_finished: true" % ", ".join(finished_asked))
        if not options["status"] and not include_finished:
            # Also drops finished jobs of a cache filled with include_finished: true.
            options["status"] = [s for s in STATUSES if s not in FINISHED]
        return JobFilter.from_options(options)

    def _fetch(self, job_filter: JobFilter) -> List[Dict[str, Any]]:
        """The server's job list, normalised, before this plugin's filters (what the cache keeps); any failed call or
        a listing that never reads consistently fails the whole source (never a partial list)."""
        parallel = int(self.get_option("parallel"))
        client = plugin_client(self.get_option, warn=self.display.warning, pool_size=parallel + 1,
                               error_class=AnsibleParserError)
        with insight_errors(AnsibleParserError):
            # Fail on an app that does not exist rather than show an empty inventory.
            job_filter.resolve(client)
            return list_jobs(client, job_filter.server_side(), include_finished=bool(self.get_option("include_finished")),
                             concurrent=parallel)

    # -- building the inventory ---------------------------------------------------------------------------------

    def _populate(self, raw_jobs: Sequence[Mapping[str, Any]], job_filter: JobFilter, prefix: str, from_cache: bool) -> None:
        inventory = self.inventory
        if inventory is None:  # parse() of the base class sets it before this runs
            raise AnsibleParserError("insight_jobs: no inventory to add the jobs to")
        inventory.add_group(ALL_JOBS_GROUP)
        status_groups = {}
        for status in STATUSES:
            status_groups[status] = inventory.add_group(self._sanitize_group_name(STATUS_GROUP % status.lower()))

        strict = bool(self.get_option("strict"))
        compose = self.get_option("compose") or {}
        groups = self.get_option("groups") or {}
        keyed_groups = self.get_option("keyed_groups") or []
        conditions = [c for c in self.get_option("filters") or [] if c]
        constructed = bool(compose or groups or keyed_groups)
        set_connection = "ansible_connection" not in compose
        namer = HostNamer(self.get_option("hostnames") or ["id"], self._render_name)
        safe = bool(self.get_option("safe_hostnames"))
        # One string per variable name, shared by every host, instead of one per host and field.
        var_names: Dict[str, str] = {}
        # Field names that would make an ansible_* variable (possible with prefix ''): never set, warned about once.
        refused: Dict[str, None] = {}
        named: List[Tuple[str, Mapping[str, Any], Dict[str, Any]]] = []
        uses: Dict[str, int] = {}

        for raw in raw_jobs:
            # A fresh list is already normalised and never changed here; a cached one is normalised again (a copy, so
            # the cache is never changed), which also fills the fields an older cache left out.
            job = normalize_job(raw) if from_cache else raw
            if not job_filter.matches(job):
                continue
            if from_cache or not DATA_TAGGING:
                # Server text must never be templated. On ansible-core 2.19+ fresh answers are parsed by the standard
                # json module, whose strings carry no template trust; a cache plugin's store is not ours to vouch for,
                # and before 2.19 every plain string is a template, so then the data is explicitly marked unsafe
                # (which costs a full copy, hence only then).
                job = wrap_var(job)
            host_vars = {}
            for key, value in job.items():
                var = var_names.get(key)
                if var is None:
                    var = var_names[key] = prefix + key
                    if is_ansible_name(var):
                        refused[var] = None
                if var in refused:
                    continue
                host_vars[var] = value
            if conditions and not self._passes(conditions, host_vars, job, strict):
                continue
            name = namer.name(job) or job.get("id")
            if safe and name:
                name = safe_host_name(name) or job.get("id")
            if not isinstance(name, str) or not name:
                if strict:
                    raise AnsibleParserError("a job without an id and no host name from hostnames: %r" % (job,))
                continue
            name = host_name(name)
            uses[name] = uses.get(name, 0) + 1
            named.append((name, job, host_vars))

        colliding = {name for name, count in uses.items() if count > 1}
        if colliding and strict:
            raise AnsibleParserError("hostnames: %d jobs share a host name with another job (for example %r); add id "
                                     "to the names" % (sum(uses[n] for n in colliding), sorted(colliding)[0]))
        taken = set(uses)
        for name, job, host_vars in named:
            if name in colliding:
                # Every job of a shared name gets its id appended, none keeps the bare name: a host is never one
                # job's groups with another job's variables, and the names do not depend on the listing's order.
                name = unique_host_name(name, str(job.get("id")), taken)
            name = inventory.add_host(name, group=ALL_JOBS_GROUP) or name
            job_status = job.get("status")
            if job_status in status_groups:
                inventory.add_child(status_groups[job_status], name)
            host = inventory.get_host(name)
            if host is None:
                raise AnsibleParserError("insight_jobs: the inventory lost the host %r it just added" % name)
            # In bulk and straight onto the host: the inventory's per-variable path would copy and tag every nested
            # value again, which costs more than the rest of the plugin for thousands of jobs. The names are checked
            # (a valid prefix plus snake_case keys) and the values are plain, untrusted JSON data.
            host.vars.update(host_vars)
            if set_connection:
                host.vars["ansible_connection"] = "local"
            if constructed:
                self._construct(name, host, host_vars, compose, groups, keyed_groups, strict)

        if refused:
            names = sorted(refused)
            listed = ", ".join(names[:5]) + (" (+%d more)" % (len(names) - 5) if len(names) > 5 else "")
            self.display.warning("insight_jobs: the server's job fields %s would make variables in Ansible's own "
                                 "ansible_* namespace; they are not set on any host (set a prefix such as insight_ "
                                 "to keep them)" % listed)
        if colliding:
            self.display.warning("insight_jobs: %d jobs got a host name that another job also got (%d names), so each "
                                 "of them is named <name>_<job id>; add id to hostnames to choose the names yourself"
                                 % (sum(uses[n] for n in colliding), len(colliding)))

    def _construct(self, name: str, host: Any, host_vars: Dict[str, Any], compose: Dict[str, Any],
                   groups: Dict[str, Any], keyed_groups: List[Any], strict: bool) -> None:
        variables = host_vars
        if compose:
            self._set_composite_vars(compose, host_vars, name, strict=strict)
            # Groups may use composed variables: read back only those, instead of all the host's variables.
            variables = dict(host_vars)
            variables.update((key, host.vars[key]) for key in compose if key in host.vars)
        if groups:
            self._add_host_to_composed_groups(groups, variables, name, strict=strict, fetch_hostvars=False)
        if keyed_groups:
            self._add_host_to_keyed_groups(keyed_groups, variables, name, strict=strict, fetch_hostvars=False)

    def _passes(self, conditions: List[str], host_vars: Dict[str, Any], job: Mapping[str, Any], strict: bool) -> bool:
        self.templar.available_variables = host_vars
        for condition in conditions:
            try:
                if not evaluate_conditional(self.templar, condition):
                    return False
            except AnsibleError as exc:
                if strict:
                    raise AnsibleParserError("filters: %r failed for job %s: %s" % (condition, job.get("id"), exc)) from None
                return False
        return True

    def _render_name(self, entry: str, fields: Mapping[str, Any]) -> Any:
        self.templar.available_variables = dict(fields)
        try:
            if is_template(entry):
                return self.templar.template(entry)
            return evaluate_expression(self.templar, entry)
        except AnsibleError as exc:
            if self.get_option("strict"):
                raise AnsibleParserError("hostnames: %r failed for job %s: %s" % (entry, fields.get("id"), exc)) from None
            return None
