"""Who the figures come from: the data's own Source lines and Sources sheet, for figures, notebooks and the report.

The paper's own data credit their agency "as printed in" the paper. Any other data set credits what its
workbook says (each table's 'Source:' line and the Sources sheet) and cites the paper only as the origin of
the method, so that another province's run never credits Lao Cai's agency.
"""
from __future__ import annotations

from pathlib import Path

from ..data.dataset import Dataset
from ..data.sources import NOT_STATED, table_origins
from ..text import _, escape_markdown, in_data_language, pgettext

PAPER_SHORT = "Le & Bui (2024)"


def tables_label(numbers) -> str:
    """'Table 3', 'Tables 2-5' or 'Tables 2-3, 6': the table numbers given, consecutive ones as a range."""
    numbers = sorted(set(int(n) for n in numbers))
    if len(numbers) == 1:
        return _("Table {number}").format(number=numbers[0])
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    spans = ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
    return _("Tables {numbers}").format(numbers=spans)


def is_paper_data(dataset: Dataset) -> bool:
    """The data as printed in the paper (they cite it); else a province's own figures laid out like it."""
    return bool(dataset.citation)


@in_data_language
def credit(dataset: Dataset, tables) -> str:
    """One source line for figures and notebooks showing `tables`, in the data's language."""
    tables = [t for t in tables if t in dataset.specs]
    numbers = ", ".join(_("Table {number}").format(number=dataset.spec(t).number) for t in tables)
    origins = list(dict.fromkeys(o for t in tables for o in table_origins(dataset, t)))
    if is_paper_data(dataset):
        return _("Source: {origins}, as printed in {paper}, {tables}.").format(
            origins="; ".join(origins) or _(NOT_STATED), paper=PAPER_SHORT, tables=numbers)
    stated = "; ".join(origins) or _("not stated in {file}").format(file=Path(dataset.source).name)
    return _("Source: {origins}. {province}'s data ({tables}), analysed with the method of {paper}.").format(
        origins=stated, province=dataset.province, tables=numbers, paper=PAPER_SHORT)


@in_data_language
def province_line(dataset: Dataset) -> str:
    """The line a notebook opens with: whose data (the name escaped: it is data, never markup)."""
    return _("Data: **{province}**").format(province=escape_markdown(dataset.province))


@in_data_language
def data_line(dataset: Dataset, table: str) -> str:
    """The line a table's notebook opens with: whose data, and where they come from."""
    return f"{province_line(dataset)}. {escape_markdown(credit(dataset, [table]))}"


def sources_rows(dataset: Dataset) -> list[tuple[str, str, str]]:
    """(table, cells, source and note) for every source the data give, table by table."""
    rows = []
    every = pgettext("cells", "all")  # the whole table
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        spec = dataset.spec(name)
        label = _("Table {number}: {caption}").format(number=spec.number, caption=spec.text("caption"))
        if spec.source and spec.source != NOT_STATED:
            rows.append((label, every, spec.source))
        sheet = " ".join(str(spec.path).split()).casefold()
        for entry in dataset.metadata.get("sources") or []:
            if " ".join(str(entry.get("sheet") or "").split()).casefold() == sheet and (entry.get("source") or entry.get("note")):
                text = entry.get("source") or ""
                if entry.get("note"):
                    text = f"{text} ({entry['note']})" if text else entry["note"]
                rows.append((label, entry.get("cells") or every, text))
        if not any(r[0] == label for r in rows):
            rows.append((label, every, _(NOT_STATED)))
    return rows
