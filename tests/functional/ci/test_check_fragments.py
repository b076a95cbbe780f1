"""ci/check_fragments.py on small git repositories: a content change after a release needs a new fragment; before
the first release, while the release is being made, and in a shallow clone without the base, it checks nothing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "ci" / "check_fragments.py"
NO_RELEASE = "---\nancestor: null\nreleases: {}\n"
RELEASED = "---\nancestor: null\nreleases:\n  1.0.0:\n    changes:\n      release_summary: First.\n    release_date: '2026-12-02'\n"


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com")
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def write(repo: Path, path: str, text: str) -> None:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text)


def check(repo: Path, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    merged = {k: v for k, v in os.environ.items() if not k.startswith("FRAGMENTS_")}
    merged.update(env or {})
    return subprocess.run([sys.executable, str(SCRIPT), str(repo)], capture_output=True, text=True, env=merged,
                          check=False)


def released_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, "plugins/modules/m.py", "x = 1\n")
    write(repo, "changelogs/changelog.yaml", NO_RELEASE)
    write(repo, "changelogs/fragments/1-first.yml", "minor_changes:\n  - first.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "before the release")
    write(repo, "changelogs/changelog.yaml", RELEASED)
    (repo / "changelogs/fragments/1-first.yml").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "release 1.0.0")
    return repo


def test_content_change_without_fragment_fails_naming_the_file(tmp_path: Path) -> None:
    repo = released_repo(tmp_path)
    write(repo, "plugins/modules/m.py", "x = 2\n")
    git(repo, "commit", "-qam", "change a module")
    result = check(repo)
    assert result.returncode == 1, result.stdout
    assert "plugins/modules/m.py" in result.stdout
    assert "since release 1.0.0" in result.stdout


def test_uncommitted_meta_change_fails_and_a_new_fragment_passes(tmp_path: Path) -> None:
    repo = released_repo(tmp_path)
    write(repo, "meta/runtime.yml", "requires_ansible: '>=2.16.0'\n")
    assert check(repo).returncode == 1
    write(repo, "changelogs/fragments/29-floor.yml", "minor_changes:\n  - floor.\n")
    result = check(repo)
    assert result.returncode == 0, result.stdout
    assert "1 fragment(s) added" in result.stdout


def test_tag_is_the_base_when_present(tmp_path: Path) -> None:
    repo = released_repo(tmp_path)
    write(repo, "changelogs/fragments/2-later.yml", "bugfixes:\n  - later.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "fragment")
    git(repo, "tag", "v1.0.0")
    write(repo, "extensions/eda/x.py", "y = 1\n")
    # The fragment predates the tag, so it does not count for the change after it.
    assert check(repo).returncode == 1


def test_docs_change_needs_no_fragment(tmp_path: Path) -> None:
    repo = released_repo(tmp_path)
    write(repo, "README.md", "text\n")
    assert check(repo).returncode == 0


def test_no_release_and_release_in_progress_check_nothing(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo, "changelogs/changelog.yaml", NO_RELEASE)
    write(repo, "plugins/modules/m.py", "x = 1\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    assert "no release" in check(repo).stdout
    write(repo, "changelogs/changelog.yaml", RELEASED)
    result = check(repo)
    assert result.returncode == 0 and "not committed yet" in result.stdout


def test_shallow_clone_without_base_skips_or_fails_when_strict(tmp_path: Path) -> None:
    repo = released_repo(tmp_path)
    for n in range(2):
        write(repo, "README.md", "text %d\n" % n)
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "docs %d" % n)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "file://%s" % repo, str(shallow))
    result = check(shallow)
    assert result.returncode == 0 and "shallow clone" in result.stdout and "--unshallow" in result.stdout
    assert check(shallow, {"FRAGMENTS_STRICT": "1"}).returncode == 1


def test_full_clone_with_unknown_base_fails(tmp_path: Path) -> None:
    repo = released_repo(tmp_path)
    result = check(repo, {"FRAGMENTS_BASE": "no-such-ref"})
    assert result.returncode == 1 and "cannot be found" in result.stdout
