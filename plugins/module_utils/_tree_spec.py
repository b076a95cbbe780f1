# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The `tree:` description of insight_folder: parsing, checks and inheritance, all before the first call.

A tree is a list of nodes (`name`, optional `share_status`, `owner`, `children`) or, for trees without settings,
the compact mapping `{name: children-or-null}`; both forms can be mixed at any level. A mapping with a `name` key
is always the full form; names must be strings (YAML's numbers and booleans are refused, never turned back into
text)."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from ._errors import InsightConfigError
from ._folder_paths import SHARE_STATUSES, check_name, show

NODE_KEYS = ("name", "share_status", "owner", "children")


def name_key(name: str) -> str:
    """How the server tells two sibling names apart: exactly, case included (the emulator and the reference
    pages agree). Every comparison of names in tree mode goes through here."""
    return name


class Node:
    """One folder of the description; `share_status` and `owner` are what the node wants (None: leave as is)."""

    __slots__ = ("name", "share_status", "owner", "children", "rel")

    def __init__(self, name: str, share_status: Optional[str], owner: Optional[str], children: List["Node"],
                 rel: str) -> None:
        self.name = name
        self.share_status = share_status
        self.owner = owner
        self.children = children
        self.rel = rel  # the node's path inside the tree, for messages that need no server

    def __repr__(self) -> str:
        return "Node(%r)" % self.rel


def _where(parent_rel: str, index: Optional[int] = None) -> str:
    """Where a node is, for messages: `tree (top level, node 2)`, `tree (under 'Scenarios', node 1)`."""
    at = "under %s" % show(parent_rel, bare=True) if parent_rel else "top level"
    return "tree (%s)" % (at if index is None else "%s, node %d" % (at, index + 1))


# Keys that only the full form has: a mapping holding one of them but no `name` is a node whose name went missing.
_SETTING_KEYS = ("share_status", "owner", "children")


def _is_full_node(value: Mapping[str, Any]) -> bool:
    # A mapping with a `name` key is always the full form, whatever the value: a templated name that came out null
    # must fail, not become folders literally named "name" and "children". A folder named "name" is {name: name}.
    return "name" in value


def name_value_problem(value: Any) -> Optional[str]:
    """Why a YAML value cannot be taken as a node's name as it stands (None when it is a string): YAML turns
    unquoted years, octal-looking numbers and words like No into numbers and booleans, so guessing back the text
    that was typed is not possible."""
    if value is None:
        return "name is null (an unset variable?)"
    if isinstance(value, bool):
        return ("name is the boolean %s: YAML reads No, yes, off and the like as booleans; quote it, as in "
                "'No'" % str(value).lower())
    if isinstance(value, (int, float)):
        return ("name is the number %r: quote it, as in '%s' (YAML may have changed an unquoted number: 0700 "
                "reads as 448)" % (value, value))
    if not isinstance(value, str):
        return "name must be a string, not a %s" % type(value).__name__
    return None


def _node_name(value: Any, where: str) -> str:
    problem = name_value_problem(value)
    if problem is not None:
        raise InsightConfigError("%s: %s" % (where, problem))
    return check_name(value, where)


def _full_node(value: Mapping[str, Any], parent_rel: str, index: int) -> Node:
    unknown = sorted(str(k) for k in value if k not in NODE_KEYS)
    name = _node_name(value.get("name"), _where(parent_rel, index))
    rel = parent_rel + "/" + name if parent_rel else name
    if unknown:
        keys = ", ".join(repr(k) for k in unknown)
        raise InsightConfigError("tree (%s): unknown key %s; a node has %s" % (show(rel, bare=True), keys, ", ".join(NODE_KEYS)))
    share = value.get("share_status")
    if share is not None and share not in SHARE_STATUSES:
        raise InsightConfigError("tree (%s): share_status %r is not one of %s"
                                 % (show(rel, bare=True), share, ", ".join(SHARE_STATUSES)))
    owner = value.get("owner")
    if owner is not None:
        if isinstance(owner, bool) or not isinstance(owner, (str, int)) or not str(owner).strip():
            raise InsightConfigError("tree (%s): owner must be a username or a user id, not %r" % (show(rel, bare=True), owner))
        owner = str(owner).strip()
    return Node(name, share, owner, _level(value.get("children"), rel), rel)


def _compact_children(value: Any, rel: str) -> Any:
    # In the compact form a node's value is its children: null, a list or a mapping; a string or a number there is
    # most likely a full node's setting written in the wrong form.
    if value is None or isinstance(value, (Mapping, list, tuple)):
        return value
    raise InsightConfigError("tree (%s): in the compact form {name: children} the value must be null, a list or a "
                             "mapping of children, not %r; give settings in the full form {name: ..., children: "
                             "[...]}" % (show(rel, bare=True), value))


def _level(value: Any, parent_rel: str) -> List[Node]:
    """The children of one level, in either form; duplicate sibling names are refused here."""
    nodes: List[Node] = []
    if value is None:
        return nodes
    if isinstance(value, Mapping):
        items: List[Any] = [value] if _is_full_node(value) else [{k: v} for k, v in value.items()]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise InsightConfigError("%s: children must be a list of nodes or a mapping {name: children}, not %r"
                                 % (_where(parent_rel), value))
    for index, item in enumerate(items):
        where = _where(parent_rel, index)
        if isinstance(item, Mapping) and _is_full_node(item):
            nodes.append(_full_node(item, parent_rel, index))
        elif isinstance(item, Mapping) and any(key in item for key in _SETTING_KEYS):
            keys = [key for key in _SETTING_KEYS if key in item]
            raise InsightConfigError("%s: has %s but no name; give name: (a folder literally named %s needs the full "
                                     "form {name: %s})" % (where, ", ".join(keys), keys[0], keys[0]))
        elif isinstance(item, Mapping) and item:
            for name, children in item.items():
                _node_name(name, where)
                if name in ("true", "false"):
                    # Module options travel as JSON, whose keys are strings: an unquoted No:, yes:, on: or off: key
                    # arrives as "false" or "true", and a quoted "false": cannot be told from it.
                    raise InsightConfigError("%s: the compact key %s is what YAML makes of an unquoted No, Yes, On, "
                                             "Off, true or false; quote the name (as in 'No': ...), or for a folder "
                                             "really named %s give the full form {name: '%s'}" % (where, show(name),
                                                                                                  name, name))
                rel = parent_rel + "/" + name if parent_rel else name
                nodes.append(Node(name, None, None, _level(_compact_children(children, rel), rel), rel))
        elif item is None or isinstance(item, (str, bool, int, float)):
            name = _node_name(item, where)
            nodes.append(Node(name, None, None, [], parent_rel + "/" + name if parent_rel else name))
        else:
            raise InsightConfigError("%s: %r is not a node; give {name: ..., children: [...]} or {name: children}"
                                     % (where, item))
    seen: Dict[str, str] = {}
    for node in nodes:
        key = name_key(node.name)
        if key in seen:
            raise InsightConfigError("%s: the name %s is given twice among siblings (names compare exactly, as on the "
                                     "server)" % (_where(parent_rel), show(node.name)))
        seen[key] = node.name
    return nodes


def parse_tree(value: Any, inherit: bool = False) -> List[Node]:
    """The checked description; with `inherit`, each setting a node leaves out comes from its nearest ancestor."""
    if isinstance(value, (list, tuple)) and not value:
        return []
    nodes = _level(value, "")
    if inherit:
        _inherit(nodes, None, None)
    return nodes


def _inherit(nodes: List[Node], share: Optional[str], owner: Optional[str]) -> None:
    for node in nodes:
        if node.share_status is None:
            node.share_status = share
        if node.owner is None:
            node.owner = owner
        _inherit(node.children, node.share_status, node.owner)


def walk(nodes: List[Node]) -> List[Node]:
    """Every node, parents before children (depth first, in the order given)."""
    out: List[Node] = []
    for node in nodes:
        out.append(node)
        out.extend(walk(node.children))
    return out
