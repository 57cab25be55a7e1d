"""The reviewer's audit: every verdict on the shipped data pinned, each rule flipped on made-up tables, the CLI."""
from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from conftest import edit_csv, edit_descriptor

from laocai_stats import open_dataset
from laocai_stats.audit.checks import GRADES, grade_tables, run_audit
from laocai_stats.audit.claims import RULES, load_claims
from laocai_stats.audit.common import COLUMNS
from laocai_stats.audit.report import audit_markdown, audit_text, findings_markdown
from laocai_stats.cli import main
from laocai_stats.data.dataset import default_data_dir
from laocai_stats.data.specs import GroupSpec, IndicatorSpec, TableSpec

C, I, N, NA = "consistent", "inconsistent", "not checkable", "not applicable"

# Every check the audit makes on the shipped data, and the verdict a reviewer would give it.
EXPECTED = {
    # 1. printed totals
    "T1.total.agent_staff": C,                      # 171 + 124 + 103 + 12 + 13 + 5 + 6 = 434
    "T1.total.collection_points": C,                # 171 + 61 + 103 + 12 + 13 + 1 + 6 = 367
    "T2.row2.training_conferences": N,              # a heading named "Total", totalling nothing stated
    "T2.row2.training_attendees": N,
    "T4.total.articles": I,                         # 182 + 206 + 218 + 266 + 264 = 1,136, printed 1,116
    "T4.total.visits": C,
    "T5.total.press_items": C,
    "T5.total.loudspeaker_broadcasts": C,
    # 2. counts in the text
    "text.collaborator_team.parts": C,              # 09 + 11 = 20
    "text.collaborators_inside_industry.parts": C,  # the Office's 02 within the 09
    "text.collaborators_outside_industry.items": C, # 11 bodies listed
    "text.office_collaborators.parts": C,           # 01 + 01 = 02
    "text.propaganda_officer_experience.unchecked": N,
    "text.communications_department_staff.unchecked": N,
    "text.communications_deputy_directors.unchecked": N,
    "text.district_propaganda_leads.unchecked": N,
    "text.district_propaganda_staff.unchecked": N,
    "text.district_outside_collaborators.items": C, # 8 bodies listed
    "text.agent_systems.agents-rows": C,            # 7 systems, 7 rows
    "text.collection_points.agents-sum": C,
    "text.collection_points.agents-printed-total": C,
    "text.agent_staff.agents-sum": C,
    "text.agent_staff.agents-printed-total": C,
    "text.districts.unchecked": N,
    "text.communication_forms.items": C,            # two forms: direct and indirect
    "text.communication_methods.items": C,          # 3 methods listed
    "text.apparatus_levels.items": C,               # two levels: provincial and district
    "text.editorial_board_heads.items": C,          # 01 head
    "text.editorial_board_deputy_heads.parts": C,   # 02 = 01 + 01
    "text.editorial_board_deputy_heads.items": C,
    "text.editorial_board_secretaries.parts": C,    # 02 = 01 + 01
    "text.editorial_board_secretaries.items": C,
    # 3. claims the tables can test
    "claim.staff_at_every_point": C,
    "claim.visual_propaganda_enhanced": I,          # strict: flyers fall 2017 -> 2018; loose: consistent
    "claim.website_updated_regularly": C,
    "claim.press_frequency_increased": C,
    "claim.press_regular": C,
    "claim.dialogue_conferences_strengthened": C,
    "claim.specialized_columns_maintained": C,
    # 3. claims the tables cannot test
    "claim.participants_increased": N,
    "claim.debt_rising": N,
    "claim.effectiveness_reduced": N,
    "claim.not_regular_or_continuous": N,
    "claim.covers_all_communes": N,
    "claim.promoted_province_to_districts": N,
    "claim.content_shifted_to_short_messages": N,
    "claim.awareness_raised_by_results": N,
    "claim.agent_staff_trained_regularly": N,
    "claim.visual_propaganda_attracted_attention": N,
    "claim.press_wide_coverage": N,
    "claim.contests_raised_awareness": N,
    "claim.coordination_brought_efficiency": N,
    "claim.forms_diversified": N,
    "claim.handbook_communication_promoted": N,
    "claim.media_changed_awareness": N,
    "claim.participation_rate_increased": N,
    "claim.coordination_not_regular": N,
    "claim.outside_collaborators_many": N,
    "claim.skills_training_not_regular": N,
    "claim.communication_always_focused": N,
    "claim.political_system_mobilized": N,
    "claim.agent_staff_relatively_effective": N,
    "claim.positive_contributions_results": N,
    "claim.content_follows_party_policy": N,
    "claim.most_people_understand": N,
    "claim.methods_flexible_diverse": N,
    "claim.visual_propaganda_great_efficiency": N,
    "claim.signs_positive_effect": N,
    "claim.programs_well_received": N,
    "claim.broadcasts_responded_promptly": N,
    "claim.theater_effective": N,
    "claim.advised_proactively": N,
    "claim.columns_disseminated_promptly": N,
    "claim.proactivity_not_high": N,
    "claim.staff_lacking": N,
    "claim.innovations_incomplete": N,
    "claim.collaborator_knowledge_limited": N,
    # 4. the text against itself
    "text.editorial_board_head": I,                 # 3.1 Deputy Director vs 3.3.2 (ii) Director
    "text.website_coordination_regular_vs_3_1": I,
    "text.website_coordination_regular_vs_4": I,
    "text.press_regular_vs_3_1": I,
    "text.press_regular_vs_4": I,
    "text.agent_training_regular_vs_4": N,          # different groups
}
EXPECTED_GRADES = {
    "Table 1": "reproduced",
    "Table 2": "reproduced",
    "Table 3": "reproduced",
    "Table 4": "reproduced with discrepancies",
    "Table 5": "reproduced",
}


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return run_audit(open_dataset())


def verdicts(audit: pd.DataFrame) -> dict[str, str]:
    return dict(zip(audit["check"], audit["verdict"]))


def row(audit: pd.DataFrame, check: str) -> pd.Series:
    found = audit[audit["check"] == check]
    assert len(found) == 1, check
    return found.iloc[0]


# --- the shipped data ---------------------------------------------------------------------------

@pytest.mark.parametrize("check", EXPECTED)
def test_verdict_on_the_shipped_data(shipped, check):
    assert row(shipped, check)["verdict"] == EXPECTED[check]


def test_every_check_is_pinned_and_in_a_stable_order(shipped):
    assert shipped["check"].tolist() == list(EXPECTED)
    assert list(shipped.columns) == COLUMNS
    assert shipped["part"].is_monotonic_increasing
    pd.testing.assert_frame_equal(run_audit(open_dataset()), shipped)


def test_table_4_articles_total_is_off_by_twenty(shipped):
    check = row(shipped, "T4.total.articles")
    assert (check["printed"], check["recomputed"], check["difference"]) == (1116, 1136, 20)
    assert check["numbers"] == "182 + 206 + 218 + 266 + 264 = 1,136"
    assert check["location"] == 'Total row, column "News, articles, documents"'
    assert check["table"] == "Table 4" and check["section"] == "3.3.2 (ii)"


def test_consistent_totals_show_their_sums(shipped):
    assert row(shipped, "T1.total.agent_staff")["numbers"] == "171 + 124 + 103 + 12 + 13 + 5 + 6 = 434"
    assert row(shipped, "T5.total.loudspeaker_broadcasts")["numbers"] == "327 + 386 + 408 + 432 + 464 = 2,017"
    consistent = shipped[(shipped["kind"] == "total") & (shipped["verdict"] == C)]
    assert (consistent["difference"] == 0).all()


def test_table_2_heading_is_not_a_total_of_rows_3_and_4(shipped):
    conferences = row(shipped, "T2.row2.training_conferences")
    assert "cannot be the total of rows 3 and 4" in conferences["note"]
    assert "in 2016, 2017, 2018 and 2019" in conferences["note"]
    assert "2016: 38 vs 84 + 1 = 85" in conferences["numbers"]
    assert pd.isna(conferences["printed"]) and pd.isna(conferences["recomputed"])
    attendees = row(shipped, "T2.row2.training_attendees")
    # 2.2 >= 3.2 + 4.2 every year, yet row 2 cannot include rows 3 and 4 (2.1 < 3.1 + 4.1): the note must not say it may.
    assert "may include" not in attendees["note"]
    assert "row 2 cannot" in attendees["note"] and "2.1 is smaller than 3.1 + 4.1 in 2016, 2017, 2018 and 2019" in attendees["note"]


def test_attendee_rows_alone_still_allow_inclusion(shipped, tmp_path):
    """With conferences that no longer rule it out, the attendee reading falls back to what its own numbers allow."""
    from laocai_stats.audit.totals import _heading_check
    from laocai_stats import load_table, open_dataset

    dataset = open_dataset()
    spec = dataset.spec("conferences")
    members = {i.printed_row: i for i in spec.indicators}
    check = _heading_check(spec, load_table("conferences", dataset), "2", spec.headings["2"], members["2.2"],
                           [members["3.2"], members["4.2"]], ruled_out=())
    assert "may include rows 3 and 4" in check["note"]


def test_text_counts_against_table_1(shipped):
    staff = row(shipped, "text.agent_staff.agents-sum")
    assert (staff["printed"], staff["recomputed"], staff["table"]) == (434, 434, "Table 1")
    systems = row(shipped, "text.agent_systems.agents-rows")
    assert (systems["printed"], systems["recomputed"]) == (7, 7)
    team = row(shipped, "text.collaborator_team.parts")
    assert team["numbers"] == "9 (collaborators_inside_industry) + 11 (collaborators_outside_industry) = 20"


def test_claims_carry_their_quote_rule_and_numbers(shipped, paper_text):
    press = row(shipped, "claim.press_frequency_increased")
    assert press["rule"] == "rose in every year, 2016-2020, and so higher in 2020 than in 2016"
    assert "163 < 198 < 232 < 265 < 279" in press["numbers"]
    dialogue = row(shipped, "claim.dialogue_conferences_strengthened")
    assert dialogue["rule"] == "rose in every year, 2016-2020, and so higher in 2020 than in 2016"
    assert "38 in 2016, 107 in 2020 (+69)" in dialogue["numbers"]
    flat = re.sub(r"\s+", " ", paper_text)
    for check in shipped[shipped["part"] == 3].itertuples():
        assert check.location.startswith('"') and check.location.endswith('"')
        assert re.sub(r"\s+", " ", check.location[1:-1]) in flat, check.check


def test_untestable_claims_are_listed_with_a_reason(shipped):
    untestable = shipped[shipped["kind"] == "claim (untestable)"]
    assert len(untestable) >= 10
    assert (untestable["verdict"] == N).all()
    assert (untestable["rule"] == "not testable with the tables").all()
    assert (untestable["note"].str.len() > 20).all()


def test_grades_on_the_shipped_data(shipped):
    grades = grade_tables(shipped)
    assert dict(zip(grades["table"], grades["grade"])) == EXPECTED_GRADES
    assert set(grades["grade"]) <= set(GRADES)
    table_4 = grades.loc[grades["table"] == "Table 4", "reasons"].iloc[0]
    assert "182 + 206 + 218 + 266 + 264 = 1,136, printed 1,116 (difference +20)" in table_4
    table_3 = grades.loc[grades["table"] == "Table 3", "reasons"].iloc[0]
    assert "prints no total row" in table_3 and "all 15 cells present" in table_3


def test_audit_functions_do_not_change_their_input(shipped):
    before = shipped.copy()
    grades = grade_tables(shipped)
    findings_markdown(shipped, grades)
    audit_markdown(shipped, grades)
    audit_text(shipped, grades)
    pd.testing.assert_frame_equal(shipped, before)


def test_findings_show_the_arithmetic(shipped):
    text = findings_markdown(shipped, grade_tables(shipped))
    assert "182 + 206 + 218 + 266 + 264 = 1,136, printed 1,116" in text
    assert "5 of the 6 printed totals" in text
    assert "Table 4 reproduced with discrepancies" in text
    counts = shipped["verdict"].value_counts()
    assert f"{counts[C]} consistent, {counts[I]} inconsistent, {counts[N]} not checkable" in text


# --- the ledger ---------------------------------------------------------------------------------

def test_ledger_refers_to_rules_tables_and_indicators_that_exist():
    from laocai_stats import open_dataset

    dataset = open_dataset(None)
    ledger = load_claims()
    assert ledger["claim"].is_unique
    for claim in ledger.to_dict("records"):
        if not pd.isna(claim["table"]):
            spec = dataset.spec(claim["table"])
            names = {i.name for i in spec.indicators}
            assert set(str(claim["indicators"]).split("; ")) <= names, claim["claim"]
        if not pd.isna(claim["rule"]):
            assert claim["rule"] in RULES and not pd.isna(claim["table"]), claim["claim"]
    descriptor = json.loads((default_data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "claims")
    field = next(f for f in resource["schema"]["fields"] if f["name"] == "rule")
    assert sorted(field["constraints"]["enum"]) == sorted(RULES)


def test_the_package_ledger_is_what_the_audit_weighs(package):
    # Pointing the dialogue claim at the Post Office's conferences (84 in 2016, 72 in 2020) must flip it.
    edit_csv(package, "claims", ",conferences,training_conferences; training_attendees,increased_two_readings,",
             ",conferences,post_office_conferences,increased_two_readings,")
    check = row(run_audit(open_dataset(package)), "claim.dialogue_conferences_strengthened")
    assert check["verdict"] == I
    assert "84 in 2016, 72 in 2020 (-12)" in check["numbers"]


# --- part 1 on made-up data: a total that matches, one that is off by one, one with a blank -------

def test_total_off_by_one_is_inconsistent(package):
    edit_csv(package, "agents_totals", "agent_staff,Total,434", "agent_staff,Total,435")
    check = row(run_audit(open_dataset(package)), "T1.total.agent_staff")
    assert (check["verdict"], check["recomputed"], check["difference"]) == (I, 434, -1)


def test_corrected_total_is_consistent(package):
    edit_csv(package, "website_totals", "articles,Total,1116", "articles,Total,1136")
    audit = run_audit(open_dataset(package))
    assert row(audit, "T4.total.articles")["verdict"] == C
    assert (audit.loc[audit["part"] <= 2, "verdict"] != I).all()  # the tables and the text's counts agree
    grades = grade_tables(audit)
    assert set(grades["grade"]) == {"reproduced"}
    assert "1,116" not in findings_markdown(audit, grades)


def test_blank_row_makes_the_total_not_checkable(package):
    edit_csv(package, "agents", "agent_staff,school,6", "agent_staff,school,")
    audit = run_audit(open_dataset(package))
    check = row(audit, "T1.total.agent_staff")
    assert check["verdict"] == N and pd.isna(check["recomputed"]) and check["blank_inputs"] == 1
    assert "School is blank" in check["note"]
    # The text's 434 can no longer be set against the rows either, but still against the printed total.
    assert row(audit, "text.agent_staff.agents-sum")["verdict"] == N
    assert row(audit, "text.agent_staff.agents-printed-total")["verdict"] == C
    grade = grade_tables(audit).set_index("table").loc["Table 1"]
    assert grade["grade"] == "reproduced with discrepancies"
    assert "cannot be recomputed, 1 blank input(s)" in grade["reasons"]


def test_blank_printed_total_is_not_checkable(package):
    edit_csv(package, "press_totals", "press_items,Total,1137", "press_items,Total,")
    check = row(run_audit(open_dataset(package)), "T5.total.press_items")
    assert check["verdict"] == N and pd.isna(check["printed"])


def test_a_table_whose_totals_all_have_blanks_is_not_reproducible(package):
    edit_csv(package, "press", "press_items,2016,163", "press_items,2016,")
    edit_csv(package, "press", "loudspeaker_broadcasts,2020,464", "loudspeaker_broadcasts,2020,")
    grades = grade_tables(run_audit(open_dataset(package))).set_index("table")
    assert grades.loc["Table 5", "grade"] == "not reproducible"
    assert "2 of 10 cells blank" in grades.loc["Table 5", "reasons"]


def test_findings_numbers_follow_the_data(package):
    edit_csv(package, "website", "articles,2016,182", "articles,2016,183")
    audit = run_audit(open_dataset(package))
    text = findings_markdown(audit, grade_tables(audit))
    assert "183 + 206 + 218 + 266 + 264 = 1,137, printed 1,116" in text
    assert "by 21" in text


def test_heading_equal_to_its_parts_is_described_as_possibly_their_total(package):
    for year, parts in zip(range(2016, 2021), (85, 97, 138, 164, 73)):
        old = {2016: 38, 2017: 46, 2018: 68, 2019: 96, 2020: 107}[year]
        edit_csv(package, "conferences", f"training_conferences,{year},{old}", f"training_conferences,{year},{parts}")
    check = row(run_audit(open_dataset(package)), "T2.row2.training_conferences")
    assert check["verdict"] == N
    assert "equals 3.1 + 4.1 in every year, so it may be their total" in check["note"]


# --- part 2 on made-up data -----------------------------------------------------------------------

def test_text_count_that_differs_from_table_1(package):
    edit_csv(package, "facts", "agent_staff,3.1,434,people,434", "agent_staff,3.1,435,people,435")
    audit = run_audit(open_dataset(package))
    for check in ("text.agent_staff.agents-sum", "text.agent_staff.agents-printed-total"):
        found = row(audit, check)
        assert (found["verdict"], found["difference"]) == (I, -1)
    assert grade_tables(audit).set_index("table").loc["Table 1", "grade"] == "reproduced with discrepancies"


def test_parts_that_do_not_add_up(package):
    edit_csv(package, "facts", "collaborators_outside_industry,3.1,11,people,11", "collaborators_outside_industry,3.1,12,people,12")
    audit = run_audit(open_dataset(package))
    team = row(audit, "text.collaborator_team.parts")
    assert (team["verdict"], team["recomputed"], team["difference"]) == (I, 21, 1)
    items = row(audit, "text.collaborators_outside_industry.items")
    assert (items["verdict"], items["recomputed"]) == (I, 11)


def test_a_single_part_larger_than_its_whole(package):
    edit_csv(package, "facts", "office_collaborators,3.1,2,people,02", "office_collaborators,3.1,10,people,10")
    audit = run_audit(open_dataset(package))
    assert row(audit, "text.collaborators_inside_industry.parts")["verdict"] == I
    assert row(audit, "text.office_collaborators.parts")["verdict"] == I   # 1 + 1 = 2, not 10


def test_wrong_number_of_agent_systems(package):
    edit_csv(package, "facts", "agent_systems,3.1,7,systems,7", "agent_systems,3.1,8,systems,8")
    check = row(run_audit(open_dataset(package)), "text.agent_systems.agents-rows")
    assert (check["verdict"], check["recomputed"]) == (I, 7)


# --- part 3: each rule on small made-up tables ----------------------------------------------------

def yearly(values: list, years=(2011, 2012, 2013)) -> tuple[TableSpec, pd.DataFrame, list[IndicatorSpec]]:
    indicator = IndicatorSpec("count", "Count", "things", "flow", printed_row="1")
    spec = TableSpec("made_up", 9, "Made up", "9", "nowhere", "year", "indicators_in_rows", (indicator,))
    rows = pd.DataFrame({
        "indicator": ["count"] * len(years), "year": list(years),
        "value": pd.array(values, dtype="Int64"), "unit": ["things"] * len(years),
    })
    return spec, rows, [indicator]


def by_group(pairs: list[tuple]) -> tuple[TableSpec, pd.DataFrame, list[IndicatorSpec]]:
    staff = IndicatorSpec("staff", "Staff", "people", "snapshot")
    points = IndicatorSpec("points", "Points", "points", "snapshot")
    groups = tuple(GroupSpec(f"g{n}", f"Group {n}") for n in range(len(pairs)))
    spec = TableSpec("made_up", 9, "Made up", "9", "nowhere", "group", "groups_in_rows", (staff, points), groups, "System")
    rows = pd.DataFrame({
        "indicator": ["staff"] * len(pairs) + ["points"] * len(pairs),
        "group": [g.name for g in groups] * 2,
        "value": pd.array([a for a, _ in pairs] + [b for _, b in pairs], dtype="Int64"),
        "unit": ["people"] * len(pairs) + ["points"] * len(pairs),
    })
    return spec, rows, [staff, points]


RULE_CASES = [
    ("rose_every_year", yearly([1, 2, 3]), C),
    ("rose_every_year", yearly([1, 3, 2]), I),
    ("rose_every_year", yearly([2, 2, 3]), I),          # level is not a rise
    ("rose_every_year", yearly([1, None, 3]), N),
    ("higher_last_than_first", yearly([1, 9, 2]), C),
    ("higher_last_than_first", yearly([3, 9, 2]), I),
    ("higher_last_than_first", yearly([2, 9, 2]), I),
    ("higher_last_than_first", yearly([None, 9, 2]), N),
    ("higher_last_than_first", yearly([1, None, 2]), C),  # the years between are not inputs
    ("positive_every_year", yearly([1, 2, 3]), C),
    ("positive_every_year", yearly([1, 0, 3]), I),
    ("positive_every_year", yearly([1, None, 3]), N),
    ("at_least_in_every_group", by_group([(3, 3), (5, 1)]), C),
    ("at_least_in_every_group", by_group([(3, 3), (0, 1)]), I),
    ("at_least_in_every_group", by_group([(3, 3), (None, 1)]), N),
]


@pytest.mark.parametrize(("name", "case", "expected"), RULE_CASES)
def test_rule_on_made_up_tables(name, case, expected):
    spec, rows, indicators = case
    before = rows.copy()
    outcome = RULES[name].test(spec, rows, indicators)
    assert outcome.verdict == expected, outcome
    pd.testing.assert_frame_equal(rows, before)
    if expected == N:
        assert outcome.blank_inputs >= 1 and "blank" in outcome.note


def test_rule_words_follow_the_years_of_the_data():
    outcome = RULES["higher_last_than_first"].test(*yearly([1, 5], years=(2001, 2009)))
    assert outcome.rule == "higher in 2009 than in 2001"
    assert outcome.numbers == "row 1: 1 in 2001, 5 in 2009 (+4)"


def test_a_trend_rule_refuses_a_table_by_group():
    assert RULES["rose_every_year"].test(*by_group([(1, 1)])).verdict == N


def test_a_claim_flips_when_a_table_value_changes(package):
    edit_csv(package, "press", "press_items,2019,265", "press_items,2019,290")
    check = row(run_audit(open_dataset(package)), "claim.press_frequency_increased")
    assert check["verdict"] == I
    assert "fell from 290 in 2019 to 279 in 2020" in check["note"]


def test_a_claim_with_a_blank_input_is_not_checkable(package):
    edit_csv(package, "conferences", "training_conferences,2020,107", "training_conferences,2020,")
    check = row(run_audit(open_dataset(package)), "claim.dialogue_conferences_strengthened")
    assert check["verdict"] == N and check["blank_inputs"] == 1


# --- another province's data --------------------------------------------------------------------

def test_another_province_gets_not_applicable_for_the_text(package):
    edit_descriptor(package, lambda d: d.update(province="Ha Giang"))
    edit_csv(package, "website_totals", "articles,Total,1116", "articles,Total,1136")
    audit = run_audit(open_dataset(package))
    assert audit["check"].tolist() == list(EXPECTED)
    text_parts = audit[audit["part"].isin([2, 3, 4])]
    assert (text_parts["verdict"] == NA).all()
    assert text_parts["printed"].isna().all()
    assert "Ha Giang" in text_parts["note"].iloc[0]
    # Part 1 and the grades come from this data set: its corrected total now adds up.
    assert row(audit, "T4.total.articles")["verdict"] == C
    assert set(grade_tables(audit)["grade"]) == {"reproduced"}
    findings = findings_markdown(audit, grade_tables(audit))
    assert "Not applied" in findings and "Ha Giang" in findings


def test_a_data_set_without_facts_gets_not_applicable(package):
    edit_descriptor(package, lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != "facts"]))
    audit = run_audit(open_dataset(package))
    assert (audit.loc[audit["part"] > 1, "verdict"] == NA).all()
    assert row(audit, "T4.total.articles")["verdict"] == I


def test_other_years_and_no_totals(package):
    """Nothing assumes 2016-2020 or that totals exist."""
    (package / "website.csv").write_text(
        "indicator,year,value\narticles,2011,1\narticles,2012,2\narticles,2013,3\nvisits,2011,10\nvisits,2012,20\nvisits,2013,\n",
        encoding="utf-8",
    )
    (package / "website_totals.csv").write_text("indicator,label,value\narticles,Total,6\nvisits,Total,30\n", encoding="utf-8")
    (package / "press_totals.csv").write_text("indicator,label,value\n", encoding="utf-8")
    from laocai_stats.data.package import rehash

    rehash(package)
    audit = run_audit(open_dataset(package))
    assert row(audit, "T4.total.articles")["rule"] == "printed total = sum of the 3 years 2011-2013"
    assert row(audit, "T4.total.articles")["verdict"] == C
    assert row(audit, "T4.total.visits")["verdict"] == N
    assert not audit["check"].str.startswith("T5.total").any()
    assert row(audit, "claim.website_updated_regularly")["rule"] == "above zero in every year, 2011-2013"
    grades = grade_tables(audit).set_index("table")
    assert grades.loc["Table 5", "reasons"].startswith("prints no total row")


# --- the command line -----------------------------------------------------------------------------

def test_strict_exits_1_on_the_shipped_data(capsys):
    assert main(["audit", "--strict"]) == 1
    assert main(["audit"]) == 0
    capsys.readouterr()


def test_strict_exits_0_on_a_corrected_copy(package, capsys):
    edit_csv(package, "website_totals", "articles,Total,1116", "articles,Total,1136")
    assert main(["audit", "--strict", "--data", str(package)]) == 1  # the text still contradicts itself (part 4)
    statements = (package / "statements.csv").read_text(encoding="utf-8").replace(",inconsistent,", ",not checkable,")
    (package / "statements.csv").write_text(statements, encoding="utf-8")
    claims = (package / "claims.csv").read_text(encoding="utf-8").replace("posters; flyers,increased_two_readings", "posters,increased_two_readings")
    (package / "claims.csv").write_text(claims, encoding="utf-8")
    from laocai_stats.data.package import rehash

    rehash(package)
    assert main(["audit", "--strict", "--data", str(package)]) == 0
    capsys.readouterr()


def test_bad_data_exits_2(package, capsys):
    edit_csv(package, "website", "articles,2018,218", "articles,2018,lots")
    assert main(["audit", "--data", str(package)]) == 2
    assert "website.csv, row 4" in capsys.readouterr().err


def test_csv_has_one_row_per_check(capsys, shipped):
    assert main(["audit", "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"section": str})
    assert frame.columns.tolist() == COLUMNS
    assert {"location", "printed", "recomputed", "difference", "verdict", "note"} <= set(frame.columns)
    assert frame["check"].tolist() == shipped["check"].tolist()
    articles = frame.set_index("check").loc["T4.total.articles"]
    assert (articles["printed"], articles["recomputed"], articles["difference"], articles["verdict"]) == (1116, 1136, 20, I)


def test_json_records(capsys):
    assert main(["audit", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["check"] for r in records] == list(EXPECTED)
    articles = next(r for r in records if r["check"] == "T4.total.articles")
    assert (articles["printed"], articles["recomputed"], articles["difference"]) == (1116, 1136, 20)
    claim = next(r for r in records if r["check"] == "claim.debt_rising")
    assert claim["printed"] is None and claim["verdict"] == N


def test_markdown_is_pasteable(capsys):
    assert main(["audit", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "### Grades" in out and "### Checks" in out and "### Findings" in out
    assert "| Table 4 | reproduced with discrepancies |" in out
    assert "| T4.total.articles |" in out and "| 1,116 | 1,136 | +20 | inconsistent |" in out
    assert "182 + 206 + 218 + 266 + 264 = 1,136, printed 1,116" in out
    tables = [line for line in out.splitlines() if line.startswith("|---")]
    assert len(tables) == 5  # grades and the four parts


def test_text_fits_80_columns(capsys):
    assert main(["audit"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "INCONSISTENT   T4.total.articles" in out


def test_data_option_reports_text_parts_not_applicable(package, capsys):
    edit_descriptor(package, lambda d: d.update(province="Ha Giang"))
    assert main(["audit", "--data", str(package), "--format", "csv", "--strict"]) == 1  # Table 4 is still off
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert (frame.loc[frame["part"] > 1, "verdict"] == NA).all()
    assert (frame.loc[frame["part"] == 1, "verdict"] != NA).all()


def test_a_table_left_entirely_blank_is_not_reproducible(package):
    from laocai_stats.data.package import rehash

    (package / "publications.csv").write_text(
        "indicator,year,value\n" + "".join(f"{i},{y},\n" for i in ("posters", "flyers", "agent_signs") for y in (2016, 2017)),
        encoding="utf-8")
    rehash(package)
    grades = grade_tables(run_audit(open_dataset(package))).set_index("table")
    assert grades.loc["Table 3", "grade"] == "not reproducible"
    assert "6 of 6 cells blank" in grades.loc["Table 3", "reasons"]
    assert grades.loc["Table 5", "grade"] == "reproduced"


# --- part 4: the text against itself, and vague verbs under two readings -------------------------

def test_each_pair_quotes_both_sentences_exactly(shipped, paper_text):
    from laocai_stats.audit.statements import load_statements

    flat = re.sub(r"\s+", " ", paper_text)
    for pair in load_statements().to_dict("records"):
        assert pair["quote_a"] in flat and pair["quote_b"] in flat, pair["check"]
        check = row(shipped, f"text.{pair['check']}")
        assert pair["quote_a"] in check["location"] and pair["quote_b"] in check["location"]
    head = row(shipped, "text.editorial_board_head")
    assert "Deputy Director" in head["location"] and "(Director)" in head["location"]


def test_a_claim_the_text_contradicts_says_so_beside_its_verdict(shipped):
    press = row(shipped, "claim.press_regular")
    assert press["verdict"] == C and "text.press_regular_vs_4" in press["note"]
    assert "tables do not contradict it" in press["note"]
    assert "contradicts" not in row(shipped, "claim.staff_at_every_point")["note"]


@pytest.mark.parametrize("values, verdict, both", [
    ([1, 2, 3], C, False),   # both readings hold
    ([1, 3, 2], I, True),    # strict fails (3 -> 2), loose holds (2 > 1): both verdicts given
    ([3, 2, 1], I, False),   # both fail
])
def test_vague_verbs_get_both_readings(values, verdict, both):
    outcome = RULES["increased_two_readings"].test(*yearly(values))
    assert outcome.verdict == verdict
    assert ("strict:" in outcome.rule and "loose:" in outcome.rule) == both
    if both:
        assert "Strict reading, inconsistent" in outcome.note and "Loose reading, consistent" in outcome.note
