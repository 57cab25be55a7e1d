"""What every part of the audit shares: the columns of a check, its verdicts, and small helpers."""
from __future__ import annotations

import pandas as pd

CONSISTENT = "consistent"
INCONSISTENT = "inconsistent"
NOT_CHECKABLE = "not checkable"
NOT_APPLICABLE = "not applicable"
VERDICTS = (CONSISTENT, INCONSISTENT, NOT_CHECKABLE, NOT_APPLICABLE)

COLUMNS = [
    "check", "part", "kind", "table", "section", "location", "rule",
    "printed", "recomputed", "difference", "verdict", "numbers", "note", "blank_inputs",
]
PARTS = {
    1: "Printed totals against their rows",
    2: "Counts in the text against the tables and their stated parts",
    3: "Claims ledger",
    4: "The text against itself",
}

#: What the verdicts mean, for every report that shows them.
VERDICT_MEANINGS = {
    CONSISTENT: "not contradicted by the tables (or, in part 4, by the other statement); not proof that the text is true",
    INCONSISTENT: "contradicted by the numbers, or the two statements cannot both be true",
    NOT_CHECKABLE: "nothing in the tables can weigh it, or an input is blank (never read as zero)",
    NOT_APPLICABLE: "the paper's text describes another province's data",
}


def check_row(**values) -> dict:
    """One audit row: every column present, `blank_inputs` 0 unless given."""
    out = dict.fromkeys(COLUMNS)
    out.update(blank_inputs=0)
    out.update(values)
    return out


def and_list(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def present(value) -> bool:
    """True unless the value is missing or blank text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return False
    return str(value).strip() != ""
