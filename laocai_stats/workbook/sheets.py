"""Reading one table sheet of a workbook into records, printed totals and located problems."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from ..data.sources import NOT_STATED
from ..data.specs import GroupSpec, IndicatorSpec, TableSpec
from ..errors import Problem
from .cells import (
    Cell,
    Grid,
    Parsed,
    coordinate,
    is_blank,
    parse_count,
    parse_year,
    shown,
)
from .layout import (
    CHANNEL_HEADER,
    HEADER_ROW,
    ID_HEADER,
    KIND_HEADER,
    SNAKE_ID,
    SOURCE_PREFIX,
    TOTAL_LABEL,
    UNIT_HEADER,
    forms,
    indicator_header,
    in_every_language,
    indicator_headers,
    label_header,
    label_headers,
    normal,
    offers_total,
    snake_id,
)
from ..text import _
from .definitions import Typed, added_column, added_indicator, check_definition, definition_rows, definition_word, unknown_id

HEADER_SEARCH_ROWS = 30
NUMBER_HEADERS = {"no.", "no", "s. no", "s.no", "stt", "#"}
YEAR_LABEL_HEADERS = {"indicator", "indicators", "targets", "chỉ tiêu"}
# A row starting like this ends the table: notes typed straight under it, with no blank row between.
NOTE_START = re.compile(r"^\s*(notes?|sources?|ghi chú|nguồn)\s*:", re.IGNORECASE)
JUMP = 10


@dataclass
class SheetResult:
    spec: TableSpec
    records: list[dict] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    has_figures: bool = False
    source_cell: str | None = None


@dataclass
class Columns:
    label: int | None = None
    unit: int | None = None
    kind: int | None = None
    channel: int | None = None
    number: int | None = None
    total: int | None = None
    total_label: str = TOTAL_LABEL
    years: dict[int, int] = field(default_factory=dict)  # column -> year
    indicators: dict[int, IndicatorSpec] = field(default_factory=dict)  # column -> indicator (tables keyed by group)
    new: dict[int, str] = field(default_factory=dict)  # column -> a heading no paper indicator has (tables keyed by group)
    blank: list[int] = field(default_factory=list)

    @property
    def data(self) -> list[int]:
        return sorted(self.years) + sorted(self.indicators) + ([self.total] if self.total else [])


def read_table_sheet(grid: Grid, spec: TableSpec, file: str) -> SheetResult:
    """Read `grid` as the table `spec` (a reference definition); the result's spec carries this sheet's groups and source."""
    sheet = _TableSheet(grid, spec, file)
    sheet.read()
    return sheet.result


class _TableSheet:
    def __init__(self, grid: Grid, spec: TableSpec, file: str):
        self.grid, self.spec, self.file = grid, spec, file
        self.by_year = spec.keyed_by == "year"
        self.result = SheetResult(spec)
        self.values: dict[tuple[str, object], tuple[int, str]] = {}  # (indicator, key) -> (value, cell)
        self.group_ids: list[str] = []
        self.header_ok = True

    def problem(self, message: str, cell: str | None = None, severity: str = "error") -> None:
        self.result.problems.append(Problem(self.file, message, sheet=self.grid.title, cell=cell, severity=severity))

    def warn(self, message: str, cell: str | None = None) -> None:
        self.problem(message, cell, "warning")

    def take(self, parsed: Parsed, where: str) -> tuple[int | None, bool]:
        if parsed.error:
            self.problem(parsed.error, where)
            return None, False
        if parsed.warning:
            self.warn(parsed.warning, where)
        return parsed.value, True

    def read(self) -> None:
        header = self.find_header()
        if header is None:
            after = _("the years") if self.by_year else _("the column headings")
            self.problem(_("expected a header row with '{id}' in column A (row {row} of the template) followed by {after}; "
                           "found none in the first {rows} rows").format(id=_(ID_HEADER), row=HEADER_ROW, after=after, rows=HEADER_SEARCH_ROWS))
            return
        source, source_cell = self.find_source(header)
        self.result.source_cell = source_cell
        columns = self.read_columns(header)
        if columns is None:
            return
        end = self.table_end(header, columns)
        if not self.by_year:
            self.define_columns(header, end, columns)
        self.check_merged(header, end, columns)
        self.check_blank_columns(header, end, columns)
        if self.by_year:
            groups = None
            self.read_year_rows(header, end, columns)
            self.check_jumps(columns)
        else:
            groups = self.read_group_rows(header, end, columns)
        self.check_totals(columns)
        self.check_below(end, columns)
        if not self.result.has_figures and not any(p.severity == "error" for p in self.result.problems):
            self.warn(_("no figures entered yet; type them in the table, or leave the sheet as it is if none are known"))
        changes = {"source": source or NOT_STATED, "path": self.grid.title,
                   "totals_path": self.grid.title if offers_total(self.spec) else None}
        if groups is not None:
            changes["groups"] = tuple(groups)
        self.result.spec = dataclasses.replace(self.spec, **changes)

    def find_header(self) -> int | None:
        for row in range(1, HEADER_SEARCH_ROWS + 1):
            if normal(self.grid.value(row, 1)) in forms(ID_HEADER):
                return row
        return None

    def find_source(self, header: int) -> tuple[str, str | None]:
        """The table's source: the text after 'Source:' in a row above the header."""
        prefixes = tuple(form.rstrip(":") for form in forms(SOURCE_PREFIX))
        for row in range(1, header):
            text = self.grid.text(row, 1)
            if not normal(text).startswith(prefixes):
                continue
            rest = text.split(":", 1)[1].strip() if ":" in text else ""
            if rest:
                return rest, coordinate(row, 1)
            for column in range(2, self.grid.last_column + 1):
                if self.grid.text(row, column):
                    return self.grid.text(row, column), coordinate(row, column)
            return "", coordinate(row, 2)
        return "", None

    def read_columns(self, header: int) -> Columns | None:
        cols = Columns()
        wanted_label = label_headers(self.spec) | (YEAR_LABEL_HEADERS if self.by_year else set())
        first_year: dict[int, str] = {}
        first_indicator: dict[str, str] = {}
        for column in range(2, self.grid.last_column + 1):
            cell = self.grid.cell(header, column)
            where = coordinate(header, column)
            text = normal(cell.value) if isinstance(cell.value, str) else None
            if is_blank(cell.value) and cell.formula is None:
                cols.blank.append(column)
            elif text in NUMBER_HEADERS and cols.number is None:
                cols.number = column
            elif text in wanted_label and cols.label is None:
                cols.label = column
            elif self.by_year and text in forms(UNIT_HEADER) and cols.unit is None:
                cols.unit = column
            elif self.by_year and text in forms(KIND_HEADER) and cols.kind is None:
                cols.kind = column
            elif self.by_year and text in forms(CHANNEL_HEADER) and cols.channel is None:
                cols.channel = column
            elif text in forms(TOTAL_LABEL) and offers_total(self.spec) and cols.total is None:
                cols.total, cols.total_label = column, self.grid.text(header, column)
            elif not self.by_year:
                indicator = self.match_indicator(text)
                if indicator is None:
                    cols.new[column] = self.grid.text(header, column)  # a new indicator: defined once the table's end is known
                elif indicator.name in first_indicator:
                    self.problem(f"the column for '{indicator.label}' appears again (first in {first_indicator[indicator.name]}); expected it once", where)
                else:
                    first_indicator[indicator.name] = where
                    cols.indicators[column] = indicator
            else:
                year, ok = self.take(parse_year(cell), where)
                if not ok:
                    if text in forms(TOTAL_LABEL):
                        hint = _("; Table {number} has no total column (not all its indicators may be added up over years)").format(number=self.spec.number)
                    elif text and any(ch.isalpha() for ch in text):
                        hint = _("; put notes below the table or on the Sources sheet, not in a column of their own")
                    else:
                        hint = ""
                    last = self.result.problems[-1]
                    self.result.problems[-1] = dataclasses.replace(last, message=last.message + hint)
                elif year in first_year:
                    self.problem(_("the year {year} appears again (first in {first}); expected each year once").format(year=year, first=first_year[year]), where)
                else:
                    first_year[year] = where
                    cols.years[column] = year
        if cols.label is None:
            self.problem(f"expected a column headed '{label_header(self.spec)}' in the header row (row {header})", coordinate(header, 2))
            return None
        header_ok = not any(p.severity == "error" for p in self.result.problems)
        self.header_ok = header_ok
        if self.by_year:
            if not cols.years:
                self.problem(_("expected at least one year in the header row, such as 2019, one year per column"),
                             coordinate(header, max(cols.label, cols.unit or 0) + 1))
                return None
            ordered = sorted(cols.years.values())
            for before, after in zip(ordered, ordered[1:]):
                # A refused year heading leaves a gap of its own: say nothing until the headings are right.
                if after - before > 1 and header_ok:
                    self.warn(_("the years jump from {before} to {after}; add a column for each missing year and leave it blank if its "
                                "figures are unknown").format(before=before, after=after),
                              first_year[after])
        return cols

    def define_columns(self, header: int, end: int, cols: Columns) -> None:
        """A table keyed by group: its new columns become indicators, and a paper column deleted is 'not reported'."""
        rows = definition_rows(self, end + 1, cols)
        firsts = {i.name: coordinate(header, c) for c, i in cols.indicators.items()}
        added: list[IndicatorSpec] = []
        for column in sorted(cols.new):
            indicator = added_column(self, column, header, rows, firsts, added)
            if indicator is not None:
                cols.indicators[column] = indicator
        for column, indicator in cols.indicators.items():
            typed = [Typed(self.grid.text(r, column), coordinate(r, column)) if r else Typed("", None) for r in (rows["kind"], rows["channel"])]
            check_definition(self, indicator, *typed)
        present = [i for i in self.spec.indicators if i in cols.indicators.values()]
        missing = tuple(i for i in self.spec.indicators if i not in present)
        for indicator in missing:
            self.problem(_("no column for the paper's indicator '{id}' ({heading}): read as 'not reported' by this province, kept apart "
                           "from a figure left blank (unknown); to report it, restore its column from a fresh template").format(
                             id=indicator.name, heading=indicator_header(indicator)), severity="info")
        self.spec = dataclasses.replace(self.spec, indicators=tuple(present + added), not_reported=missing,
                                        added=tuple(i.name for i in added))

    def match_indicator(self, text: str | None) -> IndicatorSpec | None:
        for indicator in self.spec.indicators:
            if text in indicator_headers(indicator):
                return indicator
        return None

    def is_total_row(self, row: int, cols: Columns) -> bool:
        return bool(forms(TOTAL_LABEL) & {normal(self.grid.value(row, 1)), normal(self.grid.value(row, cols.label))})

    def table_end(self, header: int, cols: Columns) -> int:
        """The last row of the table: before the first blank row or note, or the Total row of a table keyed by group."""
        end = header
        for row in range(header + 1, self.grid.last_row + 1):
            if self.grid.row_is_blank(row):
                break
            first_text = next((self.grid.text(row, c) for c in range(1, cols.label + 1) if self.grid.text(row, c)), "")
            if NOTE_START.match(first_text):
                break
            if not self.by_year and definition_word(self, row, cols):
                break  # the Kind and Channel rows of a table keyed by group sit below its rows
            end = row
            if not self.by_year and self.is_total_row(row, cols):
                break
        return end

    def check_merged(self, header: int, end: int, cols: Columns) -> None:
        guarded = [1] + cols.data
        for min_row, min_col, max_row, max_col, coord in self.grid.merged:
            if max_row >= header and min_row <= end and any(min_col <= c <= max_col for c in guarded):
                self.problem("merged cells; expected one value per cell: unmerge them (Excel: Home > Merge & Center; LibreOffice Calc: Format > Merge and Unmerge Cells > Split Cells) "
                             "and type each figure in its own cell", coord)

    def check_blank_columns(self, header: int, end: int, cols: Columns) -> None:
        leftmost = max(c for c in (cols.label, cols.unit, cols.number) if c)
        for column in cols.blank:
            if column < leftmost:
                continue
            for row in range(header + 1, end + 1):
                if _looks_numeric(self.grid.cell(row, column)):
                    what = _("a year") if self.by_year else _("a column heading")
                    self.problem(_("these figures have no heading: expected {what} in {cell} above them, found a blank cell").format(
                                     what=what, cell=coordinate(header, column)),
                                 coordinate(row, column))
                    break

    def read_year_rows(self, header: int, end: int, cols: Columns) -> None:
        by_id = {normal(i.name): i for i in self.spec.indicators}
        ids = ", ".join(i.name for i in self.spec.indicators)
        seen: dict[str, int] = {}
        added: list[IndicatorSpec] = []
        for row in range(header + 1, end + 1):
            id_text = self.grid.text(row, 1)
            has_data = any(not _empty(self.grid.cell(row, c)) for c in cols.data)
            defined = any(self.grid.text(row, c) for c in (cols.unit, cols.kind, cols.channel) if c)
            if not id_text:
                if not has_data and not defined:
                    continue  # a heading or a note inside the table
                label = normal(self.grid.value(row, cols.label))
                matches = [i for i in self.spec.indicators if label in in_every_language(i, "label")]
                if len(matches) == 1 and self.spec.reference:
                    indicator = matches[0]
                elif matches:
                    self.problem(_("these figures have no indicator id; expected one of {ids} in column A").format(ids=ids), coordinate(row, 1))
                    continue
                else:
                    indicator = added_indicator(self, row, cols, seen, added)
                    if indicator is None:
                        continue
            else:
                indicator = by_id.get(normal(id_text))
                if indicator is None:
                    self.problem(unknown_id(self.spec, id_text, ids), coordinate(row, 1))
                    continue
            if indicator.name in seen:
                self.problem(_("indicator '{id}' appears again (first in row {row}); expected one row per indicator").format(
                                 id=indicator.name, row=seen[indicator.name]),
                             coordinate(row, 1))
                continue
            seen[indicator.name] = row
            self.check_unit(row, cols, indicator)
            check_definition(self, indicator, *(Typed(self.grid.text(row, c), coordinate(row, c)) if c else Typed("", None)
                                                for c in (cols.kind, cols.channel)))
            for column, year in cols.years.items():
                self.keep(indicator, "year", year, row, column)
            if cols.total:
                self.keep_total(indicator, cols.total_label, row, cols.total)
        present = [i for i in self.spec.indicators if i.name in seen]
        missing = tuple(i for i in self.spec.indicators if i.name not in seen)
        for indicator in missing:
            self.problem(_("no row for the paper's indicator '{id}' ({label}, in {unit}): read as 'not reported' by this province, kept "
                           "apart from a figure left blank (unknown); to report it, restore its row from a fresh template").format(
                             id=indicator.name, label=indicator.text("label"), unit=indicator.text("unit")), severity="info")
        if not present and not added and not any(p.severity == "error" for p in self.result.problems):
            self.problem(_("expected at least one indicator row below the header row (row {row}): its label, unit, {kind} and figures, "
                           "{id} left blank").format(row=header, kind=_(KIND_HEADER).lower(), id=_(ID_HEADER)), coordinate(header + 1, cols.label))
        self.spec = dataclasses.replace(self.spec, indicators=tuple(present + added), not_reported=missing,
                                        added=tuple(i.name for i in added))

    def read_group_rows(self, header: int, end: int, cols: Columns) -> list[GroupSpec]:
        reference = {form: g for g in self.spec.groups for form in in_every_language(g, "label")}
        what = self.spec.group_word()
        groups: list[GroupSpec] = []
        seen: dict[str, int] = {}
        for row in range(header + 1, end + 1):
            if self.is_total_row(row, cols):
                label = self.grid.text(row, cols.label) or _(TOTAL_LABEL)
                for column, indicator in cols.indicators.items():
                    self.keep_total(indicator, label, row, column)
                continue
            id_text, label = self.grid.text(row, 1), self.grid.text(row, cols.label)
            has_data = any(not _empty(self.grid.cell(row, c)) for c in cols.data)
            if not label:
                if has_data or id_text:
                    self.problem(_("expected the name of the {what} in this row").format(what=what), coordinate(row, cols.label))
                continue
            if id_text and not SNAKE_ID.match(id_text):
                self.problem(f"expected an id in snake_case (lower-case letters, digits and _), found {shown(id_text)}; "
                             "or leave it blank to derive one from the name", coordinate(row, 1))
                continue
            ident = id_text or (reference[normal(label)].name if normal(label) in reference else snake_id(label))
            if ident in seen:
                self.problem(_("the {what} '{ident}' appears again (first in row {row}); expected each {what} once").format(
                    what=what, ident=ident, row=seen[ident]),
                             coordinate(row, 1 if id_text else cols.label))
                continue
            seen[ident] = row
            number = _number_text(self.grid.value(row, cols.number)) if cols.number else None
            groups.append(GroupSpec(name=ident, label=label, printed_row=number))
            self.group_ids.append(ident)
            for column, indicator in cols.indicators.items():
                self.keep(indicator, "group", ident, row, column)
        return groups

    def keep(self, indicator: IndicatorSpec, key: str, key_value, row: int, column: int) -> None:
        where = coordinate(row, column)
        value, ok = self.take(parse_count(self.grid.cell(row, column)), where)
        if ok:
            # A blank is kept as a record too, so a year left entirely blank still gets its <NA> rows.
            self.result.records.append({"indicator": indicator.name, key: key_value, "value": value})
        if ok and value is not None:
            self.values[(indicator.name, key_value)] = (value, where)
            self.result.has_figures = True

    def keep_total(self, indicator: IndicatorSpec, label: str, row: int, column: int) -> None:
        where = coordinate(row, column)
        value, ok = self.take(parse_count(self.grid.cell(row, column)), where)
        if ok and value is not None:
            self.result.totals.append({"indicator": indicator.name, "label": label, "value": value, "cell": where})
            self.result.has_figures = True

    def check_unit(self, row: int, cols: Columns, indicator: IndicatorSpec) -> None:
        if cols.unit is None:
            return
        typed = self.grid.text(row, cols.unit)
        allowed = {u.rstrip("s") for u in in_every_language(indicator, "unit") | {normal(indicator.printed_unit)} if u}
        if typed and normal(typed).rstrip("s") not in allowed:
            self.problem(_("expected the unit '{unit}', found {typed}; the figures must be counted in {unit}: convert them and "
                           "restore the unit").format(unit=indicator.text("unit"), typed=shown(typed)), coordinate(row, cols.unit))

    def check_jumps(self, cols: Columns) -> None:
        for indicator in self.spec.indicators:
            for year in sorted(cols.years.values()):
                before, now = self.values.get((indicator.name, year - 1)), self.values.get((indicator.name, year))
                if not before or not now or not before[0] or not now[0]:
                    continue
                if now[0] > JUMP * before[0]:
                    self.warn(_("{now} is more than ten times the {year} figure, {before} (cell {cell}); check for a typing error").format(
                        now=now[0], year=year - 1, before=before[0], cell=before[1]), now[1])
                elif now[0] * JUMP < before[0]:
                    self.warn(_("{now} is less than a tenth of the {year} figure, {before} (cell {cell}); check for a typing error").format(
                        now=now[0], year=year - 1, before=before[0], cell=before[1]), now[1])

    def check_totals(self, cols: Columns) -> None:
        keys = sorted(cols.years.values()) if self.by_year else self.group_ids
        for total in self.result.totals:
            where = total.pop("cell")
            if not self.header_ok:
                continue  # a refused heading drops its column, so the sum of the rest says nothing
            indicator = self.spec.indicator(total["indicator"])
            if self.by_year and indicator.kind != "flow":
                self.warn(f"'{indicator.name}' is a {indicator.kind}, not a flow: a total over years has no meaning; "
                          "it is kept as typed but not checked", where)
                continue
            parts = [self.values.get((indicator.name, k)) for k in keys]
            if not parts or any(p is None for p in parts):
                continue  # a blank figure makes the sum unknown, so the total cannot be checked
            added = sum(p[0] for p in parts)
            if added != total["value"]:
                parts_name = (_("the years {first}-{last}").format(first=keys[0], last=keys[-1]) if self.by_year
                              else _("the {what} rows").format(what=self.spec.group_word()))
                self.warn(_("the total typed in {cell} is {total}, {parts} sum to {added}; it is kept as typed, never replaced").format(
                    cell=where, total=total["value"], parts=parts_name, added=added), where)

    def check_below(self, end: int, cols: Columns) -> None:
        for row in sorted(r for r in self.grid.filled_rows if r > end):
            for column in cols.data:
                cell = self.grid.cell(row, column)
                if _looks_numeric(cell):
                    self.warn(_("the figure {value} is below the end of the table (row {end}) and was not read; if it belongs to the "
                                "table, delete the blank rows above it").format(value=shown(cell.value), end=end), coordinate(row, column))
                    break


def _empty(cell: Cell) -> bool:
    return is_blank(cell.value) and cell.formula is None


def _looks_numeric(cell: Cell) -> bool:
    if cell.formula is not None:
        return True
    if isinstance(cell.value, bool):
        return False
    if isinstance(cell.value, (int, float)):
        return True
    return isinstance(cell.value, str) and parse_count(cell).value is not None


def _number_text(value) -> str | None:
    """A printed row number as text: 1 -> '1', 2.1 -> '2.1'."""
    if is_blank(value):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value).strip()
