#!/usr/bin/env bash
# One ansible-core leg besides the main .venv (ci/README.md, "Legs"): the ansible-core that ci/requirements-<leg>.txt
# pins, in .venv-<leg>, on the Python the leg names. Runs ansible-test sanity and units, installs the tarball that the
# build gate made (the same artifact every gate checks), ansible-doc of every plugin, and the functional tests marked
# `subset` (tests/functional/selection.py: every plugin and the client). Without a fitting Python it prints why it
# skipped (and writes that to $GATE_SKIP_FILE when ci/gates.sh set it) and succeeds.
#   ci/core_leg.sh LEG COLLECTION_COPY TARBALL [PART]   LEG: newest (newest Python 3.12+) or floor (2.16, Python
#                                                       3.11); PART: checks (sanity, units, install, ansible-doc),
#                                                       functional (the subset), or both (the default)
#   ci/core_leg.sh LEG --venv-only                  only create or refresh .venv-<leg> (make runs it early)
#   LEG_FUNCTIONAL=0 ...                            without the functional subset
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LEG=$1
shift
VENV=$ROOT/.venv-$LEG
OUT=$ROOT/.build/leg-$LEG
REQUIREMENTS=ci/requirements-$LEG.txt

# Newest CPython at or above a floor (and below a ceiling): pyenv's versions first, then pythonX.Y on PATH.
find_python() {
    local lowest=$1 above=$2 candidates=() version
    if command -v pyenv >/dev/null 2>&1; then
        while read -r version; do
            candidates+=("$(pyenv root)/versions/$version/bin/python")
        done < <(pyenv versions --bare 2>/dev/null | grep -E '^3\.[0-9]+(\.[0-9]+)?$' | sort -V -r)
    fi
    for version in 3.14 3.13 3.12 3.11; do
        candidates+=("$(command -v "python$version" || true)")
    done
    local python
    for python in "${candidates[@]}"; do
        [[ -n $python && -x $python ]] || continue
        if "$python" -c "import sys, venv; sys.exit(0 if $lowest <= sys.version_info[:2] < $above else 1)" 2>/dev/null
        then
            echo "$python"
            return 0
        fi
    done
    return 1
}

case $LEG in
    # ansible-core 2.20+ needs Python 3.12+.
    newest) lowest="(3, 12)" above="(4, 0)" need='Python 3.12 or newer (ansible-core 2.20+ needs one)' ;;
    # ansible-core 2.16's controller runs on 3.10-3.12; 3.11 is what the main leg uses too.
    floor) lowest="(3, 11)" above="(3, 12)" need='Python 3.11 (for ansible-core 2.16)' ;;
    *) echo "unknown leg: $LEG (known: newest, floor)" >&2; exit 2 ;;
esac

if ! PYTHON=$(find_python "$lowest" "$above"); then
    reason="no $need here: none in pyenv versions or on PATH"
    echo "skipped: $reason"
    if [[ -n ${GATE_SKIP_FILE:-} ]]; then echo "$reason" >"$GATE_SKIP_FILE"; fi
    exit 0
fi
PYVER=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')

# The leg's ansible-core plus the functional tests' own packages at the pins of requirements-dev.txt.
requirements=$(grep -v -E '^\s*(#|$)' "$REQUIREMENTS"
    grep -E '^(requests|urllib3|PyYAML|trustme|pytest|pytest-xdist)==' requirements-dev.txt)
wanted="python $PYVER ($PYTHON)
$requirements"
if [[ ! -x $VENV/bin/python || "$(cat "$VENV/.installed" 2>/dev/null)" != "$wanted" ]]; then
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r <(echo "$requirements")
    echo "$wanted" >"$VENV/.installed"
fi
"$VENV/bin/python" ci/pip_bootstrap.py
if [[ ${1:-} == --venv-only ]]; then
    exit 0
fi
COPY=$1
TARBALL=$2
PART=${3:-both}
case $PART in
    checks | functional | both) ;;
    *) echo "unknown part: $PART (known: checks, functional, both)" >&2; exit 2 ;;
esac
export PATH=$VENV/bin:$PATH
echo "$LEG leg ($PART): ansible-core $("$VENV/bin/python" -c "from ansible.release import __version__; print(__version__)") on Python $PYVER"

if [[ $PART != functional ]]; then
    (cd "$COPY" && ansible-test sanity --venv --python "$PYVER" --color no)
    if find "$COPY/tests/unit" -name 'test_*.py' -print -quit 2>/dev/null | grep -q .; then
        (cd "$COPY" && ansible-test units --venv --python "$PYVER" --color no)
    fi

    # The build gate's tarball, installed and documented by this leg's ansible-galaxy and ansible-doc.
    rm -rf "$OUT"
    mkdir -p "$OUT/install"
    ANSIBLE_COLLECTIONS_PATH=$OUT/install ansible-galaxy collection install --offline -p "$OUT/install" "$TARBALL"
    ANSIBLE_COLLECTIONS_PATH=$OUT/install ci/ansible_doc_all.sh "$TARBALL"
fi

if [[ $PART == checks ]]; then
    exit 0
elif [[ ${LEG_FUNCTIONAL:-${NEWEST_FUNCTIONAL:-1}} == 0 ]]; then
    echo "functional subset skipped (LEG_FUNCTIONAL=0)"
else
    # The fixtures run the ansible-playbook/ansible-inventory next to the Python that runs pytest.
    PYTHONPATH=$ROOT/tests "$VENV/bin/python" -m pytest tests/functional -m subset -q -n 2 --dist worksteal -p no:cacheprovider -rs
fi
