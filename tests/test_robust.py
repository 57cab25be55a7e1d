"""growth.csv's fit, robust-rate, last-year and multiple-testing columns against independent computations."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from laocai_stats import load_table, open_dataset
from laocai_stats.stats.robust import benjamini_hochberg, holm
from laocai_stats.stats.summary import EXTRA_COLUMNS, GROWTH_CODEBOOK, GROWTH_COLUMNS, growth_summary

SUMMARY = growth_summary(open_dataset()).set_index("indicator")


def values_of(table: str, indicator: str) -> tuple[list[int], list[float]]:
    frame = load_table(table)
    rows = frame[frame["indicator"] == indicator]
    return [int(y) for y in rows["year"]], [float(v) for v in rows["value"]]


def r_squared(years, values) -> float:
    """1 - SSres/SStot of a least-squares line through ln(values), by the normal equations."""
    x, y = np.array(years, float), np.log(values)
    design = np.column_stack([np.ones_like(x), x])
    coef = np.linalg.solve(design.T @ design, design.T @ y)
    residual = y - design @ coef
    return 1 - (residual @ residual) / ((y - y.mean()) @ (y - y.mean()))


def median_pairwise_slope(years, values) -> float:
    y = np.log(values)
    return float(np.median([(y[j] - y[i]) / (years[j] - years[i]) for i, j in itertools.combinations(range(len(y)), 2)]))


def test_the_codebook_names_every_column_in_order():
    assert list(growth_summary(open_dataset()).columns) == GROWTH_COLUMNS + EXTRA_COLUMNS == list(GROWTH_CODEBOOK)
    assert all(GROWTH_CODEBOOK.values())


@pytest.mark.parametrize("indicator, expected", [("visits", 0.83), ("flyers", 0.23), ("post_office_conferences", 0.01)])
def test_r2_quoted_in_the_issue(indicator, expected):
    assert round(float(SUMMARY.loc[indicator, "loglinear_r2"]), 2) == expected


@pytest.mark.parametrize("indicator", list(SUMMARY.index))
def test_fit_robust_rate_and_last_year_against_independent_arithmetic(indicator):
    row = SUMMARY.loc[indicator]
    years, values = values_of(row["table"], indicator)
    if len(set(values)) > 1:
        assert row["loglinear_r2"] == pytest.approx(r_squared(years, values))
    slope = median_pairwise_slope(years, values)
    assert row["theil_sen_growth"] == pytest.approx(math.exp(slope) - 1)
    assert row["theil_sen_low"] <= row["theil_sen_growth"] <= row["theil_sen_high"]
    expected = (values[-2] / values[0]) ** (1 / (years[-2] - years[0])) - 1
    assert row["cagr_without_last_year"] == pytest.approx(expected)


def test_post_office_conferences_last_year_turns_the_rate():
    row = SUMMARY.loc["post_office_conferences"]
    assert row["cagr"] < 0 < row["cagr_without_last_year"]


def test_adjusted_p_values_against_the_textbook_definitions():
    p = SUMMARY["kendall_p"].dropna().astype(float)
    m = len(p)
    ordered = sorted(p)
    for name, raw in p.items():
        # Holm: max over the sorted p up to this one of (m - k + 1) p_(k), capped at 1.
        rank = ordered.index(raw)
        holm_expected = min(1.0, max((m - k) * ordered[k] for k in range(rank + 1)))
        # BH: min over the sorted p from this one on of m p_(k) / k, capped at 1.
        last = max(k for k, v in enumerate(ordered) if v == raw)
        bh_expected = min(1.0, min(m * ordered[k] / (k + 1) for k in range(last, m)))
        assert SUMMARY.loc[name, "kendall_p_holm"] == pytest.approx(holm_expected)
        assert SUMMARY.loc[name, "kendall_p_bh"] == pytest.approx(bh_expected)
    assert SUMMARY["kendall_p_holm"].isna().equals(SUMMARY["kendall_p"].isna())


def test_adjustment_keeps_missing_out_of_the_family():
    p = pd.Series([0.01, None, 0.04, 0.03], dtype="Float64")
    assert list(holm(p).fillna(-1)) == pytest.approx([0.03, -1, 0.06, 0.06])
    assert list(benjamini_hochberg(p).fillna(-1)) == pytest.approx([0.03, -1, 0.04, 0.04])
