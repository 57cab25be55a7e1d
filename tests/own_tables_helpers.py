"""A province's own workbook: an indicator added to Table 3, one deleted from Table 5, a new Table 6, its own sources."""
from __future__ import annotations

import hashlib
import subprocess
import sys
import unicodedata
from pathlib import Path

import openpyxl

from province_helpers import province_workbook, year_columns

YEARS = [2016, 2017, 2018, 2019, 2020]
PROVINCE_NFC = "Hà Giang"
PROVINCE_NFD = unicodedata.normalize("NFD", PROVINCE_NFC)
AGENCY = "Ha Giang Provincial Social Security, annual communication reports"
VALUES = {
    "coordinating_units": [10, 11, 12, 12, 13], "training_conferences": [40, 44, 50, 52, 30],
    "training_attendees": [2000, 2100, 2500, 2600, 1500], "post_office_conferences": [5, 6, 7, 8, 4],
    "post_office_attendees": [300, 320, 400, 410, 200], "health_insurance_conferences": [3, 4, 4, 5, 2],
    "health_insurance_attendees": [150, 160, 180, 200, 90], "posters": [100, 120, 130, 150, 160],
    "flyers": [5000, 5200, 6000, 6100, 6500], "agent_signs": [20, 25, 30, 30, 35], "articles": [50, 60, 70, 80, 90],
    "visits": [10000, 12000, 15000, 17000, 20000], "press_items": [30, 35, 40, 45, 50],
}
FANPAGE = "Ha Giang Social Security fanpage statistics, exported 2021-01-05"
ADDED = ("Facebook posts", "posts", "flow", "indirect", [12, 30, 55, 80, 120])
TABLE6_SHEET = "Table 6 social media"
TABLE6_CAPTION = "Table 6: Communication on social networks"
TABLE6_ROWS = [("Zalo messages sent", "messages", "flow", "indirect", [200, 400, 900, 1500, 2600]),
               ("Zalo groups run", "groups", "level", "indirect", [2, 3, 5, 6, 8])]


def own_workbook(path: Path, *, province: str = PROVINCE_NFD, change=None) -> Path:
    """The test workbook; `change(wb)` may break it further before it is saved."""
    province_workbook(path, province, YEARS, VALUES)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.title.startswith("Table "):
            ws["B2"] = f"{AGENCY}, {ws.title}"
    ws = wb["Table 3 publications"]
    write_row(ws, 8, ADDED)
    ws = wb["Table 5 press"]
    ws.delete_rows(6)  # loudspeaker_broadcasts: not reported
    new = wb.copy_worksheet(wb["Table 5 press"])
    new.title = TABLE6_SHEET
    new["A1"] = TABLE6_CAPTION
    new["B2"] = f"{AGENCY}, social media annex"
    for row in range(5, 8):
        for column in range(1, new.max_column + 1):
            new.cell(row=row, column=column).value = None
    for offset, spec in enumerate(TABLE6_ROWS):
        write_row(new, 5 + offset, spec)
    sources = wb["Sources"]
    sources["A5"], sources["B5"], sources["C5"] = "Table 3 publications", "D8:H8", FANPAGE
    if change is not None:
        change(wb)
    wb.save(path)
    return path


def write_row(ws, row: int, spec) -> None:
    """Label, unit, kind, channel and yearly figures in `row`, Id left blank."""
    label, unit, kind, channel, values = spec
    header = {c.value: c.column for c in ws[4] if c.value is not None}
    ws.cell(row=row, column=header["Indicator"], value=label)
    ws.cell(row=row, column=header["Unit"], value=unit)
    ws.cell(row=row, column=header["Kind"], value=kind)
    ws.cell(row=row, column=header["Channel"], value=channel)
    columns = year_columns(ws)
    for year, value in zip(YEARS, values):
        ws[f"{columns[year]}{row}"] = value


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "laocai_stats", *map(str, args)], capture_output=True, text=True)


def assert_refused(path: Path, expected: str, out: Path) -> None:
    """`validate` and `reproduce` refuse the workbook with one error line holding `expected`, exit 2, nothing
    written, no traceback, the user's file unchanged."""
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = cli("validate", path)
    assert result.returncode == 2
    errors = [line for line in result.stdout.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and expected in errors[0], result.stdout
    assert "Traceback" not in result.stderr
    result = cli("reproduce", "--data", path, "--out", out, "--quiet")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and expected in result.stderr
    assert not out.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == before
