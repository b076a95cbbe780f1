# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""insight_folder_info: a folder (by path or id) or an app's root, listed (optionally with what lies below it) or
exported in the input format of insight_folder's tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional

from ._args import check_id
from ._errors import InsightConfigError
from ._folder_paths import RepoPath, item_view, parse_path
from ._run_folder_tree import export_tree
from ._folders import Item, Repository, is_folder
from ._task import ModuleSpec, Task

SPEC = ModuleSpec(
    argument_spec=dict(
        path=dict(type="str"),
        id=dict(type="str"),
        app=dict(type="str"),
        recurse=dict(type="bool", default=False),
        depth=dict(type="int"),
        include_scenarios=dict(type="bool", default=False),
        format=dict(type="str", default="list", choices=["list", "tree"]),
    ),
    mutually_exclusive=[("path", "id", "app")],
    required_one_of=[("path", "id", "app")],
)


@dataclass(frozen=True)
class FolderInfoSettings:
    """insight_folder_info's options, checked once: exactly one of path, id and app is set."""

    path: Optional[RepoPath]
    id: Optional[str]
    app: Optional[str]
    recurse: bool
    depth: Optional[int]  # with recurse: the levels to read (None: all)
    include_scenarios: bool
    format: str


def folder_info_settings(params: Mapping[str, Any]) -> FolderInfoSettings:
    """Every check that needs no server, so bad input fails before the first call."""
    recurse = bool(params.get("recurse"))
    depth = params.get("depth")
    scenarios = bool(params.get("include_scenarios"))
    form = params["format"]
    if form == "tree":
        if scenarios or recurse or depth is not None:
            raise InsightConfigError("format: tree always reads the whole subtree and only folders; leave out recurse, "
                                     "depth and include_scenarios")
    elif depth is not None and (not recurse or depth < 1):
        raise InsightConfigError("depth: limits recurse; give it with recurse: true, as a number of levels of 1 or more")
    path: Optional[RepoPath] = None
    folder_id: Optional[str] = None
    app: Optional[str] = None
    if params.get("path") is not None:
        path = parse_path(params["path"], "path", allow_app_root=True)
    elif params.get("id") is not None:
        folder_id = check_id(params["id"], "id")
    elif params.get("app") is not None:
        app = str(params["app"]).strip()
        if not app:
            raise InsightConfigError("app: is empty (an unset variable?); give the app's name or id, nothing is "
                                     "selected by default")
    else:
        raise InsightConfigError("path, id or app: give the folder, or the app whose folders to list")
    return FolderInfoSettings(path=path, id=folder_id, app=app, recurse=recurse, depth=depth,
                              include_scenarios=scenarios, format=form)


def find_start(repo: Repository, settings: FolderInfoSettings) -> Optional[Item]:
    """The folder or app root the settings name, or None when no such folder is visible."""
    if settings.path is not None:
        app, chain, missing = repo.walk(settings.path)
        if missing == len(settings.path.names):
            return chain[-1] if chain else app
        return None
    if settings.id is not None:
        return repo.folder(settings.id)
    return repo.app(str(settings.app), "app")


def run_folder_info(repo: Repository, settings: FolderInfoSettings, base_url: str) -> Dict[str, Any]:
    start = find_start(repo, settings)
    if settings.format == "tree":
        return export_tree(repo, start, base_url)
    folders: List[Item] = []
    scenarios: List[Item] = []
    if start is not None:
        at_root = start.get("objectType") == "APP"
        if not at_root:
            folders.append(start)
        if settings.recurse:
            limit = settings.depth
        elif at_root or settings.include_scenarios:
            limit = 1
        else:
            limit = 0
        for item, _level in (repo.descendants(start, limit) if limit != 0 else []):
            if is_folder(item):
                if settings.recurse or at_root:
                    folders.append(item)
            elif settings.include_scenarios:
                scenarios.append(item)
    out: Dict[str, Any] = {"changed": False, "folders": [item_view(f, base_url) for f in folders]}
    if settings.include_scenarios:
        out["scenarios"] = [item_view(s, base_url) for s in scenarios]
    return out


def run(task: Task) -> Dict[str, Any]:
    """insight_folder_info's whole run: settings checked before the first call, then the listing or the export."""
    settings = folder_info_settings(task.params)
    client = task.client
    return run_folder_info(Repository(client, task.warn), settings, client.base_url)
