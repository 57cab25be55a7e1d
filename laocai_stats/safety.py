"""Escaping user-supplied text so a spreadsheet never runs it as a formula (CSV/formula injection)."""
from __future__ import annotations

# OWASP "CSV Injection": a cell starting with one of these may be evaluated as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text):
    """Prefix text that a spreadsheet could read as a formula with a single quote; leave anything else as it is.

    Idempotent (an escaped text starts with the quote, which triggers nothing), so text read back
    from a workbook this package wrote can be written again unchanged. Non-strings pass through:
    numbers are never formulas.
    """
    if isinstance(text, str) and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_text(value):
    """Text for a spreadsheet cell: characters XML forbids dropped, formula triggers escaped; non-text unchanged."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))


def escape_frame(frame):
    """A copy of `frame` whose text columns are escaped with `escape_formula`, for CSV output."""
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(escape_formula)
    return out
