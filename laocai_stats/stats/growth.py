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


class SeriesArrays:
    """Every series of a frame at once, as flat numpy arrays in the paper's order (one pass, no loop over series).

    `data` is the frame sorted by series then year; `gid` numbers each row's series (0, 1, ...; rows of one
    series are contiguous); `head` holds each series' key columns; `known` marks the rows with a value.
    """

    def __init__(self, frame: pd.DataFrame):
        self.data = _yearly(frame)
        self.keys = series_keys(self.data)
        self.gid = _groups(self.data).ngroup().to_numpy() if len(self.data) else np.zeros(0, dtype=int)
        self.count = int(self.gid.max()) + 1 if len(self.gid) else 0
        self.starts = np.flatnonzero(np.r_[True, self.gid[1:] != self.gid[:-1]]) if len(self.gid) else self.gid
        head = self.data.iloc[self.starts][self.keys]
        # Rebuilt from Python values, so that the key columns get the dtypes a frame of plain values gets.
        self.head = pd.DataFrame(head.to_dict("records"), columns=self.keys) if len(head) else head.reset_index(drop=True)
        self.year = self.data["year"].to_numpy()
        self.value = self.data["value"].to_numpy(dtype=float, na_value=np.nan)
        self.known = ~np.isnan(self.value)
        # The rows with a value, and where each series' run of them starts and ends (-1: none).
        self.kgid = self.gid[self.known]
        self.kyear = self.year[self.known]
        self.kvalue = self.value[self.known]
        has = np.zeros(self.count, dtype=bool)
        has[self.kgid] = True
        self.has_known = has
        self.kfirst = np.full(self.count, -1)
        self.klast = np.full(self.count, -1)
        if len(self.kgid):
            edge = np.r_[True, self.kgid[1:] != self.kgid[:-1]]
            self.kfirst[self.kgid[edge]] = np.flatnonzero(edge)
            self.klast[self.kgid[edge]] = np.r_[np.flatnonzero(edge)[1:], len(self.kgid)] - 1

    def per_series(self, positions: np.ndarray, values: np.ndarray, dtype: str):
        """A nullable column with `values[positions]` where a series has a position (>= 0), <NA> elsewhere."""
        present = positions >= 0
        picked = np.where(present, values[np.where(present, positions, 0)] if len(values) else 0, 0)
        if dtype == "Int64":
            return pd.arrays.IntegerArray(picked.astype("int64"), ~present)
        return pd.arrays.FloatingArray(picked.astype(float), ~present)

    def known_runs(self):
        """Yield (the series' key columns as a new dict, its years with a value, those values) as float arrays."""
        keys = self.head.to_dict("records")
        for g in range(self.count):
            first, last = self.kfirst[g], self.klast[g] + 1
            yield keys[g], self.kyear[first:last].astype(float), self.kvalue[first:last]


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
    series = SeriesArrays(frame)
    out = series.head.copy()
    data = series.data
    out["unit"] = data["unit"].to_numpy()[series.starts] if "unit" in data else None
    out["n_years"] = np.bincount(series.gid, minlength=series.count).astype("int64")
    out["n_missing"] = np.bincount(series.gid, weights=~series.known, minlength=series.count).astype("int64")
    out["first_year"] = series.per_series(series.kfirst, series.kyear, "Int64")
    out["last_year"] = series.per_series(series.klast, series.kyear, "Int64")
    out["first_value"] = series.per_series(series.kfirst, series.kvalue, "Float64")
    out["last_value"] = series.per_series(series.klast, series.kvalue, "Float64")
    return out


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
    series = SeriesArrays(frame)
    out = series.head.copy()
    columns = {}
    for name, reduce in (("peak", np.maximum), ("trough", np.minimum)):
        at = np.full(series.count, -1)
        if len(series.kvalue):
            starts = series.kfirst[series.has_known]
            extreme = np.full(series.count, np.nan)
            extreme[series.has_known] = reduce.reduceat(series.kvalue, starts)
            # Rows are in year order within a series: the first row equal to the extreme is the earliest year.
            hit = np.flatnonzero(series.kvalue == extreme[series.kgid])
            groups, first = np.unique(series.kgid[hit], return_index=True)
            at[groups] = hit[first]
        columns[f"{name}_year"] = series.per_series(at, series.kyear, "Int64")
        columns[f"{name}_value"] = series.per_series(at, series.kvalue, "Float64")
    for column in ("peak_year", "peak_value", "trough_year", "trough_value"):
        out[column] = columns[column]
    return out
