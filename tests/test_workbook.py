"""Reading a filled workbook: the export round trip, and every class of bad input refused or flagged with its sheet and cell."""
from __future__ import annotations

import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from workbook_helpers import (
    add_entities,
    edit,
    export_laocai,
    found,
    patch_member,
    sheet_member,
    with_saved_value,
)

from laocai_stats import (
    DataError,
    list_tables,
    load_table,
    open_dataset,
    printed_totals,
    table_info,
)
from laocai_stats.text import use_language
from laocai_stats.workbook.reader import WorkbookReader

WEBSITE, PRESS, PUBLICATIONS, CONFERENCES, AGENTS = (
    "Table 4 website", "Table 5 press", "Table 3 publications", "Table 2 conferences", "Table 1 agents")
# The shipped paper's own Table 4 total (1,116) is not the sum of its rows (1,136): the one warning a clean export has.
SAVE_STEPS = ("save it as .xlsx (Excel: File > Save As, type 'Excel Workbook (*.xlsx)'; LibreOffice Calc: File > Save As..., "
              "file type 'Excel 2007-365 (.xlsx)', then 'Use Excel 2007-365!')")
PAPER_TOTAL_WARNING = ("warning", "sheet 'Table 4 website', cell I5: the total typed in I5 is 1116, the years 2016-2020 sum to 1136; "
                       "it is kept as typed, never replaced")


@pytest.fixture(scope="module")
def laocai(tmp_path_factory) -> Path:
    return export_laocai(tmp_path_factory.mktemp("export"))


def damaged(laocai: Path, tmp_path: Path, change) -> Path:
    return edit(laocai, tmp_path / "damaged.xlsx", change)


def set_cells(sheet: str, **cells):
    def change(wb):
        for coordinate, value in cells.items():
            wb[sheet][coordinate] = value
    return change


# --- the export round trip -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list_tables())
def test_export_reads_back_identical_frames(laocai, name):
    pd.testing.assert_frame_equal(load_table(name, laocai), load_table(name))
    assert load_table(name, laocai).attrs == load_table(name).attrs
    pd.testing.assert_frame_equal(printed_totals(name, laocai), printed_totals(name))
    # Identical but for the notes on the paper's own numbers, which weigh them against the paper's text: a workbook
    # carries neither those notes nor the text's counts (see test_export_carries_province_and_citation).
    shipped = table_info(name)
    for indicator in shipped["indicators"]:
        indicator.pop("data_note", None)
    assert table_info(name, laocai) == shipped


def test_a_note_on_the_papers_own_numbers_stays_with_the_paper(laocai):
    shipped = {i.name: i for i in open_dataset(None).spec("publications").indicators}
    exported = {i.name: i for i in open_dataset(laocai).spec("publications").indicators}
    assert "379" in shipped["agent_signs"].note_text() and "379" not in exported["agent_signs"].note_text()
    assert exported["agent_signs"].note == shipped["agent_signs"].note  # what the row counts travels
    with use_language("vi"):
        assert "379" in shipped["agent_signs"].note_text() and "379" not in exported["agent_signs"].note_text()
    assert "data_note" not in (exported["agent_signs"].translations or {}).get("vi", {})


def test_export_carries_province_and_citation(laocai):
    dataset = open_dataset(laocai)
    shipped = open_dataset(None)
    assert dataset.province == "Lao Cai"
    assert dataset.citation == shipped.citation
    assert dataset.facts is None


def test_clean_export_validates_with_only_the_papers_own_total_warning(laocai):
    assert found(laocai) == [PAPER_TOTAL_WARNING]


def test_reading_never_modifies_the_file(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells(WEBSITE, F5="abc"))
    before, stamp = path.read_bytes(), path.stat().st_mtime_ns
    from laocai_stats.cli import main

    assert main(["validate", str(path)]) == 2
    with pytest.raises(DataError):
        load_table("website", path)
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == stamp


# --- bad values: each class with its exact message ---------------------------------------------------------------

BAD_VALUES = {
    "text in a number cell": (set_cells(WEBSITE, F5="abc"),
        "sheet 'Table 4 website', cell F5: expected a whole number (leave the cell blank if unknown), found 'abc'"),
    "negative count": (set_cells(PRESS, D5=-163),
        "sheet 'Table 5 press', cell D5: expected a count of at least 0, found -163"),
    "fraction": (set_cells(PUBLICATIONS, D5=680.5),
        "sheet 'Table 3 publications', cell D5: expected a whole number, found 680.5"),
    "fraction in text": (set_cells(PUBLICATIONS, D6="12,5"),
        "sheet 'Table 3 publications', cell D6: expected a whole number (leave the cell blank if unknown), found '12,5'; "
        "a count cannot have a fraction"),
    "Vietnamese thousands typed as a decimal number": (set_cells(PUBLICATIONS, G5=1.263),
        "sheet 'Table 3 publications', cell G5: expected a whole number, found 1.263; if you meant 1263, retype it without "
        "the '.' (Excel or LibreOffice Calc took it for a decimal point)"),
    "formula without a saved value": (set_cells(WEBSITE, D5="=180+2"),
        "sheet 'Table 4 website', cell D5: holds the formula =180+2 but no value was saved with it; open the file in Excel or "
        "LibreOffice Calc and save it again (that stores the value), or type the number instead"),
    "a date": (set_cells(PRESS, E6=pd.Timestamp("2017-03-01").to_pydatetime()),
        "sheet 'Table 5 press', cell E6: expected a whole number, found the date or time 2017-03-01 00:00:00; "
        "format the cell as a number and retype it"),
    "TRUE": (set_cells(AGENTS, D6=True), "sheet 'Table 1 agents', cell D6: expected a whole number, found TRUE"),
    "duplicate year": (set_cells(WEBSITE, E4=2016),
        "sheet 'Table 4 website', cell E4: the year 2016 appears again (first in D4); expected each year once"),
    "non-numeric year": (set_cells(WEBSITE, E4="Year two"),
        "sheet 'Table 4 website', cell E4: expected a year such as 2019, found 'Year two'; put notes below the table or on "
        "the Sources sheet, not in a column of their own"),
    "total column where the paper has none": (set_cells(CONFERENCES, J4="Total"),
        "sheet 'Table 2 conferences', cell J4: expected a year such as 2019, found 'Total'; Table 2 has no total column "
        "(not all its indicators may be added up over years)"),
    "implausible year": (set_cells(CONFERENCES, F4=20177),
        "sheet 'Table 2 conferences', cell F4: expected a year between 1900 and 2100, found 20177"),
    "missing year above figures": (set_cells(WEBSITE, E4=None),
        "sheet 'Table 4 website', cell E5: these figures have no heading: expected a year in E4 above them, found a blank cell"),
    "unknown indicator id": (set_cells(PUBLICATIONS, A6="leaflets"),
        "sheet 'Table 3 publications', cell A6: unknown indicator id 'leaflets'; expected one of: posters, flyers, agent_signs; "
        "to add an indicator, leave Id blank and type its label, unit, kind and channel (write notes below the table, after a blank row)"),
    "duplicate indicator row": (set_cells(PRESS, A6="press_items"),
        "sheet 'Table 5 press', cell A6: indicator 'press_items' appears again (first in row 5); expected one row per indicator"),
    "figures without an id": (set_cells(CONFERENCES, A7=None),
        "sheet 'Table 2 conferences', cell A7: these figures have no indicator id; expected one of coordinating_units, "
        "training_conferences, training_attendees, post_office_conferences, post_office_attendees, "
        "health_insurance_conferences, health_insurance_attendees in column A"),
    "changed unit": (set_cells(PUBLICATIONS, C6="thousand sheets"),
        "sheet 'Table 3 publications', cell C6: expected the unit 'sheets', found 'thousand sheets'; the figures must be "
        "counted in sheets: convert them and restore the unit"),
    "renamed column heading in Table 1": (set_cells(AGENTS, E4="Points"),
        "sheet 'Table 1 agents', cell E4: a column heading the paper's table does not have is a new indicator: type the unit it "
        "is counted in, in brackets after its name, as 'Contracts signed (contracts)', or restore one of the paper's headings: "
        "'Number of employees agency (people)', 'Number of collection points (points)'"),
    "agent system without a name": (set_cells(AGENTS, C7=None),
        "sheet 'Table 1 agents', cell C7: expected the name of the agent system in this row"),
    "merged cells": (lambda wb: wb[WEBSITE].merge_cells("D5:E5"),
        "sheet 'Table 4 website', cell D5:E5: merged cells; expected one value per cell: unmerge them "
        "(Excel: Home > Merge & Center; LibreOffice Calc: Format > Merge and Unmerge Cells > Split Cells) and type each figure in its own cell"),
    "missing sheet": (lambda wb: wb.remove(wb[PRESS]),
        "sheet 'Table 5 press': no such sheet; expected one for Table 5 (Results of coordination with press and media "
        "agencies): copy it from a fresh `laocai-stats template`"),
    "header row gone": (set_cells(PRESS, A4="Code"),
        "sheet 'Table 5 press': expected a header row with 'Id' in column A (row 4 of the template) followed by the years; "
        "found none in the first 30 rows"),
}


@pytest.mark.parametrize("case", BAD_VALUES, ids=list(BAD_VALUES))
def test_bad_input_is_refused_with_sheet_cell_and_expectation(laocai, tmp_path, case):
    change, message = BAD_VALUES[case]
    path = damaged(laocai, tmp_path, change)
    dataset = open_dataset(path)
    problems = [(p.severity, str(p)) for p in dataset.problems()]
    assert ("error", f"{path}, {message}") in problems, problems
    # The library refuses the table that holds it, carrying the same located problem.
    refused = []
    for name in dataset.table_names():
        try:
            dataset.table(name)
        except DataError as exc:
            refused += [str(p) for p in exc.problems]
    assert f"{path}, {message}" in refused


def test_validate_reports_every_problem_at_once(laocai, tmp_path):
    path = damaged(laocai, tmp_path, lambda wb: [set_cells(s, **c)(wb) for s, c in [
        (WEBSITE, {"F5": "abc"}), (PRESS, {"D5": -1}), (AGENTS, {"D6": 1.5}), (CONFERENCES, {"E4": "x"})]])
    errors = [m for s, m in found(path) if s == "error"]
    assert [m.split(":")[0] for m in errors] == [
        "sheet 'Table 1 agents', cell D6", "sheet 'Table 2 conferences', cell E4",
        "sheet 'Table 4 website', cell F5", "sheet 'Table 5 press', cell D5"]


def test_one_bad_sheet_does_not_block_the_others(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells(PRESS, D5="n/a"))
    with pytest.raises(DataError, match="cell D5"):
        load_table("press", path)
    pd.testing.assert_frame_equal(load_table("website", path), load_table("website"))


# --- legal but worth a word: read, with a warning ------------------------------------------------------------------

@pytest.mark.parametrize("typed, separator", [("1,263", "','"), ("1.263", "'.'"), ("1 263", "a space"), ("1\u00a0263", "a no-break space")])
def test_thousands_separators_in_text_are_read_with_a_warning(laocai, tmp_path, typed, separator):
    path = damaged(laocai, tmp_path, set_cells(PUBLICATIONS, G5=typed))
    frame = load_table("publications", path)
    assert frame.query("indicator == 'posters' and year == 2019")["value"].item() == 1263
    typed_as_shown = "'1 263' (with a no-break space)" if "\u00a0" in typed else f"'{typed}'"
    assert ("warning", f"sheet 'Table 3 publications', cell G5: read the text {typed_as_shown} as the whole number 1263, taking "
            f"{separator} as a thousands separator; type figures as numbers, without separators, to be sure") in found(path)


def test_number_typed_as_text_is_read_with_a_warning(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells(PRESS, D5="163"))
    assert load_table("press", path)["value"].iloc[0] == 163
    assert ("warning", "sheet 'Table 5 press', cell D5: read the text '163' as the number 163; store figures as numbers, not text") in found(path)


def test_blank_cells_are_missing_never_zero(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells(WEBSITE, F5=None, F6="  "))
    frame = load_table("website", path)
    blank = frame[frame["year"] == 2018]
    assert len(blank) == 2 and blank["value"].isna().all()
    assert frame["value"].dtype == "Int64"
    assert not any(s == "error" for s, _ in found(path))


def test_a_whole_year_left_blank_keeps_its_rows(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells(PRESS, H5=None, H6=None, I5=None, I6=None))
    frame = load_table("press", path)
    assert sorted(frame["year"].unique()) == [2016, 2017, 2018, 2019, 2020]
    assert frame[frame["year"] == 2020]["value"].isna().all()


def test_formula_uses_the_value_excel_saved(laocai, tmp_path):
    with_formula = damaged(laocai, tmp_path, set_cells(WEBSITE, D5="=180+2"))
    member = sheet_member(with_formula, WEBSITE)
    saved = patch_member(with_formula, tmp_path / "saved.xlsx", member, lambda xml: with_saved_value(xml, "D5", "180+2", "182"))
    pd.testing.assert_frame_equal(load_table("website", saved), load_table("website"))
    assert [p for p in found(saved) if p[0] == "error"] == []


def test_formula_error_value_is_refused(laocai, tmp_path):
    with_formula = damaged(laocai, tmp_path, set_cells(WEBSITE, D5="=1/0"))
    member = sheet_member(with_formula, WEBSITE)
    saved = patch_member(with_formula, tmp_path / "err.xlsx", member, lambda xml: with_saved_value(xml, "D5", "1/0", "#DIV/0!", error=True))
    assert ("error", "sheet 'Table 4 website', cell D5: the formula =1/0 gives the error #DIV/0!; expected a whole number") in found(saved)


def test_total_that_does_not_match_its_rows_is_kept_with_a_warning(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells(PRESS, I5=1000))
    assert printed_totals("press", path).set_index("indicator").loc["press_items", "value"] == 1000
    assert ("warning", "sheet 'Table 5 press', cell I5: the total typed in I5 is 1000, the years 2016-2020 sum to 1137; "
            "it is kept as typed, never replaced") in found(path)


def test_table_1_total_row_is_checked(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells(AGENTS, E12=366))
    assert ("warning", "sheet 'Table 1 agents', cell E12: the total typed in E12 is 366, the agent system rows sum to 367; "
            "it is kept as typed, never replaced") in found(path)


def test_tenfold_jump_is_flagged(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells(WEBSITE, H5=26600, I5=None))
    assert load_table("website", path).query("indicator == 'articles' and year == 2020")["value"].item() == 26600
    assert ("warning", "sheet 'Table 4 website', cell H5: 26600 is more than ten times the 2019 figure, 266 (cell G5); "
            "check for a typing error") in found(path)


def test_tenfold_drop_is_flagged(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells(CONFERENCES, H8=312))
    assert ("warning", "sheet 'Table 2 conferences', cell H8: 312 is less than a tenth of the 2018 figure, 3209 (cell G8); "
            "check for a typing error") in found(path)


def test_renamed_sheet_is_still_read(laocai, tmp_path):
    def rename(wb):
        wb[WEBSITE].title = "Trang web"
    path = damaged(laocai, tmp_path, rename)
    pd.testing.assert_frame_equal(load_table("website", path), load_table("website"))
    assert ("warning", "sheet 'Trang web': read as Table 4 (website); expected the sheet name 'Table 4 website'") in found(path)


def test_extra_sheet_is_named_and_ignored(laocai, tmp_path):
    def add(wb):
        wb.create_sheet("My notes")["A1"] = 12345
    path = damaged(laocai, tmp_path, add)
    assert ("warning", "sheet 'My notes': extra sheet, not read: only the About, Sources and 'Table N ...' sheets are read; "
            "to add a table, name its sheet 'Table N short name' (N after the paper's tables)") in found(path)
    assert not any(s == "error" for s, _ in found(path))


def test_notes_below_a_table_are_ignored(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells(PRESS, A7="Note: 2020 figures are provisional", A9="Checked by the district", C10="x"))
    pd.testing.assert_frame_equal(load_table("press", path), load_table("press"))
    assert [p for p in found(path) if "press" in p[1]] == []


def test_figures_below_the_end_of_the_table_are_flagged(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells(PRESS, A8="loudspeaker_broadcasts", D8=12))
    pd.testing.assert_frame_equal(load_table("press", path), load_table("press"))
    assert ("warning", "sheet 'Table 5 press', cell D8: the figure 12 is below the end of the table (row 6) and was not read; "
            "if it belongs to the table, delete the blank rows above it") in found(path)


def test_merged_caption_is_harmless(laocai, tmp_path):
    path = damaged(laocai, tmp_path, lambda wb: wb[WEBSITE].merge_cells("A1:I1"))
    pd.testing.assert_frame_equal(load_table("website", path), load_table("website"))


def test_added_agent_system_gets_a_stable_id(laocai, tmp_path):
    def add(wb):
        ws = wb[AGENTS]
        ws.insert_rows(12)
        ws["C12"], ws["D12"], ws["E12"] = "Hội Cựu chiến binh", 9, 4
    path = damaged(laocai, tmp_path, add)
    frame = load_table("agents", path)
    assert frame.query("group == 'hoi_cuu_chien_binh'")["value"].tolist() == [9, 4]
    assert list(dict.fromkeys(frame["group"]))[-1] == "hoi_cuu_chien_binh"
    assert open_dataset(path).spec("agents").groups[-1].label == "Hội Cựu chiến binh"
    # The printed total (434) no longer matches once a row is added: said, not corrected.
    assert printed_totals("agents", path)["value"].tolist() == [434, 367]
    assert any(s == "warning" and "cell D13: the total typed in D13 is 434" in m for s, m in found(path))


def test_duplicate_agent_system_is_refused(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells(AGENTS, A11=None, C11="Post office"))
    assert ("error", "sheet 'Table 1 agents', cell C11: the agent system 'post_office' appears again (first in row 6); "
            "expected each agent system once") in found(path)


def test_province_comes_from_the_about_sheet(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells("About", B3="Ha Giang"))
    assert open_dataset(path).province == "Ha Giang"
    blank = damaged(laocai, tmp_path, set_cells("About", B3=None))
    assert open_dataset(blank).province == "unnamed province"
    assert ("warning", "sheet 'About', cell B3: the province's name is blank; type it here") in found(blank)


# --- files that are not workbooks, and hostile ones ----------------------------------------------------------------

NOT_WORKBOOKS = {
    "csv renamed": (b"indicator,year,value\narticles,2016,182\n", "it is a text file, perhaps a CSV renamed .xlsx; open it in "
                    "Excel or LibreOffice Calc and " + SAVE_STEPS),
    "random bytes": (bytes(range(256)) * 8, "its contents are not the zip archive every .xlsx file is"),
    "empty": (b"", "the file is empty"),
    "old xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "it is an old Excel 97-2003 .xls file or a password-protected "
                "workbook; open it in Excel or LibreOffice Calc and " + SAVE_STEPS + ", without a password"),
}


@pytest.mark.parametrize("case", NOT_WORKBOOKS, ids=list(NOT_WORKBOOKS))
def test_not_a_workbook(tmp_path, case):
    content, why = NOT_WORKBOOKS[case]
    path = tmp_path / "my.xlsx"
    path.write_bytes(content)
    with pytest.raises(DataError) as raised:
        open_dataset(path)
    assert str(raised.value) == f"{path}: not an Excel .xlsx workbook ({why})"


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    with pytest.raises(DataError, match=r"doc.xlsx: not an Excel .xlsx workbook \(a zip archive with no Excel workbook inside"):
        open_dataset(path)


def test_damaged_workbook_xml(laocai, tmp_path):
    path = patch_member(laocai, tmp_path / "broken.xlsx", "xl/workbook.xml", lambda xml: xml[: len(xml) // 2])
    with pytest.raises(DataError, match=r"broken.xlsx: not an Excel .xlsx workbook \(it could not be read: "):
        open_dataset(path)


@pytest.mark.timed
@pytest.mark.parametrize("member", ["xl/workbook.xml", "sheet", "xl/styles.xml", "docProps/core.xml"])
def test_billion_laughs_is_refused_within_a_second(laocai, tmp_path, member):
    if member == "sheet":
        member = sheet_member(laocai, WEBSITE)
    path = patch_member(laocai, tmp_path / "evil.xlsx", member, add_entities)
    assert "<!ENTITY lol9" in zipfile.ZipFile(path).read(member).decode()
    started = time.perf_counter()
    with pytest.raises(DataError) as raised:
        WorkbookReader(path)
    assert time.perf_counter() - started < 1.0
    assert str(raised.value).startswith(f"{path}: refused: its XML declares entities (EntitiesForbidden)")


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    from laocai_stats.workbook import reader as workbook

    path = export_laocai(tmp_path)
    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(DataError, match=r"refused: the workbook would unpack to 0 MB"):
        open_dataset(path)


def test_cli_validate_prints_one_line_per_problem_and_exits_2(laocai, tmp_path, capsys):
    from laocai_stats.cli import main

    path = damaged(laocai, tmp_path, set_cells(WEBSITE, F5="abc", G5="1.263"))
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert f"error: {path}, sheet 'Table 4 website', cell F5: expected a whole number (leave the cell blank if unknown), found 'abc'" in lines
    assert any(line.startswith(f"warning: {path}, sheet 'Table 4 website', cell G5: read the text '1.263'") for line in lines)
    assert "1 error(s)" in out.err


def test_cli_not_a_workbook_is_one_line(tmp_path, capsys):
    from laocai_stats.cli import main

    path = tmp_path / "data.xlsx"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"laocai-stats: error: {path}: not an Excel .xlsx workbook (")


def test_workbook_works_wherever_data_is_taken(laocai, capsys):
    from laocai_stats.cli import main

    assert main(["show", "website", "--data", str(laocai), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "articles,2016,182,articles"
    assert open_dataset(laocai).table_names() == list_tables()


def test_sources_sheet_is_read(laocai):
    sources = WorkbookReader(laocai).metadata["sources"]
    assert [s["sheet"] for s in sources] == [AGENTS, CONFERENCES, PUBLICATIONS, WEBSITE, PRESS]
    assert sources[3]["cells"] == "D5:I6" and sources[3]["source"] == "Lao Cai Provincial Social Security"


def test_sources_naming_no_sheet_are_flagged(laocai, tmp_path):
    path = damaged(laocai, tmp_path, set_cells("Sources", A10="Table 9 nothing", B10="E5-E9", C10=None, D10="?"))
    problems = found(path)
    assert ("warning", "sheet 'Sources', cell A10: no sheet named 'Table 9 nothing' in this workbook") in problems
    assert ("warning", "sheet 'Sources', cell B10: expected cells such as E5 or E5:I11, found 'E5-E9'") in problems
    assert ("warning", "sheet 'Sources', cell C10: the source is blank; write the document the figures come from (title, page, date)") in problems


def test_openpyxl_reads_through_defusedxml():
    # Without defusedxml openpyxl would parse with the standard library and expand entities.
    assert openpyxl.DEFUSEDXML is True
