# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_scenario: scenarios named by repository path or id, checked to exist (present) or moved into a folder or
to their app's root (moved). Every scenario is found and every move checked before the first one is sent, so a bad
input fails with nothing changed; check mode runs the same plan without the moves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, NoReturn, Optional, Tuple

from ._args import check_id
from ._errors import InsightConfigError, InsightError, InsightHTTPError
from ._folder_paths import RepoPath, diff_view, item_view, look_alike_key, parse_path, show
from ._folders import Item, Repository, as_item, is_folder
from ._task import ModuleSpec, Task

STATES = ("present", "moved")

SPEC = ModuleSpec(
    argument_spec=dict(
        path=dict(type="raw"),
        id=dict(type="raw"),
        state=dict(type="str", default="present", choices=list(STATES)),
        dest=dict(type="str"),
        dest_id=dict(type="str"),
    ),
    mutually_exclusive=[("path", "id"), ("dest", "dest_id")],
    required_one_of=[("path", "id")],
)


@dataclass(frozen=True)
class ScenarioSettings:
    """insight_scenario's options, checked once: either paths or ids, never both."""

    state: str
    paths: Tuple[RepoPath, ...]
    ids: Tuple[str, ...]
    single: bool  # one scenario given (a string): the result has `scenario`, else `scenarios`
    dest: Optional[RepoPath] = None
    dest_id: Optional[str] = None


def _scenario_path(value: Any, field: str) -> RepoPath:
    path = parse_path(value, field, allow_app_root=True)
    if not path.names:
        raise InsightConfigError("%s: %s names the app %s, not a scenario; give /%s/Scenario (or /%s/Folder/Scenario)"
                                 % (field, show(value), show(path.app), path.app, path.app))
    return path


def _many(value: Any, field: str, what: str) -> Tuple[List[Any], bool]:
    """One string (never split, commas included) or a non-empty list; returns the items and whether one was given."""
    if isinstance(value, str):
        return [value], True
    if not isinstance(value, (list, tuple)):
        raise InsightConfigError("%s: give %s or a list of them, not %s" % (field, what, type(value).__name__))
    if not value:
        raise InsightConfigError("%s: the list is empty (an unset variable?); nothing is selected by default" % field)
    return list(value), False


def scenario_settings(params: Mapping[str, Any]) -> ScenarioSettings:
    """Every check that needs no server, so bad input fails before the first call and changes nothing."""
    state = params.get("state") or "present"
    paths: Dict[RepoPath, None] = {}
    ids: Dict[str, None] = {}
    if params.get("path") is not None:
        items, single = _many(params["path"], "path", "a repository path such as /AppName/Folder/Scenario")
        for index, item in enumerate(items):
            paths.setdefault(_scenario_path(item, "path" if single else "path[%d]" % index), None)
    elif params.get("id") is not None:
        items, single = _many(params["id"], "id", "a scenario UUID")
        for index, item in enumerate(items):
            ids.setdefault(check_id(item, "id" if single else "id[%d]" % index), None)
    else:
        raise InsightConfigError("path or id: give the scenario's repository path or its id")
    dest: Optional[RepoPath] = None
    dest_id: Optional[str] = None
    if state != "moved":
        if params.get("dest") is not None or params.get("dest_id") is not None:
            raise InsightConfigError("dest, dest_id: only used with state=moved")
    elif params.get("dest") is not None:
        dest = parse_path(params["dest"], "dest", allow_app_root=True)
    elif params.get("dest_id") is not None:
        dest_id = check_id(params["dest_id"], "dest_id")
    else:
        raise InsightConfigError("dest or dest_id: state=moved needs the folder to move the scenarios into (or "
                                 "/AppName for the app root)")
    return ScenarioSettings(state=state, paths=tuple(paths), ids=tuple(ids), single=single, dest=dest, dest_id=dest_id)


class MoveStopped(InsightError):
    """A move failed after earlier scenarios of the task had moved: the task fails and says which ones did."""

    def __init__(self, message: str, moved: List[str]) -> None:
        super().__init__(message)
        self.moved = list(moved)

    def result(self) -> Dict[str, Any]:
        return {"changed": bool(self.moved), "moved": self.moved}


def _ids(items: List[Item]) -> str:
    return ", ".join(str(item.get("id")) for item in items)


def _path_of(item: Item) -> str:
    return str(item.get("path") or "")


@dataclass
class Source:
    """One scenario the task names: where it was asked for, what was found, and (state=moved) what happens to it."""

    label: str  # the path as given (with the app's name), or the scenario's path when given by id
    name: str
    scenario: Optional[Item]
    move: bool = False


class ScenarioRun:
    """One run of insight_scenario: every lookup and check first, then one move per scenario not yet in place."""

    def __init__(self, repo: Repository, settings: ScenarioSettings, check_mode: bool, base_url: str) -> None:
        self.repo = repo
        self.settings = settings
        self.check_mode = check_mode
        self.base_url = base_url
        self.moved: List[str] = []
        self.diffs: List[Dict[str, Any]] = []

    # -- lookups ---------------------------------------------------------------------------------------------

    def by_path(self, path: RepoPath) -> Source:
        """The one scenario at `path`, or a Source without one when nothing of that name is there."""
        app, chain, missing = self.repo.walk(path.parent())
        if missing < len(path.names) - 1:
            return Source(path.text, path.names[-1], None)
        container = chain[-1] if chain else app
        named = [c for c in self.repo.children(container) if c.get("name") == path.names[-1]]
        scenarios = [c for c in named if not is_folder(c)]
        if len(scenarios) > 1:
            raise InsightError("path: %s names %d scenarios (ids %s): the server allows one name twice in a folder; "
                               "give the one meant by id. Nothing was changed"
                               % (show(path.text, bare=True), len(scenarios), _ids(scenarios)))
        if not scenarios and named:
            raise InsightError("path: %s is a folder, not a scenario; insight_folder moves folders (state: moved). "
                               "Nothing was changed" % show(path.text, bare=True))
        return Source(path.text, path.names[-1], scenarios[0] if scenarios else None)

    def by_id(self, scenario_id: str) -> Source:
        route = "/api/scenarios/" + scenario_id
        try:
            found = self.repo.client.get_item("/api/scenarios/{}", scenario_id)
        except InsightHTTPError as exc:
            if exc.status == 405 or (exc.status == 404 and exc.envelope is None):
                raise InsightError("id: the server answered GET %s with %d and no Insight error envelope: its release "
                                   "does not read scenarios by id; give the scenario by path" % (route, exc.status)) from None
            if exc.status == 404:
                raise InsightError("id: there is no scenario %s (or it is not visible to this user). Nothing was "
                                   "changed" % scenario_id) from None
            raise
        if found.get("objectType", "SCENARIO") != "SCENARIO":
            raise InsightError("id: %s is a %s, not a scenario" % (scenario_id, found.get("objectType")))
        return Source(_path_of(found) or scenario_id, str(found.get("name")), found)

    def destination(self) -> Tuple[Item, str]:
        """The folder or app root the scenarios move into, and its path as messages and results show it."""
        dest = self.settings.dest
        if dest is not None:
            dest = self.repo.resolve(dest, "dest")
            app, chain, missing = self.repo.walk(dest, "dest")
            if missing < len(dest.names):
                raise InsightError("dest: there is no folder %s (or it is not visible to this user). Nothing was moved"
                                   % show(dest.prefix(missing + 1).text, bare=True))
            if chain:
                return chain[-1], _path_of(chain[-1]) or dest.text
            return app, "/" + str(app.get("name"))
        dest_id = str(self.settings.dest_id)
        folder = self.repo.folder(dest_id)
        if folder is not None:
            return folder, _path_of(folder)
        root = self.repo.app_by_id(dest_id)
        if root is None:
            raise InsightError("dest_id: there is no folder or app %s (or it is not visible to this user). Nothing "
                               "was moved" % dest_id)
        return root, "/" + str(root.get("name"))

    # -- plan ------------------------------------------------------------------------------------------------

    def sources(self) -> List[Source]:
        if self.settings.ids:
            return [self.by_id(scenario_id) for scenario_id in self.settings.ids]
        return [self.by_path(self.repo.resolve(path)) for path in self.settings.paths]

    def plan_moves(self, sources: List[Source], dest: Item, dest_path: str) -> List[Optional[Item]]:
        """Every check of state=moved, before the first move: what each source ends as (None: it moves)."""
        dest_app = dest["id"] if dest.get("objectType") == "APP" else (dest.get("app") or {}).get("id")
        arriving: Dict[str, Source] = {}
        planned: Dict[str, Source] = {}
        out: List[Optional[Item]] = []
        for source in sources:
            scenario = source.scenario
            if scenario is None:
                out.append(self.moved_before(source, dest, dest_path))
                continue
            if (scenario.get("app") or {}).get("id") != dest_app:
                raise InsightError("dest: %s is in another app than %s; scenarios cannot move across apps. Nothing "
                                   "was moved" % (show(dest_path, bare=True), show(source.label, bare=True)))
            if (scenario.get("parent") or {}).get("id") == dest.get("id"):
                out.append(scenario)  # already there
                continue
            if scenario["id"] in planned:
                out.append(None)  # the same scenario named twice (by name and by app id): one move
                continue
            clash = next((c for c in self.repo.children(dest) if c.get("name") == scenario.get("name")), None)
            if clash is not None:
                what = "a folder" if is_folder(clash) else "a scenario"
                raise InsightError("dest: %s already holds %s named %s; rename or remove it first (the server would "
                                   "otherwise suffix the name). Nothing was moved"
                                   % (show(dest_path, bare=True), what, show(scenario.get("name"))))
            name = str(scenario.get("name"))
            alike = next((c for c in self.repo.children(dest) if look_alike_key(str(c.get("name"))) == look_alike_key(name)),
                         None)
            if alike is not None:
                # Some servers treat such names as one and would suffix the moved scenario's name, which this module
                # cannot rename back: refused before any move, whatever this server does.
                raise InsightError("dest: %s holds %s, a name that differs from %s only by case, Unicode normalisation "
                                   "or white space; a server that treats them as one would suffix the moved scenario's "
                                   "name: rename one of them first. Nothing was moved"
                                   % (show(dest_path, bare=True), show(alike.get("name")), show(name)))
            other = arriving.get(look_alike_key(name))
            if other is not None:
                raise InsightError("path: %s and %s would both move into %s under one name (%s); the server would "
                                   "suffix one of them. Nothing was moved"
                                   % (show(other.label, bare=True), show(source.label, bare=True),
                                      show(dest_path, bare=True), show(name)))
            arriving[look_alike_key(name)] = source
            planned[scenario["id"]] = source
            source.move = True
            out.append(None)
        return out

    def moved_before(self, source: Source, dest: Item, dest_path: str) -> Item:
        """A path with no scenario: done when dest holds exactly one scenario of that name (an earlier run's move)."""
        there = [c for c in self.repo.children(dest) if c.get("name") == source.name and not is_folder(c)]
        if len(there) == 1:
            return there[0]
        if there:
            raise InsightError("path: there is no scenario %s, and %s holds %d scenarios named %s (ids %s); give the "
                               "one meant by id. Nothing was moved"
                               % (show(source.label, bare=True), show(dest_path, bare=True), len(there),
                                  show(source.name), _ids(there)))
        raise InsightError("path: there is no scenario %s to move (or it is not visible to this user), and %s holds no "
                           "scenario named %s. Nothing was moved"
                           % (show(source.label, bare=True), show(dest_path, bare=True), show(source.name)))

    # -- moves -----------------------------------------------------------------------------------------------

    def post_move(self, scenario: Item, dest: Item) -> Item:
        """One move request; a lost answer is resolved by reading the destination's listing again."""
        template = "/api/apps/{}/children" if dest.get("objectType") == "APP" else "/api/folders/{}/children"
        body = {"id": scenario["id"], "objectType": "SCENARIO"}

        def arrived() -> Optional[Item]:
            return next((c for c in self.repo.children(dest, fresh=True) if c.get("id") == scenario["id"]), None)

        answer, _posted = self.repo.client.post_or_recover(template, dest["id"], json_body=body, recover=arrived)
        if isinstance(answer, dict) and answer.get("id"):
            moved = as_item(answer, "POST", template.replace("{}", str(dest["id"])))
        else:
            # The reference page allows an empty answer: the destination's listing says where it went.
            moved = arrived() or self.planned(scenario, dest, "")
        self.repo.forget_child(self.repo.container_of(scenario), scenario["id"])
        self.repo.remember_child(dest, moved)
        return moved

    def undo_suffix(self, source: Source, moved: Item, before: Item, dest_path: str) -> NoReturn:
        """The server suffixed the name (a sibling the listing did not show, or one it compares without regard to
        case): move the scenario back to where it was, and fail naming both names."""
        head = ("dest: %s: %s holds a name this user cannot see or another writer just gave it (presumably another "
                "user's PRIVATE item), so the server moved the scenario there as %s instead") % (
            show(source.label, bare=True), show(dest_path, bare=True), show(moved.get("name")))
        origin = self.repo.container_of(before)
        try:
            back = self.post_move(moved, origin)
        except InsightError as exc:
            raise self.stopped("%s; moving it back failed: %s" % (head, exc.to_line())) from None
        if back.get("name") != before.get("name"):
            # Servers keep the suffix on the way back, and renaming scenarios is not this module's business.
            raise self.stopped("%s; moved it back to %s, where it is now named %s: rename it to %s in Insight"
                               % (head, show(_path_of(back).rsplit("/", 1)[0], bare=True), show(back.get("name")),
                                  show(before.get("name"))))
        raise self.stopped("%s; moved it back, so nothing is left changed" % head)

    def stopped(self, line: str) -> InsightError:
        if not self.moved:
            return InsightError(line)
        return MoveStopped("%s; moved before this: %s" % (line, ", ".join(self.moved)), self.moved)

    def planned(self, scenario: Item, dest: Item, dest_path: str) -> Item:
        path = (dest_path or _path_of(dest)) + "/" + str(scenario.get("name"))
        return dict(scenario, path=path,
                    parent={"id": dest.get("id"), "name": dest.get("name"), "objectType": dest.get("objectType", "FOLDER")})

    def move(self, source: Source, dest: Item, dest_path: str) -> Item:
        before = dict(source.scenario or {})
        if self.check_mode:
            after = self.planned(before, dest, dest_path)
        else:
            try:
                after = self.post_move(before, dest)
            except InsightError as exc:
                if not self.moved:
                    raise
                raise MoveStopped("%s; moved before this: %s" % (exc.to_line(), ", ".join(self.moved)),
                                  self.moved) from None
            if after.get("name") != before.get("name"):
                self.undo_suffix(source, after, before, dest_path)
        self.moved.append(source.label)
        old, new = diff_view(self.view(before)), diff_view(self.view(after))
        self.diffs.append({"before": old, "after": new, "before_header": _path_of(before) or source.label,
                           "after_header": _path_of(after)})
        return after

    # -- run -------------------------------------------------------------------------------------------------

    def view(self, item: Optional[Item]) -> Optional[Dict[str, Any]]:
        return item_view(item, self.base_url) if item else None

    def run(self) -> Dict[str, Any]:
        dest: Optional[Item] = None
        dest_path = ""
        if self.settings.state == "moved":
            dest, dest_path = self.destination()
        sources = self.sources()
        if dest is None:
            for source in sources:
                if source.scenario is None:
                    raise InsightError("path: there is no scenario %s (or it is not visible to this user)"
                                       % show(source.label, bare=True))
            found: List[Optional[Item]] = [s.scenario for s in sources]
        else:
            found = self.plan_moves(sources, dest, dest_path)
            done: Dict[str, Item] = {}
            for index, source in enumerate(sources):
                scenario = source.scenario
                if found[index] is None and scenario is not None:
                    if scenario["id"] not in done:
                        done[scenario["id"]] = self.move(source, dest, dest_path) if source.move else scenario
                    found[index] = done[scenario["id"]]
        views = [self.view(item) for item in found]
        out: Dict[str, Any] = {"changed": bool(self.moved), "moved": self.moved, "diff": self.diffs}
        if self.settings.single:
            out["scenario"] = views[0]
        else:
            out["scenarios"] = views
        return out


def run_scenario(repo: Repository, settings: ScenarioSettings, check_mode: bool, base_url: str) -> Dict[str, Any]:
    """The result of insight_scenario, `diff` included (InsightModule drops it outside diff mode)."""
    return ScenarioRun(repo, settings, check_mode, base_url).run()


def run(task: Task) -> Dict[str, Any]:
    """insight_scenario's whole run: settings checked before the first call, then the lookups and moves."""
    settings = scenario_settings(task.params)
    client = task.client
    return run_scenario(Repository(client, task.warn), settings, task.check_mode, client.base_url)
