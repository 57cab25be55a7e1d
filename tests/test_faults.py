"""Faults during `reproduce`: `kill -9` leaves no worker or kernel behind (Linux: PR_SET_PDEATHSIG; skipped
elsewhere) and the earlier outputs as they were; workers are capped; an OS error is one line. Ctrl-C is tested in
tests/test_cli_conventions.py (one line, exit 130, stderr closed: nothing survived)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers die with their parent on Linux only")


def descendants(pid: int) -> set[int]:
    """Every process whose chain of parents leads to `pid`, read from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def start_reproduce(out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "laocai_stats", "reproduce", "--out", str(out), "--jobs", "2", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_for_kernels(process: subprocess.Popen, count: int = 2, timeout: float = 60) -> set[int]:
    """Wait until the run has its workers and at least one kernel forked from them (a grandchild)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = descendants(process.pid)
        grandchildren = children - {pid for pid in children if _parent(pid) == process.pid}
        if len(children) >= count and grandchildren:
            return children
        assert process.poll() is None, process.stderr.read()
        time.sleep(0.2)
    pytest.fail("reproduce started no kernel within a minute")


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None


def wait_gone(pids: set[int], timeout: float = 15) -> set[int]:
    deadline = time.monotonic() + timeout
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


@pytest.fixture
def earlier(tmp_path) -> tuple[Path, dict]:
    from laocai_stats.publish.outputs import staged_folder

    out = tmp_path / "outputs"
    with staged_folder(out) as staging:
        (staging / "earlier.csv").write_text("kept\n", encoding="utf-8")
    return out, {p.name: p.read_bytes() for p in out.iterdir()}


@linux_only
def test_kill_9_leaves_no_worker_or_kernel_and_the_next_run_cleans_up(earlier):
    out, before = earlier
    process = start_reproduce(out)
    children = wait_for_kernels(process)
    process.kill()
    process.wait()
    process.stderr.close()
    assert wait_gone(children) == set(), "workers or kernels outlived reproduce"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in out.parent.iterdir() if ".staging-" in p.name]  # the dead run's half-written folder
    from laocai_stats.publish.outputs import remove_stale

    remove_stale(out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["outputs"]


def test_workers_are_capped_at_the_number_of_notebooks(tmp_path, monkeypatch):
    from laocai_stats.run import reproduce as reproduce_module

    started = {}

    class Pool:
        def __init__(self, max_workers, **kwargs):
            started["workers"] = max_workers

        def submit(self, *args):
            return object()

    paths = [tmp_path / f"0{n}-x.ipynb" for n in range(3)]
    for path in paths:
        path.write_text("{}", encoding="utf-8")
    monkeypatch.setattr(reproduce_module, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(reproduce_module, "notebook_paths", lambda: paths)
    reproduce_module.NotebookRuns({}, tmp_path / "nb", jobs=30)
    assert started["workers"] == 3


def test_an_os_error_anywhere_is_one_line(tmp_path, monkeypatch, capsys):
    import errno

    from laocai_stats.cli import main
    from laocai_stats.workbook import writer

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "t.xlsx"))

    monkeypatch.setattr(writer, "write_workbook", full)
    assert main(["template", str(tmp_path / "t.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and "t.xlsx" in err
