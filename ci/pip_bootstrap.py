# Copyright: xpress.insight maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Put the offline pip bootstrap into ansible-test's cache (see ci/README.md).

Run it with the Python of the environment whose ansible-test will be used:
    .venv/bin/python ci/pip_bootstrap.py
It finds the pip version that ansible-test pins for its virtual environments, downloads that
pip wheel from the package index with `pip download --no-deps`, and writes ci/get_pip_standin.py
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


def ansible_test_pip_version() -> str:
    spec = importlib.util.find_spec('ansible_test')
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit('pip_bootstrap: ansible_test is not importable by %s' % sys.executable)
    source = os.path.join(next(iter(spec.submodule_search_locations)), '_internal', 'python_requirements.py')
    with open(source, encoding='utf-8') as handle:
        found = re.search(r"\bpip='([0-9][0-9.]*)'", handle.read())
    if not found:
        raise SystemExit('pip_bootstrap: cannot find the pinned pip version in %s' % source)
    return found.group(1)


def main() -> int:
    version = ansible_test_pip_version()
    os.makedirs(CACHE, exist_ok=True)
    script = os.path.join(CACHE, 'get_pip_%s.py' % version.replace('.', '_'))
    # A real get-pip script someone placed there by hand works too; only replace our own.
    if os.path.exists(script):
        with open(script, encoding='utf-8') as handle:
            ours = MARKER in handle.read()
    else:
        ours = True
    if ours:
        shutil.copyfile(STANDIN, script)
    if not glob.glob(os.path.join(CACHE, 'pip-%s-*.whl' % version)):
        subprocess.run([sys.executable, '-m', 'pip', 'download', '-q', '--disable-pip-version-check', '--no-deps',
                        '--only-binary=:all:', '-d', CACHE, 'pip==%s' % version], check=True)
    print('pip bootstrap for ansible-test: pip %s (%s)' % (version, script if ours else 'existing script kept'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
