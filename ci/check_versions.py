# Copyright: xpress.insight maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check that the ansible-core versions the gates test agree with meta/runtime.yml's requires_ansible.

    check_versions.py COLLECTION_ROOT

The floor in requires_ansible (">=2.16.0") must be the release series that the floor leg pins
(ci/requirements-floor.txt); the main .venv's pin (requirements-dev.txt) and the newest leg's pin
(ci/requirements-newest.txt) must satisfy it.
"""
from __future__ import annotations

import os
import re
import sys

import yaml


def pinned(path: str) -> tuple[int, ...]:
    with open(path, encoding='utf-8') as handle:
        found = re.search(r'^ansible-core==([0-9.]+)\s*$', handle.read(), re.MULTILINE)
    if not found:
        raise SystemExit('%s: no exact ansible-core pin' % path)
    return tuple(int(part) for part in found.group(1).split('.'))


def main(root: str) -> int:
    with open(os.path.join(root, 'meta', 'runtime.yml'), encoding='utf-8') as handle:
        requires = str(yaml.safe_load(handle).get('requires_ansible', ''))
    found = re.fullmatch(r'>=\s*([0-9]+)\.([0-9]+)\.([0-9]+)', requires.strip())
    if not found:
        print('meta/runtime.yml: requires_ansible %r is not a plain ">=X.Y.Z" floor' % requires)
        return 1
    floor = tuple(int(part) for part in found.groups())
    floor_pin = pinned(os.path.join(root, 'ci', 'requirements-floor.txt'))
    main_pin = pinned(os.path.join(root, 'requirements-dev.txt'))
    newest_pin = pinned(os.path.join(root, 'ci', 'requirements-newest.txt'))
    problems = []
    if floor_pin[:2] != floor[:2] or floor_pin < floor:
        problems.append('ci/requirements-floor.txt pins ansible-core %s, but the floor the gates test is requires_ansible %s'
                        % ('.'.join(map(str, floor_pin)), requires))
    for path, pin in (('requirements-dev.txt', main_pin), ('ci/requirements-newest.txt', newest_pin)):
        if pin < floor:
            problems.append('%s pins ansible-core %s, below requires_ansible %s' % (path, '.'.join(map(str, pin)), requires))
    for problem in problems:
        print(problem)
    if not problems:
        print('requires_ansible %s: tested with ansible-core %s (floor), %s (main) and %s (newest)'
              % (requires, '.'.join(map(str, floor_pin)), '.'.join(map(str, main_pin)), '.'.join(map(str, newest_pin))))
    return 1 if problems else 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
