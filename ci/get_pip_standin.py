# Copyright: xpress.insight maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the get-pip script that `ansible-test --venv` downloads.

ansible-test runs its cached `get_pip_<version>.py` to put pip into each fresh virtual
environment. The machines that run our gates cannot reach the host it downloads that script
from, so ci/pip_bootstrap.py copies this file into the cache under that name, next to the
pip wheel fetched from the package index. Run with the bootstrap's pip arguments, it installs
pip from that wheel without touching the network.
"""
from __future__ import annotations

import glob
import os
import sys

# get-pip options that `pip install` itself does not know; the venv gets no setuptools/wheel anyway.
_GET_PIP_ONLY = ('--no-setuptools', '--no-wheel')


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    wheels = sorted(glob.glob(os.path.join(here, 'pip-*-py3-none-any.whl')))
    if not wheels:
        sys.stderr.write('pip stand-in: no pip wheel in %s; run ci/pip_bootstrap.py\n' % here)
        return 1
    args = [arg for arg in sys.argv[1:] if arg not in _GET_PIP_ONLY]
    # Any pip wheel can run the install; the requested pip==<version> is picked from the folder.
    sys.path.insert(0, wheels[-1])
    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel

    return pip_main(['install', '--no-index', '--find-links', here] + args)


if __name__ == '__main__':
    sys.exit(main())
