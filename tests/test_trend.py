"""Trend statistics against independent computations."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from laocai_stats import list_tables, load_table
from laocai_stats.stats.trend import kendall_trend, log_linear_trend, ols_slope

YEARLY = [t for t in list_tables() if t != "agents"]


def series(values: dict):
    return pd.DataFrame({"indicator": "x", "year": list(values),
                         "value": pd.array(list(values.values()), dtype="Int64"), "unit": "u"})


@pytest.mark.parametrize("name", YEARLY)
def test_log_linear_trend_matches_polyfit(name):
    frame = load_table(name)
    out = log_linear_trend(frame).set_index("indicator")
    for indicator, rows in frame.groupby("indicator"):
        x, y = rows["year"].to_numpy(float), rows["value"].to_numpy(float)
        if len(set(y)) == 1:
            continue
        coef, cov = np.polyfit(x, np.log(y), 1, cov="unscaled")
        residuals = np.log(y) - np.polyval(coef, x)
        sigma2 = residuals @ residuals / (len(x) - 2)
        se = math.sqrt(cov[0, 0] * sigma2)
        t = stats.t.ppf(0.975, len(x) - 2)
        got = out.loc[indicator]
        assert got["trend_growth"] == pytest.approx(math.exp(coef[0]) - 1)
        assert got["trend_growth_low"] == pytest.approx(math.exp(coef[0] - t * se) - 1)
        assert got["trend_growth_high"] == pytest.approx(math.exp(coef[0] + t * se) - 1)


def test_exact_geometric_growth_has_a_zero_width_interval():
    frame = pd.DataFrame({"indicator": "x", "year": [1, 2, 3, 4], "value": pd.array([100.0, 200.0, 400.0, 800.0], dtype="Float64"), "unit": "u"})
    got = log_linear_trend(frame).iloc[0]
    assert got["trend_growth"] == pytest.approx(1.0)
    assert got["trend_growth_low"] == pytest.approx(1.0)


@pytest.mark.parametrize("values, note", [
    ({2016: 1, 2017: 2}, "needs at least 3 years"),
    ({2016: 1, 2017: 0, 2018: 3}, "no logarithm"),
    ({2016: 4, 2017: None, 2018: None, 2019: 5}, "needs at least 3 years"),
])
def test_trend_refuses_what_it_cannot_estimate(values, note):
    got = log_linear_trend(series(values)).iloc[0]
    assert pd.isna(got["trend_growth"]) and note in got["trend_note"]


def test_kendall_without_ties_is_scipys_exact_test():
    out = kendall_trend(load_table("press")).set_index("indicator")
    for indicator in out.index:
        assert out.loc[indicator, "kendall_method"] == "exact"
        assert out.loc[indicator, "kendall_tau"] == pytest.approx(1.0)
        assert out.loc[indicator, "kendall_p"] == pytest.approx(2 / 120)


def test_permutation_p_equals_exact_p_when_there_are_no_ties():
    # The permutation method, applied to untied data by hand, must agree with SciPy's exact p.
    years, values = np.arange(5.0), np.array([3.0, 1.0, 4.0, 5.0, 2.0])
    observed = stats.kendalltau(years, values).statistic
    null = [stats.kendalltau(years, np.array(p)).statistic for p in itertools.permutations(values)]
    by_hand = sum(abs(t) >= abs(observed) - 1e-12 for t in null) / len(null)
    got = kendall_trend(series(dict(zip(range(2016, 2021), values.astype(int))))).iloc[0]
    assert got["kendall_p"] == pytest.approx(by_hand)
    assert got["kendall_p"] == pytest.approx(stats.kendalltau(years, values, method="exact").pvalue)


def test_ties_use_the_exact_permutation_distribution():
    got = kendall_trend(load_table("conferences")).set_index("indicator").loc["coordinating_units"]
    assert got["kendall_method"] == "exact permutation (ties)"
    assert got["kendall_tau"] == pytest.approx(stats.kendalltau([1, 2, 3, 4, 5], [15, 15, 16, 18, 20]).statistic)
    # Orderings at least as extreme: the two increasing ones (the tied 15s swapped) and the two decreasing.
    assert got["kendall_p"] == pytest.approx(4 / 120)


def test_constant_and_short_series_have_no_tau():
    assert "constant" in kendall_trend(series({1: 1, 2: 1, 3: 1})).iloc[0]["kendall_method"]
    assert pd.isna(kendall_trend(series({1: 1, 2: 2})).iloc[0]["kendall_tau"])


def test_missing_years_are_dropped_not_zero():
    got = kendall_trend(series({2016: 1, 2017: None, 2018: 2, 2019: 3, 2020: 4})).iloc[0]
    assert got["kendall_n"] == 4
    assert got["kendall_tau"] == pytest.approx(1.0)


def test_ols_slope_is_bit_for_bit_scipys_linregress():
    # growth.csv must not change by one bit when the fit skips linregress's per-call overhead.
    rng = np.random.default_rng(15)
    for n in range(3, 12):
        for _ in range(200):
            x = np.sort(rng.choice(np.arange(2000, 2030), n, replace=False)).astype(float)
            y = np.log(rng.uniform(1, 1e6, n))
            fit = stats.linregress(x, y)
            assert ols_slope(x, y) == (fit.slope, fit.stderr)
    x = np.arange(2016.0, 2021.0)
    fit = stats.linregress(x, 2 * x)  # an exact line: r is clipped to 1 in both
    assert ols_slope(x, 2 * x) == (fit.slope, fit.stderr)
