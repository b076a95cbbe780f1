"""The 100-folder, depth-3 tree used by the folder, fault and concurrency suites."""

from __future__ import annotations

from typing import List, Sequence

WIDTHS = (4, 3, 7)  # 4 + 4*3 + 4*3*7 = 100 folders


def tree_paths(app: str, levels: Sequence[str]) -> List[str]:
    """Repository paths of the tree, parents first: `levels` names the folders of each depth ("Area 1", ...)."""
    out: List[str] = []

    def grow(parent: str, depth: int) -> None:
        for number in range(1, WIDTHS[depth] + 1):
            path = "%s/%s %d" % (parent, levels[depth], number)
            out.append(path)
            if depth + 1 < len(WIDTHS):
                grow(path, depth + 1)

    grow("/" + app, 0)
    return out
