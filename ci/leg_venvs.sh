#!/usr/bin/env bash
# Setup that is mostly pip (downloads, unpacking), started in the background so that it overlaps `make venv` and the
# functional suite instead of waiting in front of the gates (ci/README.md, "Legs"):
#   - .venv-newest and .venv-floor (ci/core_leg.sh LEG --venv-only), at the same time;
#   - then, per leg and for the main .venv, ansible-test's own sanity environments (`sanity --prime-venvs`, which
#     only installs; a no-op when ~/.ansible/test already holds them), in a private copy of the tree.
# Every job runs under `nice -n 19`: on a busy core it only gets what the foreground leaves.
#   ci/leg_venvs.sh start    start the jobs and return
#   ci/leg_venvs.sh wait [JOB ...]   wait for them (or only the named ones: newest, floor, main_venv); print the log
#                                    of a failed one and exit non-zero
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
STATE=$ROOT/.build/leg-venvs
PRIME=$ROOT/.build/prime/ansible_collections/xpress/insight

# shellcheck source=ci/copy_tree.sh
. "$ROOT/ci/copy_tree.sh"

# ansible-test sanity's environments for one Python of one venv (priming only installs; it checks nothing).
prime() {
    local venv=$1 python=$2
    "$venv/bin/python" ci/pip_bootstrap.py
    (cd "$PRIME" && PATH=$venv/bin:$PATH ansible-test sanity --prime-venvs --venv --python "$python" --color no)
}

leg() {
    local name=$1
    ci/core_leg.sh "$name" --venv-only
    local python
    python=$(".venv-$name/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || return 0
    prime "$ROOT/.venv-$name" "$python"
}

main_venv() {
    # make venv runs in the foreground meanwhile (a fresh clone creates .venv there): wait until it is current.
    local waited=0
    until make -s -q venv 2>/dev/null; do
        sleep 3
        waited=$((waited + 3))
        if [[ $waited -ge 900 ]]; then
            echo ".venv did not become current within 15 minutes"
            return 1
        fi
    done
    prime "$ROOT/.venv" 3.11
}

start() {
    rm -rf "$STATE"
    mkdir -p "$STATE"
    # The same file set as ci/gates.sh's prepare, in a copy of its own.
    rm -rf "$ROOT/.build/prime"
    copy_tree "$PRIME"
    local job
    for job in "leg newest" "leg floor" main_venv; do
        local name=${job##* }
        # Backgrounded with their output in files, so make does not wait for them, and they outlive the recipe line
        # that started them. Not setsid: a session of its own is an autogroup of its own, which the kernel gives an
        # equal share of the CPU whatever its nice value.
        nice -n 19 bash -c "cd '$ROOT' && source ci/leg_venvs.sh --functions && $job; echo \$? >'$STATE/$name.rc'" \
            >"$STATE/$name.log" 2>&1 </dev/null &
        echo "$!" >"$STATE/$name.pid"
    done
    echo "leg venvs: started in the background (logs in $STATE)"
}

wait_all() {
    [[ -d $STATE ]] || { echo "leg venvs: nothing started"; return 0; }
    local failed=0 pidfile name
    local pidfiles=("$STATE"/*.pid)
    if [[ $# -gt 0 ]]; then
        pidfiles=()
        for name in "$@"; do pidfiles+=("$STATE/$name.pid"); done
    fi
    for pidfile in "${pidfiles[@]}"; do
        name=$(basename "$pidfile" .pid)
        [[ -f $pidfile ]] || { echo "leg venvs: no job $name was started"; failed=1; continue; }
        while [[ ! -f $STATE/$name.rc ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; do
            sleep 1
        done
        if [[ "$(cat "$STATE/$name.rc" 2>/dev/null)" != 0 ]]; then
            echo "leg venvs: $name FAILED; its log:"
            cat "$STATE/$name.log"
            failed=1
        fi
    done
    [[ $failed == 0 ]] && echo "leg venvs: ready${*:+: $*}"
    return $failed
}

case ${1:-} in
    start) start ;;
    wait) shift; wait_all "$@" ;;
    --functions) ;;  # sourced by the background jobs
    *) echo "usage: ci/leg_venvs.sh start|wait" >&2; exit 2 ;;
esac
