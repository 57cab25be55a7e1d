"""Growth functions against independent arithmetic, on the shipped data and on made-up series with gaps."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from laocai_stats import AggregationError, LaocaiError, list_tables, load_table
from laocai_stats.stats.growth import cagr, index, peaks, share_of_period, year_on_year

YEARLY = [t for t in list_tables() if t != "agents"]


def series(values: dict, indicator="x", unit="things"):
    return pd.DataFrame({
        "indicator": indicator, "year": list(values),
        "value": pd.array(list(values.values()), dtype="Int64"), "unit": unit,
    })


@pytest.mark.parametrize("name", YEARLY)
def test_year_on_year_matches_plain_arithmetic(name):
    frame = load_table(name)
    out = year_on_year(frame)
    for indicator, rows in frame.groupby("indicator", sort=False):
        values = dict(zip(rows["year"], rows["value"]))
        got = out[out["indicator"] == indicator].set_index("year")
        for year, value in values.items():
            if year - 1 in values:
                assert got.loc[year, "change"] == value - values[year - 1]
                assert got.loc[year, "pct_change"] == pytest.approx((value - values[year - 1]) / values[year - 1])
            else:
                assert pd.isna(got.loc[year, "change"])


def test_year_on_year_does_not_bridge_a_missing_year():
    out = year_on_year(series({2016: 10, 2017: None, 2018: 40})).set_index("year")
    assert pd.isna(out.loc[2017, "change"]) and pd.isna(out.loc[2018, "change"])


def test_year_on_year_from_zero_has_no_percentage():
    out = year_on_year(series({2016: 0, 2017: 5})).set_index("year")
    assert out.loc[2017, "change"] == 5
    assert pd.isna(out.loc[2017, "pct_change"])


@pytest.mark.parametrize("name", YEARLY)
def test_cagr_matches_plain_arithmetic(name):
    frame = load_table(name)
    out = cagr(frame).set_index("indicator")
    for indicator, rows in frame.groupby("indicator"):
        first, last = float(rows["value"].iloc[0]), float(rows["value"].iloc[-1])
        span = rows["year"].iloc[-1] - rows["year"].iloc[0]
        assert out.loc[indicator, "cagr"] == pytest.approx((last / first) ** (1 / span) - 1)


def test_cagr_of_training_conferences_read_off_the_paper():
    out = cagr(load_table("conferences")).set_index("indicator")
    assert out.loc["training_conferences", "cagr"] == pytest.approx((107 / 38) ** 0.25 - 1)
    assert round(float(out.loc["training_conferences", "cagr"]), 3) == 0.295


def test_cagr_uses_first_and_last_years_with_a_value():
    out = cagr(series({2016: None, 2017: 100, 2018: None, 2019: 121, 2020: None})).iloc[0]
    assert (out["first_year"], out["last_year"]) == (2017, 2019)
    assert out["cagr"] == pytest.approx(0.1)
    assert out["n_missing"] == 3


@pytest.mark.parametrize("values", [{2016: 5}, {2016: None, 2017: None}, {2016: 0, 2020: 10}])
def test_cagr_undefined_cases_stay_missing(values):
    assert pd.isna(cagr(series(values)).iloc[0]["cagr"])


def test_cagr_to_zero_is_minus_one():
    assert cagr(series({2016: 10, 2018: 0})).iloc[0]["cagr"] == -1


def test_index_first_year_is_100_and_missing_stays_missing():
    out = index(series({2016: None, 2017: 50, 2018: 75, 2019: None})).set_index("year")
    assert pd.isna(out.loc[2016, "index"]) and pd.isna(out.loc[2019, "index"])
    assert out.loc[2017, "index"] == 100 and out.loc[2018, "index"] == 150


def test_index_with_a_base_year():
    out = index(load_table("website"), base_year=2018)
    visits = out[out["indicator"] == "visits"].set_index("year")
    assert visits.loc[2018, "index"] == 100
    assert visits.loc[2020, "index"] == pytest.approx(364191 / 48317 * 100)


def test_share_of_period_sums_to_one_for_flows():
    out = share_of_period(load_table("press"))
    for _, rows in out.groupby("indicator"):
        assert rows["share"].sum() == pytest.approx(1.0)
    first = out[(out["indicator"] == "press_items") & (out["year"] == 2016)].iloc[0]
    assert first["share"] == pytest.approx(163 / 1137)


def test_share_of_period_refuses_a_level():
    with pytest.raises(AggregationError, match="coordinating_units"):
        share_of_period(load_table("conferences"))


def test_share_of_period_with_a_gap_is_missing():
    frame = series({2016: 1, 2017: None, 2018: 3})
    frame.attrs = {"kinds": {"x": "flow"}}
    assert share_of_period(frame)["share"].isna().all()


def test_peaks_and_troughs():
    out = peaks(load_table("conferences")).set_index("indicator")
    assert (out.loc["post_office_conferences", "peak_year"], out.loc["post_office_conferences", "peak_value"]) == (2019, 163)
    assert out.loc["post_office_conferences", "trough_year"] == 2020
    assert out.loc["health_insurance_conferences", "peak_year"] == 2016  # ties go to the earliest year


def test_functions_do_not_modify_their_input():
    frame = load_table("website")
    before = frame.copy()
    for function in (year_on_year, cagr, index, peaks, share_of_period):
        function(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_a_snapshot_has_no_growth():
    with pytest.raises(LaocaiError, match="snapshot"):
        cagr(load_table("agents"))


def test_series_keep_paper_order():
    assert cagr(load_table("conferences"))["indicator"].tolist() == list(dict.fromkeys(load_table("conferences")["indicator"]))


def test_missing_values_are_nan_not_zero_in_rates():
    out = cagr(series({2016: 10, 2017: None}))
    assert not math.isclose(float(out["first_value"].iloc[0]), 0.0)
    assert pd.isna(out["cagr"].iloc[0])


def test_share_of_period_refuses_a_level_even_without_provenance():
    # Frames built by hand carry no attrs; the kind then comes from the registry, never a guess of "flow".
    frame = load_table("conferences")
    frame.attrs = {}
    with pytest.raises(AggregationError, match="coordinating_units"):
        share_of_period(frame)


def test_share_of_period_refuses_an_indicator_of_unknown_kind():
    with pytest.raises(AggregationError, match="kind unknown"):
        share_of_period(series({2016: 1, 2017: 2}, indicator="mystery"))
