"""Small inputs with huge costs, and inputs that tried to break out: refused before the work starts, in one located
line, quickly. The review's full-size files are measured by benchmarks/benchmark_hostile.py."""
from __future__ import annotations

import time

import pandas as pd
import pytest
from hostile_files import (
    csv_with_rows,
    deep_descriptor,
    exported,
    package_copy,
    set_province,
    sparse_file,
    workbook_with_cells,
)

from laocai_stats import load_table, open_dataset, sum_over_years
from laocai_stats.cli import main
from laocai_stats.data import limits
from laocai_stats.data.package import rehash
from laocai_stats.errors import DataError, LaocaiError
from laocai_stats.publish.comparison import comparison_tables
from laocai_stats.publish.outputs import write_csv
from laocai_stats.stats.compare import compare
from laocai_stats.stats.growth import year_on_year

# Each test bounds the time the code takes: `make test` runs them on their own, after the others (Makefile).
pytestmark = pytest.mark.timed


def refused(args, capsys, *words, seconds: float = 5.0) -> str:
    """Run the command; it must fail with status 2, one line on stderr, the words in its output, within `seconds`.

    (`validate` lists the problems on stdout, one a line, and ends with a one-line summary on stderr.)"""
    start = time.monotonic()
    assert main(args) == 2
    elapsed = time.monotonic() - start
    out, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in out + err
    for word in words:
        assert word in out + err, out + err
    assert elapsed < seconds, f"{elapsed:.1f} s"
    return out + err


def test_a_workbook_of_millions_of_cells_is_refused_unread(tmp_path, capsys):
    workbook = workbook_with_cells(tmp_path, 6_000_000)  # about 200 KB on disk, as in the review
    assert workbook.stat().st_size < 1_000_000
    refused(["validate", str(workbook)], capsys, "refused", str(workbook), seconds=2)


@pytest.mark.parametrize("formulas", [False, True])
def test_a_sheet_over_the_cell_limit_is_refused_naming_it(tmp_path, capsys, formulas):
    workbook = workbook_with_cells(tmp_path, limits.MAX_CELLS_PER_SHEET + 1, formulas=formulas)
    refused(["validate", str(workbook)], capsys, "sheet 'Extra'", "over the limit of 50,000", seconds=3)


def test_a_sheet_just_under_the_limit_validates_within_five_seconds(tmp_path, capsys):
    workbook = workbook_with_cells(tmp_path, limits.MAX_CELLS_PER_SHEET - 1000, formulas=True)
    start = time.monotonic()
    assert main(["validate", str(workbook)]) == 0
    assert time.monotonic() - start < 5


def test_a_gigabyte_file_named_xlsx_is_refused_unread(tmp_path, capsys):
    big = sparse_file(tmp_path / "big.xlsx", 2**30)
    refused(["validate", str(big)], capsys, "refused", "1,024.0 MB", "10.0 MB", seconds=1)


def test_a_huge_csv_in_a_package_is_refused_unread(tmp_path, capsys):
    package = package_copy(tmp_path)
    sparse_file(package / "website.csv", 100 * 2**20)
    refused(["validate", str(package)], capsys, "website.csv", "100.0 MB", seconds=2)


def test_a_csv_of_too_many_rows_is_refused_at_the_limit(tmp_path, capsys):
    package = package_copy(tmp_path)
    csv_with_rows(package, limits.MAX_CSV_ROWS + 5)
    err = refused(["validate", str(package)], capsys, "website.csv", "more than 10,000 rows", seconds=3)
    assert "row 10002" in err


def test_a_descriptor_nested_100000_deep_is_one_line(tmp_path, capsys):
    package = package_copy(tmp_path)
    deep_descriptor(package, 100_000)
    refused(["validate", str(package)], capsys, "datapackage.json", "nested more than 32 levels", seconds=2)


def test_a_number_of_5000_digits_in_a_csv_is_one_located_line(tmp_path, capsys):
    package = package_copy(tmp_path)
    path = package / "website.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[-2 if not cells[-1].isdigit() else -1] = "9" * 5000
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rehash(package)
    err = refused(["validate", str(package)], capsys, "website.csv", "row 2", "below 10^15")
    assert "9" * 100 not in err
    with pytest.raises(DataError, match="below 10\\^15"):
        load_table("website", data=package)


@pytest.mark.parametrize("as_text", [False, True])
def test_a_number_of_5000_digits_in_a_workbook_is_one_located_line(tmp_path, capsys, as_text):
    import zipfile

    source = exported(tmp_path)
    target = tmp_path / "long.xlsx"
    value = "9" * 5000
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet4.xml":  # a table sheet: replace the first number in it
                import re

                match = re.search(rb'<c r="([A-Z]+\d+)"( s="\d+")?( t="n")?><v>\d+</v></c>', data)
                cell = (f'<c r="{match.group(1).decode()}" t="inlineStr"><is><t>{value}</t></is></c>' if as_text
                        else f'<c r="{match.group(1).decode()}"><v>{value}</v></c>')
                data = data[:match.start()] + cell.encode() + data[match.end():]
            zout.writestr(info, data)
    err = refused(["validate", str(target)], capsys, "below 10^15", "cell ")
    assert value[:100] not in err


def test_a_province_name_of_32000_characters_is_refused(tmp_path, capsys):
    refused(["reproduce", "--province", "x" * 32_000, "--out", str(tmp_path / "o"), "--quiet"], capsys,
            "32,000 characters", "limit of 200")
    assert not (tmp_path / "o").exists()
    package = package_copy(tmp_path)
    set_province(package, "y" * 32_000)
    refused(["validate", str(package)], capsys, "$.province", "limit of 200")


def test_a_province_name_of_32000_characters_in_the_about_sheet_is_an_error_at_its_cell(tmp_path, capsys):
    import openpyxl

    workbook = exported(tmp_path)
    wb = openpyxl.load_workbook(workbook)
    about = wb["About"]
    cell = next(row[1] for row in about.iter_rows() if str(row[0].value).strip().lower().startswith("province"))
    cell.value = "z" * 32_000
    wb.save(workbook)
    assert main(["validate", str(workbook)]) == 2
    out = capsys.readouterr().out
    assert f"sheet 'About', cell {cell.coordinate}: the province's name: the text is 32,000 characters long" in out


def test_figure_titles_shorten_a_long_name():
    from laocai_stats.text import shorten

    name = "Tỉnh " + "Hà Giang " * 30
    assert len(shorten(name)) <= 60 and shorten(name).endswith("…")
    assert shorten("Lao Cai") == "Lao Cai"


def test_a_resource_that_links_outside_the_package_is_refused_without_quoting_it(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the secret first line\n", encoding="utf-8")
    package = package_copy(tmp_path)
    (package / "website.csv").unlink()
    (package / "website.csv").symlink_to(secret)
    assert main(["validate", str(package)]) == 2
    out, err = capsys.readouterr()
    assert "website.csv" in out and "link or lies outside the package folder" in out
    assert "secret first line" not in out + err
    with pytest.raises(DataError, match="link or lies outside"):
        load_table("website", data=package)


def test_a_resource_in_a_linked_folder_outside_the_package_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    package = package_copy(tmp_path)
    (elsewhere / "website.csv").write_text((package / "website.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (package / "sub").symlink_to(elsewhere)
    from conftest import edit_descriptor

    edit_descriptor(package, lambda d: next(r for r in d["resources"] if r["name"] == "website").update(path="sub/website.csv"))
    problems = [str(p) for p in open_dataset(package).problems()]
    assert any("link or lies outside the package folder" in p for p in problems), problems


def test_compare_escapes_province_names_in_csv_headers(tmp_path):
    comparison = compare([open_dataset(province="=1+1"), open_dataset(province="@SUM(A1)")])
    for stem in ("side_by_side", "index", "ratios"):
        frame = comparison_tables(comparison)[stem]
        write_csv(frame, tmp_path / f"{stem}.csv")
        header = (tmp_path / f"{stem}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert "'=1+1" in header and "'@SUM(A1)" in header, header
        assert ",=1+1" not in header and ",@SUM" not in header, header


@pytest.mark.parametrize("call, message", [
    (lambda: sum_over_years(pd.DataFrame({"year": [2016]})), "value"),
    (lambda: year_on_year("x"), "DataFrame"),
    (lambda: open_dataset(province=123), "province must be text"),
])
def test_library_calls_with_wrong_types_raise_the_packages_error(call, message):
    with pytest.raises(LaocaiError, match=message):
        call()


def test_validate_piped_into_head_keeps_the_failure(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook\n" * 10, encoding="utf-8")
    package = package_copy(tmp_path)
    csv_with_rows(package, 5000)  # 5,000 duplicate rows: a megabyte of problem lines, far more than a pipe holds
    for target in (bad, package):
        result = subprocess.run(["bash", "-o", "pipefail", "-c",
                                 f"{sys.executable} -m laocai_stats validate {target} | head -1"],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, (result.returncode, result.stderr)
        assert "Traceback" not in result.stderr


def test_kendall_with_ties_is_bounded_and_still_exact_for_eight_years():
    import itertools

    import numpy as np

    from laocai_stats.stats.trend import _tau_b, kendall_trend

    values = [15, 15, 16, 18, 20, 20, 22, 25]
    frame = pd.DataFrame({"table": "t", "indicator": [f"i{k}" for k in range(14) for _ in values],
                          "year": list(range(2013, 2021)) * 14, "value": values * 14, "unit": "count"})
    start = time.monotonic()
    out = kendall_trend(frame)
    assert time.monotonic() - start < 3  # was about 10 s per series
    x, y = np.arange(8.0), np.array(values, dtype=float)
    null = [_tau_b(x, np.array(p)) for p in itertools.permutations(y)]  # the definition, by brute force
    by_hand = sum(abs(t) >= abs(_tau_b(x, y)) - 1e-12 for t in null) / len(null)
    assert (out["kendall_method"] == "exact permutation (ties)").all()
    assert out["kendall_p"].astype(float).tolist() == pytest.approx([by_hand] * 14)
