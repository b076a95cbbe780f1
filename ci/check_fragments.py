# Copyright: xpress.insight maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every user-visible change since the last release comes with a changelog fragment.

    check_fragments.py [CHECKOUT]        (default: the current directory; a git checkout, not the gates' copy)

The last release is the newest version in changelogs/changelog.yaml. Its base commit is the tag of that version
(`1.0.0` or `v1.0.0`) when the clone has it, else the commit that added the version to changelogs/changelog.yaml
(what `antsibull-changelog release` writes). FRAGMENTS_BASE=<ref> names the base instead (a CI job checking a pull
request can pass its target branch). Content is plugins/, extensions/ and meta/; a change there since the base,
committed or not, needs at least one fragment file added under changelogs/fragments/ since the base. A change that
users cannot see still takes a fragment, with a `trivial:` section (the changelog leaves it out).

Exits 0 with a message and checks nothing when: no release is recorded yet (every fragment goes into the first
one); the release is in the working tree but not committed yet (the release being made); the directory is not a git
checkout (an unpacked tarball). In a shallow clone that lacks the base it also exits 0, saying that it skipped and
how to fetch the history (`git fetch --unshallow --tags`); FRAGMENTS_STRICT=1 makes that a failure. In a full clone a
base that cannot be found is a failure (changelog.yaml and the history disagree).
"""
from __future__ import annotations

import os
import subprocess
import sys
from typing import List, Optional, Sequence, Set

import yaml
from packaging.version import InvalidVersion, Version

CONTENT = ('plugins/', 'extensions/', 'meta/')
FRAGMENTS = 'changelogs/fragments/'
CHANGES_FILE = 'changelogs/changelog.yaml'


def git(checkout: str, *args: str) -> Optional[str]:
    """The command's output, or None when git fails (not a repository, unknown revision)."""
    done = subprocess.run(['git', '-C', checkout, *args], capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else None


def newest_release(text: str) -> Optional[str]:
    releases = (yaml.safe_load(text) or {}).get('releases') or {}

    def key(name: object) -> Version:
        try:
            return Version(str(name))
        except InvalidVersion:
            return Version('0')

    return str(max(releases, key=key)) if releases else None


def release_commit(checkout: str, version: str) -> Optional[str]:
    for tag in (version, 'v' + version):
        found = git(checkout, 'rev-parse', '-q', '--verify', 'refs/tags/%s^{commit}' % tag)
        if found:
            return found.strip()
    # The oldest commit whose diff adds the release's key line (changelog_nice_yaml writes `  1.0.0:`).
    pattern = r'^  %s:' % version.replace('.', r'\.')
    found = git(checkout, 'log', '--reverse', '--format=%H', '-G', pattern, '--', CHANGES_FILE)
    lines = (found or '').split()
    # A shallow clone's boundary commit shows the whole file as added: it is where the history stops, not the release.
    if not lines or lines[0] in shallow_boundary(checkout):
        return None
    return lines[0]


def shallow_boundary(checkout: str) -> Set[str]:
    path = (git(checkout, 'rev-parse', '--git-path', 'shallow') or '').strip()
    if not path:
        return set()
    path = os.path.join(checkout, path) if not os.path.isabs(path) else path
    if not os.path.exists(path):
        return set()
    with open(path, encoding='utf-8') as boundary:
        return set(boundary.read().split())


def changed_since(checkout: str, base: str, *extra: str) -> List[str]:
    """Paths changed between base and the working tree (committed or not), plus untracked files that are not ignored."""
    tracked = git(checkout, 'diff', '--name-only', '--no-renames', *extra, base, '--') or ''
    untracked = git(checkout, 'ls-files', '--others', '--exclude-standard') or ''
    return sorted(set(tracked.split('\n') + untracked.split('\n')) - {''})


def main(argv: Sequence[str]) -> int:
    checkout = argv[0] if argv else '.'
    if git(checkout, 'rev-parse', '--git-dir') is None:
        print('check_fragments: %s is not a git checkout: nothing to compare, skipped' % checkout)
        return 0
    with open(os.path.join(checkout, CHANGES_FILE), encoding='utf-8') as source:
        version = newest_release(source.read())
    if version is None:
        print('check_fragments: no release in %s yet: every fragment goes into the first one' % CHANGES_FILE)
        return 0
    committed = git(checkout, 'show', 'HEAD:' + CHANGES_FILE)
    if committed is not None and newest_release(committed) != version:
        print('check_fragments: release %s is not committed yet (being made): nothing to compare' % version)
        return 0
    base = os.environ.get('FRAGMENTS_BASE') or release_commit(checkout, version)
    if base is None or git(checkout, 'rev-parse', '-q', '--verify', base + '^{commit}') is None:
        where = 'FRAGMENTS_BASE=%s' % base if os.environ.get('FRAGMENTS_BASE') else 'the commit of release %s' % version
        if (git(checkout, 'rev-parse', '--is-shallow-repository') or '').strip() == 'true':
            print('check_fragments: skipped: %s is not in this shallow clone; run `git fetch --unshallow --tags`'
                  ' (or check out with full history) to check the fragments' % where)
            return 1 if os.environ.get('FRAGMENTS_STRICT') == '1' else 0
        print('check_fragments: %s cannot be found in the history (no tag %s or v%s, and no commit adding it to %s)'
              % (where, version, version, CHANGES_FILE))
        return 1
    changed = changed_since(checkout, base)
    content = [path for path in changed if path.startswith(CONTENT)]
    added = set(changed_since(checkout, base, '--diff-filter=A'))
    fragments = [path for path in changed if path.startswith(FRAGMENTS) and path in added
                 and os.path.exists(os.path.join(checkout, path))]
    short = base[:12]
    if content and not fragments:
        print('check_fragments: %d file(s) under plugins/, extensions/ or meta/ changed since release %s (%s), but no'
              ' changelog fragment was added under %s:' % (len(content), version, short, FRAGMENTS))
        for path in content:
            print('  ' + path)
        print('add changelogs/fragments/<issue>-<topic>.yml (a `trivial:` section when users cannot see the change)')
        return 1
    print('check_fragments: since release %s (%s): %d content file(s) changed, %d fragment(s) added'
          % (version, short, len(content), len(fragments)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
