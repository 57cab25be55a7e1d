"""Text shown to people or written to files: escaping what a user typed, and formatting numbers."""
from __future__ import annotations

import pandas as pd

def nfc(value):
    """Text read from a user in Unicode NFC, so that one name has one spelling ("Hà" typed precomposed or with a
    combining accent compare equal); dicts and lists are normalised throughout; anything else is returned unchanged."""
    import unicodedata

    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


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
    """A copy of `frame` whose text columns and column names are escaped with `escape_formula`, for CSV output.

    Column names can be user text too: `compare` makes a column of each province's name.
    """
    out = frame.copy()
    out.columns = [escape_formula(c) for c in out.columns]
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(escape_formula)
    return out


def plain_number(value):
    """A float as CSV text: whole numbers without a decimal point (15.0 -> '15'), others exactly (repr); missing -> None."""
    if value is None or pd.isna(value):
        return None
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def csv_frame(frame):
    """`frame` ready for CSV: text escaped against formulas, float columns written as plain numbers (no '15.0')."""
    out = escape_frame(frame)
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].map(plain_number).astype(object)
    return out


# Characters that make Markdown (CommonMark, GFM, Jupyter's math) or the HTML it may hold do something:
# HTML's three as entities, the rest backslash-escaped; line breaks would start a new block.
_MARKDOWN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": " ", "\r": " ",
                           **{c: "\\" + c for c in "\\`*_[]|~$"}})


def escape_markdown(text) -> str:
    """Text a user typed, to be shown literally inside Markdown: no link, image, HTML, emphasis, math or new block.

    `[x](javascript:alert(1))` stays those characters, `<script>` is shown rather than run. Every place that
    puts user text (a province's name, a label, a file name) into Markdown uses this; None becomes "".
    """
    if text is None:
        return ""
    return str(text).translate(_MARKDOWN)


def markdown_table(frame: pd.DataFrame, *, trusted: bool = False) -> str:
    """A GitHub-flavoured Markdown table; blank for missing values; cells escaped with `escape_markdown`
    unless `trusted` (Markdown this package wrote itself, such as the README's tables)."""
    def cell(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if trusted:
            return str(value).replace("|", "\\|").replace("\n", " ")
        return escape_markdown(value)

    header = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def shorten(text, limit: int = 60) -> str:
    """A name short enough for a figure's title: cut at `limit` characters with an ellipsis (the full name stays in
    the data, the tables and the prose)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def percent(fraction, digits: int = 1) -> str:
    """0.295 -> '29.5 %'; missing -> 'n/a'."""
    if fraction is None or pd.isna(fraction):
        return "n/a"
    return f"{fraction * 100:.{digits}f} %"


def number(value, digits: int = 0) -> str:
    """Thousands separators as the paper prints them; missing -> 'n/a'."""
    if value is None or pd.isna(value):
        return "n/a"
    return f"{value:,.{digits}f}"
