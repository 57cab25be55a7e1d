"""The sources a data set gives for its tables: each table's Source line and the rows of a workbook's Sources sheet."""
from __future__ import annotations

from ..text import N_
from .dataset import Dataset

NOT_STATED = N_("not stated")  # what the workbook reader records for a table without a Source line


def _sheet_key(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def table_origins(dataset: Dataset, table: str) -> list[str]:
    """The sources the data give for one table: its Source line, then its rows of the Sources sheet."""
    spec = dataset.spec(table)
    found = [spec.source] if spec.source and spec.source != NOT_STATED else []
    for entry in dataset.metadata.get("sources") or []:
        if entry.get("source") and _sheet_key(entry.get("sheet")) == _sheet_key(spec.path):
            where = f" (cells {entry['cells']})" if entry.get("cells") else ""
            found.append(f"{entry['source']}{where}")
    return list(dict.fromkeys(found))
