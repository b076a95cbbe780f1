#!/usr/bin/env bash
# `make demo`: start the emulator with the demo data, run the example playbooks against it, stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
py=${PY:-$root/.venv/bin/python}
work=$(mktemp -d)
emulator_pid=
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

PYTHONPATH="$root/tests" "$py" -m insight_emulator --port 0 --data demo --clock-speed 1 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 100); do grep -q '^user: ' "$work/emulator.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^url: //p' "$work/emulator.out")
read -r _ _ _ client_id secret < <(grep -m1 '^user: .* full ' "$work/emulator.out")
if [ -z "$url" ] || [ -z "${client_id:-}" ]; then
  echo "the emulator did not start:" >&2; cat "$work/emulator.err" >&2; exit 1
fi
echo "Insight emulator at $url (demo data, user with client id $client_id)"

mkdir -p "$work/collections/ansible_collections/xpress"
ln -s "$root" "$work/collections/ansible_collections/xpress/insight"
export ANSIBLE_COLLECTIONS_PATH="$work/collections" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_PYTHON_INTERPRETER="$py" ANSIBLE_NOCOLOR=1 ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_CALLBACK_RESULT_FORMAT=yaml
export INSIGHT_URL="$url" INSIGHT_CLIENT_ID="$client_id" INSIGHT_SECRET="$secret"
unset INSIGHT_TOKEN INSIGHT_AUTH_URL || true

# The use-case playbooks, in the order a new user would try them; those not yet written are skipped.
# The demo data's queued jobs are minutes old, so the nightly clean-up is shown with a 150 s window instead of 6 h.
# run_scenario.yml reruns Week 1, whose only job the ops runbook has just cancelled (a new job runs about 8 s).
declare -A extra=([nightly_cleanup.yml]="-e cleanup_older_than=150s")
for playbook in job_report.yml provision_folders.yml nightly_cleanup.yml ops_runbook.yml run_scenario.yml; do
  [ -f "playbooks/$playbook" ] || continue
  echo
  echo "=== ansible-playbook playbooks/$playbook ${extra[$playbook]:-}"
  # The action plugins log the path each task took (in-process on the controller, or a module run) at verbosity 3;
  # the log file keeps those lines without making the demo's own output verbose.
  : >"$work/ansible.log"
  # shellcheck disable=SC2086 # the extra arguments are meant to split
  ANSIBLE_LOG_PATH="$work/ansible.log" ANSIBLE_LOG_VERBOSITY=3 \
    "$(dirname "$py")/ansible-playbook" -i localhost, "playbooks/$playbook" ${extra[$playbook]:-}
  echo "--- execution path of the xpress.insight tasks (insight_execution, docs/performance.md):"
  grep -o 'xpress\.insight\.insight_[a-z_]*: [^|]*([^)]*)' "$work/ansible.log" | sort | uniq -c || echo "   (no xpress.insight task ran)"
done

# The Event-Driven Ansible source: every unfinished job once (emit_existing), then what changes while the emulator's
# job clock runs 120 times faster for a few seconds (ansible-rulebook itself needs Java; this shows the events alone).
echo
echo "=== event source xpress.insight.insight_jobs (emit_existing, queued_for 4m, job clock x120, 8 s)"
PYTHONPATH="$root/tests" "$py" -c 'import sys; from insight_emulator.control import Control; Control(sys.argv[1]).clock("speed", speed=120)' "$url" >/dev/null
"$py" ci/demo_events.py "$work/collections" 8
