"""The loaders: tidy shape, paper order, values read off the paper, totals kept apart."""
from __future__ import annotations

import pandas as pd
import pytest

from laocai_stats import (
    AggregationError,
    LaocaiError,
    list_tables,
    load_all,
    load_table,
    printed_table,
    printed_totals,
    sum_over_years,
    table_info,
)

TABLES = list_tables()

# (table, indicator, year or group, value as printed in the paper)
READ_OFF_THE_PAPER = [
    ("agents", "agent_staff", "post_office", 124),
    ("agents", "collection_points", "post_office", 61),
    ("agents", "agent_staff", "employment_service_center", 5),
    ("agents", "collection_points", "employment_service_center", 1),
    ("agents", "agent_staff", "peoples_committee", 171),
    ("conferences", "coordinating_units", 2019, 18),
    ("conferences", "training_conferences", 2020, 107),
    ("conferences", "training_attendees", 2018, 3209),
    ("conferences", "post_office_conferences", 2020, 72),
    ("conferences", "post_office_attendees", 2019, 3268),
    ("conferences", "health_insurance_attendees", 2017, 163),
    ("publications", "posters", 2019, 1263),
    ("publications", "flyers", 2017, 232906),
    ("publications", "agent_signs", 2020, 21),
    ("website", "articles", 2019, 266),
    ("website", "visits", 2020, 364191),
    ("website", "visits", 2016, 42650),
    ("press", "press_items", 2018, 232),
    ("press", "loudspeaker_broadcasts", 2016, 327),
    ("press", "loudspeaker_broadcasts", 2020, 464),
]

PRINTED_TOTALS = {
    "agents": {"agent_staff": 434, "collection_points": 367},
    "website": {"articles": 1116, "visits": 670798},
    "press": {"press_items": 1137, "loudspeaker_broadcasts": 2017},
    "conferences": {},
    "publications": {},
}


def test_list_tables():
    assert TABLES == ["agents", "conferences", "press", "publications", "website"]


@pytest.mark.parametrize("name", TABLES)
def test_tidy_schema_and_keys(name):
    frame = load_table(name)
    key = "group" if name == "agents" else "year"
    assert list(frame.columns) == ["indicator", key, "value", "unit"]
    assert str(frame["value"].dtype) == "Int64"
    if key == "year":
        assert frame["year"].dtype == "int64"
    assert not frame.duplicated(["indicator", key]).any()
    assert frame["value"].notna().all()  # the shipped tables have no blank cells
    assert (frame["value"] >= 0).all()
    assert "Total" not in set(frame[key].astype(str))
    info = table_info(name)
    declared = [i["name"] for i in info["indicators"]]
    assert list(dict.fromkeys(frame["indicator"])) == declared  # paper's order
    units = {i["name"]: i["unit"] for i in info["indicators"]}
    assert (frame["unit"] == frame["indicator"].map(units)).all()
    if key == "year":
        for _, rows in frame.groupby("indicator"):
            assert list(rows["year"]) == sorted(rows["year"])


@pytest.mark.parametrize("name, indicator, key, printed", READ_OFF_THE_PAPER)
def test_values_read_off_the_paper(name, indicator, key, printed):
    frame = load_table(name)
    column = "year" if isinstance(key, int) else "group"
    value = frame.loc[(frame["indicator"] == indicator) & (frame[column] == key), "value"]
    assert list(value) == [printed]


@pytest.mark.parametrize("name", TABLES)
def test_printed_totals_kept_apart(name):
    totals = printed_totals(name)
    assert dict(zip(totals["indicator"], totals["value"])) == PRINTED_TOTALS[name]
    assert list(totals.columns) == ["indicator", "label", "value", "unit"]


def test_website_total_is_kept_as_printed_although_rows_sum_to_more():
    rows = load_table("website")
    totals = printed_totals("website")
    printed = int(totals.loc[totals["indicator"] == "articles", "value"].iloc[0])
    assert printed == 1116
    assert int(rows.loc[rows["indicator"] == "articles", "value"].sum()) == 1136


def test_years_come_from_the_data():
    assert sorted(load_table("website")["year"].unique()) == [2016, 2017, 2018, 2019, 2020]


def test_frames_are_new_each_time():
    first = load_table("press")
    first.loc[0, "value"] = 0
    assert load_table("press").loc[0, "value"] == 163


def test_table_info():
    info = table_info("website")
    assert info["table"] == "Table 4"
    assert info["section"] == "3.3.2 (ii)"
    assert info["source"] == "Lao Cai Provincial Social Security"
    assert info["caption"].startswith("Number of news articles")
    assert [(i["label"], i["unit"], i["kind"]) for i in info["indicators"]] == [
        ("News, articles, documents", "articles", "flow"),
        ("Number of people access", "visits", "flow"),
    ]
    assert table_info("agents")["indicators"][0]["kind"] == "snapshot"
    assert table_info("conferences")["indicators"][0]["kind"] == "level"


def test_unknown_table_is_a_package_error():
    with pytest.raises(LaocaiError, match="unknown table 'nope'"):
        load_table("nope")


def test_sum_over_years_of_a_flow():
    summed = sum_over_years(load_table("press"))
    assert dict(zip(summed["indicator"], summed["value"])) == {"press_items": 1137, "loudspeaker_broadcasts": 2017}


@pytest.mark.parametrize("name", ["conferences", "agents"])
def test_sum_over_years_refuses_levels_and_snapshots(name):
    with pytest.raises(AggregationError):
        sum_over_years(load_table(name))


def test_sum_over_years_of_flows_only_is_allowed_in_a_mixed_table():
    frame = load_table("conferences")
    flows = frame[frame["indicator"] != "coordinating_units"]
    assert int(sum_over_years(flows).set_index("indicator").loc["training_conferences", "value"]) == 38 + 46 + 68 + 96 + 107


def test_sum_over_years_missing_stays_missing():
    frame = load_table("website")
    frame.loc[1, "value"] = pd.NA
    strict = sum_over_years(frame).set_index("indicator")
    assert pd.isna(strict.loc["articles", "value"])
    lenient = sum_over_years(frame, skipna=True).set_index("indicator")
    assert lenient.loc["articles", "value"] == 1136 - 206
    assert lenient.loc["articles", "years"] == 4


def test_load_all_stacks_every_table_in_paper_order():
    stacked = load_all()
    assert list(dict.fromkeys(stacked["table"])) == ["agents", "conferences", "publications", "website", "press"]
    assert len(stacked) == sum(len(load_table(t)) for t in TABLES)
    assert stacked.loc[stacked["table"] == "agents", "year"].isna().all()
    assert stacked.loc[stacked["table"] != "agents", "group"].isna().all()


def test_printed_table_matches_the_paper_layout():
    website = printed_table("website")
    assert list(website.columns) == ["Year", "News, articles, documents", "Number of people access"]
    assert website.iloc[-1].tolist() == ["Total", "1,116", "670,798"]
    conferences = printed_table("conferences")
    assert conferences["S. No"].tolist() == ["1", "2", "2.1", "2.2", "3", "3.1", "3.2", "4", "4.1", "4.2"]
    assert conferences.loc[3, "2020"] == "6,298"
    agents = printed_table("agents")
    assert agents.iloc[-1].tolist() == ["", "Total", "434", "367"]
    assert printed_table("publications")["Unit"].tolist() == ["piece", "sheet", "Sign"]
