"""Small text renderers shared by the command line, the notebooks and the report."""
from __future__ import annotations

import pandas as pd


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; blank for missing values, pipes escaped."""
    def cell(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        return str(value).replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


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
