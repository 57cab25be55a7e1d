"""`reproduce`: everything written, byte-identical on a second run, atomic on failure, bad data refused first."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import edit_csv

from laocai_stats import DataError, LaocaiError
from laocai_stats.publish.figures import FIGURES
from laocai_stats.run import reproduce as reproduce_module
from laocai_stats.run.reproduce import notebook_paths, reproduce
from laocai_stats.stats.summary import GROWTH_COLUMNS


@pytest.fixture(scope="module")
def cli_run(shipped_reproduce):
    """One real `laocai-stats reproduce` through the command line, output not a terminal (shared: conftest.py)."""
    return shipped_reproduce


@pytest.fixture(scope="module")
def full_run(cli_run) -> Path:
    return cli_run[0]


def test_growth_csv_has_the_promised_columns_and_fractions(full_run):
    with open(full_run / "tables" / "growth.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[0] == "province" and {r["province"] for r in rows} == {"Lao Cai"}
    assert list(rows[0])[1: len(GROWTH_COLUMNS) + 1] == GROWTH_COLUMNS
    assert {r["status"] for r in rows} == {"reported"}
    training = next(r for r in rows if r["indicator"] == "training_conferences")
    assert float(training["cagr"]) == pytest.approx((107 / 38) ** 0.25 - 1)
    assert len(rows) == 14


def test_every_output_is_there(full_run):
    for spec in FIGURES:
        assert (full_run / "figures" / f"{spec.name}.png").stat().st_size > 0
        assert (full_run / "figures" / f"{spec.name}.svg").stat().st_size > 0
    for name in ("audit.csv", "grades.csv", "audit.md"):
        assert (full_run / "audit" / name).is_file()
    assert "1,116" in (full_run / "audit" / "audit.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in (full_run / "notebooks").glob("*.ipynb")) == [p.name for p in notebook_paths()]
    assert (full_run / "tables" / "tables.xlsx").stat().st_size > 0
    assert (full_run / "report" / "index.html").is_file()
    assert sorted(p.stem for p in (full_run / "report" / "notebooks").glob("*.html")) == [p.stem for p in notebook_paths()]


def test_executed_notebooks_equal_the_committed_ones(full_run):
    for path in notebook_paths():
        assert (full_run / "notebooks" / path.name).read_bytes() == path.read_bytes(), path.name


def test_no_staging_folder_is_left_behind(full_run):
    assert [p.name for p in full_run.parent.iterdir()] == ["outputs"]


def test_tables_and_figures_are_byte_identical_run_to_run(full_run, shipped_without_notebooks):
    # Run "a" is the session's `reproduce` (another process); run "b" wrote the same tables and figures again in this
    # process (`reproduce(notebooks=False)`, shared: conftest.py).
    b = shipped_without_notebooks
    files = sorted(p.relative_to(full_run) for folder in ("tables", "figures") for p in (full_run / folder).rglob("*")
                   if p.is_file())
    assert files == sorted(p.relative_to(b) for folder in ("tables", "figures") for p in (b / folder).rglob("*")
                           if p.is_file())
    for rel in files:
        assert (full_run / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_a_failed_run_leaves_earlier_outputs_intact(tmp_path, monkeypatch):
    from laocai_stats.publish.outputs import MANIFEST, staged_folder

    out = tmp_path / "outputs"
    with staged_folder(out) as staging:  # earlier outputs: a folder laocai-stats made
        (staging / "earlier.txt").write_text("kept", encoding="utf-8")

    def broken(*args, **kwargs):
        raise LaocaiError("figure drawing failed on purpose")

    monkeypatch.setattr(reproduce_module, "write_figures", broken)
    with pytest.raises(LaocaiError, match="on purpose"):
        reproduce(out, progress=False, notebooks=False)
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "earlier.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outputs"]


def test_a_failing_notebook_is_named_with_its_cell(tmp_path, monkeypatch):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Table 9"), nbformat.v4.new_code_cell("x = 1"),
                      nbformat.v4.new_code_cell("raise ValueError('no such indicator')")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "nb" / "09-broken.ipynb"
    path.parent.mkdir()
    nbformat.write(notebook, path)
    monkeypatch.setattr(reproduce_module, "notebook_paths", lambda: [path])
    out = tmp_path / "outputs"
    with pytest.raises(LaocaiError) as caught:
        reproduce(out, progress=False, jobs=1)
    message = str(caught.value)
    assert "09-broken.ipynb failed at cell 3" in message
    assert "ValueError: no such indicator" in message
    assert "Traceback" not in message and "\n" not in message
    assert not out.exists()


def test_bad_data_is_refused_before_anything_runs(package, tmp_path):
    edit_csv(package, "press", "press_items,2018,232", "press_items,2018,-232")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "laocai_stats", "reproduce", "--data", str(package), "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "press.csv, row 4, column 'value'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    with pytest.raises(DataError):
        reproduce(out, package, progress=False)


def test_progress_lines_when_not_a_terminal(cli_run):
    result = cli_run[1]
    assert result.stdout.startswith("wrote ")
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("reproduce: [") for line in lines), lines
    assert lines[-1].startswith(f"reproduce: [{len(lines)}/{len(lines)}]")
