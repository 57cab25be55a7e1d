"""tables/tables.xlsx: a sheet per table reproduce writes, the CSV's values, formula text escaped, the same bytes each time."""
from __future__ import annotations

import csv

import pandas as pd
import pytest
from openpyxl import load_workbook

from laocai_stats.data.dataset import open_dataset
from laocai_stats.publish.tables_workbook import (
    CONTENTS_SHEET,
    sheet_names,
    write_tables_workbook,
)
from laocai_stats.run.reproduce import derived_tables, write_tables


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tables")
    write_tables(open_dataset(), folder)
    return folder


def test_one_sheet_per_csv_after_the_contents(written):
    wb = load_workbook(written / "tables.xlsx", read_only=True)
    stems = sorted(p.stem for p in written.glob("*.csv"))
    assert wb.sheetnames[0] == CONTENTS_SHEET
    assert sorted(wb.sheetnames[1:]) == stems  # every stem fits Excel's 31 characters as it is
    assert {"growth", "data_agents", "data_website_printed_totals", "channels"} <= set(wb.sheetnames)


def test_each_sheet_holds_what_its_csv_holds(written):
    wb = load_workbook(written / "tables.xlsx", read_only=True)
    for path in written.glob("*.csv"):
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        sheet = [list(r) for r in wb[path.stem].iter_rows(values_only=True)]
        assert sheet[0] == rows[0], path.name
        assert len(sheet) == len(rows), path.name
        for got, want in zip(sheet[1:], rows[1:]):
            for cell, text in zip(got, want):
                if cell is None:
                    assert text == "", (path.name, want)
                elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
                    assert float(text) == pytest.approx(cell, rel=1e-12), (path.name, want)
                else:
                    assert str(cell) == text, (path.name, want)


def test_growth_sheet_keeps_full_precision(written):
    ws = load_workbook(written / "tables.xlsx")["growth"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    training = next(r for r in rows if r["indicator"] == "training_conferences")
    assert training["cagr"] == pytest.approx((107 / 38) ** 0.25 - 1, rel=1e-15)
    assert isinstance(training["first_year"], int)


def test_the_workbook_is_byte_identical_run_to_run(tmp_path):
    tables = derived_tables(open_dataset())
    write_tables_workbook(tables, tmp_path / "a.xlsx")
    write_tables_workbook(tables, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_text_that_looks_like_a_formula_is_escaped_and_missing_values_are_blank(tmp_path):
    frame = pd.DataFrame({"label": ["=HYPERLINK(\"x\")", "plain", "@SUM(A1)"], "value": [1.5, float("nan"), pd.NA]},)
    frame["value"] = frame["value"].astype("Float64")
    write_tables_workbook({"labels": frame}, tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["labels"]
    assert [c.value for c in ws["A"]][1:] == ["'=HYPERLINK(\"x\")", "plain", "'@SUM(A1)"]
    assert [c.data_type for c in ws["A"]][1:] == ["s", "s", "s"]
    assert [c.value for c in ws["B"]][1:] == [1.5, None, None]


def test_sheet_names_are_unique_and_short_enough():
    long = "a_very_long_table_name_that_goes_past_excel_limits"
    names = sheet_names([long, long + "_too", "contents", "growth"])
    assert all(len(n) <= 31 for n in names.values())
    assert len(set(n.lower() for n in names.values())) == 4
    assert names["growth"] == "growth" and names["contents"] != "contents"
