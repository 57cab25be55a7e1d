"""Reading one spreadsheet cell as a count or a year: what Excel users actually type, and what to say when it is wrong."""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from ..data.limits import too_many_digits
from ..data.specs import YEAR_RANGE
from ..text import N_, _, nfc

# Beyond this a float no longer holds every whole number exactly; no count in these tables comes close.
LARGEST_COUNT = 10**15
BLANKS = " \t\r\n\u00a0\u202f"
# "1,263", "1.263", "1 263", "1.263.000": one kind of separator between groups of exactly three digits.
THOUSANDS = re.compile(r"^\d{1,3}(?P<sep>[,.\u00a0\u202f ])\d{3}(?:(?P=sep)\d{3})*$")
WHOLE = re.compile(r"^[+-]?\d+$")
SEPARATOR_NAMES = {",": "','", ".": "'.'", " ": N_("a space"), "\u00a0": N_("a no-break space"),
                   "\u202f": N_("a narrow no-break space")}


INVISIBLE = {"\u00a0": N_("a no-break space"), "\u202f": N_("a narrow no-break space"), "\u2007": N_("a figure space"),
             "\u200b": N_("a zero-width space"), "\ufeff": N_("a zero-width no-break space")}


@dataclass(frozen=True)
class Cell:
    """What the reader knows of one cell: the value Excel saved, its type code, and the formula if any."""

    value: object
    data_type: str = "n"
    formula: str | None = None


@dataclass(frozen=True)
class Parsed:
    value: int | None = None
    error: str | None = None
    warning: str | None = None


def shown(value, limit: int = 40) -> str:
    """A value as a message quotes it: text in quotes (shortened), numbers as they are."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 1] + "…"
        # As typed, not as Python escapes it: invisible characters are shown as what they look like, and named.
        named = [name for char, name in INVISIBLE.items() if char in text]
        for char in INVISIBLE:
            text = text.replace(char, " " if char in "\u00a0\u202f\u2007" else "")
        quoted = f"'{text}'" if "'" not in text else f'"{text}"'
        return quoted + (f" (with {' and '.join(named)})" if named else "")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(BLANKS))


def _of_formula(cell: Cell) -> str:
    return _(" (the value of the formula {formula})").format(formula=cell.formula) if cell.formula else ""


def _formula_problem(cell: Cell) -> str | None:
    if cell.formula and cell.value is None:
        return _("holds the formula {formula} but no value was saved with it; open the file in Excel or "
                 "LibreOffice Calc and save it again (that stores the value), or type the number instead").format(formula=cell.formula)
    if cell.data_type == "e":
        if cell.formula:
            return _("the formula {formula} gives the error {error}; expected a whole number").format(formula=cell.formula, error=cell.value)
        return _("holds the error {error}; expected a whole number").format(error=cell.value)
    return None


def parse_count(cell: Cell) -> Parsed:
    """A count: a whole number of at least 0, or blank for unknown (never zero)."""
    problem = _formula_problem(cell)
    if problem:
        return Parsed(error=problem)
    value = cell.value
    if is_blank(value):
        return Parsed()
    if isinstance(value, bool):
        return Parsed(error=_("expected a whole number, found {value}").format(value=shown(value)))
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return Parsed(error=_("expected a whole number, found the date or time {value}; format the cell as a number and retype it").format(value=value))
    warning = None
    if isinstance(value, str):
        text = value.strip(BLANKS)
        too_long = too_many_digits(text) if text[:1].isdigit() or text[:1] in "+-" else None
        if too_long and (WHOLE.match(text) or THOUSANDS.match(text)):
            return Parsed(error=too_long)
        match = THOUSANDS.match(text)
        if match:
            number = int(re.sub(r"\D", "", text))
            sep = _(SEPARATOR_NAMES[match.group("sep")])
            warning = _("read the text {text} as the whole number {number}, taking {separator} as a thousands "
                        "separator; type figures as numbers, without separators, to be sure").format(text=shown(value), number=number, separator=sep)
            value = number
        elif WHOLE.match(text):
            value = int(text)
            warning = _("read the text {text} as the number {number}; store figures as numbers, not text").format(text=shown(cell.value), number=value)
        else:
            hint = _("; a count cannot have a fraction") if re.fullmatch(r"[+-]?\d+[.,]\d+", text) else ""
            return Parsed(error=_("expected a whole number (leave the cell blank if unknown), found {value}").format(value=shown(value))
                          + hint + _of_formula(cell))
    if isinstance(value, float):
        if not math.isfinite(value):
            return Parsed(error=_("expected a whole number, found {value}").format(value=value))
        if not value.is_integer():
            return Parsed(error=_("expected a whole number, found {value}").format(value=shown(value)) + _of_formula(cell) + _decimal_point_hint(value))
        value = int(value)
    if not isinstance(value, int):
        return Parsed(error=_("expected a whole number, found {value}").format(value=shown(value)))
    if value < 0:
        return Parsed(error=_("expected a count of at least 0, found {value}").format(value=value) + _of_formula(cell))
    if value >= LARGEST_COUNT:
        return Parsed(error=_("expected a count below {largest}, found {value}").format(largest=f"{LARGEST_COUNT:,}", value=value))
    return Parsed(value=value, warning=warning)


def _decimal_point_hint(value: float) -> str:
    # 1.263 typed in a Vietnamese habit but stored by an English-locale Excel as one point two six three.
    thousands = value * 1000
    if 0 < value < 1000 and abs(thousands - round(thousands)) < 1e-6 and round(thousands) % 10:
        return _("; if you meant {number}, retype it without the '.' (Excel or LibreOffice Calc took it for a decimal point)").format(
            number=round(thousands))
    return ""


def parse_year(cell: Cell) -> Parsed:
    """A year in a header cell: a whole number between 1900 and 2100, typed as a number or as text."""
    problem = _formula_problem(cell)
    if problem:
        return Parsed(error=problem.replace("expected a whole number", "expected a year such as 2019"))
    value = cell.value
    expected = _("expected a year such as 2019")
    if is_blank(value):
        return Parsed()
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return Parsed(error=_("{expected}, found {value}; format the cell as a number and type the year").format(expected=expected, value=shown(value)))
    if isinstance(value, str):
        text = value.strip(BLANKS)
        too_long = too_many_digits(text) if text[:1].isdigit() or text[:1] in "+-" else None
        if too_long and (WHOLE.match(text) or THOUSANDS.match(text)):
            return Parsed(error=too_long)
        if not text.isascii() or not text.isdigit():
            return Parsed(error=_("{expected}, found {value}").format(expected=expected, value=shown(value)))
        value = int(text)
    if isinstance(value, float):
        if not (math.isfinite(value) and value.is_integer()):
            return Parsed(error=_("{expected}, found {value}").format(expected=expected, value=shown(value)))
        value = int(value)
    if not YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
        return Parsed(error=_("expected a year between {first} and {last}, found {value}").format(first=YEAR_RANGE[0], last=YEAR_RANGE[1], value=value))
    return Parsed(value=value)


def coordinate(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


def _formula_text(value) -> str | None:
    if isinstance(value, str):
        return value if value.startswith("=") else None
    text = getattr(value, "text", None)  # ArrayFormula keeps its text here
    if isinstance(text, str):
        return text if text.startswith("=") else f"={text}"
    return "(a formula)" if value is not None else None


class Grid:
    """One sheet's non-empty cells, saved values and formulas side by side, read once.

    Built from the worksheets' cell dictionaries rather than `iter_rows`, which would create every
    cell of the used rectangle: one stray entry at row 1,000,000 would make that take minutes.
    """

    def __init__(self, values_ws, formulas_ws, *, max_row: int, max_column: int):
        self.title = values_ws.title
        self.cells: dict[tuple[int, int], Cell] = {}
        self.truncated = False
        formulas = {key: _formula_text(c.value) for key, c in formulas_ws._cells.items() if c.data_type == "f"}
        for key in set(values_ws._cells) | set(formulas):
            row, column = key
            if row > max_row or column > max_column:
                self.truncated = True
                continue
            held = values_ws._cells.get(key)
            value = nfc(held.value) if held is not None else None
            formula = formulas.get(key)
            if value is None and formula is None:
                continue
            self.cells[key] = Cell(value, held.data_type if held is not None else "n", formula)
        self.filled_rows = {r for (r, _), c in self.cells.items() if not (is_blank(c.value) and c.formula is None)}
        self.merged = [
            (r.min_row, r.min_col, r.max_row, r.max_col, r.coord) for r in values_ws.merged_cells.ranges
        ]

    def cell(self, row: int, column: int) -> Cell:
        return self.cells.get((row, column), EMPTY)

    def value(self, row: int, column: int):
        return self.cell(row, column).value

    def text(self, row: int, column: int) -> str:
        value = self.value(row, column)
        return "" if is_blank(value) else str(value).strip(BLANKS)

    @property
    def last_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)

    @property
    def last_column(self) -> int:
        return max((c for _, c in self.cells), default=0)

    def row_is_blank(self, row: int) -> bool:
        return row not in self.filled_rows


EMPTY = Cell(None)
