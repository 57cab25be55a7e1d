"""Helpers for tests on other provinces: a filled workbook for any years, with chosen numbers and blanks."""
from __future__ import annotations

from pathlib import Path

import openpyxl

from laocai_stats.workbook.writer import write_workbook

# The yearly sheets of the template and the row of each indicator on them.
SHEETS = {
    "Table 2 conferences": {"coordinating_units": 5, "training_conferences": 7, "training_attendees": 8,
                            "post_office_conferences": 10, "post_office_attendees": 11,
                            "health_insurance_conferences": 13, "health_insurance_attendees": 14},
    "Table 3 publications": {"posters": 5, "flyers": 6, "agent_signs": 7},
    "Table 4 website": {"articles": 5, "visits": 6},
    "Table 5 press": {"press_items": 5, "loudspeaker_broadcasts": 6},
}
AGENTS_SHEET = "Table 1 agents"


def year_columns(ws) -> dict[int, str]:
    """Year -> column letter, read from the header row (row 4)."""
    return {c.value: c.column_letter for c in ws[4] if isinstance(c.value, int)}


def province_workbook(path: Path, province: str, years, values: dict[str, list], *,
                      agents: dict[str, tuple[int, int]] | None = None) -> Path:
    """A template for `years` filled with `values` (indicator -> one number or None per year); others stay blank.

    `agents` maps a Table 1 row id to (agent staff, collection points).
    """
    years = list(years)
    template = write_workbook(None, path, province=province, years=years)
    wb = openpyxl.load_workbook(template)
    for sheet, rows in SHEETS.items():
        ws = wb[sheet]
        columns = year_columns(ws)
        for indicator, row in rows.items():
            series = values.get(indicator)
            if series is None:
                continue
            assert len(series) == len(years), indicator
            for year, value in zip(years, series):
                ws[f"{columns[year]}{row}"] = value
    ws = wb[AGENTS_SHEET]
    for row in range(5, ws.max_row + 1):
        key = ws[f"A{row}"].value
        if agents and key in agents:
            ws[f"D{row}"], ws[f"E{row}"] = agents[key]
    wb.save(path)
    return path
