"""Growth of yearly series: year-on-year change, CAGR, index, share of the period, peaks and troughs.

Every function takes a tidy frame (indicator, year, value, unit; other columns such as `table` or
`province` are kept as grouping keys), returns a new frame, and leaves its input unchanged. Rates
are fractions (0.12 = 12 %). A missing value is never read as zero; each function says what it
does with one.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.frames import require_frame
from ..errors import LaocaiError

# Columns that identify one series when present, in this order.
SERIES_KEYS = ("province", "table", "indicator", "group")


def series_keys(frame: pd.DataFrame) -> list[str]:
    return [k for k in SERIES_KEYS if k in frame.columns]


def _yearly(frame: pd.DataFrame) -> pd.DataFrame:
    require_frame(frame, ["indicator", "value"], "a growth statistic")
    if "year" not in frame.columns:
        raise LaocaiError("this needs a yearly table; Table 1 (agents) is a one-time snapshot with no years")
    out = frame.copy()
    out["value"] = pd.to_numeric(out["value"], errors="raise").astype("Float64")
    # Series keep the order they first appear in (the paper's), years ascend within each.
    order = out.groupby(series_keys(out), sort=False, dropna=False).ngroup()
    return out.assign(_order=order).sort_values(["_order", "year"], kind="stable").drop(columns="_order")


def _groups(frame: pd.DataFrame):
    return frame.groupby(series_keys(frame), sort=False, dropna=False)


def each_series(frame: pd.DataFrame):
    """Yield (the series' key columns as a new dict, all its rows, its rows with a value), in the paper's order."""
    data = _yearly(frame)
    keys = series_keys(data)
    for key, series in _groups(data):
        key = key if isinstance(key, tuple) else (key,)
        yield dict(zip(keys, key)), series, series.dropna(subset=["value"])


def typed_frame(rows: list[dict], *, ints=(), floats=()) -> pd.DataFrame:
    """One row per series, with nullable integer and float columns so that missing stays <NA>."""
    out = pd.DataFrame(rows)
    for column in ints:
        out[column] = out[column].astype("Int64")
    for column in floats:
        out[column] = out[column].astype("Float64")
    return out


def year_on_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Change from the previous calendar year, absolute (`change`) and as a fraction (`pct_change`).

    The previous year means year - 1: when that year is missing (absent or blank), both are <NA>
    rather than bridging the gap. `pct_change` is <NA> when the previous value is 0.
    """
    data = _yearly(frame)
    previous = data[[*series_keys(data), "year", "value"]].copy()
    previous["year"] = previous["year"] + 1
    previous = previous.rename(columns={"value": "previous"})
    out = data.merge(previous, on=[*series_keys(data), "year"], how="left")
    out["change"] = out["value"] - out["previous"]
    out["pct_change"] = (out["change"] / out["previous"].where(out["previous"] != 0)).astype("Float64")
    return out.reset_index(drop=True)


def endpoints(frame: pd.DataFrame) -> pd.DataFrame:
    """First and last year with a value for each series, with counts of years and of missing years."""
    rows = []
    for row, series, known in each_series(frame):
        row["unit"] = series["unit"].iloc[0] if "unit" in series else None
        row["n_years"] = len(series)
        row["n_missing"] = int(series["value"].isna().sum())
        if known.empty:
            row.update(first_year=pd.NA, last_year=pd.NA, first_value=np.nan, last_value=np.nan)
        else:
            row.update(first_year=int(known["year"].iloc[0]), last_year=int(known["year"].iloc[-1]),
                       first_value=float(known["value"].iloc[0]), last_value=float(known["value"].iloc[-1]))
        rows.append(row)
    return typed_frame(rows, ints=("first_year", "last_year"), floats=("first_value", "last_value"))


def cagr(frame: pd.DataFrame) -> pd.DataFrame:
    """Compound annual growth rate between the first and last year with a value.

    (last / first) ** (1 / (last_year - first_year)) - 1. Missing years in between are skipped,
    since only the two end points enter. <NA> when the series has fewer than two values, or when
    its first value is 0 (growth from zero has no rate).
    """
    out = endpoints(frame)
    span = (out["last_year"] - out["first_year"]).astype("Float64")
    valid = (span > 0) & (out["first_value"] > 0)
    ratio = (out["last_value"] / out["first_value"]).where(valid)
    out["change"] = out["last_value"] - out["first_value"]
    out["pct_change"] = (out["change"] / out["first_value"].where(out["first_value"] != 0)).astype("Float64")
    out["cagr"] = pd.array(
        [np.nan if pd.isna(r) else float(r) ** (1.0 / float(s)) - 1.0 for r, s in zip(ratio, span)], dtype="Float64"
    )
    return out


def index(frame: pd.DataFrame, *, base_year: int | None = None) -> pd.DataFrame:
    """Each value as an index, base = 100.

    The base is `base_year` if given, else each series' first year with a value. If the base
    value is missing or 0 the whole series' index is <NA>; a missing value stays missing.
    """
    data = _yearly(frame)
    keys = series_keys(data)
    candidates = data["value"] if base_year is None else data["value"].where(data["year"] == base_year)
    # Rows are sorted by year within each series, so "first" is the first year with a value.
    base = candidates.groupby([data[k] for k in keys], sort=False, dropna=False).transform("first")
    out = data.copy()
    out["base"] = base.where(base != 0).astype("Float64")
    out["index"] = out["value"] / out["base"] * 100
    return out.reset_index(drop=True)


def share_of_period(frame: pd.DataFrame) -> pd.DataFrame:
    """Each year's share of the series' total over the period (flows only).

    A level or snapshot has no period total, so asking raises AggregationError. If any year of
    a series is missing its total is unknown, and every share of that series is <NA>.
    """
    from ..data.loaders import require_flows

    require_flows(frame, "a share of the period's total")
    data = _yearly(frame)
    totals = _groups(data)["value"].transform(lambda s: pd.NA if s.isna().any() else s.sum())
    out = data.copy()
    out["period_total"] = pd.array(totals, dtype="Float64")
    out["share"] = out["value"] / out["period_total"].where(out["period_total"] != 0)
    return out.reset_index(drop=True)


def peaks(frame: pd.DataFrame) -> pd.DataFrame:
    """Peak and trough year of each series, among years with a value; ties go to the earliest year."""
    rows = []
    for row, _, known in each_series(frame):
        if known.empty:
            row.update(peak_year=pd.NA, peak_value=np.nan, trough_year=pd.NA, trough_value=np.nan)
        else:
            top = known.loc[known["value"].astype(float).idxmax()]
            bottom = known.loc[known["value"].astype(float).idxmin()]
            row.update(peak_year=int(top["year"]), peak_value=float(top["value"]),
                       trough_year=int(bottom["year"]), trough_value=float(bottom["value"]))
        rows.append(row)
    return typed_frame(rows, ints=("peak_year", "trough_year"), floats=("peak_value", "trough_value"))
