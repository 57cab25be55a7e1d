"""growth.csv's rows against an independent computation for every series."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from laocai_stats import list_tables, load_table, open_dataset, table_info
from laocai_stats.stats.summary import GROWTH_COLUMNS, growth_summary


def independent(values: list[float], years: list[int]) -> dict:
    first, last = values[0], values[-1]
    out = {"first_value": first, "last_value": last, "change": last - first, "pct_change": (last - first) / first,
           "cagr": (last / first) ** (1 / (years[-1] - years[0])) - 1}
    if len(set(values)) > 1:
        slope = np.polyfit(years, np.log(values), 1)[0]
        out["trend_growth"] = math.exp(slope) - 1
        out["kendall_tau"] = stats.kendalltau(years, values).statistic
    return out


def test_columns_promised_by_the_issue():
    summary = growth_summary(open_dataset())
    assert list(summary.columns[: len(GROWTH_COLUMNS)]) == GROWTH_COLUMNS


def test_one_row_per_yearly_indicator():
    summary = growth_summary(open_dataset())
    expected = [(t, i["name"]) for t in list_tables() if t != "agents" for i in table_info(t)["indicators"]]
    assert sorted(zip(summary["table"], summary["indicator"])) == sorted(expected)


@pytest.mark.parametrize("row", growth_summary(open_dataset()).to_dict("records"), ids=lambda r: r["indicator"])
def test_every_series_agrees_with_an_independent_computation(row):
    frame = load_table(row["table"])
    series = frame[frame["indicator"] == row["indicator"]]
    values = [float(v) for v in series["value"]]
    years = [int(y) for y in series["year"]]
    expected = independent(values, years)
    assert (row["first_year"], row["last_year"]) == (years[0], years[-1])
    for column, value in expected.items():
        assert row[column] == pytest.approx(value), column
    p = row["kendall_p"]
    assert (p is None or p is pd.NA or math.isnan(p)) if len(set(values)) == 1 else 0 < p <= 1
    assert row["kind"] == next(i["kind"] for i in table_info(row["table"])["indicators"] if i["name"] == row["indicator"])


def test_rates_are_fractions_not_percentages():
    row = growth_summary(open_dataset()).set_index("indicator").loc["training_conferences"]
    assert 0.29 < row["cagr"] < 0.30


def test_growth_summary_is_computed_once_per_language_and_each_caller_gets_its_own_copy(monkeypatch):
    from laocai_stats.stats import summary
    from laocai_stats.text import use_language

    computed = []
    compute = summary._growth_summary
    monkeypatch.setattr(summary, "_growth_summary", lambda d: computed.append(1) or compute(d))
    dataset = open_dataset()
    first = growth_summary(dataset)
    growth_summary(dataset)
    assert len(computed) == 1
    first.loc[0, "cagr"] = 99.0  # a caller changing its frame changes no one else's
    again = growth_summary(dataset)
    assert again.loc[0, "cagr"] != 99.0 and again is not first
    pd.testing.assert_frame_equal(again, growth_summary(open_dataset()))  # the same as a fresh computation
    with use_language("vi"):
        titles = growth_summary(dataset)["title"]
    assert list(titles) != list(again["title"])  # titles follow the language: kept apart, not served from English
    assert len(computed) == 3  # English once, the fresh data set once, Vietnamese once
