#!/usr/bin/env bash
# `ansible-test integration` over tests/integration/targets: every target starts its own emulator
# (tests/integration/targets/setup_insight_emulator/with_emulator.py) and stops it at the end, also on failure.
#
#   ci/integration.sh COPY [TARGET ...]   in the gates' tree copy (the `integration` gate passes it)
#   ci/integration.sh                     by hand: the same through `ci/gates.sh integration`
#
# --venv: ansible-test's own virtual environment with tests/integration/requirements.txt (requests), which needs
# the pip stand-in that the gates' prepare step puts into ansible-test's cache (ci/README.md).
set -euo pipefail

if [[ $# -eq 0 ]]; then
    exec "$(dirname "$0")/gates.sh" integration
fi
copy=$1
shift
if ! compgen -G "$copy/tests/integration/targets/*/runme.sh" >/dev/null; then
    echo "skipped: no integration targets in $copy/tests/integration/targets"
    exit 0
fi
cd "$copy"
ansible-test integration --venv --python 3.11 --color no "$@"
