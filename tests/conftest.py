"""Shared fixtures: one `reproduce` of the shipped data for the whole session, a scratch copy of the shipped
package, and helpers to damage it."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from laocai_stats.data.dataset import default_data_dir

ROOT = Path(__file__).resolve().parents[1]
PAPER = ROOT.parent / "shared" / "paper" / "000_c7caa49f65630b0c.txt"


@pytest.fixture(scope="session")
def shipped_reproduce(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """One real `laocai-stats reproduce --jobs 2 -v` of the shipped data, through the command line (output not a
    terminal), notebooks included: its output folder and the finished process (-v: every file written is listed).

    A full reproduce takes most of a minute, so the test files that read its outputs (test_reproduce,
    test_committed_outputs, test_report_browser, test_cli_conventions) share this one run. They only read
    it: a test that changes outputs works on its own copy.
    """
    out = tmp_path_factory.mktemp("reproduce") / "outputs"
    result = subprocess.run([sys.executable, "-m", "laocai_stats", "reproduce", "--out", str(out), "--jobs", "2", "-v"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out, result


@pytest.fixture
def package(tmp_path) -> Path:
    """A writable copy of the shipped Lao Cai data package."""
    target = tmp_path / "pkg"
    shutil.copytree(default_data_dir(), target)
    return target


def edit_csv(folder: Path, name: str, old: str, new: str, *, rehash: bool = True) -> None:
    """Replace one line of a resource's CSV; re-record its checksum unless told not to."""
    path = folder / f"{name}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if rehash:
        from laocai_stats.data.package import rehash as do_rehash

        do_rehash(folder)


def edit_descriptor(folder: Path, change) -> None:
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


@pytest.fixture
def paper_text() -> str:
    if not PAPER.is_file():
        pytest.skip(f"the paper's text is not beside this checkout ({PAPER.parent})")
    return PAPER.read_text(encoding="utf-8")
