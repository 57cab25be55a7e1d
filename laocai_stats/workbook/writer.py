"""Write a workbook laid out like the paper's tables, blank (a template) or filled, byte for byte reproducibly."""
from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from ..data.dataset import Dataset
from ..data.specs import TableSpec
from ..errors import LaocaiError
from ..text import _, language, safe_text, use_language
from .layout import (
    ABOUT_FIELDS,
    ABOUT_FIRST_ROW,
    ABOUT_SHEET,
    CAPTION_ROW,
    FIRST_DATA_ROW,
    FORMAT_VERSION,
    HEADER_ROW,
    HINT_ROW,
    CHANNEL_HEADER,
    CHANNELS,
    ID_HEADER,
    INDICATOR_HEADER,
    INSTRUCTIONS_SHEET,
    KIND_HEADER,
    KIND_MEANINGS,
    KINDS,
    NUMBER_FORMAT,
    NUMBER_HEADER,
    SOURCE_PREFIX,
    SOURCE_ROW,
    SOURCES_HEADER,
    SOURCES_HEADER_ROW,
    SOURCES_SHEET,
    TOTAL_LABEL,
    UNIT_HEADER,
    caption,
    has_number_column,
    indicator_header,
    label_header,
    offers_total,
    reference_specs,
    reference_years,
    sheet_name,
    snake_id,
)

# Fixed so that the same data always give the same bytes; the zip format cannot store dates before 1980.
DOCUMENT_TIME = dt.datetime(2024, 1, 1)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SOURCES_ROWS = 200
ADDED_ROWS = 50  # rows below a table that offer the Kind and Channel drop-downs, for indicators a province adds
ADDED_COLUMNS = 10  # the same, columns to the right of a table keyed by group


def write_workbook(data, path: str | Path, *, province: str | None = None, years=None, lang: str | None = None) -> Path:
    """Write `data` (None for a blank template, else a Dataset) to `path` as a workbook.

    `years` sets the template's year columns (default: the years of the shipped data); for a data set it adds
    blank year columns to those the data have, never drops one. `province` names the province (default: the
    data set's). `lang` is the workbook's language (default: the data set's, else English); the About sheet records
    it. The file is written atomically, and the same inputs always give byte-identical files.
    """
    if lang is None and isinstance(data, Dataset):
        lang = data.metadata.get("language")
    with use_language(lang or "en"):
        return _write_workbook(data, path, province=province, years=years)


def _write_workbook(data, path, *, province, years) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise LaocaiError(f"{path}: the workbook's name must end in .xlsx")
    if not path.parent.is_dir():
        raise LaocaiError(f"{path}: the folder {path.parent} does not exist")
    content = _Content.of(data, province=province, years=years)
    if content.source_file is not None and path.resolve() == content.source_file:
        raise LaocaiError(f"{path}: refusing to write over the workbook being read; choose another file name")
    save_deterministic(build_workbook(content), path)
    return path


class _Content:
    """Everything a workbook shows: specs, figures, printed totals, metadata, sources."""

    def __init__(self, specs, rows, totals, meta, years, source_file=None):
        self.specs: dict[str, TableSpec] = specs
        self.rows: dict[str, pd.DataFrame] = rows
        self.totals: dict[str, pd.DataFrame] = totals
        self.meta: dict = meta
        self.years: dict[str, list[int]] = years
        self.source_file: Path | None = source_file

    @classmethod
    def of(cls, data, *, province, years) -> _Content:
        wanted = sorted({int(y) for y in years}) if years is not None else None
        if data is None:
            specs = reference_specs()
            span = wanted or reference_years()
            label = province or ""
            meta = {
                "province": province,
                "title": _("Social, health and unemployment insurance policy communication, {province}, {first}-{last}").format(
                    province=label or _("(province)"), first=span[0], last=span[-1]),
                "citation": None,
                "name": f"{snake_id(label).replace('_', '-') if label else 'province'}-communication-{span[0]}-{span[-1]}",
                "sources": [],
            }
            year_tables = {n: span for n, s in specs.items() if s.keyed_by == "year"}
            return cls(specs, {}, {}, meta, year_tables)
        if not isinstance(data, Dataset):
            raise LaocaiError(f"write_workbook needs a Dataset (open one with open_dataset) or None; got {type(data).__name__}")
        dataset = data
        specs = dataset.specs
        tables = {name: dataset.table(name) for name in specs}
        meta = dataset.metadata
        meta["province"] = province or dataset.province
        meta.setdefault("sources", [])
        year_tables = {
            name: sorted({int(y) for y in table.rows["year"]} | set(wanted or ()))
            for name, table in tables.items() if specs[name].keyed_by == "year"
        }
        source = Path(dataset.source)
        source_file = source.resolve() if source.is_file() else None
        return cls(specs, {n: t.rows for n, t in tables.items()}, {n: t.totals for n, t in tables.items()}, meta, year_tables, source_file)


def _styles():
    from openpyxl.styles import Alignment, Font, PatternFill

    return {
        "title": Font(bold=True, size=13),
        "bold": Font(bold=True),
        "hint": Font(italic=True, color="595959"),
        "id": Font(color="7F7F7F"),
        "fill": PatternFill("solid", fgColor="D9E1F2"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
    }


def build_workbook(content: _Content):
    from openpyxl import Workbook

    wb = Workbook()
    styles = _styles()
    _instructions(wb.active, content, styles)
    _about(wb.create_sheet(_(ABOUT_SHEET)), content, styles)
    ranges = {}
    for spec in sorted(content.specs.values(), key=lambda s: s.number):
        ws = wb.create_sheet(sheet_name(spec))
        ranges[spec.name] = _table_sheet(ws, spec, content, styles)
    _sources(wb.create_sheet(_(SOURCES_SHEET)), content, ranges, styles)
    return wb


def _put(ws, row: int, column: int, value, style=None, number_format=None):
    cell = ws.cell(row=row, column=column, value=safe_text(value))
    if style is not None:
        cell.font = style
    if number_format:
        cell.number_format = number_format
    return cell


def _count(value):
    return None if value is None or pd.isna(value) else int(value)


def _table_sheet(ws, spec: TableSpec, content: _Content, styles) -> str:
    """Lay out one table; return the range of its figure cells, for the Sources sheet."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    rows = content.rows.get(spec.name)
    totals = content.totals.get(spec.name)
    values = {} if rows is None else {(i, k): _count(v) for i, k, v in zip(rows["indicator"], rows[spec.key], rows["value"])}
    printed = {} if totals is None else {i: (label, _count(v)) for i, label, v in zip(totals["indicator"], totals["label"], totals["value"])}
    total_label = next((label for label, _value in printed.values()), _(TOTAL_LABEL))
    source = spec.source if rows is not None else ""
    by_group = spec.keyed_by == "group"

    _put(ws, CAPTION_ROW, 1, caption(spec), styles["title"])
    _put(ws, SOURCE_ROW, 1, _(SOURCE_PREFIX), styles["bold"])
    _put(ws, SOURCE_ROW, 2, source)
    what = spec.group_word()
    hint = (_("One row per {what}: insert rows above '{total}' to add one (name it, leave {id} blank), delete those "
              "the province does not have. To add an indicator, type a column to the right of the figures: its name and unit in "
              "the heading, as 'Contracts signed (contracts)', its {kind} and {channel} in the rows below '{total}'. ").format(
                what=what, total=_(TOTAL_LABEL), id=_(ID_HEADER), kind=_(KIND_HEADER).lower(), channel=_(CHANNEL_HEADER).lower())
            if by_group else _("Do not change column A ({id}); to add an indicator, type a row below the table with {id} blank. ").format(id=_(ID_HEADER)))
    _put(ws, HINT_ROW, 1, hint + _("Whole numbers in the unit shown; leave a cell blank if the figure is unknown (blank is not zero)."), styles["hint"])

    headers = [_(ID_HEADER)] + ([_(NUMBER_HEADER)] if has_number_column(spec) else []) + [label_header(spec)]
    if by_group:
        headers += [indicator_header(i) for i in spec.indicators]
        first_value = len(headers) - len(spec.indicators) + 1
    else:
        years = content.years[spec.name]
        headers += [_(UNIT_HEADER)] + list(years) + ([total_label] if offers_total(spec) else [])
        first_value = len(headers) - len(years) - (1 if offers_total(spec) else 0) + 1
        # Kind and Channel last, so that the figures sit where they always did.
        kind_col = len(headers) + 1
        headers += [_(KIND_HEADER), _(CHANNEL_HEADER)]
    for column, text in enumerate(headers, start=1):
        cell = _put(ws, HEADER_ROW, column, text, styles["bold"])
        cell.fill, cell.alignment = styles["fill"], styles["wrap"]
    label_col = headers.index(label_header(spec)) + 1
    number_col = 2 if has_number_column(spec) else None

    row = FIRST_DATA_ROW
    if by_group:
        keys = list(dict.fromkeys(rows["group"])) if rows is not None else [g.name for g in spec.groups]
        labels = {g.name: g for g in spec.groups}
        for key in keys:
            group = labels.get(key)
            _put(ws, row, 1, key, styles["id"])
            if number_col and group is not None and group.printed_row:
                _put(ws, row, number_col, group.printed_row)
            _put(ws, row, label_col, group.text("label") if group is not None else key)
            for offset, indicator in enumerate(spec.indicators):
                _put(ws, row, first_value + offset, values.get((indicator.name, key)), number_format=NUMBER_FORMAT)
            row += 1
        if offers_total(spec):
            _put(ws, row, label_col, total_label, styles["bold"])
            for offset, indicator in enumerate(spec.indicators):
                _put(ws, row, first_value + offset, printed.get(indicator.name, (None, None))[1], styles["bold"], NUMBER_FORMAT)
            row += 1
        last_value = first_value + len(spec.indicators) - 1
        figures_end = row - 1
        # Each indicator's kind and channel, in rows below the table, so that a column added to the right can be defined.
        for field_name, words, what in (("kind", KINDS, KIND_HEADER), ("channel", CHANNELS, CHANNEL_HEADER)):
            _put(ws, row, label_col, _(what), styles["bold"])
            for offset, indicator in enumerate(spec.indicators):
                word = getattr(indicator, field_name)
                _put(ws, row, first_value + offset, _(word) if word else None)
            _pick(ws, words, what, f"{get_column_letter(first_value)}{row}:{get_column_letter(last_value + ADDED_COLUMNS)}{row}")
            row += 1
    else:
        shown_headings = set()
        for indicator in spec.indicators:
            heading_no = (indicator.printed_row or "").split(".")[0]
            if indicator.heading and (heading_no, indicator.heading) not in shown_headings:
                shown_headings.add((heading_no, indicator.heading))
                if number_col:
                    _put(ws, row, number_col, heading_no, styles["bold"])
                _put(ws, row, label_col, indicator.text("heading"), styles["bold"])
                row += 1
            _put(ws, row, 1, indicator.name, styles["id"])
            if number_col and indicator.printed_row:
                _put(ws, row, number_col, indicator.printed_row)
            _put(ws, row, label_col, indicator.text("label"))
            _put(ws, row, label_col + 1, indicator.text("unit"))
            _put(ws, row, kind_col, _(indicator.kind))
            _put(ws, row, kind_col + 1, _(indicator.channel) if indicator.channel else None)
            for offset, year in enumerate(years):
                _put(ws, row, first_value + offset, values.get((indicator.name, year)), number_format=NUMBER_FORMAT)
            if offers_total(spec):
                _put(ws, row, first_value + len(years), printed.get(indicator.name, (None, None))[1], styles["bold"], NUMBER_FORMAT)
            row += 1
        last_value = first_value + len(years) - (0 if offers_total(spec) else 1)
        figures_end = row - 1
        year_check = DataValidation(type="whole", operator="between", formula1="1900", formula2="2100", allow_blank=True,
                                    showErrorMessage=True, errorTitle=_("Year"),
                                    error=_("Type a year such as 2019, as a number; each year once."))
        year_check.add(f"{get_column_letter(first_value)}{HEADER_ROW}:{get_column_letter(first_value + len(years) - 1)}{HEADER_ROW}")
        ws.add_data_validation(year_check)
        for offset, words, what in ((0, KINDS, KIND_HEADER), (1, CHANNELS, CHANNEL_HEADER)):
            column = get_column_letter(kind_col + offset)
            _pick(ws, words, what, f"{column}{FIRST_DATA_ROW}:{column}{row - 1 + ADDED_ROWS}")

    figures = f"{get_column_letter(first_value)}{FIRST_DATA_ROW}:{get_column_letter(last_value)}{figures_end}"
    count_check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                 showErrorMessage=True, errorTitle=_("Whole number"),
                                 error=_("Type a whole number of 0 or more, without separators. Leave the cell blank if the figure is unknown."))
    # A table keyed by group: whole numbers also in the columns a province may add to the right.
    count_check.add(figures if not by_group else
                    f"{get_column_letter(first_value)}{FIRST_DATA_ROW}:{get_column_letter(last_value + ADDED_COLUMNS)}{figures_end}")
    ws.add_data_validation(count_check)

    widths = {1: 28, label_col: 58 if not by_group else 40}
    if number_col:
        widths[number_col] = 6
    if not by_group:
        widths[label_col + 1] = 12
        widths[kind_col] = widths[kind_col + 1] = 9
    for column in range(first_value, last_value + 1):
        widths[column] = 22 if by_group else 11
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.row_dimensions[HEADER_ROW].height = 45 if by_group else 18
    ws.freeze_panes = f"{get_column_letter(first_value)}{FIRST_DATA_ROW}"
    return figures


def _pick(ws, words, what: str, cells: str) -> None:
    """A drop-down of `words` (the kinds or the channels) on `cells`, in the workbook's language."""
    from openpyxl.worksheet.datavalidation import DataValidation

    choices = [_(word) for word in words]  # the reader knows every language's words
    pick = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True, showErrorMessage=True,
                          errorTitle=_(what), error=_("Pick one of: {choices}.").format(choices=", ".join(choices)))
    pick.add(cells)
    ws.add_data_validation(pick)


def _instructions(ws, content: _Content, styles) -> None:
    ws.title = _(INSTRUCTIONS_SHEET)
    province = content.meta.get("province") or _("the province")
    names = dict(id=_(ID_HEADER), total=_(TOTAL_LABEL), source=_(SOURCE_PREFIX), sources=_(SOURCES_SHEET), about=_(ABOUT_SHEET),
                 header_row=HEADER_ROW, source_row=SOURCE_ROW, unit=_(UNIT_HEADER), kind=_(KIND_HEADER), channel=_(CHANNEL_HEADER),
                 kinds=_(" or ").join(_(k) for k in KINDS), channels=_(" or ").join(_(c) for c in CHANNELS), table=_("Table"),
                 first=sheet_name(min(content.specs.values(), key=lambda s: s.number)))
    steps = [
        _("1. Each table of the paper has its own sheet ('{first}' ... ). Indicators are rows; years are columns. "
          "Type each figure in its cell, in the unit shown in the {unit} column (or the column heading of Table 1)."),
        _("2. Type whole numbers: no decimals, no negative numbers, no thousands separators (Excel and LibreOffice Calc add them on display). "
          "A cell that breaks this rule is refused by Excel's data validation, and by `laocai-stats validate`."),
        _("3. Unknown figure: leave the cell blank. A blank is read as 'unknown', never as zero; type 0 only for a count that really was zero."),
        _("4. Flows and levels: a flow is counted during each year (e.g. conferences held), so years may be added up; "
          "a level is the number in place in that year (e.g. coordinating units), never added across years; "
          "Table 1 is a snapshot counted once. The list below gives each indicator's kind."),
        _("5. Years: the header row (row {header_row}) holds one year per column, as a number. To add a year, insert a column "
          "before '{total}' (or after the last year) and type the year; each year once, no gaps."),
        _("6. Do not change column A ({id}), the headings of the header row or the sheet names: they tell the program "
          "what each row and column holds. The indicator labels below the headings may be translated."),
        _("7. Table 1: one row per agent system. To add one, insert a row above '{total}', type its name and leave {id} "
          "blank; delete the rows of systems the province does not have. Its indicators are columns: to add one, type a "
          "column right of the figures, headed with its name and unit as 'Contracts signed (contracts)', and pick its {kind} "
          "and {channel} in the rows below '{total}'; a column of the paper the province does not report may be deleted."),
        _("8. '{total}' rows and columns are optional: type a total only if the report prints one. It is kept as typed "
          "and checked against the rows (a warning if they differ), never replaced."),
        _("9. Formulas are allowed: the value Excel saved is used, so save the file in Excel or LibreOffice after editing."),
        _("10. Sources: write where each table's figures come from after '{source}' in row {source_row} of its sheet, "
          "and, figure by figure if they differ, on the '{sources}' sheet (sheet, cells such as E5:I5, document, page, date)."),
        _("11. Type the province's name on the '{about}' sheet. Notes may go below a table, after a blank row."),
        _("12. Another indicator (posts on Facebook or Zalo, SMS campaigns, door-to-door visits, ...): type a row right below the "
          "table's rows with {id} blank, its label, its unit, its {kind} ({kinds}) and its {channel} ({channels} communication, as "
          "section 2.4 of the paper defines them; blank for neither). `validate` shows the id it gets. A row of the paper the "
          "province does not report may be deleted: it is then 'not reported', not 'unknown'."),
        _("13. Another table: copy a yearly table's sheet (right-click the tab > Move or Copy... > Create a copy), name it "
          "'{table} 6 short name' (the next number), write '{table} 6: what it counts' in cell A1, clear column A and type its own rows."),
        _("14. Check the file: `laocai-stats validate FILE.xlsx` lists every problem, one line each with its sheet and cell. "
          "Then use it anywhere the data are asked for, e.g. `laocai-stats show website --data FILE.xlsx`."),
    ]
    lines = [(_("How to fill in this workbook: {province}").format(province=province), styles["title"]), ("", None),
             *[(step.format(**names), None) for step in steps], ("", None)]
    for row, (text, style) in enumerate(lines, start=1):
        cell = _put(ws, row, 1, text, style)
        cell.alignment = styles["wrap"]
        # The steps span the glossary's six columns; a merged cell does not grow with its text, so size the row.
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        ws.row_dimensions[row].height = 16 * max(1, -(-len(text) // 170))
    row = len(lines) + 1
    headers = [_("Sheet"), _(ID_HEADER), _(INDICATOR_HEADER), _(UNIT_HEADER), _("Kind"), _("What it counts")]
    for column, text in enumerate(headers, start=1):
        cell = _put(ws, row, column, text, styles["bold"])
        cell.fill = styles["fill"]
    for spec in sorted(content.specs.values(), key=lambda s: s.number):
        for indicator in spec.indicators:
            row += 1
            label = indicator.text("label").rstrip(" ,.;")
            counts = (f"{indicator.text('heading')}: " if indicator.heading else "") + f"{label} ({indicator.text('unit')}); {_(KIND_MEANINGS[indicator.kind])}."
            if indicator.note:
                counts += f" {indicator.text('note')}"
            row_texts = [sheet_name(spec), indicator.name, indicator.text("label"), indicator.text("unit"), _(indicator.kind), counts]
            for column, text in enumerate(row_texts, start=1):
                _put(ws, row, column, text).alignment = styles["wrap"]
    for column, width in zip("ABCDEF", (22, 28, 45, 12, 10, 80)):
        ws.column_dimensions[column].width = width


def _about(ws, content: _Content, styles) -> None:
    _put(ws, 1, 1, _("About this workbook"), styles["title"])
    values = dict(content.meta, format=FORMAT_VERSION, language=language())
    for offset, (key, label) in enumerate(ABOUT_FIELDS):
        _put(ws, ABOUT_FIRST_ROW + offset, 1, _(label), styles["bold"])
        _put(ws, ABOUT_FIRST_ROW + offset, 2, values.get(key)).alignment = styles["wrap"]
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 100


def _sources(ws, content: _Content, ranges: dict[str, str], styles) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    _put(ws, 1, 1, _("Sources of the figures"), styles["title"])
    _put(ws, 2, 1, _("One row per figure or block of figures: the sheet, its cells (e.g. E5 or E5:I11), the document it comes "
                     "from (title, page, date) and any note."), styles["hint"])
    for column, text in enumerate(SOURCES_HEADER, start=1):
        cell = _put(ws, SOURCES_HEADER_ROW, column, _(text), styles["bold"])
        cell.fill = styles["fill"]
    entries = list(content.meta.get("sources") or [])
    if not entries and content.rows:
        citation = content.meta.get("citation")
        for spec in sorted(content.specs.values(), key=lambda s: s.number):
            note = _("As printed in Table {number} of: {citation}").format(number=spec.number, citation=citation) if citation else ""
            entries.append({"sheet": sheet_name(spec), "cells": ranges[spec.name], "source": spec.source, "note": note})
    for row, entry in enumerate(entries, start=SOURCES_HEADER_ROW + 1):
        for column, key in enumerate(("sheet", "cells", "source", "note"), start=1):
            _put(ws, row, column, entry.get(key) or None).alignment = styles["wrap"]
    names = ",".join(sheet_name(s) for s in sorted(content.specs.values(), key=lambda s: s.number))
    pick = DataValidation(type="list", formula1=f'"{names}"', allow_blank=True, showErrorMessage=False)
    pick.add(f"A{SOURCES_HEADER_ROW + 1}:A{SOURCES_HEADER_ROW + SOURCES_ROWS}")
    ws.add_data_validation(pick)
    for column, width in zip("ABCD", (22, 14, 60, 60)):
        ws.column_dimensions[column].width = width


def save_deterministic(wb, path: str | Path) -> None:
    """Save with fixed timestamps (document properties and zip entries), atomically."""
    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = wb.properties.modified = DOCUMENT_TIME
    wb.properties.creator = wb.properties.lastModifiedBy = "laocai-stats"
    first = io.BytesIO()
    # ExcelWriter rather than wb.save(): save() stamps the current time as the modification date. Stored, not
    # compressed: every member is compressed once, below, where the entries get their fixed times.
    ExcelWriter(wb, zipfile.ZipFile(first, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(first) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename), compresslevel=6)
    write_atomically(Path(path), out.getvalue())


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it over `path`: a failure leaves no half-written file."""
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise LaocaiError(f"{path}: cannot write there: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, _new_file_mode(path))
        os.replace(temp, path)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise LaocaiError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


def _new_file_mode(path: Path) -> int:
    # mkstemp makes the file private (0600); give it the mode a normally created file would have.
    if path.exists():
        return path.stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
