"""What every part of the audit shares: the columns of a check, its verdicts, and small helpers."""
from __future__ import annotations

import pandas as pd

from ..text import N_, NC_, _

# Verdicts are fixed English codes in audit.csv; reports show them in their language (pgettext "verdict").
CONSISTENT = NC_("verdict", "consistent")
INCONSISTENT = NC_("verdict", "inconsistent")
NOT_CHECKABLE = NC_("verdict", "not checkable")
NOT_APPLICABLE = NC_("verdict", "not applicable")
VERDICTS = (CONSISTENT, INCONSISTENT, NOT_CHECKABLE, NOT_APPLICABLE)

COLUMNS = [
    "check", "part", "kind", "table", "section", "location", "rule",
    "printed", "recomputed", "difference", "verdict", "numbers", "note", "blank_inputs",
]
PARTS = {
    1: N_("Printed totals against their rows"),
    2: N_("Counts in the text against the tables and their stated parts"),
    3: N_("Claims ledger"),
    4: N_("The text against itself"),
}

#: What the verdicts mean, for every report that shows them.
VERDICT_MEANINGS = {
    CONSISTENT: N_("not contradicted by the tables (or, in part 4, by the other statement); not proof that the text is true"),
    INCONSISTENT: N_("contradicted by the numbers, or the two statements cannot both be true"),
    NOT_CHECKABLE: N_("nothing in the tables can weigh it, or an input is blank (never read as zero)"),
    NOT_APPLICABLE: N_("the paper's text describes another province's data"),
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
    if len(items) == 1:
        return items[0]
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def present(value) -> bool:
    """True unless the value is missing or blank text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return False
    return str(value).strip() != ""
