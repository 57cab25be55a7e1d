"""Table 1 (keyed by agent system, not by year) takes a province's own indicators too: a column typed to the right of
its figures, headed 'Label (unit)', with its kind and channel in the Kind and Channel rows below the Total row; a
paper column deleted is 'not reported'. End to end: validate, frames, statistics, figure, report, tables.xlsx,
export --to-package and compare.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
from own_tables_helpers import PROVINCE_NFC, assert_refused, cli, own_workbook

from laocai_stats import open_dataset

SHEET = "Table 1 agents"
# agent staff, collection points, Facebook followers, per agent system as the template lists them
FIGURES = [(171, 171, 900), (124, 61, 450), (103, 103, 300), (12, 12, 80), (13, 13, 60), (5, 1, 20), (6, 6, 40)]
FOLLOWERS = [f for _s, _p, f in FIGURES]


def table1_workbook(path: Path, change=None) -> Path:
    """The issue's workbook, with Table 1 filled, a column 'Facebook followers (people)' added (a flow, indirect) and
    the paper's collection points column deleted; `change(ws)` may then break the Table 1 sheet (the new column is E)."""
    def fill(wb):
        ws = wb[SHEET]
        for row, values in zip(range(5, 12), FIGURES):
            ws[f"D{row}"], ws[f"E{row}"], ws[f"F{row}"] = values
        ws["F4"], ws["F12"], ws["F13"], ws["F14"] = "Facebook followers (people)", sum(FOLLOWERS), "flow", "indirect"
        ws.delete_cols(5)  # collection points: not reported
        if change is not None:
            change(ws)
    return own_workbook(path, change=fill)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return table1_workbook(tmp_path_factory.mktemp("table1") / "Hà Giang.xlsx")


@pytest.fixture(scope="module")
def run(workbook, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("table1-run") / "outputs"
    result = cli("reproduce", "--data", workbook, "--out", out, "--quiet", "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return out


def rows(out: Path, stem: str) -> list[dict]:
    with open(out / "tables" / f"{stem}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_template_defines_table1s_columns_below_the_total(tmp_path):
    path = tmp_path / "t.xlsx"
    assert cli("template", path).returncode == 0
    ws = openpyxl.load_workbook(path)[SHEET]
    assert [ws.cell(r, 3).value for r in (12, 13, 14)] == ["Total", "Kind", "Channel"]
    assert (ws["D13"].value, ws["E13"].value) == ("snapshot", "snapshot")
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation if v.type == "list"}
    assert lists["D13:O13"] == '"flow,level"' and lists["D14:O14"] == '"direct,indirect"'  # room for added columns
    wholes = {str(v.sqref) for v in ws.data_validations.dataValidation if v.type == "whole"}
    assert wholes == {"D5:O12"}  # whole numbers in the added columns too, not in the Kind and Channel rows


def test_validate_shows_the_new_column_and_the_deleted_one(workbook):
    result = cli("validate", workbook)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("sheet 'Table 1 agents', cell E4: new indicator 'facebook_followers' (Facebook followers, people, a flow, "
            "indirect channel)") in result.stdout
    assert "no column for the paper's indicator 'collection_points'" in result.stdout and "'not reported'" in result.stdout


def test_the_frames_keep_not_reported_apart_from_blank(workbook, tmp_path):
    dataset = open_dataset(workbook)
    spec = dataset.spec("agents")
    assert [i.name for i in spec.indicators] == ["agent_staff", "facebook_followers"]
    added = spec.indicator("facebook_followers")
    assert (added.label, added.unit, added.kind, added.channel) == ("Facebook followers", "people", "flow", "indirect")
    assert [i.name for i in spec.not_reported] == ["collection_points"] and spec.added == ("facebook_followers",)
    table = dataset.table("agents")
    assert table.rows.query("indicator == 'facebook_followers'")["value"].tolist() == FOLLOWERS
    assert "collection_points" not in set(table.rows["indicator"])  # not reported: no rows at all
    assert table.totals.set_index("indicator").loc["facebook_followers", "value"] == sum(FOLLOWERS)
    # Reported blank: the column is there and its rows are <NA>, unlike the deleted one.
    blank = open_dataset(table1_workbook(tmp_path / "blank.xlsx", change=_set(**{f"E{r}": None for r in range(5, 13)})))
    followers = blank.table("agents").rows.query("indicator == 'facebook_followers'")
    assert len(followers) == 7 and followers["value"].isna().all()
    assert [i.name for i in blank.spec("agents").not_reported] == ["collection_points"]


def test_statistics_figure_report_and_tables_workbook(run):
    ratios = rows(run, "agents_ratios")
    assert list(ratios[0]) == ["province", "group", "label", "agent_staff", "facebook_followers", "share_of_staff",
                               "share_of_facebook_followers"]  # no staff per point: the points are not reported
    assert [float(r["share_of_facebook_followers"]) for r in ratios] == pytest.approx([f / sum(FOLLOWERS) for f in FOLLOWERS])
    data = rows(run, "data_agents")
    assert {r["indicator"] for r in data} == {"agent_staff", "facebook_followers"}
    assert (run / "figures" / "agents_by_system.png").is_file()
    codebook = json.loads((run / "tables" / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for r in codebook["resources"] if r["name"] == "agents_ratios" for f in r["schema"]["fields"]}
    assert fields["share_of_facebook_followers"]["type"] == "number" and fields["facebook_followers"]["type"] == "integer"
    workbook = openpyxl.load_workbook(run / "tables" / "tables.xlsx", read_only=True)
    header = next(workbook["agents_ratios"].iter_rows(max_row=1, values_only=True))
    assert "share_of_facebook_followers" in header
    notebook = nbformat.read(run / "notebooks" / "02-agents.ipynb", as_version=4)
    shown = json.dumps([c.get("outputs", []) for c in notebook.cells], ensure_ascii=False)
    assert "Facebook followers: the rows of the 7 agent systems add up to 1,850 people." in shown
    assert "Collection points is not reported in these data" in shown and "which is not the same as a figure left blank" in shown
    report = (run / "report" / "index.html").read_text(encoding="utf-8")
    assert "figures/agents_by_system.png" in report
    # The figure's caption names no count the data do not report (the paper's names only the paper's two counts).
    assert "Each count by agent system (Table 1)" in report and "Agent staff and collection points" not in report


def test_export_to_package_round_trip(workbook, tmp_path):
    import frictionless

    target = tmp_path / "package"
    result = cli("export", workbook, "--to-package", target)
    assert result.returncode == 0, result.stderr
    report = frictionless.validate(str(target / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    a, b = open_dataset(workbook), open_dataset(target)
    pd.testing.assert_frame_equal(a.table("agents").rows, b.table("agents").rows)
    pd.testing.assert_frame_equal(a.table("agents").totals, b.table("agents").totals)
    x, y = a.spec("agents"), b.spec("agents")
    assert (x.indicators, x.not_reported, x.added) == (y.indicators, y.not_reported, y.added)


def test_exported_workbook_reads_back(workbook, tmp_path):
    """A data set with an added Table 1 column, written as a workbook, reads back to the same frames."""
    again = tmp_path / "again.xlsx"
    result = cli("export", again, "--data", workbook)
    assert result.returncode == 0, result.stderr
    a, b = open_dataset(workbook), open_dataset(again)
    pd.testing.assert_frame_equal(a.table("agents").rows, b.table("agents").rows)
    assert a.spec("agents").indicators == b.spec("agents").indicators


def test_compare_says_what_it_does_with_table1(workbook, tmp_path):
    laocai = Path(__file__).resolve().parents[1] / "data" / "laocai"
    result = cli("compare", workbook, laocai, "--format", "csv", "--out", tmp_path / "cmp")
    assert result.returncode == 0, result.stderr
    notes = pd.read_csv(tmp_path / "cmp" / "notes.csv", keep_default_na=False)
    mine = notes[notes["table"] == "agents"]
    assert "Table 1 counts by agent system, not by year: it has no growth to compare" in " ".join(mine["note"])
    deleted = mine[mine["indicator"] == "collection_points"]
    assert deleted["province"].tolist() == [PROVINCE_NFC] and "not reported by Hà Giang" in deleted["note"].iloc[0]


def _set(**cells):
    def change(ws):
        for cell, value in cells.items():
            ws[cell] = value
    return change


BAD = {
    "a column without a label": (_set(E4=None),
        "sheet 'Table 1 agents', cell E5: these figures have no heading: expected a column heading in E4 above them"),
    "a heading with its unit only": (_set(E4="(people)"),
        "sheet 'Table 1 agents', cell E4: a column with figures is a new indicator: type its name and unit here"),
    "a column without a unit": (_set(E4="Facebook followers"),
        "sheet 'Table 1 agents', cell E4: a column heading the paper's table does not have is a new indicator: type the unit"),
    "a column without a kind": (_set(E13=None),
        "sheet 'Table 1 agents', cell E13: type the new indicator's kind: flow or level"),
    "a kind other than flow or level": (_set(E13="stock"),
        "sheet 'Table 1 agents', cell E13: expected the kind flow or level, found 'stock'"),
    "a channel other than direct or indirect": (_set(E14="online"),
        "sheet 'Table 1 agents', cell E14: expected the channel direct or indirect (the paper's section 2.4), found 'online'"),
    "colliding derived ids": (_set(F4="Facebook followers! (people)", F5=1, F13="flow"),
        "sheet 'Table 1 agents', cell F4: the label 'Facebook followers!' gives the id 'facebook_followers', as E4 does"),
    "a paper's kind changed": (_set(D13="flow"),
        "sheet 'Table 1 agents', cell D13: the kind of 'agent_staff' is the paper's, snapshot, found 'flow'"),
    "no Kind row to define a new column": (lambda ws: ws.delete_rows(13, 2),
        "sheet 'Table 1 agents', cell E4: a column heading the paper's table does not have is a new indicator, and the table "
        "has no 'Kind' row below it"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_one_line_exit_2_nothing_written(case, tmp_path):
    change, expected = BAD[case]
    path = table1_workbook(tmp_path / "bad.xlsx", change=change)
    assert_refused(path, expected, tmp_path / "out")
