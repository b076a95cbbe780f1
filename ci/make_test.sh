#!/usr/bin/env bash
# `make test`: the functional suite in the foreground, the gates beside it (ci/README.md, "Legs").
#
# Two cores are never both busy with one of them: the suite waits on the emulator's clock and on its own workers'
# tails, the gates are mostly one tool at a time. So the gates start as soon as .venv is ready, niced, in the
# background (their output goes to .build/gates.log and is printed at the end): they take what the suite leaves.
# The gates that run modules against an emulator under time limits (integration, the other legs' functional
# subsets) wait for the suite to end (ci/gates.sh, wait_for_functional). The secret-leak check reads what every
# run captured, the legs' subsets included, so it runs last.
set -uo pipefail
cd "$(dirname "$0")/.." || exit
ROOT=$PWD
BUILD=$ROOT/.build
LOG=$BUILD/gates.log
DONE=$BUILD/functional.done
START=$(date +%s)

ci/leg_venvs.sh start || exit
make -s venv || exit
mkdir -p "$BUILD"
rm -rf tests/output/captured "$DONE"

# Not in a session of its own (no setsid): with the kernel's autogroups every session gets an equal share of the
# CPU whatever its nice value, and the gates would take half of it from the suite. In this process group, Ctrl-C
# reaches them too.
FUNCTIONAL_DONE=$DONE nice -n 10 ci/gates.sh >"$LOG" 2>&1 </dev/null &
GATES=$!
trap 'kill "$GATES" 2>/dev/null; exit 143' TERM
echo "gates: started in the background at nice 10 (output in $LOG, printed when they end)"

functional=0
ci/ensure_java.sh || functional=$?
if [[ $functional == 0 ]]; then
    make test-functional-main || functional=$?
fi
if [[ $functional == 0 ]]; then
    make test-functional-module || functional=$?
fi
touch "$DONE"
echo "functional suite: $([[ $functional == 0 ]] && echo passed || echo FAILED) after $(($(date +%s) - START))s;" \
    "waiting for the gates"

gates=0
wait "$GATES" || gates=$?
echo
echo "== gates (from $LOG)"
cat "$LOG"

captured=0
make test-captured || captured=$?

echo
echo "make test: functional $([[ $functional == 0 ]] && echo passed || echo FAILED)," \
    "gates $([[ $gates == 0 ]] && echo passed || echo FAILED)," \
    "secret check $([[ $captured == 0 ]] && echo passed || echo FAILED), in $(($(date +%s) - START))s"
[[ $functional == 0 && $gates == 0 && $captured == 0 ]]
