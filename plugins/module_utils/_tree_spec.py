# -*- coding: utf-8 -*-
# Copyright: xpress.insight contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The `tree:` description of insight_folder: parsing, checks and inheritance, all before the first call.

A tree is a list of nodes (`name`, optional `share_status`, `owner`, `children`) or, for trees without settings,
the compact mapping `{name: children-or-null}`; both forms can be mixed at any level."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from ._errors import InsightConfigError
from ._folder_paths import SHARE_STATUSES, check_name

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


def _where(parent_rel: str) -> str:
    return "tree (under %s)" % parent_rel if parent_rel else "tree (top level)"


def _is_full_node(value: Mapping[str, Any]) -> bool:
    # A folder literally named "name" needs the full form: {name: name, children: ...}.
    return isinstance(value.get("name"), str) and "name" in value


def _full_node(value: Mapping[str, Any], parent_rel: str) -> Node:
    where = _where(parent_rel)
    unknown = sorted(str(k) for k in value if k not in NODE_KEYS)
    name = check_name(value.get("name"), where)
    rel = parent_rel + "/" + name if parent_rel else name
    if unknown:
        keys = ", ".join(repr(k) for k in unknown)
        raise InsightConfigError("tree (%s): unknown key %s; a node has %s" % (rel, keys, ", ".join(NODE_KEYS)))
    share = value.get("share_status")
    if share is not None and share not in SHARE_STATUSES:
        raise InsightConfigError("tree (%s): share_status %r is not one of %s" % (rel, share, ", ".join(SHARE_STATUSES)))
    owner = value.get("owner")
    if owner is not None:
        if isinstance(owner, bool) or not isinstance(owner, (str, int)) or not str(owner).strip():
            raise InsightConfigError("tree (%s): owner must be a username or a user id, not %r" % (rel, owner))
        owner = str(owner).strip()
    return Node(name, share, owner, _level(value.get("children"), rel), rel)


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
    for item in items:
        if isinstance(item, str):
            nodes.append(Node(check_name(item, _where(parent_rel)), None, None, [],
                              parent_rel + "/" + item if parent_rel else item))
        elif isinstance(item, Mapping) and _is_full_node(item):
            nodes.append(_full_node(item, parent_rel))
        elif isinstance(item, Mapping) and item:
            for name, children in item.items():
                check_name(name, _where(parent_rel))
                rel = parent_rel + "/" + name if parent_rel else name
                nodes.append(Node(name, None, None, _level(children, rel), rel))
        else:
            raise InsightConfigError("%s: %r is not a node; give {name: ..., children: [...]} or {name: children}"
                                     % (_where(parent_rel), item))
    seen: Dict[str, str] = {}
    for node in nodes:
        key = name_key(node.name)
        if key in seen:
            raise InsightConfigError("%s: the name %r is given twice among siblings (names compare exactly, as on the "
                                     "server)" % (_where(parent_rel), node.name))
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
