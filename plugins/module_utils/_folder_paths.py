# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of folder modules: repository paths, the server's name rules, and the folder shape of results.

Nothing here talks to the server, so every rule is checked before the first call and unit-tested alone."""

from __future__ import annotations

import unicodedata
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ._errors import InsightConfigError

NAME_MAX = 255
# The server's \S and \s are Java's: ASCII white space only.
_WHITE = " \t\n\x0b\f\r"
# The values of insight_folder's share_status option (its argument spec takes them from here).
SHARE_STATUSES = ("PRIVATE", "READONLY", "FULLACCESS")


def name_problem(name: Any) -> Optional[str]:
    """Why `name` cannot be a folder name here, or None when it can.

    The server's own rules (422 otherwise), plus three that keep every folder reachable by a repository path: a
    name never contains `/` (it separates the names of a path, and paths have no escape), is never `.` or `..`
    (paths are never relative), and never ends with a backslash (which would read as an escaped `/`)."""
    if not isinstance(name, str) or not name:
        return "is empty"
    if len(name) > NAME_MAX:
        return "is %d characters long; at most %d are allowed" % (len(name), NAME_MAX)
    bad = [c for c in name if unicodedata.category(c) == "Cc"]
    if bad:
        return "contains the control character %r" % bad[0]
    if name[0] in _WHITE or name[-1] in _WHITE:
        return "starts or ends with white space"
    if "/" in name:
        return "contains /, which only separates the names of a path (a name cannot contain it; there is no escape)"
    if name in (".", ".."):
        return "is not allowed as a name (paths are never relative: no . or .. segments)"
    if name.endswith("\\"):
        return "ends with a backslash, which is not allowed: it would read as an escaped / (paths have no escape)"
    return None


def _plain(char: str) -> bool:
    # Printed as itself only when it cannot pass for another character: no combining marks, no format or
    # control characters, no space but the ASCII one, nothing that Unicode's compatibility form would change.
    if char == " ":
        return True
    if not char.isprintable() or unicodedata.category(char)[0] in "MZC":
        return False
    return unicodedata.normalize("NFKC", char) == char


def show(value: Any, bare: bool = False) -> str:
    """A name or path as every message, diff and plan shows it, so that look-alikes can be told apart.

    Plain text is quoted as typed (a backslash is not doubled); a name holding anything else (a combining accent,
    a no-break or other Unicode space, a compatibility character) is shown with those characters escaped, so the
    decomposed 'Re\\u0301ports' never prints as 'R\u00e9ports', nor 'Team\\u00a0A' (a no-break space) as 'Team A'.
    `bare`: plain text unquoted (for the lines of a diff)."""
    if not isinstance(value, str):
        return repr(value)
    if all(_plain(c) for c in value):
        if bare:
            return value
        return "'%s'" % value if "'" not in value else repr(value)
    out = []
    for char in value:
        if char in "\\'":
            out.append("\\" + char)
        elif _plain(char):
            out.append(char)
        elif ord(char) < 0x80:
            out.append(repr(char)[1:-1])  # \t, \n, \x0b: as Python writes them
        elif ord(char) < 0x10000:
            out.append("\\u%04x" % ord(char))
        else:
            out.append("\\U%08x" % ord(char))
    return "'%s'" % "".join(out)


def look_alike_key(name: str) -> str:
    """What is left of a name once case, Unicode normalisation (NFC, NFD, NFKC) and white space (any Unicode space,
    leading, trailing or doubled; zero-width characters) are ignored: two different names with one key look alike
    to people, and some servers treat them as one name."""
    text = "".join(c for c in unicodedata.normalize("NFKC", name) if unicodedata.category(c) != "Cf")
    return " ".join(unicodedata.normalize("NFKC", text.casefold()).split())


def check_name(value: Any, field: str) -> str:
    """`value` as a folder name, or InsightConfigError naming `field`: the one name rule of every option that
    takes a name (paths, `name`, `dest`, tree nodes)."""
    problem = name_problem(value)
    if problem is None and isinstance(value, str):
        return value
    raise InsightConfigError("%s: the name %s %s" % (field, show(value), problem))


class RepoPath:
    """A repository path `/App/A/B`: the app (its name, or its id as the first segment) and the folder names below
    it (none for the app root).

    Once the app is found on the server (`Repository.resolve`), `app` is its id and `app_name` its name: such paths
    compare by the app's id (so twin apps never mix, and `/<id>/A` is `/Name/A`), and `text` shows the name, as
    the server's own paths do."""

    __slots__ = ("app", "names", "app_name")

    def __init__(self, app: str, names: Sequence[str], app_name: Optional[str] = None) -> None:
        self.app = app
        self.names: Tuple[str, ...] = tuple(names)
        self.app_name = app if app_name is None else app_name

    @property
    def text(self) -> str:
        return "/" + "/".join((self.app_name,) + self.names)

    @property
    def depth(self) -> int:
        return len(self.names)

    def parent(self) -> "RepoPath":
        return RepoPath(self.app, self.names[:-1], self.app_name)

    def child(self, name: str) -> "RepoPath":
        return RepoPath(self.app, self.names + (name,), self.app_name)

    def prefix(self, count: int) -> "RepoPath":
        """The path of the first `count` folders (0: the app root)."""
        return RepoPath(self.app, self.names[:count], self.app_name)

    def is_within(self, other: "RepoPath") -> bool:
        """True when self is other or lies below it (compared name by name, so `/A/B` is not within `/A/Bx`)."""
        return self.app == other.app and self.names[:len(other.names)] == other.names

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RepoPath) and (self.app, self.names) == (other.app, other.names)

    def __hash__(self) -> int:
        return hash((self.app, self.names))

    def __repr__(self) -> str:
        return "RepoPath(%r)" % self.text


def parse_path(value: Any, field: str = "path", allow_app_root: bool = False) -> RepoPath:
    """Parse `/App/Folder/...` (or `/<app id>/Folder/...`), every name checked by the rule of check_name. Commas are plain characters; `/`
    always separates names. An empty name (`//`, or a trailing `/`) is refused, never skipped: it usually comes
    from an empty variable, and `/App/{{ sub }}` must not quietly mean `/App`."""
    if not isinstance(value, str):
        raise InsightConfigError("%s: %r is not a string; give a repository path such as /AppName/Folder" % (field, value))
    if not value.strip():
        raise InsightConfigError("%s: is empty (an unset variable?); give a repository path such as /AppName/Folder, "
                                 "nothing is selected by default" % field)
    if not value.startswith("/"):
        raise InsightConfigError("%s: %s must start with / followed by the app's name, as in /AppName/Folder"
                                 % (field, show(value)))
    parts = value[1:].split("/")
    if not parts[0]:
        raise InsightConfigError("%s: %s has no app name; give /AppName/Folder" % (field, show(value)))
    if len(parts) > 1 and parts[-1] == "" and "" not in parts[:-1]:
        raise InsightConfigError("%s: %s ends with /, which leaves an empty folder name; write it without the "
                                 "trailing /" % (field, show(value)))
    if "" in parts:
        raise InsightConfigError("%s: %s contains an empty folder name (//)" % (field, show(value)))
    for index, part in enumerate(parts):
        problem = name_problem(part)
        if problem:
            what = "app name" if index == 0 else "folder name"
            raise InsightConfigError("%s: in %s the %s %s %s" % (field, show(value), what, show(part), problem))
    if len(parts) == 1 and not allow_app_root:
        raise InsightConfigError("%s: %s names the app %s, not a folder; give /%s/Folder"
                                 % (field, show(value), show(parts[0]), parts[0]))
    return RepoPath(parts[0], parts[1:])


def parse_paths(value: Any, field: str = "path") -> Tuple[List[RepoPath], bool]:
    """The `path` option: one string (never split, commas included) or a list of strings.

    Returns the distinct paths, in the order given, and whether a single path was given."""
    if isinstance(value, str):
        return [parse_path(value, field)], True
    if not isinstance(value, (list, tuple)):
        raise InsightConfigError("%s: give a repository path or a list of them, not %s" % (field, type(value).__name__))
    if not value:
        raise InsightConfigError("%s: the list of paths is empty" % field)
    seen: Dict[RepoPath, None] = {}
    for index, item in enumerate(value):
        seen.setdefault(parse_path(item, "%s[%d]" % (field, index)), None)
    return list(seen), False


def parents_first(paths: Sequence[RepoPath]) -> List[RepoPath]:
    """Shallow paths before deep ones (stable), so parents are handled before their children."""
    return sorted(paths, key=lambda p: p.depth)


# -- shapes --------------------------------------------------------------------------------------------------------

def _ref(value: Any, keys: Sequence[str] = ("id", "name")) -> Optional[Dict[str, Any]]:
    if not isinstance(value, Mapping):
        return None
    out = {key: value.get(key) for key in keys}
    if "objectType" in value and "object_type" in keys:
        out["object_type"] = value.get("objectType")
    return out


def item_view(item: Mapping[str, Any], base_url: str, path: Optional[str] = None) -> Dict[str, Any]:
    """A folder (or scenario) of the API as modules return it: snake_case keys, absolute url."""
    url = item.get("url")
    if isinstance(url, str) and url.startswith("/"):
        url = base_url + url
    return {
        "id": item.get("id"),
        "name": item.get("name"),
        "path": item.get("path") or path,
        "parent": _ref(item.get("parent"), ("id", "name", "object_type")),
        "share_status": item.get("shareStatus"),
        "owner": _ref(item.get("owner")),
        "app": _ref(item.get("app")),
        "url": url,
    }


def diff_view(view: Optional[Mapping[str, Any]], parent_path: Optional[str] = None) -> Dict[str, Any]:
    """The fields of a folder shown in diff mode; {} for a folder that does not exist."""
    if not view:
        return {}
    owner = view.get("owner") or {}
    path = view.get("path") or ""
    return {
        "path": path,
        "name": view.get("name"),
        "share_status": view.get("share_status"),
        "owner": owner.get("name") or owner.get("id"),
        "parent": parent_path if parent_path is not None else path.rsplit("/", 1)[0],
    }
