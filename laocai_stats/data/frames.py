"""Tidy frames built from validated records: the shape every table takes in the library."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import LaocaiError, Problem
from .specs import TableSpec

if TYPE_CHECKING:
    import pandas as pd

# pandas is imported where a frame is built, not here: checking a workbook (`validate`) reads and checks plain
# records and builds no frame, so it need not pay for importing pandas.

TOTAL_COLUMNS = ["indicator", "label", "value", "unit"]



def require_frame(frame, columns, what: str) -> pd.DataFrame:
    """`frame` itself when it is a DataFrame holding `columns`; else LaocaiError saying what `what` needs."""
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise LaocaiError(f"{what} needs a DataFrame (a tidy table from load_table), got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise LaocaiError(f"{what} needs the columns {', '.join(columns)}; the frame has no {', '.join(missing)} "
                          f"(it has: {', '.join(map(str, frame.columns)) or 'none'})")
    return frame


@dataclass(frozen=True)
class TableData:
    """One table of one data set: its spec, tidy rows, printed totals, and warnings met on reading."""

    spec: TableSpec
    rows: pd.DataFrame
    totals: pd.DataFrame
    warnings: tuple[Problem, ...] = ()


def tidy_frame(spec: TableSpec, records: list[dict]) -> pd.DataFrame:
    """Rows in the paper's order: indicators as declared, then years ascending or groups as declared.

    Every indicator gets a row for every year (or group) the table covers; a value that the data
    leave blank or do not give is missing (<NA>), never zero.
    """
    import pandas as pd

    key = spec.key
    values = {(r["indicator"], r[key]): r["value"] for r in records}
    if spec.keyed_by == "year":
        keys = sorted({r[key] for r in records})
    else:
        declared = [g.name for g in spec.groups]
        keys = declared + sorted({r[key] for r in records} - set(declared))
    grid = [(i, k) for i in spec.indicators for k in keys]
    frame = pd.DataFrame(
        {
            "indicator": pd.Series([i.name for i, _ in grid], dtype=object),
            key: pd.Series([k for _, k in grid], dtype="int64" if key == "year" else object),
            "value": pd.array([values.get((i.name, k)) for i, k in grid], dtype="Int64"),
            "unit": pd.Series([i.unit for i, _ in grid], dtype=object),
        }
    )
    frame.attrs = provenance(spec)
    return frame


def totals_frame(spec: TableSpec, records: list[dict]) -> pd.DataFrame:
    """The printed total row, one row per indicator it totals, exactly as printed."""
    import pandas as pd

    order = {i.name: n for n, i in enumerate(spec.indicators)}
    records = sorted(records, key=lambda r: order[r["indicator"]])
    frame = pd.DataFrame(
        {
            "indicator": pd.Series([r["indicator"] for r in records], dtype=object),
            "label": pd.Series([r["label"] for r in records], dtype=object),
            "value": pd.array([r["value"] for r in records], dtype="Int64"),
            "unit": pd.Series([spec.indicator(r["indicator"]).unit for r in records], dtype=object),
        },
        columns=TOTAL_COLUMNS,
    )
    frame.attrs = provenance(spec)
    return frame


def provenance(spec: TableSpec) -> dict:
    """What a frame carries about where it came from; `sum_over_years` reads the kinds."""
    return {
        "table": spec.name,
        "table_number": spec.number,
        "caption": spec.caption,
        "kinds": {i.name: i.kind for i in spec.indicators},
    }
