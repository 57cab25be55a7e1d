"""Who the figures come from: the data's own Source lines and Sources sheet, for figures, notebooks and the report.

The paper's own data credit their agency "as printed in" the paper. Any other data set credits what its
workbook says (each table's 'Source:' line and the Sources sheet) and cites the paper only as the origin of
the method, so that another province's run never credits Lao Cai's agency.
"""
from __future__ import annotations

from pathlib import Path

from ..data.dataset import Dataset
from ..data.sources import NOT_STATED, table_origins
from ..text import escape_markdown

PAPER_SHORT = "Le & Bui (2024)"


def is_paper_data(dataset: Dataset) -> bool:
    """The data as printed in the paper (they cite it); else a province's own figures laid out like it."""
    return bool(dataset.citation)


def credit(dataset: Dataset, tables) -> str:
    """One source line for figures and notebooks showing `tables`."""
    tables = [t for t in tables if t in dataset.specs]
    numbers = ", ".join(f"Table {dataset.spec(t).number}" for t in tables)
    origins = list(dict.fromkeys(o for t in tables for o in table_origins(dataset, t)))
    if is_paper_data(dataset):
        return f"Source: {'; '.join(origins) or NOT_STATED}, as printed in {PAPER_SHORT}, {numbers}."
    stated = "; ".join(origins) or f"not stated in {Path(dataset.source).name}"
    return f"Source: {stated}. {dataset.province}'s data ({numbers}), analysed with the method of {PAPER_SHORT}."


def data_line(dataset: Dataset, table: str) -> str:
    """The line a table's notebook opens with: whose data, and where they come from."""
    return f"Data: **{escape_markdown(dataset.province)}**. {escape_markdown(credit(dataset, [table]))}"


def sources_rows(dataset: Dataset) -> list[tuple[str, str, str]]:
    """(table, cells, source and note) for every source the data give, table by table."""
    rows = []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        spec = dataset.spec(name)
        label = f"Table {spec.number}: {spec.caption}"
        if spec.source and spec.source != NOT_STATED:
            rows.append((label, "all", spec.source))
        sheet = " ".join(str(spec.path).split()).casefold()
        for entry in dataset.metadata.get("sources") or []:
            if " ".join(str(entry.get("sheet") or "").split()).casefold() == sheet and (entry.get("source") or entry.get("note")):
                text = entry.get("source") or ""
                if entry.get("note"):
                    text = f"{text} ({entry['note']})" if text else entry["note"]
                rows.append((label, entry.get("cells") or "all", text))
        if not any(r[0] == label for r in rows):
            rows.append((label, "all", NOT_STATED))
    return rows
