"""Shared fixtures: one `reproduce` of the shipped data for the whole session (and one without notebooks), the
wheel built once, a scratch copy of the shipped package, and helpers to damage it; and how the tests are spread
over the cores (`make test` runs pytest-xdist: see "Running on every core" below)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from laocai_stats.data.dataset import default_data_dir

ROOT = Path(__file__).resolve().parents[1]
PAPER = ROOT.parent / "shared" / "paper" / "000_c7caa49f65630b0c.txt"


@pytest.fixture(scope="session")
def shipped_reproduce(wheel_venv, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """One real `laocai-stats reproduce --out outputs --jobs 2 -v` of the shipped data, through the command line
    (output not a terminal), notebooks included: its output folder and the finished process (-v: every file written
    is listed). It is run as a user of the wheel runs it: the wheel of this checkout in a fresh venv (`wheel_venv`),
    from an empty folder outside the repository, with a home folder of its own.

    A full reproduce takes most of a minute, so the test files that read its outputs (test_reproduce,
    test_committed_outputs, test_report_browser, test_cli_conventions, test_wheel) share this one run. They only
    read it: a test that changes outputs works on its own copy.
    """
    base = tmp_path_factory.mktemp("reproduce")
    work, home = base / "empty", base / "home"
    work.mkdir()
    home.mkdir()
    result = subprocess.run([str(wheel_venv / "bin" / "laocai-stats"), "reproduce", "--out", "outputs", "--jobs", "2", "-v"],
                            cwd=work, env=clean_env(home), capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return work / "outputs", result


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


@pytest.fixture(scope="session")
def wheel_venv(built_wheel, tmp_path_factory) -> Path:
    """A fresh venv holding the wheel of this checkout; the locked dependencies come from `.venv` (test_wheel.py says
    how, and checks that the package, its data and its notebooks load from the wheel, not from this checkout)."""
    venv = tmp_path_factory.mktemp("wheel") / "venv"
    run = [sys.executable, "-m", "venv", "--without-pip", str(venv)]
    assert subprocess.run(run, capture_output=True, timeout=300).returncode == 0, run
    purelib = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "locked-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    # The dependencies' data files (nbconvert's templates, the kernel spec) live in the prefix, not in site-packages.
    (venv / "share").mkdir()
    (venv / "share" / "jupyter").symlink_to(Path(sys.prefix) / "share" / "jupyter")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
                              "--no-deps", "--disable-pip-version-check", str(built_wheel)], capture_output=True, text=True,
                             timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    return venv


def clean_env(home: Path) -> dict:
    """This environment without Python's, the venv's, Jupyter's or pytest's variables, and with its own home."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER", "PYTEST"))}
    return {**keep, "HOME": str(home), "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}


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
# Running on every core. `make test` runs `pytest -n auto --dist loadgroup --no-loadscope-reorder` (pytest-xdist).
# Each worker is a process of its own, with its own session fixtures, and the scheduler below hands out whole groups:
# - a test runs with the rest of its file (as `--dist loadfile`): module fixtures are made once, and a notebook's
#   cells (nbval) run in order in one kernel;
# - files that share an expensive session fixture form one group (GROUPS), so each full `reproduce`, the Chromium
#   browser and the wheel are made once per run, never once per worker; collection fails if a test would take an
#   EXPENSIVE fixture into a second group;
# - the heaviest groups go first (SLOW_FIRST, measured with `--durations`), so no worker is left alone with a long
#   group at the end;
# - the tests that hold the code to a wall-clock bound (marked `timed`) are left out here: `make test` runs them
#   afterwards in a pytest of their own, so the suite's parallel work cannot slow them down.
# The grouping is by test id, on the controller: pytest-xdist's own `xdist_group` marks are lost with pytest 9.2,
# whose node ids xdist 3.8 can no longer suffix (pytest-dev/pytest-xdist#1386); a mark's "@group" id is still obeyed.
# Nothing that runs at once shares a folder, a port or a profile: each test writes under its own tmp_path, Chromium
# and JupyterLab take a free port, LibreOffice gets a profile per test, and no test writes into the repository's
# outputs/ or notebooks/ (test_other_province checks their hashes around its run). A plain `pytest` still runs
# everything in one process, in file order.

GROUPS = {  # a test file, or one test, -> the group it runs in
    "tests/test_reproduce.py": "shipped", "tests/test_committed_outputs.py": "shipped",
    "tests/test_report_browser.py": "shipped",
    "tests/test_cli_conventions.py::test_reproduce_verbose_names_every_file_and_quiet_shows_no_progress": "shipped",
    "tests/test_wheel.py": "shipped", "tests/test_vietnamese.py::test_the_wheel_carries_the_catalogue": "shipped",
}
EXPENSIVE = ("shipped_reproduce", "shipped_without_notebooks", "built_wheel", "wheel_venv", "browser", "own_run",
             "province_run", "vi_outputs", "vi_own_outputs")
SLOW_FIRST = ["shipped", "tests/test_own_tables.py", "tests/test_other_province.py", "tests/test_own_table1.py",
              "tests/test_papermill.py", "tests/test_vietnamese.py", "tests/test_cli_conventions.py", "tests/test_faults.py",
              "tests/test_compare.py", "tests/test_warm_kernels.py", "tests/test_figure_layout.py"]


def group_of(nodeid: str) -> str:
    """The group a test runs in: its own entry in GROUPS, else its file's, else its file."""
    test = nodeid.split("[")[0]
    file = nodeid.split("::")[0]
    return GROUPS.get(test, GROUPS.get(file, file))


@pytest.hookimpl(trylast=True)  # the final order: after pytest's own reordering
def pytest_collection_modifyitems(config, items):
    if not hasattr(config, "workerinput"):  # not an xdist worker: nothing to spread
        return
    owner: dict[str, str] = {}
    for item in items:
        for name in set(getattr(item, "fixturenames", ())) & set(EXPENSIVE):
            if owner.setdefault(name, group_of(item.nodeid)) != group_of(item.nodeid):
                raise pytest.UsageError(f"{item.nodeid} uses {name} outside its group {owner[name]!r}: it would be made "
                                        "twice; add the test or its file to GROUPS in tests/conftest.py")
    rank = {group: n for n, group in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(group_of(item.nodeid), len(SLOW_FIRST)))  # stable: file order within a group


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class Groups(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            marked = nodeid.rfind("@") > nodeid.rfind("]")
            return super()._split_scope(nodeid) if marked else group_of(nodeid)

    return Groups(config, log)
