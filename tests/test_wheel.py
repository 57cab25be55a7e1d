"""The wheel alone reproduces: built, installed in a fresh venv, `laocai-stats reproduce` run from an empty folder.

Cost, and why it still proves the point: the fresh venv gets the locked dependencies not by a second
`pip install -r requirements.lock` (a minute and 700 MB for 140 packages the repository's `.venv` already holds, at
exactly the locked versions: tests/test_environment.py checks that), but through a `.pth` line naming `.venv`'s
site-packages. A `.pth` line only appends that folder to sys.path; `.pth` files inside it are not run, so the
editable install that points `.venv` at this checkout is not active. The wheel is installed into the fresh venv's
own site-packages, which comes first (the dependencies' data files under share/jupyter, nbconvert's templates among
them, are linked the same way; the wheel itself installs nothing there), and the test asserts that the package, its data and its notebooks are loaded
from there, that the checkout is not on sys.path, and that `pip check` finds the wheel's requirements met.
The venv is made once a session (conftest.py: `wheel_venv`), and its `reproduce` is the session's one reproduce of
the shipped data (`shipped_reproduce`), which test_reproduce, test_committed_outputs and the report's tests read too.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import clean_env

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(wheel_venv) -> Path:
    """A fresh venv holding the wheel of this checkout (built and installed once: conftest.py)."""
    return wheel_venv


def test_the_wheel_carries_code_data_and_notebooks_and_its_requirements_are_met(installed, tmp_path):
    python = installed / "bin" / "python"
    probe = ("import sys, laocai_stats, importlib.metadata as m; "
             "from laocai_stats.data.package import default_data_dir; from laocai_stats.run.reproduce import notebook_paths; "
             "print(laocai_stats.__file__); print(default_data_dir()); print(notebook_paths()[0].parent); "
             "print(m.version('laocai-stats')); print(any(p.rstrip('/') == %r for p in sys.path))" % str(ROOT))
    lines = run(python, "-c", probe, cwd=tmp_path, env=clean_env(tmp_path)).stdout.splitlines()
    site = str(installed)
    assert all(line.startswith(site) for line in lines[:3]), lines
    assert lines[3] == __import__("laocai_stats").__version__ and lines[4] == "False"
    run(sys.executable, "-m", "pip", "--python", python, "check", "--disable-pip-version-check")


def test_reproduce_from_an_empty_folder_outside_the_repository(shipped_reproduce):
    # The session's one `reproduce` of the shipped data is this one: the installed wheel's `laocai-stats reproduce
    # --out outputs`, run from an empty folder with a home of its own (conftest.py).
    out, result = shipped_reproduce
    work = out.parent
    assert "wrote" in result.stdout + result.stderr
    committed = ROOT / "outputs"
    for sub in ("tables", "audit", "figures", "report"):
        made = sorted(p.relative_to(out) for p in (out / sub).rglob("*") if p.is_file())
        expected = sorted(p.relative_to(committed) for p in (committed / sub).rglob("*") if p.is_file())
        assert made == expected, sub
        for name in made:
            assert (out / name).read_bytes() == (committed / name).read_bytes(), f"{name} differs from the committed output"
    assert sorted(p.name for p in (out / "notebooks").glob("*.ipynb")) == sorted(p.name for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    assert sorted(p.name for p in work.iterdir()) == ["outputs"], "reproduce wrote outside --out"
