"""The command line: real output on good data, one line and exit status 2 on bad data."""
from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import edit_csv

from laocai_stats.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "laocai_stats", *args], capture_output=True, text=True)


def test_tables_lists_every_table(capsys):
    assert main(["tables"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == ["agents", "conferences", "press", "publications", "website"]
    assert "Table 4" in out[-1]


def test_show_printed_markdown(capsys):
    assert main(["show", "website", "--printed", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "| Total | 1,116 | 670,798 |" in out


def test_show_tidy_csv(capsys):
    assert main(["show", "press", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "indicator,year,value,unit"
    assert lines[1] == "press_items,2016,163,items"


def test_validate_shipped_data(capsys):
    assert main(["validate", "data/laocai"]) == 0
    assert "valid" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["show", "nope"], ["show", "press", "--data", "no/such/folder"]])
def test_errors_are_one_line_with_status_2(argv):
    result = run(*argv)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("laocai-stats: error: ")
    assert "Traceback" not in result.stderr


def test_bad_package_one_line_status_2(package):
    edit_csv(package, "press", "press_items,2018,232", "press_items,2018,-232")
    result = run("show", "press", "--data", str(package))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().endswith("press.csv, row 4, column 'value': expected a count of at least 0, found -232")


def test_validate_lists_every_problem(package):
    edit_csv(package, "press", "press_items,2018,232", "press_items,2018,-232")
    edit_csv(package, "website", "articles,2018,218", "articles,2018,lots")
    result = run("validate", str(package))
    assert result.returncode == 2
    assert result.stdout.count("error: ") == 2
    assert "2 error(s)" in result.stderr


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("laocai-stats ")


HEAVY = ("pandas", "numpy", "matplotlib", "openpyxl", "scipy", "seaborn")


def modules_loaded_by(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running `code`."""
    probe = f"import sys\n{code}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_help_and_the_package_itself_import_no_heavy_library():
    # `laocai-stats --help` answers at once: the parser and `import laocai_stats` load no pandas, numpy, matplotlib...
    loaded = modules_loaded_by("from laocai_stats.cli import build_parser\nbuild_parser().format_help()")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    loaded = modules_loaded_by("import laocai_stats")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    # ...and the public loaders are still there, imported on first use.
    assert "pandas" in modules_loaded_by("from laocai_stats import load_table")


def test_validate_imports_no_plotting_or_statistics():
    loaded = modules_loaded_by("from laocai_stats.cli import main\nfrom laocai_stats.data.dataset import default_data_dir\n"
                               "main(['validate', str(default_data_dir())])")
    assert not loaded & {"matplotlib", "scipy", "seaborn"}, sorted(loaded & {"matplotlib", "scipy", "seaborn"})


def test_validate_of_a_workbook_imports_no_pandas(tmp_path):
    # A workbook is read and checked as plain records: `validate` builds no frame, so it does not pay for pandas.
    from workbook_helpers import export_laocai

    workbook = export_laocai(tmp_path)
    code = f"from laocai_stats.cli import main\nassert main(['validate', {str(workbook)!r}]) == 0"
    loaded = modules_loaded_by(code)
    assert not loaded & {"pandas", "matplotlib", "scipy", "seaborn"}, sorted(loaded & {"pandas", "matplotlib", "scipy", "seaborn"})
    # ...and the same reader gives the frames when a command asks for them.
    assert "pandas" in modules_loaded_by(f"{code}\nfrom laocai_stats import open_dataset\n"
                                         f"open_dataset({str(workbook)!r}).table('press').rows")
