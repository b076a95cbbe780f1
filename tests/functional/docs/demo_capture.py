"""The captured run of `make demo` that README.md's transcript is checked against (demo_output.txt).

`make demo` takes about 30 s (its event source part alone watches for 8 s), too long for the examples test's time
budget, so the test reads a captured run. The capture records a fingerprint of what decides the demo's output (the
demo script, the playbooks it runs, the demo data); when any of them changes, the test fails until the run is
captured again:

    PYTHONPATH=tests .venv/bin/python tests/functional/docs/demo_capture.py            # runs ci/demo.sh, rewrites it
    PYTHONPATH=tests .venv/bin/python tests/functional/docs/demo_capture.py --check    # runs it, compares with README
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parents[3]
CAPTURE = Path(__file__).resolve().parent / "demo_output.txt"
HEADER = "# captured by tests/functional/docs/demo_capture.py; fingerprint "


def demo_inputs() -> List[Path]:
    """What decides what the demo prints, besides the collection's code."""
    paths = [ROOT / "ci" / "demo.sh", ROOT / "ci" / "demo_events.py", ROOT / "tests" / "insight_emulator" / "data" / "demo.yml"]
    paths += sorted((ROOT / "playbooks").glob("*.yml")) + sorted((ROOT / "playbooks" / "vars").glob("*.yml"))
    return [p for p in paths if p.is_file()]


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in demo_inputs():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def run_demo() -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INSIGHT_", "ANSIBLE_"))}
    proc = subprocess.run(["bash", str(ROOT / "ci" / "demo.sh")], env=env, capture_output=True, text=True, timeout=900,
                          cwd=str(ROOT), check=False)
    if proc.returncode != 0:
        raise SystemExit("ci/demo.sh failed (%d):\n%s\n%s" % (proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:]))
    return proc.stdout


def read_capture() -> "tuple[str, str]":
    """(the fingerprint it was captured with, the demo's output)."""
    text = CAPTURE.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1) if "\n" in text else (text, "")
    return (first[len(HEADER):].strip() if first.startswith(HEADER) else ""), rest


def main(argv: List[str]) -> int:
    output = run_demo()
    if "--check" in argv:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from test_documented_examples import readme_transcript, transcript_drift  # pylint: disable=import-outside-toplevel

        missing = transcript_drift(readme_transcript(), output)
        print("\n".join(missing) or "README.md's transcript matches this run")
        return 1 if missing else 0
    CAPTURE.write_text(HEADER + fingerprint() + "\n" + output, encoding="utf-8")
    print("wrote %s" % CAPTURE)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
