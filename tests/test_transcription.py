"""Each table, laid out as printed, reproduces the paper's own lines for it, cell for cell."""
from __future__ import annotations

import pytest

from laocai_stats import list_tables, printed_table, table_info


def paper_lines(paper_text: str, number: int) -> list[str]:
    """The tab-separated lines between a table's caption and its 'Source:' line."""
    lines, inside = [], False
    for line in paper_text.splitlines():
        if line.startswith(f"Table {number}:"):
            inside = True
            continue
        if inside and line.startswith("Source:"):
            break
        if inside and line.strip():
            lines.append(line)
    return lines


@pytest.mark.parametrize("name", list_tables())
def test_printed_table_equals_the_papers_lines(name, paper_text):
    frame = printed_table(name)
    ours = ["\t".join(frame.columns)] + ["\t".join(row) for row in frame.itertuples(index=False)]
    assert ours == paper_lines(paper_text, table_info(name)["number"])
