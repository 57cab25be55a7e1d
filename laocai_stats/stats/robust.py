"""What a fitted trend leaves out, for short series: fit (R²), a robust rate, the last year's weight, many tests.

- `loglinear_fit`: R² of the same log-linear fit as `trend.log_linear_trend` (how much of the series' spread
  the fitted rate describes).
- `theil_sen_trend`: the Theil-Sen rate on the log scale (median of the pairwise slopes of ln(value) on year),
  exp(slope) - 1, with SciPy's 95 % interval; one odd year moves it far less than it moves the OLS rate.
- `cagr_without_last_year`: the compound rate from the first year to the year before the last year with a value.
- `holm` and `benjamini_hochberg`: adjusted p-values for a family of tests.

Each takes the tidy frame the other statistics take and uses only years with a value (missing dropped, not
zero); a zero value has no logarithm, so the log-scale statistics are <NA> for that series.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .growth import each_series, typed_frame


def _logs(known: pd.DataFrame):
    x = known["year"].to_numpy(dtype=float)
    y = known["value"].to_numpy(dtype=float)
    if len(known) < 3 or (y <= 0).any():
        return None
    return x, np.log(y)


def loglinear_fit(frame: pd.DataFrame) -> pd.DataFrame:
    """R² of the OLS fit of ln(value) on year (`loglinear_r2`); <NA> for a constant, short or zero series."""
    from scipy import stats  # here: compare needs none of these, and scipy.stats costs half a second

    rows = []
    for row, _, known in each_series(frame):
        logs = _logs(known)
        r2 = np.nan
        if logs is not None and len(set(logs[1])) > 1:
            r2 = stats.linregress(*logs).rvalue ** 2
        rows.append({**row, "loglinear_r2": r2})
    return typed_frame(rows, floats=("loglinear_r2",))


def theil_sen_trend(frame: pd.DataFrame, *, level: float = 0.95) -> pd.DataFrame:
    """Theil-Sen growth on the log scale with its interval: `theil_sen_growth`, `theil_sen_low`, `theil_sen_high`."""
    from scipy import stats  # here: compare needs none of these, and scipy.stats costs half a second

    rows = []
    for row, _, known in each_series(frame):
        logs = _logs(known)
        growth = low = high = np.nan
        if logs is not None:
            result = stats.theilslopes(logs[1], logs[0], alpha=level)
            growth, low, high = (math.expm1(v) for v in (result.slope, result.low_slope, result.high_slope))
        rows.append({**row, "theil_sen_growth": growth, "theil_sen_low": low, "theil_sen_high": high})
    return typed_frame(rows, floats=("theil_sen_growth", "theil_sen_low", "theil_sen_high"))


def cagr_without_last_year(frame: pd.DataFrame) -> pd.DataFrame:
    """CAGR from the first year with a value to the one before the last (<NA> with fewer than three values)."""
    rows = []
    for row, _, known in each_series(frame):
        rate = np.nan
        if len(known) >= 3:
            first, end = known.iloc[0], known.iloc[-2]
            span = int(end["year"]) - int(first["year"])
            if float(first["value"]) > 0 and span > 0:
                rate = (float(end["value"]) / float(first["value"])) ** (1 / span) - 1
        rows.append({**row, "cagr_without_last_year": rate})
    return typed_frame(rows, floats=("cagr_without_last_year",))


def holm(p: pd.Series) -> pd.Series:
    """Holm's step-down adjusted p-values over the non-missing entries (the family); missing stays missing."""
    known = p.dropna().astype(float).sort_values(kind="stable")
    m = len(known)
    adjusted = np.maximum.accumulate([(m - k) * v for k, v in enumerate(known)]) if m else []
    out = pd.Series(np.minimum(adjusted, 1.0), index=known.index, dtype="Float64")
    return out.reindex(p.index).astype("Float64")


def benjamini_hochberg(p: pd.Series) -> pd.Series:
    """Benjamini-Hochberg adjusted p-values (false discovery rate) over the non-missing entries."""
    from scipy import stats  # here: compare needs none of these, and scipy.stats costs half a second

    known = p.dropna().astype(float)
    if known.empty:
        return pd.Series(pd.NA, index=p.index, dtype="Float64")
    out = pd.Series(stats.false_discovery_control(known.to_numpy(), method="bh"), index=known.index, dtype="Float64")
    return out.reindex(p.index).astype("Float64")
