# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which app an option names: by name or by id, never a guess between two apps (no calls here)."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Sequence

from ._errors import InsightConfigError
from ._folder_paths import show


def app_matches(apps: Sequence[Mapping[str, Any]], wanted: str) -> List[Dict[str, Any]]:
    """Every app whose name is `wanted` exactly, or whose id is `wanted` (ids compare without regard to case)."""
    found: Dict[str, Dict[str, Any]] = {}
    for app in apps:
        if app.get("name") == wanted or str(app.get("id") or "").lower() == wanted.strip().lower():
            found.setdefault(str(app.get("id")), dict(app))
    return list(found.values())


def pick_app(apps: Sequence[Mapping[str, Any]], wanted: str, option: str, how: str = "its id") -> Dict[str, Any]:
    """The one app `wanted` names among `apps` (the server's listing), or InsightConfigError naming `option`.

    Two apps may share a name on the server; an app id that is also another app's name is just as unclear. Either
    way the option fails, naming the ids, before anything is read or written in any app. `how` says how the
    option takes an id (for a path: "its id as the first segment of the path")."""
    found = app_matches(apps, wanted)
    if len(found) == 1:
        return found[0]
    if not found:
        raise InsightConfigError("%s: there is no app named %s on the server (or it is not visible to this user)"
                                 % (option, show(wanted)))
    raise ambiguous(option, wanted, found, how)


def ambiguous(option: str, wanted: str, found: Sequence[Mapping[str, Any]], how: str = "its id") -> InsightConfigError:
    """The one line for an app name (or id) that several apps answer to."""
    ids = ", ".join("%s (%s)" % (app.get("id"), show(app.get("name"))) for app in found)
    return InsightConfigError("%s: %s matches %d apps: %s; name the one meant by %s. Nothing was read or changed"
                              % (option, show(wanted), len(found), ids, how))
