"""The narrative's statements are true of the numbers beside them, and no two of them contradict each other."""
from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from laocai_stats import list_tables, load_table, open_dataset
from laocai_stats.publish import narrative
from laocai_stats.stats.channels import channel_comparison, channel_growth
from laocai_stats.stats.summary import growth_summary

DATASET = open_dataset()
SUMMARY = growth_summary(DATASET).set_index("indicator")
TEXTS = {name: narrative.table_narrative(name, DATASET) for name in list_tables()}
TEXTS["overview"] = narrative.overview_narrative(DATASET)
TEXTS["channels"] = narrative.channels_narrative(DATASET)
CI = re.compile(r"Log-linear trend: [^(]*\(95 % CI (-?[\d.,]+) % to (-?[\d.,]+) %\)")
NO_TREND = re.compile(r"not distinguishable from no trend|no trend\b|could arise by chance", re.I)


def bullets():
    for text in TEXTS.values():
        yield from (line for line in text.splitlines() if line.startswith("- "))


def test_no_bullet_calls_a_trend_chance_beside_an_interval_that_excludes_zero_without_saying_why():
    checked = 0
    for bullet in bullets():
        match = CI.search(bullet)
        if match and NO_TREND.search(bullet):
            low, high = (float(v.replace(",", "")) for v in match.groups())
            if low > 0 or high < 0:
                checked += 1
                assert "answer different questions" in bullet, bullet
    assert checked >= 2  # website articles and Post Office attendees, as the issue names them
    assert not any("not distinguishable from no trend" in b for b in bullets())


def test_every_count_of_significant_series_names_its_adjustment():
    counts = [line for line in bullets() if re.search(r"\d+ of \d+ tested series", line)]
    assert counts
    for line in counts:
        assert "unadjusted" in line and "Holm" in line and "Benjamini-Hochberg" in line, line
    p = SUMMARY["kendall_p"].dropna().astype(float).sort_values()
    m = len(p)
    holm_survivors = next((k for k, v in enumerate(p) if v >= 0.05 / (m - k)), m)  # step-down: stop at the first failure
    assert f"{int((p < 0.05).sum())} of {m} tested series unadjusted; {holm_survivors} after Holm's" in TEXTS["overview"]


def test_the_smallest_attainable_p_is_computed_from_the_number_of_years():
    n = int(SUMMARY["kendall_n"].min())
    exact = min(stats.kendalltau(range(n), list(order), method="exact").pvalue
                for order in itertools.permutations(range(n)))
    assert f"{exact:.3f} (for {n} years)" in TEXTS["overview"]


def test_a_poor_fit_leans_on_theil_sen_and_the_raw_values():
    for indicator, row in SUMMARY.iterrows():
        bullet = next(b for b in bullets() if b.startswith(f"- **{row['title']}**") and "compounded" in b)
        poor = not pd.isna(row["loglinear_r2"]) and row["loglinear_r2"] < narrative.POOR_FIT_R2
        assert ("describes little" in bullet) == bool(poor), indicator
        if poor:
            frame = load_table(row["table"])
            values = frame[frame["indicator"] == indicator]["value"]
            assert "Theil-Sen" in bullet and all(f"{int(v):,}" in bullet for v in values), bullet


def test_the_last_year_is_named_where_it_turns_the_rate():
    bullet = next(b for b in bullets() if b.startswith("- **Post Office voluntary-insurance conferences**"))
    last = int(SUMMARY.loc["post_office_conferences", "last_year"])
    assert f"The last year, {last}, changes the picture" in bullet
    steady = next(b for b in bullets() if b.startswith("- **Training conferences"))
    assert "changes the picture" not in steady


def test_channel_directions_come_from_the_trend_not_the_end_points():
    growth = channel_growth(DATASET).set_index("indicator")
    assert growth.loc["post_office_conferences", "direction"] == "no clear direction"
    assert growth.loc["agent_signs", "direction"] == "declined"
    for _, row in growth.iterrows():
        if row["direction"] == "grew":
            assert row["trend_growth_low"] > 0


def test_channel_medians_count_each_activity_once_with_their_spread():
    growth = channel_growth(DATASET)
    comparison = channel_comparison(DATASET).set_index("channel")
    direct = growth[(growth["channel"] == "direct")]
    events = direct[direct["unit"] != "people"]["cagr"].astype(float)
    assert comparison.loc["direct", "activities"] == len(events) < comparison.loc["direct", "indicators"]
    assert comparison.loc["direct", "median_cagr"] == pytest.approx(np.median(events))
    assert comparison.loc["direct", "cagr_q1"] == pytest.approx(np.percentile(events, 25))
    assert comparison.loc["direct", "cagr_q3"] == pytest.approx(np.percentile(events, 75))
    assert "training_attendees" in comparison.loc["direct", "note"]
    assert "interquartile range" in TEXTS["channels"]
