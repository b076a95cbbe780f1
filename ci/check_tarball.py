# Copyright: xpress.insight maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check what went into the collection tarball.

    check_tarball.py TARBALL SOURCE_TREE

Fails when the tarball holds development-only files (the emulator, functional tests, benchmarks,
CI scripts, caches) or lacks a plugin or extensions/ file that the source tree has (a build_ignore that is too broad).
"""
from __future__ import annotations

import os
import sys
import tarfile

# Paths (relative to the collection root) that must never be shipped.
FORBIDDEN = (
    'tests/insight_emulator/', 'tests/functional/', 'tests/output/', 'bench/', 'ci/', '.ci/', '.build/',
    '.venv', '.ansible/', '.cache/', '.pytest_cache/', '.mypy_cache/', '.ruff_cache/', 'docs/build/', 'Makefile', 'requirements-dev.txt', 'pytest.ini',
)
REQUIRED = ('MANIFEST.json', 'FILES.json', 'README.md', 'meta/runtime.yml')


def shipped(tarball: str) -> set[str]:
    with tarfile.open(tarball) as archive:
        return {name[2:] if name.startswith('./') else name for name in archive.getnames()}


def source_plugins(tree: str) -> set[str]:
    found = set()
    # extensions/ holds the Event-Driven Ansible source and rulebooks, which ansible-rulebook reads from the tarball.
    for top in ('plugins', 'extensions'):
        for folder, dirs, files in os.walk(os.path.join(tree, top)):
            dirs[:] = [d for d in dirs if d != '__pycache__']
            found.update(os.path.relpath(os.path.join(folder, f), tree) for f in files if not f.endswith(('.pyc', '.pyo')))
    return found


def main(tarball: str, tree: str) -> int:
    names = shipped(tarball)
    problems = []
    for name in sorted(names):
        if any(name == bad.rstrip('/') or name.startswith(bad) for bad in FORBIDDEN) or '/__pycache__/' in '/' + name:
            problems.append('must not be shipped: %s' % name)
    problems.extend('missing from the tarball: %s' % name for name in REQUIRED if name not in names)
    problems.extend('plugin file missing from the tarball: %s' % name for name in sorted(source_plugins(tree) - names))
    for problem in problems:
        print(problem)
    if problems:
        return 1
    plugins = sorted(n for n in names if n.startswith('plugins/') and n.endswith('.py'))
    print('tarball %s: %d entries, %d plugin files, nothing development-only' % (os.path.basename(tarball), len(names), len(plugins)))
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
