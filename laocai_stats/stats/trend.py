"""Trend statistics honest for short series: log-linear growth with its interval, Kendall's tau.

Both use only the years with a value (missing years are dropped, not filled) and report how many
years entered (`trend_n`, `kendall_n`).
"""
from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import pandas as pd
from scipy import special

from ..text import N_, _  # N_ marks the words of growth.csv (English, a machine file) that prose translates
from .growth import SeriesArrays, each_series, typed_frame

NEEDS_YEARS = N_("needs at least 3 years with a value, has {count}")


def note_in_language(note) -> str:
    """A note or method word of growth.csv (`trend_note`, `kendall_method`, written in English) in the current language."""
    import re

    if not isinstance(note, str) or not note:
        return note
    found = re.fullmatch(NEEDS_YEARS.replace("{count}", r"(\d+)"), note)
    return _(NEEDS_YEARS).format(count=found.group(1)) if found else _(note)

# Up to this many points the permutation distribution is enumerated in full (8! = 40,320 orderings, all scored at
# once with numpy in about 20 ms); beyond it, SciPy's normal approximation. The cost is bounded whatever the data.
EXACT_PERMUTATION_MAX_N = 8


def log_linear_trend(frame: pd.DataFrame, *, level: float = 0.95) -> pd.DataFrame:
    """Trend growth rate from OLS of ln(value) on year: exp(slope) - 1, with a t-based interval.

    The interval is exp(slope +/- t(level, n-2) * se) - 1. Needs at least three years with a
    value (one residual degree of freedom); with a zero value the log is undefined and the trend
    is <NA>, with the reason in `trend_note`.
    """
    rows = []
    for row, x, y in SeriesArrays(frame).known_runs():
        n = len(y)
        row["trend_n"] = n
        growth = low = high = np.nan
        if n < 3:
            note = NEEDS_YEARS.format(count=n)
        elif (y <= 0).any():
            note = N_("a value of 0 has no logarithm")
        elif len(set(y)) == 1:
            growth, note = 0.0, N_("constant series: no spread, so no interval")
        else:
            slope, stderr = ols_slope(x, np.log(y))
            t = _t_quantile(0.5 + level / 2, n - 2)
            growth = math.expm1(slope)
            low = math.expm1(slope - t * stderr)
            high = math.expm1(slope + t * stderr)
            note = ""
        row.update(trend_growth=growth, trend_growth_low=low, trend_growth_high=high, trend_note=note)
        rows.append(row)
    return typed_frame(rows, floats=("trend_growth", "trend_growth_low", "trend_growth_high"))


def ols_slope(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope of the OLS line of y on x and its standard error, for n >= 3 points with x and y not constant.

    The same operations, in the same order, as `scipy.stats.linregress` (so the same bits; a test holds the
    two equal), without its per-call checks, which cost more than the arithmetic on thousands of short series.
    """
    ssxm, ssxym, _, ssym = np.cov(x, y, bias=1).flat
    r = min(max(ssxym / np.sqrt(ssxm * ssym), -1.0), 1.0)
    slope = ssxym / ssxm
    stderr = np.sqrt((1 - r**2) * ssym / ssxm / (len(x) - 2))
    return float(slope), float(stderr)


@functools.cache
def _t_quantile(q: float, df: int) -> float:
    """Student's t quantile (`scipy.stats.t.ppf`, which is this special function); cached: few distinct df."""
    return float(special.stdtrit(df, q))


def _tau_b(x: np.ndarray, y: np.ndarray) -> float:
    """Kendall's tau-b from concordant and discordant pair counts (x has no ties here: years)."""
    concordant = discordant = ties_y = 0
    n = len(x)
    for i in range(n):
        for j in range(i + 1, n):
            s = np.sign(x[j] - x[i]) * np.sign(y[j] - y[i])
            if y[j] == y[i]:
                ties_y += 1
            elif s > 0:
                concordant += 1
            else:
                discordant += 1
    pairs = n * (n - 1) // 2
    denominator = math.sqrt(pairs * (pairs - ties_y))
    return (concordant - discordant) / denominator if denominator else math.nan


@functools.cache
def _orderings(n: int) -> np.ndarray:
    """Every permutation of range(n), one a row (n! rows; n is at most EXACT_PERMUTATION_MAX_N)."""
    return np.array(list(itertools.permutations(range(n))), dtype=np.intp)


def _permutation_p(x: np.ndarray, y: np.ndarray) -> float:
    """Two-sided p of tau-b over every ordering of `y` against `x` (distinct years), scored together in numpy.

    Permuting `y` keeps its ties, so tau-b's denominator is the same for every ordering and comparing the
    numerators S = sum over pairs of sign(dx) * sign(dy) (whole numbers, compared exactly) is comparing tau-b.
    """
    orderings = y[_orderings(len(y))]
    i, j = np.triu_indices(len(y), k=1)
    s = (np.sign(orderings[:, j] - orderings[:, i]) * np.sign(x[j] - x[i])).sum(axis=1)
    observed = abs((np.sign(y[j] - y[i]) * np.sign(x[j] - x[i])).sum())
    return float((np.abs(s) >= observed).sum() / len(s))


def kendall_trend(frame: pd.DataFrame) -> pd.DataFrame:
    """Kendall's tau between year and value, with a two-sided p-value that is honest for few points.

    Without ties: tau and SciPy's exact p-value. With ties (e.g. 15, 15, 16, 18, 20): tau-b, and
    a p-value from the exact permutation distribution of tau-b over every ordering of the observed
    values (up to 8 years; beyond that SciPy's normal approximation with tie correction). The
    method used is in `kendall_method`. A constant series has no tau (<NA>).
    """
    rows = []
    for row, _, known in each_series(frame):
        x = known["year"].to_numpy(dtype=float)
        y = known["value"].to_numpy(dtype=float)
        row["kendall_n"] = len(known)
        tau = p = np.nan
        if len(known) < 3:
            method = NEEDS_YEARS.format(count=len(known))
        elif len(set(y)) == 1:
            method = N_("constant series: no trend to test")
        elif len(set(y)) == len(y):
            from scipy import stats  # here: the import costs half a second that the other statistics do not need

            result = stats.kendalltau(x, y, method="exact")
            tau, p, method = _tau_b(x, y), float(result.pvalue), N_("exact")
        elif len(y) <= EXACT_PERMUTATION_MAX_N:
            tau, p, method = _tau_b(x, y), _permutation_p(x, y), N_("exact permutation (ties)")
        else:
            from scipy import stats

            result = stats.kendalltau(x, y)
            tau, p, method = _tau_b(x, y), float(result.pvalue), N_("asymptotic (ties)")
        row.update(kendall_tau=tau, kendall_p=p, kendall_method=method)
        rows.append(row)
    return typed_frame(rows, floats=("kendall_tau", "kendall_p"))
