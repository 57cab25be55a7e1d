"""`tables/tables.xlsx`: every table `reproduce` writes as CSV, one sheet each, byte for byte reproducibly."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..errors import LaocaiError
from ..text import N_, NC_, _, pgettext
from ..workbook.writer import save_deterministic

MAX_SHEET_NAME = 31  # Excel's limit
CONTENTS_SHEET = N_("Contents")
# The headings of the CSV columns in tables.xlsx, marked for the catalogue (msgctxt "column"); the CSVs keep the names.
COLUMN_HEADINGS = (
    NC_("column", "agent_staff"), NC_("column", "base"), NC_("column", "cagr"), NC_("column", "change"),
    NC_("column", "channel"), NC_("column", "collection_points"), NC_("column", "declined"),
    NC_("column", "denominator"), NC_("column", "first_value"), NC_("column", "first_year"), NC_("column", "grew"),
    NC_("column", "group"), NC_("column", "index"), NC_("column", "indicator"), NC_("column", "indicators"),
    NC_("column", "kendall_method"), NC_("column", "kendall_n"), NC_("column", "kendall_p"),
    NC_("column", "kendall_tau"), NC_("column", "kind"), NC_("column", "label"), NC_("column", "last_value"),
    NC_("column", "last_year"), NC_("column", "median_cagr"), NC_("column", "n_missing"), NC_("column", "n_years"),
    NC_("column", "numerator"), NC_("column", "pct_change"), NC_("column", "peak_value"), NC_("column", "peak_year"),
    NC_("column", "period_total"), NC_("column", "previous"), NC_("column", "province"), NC_("column", "ratio"),
    NC_("column", "share"), NC_("column", "share_of_points"), NC_("column", "share_of_staff"),
    NC_("column", "source"), NC_("column", "staff_per_point"), NC_("column", "table"), NC_("column", "table_number"),
    NC_("column", "title"), NC_("column", "trend_growth"), NC_("column", "trend_growth_high"),
    NC_("column", "trend_growth_low"), NC_("column", "trend_n"), NC_("column", "trend_note"),
    NC_("column", "trough_value"), NC_("column", "trough_year"), NC_("column", "unchanged"), NC_("column", "unit"),
    NC_("column", "value"), NC_("column", "without_rate"), NC_("column", "year"),
    NC_("column", "activities"), NC_("column", "activity"), NC_("column", "cagr_q1"), NC_("column", "cagr_q3"), NC_("column", "cagr_without_last_year"),
    NC_("column", "direction"), NC_("column", "kendall_p_bh"), NC_("column", "kendall_p_holm"), NC_("column", "loglinear_r2"), NC_("column", "no_clear_direction"),
    NC_("column", "no_trend"), NC_("column", "note"), NC_("column", "status"), NC_("column", "primary"), NC_("column", "theil_sen_growth"), NC_("column", "theil_sen_high"), NC_("column", "theil_sen_low"),
)


def sheet_names(stems) -> dict[str, str]:
    """A unique Excel sheet name (at most 31 characters) for each table's file stem, in order."""
    names: dict[str, str] = {}
    used = {_(CONTENTS_SHEET).lower()}
    for stem in stems:
        name = stem[:MAX_SHEET_NAME]
        number = 2
        while name.lower() in used:
            suffix = f"_{number}"
            name = stem[: MAX_SHEET_NAME - len(suffix)] + suffix
            number += 1
        used.add(name.lower())
        names[stem] = name
    return names


def cell_value(value):
    """A value openpyxl can store: missing as a blank cell, numpy scalars as Python ones, text made safe."""
    from ..text import safe_text

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (bool, int, float)):
        return value
    return safe_text(value if isinstance(value, str) else str(value))


def build_tables_workbook(tables: dict[str, pd.DataFrame], *, descriptions: dict[str, str] | None = None,
                          number_formats: dict[str, dict[str, str]] | None = None, note: str | None = None,
                          title: str | None = None, about=()):
    """A Contents sheet (each sheet, what it holds, its CSV), then one sheet per table: a bold header row, then the
    rows as in the CSV, with `number_formats[stem][column]` (e.g. '#,##0', '0.0 %') on that column's cells.
    `note` (what made the workbook, from which data) goes below the Contents table, then the `about` rows (the
    province, the data's sources); `title` is the file's title property.

    Formats change how a number is shown, never the value stored: a rate stays the fraction 0.295 in the cell.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    names = sheet_names(tables)
    descriptions = descriptions or {}
    number_formats = number_formats or {}
    wb = Workbook()
    contents = wb.active
    contents.title = _(CONTENTS_SHEET)
    contents.append([_("Sheet"), _("What it holds"), _("CSV file"), _("Rows"), _("Columns")])
    for stem, frame in tables.items():
        contents.append([names[stem], cell_value(descriptions.get(stem, "")), f"{stem}.csv", len(frame), len(frame.columns)])
    for cell in contents[1]:
        cell.font = bold
    if note:
        contents.append([])
        contents.append([cell_value(note)])
    if about:  # whose data and where they come from
        contents.append([])
        for row in about:
            contents.append([cell_value(v) for v in row])
    for letter, width in zip("ABCDE", (32, 90, 36, 8, 8)):
        contents.column_dimensions[letter].width = width
    contents.freeze_panes = "A2"
    for stem, frame in tables.items():
        ws = wb.create_sheet(names[stem])
        # Headings for people, in the current language; the CSV beside it keeps the machine names.
        ws.append([cell_value(pgettext("column", str(c))) for c in frame.columns])
        for cell in ws[1]:
            cell.font = bold
        for row in frame.itertuples(index=False, name=None):
            ws.append([cell_value(v) for v in row])
        for position, column in enumerate(frame.columns, start=1):
            fmt = number_formats.get(stem, {}).get(str(column))
            if fmt:
                for (cell,) in ws.iter_rows(min_row=2, min_col=position, max_col=position):
                    cell.number_format = fmt
                ws.column_dimensions[get_column_letter(position)].width = 14
        ws.freeze_panes = "A2"
    if title:
        wb.properties.title = title
    return wb


def write_tables_workbook(tables: dict[str, pd.DataFrame], path: Path, **layout) -> Path:
    """Write the workbook atomically (`layout`: see build_tables_workbook); the same tables give the same bytes."""
    path = Path(path)
    if not path.parent.is_dir():
        raise LaocaiError(f"{path}: the folder {path.parent} does not exist")
    save_deterministic(build_tables_workbook(tables, **layout), path)
    return path
