"""The growth summary: one row per yearly indicator, the table `reproduce` writes as growth.csv."""
from __future__ import annotations

import pandas as pd

from ..data.dataset import Dataset, as_dataset
from .growth import cagr, peaks
from .trend import kendall_trend, log_linear_trend

#: The columns growth.csv promises, in order; more follow them.
GROWTH_COLUMNS = [
    "table", "indicator", "unit", "kind", "first_year", "last_year", "first_value", "last_value",
    "change", "pct_change", "cagr", "trend_growth", "trend_growth_low", "trend_growth_high",
    "kendall_tau", "kendall_p",
]
EXTRA_COLUMNS = [
    "table_number", "title", "label", "n_years", "n_missing", "trend_n", "trend_note", "kendall_n",
    "kendall_method", "peak_year", "peak_value", "trough_year", "trough_value",
]


def yearly_frame(dataset: Dataset) -> pd.DataFrame:
    """Every yearly table stacked, with `table` and `kind` columns, in table-number order."""
    dataset = as_dataset(dataset)
    frames = []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        spec = dataset.spec(name)
        if spec.keyed_by != "year":
            continue
        rows = dataset.table(name).rows
        kinds = {i.name: i.kind for i in spec.indicators}
        frames.append(rows.assign(table=name, kind=rows["indicator"].map(kinds))[["table", "indicator", "kind", "year", "value", "unit"]])
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["table", "indicator", "kind", "year", "value", "unit"])
    out.attrs = {"kinds": dict(zip(out["indicator"], out["kind"]))}
    return out


def growth_summary(dataset: Dataset) -> pd.DataFrame:
    """CAGR, change, trend growth with its 95 % interval, Kendall's tau and p, peak and trough, per yearly indicator."""
    dataset = as_dataset(dataset)
    frame = yearly_frame(dataset)
    keys = ["table", "indicator"]
    out = cagr(frame)
    for part in (log_linear_trend(frame), kendall_trend(frame), peaks(frame)):
        out = out.merge(part, on=keys, how="left")
    meta = {}
    for name in dataset.table_names():
        spec = dataset.spec(name)
        for i in spec.indicators:
            meta[(name, i.name)] = {"kind": i.kind, "title": i.display, "label": i.text("label"), "table_number": spec.number}
    for column in ("kind", "title", "label", "table_number"):
        out[column] = [meta[(t, i)][column] for t, i in zip(out["table"], out["indicator"])]
    return out[GROWTH_COLUMNS + EXTRA_COLUMNS].reset_index(drop=True)
