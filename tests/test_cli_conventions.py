"""CLI conventions: `--format json` wherever a table or a list of problems is printed, -q/-v, a clean Ctrl-C."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import edit_csv
from province_helpers import province_workbook

from laocai_stats.data.loaders import list_tables

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "laocai_stats", *args], capture_output=True, text=True, timeout=600,
                          **kwargs)


def test_python_dash_m_is_the_command_line():
    assert run("--version").stdout == subprocess.run(
        [Path(sys.executable).with_name("laocai-stats"), "--version"], capture_output=True, text=True).stdout


def test_tables_as_json():
    result = run("tables", "--format", "json")
    assert result.returncode == 0
    records = json.loads(result.stdout)
    assert [r["name"] for r in records] == list_tables()
    assert records[3]["table"] == "Table 3" and records[3]["indicators"] == 3


def test_validate_as_json_lists_every_problem_with_its_place(package):
    edit_csv(package, "press", "press_items,2018,232", "press_items,2018,-232")
    edit_csv(package, "website", "articles,2018,218", "articles,2018,lots")
    result = run("validate", str(package), "--format", "json")
    assert result.returncode == 2 and result.stderr == ""
    report = json.loads(result.stdout)
    assert report["valid"] is False and report["errors"] == 2
    places = {(Path(p["file"]).name, p["row"], p["column"]) for p in report["problems"] if p["severity"] == "error"}
    assert places == {("press.csv", 4, "value"), ("website.csv", 4, "value")}
    assert json.loads(run("validate", str(ROOT / "data" / "laocai"), "--format", "json").stdout)["valid"] is True


def test_validate_quiet_keeps_errors_and_drops_warnings(tmp_path):
    from workbook_helpers import export_laocai

    workbook = str(export_laocai(tmp_path))  # the paper's own Table 4 total gives one warning
    loud, quiet = run("validate", workbook), run("validate", workbook, "-q")
    assert loud.returncode == quiet.returncode == 0
    assert loud.stdout.count("warning: ") == 1 and "warning: " not in quiet.stdout
    assert quiet.stdout.strip().endswith("valid (1 warning(s))")
    assert run("validate", workbook, "-q", "-v").returncode == 2  # one or the other


def test_compare_as_json_keeps_fractions(tmp_path):
    other = province_workbook(tmp_path / "ha-giang.xlsx", "Ha Giang", range(2016, 2021), {"articles": [10, 20, 30, 40, 50]})
    result = run("compare", str(ROOT / "data" / "laocai"), str(other), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [p["province"] for p in report["provinces"]] == ["Lao Cai", "Ha Giang"]
    articles = [r for r in report["ranking"] if r["indicator"] == "articles" and r["province"] == "Ha Giang"][0]
    assert abs(articles["cagr"] - ((50 / 10) ** (1 / 4) - 1)) < 1e-12
    assert run("compare", str(ROOT / "data" / "laocai"), str(other), "-q").stdout == ""


def test_reproduce_verbose_names_every_file_and_quiet_shows_no_progress(shipped_reproduce):
    out, verbose = shipped_reproduce  # the session's one `reproduce -v` (conftest.py)
    assert verbose.returncode == 0, verbose.stderr
    written = sorted(p for p in out.rglob("*") if p.is_file())
    listed = sorted(Path(line.removeprefix("wrote ")) for line in verbose.stdout.splitlines() if line.startswith("wrote /"))
    assert listed == written
    assert "reproduce: [" in verbose.stderr


def interrupted_reproduce(out: Path, after: float) -> subprocess.CompletedProcess:
    """Run reproduce, press Ctrl-C (SIGINT to the whole process group, as a terminal does) after `after` seconds."""
    process = subprocess.Popen([sys.executable, "-m", "laocai_stats", "reproduce", "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(after)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


# A Ctrl-C that lands while a C extension's module is being initialised (it runs code through PyRun_String)
# leaves CPython 3.11 believing the KeyboardInterrupt went unhandled, though `main` caught it: leaving through
# sys.exit then ends a `python -m` process by SIGINT (status -2, seen once in CI) instead of 130.
INTERRUPTED_INSIDE_A_C_CALL = """
import argparse, ctypes, sys
from laocai_stats import cli

def interrupted(args):
    run = ctypes.pythonapi.PyRun_String
    run.restype, run.argtypes = ctypes.py_object, [ctypes.c_char_p, ctypes.c_int, ctypes.py_object, ctypes.py_object]
    run(b"raise KeyboardInterrupt", 257, {}, {})  # 257: Py_file_input

class Parser:
    def parse_args(self, argv):
        return argparse.Namespace(func=interrupted)

cli.build_parser = Parser
cli.entry()
"""


def test_ctrl_c_during_a_c_extensions_import_still_exits_130(tmp_path):
    (tmp_path / "interrupted_run.py").write_text(INTERRUPTED_INSIDE_A_C_CALL, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "interrupted_run"], capture_output=True, text=True, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (130, "laocai-stats: interrupted\n")


def earlier_run(folder: Path) -> Path:
    """An earlier run's output folder, which laocai-stats made, in `folder`."""
    from laocai_stats.publish.outputs import staged_folder

    out = folder / "outputs"
    with staged_folder(out) as staging:
        (staging / "earlier.txt").write_text("an earlier run", encoding="utf-8")
    return out


def assert_interrupted_cleanly(result: subprocess.CompletedProcess, out: Path) -> None:
    from laocai_stats.publish.outputs import MANIFEST

    assert result.returncode == 130, result.stderr
    # One line, and stderr reached its end: no worker or kernel survived holding it open (communicate returned).
    # Progress lines ("reproduce: [3/23] ...") are what the run printed before it; after them, exactly one line.
    lines = [line for line in result.stderr.strip().splitlines() if not line.startswith("reproduce: [")]
    assert lines == ["laocai-stats: interrupted"], result.stderr
    assert result.stderr.strip().splitlines()[-1] == "laocai-stats: interrupted", result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["outputs"], "a staging folder was left behind"
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "earlier.txt"]


def test_ctrl_c_stops_cleanly_and_leaves_earlier_outputs(tmp_path):
    # While the tables and figures are written (no run ends within 1.5 s); while the notebooks run (a very fast
    # machine may have finished by 4 s: then there is nothing to check). Each against its own earlier run.
    for after in (1.5, 4.0):
        (tmp_path / str(after)).mkdir()
        out = earlier_run(tmp_path / str(after))
        result = interrupted_reproduce(out, after)
        if after > 1.5 and result.returncode == 0:
            continue
        assert_interrupted_cleanly(result, out)


# A library that catches KeyboardInterrupt in its own code (a bare `except:`) would let the run go on to the end and
# put its outputs in place; the command line remembers the Ctrl-C, and the run stops at its next step.
SWALLOWED_CTRL_C = """
import os, signal, sys, time
from laocai_stats import cli
from laocai_stats.run import reproduce

tables = reproduce.write_tables

def write_tables_under_a_careless_library(*args, **kwargs):
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
    except:  # noqa: E722 - what the careless library does
        pass
    return tables(*args, **kwargs)

reproduce.write_tables = write_tables_under_a_careless_library
sys.argv = ["laocai-stats", "reproduce", "--out", sys.argv[1]]
cli.entry()
"""


def test_a_ctrl_c_a_library_swallowed_still_stops_the_run(tmp_path):
    out = earlier_run(tmp_path)
    (tmp_path / "swallowed.py").write_text(SWALLOWED_CTRL_C, encoding="utf-8")
    result = subprocess.run([sys.executable, str(tmp_path / "swallowed.py"), str(out)], capture_output=True, text=True,
                            timeout=300)
    (tmp_path / "swallowed.py").unlink()
    assert_interrupted_cleanly(result, out)


def test_a_command_after_an_interrupted_one_in_the_same_process_runs(monkeypatch):
    from laocai_stats import errors

    monkeypatch.setattr(errors, "_interrupted", True)  # an earlier command in this process saw a Ctrl-C
    errors.stop_on_ctrl_c()  # what cli.main does first
    errors.raise_if_interrupted()  # no KeyboardInterrupt: this command has seen none
