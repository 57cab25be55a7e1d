"""Outputs people can use: whole numbers as whole numbers, tables.xlsx formatted and explained, a codebook for every
derived CSV (valid under frictionless), and Vietnamese text intact when a spreadsheet user opens them (LibreOffice).
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from province_helpers import province_workbook

from laocai_stats import __version__
from laocai_stats.data.dataset import open_dataset
from laocai_stats.publish.codebook import COLUMNS, column, tables_descriptor
from laocai_stats.publish.docs import output_dictionary
from laocai_stats.run.reproduce import derived_tables, write_tables
from laocai_stats.text import csv_frame, plain_number

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ROOT / "outputs"
SOFFICE = Path(os.environ.get("SOFFICE", "/usr/bin/soffice"))


def test_plain_numbers():
    assert [plain_number(v) for v in (15.0, -3.0, 0.1, 1e16, float("nan"), None)] == ["15", "-3", "0.1", "10000000000000000", None, None]
    frame = pd.DataFrame({"n": [15.0, None], "label": ["-5", "ok"]})
    assert csv_frame(frame).to_csv(index=False) == "n,label\n15,'-5\n,ok\n"  # numbers plain, text still escaped


def test_no_csv_writes_a_whole_number_as_a_decimal():
    files = sorted(OUTPUTS.glob("*/*.csv"))
    assert len(files) > 15
    for path in files:
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                assert not [cell for cell in row if re.fullmatch(r"-?\d+\.0", cell)], f"{path.name}: {row}"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tables")
    write_tables(open_dataset(), folder)
    return folder


def test_the_codebook_describes_every_derived_csv_and_column(written):
    descriptor = json.loads((written / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in descriptor["resources"]} == {p.name for p in written.glob("*.csv")}
    for resource in descriptor["resources"]:
        with open(written / resource["path"], newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        assert resource["description"] and all(f["description"] and f["type"] for f in resource["schema"]["fields"])
    assert descriptor["province"] == "Lao Cai" and descriptor["created_by"] == f"laocai-stats {__version__}"
    assert (written / "datapackage.json").read_bytes() == (OUTPUTS / "tables" / "datapackage.json").read_bytes()


def test_the_codebook_validates_under_frictionless(written):
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(written / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])


def test_an_unknown_column_is_refused_not_guessed():
    with pytest.raises(KeyError, match="codebook has no column 'mystery'"):
        column("growth", "mystery")
    assert column("ratios", "value").type == "number" and COLUMNS["value"].type == "integer"


def test_another_provinces_codebook_names_that_province_only(tmp_path):
    dataset = open_dataset(province_workbook(tmp_path / "hg.xlsx", "Hà Giang", range(2019, 2024), {"articles": [1, 2, 3, 4, 5]}))
    text = json.dumps(tables_descriptor(derived_tables(dataset), dataset, __version__), ensure_ascii=False)
    assert "Hà Giang" in text and "Lao Cai" not in text


def test_tables_xlsx_shows_counts_and_rates_and_says_what_each_sheet_holds(written):
    wb = load_workbook(written / "tables.xlsx")
    contents = [[c.value for c in row] for row in wb["Contents"].iter_rows()]
    assert contents[0] == ["Sheet", "What it holds", "CSV file", "Rows", "Columns"]
    listed = {row[0]: row[1] for row in contents[1:] if row[0] and row[2]}
    assert set(listed) == set(wb.sheetnames[1:]) and all(listed.values())
    assert listed["data_website"].startswith("Table 4 as printed")
    assert any(row[0] and str(row[0]).startswith("Lao Cai: made by laocai-stats") for row in contents)
    ws = wb["growth"]
    header = {c.value: c.column_letter for c in ws[1]}
    assert ws[f"{header['first_value']}2"].number_format == "#,##0"
    assert ws[f"{header['cagr']}2"].number_format == "0.0 %"
    assert ws[f"{header['first_year']}2"].number_format == "General"  # a year is not a count: no thousands separator
    assert isinstance(ws[f"{header['cagr']}2"].value, float) and ws[f"{header['cagr']}2"].value < 1  # still a fraction


def test_the_readme_output_dictionary_comes_from_the_codebook():
    dictionary = output_dictionary()
    descriptor = json.loads((OUTPUTS / "tables" / "datapackage.json").read_text(encoding="utf-8"))
    for field in descriptor["resources"][0]["schema"]["fields"]:
        assert f"`{field['name']}`" in dictionary and field["description"] in dictionary
    assert dictionary in (ROOT / "README.md").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------
# A spreadsheet user: LibreOffice opens the outputs (`make libreoffice`; skipped without it, except in CI)

def soffice(*args: str, profile: Path) -> None:
    if not SOFFICE.is_file():
        message = f"{SOFFICE} is not installed: run `make libreoffice` (as root) to install Debian's LibreOffice Calc"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the spreadsheet test: {message}")
        pytest.skip(message)
    result = subprocess.run([str(SOFFICE), "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}", *args],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> Path:
    from laocai_stats.publish.comparison import write_comparison
    from laocai_stats.stats.compare import compare

    folder = tmp_path_factory.mktemp("vietnamese")
    workbook = province_workbook(folder / "hg.xlsx", "Hà Giang", range(2016, 2021), {"articles": [10, 20, 30, 40, 50]})
    write_comparison(compare([ROOT / "data" / "laocai", workbook]), folder / "out")
    return folder / "out"


def test_libreoffice_opens_the_workbook_with_vietnamese_text_intact(compared, tmp_path):
    """What the README tells spreadsheet users to open: the .xlsx, every sheet, read back by LibreOffice itself."""
    soffice("--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir", str(tmp_path), str(compared / "comparison.xlsx"), profile=tmp_path / "profile")
    provinces = (tmp_path / "comparison-provinces.csv").read_text(encoding="utf-8")
    assert "Hà Giang" in provinces and "Lao Cai" in provinces
    assert "Hà Giang" in (tmp_path / "comparison-Contents.csv").read_text(encoding="utf-8")
    for stem in ("provinces", "notes", "ranking"):
        ours = (compared / f"{stem}.csv").read_text(encoding="utf-8")
        theirs = (tmp_path / f"comparison-{stem}.csv").read_text(encoding="utf-8")
        assert ours.splitlines()[0] == theirs.splitlines()[0], stem
        assert ("Hà Giang" in ours) == ("Hà Giang" in theirs), stem


def test_libreoffice_reads_the_csv_as_utf8_when_told(compared, tmp_path):
    """The CSVs are plain UTF-8 for programs; LibreOffice keeps the text when UTF-8 is chosen on import (76).
    Opened without that choice it shows 'HÃ  Giang', with or without a byte-order mark: hence tables.xlsx."""
    shutil.copy(compared / "provinces.csv", tmp_path / "provinces.csv")
    soffice("--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(tmp_path / "x"),
            str(tmp_path / "provinces.csv"), profile=tmp_path / "profile")
    cells = [c.value for c in load_workbook(tmp_path / "x" / "provinces.xlsx").active["A"]]
    assert cells == ["province", "Lao Cai", "Hà Giang"]
