"""What every benchmark row needs: timed child processes, the Ansible environment, emulator counters and CPU use.

A row is measured as whole processes (interpreter and Ansible start-up included) because that is what a user waits
for. The emulator runs in its own process; its CPU time per run is read from /proc so the report can show that it
was not what the clients waited for.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
WORKLOADS = BENCH / "workloads"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests"))
CHUNK = 1 << 20
KEEP = 64 * 1024

from insight_emulator.control import Control  # noqa: E402  pylint: disable=wrong-import-position


class RunFailed(RuntimeError):
    """A measured child process exited non-zero or did not do its work."""


class Sample:
    """One measured run: wall time, peak RSS (kB) of that child, emulator CPU seconds, server-side counters."""

    def __init__(self, seconds: float, rss_kb: int, server_cpu: Optional[float], counters: Dict[str, Any], out: str,
                 marks: int = 0, started: float = 0.0) -> None:
        self.marks = marks
        self.started = started  # wall clock (time.time) just before the child was started
        self.first_task: Optional[float] = None  # seconds from the start to the first task, where a check reads it
        self.seconds = seconds
        self.rss_kb = rss_kb
        self.server_cpu = server_cpu
        self.counters = counters
        self.out = out

    @property
    def requests(self) -> int:
        return int(self.counters.get("total", 0))

    @property
    def writes(self) -> int:
        return int(self.counters.get("writes", 0))


class Row:
    """A workload variant measured several times; the report uses medians."""

    def __init__(self, workload: str, variant: str, minimal: Optional[int] = None, work: Optional[int] = None) -> None:
        self.workload = workload
        self.variant = variant
        self.minimal = minimal
        self.work = work  # folders or jobs handled, so rows of one workload at two sizes give the work ratio
        self.samples: List[Sample] = []
        self.note = ""

    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    def last(self) -> Sample:
        return self.samples[-1]

    @property
    def number(self) -> str:
        return self.workload.split(" ", 1)[0]

    def first_task(self) -> Optional[float]:
        """Median time from the child's start to its first task, when the runs record it."""
        times = [s.first_task for s in self.samples if s.first_task is not None]
        return statistics.median(times) if times else None

    def peak_rss_mb(self) -> float:
        return max(s.rss_kb for s in self.samples) / 1024.0

    def server_share(self) -> Optional[float]:
        """Median share of the wall time the emulator spent on CPU: near 1.0 would make it the bottleneck."""
        shares = [s.server_cpu / s.seconds for s in self.samples if s.server_cpu is not None and s.seconds > 0]
        return statistics.median(shares) if shares else None


def cpu_seconds(pid: int) -> Optional[float]:
    """User + system CPU seconds of a process (Linux /proc); None elsewhere."""
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime and stime are fields 14 and 15 (1-based, whole line).
    return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))


def _scan(stream: Any, marker: Optional[bytes]) -> Tuple[str, int]:
    """The last KEEP bytes of an output file and how often `marker` occurs in it, read in chunks.

    Never the whole output at once: Linux starts a child's ru_maxrss at its parent's high-water mark, so a runner
    that once held a 10,000-host inventory in memory would report that much for every child started afterwards."""
    stream.seek(0)
    count = 0
    tail = b""
    overlap = len(marker) - 1 if marker else 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        window = tail[-overlap:] + chunk if overlap else chunk
        if marker:
            count += window.count(marker)
        tail = (tail + chunk)[-KEEP:]
    return tail.decode("utf-8", "replace"), count


def run_child(cmd: Sequence[str], env: Mapping[str, str], cwd: str, marker: Optional[bytes] = None) -> Dict[str, Any]:
    """Run one child to completion; wall time, its own peak RSS (os.wait4), the end of its output and how often
    `marker` occurs in the whole output."""
    with tempfile.TemporaryFile(dir=cwd) as out, tempfile.TemporaryFile(dir=cwd) as err:
        started = time.time()
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), env=dict(env), cwd=cwd, stdout=out, stderr=err)  # pylint: disable=consider-using-with
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout, marks = _scan(out, marker)
        err.seek(0)
        stderr = err.read()[-KEEP:].decode("utf-8", "replace")
    if proc.returncode:
        raise RunFailed("%s failed (%d):\n%s\n%s" % (" ".join(cmd), proc.returncode, stdout[-3000:], stderr[-3000:]))
    return {"seconds": elapsed, "rss_kb": usage.ru_maxrss, "out": stdout, "marks": marks, "started": started}


def no_calls(sample: "Sample") -> None:
    """The check of a row that must not talk to the server (Ansible alone, floor tasks, replayed inventories)."""
    if sample.requests:
        raise RunFailed("a run without Insight tasks made %d requests" % sample.requests)


class Bench:
    """The shared state of one bench run: the emulator, a work directory, the Ansible environment, repetitions."""

    def __init__(self, control: Control, server_pid: int, work: str, reps: int, warmup: int, log: Callable[[str], None]) -> None:
        self.control = control
        self.server_pid = server_pid
        self.work = work
        self.reps = reps
        self.warmup = warmup
        self.log = log
        # insight_execution for the collection's playbooks (None: the collection's default, auto).
        self.execution: Optional[str] = None
        self.user = control.users["alice"]
        self.collections = Path(work) / "collections"
        target = self.collections / "ansible_collections" / "xpress" / "insight"
        if not target.exists():
            target.parent.mkdir(parents=True)
            target.symlink_to(ROOT)
        (Path(work) / "tmp").mkdir(exist_ok=True)
        self.inventory = Path(work) / "hosts.ini"
        self.inventory.write_text("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable,
                                  encoding="utf-8")

    def env(self) -> Dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("INSIGHT_", "ANSIBLE_"))}
        env.update({
            "ANSIBLE_COLLECTIONS_PATH": str(self.collections),
            # bench_noop, the module of the floor tasks (see floor_playbook)
            "ANSIBLE_LIBRARY": str(BENCH / "library"),
            "ANSIBLE_LOCALHOST_WARNING": "false",
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_LOCAL_TEMP": str(Path(self.work) / "tmp"),
            "PATH": str(BIN) + os.pathsep + os.environ.get("PATH", ""),
            "INSIGHT_URL": self.control.url,
            "INSIGHT_CLIENT_ID": self.user["client_id"],
            "INSIGHT_SECRET": self.user["secret"],
        })
        return env

    def execution_args(self) -> List[str]:
        return ["-e", "insight_execution=%s" % self.execution] if self.execution else []

    def playbook(self, name: str, extra_vars_file: Optional[Path] = None) -> List[str]:
        cmd = [str(BIN / "ansible-playbook"), "-i", str(self.inventory), str(WORKLOADS / name)]
        if extra_vars_file is not None:
            cmd += ["-e", "@%s" % extra_vars_file]
        return cmd + self.execution_args()

    def floor_playbook(self, name: str, extra_vars_file: Optional[Path] = None) -> List[str]:
        """The floor of a workload playbook: the same playbook, variables and task arguments, with every
        xpress.insight module swapped for bench/library/bench_noop.py, which does nothing with them. It measures what
        Ansible pays for that task (loading the variables, templating the arguments, starting a module) and no more."""
        plays = yaml.safe_load((WORKLOADS / name).read_text(encoding="utf-8"))
        for play in plays:
            for task in play.get("tasks", []):
                for key in [k for k in task if k.startswith("xpress.insight.")]:
                    task["bench_noop"] = task.pop(key)
        target = Path(self.work) / ("floor_" + name)
        target.write_text(yaml.safe_dump(plays, sort_keys=False), encoding="utf-8")
        cmd = [str(BIN / "ansible-playbook"), "-i", str(self.inventory), str(target)]
        if extra_vars_file is not None:
            cmd += ["-e", "@%s" % extra_vars_file]
        return cmd

    def script(self, name: str, *args: str) -> List[str]:
        # The connection comes from the same INSIGHT_* variables the playbooks use (no secret on a command line).
        return [sys.executable, str(WORKLOADS / name)] + list(args)

    def job_counts(self) -> Dict[str, int]:
        """Jobs by status on the server, counted by a child process (bench/job_counts.py) so that this process never
        holds a big job list (see _scan on ru_maxrss)."""
        result = run_child([sys.executable, str(BENCH / "job_counts.py"), self.control.url], self.env(), self.work)
        return {str(key): int(value) for key, value in json.loads(result["out"]).items()}

    def measure(self, row: Row, cmd: Sequence[str], prepare: Callable[[], None], check: Callable[[Sample], None],
                reps: Optional[int] = None, warmup: Optional[int] = None, marker: Optional[bytes] = None,
                extra_env: Optional[Mapping[str, str]] = None) -> Row:
        """Warm-up runs, then timed runs; before each, `prepare` resets the emulator, after each `check` verifies
        the work was done (a fast wrong answer must not count)."""
        self.rotate([Entry(row, cmd, prepare, check, marker, extra_env)], reps, warmup)
        return row

    def rotate(self, entries: Sequence["Entry"], reps: Optional[int] = None, warmup: Optional[int] = None) -> None:
        """Measure several rows of one workload in turns (A, B, C, A, B, C, ...) instead of one after the other, so
        that a machine that runs faster or slower for a while weighs on every row alike and their ratios hold."""
        reps = self.reps if reps is None else reps
        warmup = self.warmup if warmup is None else warmup
        for index in range(warmup + reps):
            label = "warm-up" if index < warmup else "run %d/%d" % (index - warmup + 1, reps)
            for entry in entries:
                sample = self._once(entry)
                line = "  %-7s %-28s %-9s %7.2f s  %5d requests"
                self.log(line % (entry.row.workload, entry.row.variant, label, sample.seconds, sample.requests))
                if index >= warmup:
                    entry.row.samples.append(sample)

    def _once(self, entry: "Entry") -> Sample:
        entry.prepare()
        self.control.reset_counters()
        cpu_before = cpu_seconds(self.server_pid)
        result = run_child(entry.cmd, dict(self.env(), **(entry.extra_env or {})), self.work, entry.marker)
        cpu_after = cpu_seconds(self.server_pid)
        server_cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
        sample = Sample(result["seconds"], result["rss_kb"], server_cpu, self.control.counters(), result["out"], result["marks"],
                        result["started"])
        entry.check(sample)
        return sample


class Entry(NamedTuple):
    """One row to measure: its command, the reset before each run and the check after it."""

    row: Row
    cmd: Sequence[str]
    prepare: Callable[[], None]
    check: Callable[[Sample], None]
    marker: Optional[bytes] = None
    extra_env: Optional[Mapping[str, str]] = None
