#!/usr/bin/env bash
# The Ansible ecosystem gates behind `make test` (ci/README.md explains each one and the offline setup).
#
#   ci/gates.sh                 every gate, in order
#   ci/gates.sh sanity build    only the named gates (the tree copy is always prepared first)
#   GATES_KEEP_GOING=1 ci/gates.sh   run every gate even after one failed; exit non-zero at the end
#
# Gates discover the plugins that exist when they run; nothing here names a module.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
CI=$ROOT/ci
# shellcheck source=ci/copy_tree.sh
. "$CI/copy_tree.sh"
VENV=$ROOT/.venv
BUILD=$ROOT/.build
# ansible-test insists on a real path ending in ansible_collections/<namespace>/<name>.
COLLECTIONS=$BUILD/collections
COPY=$COLLECTIONS/ansible_collections/xpress/insight
DIST=$BUILD/dist
INSTALL=$BUILD/install
# The sanity, docs and build gates must not pick up collections from the user's own paths.
export ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS
export ANSIBLE_NOCOLOR=1
# Bytecode outside the tree (as under make): the legs' functional subsets import the collection in every run.
export PYTHONPYCACHEPREFIX=$BUILD/pycache
unset PYTHONDONTWRITEBYTECODE
unset PYTHONPATH

# One gate per line (branches add theirs as one line); each runs the function gate_<name, - as _>.
# Under `make test` the gates run beside the functional suite while ci/leg_venvs.sh is still installing the other
# legs' and ansible-test's environments, so the gates that need those come last and wait for their own job first.
ALL_GATES=(
    ruff
    mypy
    ansible-lint
    changelog-lint
    docs-lint
    build
    importer
    docs-site
    ee
    de
    runner
    sanity
    units
    newest
    floor
    integration
    newest-functional
    floor-functional
)
# Gates that work on the tarball of this tree: the build gate runs first when only they were asked for.
TARBALL_GATES=(importer docs-site runner newest floor newest-functional floor-functional)

mkdir -p "$BUILD"
# A no-op when .venv is current with requirements-dev.txt (as under `make test`).
make -s venv
export PATH=$VENV/bin:$PATH

# ---------------------------------------------------------------------------------------------------------------
# timing and the summary table

GATE_NAMES=()
GATE_SECONDS=()
GATE_CPU=()
GATE_RESULTS=()
FAILED_GATES=()
CURRENT_GATE=''
CURRENT_START=0
CURRENT_CPU=0
TICKS=$(getconf CLK_TCK)

# CPU seconds (user+sys, in ticks) of every child this shell has waited for: a gate's tools included.
cpu_ticks() {
    local stat
    read -r stat </proc/$$/stat
    # shellcheck disable=SC2086  # the fields after "pid (comm) "; cutime and cstime are the 14th and 15th of them
    set -- ${stat##*) }
    echo $((${14} + ${15}))
}

gate_cpu() {
    local ticks=$(($(cpu_ticks) - CURRENT_CPU))
    printf '%d.%d' $((ticks / TICKS)) $((ticks * 10 / TICKS % 10))
}

summary() {
    local rc=$?
    if [[ -n $CURRENT_GATE ]]; then
        GATE_NAMES+=("$CURRENT_GATE")
        GATE_SECONDS+=($(($(date +%s) - CURRENT_START)))
        GATE_CPU+=("$(gate_cpu)")
        GATE_RESULTS+=(FAILED)
    fi
    echo
    echo "== gate summary"
    # cpu: user+sys seconds of the gate's processes; on a busy machine the wall seconds grow, these barely do.
    printf '%-16s %8s %8s  %s\n' gate seconds cpu result
    local i total=0
    for i in "${!GATE_NAMES[@]}"; do
        printf '%-16s %8s %8s  %s\n' "${GATE_NAMES[$i]}" "${GATE_SECONDS[$i]}" "${GATE_CPU[$i]}" "${GATE_RESULTS[$i]}"
        total=$((total + GATE_SECONDS[i]))
    done
    printf '%-16s %8s %8s\n' total "$total" "$(printf '%s\n' "${GATE_CPU[@]}" | awk '{ s += $1 } END { printf "%.1f", s }')"
    if [[ $rc -ne 0 ]]; then
        echo "gates FAILED${CURRENT_GATE:+ in gate: $CURRENT_GATE}${FAILED_GATES[*]:+ in: ${FAILED_GATES[*]}}"
    else
        echo "all gates passed"
    fi
}
trap summary EXIT

skip() {
    echo "skipped: $*"
    echo "$*" >"$GATE_SKIP_FILE"
}

run_gate() {
    local name=$1
    shift
    echo
    echo "== gate: $name"
    CURRENT_GATE=$name
    CURRENT_START=$(date +%s)
    CURRENT_CPU=$(cpu_ticks)
    # A gate that cannot run yet writes its reason to $GATE_SKIP_FILE and succeeds (tools' own exit codes stay
    # failures). It runs in a subshell outside any `||` so that set -e stays in force inside it.
    export GATE_SKIP_FILE=$BUILD/.gate-skipped
    rm -f "$GATE_SKIP_FILE"
    local rc=0
    set +e
    (set -e; "$@")
    rc=$?
    set -e
    if [[ $rc -ne 0 ]]; then
        if [[ ${GATES_KEEP_GOING:-0} == 1 && $name != prepare ]]; then
            GATE_NAMES+=("$name")
            GATE_SECONDS+=($(($(date +%s) - CURRENT_START)))
            GATE_CPU+=("$(gate_cpu)")
            GATE_RESULTS+=("FAILED (exit $rc)")
            FAILED_GATES+=("$name")
            CURRENT_GATE=''
            return 0
        fi
        exit "$rc"
    fi
    local result=passed
    if [[ -s $GATE_SKIP_FILE ]]; then
        result="skipped: $(head -1 "$GATE_SKIP_FILE")"
    fi
    GATE_NAMES+=("$name")
    GATE_SECONDS+=($(($(date +%s) - CURRENT_START)))
    GATE_CPU+=("$(gate_cpu)")
    GATE_RESULTS+=("$result")
    CURRENT_GATE=''
}

# ---------------------------------------------------------------------------------------------------------------
# shared steps

prepare_copy() {
    rm -rf "$COLLECTIONS"
    copy_tree "$COPY"
    "$VENV/bin/python" "$CI/pip_bootstrap.py"
    echo "copied $(git -C "$COPY" ls-files --others --exclude-standard | wc -l) files to $COPY"
}

# ---------------------------------------------------------------------------------------------------------------
# gates

gate_ruff() {
    # Lint only (ruff.toml): the tree is never reformatted by a gate.
    (cd "$COPY" && ruff check --no-cache --output-format concise .)
}

gate_mypy() {
    # From the collections root, so `ansible_collections.xpress.insight.plugins...` imports resolve (.mypy.ini).
    (cd "$COLLECTIONS" && mypy --config-file "$COPY/.mypy.ini" --cache-dir "$BUILD/mypy-cache" \
        ansible_collections/xpress/insight/plugins ansible_collections/xpress/insight/extensions)
}

# The background job of ci/leg_venvs.sh that installs what a gate needs (a no-op when nothing was started).
wait_for_venvs() {
    "$CI/leg_venvs.sh" wait "$@"
}

# Under `make test` (ci/make_test.sh) the gates run niced beside the functional suite: the gates that run modules
# against an emulator under time limits wait until the suite has ended and left them the cores.
wait_for_functional() {
    [[ -n ${FUNCTIONAL_DONE:-} ]] || return 0
    local waited=0
    while [[ ! -e $FUNCTIONAL_DONE ]]; do
        sleep 2
        waited=$((waited + 2))
    done
    [[ $waited == 0 ]] || echo "waited ${waited}s for the functional suite to end"
}

gate_sanity() {
    wait_for_venvs main_venv
    (cd "$COPY" && ansible-test sanity --venv --python 3.11 --color no)
    if compgen -G "$COPY/tests/sanity/ignore-*.txt" >/dev/null; then
        echo "tests/sanity/ignore-*.txt is not allowed: fix the code instead"
        return 1
    fi
}

gate_units() {
    if ! find "$COPY/tests/unit" -name 'test_*.py' -print -quit 2>/dev/null | grep -q .; then
        skip "tests/unit has no test_*.py files"
        return 0
    fi
    wait_for_venvs main_venv
    (cd "$COPY" && ansible-test units --venv --python 3.11 --color no)
}

gate_integration() {
    wait_for_functional
    "$CI/integration.sh" "$COPY"
}

gate_ansible_lint() {
    # Run in the copy: it is its own git repository, and the collection resolves through ANSIBLE_COLLECTIONS_PATH.
    (cd "$COPY" && ansible-lint --profile production --offline --nocolor)
}

gate_changelog_lint() {
    (cd "$COPY" && antsibull-changelog lint)
    # In the checkout, not the copy: it compares with the git history since the last release.
    python "$CI/check_fragments.py" "$ROOT"
}

gate_docs_lint() {
    (cd "$COPY" && antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs all .)
}

gate_build() {
    python "$CI/check_versions.py" "$COPY"
    rm -rf "$DIST" "$INSTALL"
    mkdir -p "$DIST" "$INSTALL"
    (cd "$COPY" && ansible-galaxy collection build --output-path "$DIST")
    local tarball
    tarball=$(tarball_path)
    ANSIBLE_COLLECTIONS_PATH=$INSTALL ansible-galaxy collection install --offline -p "$INSTALL" "$tarball"
    "$VENV/bin/python" "$CI/check_tarball.py" "$tarball" "$COPY"
    ANSIBLE_COLLECTIONS_PATH=$INSTALL "$CI/ansible_doc_all.sh" "$tarball"
}

tarball_path() {
    local found=("$DIST"/xpress-insight-*.tar.gz)
    if [[ ${#found[@]} -ne 1 || ! -f ${found[0]} ]]; then
        echo "expected exactly one collection tarball in $DIST (run the build gate first)" >&2
        return 1
    fi
    echo "${found[0]}"
}

gate_importer() {
    local tarball out=$BUILD/importer
    tarball=$(tarball_path)
    rm -rf "$out"
    mkdir -p "$out"
    (cd "$out" && GALAXY_IMPORTER_CONFIG=$CI/importer.cfg python -m galaxy_importer.main "$tarball") 2>&1 \
        | tee "$out/output.txt"
    if grep -E '^(WARNING|ERROR)' "$out/output.txt"; then
        echo "galaxy-importer reported the WARNING/ERROR lines above"
        return 1
    fi
}

gate_docs_site() {
    ANSIBLE_COLLECTIONS_PATH=$INSTALL "$CI/docs_build.sh" "$BUILD/docs"
}

gate_ee() {
    local context=$BUILD/ee definition=$COPY/execution-environment.yml
    rm -rf "$context"
    # dependencies.python is relative to the collection root (where ansible-builder's introspection looks for it in
    # an installed collection); ansible-builder create resolves it next to the definition file, so put a copy there.
    cp "$COPY/meta/execution-environment.yml" "$definition"
    ansible-builder create --file "$definition" --context "$context" --output-filename Containerfile -v 1
    rm -f "$definition"
    test -s "$context/Containerfile"
    # The collection's Python requirements must reach the image build.
    if ! grep -rqs '^requests' "$context/_build"; then
        echo "requests is missing from the generated context's Python requirements"
        return 1
    fi
    # The same file must work when another execution environment includes this collection.
    ansible-builder introspect "$COLLECTIONS" | tee "$BUILD/ee-introspect.txt"
    if ! grep -q 'requests.*from collection xpress.insight' "$BUILD/ee-introspect.txt"; then
        echo "ansible-builder introspect does not see the collection's Python requirements"
        return 1
    fi
    echo "execution environment context in $context (building the image needs a container engine)"
}

gate_de() {
    local context=$BUILD/de
    rm -rf "$context"
    ansible-builder create --file "$COPY/meta/decision-environment.yml" --context "$context" \
        --output-filename Containerfile -v 1
    # What makes it a decision environment for this collection: ansible-rulebook, Java, and xpress.insight.
    local missing=()
    grep -qs '^ansible-rulebook' "$context/_build/requirements.txt" || missing+=('ansible-rulebook (Python)')
    grep -qs '^java-.*openjdk' "$context/_build/bindep.txt" || missing+=('a Java runtime (system)')
    grep -qs 'name: xpress.insight' "$context/_build/requirements.yml" || missing+=('the collection xpress.insight')
    grep -qs '^ENV JAVA_HOME=' "$context/Containerfile" || missing+=('JAVA_HOME')
    if [[ ${#missing[@]} -gt 0 ]]; then
        echo "the decision environment's build context lacks: ${missing[*]}"
        return 1
    fi
    echo "decision environment context in $context (building the image needs a container engine)"
}

gate_runner() {
    python "$CI/runner_check.py" "$(tarball_path)" "$BUILD/runner"
}

# The other ansible-core legs (ci/core_leg.sh): sanity, units, the build gate's tarball installed and documented, and
# the functional subset, each with its own ansible-core.
gate_newest() {
    wait_for_venvs newest
    "$CI/core_leg.sh" newest "$COPY" "$(tarball_path)" checks
}

gate_floor() {
    wait_for_venvs floor
    "$CI/core_leg.sh" floor "$COPY" "$(tarball_path)" checks
}

gate_newest_functional() {
    wait_for_venvs newest
    wait_for_functional
    "$CI/core_leg.sh" newest "$COPY" "$(tarball_path)" functional
}

gate_floor_functional() {
    wait_for_venvs floor
    wait_for_functional
    "$CI/core_leg.sh" floor "$COPY" "$(tarball_path)" functional
}

# ---------------------------------------------------------------------------------------------------------------

selected=("$@")
if [[ ${#selected[@]} -eq 0 ]]; then
    selected=("${ALL_GATES[@]}")
fi
for name in "${selected[@]}"; do
    if [[ ! " ${ALL_GATES[*]} " == *" $name "* ]]; then
        echo "unknown gate: $name (known: ${ALL_GATES[*]})" >&2
        exit 2
    fi
done

run_gate prepare prepare_copy
needs_tarball=0
for name in "${selected[@]}"; do
    if [[ " ${TARBALL_GATES[*]} " == *" $name "* ]]; then needs_tarball=1; fi
done
if [[ $needs_tarball == 1 && ! " ${selected[*]} " == *" build "* ]]; then
    run_gate build gate_build
fi
for name in "${selected[@]}"; do
    run_gate "$name" "gate_${name//-/_}"
done
if [[ ${#FAILED_GATES[@]} -gt 0 ]]; then
    exit 1
fi
