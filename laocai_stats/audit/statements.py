"""Part 4 of the audit: the text against itself, pairs of statements that cannot both be true.

No table settles these: the verdict is a reader's, recorded with both quotes in the `statements`
resource (data/laocai/statements.csv) so that it can be disputed like any other datum. A pair that
bears on a claim of the ledger (part 3) is also noted beside that claim.
"""
from __future__ import annotations

import pandas as pd

from .claims import load_text_resource, split_items
from .common import check_row

STATEMENTS_RESOURCE = "statements"
STATEMENT_COLUMNS = ["check", "section_a", "quote_a", "section_b", "quote_b", "verdict", "claims", "note"]


def load_statements(data=None) -> pd.DataFrame:
    """The pairs of statements (the `statements` resource of the package `data` names, else the shipped one)."""
    return load_text_resource(data, STATEMENTS_RESOURCE, STATEMENT_COLUMNS)


def statement_checks(statements: pd.DataFrame) -> list[dict]:
    """One audit row per pair, citing both sentences."""
    rows = []
    for pair in statements.to_dict("records"):
        rows.append(check_row(
            check=f"text.{pair['check']}", part=4, kind="text vs text", table="",
            section=f"{pair['section_a']} and {pair['section_b']}",
            location=f'{pair["section_a"]}: "{pair["quote_a"]}" / {pair["section_b"]}: "{pair["quote_b"]}"',
            rule="both statements hold of the same thing", verdict=pair["verdict"], note=pair["note"]))
    return rows


def claims_contradicted(statements: pd.DataFrame) -> dict[str, list[str]]:
    """For each claim of the ledger, the pairs judged inconsistent that bear on it."""
    out: dict[str, list[str]] = {}
    for pair in statements.to_dict("records"):
        if pair["verdict"] == "inconsistent":
            for claim in split_items(pair.get("claims")):
                out.setdefault(claim, []).append(f"text.{pair['check']}")
    return out
