"""A province's own indicators, tables, sources and name, end to end: validate, reproduce, compare, export.

The workbook (tests/own_tables_helpers.py) adds an indicator to Table 3, deletes one of Table 5, adds a whole
Table 6 (a flow and a level), states its own sources and names its province in NFD.
"""
from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
from own_tables_helpers import AGENCY, FANPAGE, PROVINCE_NFC, PROVINCE_NFD, TABLE6_CAPTION, assert_refused, own_workbook

from laocai_stats import open_dataset

TEXT_SUFFIXES = {".csv", ".md", ".html", ".ipynb", ".svg", ".json"}


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "laocai_stats", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="session")
def own(tmp_path_factory) -> Path:
    return own_workbook(tmp_path_factory.mktemp("own") / "Hà Giang mẫu.xlsx")


@pytest.fixture(scope="session")
def own_run(own, tmp_path_factory):
    """One real `laocai-stats reproduce` on the province's workbook, shared by every test that reads its outputs."""
    out = tmp_path_factory.mktemp("own-run") / "outputs"
    before = hashlib.sha256(own.read_bytes()).hexdigest()
    result = cli("reproduce", "--data", own, "--out", out, "--jobs", "2")  # not --quiet: the warnings are shown
    assert result.returncode == 0, result.stderr
    assert hashlib.sha256(own.read_bytes()).hexdigest() == before  # the user's file is never modified
    return out, result


def rows(out: Path, stem: str) -> list[dict]:
    with open(out / "tables" / f"{stem}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def data_line_output(notebook) -> str:
    cell = next(c for c in notebook.cells if "sources.data_line" in c.source)
    return cell.outputs[0]["data"]["text/markdown"]


def text_outputs(out: Path):
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            yield path, path.read_text(encoding="utf-8")


# --- validate ---------------------------------------------------------------------------------------

def test_validate_shows_the_derived_ids_and_what_is_not_reported(own):
    result = cli("validate", own)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "sheet 'Table 3 publications', cell B8: new indicator 'facebook_posts' (Facebook posts, posts, a flow, indirect channel)" in out
    assert "new indicator 'zalo_messages_sent'" in out and "new indicator 'zalo_groups_run' (Zalo groups run, groups, a level" in out
    assert "new table 'social_media' (Table 6: Communication on social networks), 2 indicator(s)" in out
    assert "no row for the paper's indicator 'loudspeaker_broadcasts'" in out and "'not reported'" in out


def test_added_and_deleted_indicators_in_the_frames(own):
    dataset = open_dataset(own)
    publications = dataset.spec("publications")
    assert [i.name for i in publications.indicators][-1] == "facebook_posts"
    assert publications.indicator("facebook_posts").channel == "indirect"
    press = dataset.spec("press")
    assert [i.name for i in press.not_reported] == ["loudspeaker_broadcasts"]
    # Not reported: no rows at all; reported blank would be rows with missing values.
    assert "loudspeaker_broadcasts" not in set(dataset.table("press").rows["indicator"])
    table6 = dataset.table("social_media").rows
    assert table6.query("indicator == 'zalo_groups_run'")["value"].tolist() == [2, 3, 5, 6, 8]
    assert dataset.spec("social_media").number == 6 and not dataset.spec("social_media").reference
    assert dataset.province == PROVINCE_NFC != PROVINCE_NFD


# --- reproduce --------------------------------------------------------------------------------------

def test_new_series_wherever_series_belong(own_run, own):
    out, _ = own_run
    growth = {r["indicator"]: r for r in rows(out, "growth")}
    for name in ("facebook_posts", "zalo_messages_sent", "zalo_groups_run"):
        assert growth[name]["status"] == "reported" and growth[name]["cagr"], name
    assert float(growth["zalo_groups_run"]["cagr"]) == pytest.approx((8 / 2) ** 0.25 - 1)
    deleted = growth["loudspeaker_broadcasts"]
    assert deleted["status"] == "not reported" and deleted["cagr"] == deleted["n_missing"] == ""
    channel_flows = {r["indicator"]: r["channel"] for r in rows(out, "channel_growth")}
    assert channel_flows["facebook_posts"] == channel_flows["zalo_messages_sent"] == "indirect"
    assert "zalo_groups_run" not in channel_flows  # a level measures capacity, not output
    for stem in ("year_on_year", "index", "data_social_media"):
        assert {"zalo_messages_sent", "zalo_groups_run"} <= {r["indicator"] for r in rows(out, stem)}, stem
    assert (out / "figures" / "table6_social_media.png").is_file()
    workbook = openpyxl.load_workbook(out / "tables" / "tables.xlsx", read_only=True)
    assert "data_social_media" in workbook.sheetnames
    assert workbook.properties.title == f"Derived tables, {PROVINCE_NFC}"
    contents = list(workbook["Contents"].iter_rows(values_only=True))
    assert ("Province", PROVINCE_NFC) in [r[:2] for r in contents]
    caption = open_dataset(own).spec("publications").caption
    assert ("Source", f"Table 3: {caption}, cells D8:H8: {FANPAGE}") in [r[:2] for r in contents]


def test_every_derived_table_names_its_province_in_nfc(own_run):
    out, _ = own_run
    for path in sorted((out / "tables").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames[0] == "province", path.name
            assert {r["province"] for r in reader} <= {PROVINCE_NFC}, path.name
    workbook = openpyxl.load_workbook(out / "tables" / "tables.xlsx", read_only=True)
    growth = list(workbook["growth"].iter_rows(max_row=2, values_only=True))
    assert growth[0][0] == "province" and growth[1][0] == PROVINCE_NFC


def test_report_and_notebooks_credit_the_provinces_sources(own_run):
    out, _ = own_run
    report = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert f'<meta name="province" content="{PROVINCE_NFC}">' in report
    assert f"policy communication in {PROVINCE_NFC}" in report
    assert "Table 6: Communication on social networks" in report and "figures/table6_social_media.png" in report
    assert f"{AGENCY}, social media annex" in report and FANPAGE in report
    for stem in ("02-agents", "03-conferences", "04-publications", "05-website", "06-press"):
        notebook = nbformat.read(out / "notebooks" / f"{stem}.ipynb", as_version=4)
        shown = data_line_output(notebook)
        assert AGENCY in shown and "Lao Cai" not in shown, stem
    publications = nbformat.read(out / "notebooks" / "04-publications.ipynb", as_version=4)
    assert FANPAGE in data_line_output(publications)
    more = nbformat.read(out / "notebooks" / "10-more-tables.ipynb", as_version=4)
    texts = json.dumps([c.get("outputs", []) for c in more.cells], ensure_ascii=False)
    assert TABLE6_CAPTION.split(": ")[1] in texts and "Zalo groups run" in texts


def test_no_credit_to_lao_cai_no_nfd_and_no_absolute_path(own_run, own):
    out, _ = own_run
    for path, text in text_outputs(out):
        assert "Lao Cai Provincial Social Security" not in text, path
        assert PROVINCE_NFD not in text, path
        assert str(own.parent) not in text and str(out) not in text, path
        # Lao Cai is named only where the audit says, once, that the paper's text checks concern its text.
        for line in text.splitlines():
            if "Lao Cai" in line:
                assert "concern the paper's text about Lao Cai" in line, (path, line[:200])


def test_reproduce_shows_the_warnings_and_points_to_validate(own_run, own):
    _, result = own_run
    assert f"{PROVINCE_NFC} ({own}): 1 warning(s) in the data:" in result.stderr
    assert "sheet 'Table 1 agents': no figures entered yet" in result.stderr
    assert "all of them: laocai-stats validate '" in result.stderr  # the path has a space: quoted to paste


# --- compare ----------------------------------------------------------------------------------------

def test_compare_with_lao_cai(own, tmp_path):
    result = cli("compare", own, Path(__file__).resolve().parents[1] / "data" / "laocai", "--format", "csv", "--out", tmp_path / "cmp")
    assert result.returncode == 0, result.stderr
    assert "1 warning(s) in the data" in result.stderr
    assert "loudspeaker_broadcasts is not reported by Hà Giang" in result.stdout
    ranking = pd.read_csv(tmp_path / "cmp" / "ranking.csv")
    assert {"facebook_posts", "zalo_messages_sent"} <= set(ranking["indicator"])
    assert set(ranking["province"]) == {PROVINCE_NFC, "Lao Cai"}


def test_one_spelling_of_a_name(own, tmp_path):
    nfc = own_workbook(tmp_path / "precomposed.xlsx", province=PROVINCE_NFC)
    assert open_dataset(nfc).province == open_dataset(own).province
    result = cli("compare", own, nfc, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert f"2 data sets are called '{PROVINCE_NFC}'" in result.stdout  # one province, told apart by file name


# --- export as a data package -----------------------------------------------------------------------

def test_export_to_package_round_trip(own, tmp_path):
    import frictionless

    target = tmp_path / "package"
    result = cli("export", own, "--to-package", target)
    assert result.returncode == 0, result.stderr
    report = frictionless.validate(str(target / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    workbook, package = open_dataset(own), open_dataset(target)
    assert workbook.table_names() == package.table_names() and package.province == PROVINCE_NFC
    for name in workbook.table_names():
        pd.testing.assert_frame_equal(workbook.table(name).rows, package.table(name).rows)
        pd.testing.assert_frame_equal(workbook.table(name).totals, package.table(name).totals)
        a, b = workbook.spec(name), package.spec(name)
        assert (a.indicators, a.not_reported, a.reference, a.source) == (b.indicators, b.not_reported, b.reference, b.source)
    assert {"sheet": "Table 3 publications", "cells": "D8:H8", "source": FANPAGE, "note": ""} in package.metadata["sources"]
    again = cli("export", own, "--to-package", target)
    assert again.returncode == 2 and "already exists and is not empty" in again.stderr


# --- the template -----------------------------------------------------------------------------------

def test_template_has_kind_and_channel_with_drop_downs(tmp_path):
    path = tmp_path / "t.xlsx"
    assert cli("template", path).returncode == 0
    ws = openpyxl.load_workbook(path)["Table 2 conferences"]
    header = [c.value for c in ws[4]]
    kind, channel = header.index("Kind") + 1, header.index("Channel") + 1
    assert ws.cell(5, kind).value == "level" and ws.cell(7, kind).value == "flow" and ws.cell(7, channel).value == "direct"
    lists = {v.formula1 for v in ws.data_validations.dataValidation if v.type == "list"}
    assert lists == {'"flow,level"', '"direct,indirect"'}


# --- bad input --------------------------------------------------------------------------------------

def _set(sheet, **cells):
    def change(wb):
        for cell, value in cells.items():
            wb[sheet][cell] = value
    return change


BAD = {
    "added row without a label": (_set("Table 3 publications", B8=None),
        "sheet 'Table 3 publications', cell B8: a row with a blank Id is a new indicator: type its name here"),
    "added row without a unit": (_set("Table 3 publications", C8=None),
        "sheet 'Table 3 publications', cell C8: type the unit the new indicator is counted in"),
    "added row without a kind": (_set("Table 3 publications", I8=None),
        "sheet 'Table 3 publications', cell I8: type the new indicator's kind: flow or level"),
    "a kind other than flow or level": (_set("Table 3 publications", I8="stock"),
        "sheet 'Table 3 publications', cell I8: expected the kind flow or level, found 'stock'"),
    "a channel other than direct or indirect": (_set("Table 3 publications", J8="online"),
        "sheet 'Table 3 publications', cell J8: expected the channel direct or indirect (the paper's section 2.4), found 'online'"),
    "colliding derived ids": (_set("Table 6 social media", B6="Zalo messages, sent"),
        "sheet 'Table 6 social media', cell B6: the label 'Zalo messages, sent' gives the id 'zalo_messages_sent', as B5 does"),
    "a new table without years": (_set("Table 6 social media", D4=None, E4=None, F4=None, G4=None, H4=None,
                                       D5=None, E5=None, F5=None, G5=None, H5=None, D6=None, E6=None, F6=None, G6=None, H6=None),
        "sheet 'Table 6 social media', cell D4: expected at least one year in the header row, such as 2019"),
    "a new table without a caption": (_set("Table 6 social media", A1="Social media"),
        "sheet 'Table 6 social media', cell A1: a new table needs its caption in the title cell, as 'Table 6: what the table counts'"),
    "a copied sheet still holding the original's Ids": (_set("Table 6 social media", A5="press_items"),
        "sheet 'Table 6 social media', cell A5: the Id 'press_items' in a table the paper does not have: this sheet seems copied"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_one_line_exit_2_nothing_written(case, tmp_path):
    change, expected = BAD[case]
    path = own_workbook(tmp_path / "bad.xlsx", change=change)
    assert_refused(path, expected, tmp_path / "out")


@pytest.mark.parametrize("suffix, what", [(".ods", "a LibreOffice Calc spreadsheet (.ods)"), (".xls", "an old Excel 97-2003 workbook (.xls)")])
def test_other_spreadsheet_formats_say_how_to_save_as_xlsx(tmp_path, suffix, what):
    path = tmp_path / f"Hà Giang{suffix}"
    path.write_bytes(b"not read")
    result = cli("validate", path)
    assert result.returncode == 2
    assert f"this is {what}" in result.stderr and "LibreOffice Calc: File > Save As..., file type 'Excel 2007-365 (.xlsx)'" in result.stderr
    assert f"laocai-stats validate '{tmp_path}/Hà Giang.xlsx'" in result.stderr
