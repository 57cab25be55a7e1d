"""Per-unit ratios against the paper's numbers."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import edit_csv

from laocai_stats import open_dataset
from laocai_stats.stats.ratios import RATIOS, agent_ratios, yearly_ratios


def test_attendees_per_conference_and_visits_per_article():
    ratios = yearly_ratios(open_dataset()).set_index(["ratio", "year"])
    assert ratios.loc[("attendees_per_training_conference", 2016), "value"] == pytest.approx(2157 / 38)
    assert ratios.loc[("attendees_per_post_office_conference", 2020), "value"] == pytest.approx(2735 / 72)
    assert ratios.loc[("visits_per_article", 2020), "value"] == pytest.approx(364191 / 264)
    assert set(ratios.index.get_level_values("ratio")) == {r.name for r in RATIOS}


def test_ratio_with_a_missing_count_is_missing(package):
    edit_csv(package, "website", "articles,2018,218", "articles,2018,")
    ratios = yearly_ratios(open_dataset(package)).set_index(["ratio", "year"])
    assert pd.isna(ratios.loc[("visits_per_article", 2018), "value"])
    assert ratios.loc[("visits_per_article", 2019), "value"] == pytest.approx(168175 / 266)


def test_agent_ratios():
    out = agent_ratios(open_dataset()).set_index("group")
    assert out.loc["post_office", "staff_per_point"] == pytest.approx(124 / 61)
    assert out.loc["employment_service_center", "staff_per_point"] == 5
    assert out.loc["peoples_committee", "share_of_staff"] == pytest.approx(171 / 434)
    assert out.loc["peoples_committee", "share_of_points"] == pytest.approx(171 / 367)
    assert out["share_of_staff"].sum() == pytest.approx(1.0)


def test_agent_shares_with_a_blank_are_missing(package):
    edit_csv(package, "agents", "agent_staff,school,6", "agent_staff,school,")
    out = agent_ratios(open_dataset(package)).set_index("group")
    assert out["share_of_staff"].isna().all()
    assert out["share_of_points"].notna().all()
    assert pd.isna(out.loc["school", "staff_per_point"])
