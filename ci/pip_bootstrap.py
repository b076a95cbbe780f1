# Copyright: xpress.insight maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Put the offline pip bootstrap into ansible-test's cache (see ci/README.md).

Run it with the Python of the environment whose ansible-test will be used:
    .venv/bin/python ci/pip_bootstrap.py
It finds the pip version (and for ansible-core 2.16 the setuptools and wheel versions) that ansible-test pins for
its virtual environments, downloads those wheels from the package index with `pip download --no-deps`, and writes ci/get_pip_standin.py
as `get_pip_<version>.py` in `~/.ansible/test/cache/`, where ansible-test looks before it tries
to download the real script.
"""
from __future__ import annotations

import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys

CACHE = os.path.expanduser('~/.ansible/test/cache')
STANDIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'get_pip_standin.py')
MARKER = 'Offline stand-in for the get-pip script'


def ansible_test_venv_packages() -> dict[str, str]:
    """The packages ansible-test bootstraps into each virtual environment: pip, and before ansible-core 2.17 also
    setuptools and wheel (its `default_packages`), by name and pinned version."""
    spec = importlib.util.find_spec('ansible_test')
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit('pip_bootstrap: ansible_test is not importable by %s' % sys.executable)
    source = os.path.join(next(iter(spec.submodule_search_locations)), '_internal', 'python_requirements.py')
    with open(source, encoding='utf-8') as handle:
        found = re.search(r"default_packages = dict\((.*?)\)", handle.read(), re.DOTALL)
    packages = dict(re.findall(r"\b([a-z]+)='([0-9][0-9.]*)'", found.group(1))) if found else {}
    if 'pip' not in packages:
        raise SystemExit('pip_bootstrap: cannot find the pinned pip version in %s' % source)
    return packages


def main() -> int:
    packages = ansible_test_venv_packages()
    version = packages['pip']
    os.makedirs(CACHE, exist_ok=True)
    script = os.path.join(CACHE, 'get_pip_%s.py' % version.replace('.', '_'))
    # A real get-pip script someone placed there by hand works too; only replace our own.
    if os.path.exists(script):
        with open(script, encoding='utf-8') as handle:
            ours = MARKER in handle.read()
    else:
        ours = True
    if ours:
        # Atomically: the leg jobs and the gates run this at the same time, while another ansible-test may read it.
        partial = '%s.%d.tmp' % (script, os.getpid())
        shutil.copyfile(STANDIN, partial)
        os.replace(partial, script)
    missing = ['%s==%s' % (name, pin) for name, pin in sorted(packages.items())
               if not glob.glob(os.path.join(CACHE, '%s-%s-*.whl' % (name, pin)))]
    if missing:
        subprocess.run([sys.executable, '-m', 'pip', 'download', '-q', '--disable-pip-version-check', '--no-deps',
                        '--only-binary=:all:', '-d', CACHE] + missing, check=True)
    print('pip bootstrap for ansible-test: pip %s (%s)' % (version, script if ours else 'existing script kept'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
