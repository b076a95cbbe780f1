# Copyright: xpress.insight maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection the way AWX runs a project, with ansible-runner, against the emulator.

    python ci/runner_check.py TARBALL [PRIVATE_DATA_DIR]

Lays out an ansible-runner private data directory with `project/` (a copy of playbooks/) and the
collection installed from TARBALL into `project/collections/ansible_collections`, starts
`python -m insight_emulator --port 0 --data demo`, then through ansible-runner
  - runs playbooks/job_report.yml (connection options from INSIGHT_URL, INSIGHT_CLIENT_ID, INSIGHT_SECRET),
  - runs `ansible-inventory --list` on an insight_jobs.yml inventory source,
and asserts on the results against the emulator's own state. Process isolation (bubblewrap) is used when
`bwrap` works on this machine. While neither the playbook nor the inventory plugin exists yet it prints
why it skipped (and writes that to $GATE_SKIP_FILE when ci/gates.sh set it) and succeeds.
"""
from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import urllib.request
from typing import Any, Dict, Iterator, List, Tuple

import ansible_runner

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAYBOOK = 'playbooks/job_report.yml'
INVENTORY_PLUGIN = 'plugins/inventory/insight_jobs.py'


class Emulator:
    """`python -m insight_emulator` in the background, with the url and users it printed on start."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, 'tests'), PYTHONUNBUFFERED='1')
        self.proc = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, '-m', 'insight_emulator', '--port', '0', '--data', 'demo'],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue = queue.Queue()
        # Keep draining its output so a chatty server never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        self.url = ''
        self.users: List[Tuple[str, str, str, str]] = []
        try:
            self.url = self._line().split()[1]
            # One `user:` line per seeded user follows; the state API says how many to expect.
            expected = len(self.state()['users'])
            while len(self.users) < expected:
                words = self._line().split()
                if words and words[0] == 'user:' and len(words) == 5:
                    self.users.append((words[1], words[2], words[3], words[4]))
        except (IndexError, OSError, RuntimeError) as exc:
            self.stop()
            raise SystemExit('the emulator did not start: %s' % exc) from exc

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _line(self) -> str:
        line = self.lines.get(timeout=60)
        if line is None:
            raise RuntimeError('it exited with %s' % self.proc.wait())
        return line

    def state(self) -> Dict[str, Any]:
        with urllib.request.urlopen(self.url + '/_emulator/state', timeout=10) as answer:
            return json.loads(answer.read().decode('utf-8'))

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def bwrap_works() -> bool:
    if not shutil.which('bwrap'):
        return False
    probe = subprocess.run(['bwrap', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', 'true'],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return probe.returncode == 0


def lay_out(pdd: str, tarball: str) -> str:
    shutil.rmtree(pdd, ignore_errors=True)
    project = os.path.join(pdd, 'project')
    shutil.copytree(os.path.join(ROOT, 'playbooks'), os.path.join(project, 'playbooks'))
    # AWX installs a project's collections next to it; ansible-galaxy does the same here from the built tarball.
    subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-galaxy'), 'collection', 'install', '--offline',
                    '-p', os.path.join(project, 'collections'), tarball],
                   check=True, env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(project, 'collections')))
    os.makedirs(os.path.join(pdd, 'inventory'))
    with open(os.path.join(pdd, 'inventory', 'insight_jobs.yml'), 'w', encoding='utf-8') as handle:
        handle.write('plugin: xpress.insight.insight_jobs\n')
    return project


def runner_options(pdd: str, emulator: Emulator, isolate: bool) -> Dict[str, Any]:
    _username, _role, client_id, secret = next(u for u in emulator.users if u[1] == 'full')
    envvars = {
        'INSIGHT_URL': emulator.url,
        'INSIGHT_CLIENT_ID': client_id,
        'INSIGHT_SECRET': secret,
        'ANSIBLE_COLLECTIONS_PATH': os.path.join(pdd, 'project', 'collections'),
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
        'ANSIBLE_NOCOLOR': '1',
        # The venv's real path: inside the sandbox a symlinked path to it would not resolve.
        'PATH': os.path.join(os.path.realpath(sys.prefix), 'bin') + os.pathsep + os.environ.get('PATH', ''),
    }
    options: Dict[str, Any] = {'private_data_dir': pdd, 'envvars': envvars, 'quiet': True}
    if isolate:
        # The sandbox sees /usr, /etc, /opt and the private data dir; add the Pythons that run Ansible, and hide the
        # checkout so the run can only use what was installed into the project.
        options.update(process_isolation=True, process_isolation_executable='bwrap',
                       process_isolation_ro_paths=sorted({sys.prefix, sys.base_prefix}),
                       process_isolation_hide_paths=[ROOT])
    return options


def ok_results(runner: Any) -> Iterator[Dict[str, Any]]:
    for event in runner.events:
        if event.get('event') == 'runner_on_ok':
            yield event['event_data']


def check_playbook(pdd: str, emulator: Emulator, isolate: bool) -> List[str]:
    secret = next(u for u in emulator.users if u[1] == 'full')[3]
    runner = ansible_runner.run(playbook=PLAYBOOK, **runner_options(pdd, emulator, isolate))
    problems = []
    stdout = runner.stdout.read()
    print(stdout[-3000:])
    if runner.status != 'successful' or runner.rc != 0:
        problems.append('%s: status %s, rc %s' % (PLAYBOOK, runner.status, runner.rc))
    ours = [e for e in ok_results(runner) if str(e.get('resolved_action') or e.get('task_action', '')).startswith('xpress.insight.')]
    if not ours:
        problems.append('%s: no task of an xpress.insight module finished ok' % PLAYBOOK)
    job_ids = {job['id'] for job in emulator.state()['jobs']}
    for event in ours:
        jobs = event.get('res', {}).get('jobs')
        if isinstance(jobs, list) and not {job.get('id') for job in jobs} <= job_ids:
            problems.append('%s: task %r returned jobs the emulator does not have' % (PLAYBOOK, event.get('task')))
    if secret in stdout:
        problems.append('%s: the API secret appears in the output' % PLAYBOOK)
    print('playbook %s through ansible-runner: %s, %d xpress.insight task(s) ok' % (PLAYBOOK, runner.status, len(ours)))
    return problems


def check_inventory(pdd: str, emulator: Emulator, isolate: bool) -> List[str]:
    # get_inventory takes no sandbox paths; ansible-runner isolates inventory runs only in a container engine.
    options = runner_options(pdd, emulator, False)
    options.pop('quiet')
    out, err = ansible_runner.get_inventory(action='list', inventories=[os.path.join(pdd, 'inventory', 'insight_jobs.yml')],
                                            response_format='json', quiet=True, **options)
    if not isinstance(out, dict):
        return ['ansible-inventory --list through ansible-runner gave no JSON: %s %s' % (str(out)[-2000:], str(err)[-2000:])]
    hostvars = out.get('_meta', {}).get('hostvars', {})
    problems = []
    if not hostvars:
        problems.append('insight_jobs inventory: no hosts from the demo data (%s)' % json.dumps(out)[:500])
    job_ids = {job['id'] for job in emulator.state()['jobs']}
    text = json.dumps(hostvars)
    if hostvars and not any(job_id in text for job_id in job_ids):
        problems.append('insight_jobs inventory: no host carries the id of an emulator job')
    print('ansible-inventory through ansible-runner: %d hosts, groups %s' % (len(hostvars), sorted(k for k in out if k != '_meta')))
    return problems


def main(tarball: str, pdd: str) -> int:
    missing = [path for path in (PLAYBOOK, INVENTORY_PLUGIN) if not os.path.exists(os.path.join(ROOT, path))]
    if len(missing) == 2:
        reason = '%s and %s do not exist yet' % tuple(missing)
        print('skipped: ' + reason)
        if os.environ.get('GATE_SKIP_FILE'):
            with open(os.environ['GATE_SKIP_FILE'], 'w', encoding='utf-8') as handle:
                handle.write(reason + '\n')
        return 0
    lay_out(pdd, tarball)
    if os.path.realpath(sys.prefix) != os.path.abspath(sys.prefix):
        # ansible-runner points Ansible at its callback plugin through this path, which a sandbox cannot resolve.
        isolate, why = False, 'off (the virtual environment is reached through a symlink)'
    else:
        isolate = bwrap_works()
        why = 'bubblewrap' if isolate else 'off (bwrap is not installed or cannot create a sandbox here)'
    print('process isolation: ' + why)
    emulator = Emulator()
    problems: List[str] = []
    try:
        print('emulator at %s with %d users' % (emulator.url, len(emulator.users)))
        if PLAYBOOK in missing:
            print('playbook check skipped: %s does not exist yet' % PLAYBOOK)
        else:
            problems += check_playbook(pdd, emulator, isolate)
        if INVENTORY_PLUGIN in missing:
            print('inventory check skipped: %s does not exist yet' % INVENTORY_PLUGIN)
        else:
            problems += check_inventory(pdd, emulator, isolate)
    finally:
        emulator.stop()
    for problem in problems:
        print('FAILED: ' + problem)
    return 1 if problems else 0


def _main() -> int:
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    pdd = sys.argv[2] if len(sys.argv) == 3 else os.path.join(ROOT, '.build', 'runner')
    return main(os.path.abspath(sys.argv[1]), os.path.abspath(pdd))


if __name__ == '__main__':
    sys.exit(_main())
