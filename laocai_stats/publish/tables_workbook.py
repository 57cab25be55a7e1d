"""`tables/tables.xlsx`: every table `reproduce` writes as CSV, one sheet each, byte for byte reproducibly."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..errors import LaocaiError
from ..workbook.writer import save_deterministic

MAX_SHEET_NAME = 31  # Excel's limit
CONTENTS_SHEET = "Contents"


def sheet_names(stems) -> dict[str, str]:
    """A unique Excel sheet name (at most 31 characters) for each table's file stem, in order."""
    names: dict[str, str] = {}
    used = {CONTENTS_SHEET.lower()}
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
    contents.title = CONTENTS_SHEET
    contents.append(["Sheet", "What it holds", "CSV file", "Rows", "Columns"])
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
        ws.append([cell_value(str(c)) for c in frame.columns])
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
