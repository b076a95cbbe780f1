# Copyright: xpress.insight maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check what went into the collection tarball.

    check_tarball.py TARBALL SOURCE_TREE

Fails when the tarball holds development-only files (the emulator, functional tests, benchmarks,
CI scripts, caches), lacks a plugin or extensions/ file that the source tree has (a build_ignore that is too broad),
lacks the license (COPYING, the same text as the tree's, the GPL version 3 that galaxy.yml names), or lacks the
changelog: changelogs/changelog.yaml always, and the generated CHANGELOG.rst / CHANGELOG.md once a release is recorded.
"""
from __future__ import annotations

import os
import sys
import tarfile

import yaml

# Paths (relative to the collection root) that must never be shipped.
FORBIDDEN = (
    'tests/insight_emulator/', 'tests/functional/', 'tests/output/', 'bench/', 'ci/', '.ci/', '.build/',
    '.venv', '.ansible/', '.cache/', '.pytest_cache/', '.mypy_cache/', '.ruff_cache/', 'docs/build/', 'Makefile', 'requirements-dev.txt', 'pytest.ini',
)
REQUIRED = ('MANIFEST.json', 'FILES.json', 'README.md', 'meta/runtime.yml', 'COPYING', 'changelogs/changelog.yaml')
LICENSE_TITLE = ('GNU GENERAL PUBLIC LICENSE', 'Version 3, 29 June 2007')
GENERATED_CHANGELOGS = ('CHANGELOG.rst', 'CHANGELOG.md')


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


def member_text(tarball: str, name: str) -> str:
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if member.name in (name, './' + name):
                content = archive.extractfile(member)
                return content.read().decode('utf-8') if content else ''
    return ''


def license_problems(tarball: str, tree: str, names: set[str]) -> list[str]:
    if 'COPYING' not in names:
        return []  # reported as missing with REQUIRED
    text = member_text(tarball, 'COPYING')
    head = ' '.join(text.split()[:12])
    if not all(part in head for part in LICENSE_TITLE):
        return ['COPYING in the tarball is not the GNU GPL version 3 text that galaxy.yml names']
    with open(os.path.join(tree, 'COPYING'), encoding='utf-8') as source:
        if source.read() != text:
            return ['COPYING in the tarball differs from the source tree\'s']
    return []


def changelog_problems(tree: str, names: set[str]) -> list[str]:
    # Before the first release there is nothing to generate; after it, the generated file is what users read.
    with open(os.path.join(tree, 'changelogs', 'changelog.yaml'), encoding='utf-8') as source:
        releases = (yaml.safe_load(source) or {}).get('releases') or {}
    present = [name for name in GENERATED_CHANGELOGS if os.path.exists(os.path.join(tree, name))]
    problems = ['generated changelog missing from the tarball: %s' % name for name in present if name not in names]
    if releases and not present:
        problems.append('changelogs/changelog.yaml records releases %s but no %s was generated at the root'
                        ' (antsibull-changelog generate)' % (', '.join(sorted(releases)), ' or '.join(GENERATED_CHANGELOGS)))
    return problems


def main(tarball: str, tree: str) -> int:
    names = shipped(tarball)
    problems = []
    for name in sorted(names):
        if any(name == bad.rstrip('/') or name.startswith(bad) for bad in FORBIDDEN) or '/__pycache__/' in '/' + name:
            problems.append('must not be shipped: %s' % name)
    problems.extend('missing from the tarball: %s' % name for name in REQUIRED if name not in names)
    problems.extend('plugin file missing from the tarball: %s' % name for name in sorted(source_plugins(tree) - names))
    problems.extend(license_problems(tarball, tree, names))
    problems.extend(changelog_problems(tree, names))
    for problem in problems:
        print(problem)
    if problems:
        return 1
    plugins = sorted(n for n in names if n.startswith('plugins/') and n.endswith('.py'))
    print('tarball %s: %d entries, %d plugin files, license and changelog present, nothing development-only'
          % (os.path.basename(tarball), len(names), len(plugins)))
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
