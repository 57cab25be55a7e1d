"""Shared fixtures: one `reproduce` of the shipped data for the whole session (and one without notebooks), the
wheel built once, a scratch copy of the shipped package, and helpers to damage it; and how the tests are spread
over the cores (`make test` runs pytest-xdist: see "Running on every core" below)."""
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


@pytest.fixture(scope="session")
def shipped_without_notebooks(tmp_path_factory) -> Path:
    """One `reproduce(notebooks=False)` of the shipped data in this process (tables, audit, figures, report): the
    second run test_reproduce holds byte for byte against `shipped_reproduce`, and the report without notebook
    pages test_report_browser reads. Only read: a test that changes outputs works on its own copy."""
    from laocai_stats.run.reproduce import reproduce

    out = tmp_path_factory.mktemp("reproduce-without-notebooks") / "outputs"
    reproduce(out, progress=False, notebooks=False)
    return out


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory) -> Path:
    """The wheel of this checkout, built once for test_wheel (installed and run) and test_vietnamese (its files)."""
    folder = tmp_path_factory.mktemp("wheel-dist")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                             "--disable-pip-version-check", "-w", str(folder), str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return next(folder.glob("laocai_stats-*.whl"))


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


# ---------------------------------------------------------------------------------------------------------------
# Running on every core. `make test` runs `pytest -n auto --dist loadgroup --no-loadscope-reorder` (pytest-xdist):
# each worker is a process of its own with its own session fixtures, and pytest hands out whole groups. So:
# - every test that uses an expensive shared fixture joins that fixture's group (EXPENSIVE), and a group runs on one
#   worker: each full `reproduce`, the Chromium browser and the wheel are made once per run, never once per worker;
# - every other test stays with its file (as `--dist loadfile`), so module-scoped fixtures are not made twice;
# - a notebook's cells share one kernel, in order: each notebook is one group (nbval);
# - the heaviest groups are handed out first (SLOW_FIRST, measured with `--durations`), so that no worker is left
#   alone with a long group at the end.
# Nothing the tests run at once shares a folder, a port or a profile: each writes under its own tmp_path, Chromium
# and JupyterLab take a free port, LibreOffice gets a profile per test, and no test writes into the repository's
# outputs/ or notebooks/ (test_other_province checks their hashes around its run). A plain `pytest` still runs
# everything in one process, in file order.

EXPENSIVE = {  # fixture -> group: every test that uses the fixture, directly or through another, runs in the group
    "shipped_reproduce": "shipped", "shipped_without_notebooks": "shipped", "browser": "shipped",
    "hostile_out": "shipped",
    "own_run": "own-tables",
    "province_run": "other-province",
    "built_wheel": "wheel",
    "vi_outputs": "vietnamese", "vi_own_outputs": "vietnamese",
}
SLOW_FIRST = ["shipped", "own-tables", "wheel", "other-province", "tests/test_papermill.py", "vietnamese",
              "tests/test_cli_conventions.py", "tests/test_own_tables.py", "tests/test_faults.py",
              "tests/test_compare.py", "tests/test_warm_kernels.py", "tests/test_reproduce.py"]


def xdist_group(item: pytest.Item) -> str:
    """The group a test runs in: its expensive fixture's, else its notebook's or its file's."""
    for name in getattr(item, "fixturenames", ()):
        if name in EXPENSIVE:
            return EXPENSIVE[name]
    return item.nodeid.split("::")[0]


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the marks
def pytest_collection_modifyitems(config, items):
    if not getattr(config.option, "loadgroup", False):  # set on each xdist worker by `--dist loadgroup`
        return
    for item in items:
        if not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(xdist_group(item)))
    rank = {group: n for n, group in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.get_closest_marker("xdist_group").args[0], len(rank)))  # stable
