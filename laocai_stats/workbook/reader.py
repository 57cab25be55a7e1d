"""Read a filled workbook (one sheet per table) as a data set, behind the same interface as a data package folder."""
from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

from ..data.dataset import register_reader
from ..data.frames import TableData, tidy_frame, totals_frame
from ..data.limits import (
    MAX_CELLS,
    MAX_CELLS_PER_SHEET,
    MAX_PROVINCE_CHARS,
    MAX_UNPACKED_BYTES,
    check_file_size,
    text_problem,
)
from ..data.specs import TableSpec
from ..errors import DataError, LaocaiError, Problem
from ..text import N_, UnknownLanguage, _, check_language, use_language
from .cells import Grid, coordinate, shown
from .layout import (
    ABOUT_FIELDS,
    ABOUT_SHEET,
    INSTRUCTIONS_SHEET,
    SOURCE_PREFIX,
    SOURCES_HEADER,
    SOURCES_SHEET,
    forms,
    indicator_headers,
    normal,
    reference_specs,
    sheet_name,
    sheet_names,
    snake_id,
)
from .sheets import NOT_STATED, SheetResult, read_table_sheet

MAX_ROWS, MAX_COLUMNS = 5000, 300
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

TABLE_WORD = N_("Table")
SAVE_AS = ("open it in Excel or LibreOffice Calc and save it as .xlsx (Excel: File > Save As, type 'Excel Workbook (*.xlsx)'; "
           "LibreOffice Calc: File > Save As..., file type 'Excel 2007-365 (.xlsx)', then 'Use Excel 2007-365!')")
# Other spreadsheet formats are refused with the steps that turn them into .xlsx: one reader, one set of checks.
OTHER_FORMATS = {
    ".ods": "a LibreOffice Calc spreadsheet (.ods)",
    ".fods": "a LibreOffice Calc flat spreadsheet (.fods)",
    ".xls": "an old Excel 97-2003 workbook (.xls)",
    ".xlsb": "an Excel binary workbook (.xlsb)",
}


class WorkbookReader:
    """Reads and checks a whole workbook once, on opening; tables are then served from what was read."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._shown = str(path)
        values, formulas = load_workbooks(read_workbook_bytes(self.path, self._shown), self._shown)
        grids = {ws.title: Grid(ws, formulas[ws.title], max_row=MAX_ROWS, max_column=MAX_COLUMNS) for ws in values.worksheets}
        self._head: list[Problem] = []
        self._tail: list[Problem] = []
        by_normal = {normal(title): grid for title, grid in grids.items()}
        about = next((grid for title, grid in by_normal.items() if title in forms(ABOUT_SHEET)), None)
        sources = next((grid for title, grid in by_normal.items() if title in forms(SOURCES_SHEET)), None)
        self._metadata = self._read_about(about)
        # Everything said about the workbook from here on is said in the workbook's own language.
        with use_language(self._metadata["language"]):
            self._metadata["sources"] = self._read_sources(sources, grids)
            self._results = self._read_tables(grids)
        self.specs: dict[str, TableSpec] = {name: result.spec for name, result in self._results.items()}
        for title, grid in grids.items():
            if grid.truncated:
                self._tail.append(self._problem(f"cells beyond row {MAX_ROWS} or column {MAX_COLUMNS} were not read", sheet=title, severity="warning"))

    @property
    def source(self) -> str:
        return self._shown

    @property
    def metadata(self) -> dict:
        return dict(self._metadata)

    def read_table(self, name: str) -> TableData:
        result = self._results[name]
        errors = [p for p in result.problems if p.severity == "error"]
        if errors:
            raise DataError(errors)
        spec = result.spec
        warnings_ = tuple(p for p in result.problems if p.severity == "warning")
        return TableData(spec, tidy_frame(spec, result.records), totals_frame(spec, result.totals), warnings_)

    def read_facts(self) -> None:
        return None

    def problems(self) -> list[Problem]:
        """Every error and warning in the workbook, sheet by sheet in reading order."""
        found = list(self._head)
        for name in sorted(self._results, key=lambda n: self._results[n].spec.number):
            found += self._results[name].problems
        return found + self._tail

    def _problem(self, message: str, *, sheet: str | None = None, cell: str | None = None, severity: str = "error") -> Problem:
        return Problem(self._shown, message, sheet=sheet, cell=cell, severity=severity)

    def _read_about(self, grid: Grid | None) -> dict:
        meta: dict = {key: None for key, _label in ABOUT_FIELDS}
        if grid is None:
            self._head.append(self._problem("no such sheet, so the province is unnamed; copy the About sheet from a fresh "
                                            "`laocai-stats template` and type the province's name", sheet=ABOUT_SHEET, severity="warning"))
        else:
            labels = {form: key for key, label in ABOUT_FIELDS for form in forms(label)}
            where = {}
            for row in range(1, min(grid.last_row, 100) + 1):
                key = labels.get(normal(grid.value(row, 1)))
                if key and key not in where:
                    meta[key] = grid.text(row, 2) or None
                    where[key] = coordinate(row, 2)
        meta["language"] = self._language(meta.get("language"), grid, where if grid is not None else {})
        if grid is not None:
            too_long = text_problem(meta["province"], MAX_PROVINCE_CHARS)
            if too_long:
                self._head.append(self._problem(f"the province's name: {too_long}", sheet=grid.title, cell=where.get("province")))
                meta["province"] = None
            elif not meta["province"]:
                with use_language(meta["language"]):
                    self._head.append(self._problem(_("the province's name is blank; type it here"), sheet=grid.title,
                                                    cell=where.get("province"), severity="warning"))
        meta["name"] = meta["name"] or snake_id(self.path.stem).replace("_", "-")
        meta.pop("format", None)
        return meta

    def _language(self, typed, grid, where) -> str:
        """The workbook's language, as its About sheet records it; English if it says none or one laocai-stats lacks."""
        if not typed:
            return "en"
        try:
            return check_language(typed)
        except UnknownLanguage as exc:
            self._head.append(self._problem(f"{exc}; the workbook is read in English", sheet=grid.title,
                                            cell=where.get("language"), severity="warning"))
            return "en"

    def _read_sources(self, grid: Grid | None, grids: dict[str, Grid]) -> list[dict]:
        if grid is None:
            return []
        header = next((r for r in range(1, 31) if normal(grid.value(r, 1)) in forms(SOURCES_HEADER[0])), None)
        if header is None:
            if grid.last_row:
                self._tail.append(self._problem("expected a header row starting with 'Sheet' (row 4 of the template); the sources were not read",
                                                sheet=grid.title, severity="warning"))
            return []
        titles = {normal(t) for t in grids}
        sources = []
        for row in range(header + 1, grid.last_row + 1):
            sheet, cells, source, note = (grid.text(row, c) for c in range(1, 5))
            if not (sheet or cells or source or note):
                continue
            warn = lambda message, column: self._tail.append(self._problem(message, sheet=grid.title, cell=coordinate(row, column), severity="warning"))
            if sheet and normal(sheet) not in titles:
                warn(_("no sheet named {sheet} in this workbook").format(sheet=shown(sheet)), 1)
            if cells and not _is_cell_range(cells):
                warn(_("expected cells such as E5 or E5:I11, found {cells}").format(cells=shown(cells)), 2)
            if not source:
                warn(_("the source is blank; write the document the figures come from (title, page, date)"), 3)
            sources.append({"sheet": sheet, "cells": cells, "source": source, "note": note})
        return sources

    def _read_tables(self, grids: dict[str, Grid]) -> dict[str, SheetResult]:
        specs = reference_specs()
        matched = match_sheets(grids, specs)
        results: dict[str, SheetResult] = {}
        for name, spec in sorted(specs.items(), key=lambda item: item[1].number):
            expected = sheet_name(spec)
            title = matched.get(name)
            if title is None:
                result = SheetResult(spec)
                result.problems.append(self._problem(
                    _("no such sheet; expected one for Table {number} ({caption}): copy it from a fresh `laocai-stats template`").format(
                        number=spec.number, caption=spec.text("caption")),
                    sheet=expected))
                results[name] = result
                continue
            result = read_table_sheet(grids[title], spec, self._shown)
            if title != expected:
                result.problems.insert(0, self._problem(_("read as Table {number} ({name}); expected the sheet name '{expected}'").format(
                                                            number=spec.number, name=name, expected=expected),
                                                        sheet=title, severity="warning"))
            self._check_sourced(result, title)
            results[name] = result
        claimed = set(matched.values())
        for title in grids:
            if title in claimed or normal(title) in reserved():
                continue
            found = new_table(" ".join(title.split()))
            if found is None:
                self._tail.append(self._problem(_("extra sheet, not read: only the {about}, {sources} and '{table} N ...' sheets are read; "
                                                  "to add a table, name its sheet '{table} N short name' (N after the paper's tables)").format(
                                                    about=_(ABOUT_SHEET), sources=_(SOURCES_SHEET), table=_(TABLE_WORD)),
                                                sheet=title, severity="warning"))
                continue
            result = self._read_new_table(grids[title], int(found.group(1)), found.group(2), results)
            results[result.spec.name] = result
        return results


    def _check_sourced(self, result: SheetResult, title: str) -> None:
        sourced = {normal(s["sheet"]) for s in self._metadata["sources"] if s["source"]}
        if result.has_figures and result.spec.source == NOT_STATED and normal(title) not in sourced:
            result.problems.append(self._problem(_("the figures have no source: write where they come from after '{prefix}', "
                                                   "or on the {sheet} sheet").format(prefix=_(SOURCE_PREFIX), sheet=_(SOURCES_SHEET)),
                                                 sheet=title, cell=result.source_cell, severity="warning"))

    def _read_new_table(self, grid: Grid, number: int, short: str, results: dict[str, SheetResult]) -> SheetResult:
        """A table the paper does not have: its definition comes from the sheet itself."""
        name = snake_id(short, "table") if short.strip() else f"table_{number}"
        if name in results:
            name = f"{name}_{number}"
        title_text = grid.text(1, 1)
        heading = re.match(rf"^\s*(?:{table_words()})\s*{number}\s*:\s*(.*)$", title_text, re.IGNORECASE)
        caption_text = heading.group(1).strip() if heading else ""
        base = TableSpec(name=name, number=number, caption=caption_text or short or name, section="", source="",
                         keyed_by="year", printed_layout="indicators_in_rows", indicators=(), path=grid.title,
                         totals_path=grid.title, reference=False)
        result = read_table_sheet(grid, base, self._shown)
        taken = next((r for r in results.values() if r.spec.number == number), None)
        if taken is not None:
            result.problems.insert(0, self._problem(_("Table {number} is already '{sheet}'; number the new table "
                                                      "after the others, in the sheet name and in the title cell").format(
                                                        number=number, sheet=taken.spec.path or sheet_name(taken.spec)), sheet=grid.title))
        if not caption_text:
            result.problems.insert(0, self._problem(_("a new table needs its caption in the title cell, as '{table} {number}: what the "
                                                      "table counts'; found {found}").format(
                                                        table=_(TABLE_WORD), number=number,
                                                        found=shown(title_text) if title_text else _("a blank cell")),
                                                    sheet=grid.title, cell="A1"))
        self._check_sourced(result, grid.title)
        if not any(p.severity == "error" for p in result.problems):
            result.problems.insert(0, self._problem(_("new table '{name}' (Table {number}: {caption}), {count} indicator(s)").format(
                                                        name=name, number=number, caption=result.spec.caption,
                                                        count=len(result.spec.indicators)), sheet=grid.title, severity="info"))
        return result


def reserved() -> frozenset[str]:
    """The sheets that hold no table, in every language."""
    return forms(INSTRUCTIONS_SHEET) | forms(ABOUT_SHEET) | forms(SOURCES_SHEET)


def table_words() -> str:
    """'Table' in every language, as a regular expression ('table|bảng')."""
    return "|".join(re.escape(word) for word in sorted(forms(TABLE_WORD)))


def new_table(title: str):
    """The number and short name of a sheet named like a table ('Table 6 facebook', 'Bảng 6 facebook'), else None."""
    return re.match(rf"^(?:{table_words()})\s*(\d+)\s*(.*)$", title, re.IGNORECASE)


def match_sheets(grids: dict[str, Grid], specs: dict[str, TableSpec]) -> dict[str, str]:
    """Table name -> sheet title: by exact name (in any language), then loosely by name, then by what the sheet holds."""
    words = "|".join(re.escape(word) for word in sorted(forms(TABLE_WORD)))
    tiers = [
        lambda title, spec: title in sheet_names(spec),
        lambda title, spec: normal(title) in {normal(name) for name in sheet_names(spec)},
        lambda title, spec: re.match(rf"(?:{words})\s*{spec.number}(?!\d)", normal(title)) is not None,
        lambda title, spec: _holds_table(grids[title], spec),
    ]
    matched: dict[str, str] = {}
    ordered = sorted(specs.values(), key=lambda s: s.number)
    for tier in tiers:
        for spec in ordered:
            if spec.name in matched:
                continue
            taken = set(matched.values())
            for title in grids:
                if title not in taken and normal(title) not in reserved() and tier(title, spec):
                    matched[spec.name] = title
                    break
    return matched


def _holds_table(grid: Grid, spec: TableSpec) -> bool:
    if any(normal(grid.value(1, 1)).startswith(f"{word} {spec.number}:") for word in forms(TABLE_WORD)):
        return True
    keys = {normal(i.name) for i in spec.indicators}
    if spec.keyed_by == "group":
        keys = set().union(*(indicator_headers(i) for i in spec.indicators))
    texts = {normal(cell.value) for (row, _), cell in grid.cells.items() if row <= 60 and isinstance(cell.value, str)}
    return bool(keys & texts)


def _is_cell_range(text: str) -> bool:
    from openpyxl.utils.cell import range_boundaries

    for part in re.split(r"[,;\s]+", text.strip()):
        try:
            range_boundaries(part.replace("$", ""))
        except (ValueError, TypeError):
            return False
    return True


def _not_xlsx(shown_path: str, why: str) -> DataError:
    return DataError(Problem(shown_path, f"not an Excel .xlsx workbook ({why})"))


def read_workbook_bytes(path: Path, shown_path: str) -> bytes:
    """The file's bytes, once they pass the checks a zip archive holding a workbook must pass; never writes."""
    check_file_size(path)  # before reading: a 1 GB file named .xlsx is refused unread
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(Problem(shown_path, f"cannot read the file: {exc.strerror or exc}")) from None
    if not raw:
        raise _not_xlsx(shown_path, "the file is empty")
    if raw.startswith(OLE_SIGNATURE):
        raise _not_xlsx(shown_path, f"it is an old Excel 97-2003 .xls file or a password-protected workbook; {SAVE_AS}, without a password")
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        head = raw[:4096].lstrip(b"\xef\xbb\xbf")
        try:
            is_text = b"\x00" not in head and bool(head.decode("utf-8"))
        except UnicodeDecodeError:
            is_text = False
        why = f"it is a text file, perhaps a CSV renamed .xlsx; {SAVE_AS}" if is_text else "its contents are not the zip archive every .xlsx file is"
        raise _not_xlsx(shown_path, why)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise _not_xlsx(shown_path, f"a damaged zip archive: {exc}") from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") and n.endswith("workbook.xml") for n in names):
        raise _not_xlsx(shown_path, "a zip archive with no Excel workbook inside, perhaps an .ods or .docx file renamed")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise DataError(Problem(shown_path, f"refused: the workbook would unpack to {unpacked // 2**20} MB, far more than "
                                            "five small tables need (a 'zip bomb'?); it was not read"))
    check_sheets(raw, shown_path)
    return raw


CELL_ELEMENT = re.compile(rb"<(?:\w+:)?c[\s>/]")
LONG_NUMBER = re.compile(rb"<(?:\w+:)?v>\s*[-+]?\d{100}")
CELL_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')


def sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part ("xl/worksheets/sheet1.xml") -> the sheet's title, from the workbook and its relationships."""
    import html

    def attrs(tag: bytes) -> dict[str, str]:
        return {k.split(":")[-1]: html.unescape(v) for k, v in re.findall(r'([\w:]+)="([^"]*)"', tag.decode("utf-8", "replace"))}

    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {a.get("Id"): a.get("Target", "") for a in map(attrs, re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels))}
    titles = {}
    for a in map(attrs, re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", book)):
        target = targets.get(a.get("id"), "")
        titles[target.lstrip("/") if target.startswith("/xl/") else f"xl/{target}"] = a.get("name", "")
    return titles


def check_sheets(raw: bytes, shown_path: str) -> None:
    """Refuse, before openpyxl builds a cell object for each, a sheet of more cells than the limit or a number of
    hundreds of digits (Python will not even read one of over 4,300): one line naming the sheet and cell."""
    total = 0
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        titles = sheet_titles(archive)
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            xml = archive.read(name)
            sheet = titles.get(name, name)
            cells = len(CELL_ELEMENT.findall(xml))
            total += cells
            if cells > MAX_CELLS_PER_SHEET or total > MAX_CELLS:
                what = f"holds {cells:,} cells" if cells > MAX_CELLS_PER_SHEET else f"brings the workbook to {total:,} cells"
                limit = MAX_CELLS_PER_SHEET if cells > MAX_CELLS_PER_SHEET else MAX_CELLS
                raise DataError(Problem(shown_path, f"refused: the sheet {what}, over the limit of {limit:,} (a table needs "
                                                    "a few hundred); delete the unused rows and columns, or copy the tables "
                                                    "into a fresh `laocai-stats template`", sheet=sheet))
            long = LONG_NUMBER.search(xml)
            if long:
                refs = CELL_REF.findall(xml, 0, long.start())
                cell = refs[-1].decode() if refs else None
                raise DataError(Problem(shown_path, "expected a whole number below 10^15, found a number of hundreds of "
                                                    "digits; type the count itself", sheet=sheet, cell=cell))


def load_workbooks(raw: bytes, shown_path: str):
    """The workbook twice: with the values Excel saved, and with the formulas (to explain a formula that has no value)."""
    import openpyxl
    from defusedxml import DefusedXmlException

    if not openpyxl.DEFUSEDXML:
        raise LaocaiError("refusing to read workbooks: the defusedxml package is not installed, and without it a crafted "
                          "workbook can exhaust memory; install it with `pip install defusedxml`")
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it drops on reading (e.g. some extensions); they do not affect the figures.
            warnings.simplefilter("ignore")
            values = openpyxl.load_workbook(io.BytesIO(raw), data_only=True, read_only=False)
            formulas = openpyxl.load_workbook(io.BytesIO(raw), data_only=False, read_only=False) if _has_formulas(raw) else values
    except Exception as exc:  # openpyxl raises many types on damaged files; each means the same to the user
        refused = _cause(exc, DefusedXmlException)
        if refused is not None:
            raise DataError(Problem(shown_path, f"refused: its XML declares entities ({type(refused).__name__}), which Excel never "
                                                "writes and which can make a reader expand the file without end ('billion laughs'); "
                                                "it was not read")) from None
        root = _cause(exc, Exception)
        detail = " ".join(str(root).split())[:160] or type(root).__name__
        raise _not_xlsx(shown_path, f"it could not be read: {detail}") from None
    return values, formulas


FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(raw: bytes) -> bool:
    """Whether any sheet holds a formula; loading the workbook a second time, for its formulas, costs as much as the first."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return any(FORMULA_ELEMENT.search(archive.read(name)) for name in archive.namelist()
                   if name.startswith("xl/worksheets/") and name.endswith(".xml"))


def _cause(exc: BaseException, kind: type) -> BaseException | None:
    """The innermost exception of type `kind` in the chain; openpyxl wraps parser errors in a generic ValueError."""
    found = None
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, kind):
            found = exc
        exc = exc.__cause__ or exc.__context__
    return found


def refuse_other_format(path: Path):
    """A spreadsheet in a format this package does not read: say exactly how to save it as .xlsx."""
    import shlex

    what = OTHER_FORMATS[path.suffix.lower()]
    raise DataError(Problem(str(path), f"this is {what}, which laocai-stats does not read; {SAVE_AS}, then use the new file: "
                                       f"laocai-stats validate {shlex.quote(str(path.with_suffix('.xlsx')))}"))


# Workbooks already read in this process, by path as given, resolved path, modification time and size: `reproduce`
# reads the workbook once before its notebook workers fork, and every notebook's kernel, forked from them, finds
# it here instead of reading it again. A changed file has another time or size, so it is read afresh.
_OPENED: dict[tuple, WorkbookReader] = {}
MAX_OPENED = 8


def open_workbook(path: Path) -> WorkbookReader:
    """A WorkbookReader for `path`, reusing one this process already made for the same unchanged file."""
    try:
        stat = Path(path).stat()
        key = (str(path), str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return WorkbookReader(path)  # let the reader say what is wrong with the file
    if key not in _OPENED:
        reader = WorkbookReader(path)
        if len(_OPENED) >= MAX_OPENED:
            _OPENED.pop(next(iter(_OPENED)))
        _OPENED[key] = reader
    return _OPENED[key]


register_reader((".xlsx", ".xlsm"), open_workbook)
register_reader(tuple(OTHER_FORMATS), refuse_other_format)
