#!/usr/bin/env bash
# The newest leg: the newest ansible-core (ci/requirements-newest.txt) on the newest Python 3.12+ that this machine
# has, in .venv-newest. Runs ansible-test sanity, build, install, ansible-doc of every plugin and the functional
# plugin tests with that ansible. Without a Python 3.12 or newer it prints why it skipped (and writes that to
# $GATE_SKIP_FILE when ci/gates.sh set it) and succeeds.
#   ci/newest_leg.sh COLLECTION_COPY     (the ansible_collections/xpress/insight copy that ci/gates.sh prepared)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COPY=$1
VENV=$ROOT/.venv-newest
OUT=$ROOT/.build/newest

# Newest CPython 3.12+: pyenv's versions first, then pythonX.Y on PATH.
find_python() {
    local candidates=() version
    if command -v pyenv >/dev/null 2>&1; then
        while read -r version; do
            candidates+=("$(pyenv root)/versions/$version/bin/python")
        done < <(pyenv versions --bare 2>/dev/null | grep -E '^3\.[0-9]+(\.[0-9]+)?$' | sort -V -r)
    fi
    for version in 3.14 3.13 3.12; do
        candidates+=("$(command -v "python$version" || true)")
    done
    local python
    for python in "${candidates[@]}"; do
        [[ -n $python && -x $python ]] || continue
        if "$python" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
            echo "$python"
            return 0
        fi
    done
    return 1
}

if ! PYTHON=$(find_python); then
    reason="no Python 3.12 or newer here (ansible-core 2.20+ needs one): none in pyenv versions or on PATH"
    echo "skipped: $reason"
    if [[ -n ${GATE_SKIP_FILE:-} ]]; then echo "$reason" >"$GATE_SKIP_FILE"; fi
    exit 0
fi
PYVER=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')

# The newest ansible-core plus the functional tests' own packages at the pins of requirements-dev.txt.
requirements=$(grep -v -E '^\s*(#|$)' ci/requirements-newest.txt
    grep -E '^(requests|urllib3|PyYAML|trustme|pytest|pytest-xdist)==' requirements-dev.txt)
wanted="python $PYVER ($PYTHON)
$requirements"
if [[ ! -x $VENV/bin/python || "$(cat "$VENV/.installed" 2>/dev/null)" != "$wanted" ]]; then
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r <(echo "$requirements")
    echo "$wanted" >"$VENV/.installed"
fi
export PATH=$VENV/bin:$PATH
echo "newest leg: ansible-core $("$VENV/bin/python" -c "from ansible.release import __version__; print(__version__)") on Python $PYVER"

"$VENV/bin/python" ci/pip_bootstrap.py
(cd "$COPY" && ansible-test sanity --venv --python "$PYVER" --color no)

rm -rf "$OUT"
mkdir -p "$OUT/dist" "$OUT/install"
(cd "$COPY" && ansible-galaxy collection build --output-path "$OUT/dist")
tarball=$(echo "$OUT"/dist/xpress-insight-*.tar.gz)
ANSIBLE_COLLECTIONS_PATH=$OUT/install ansible-galaxy collection install --offline -p "$OUT/install" "$tarball"
ANSIBLE_COLLECTIONS_PATH=$OUT/install ci/ansible_doc_all.sh "$tarball"

if [[ ${NEWEST_FUNCTIONAL:-1} == 0 ]]; then
    echo "functional plugin tests skipped (NEWEST_FUNCTIONAL=0)"
elif [[ -d tests/functional/plugins ]]; then
    # The fixtures run the ansible-playbook/ansible-inventory next to the Python that runs pytest.
    PYTHONPATH=$ROOT/tests "$VENV/bin/python" -m pytest tests/functional/plugins -q -n 2 -p no:cacheprovider
else
    echo "functional plugin tests skipped: tests/functional/plugins does not exist yet"
fi
