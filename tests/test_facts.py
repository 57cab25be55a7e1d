"""The counts the text states (sections 2.4, 3.1, 3.3.1 and 3.3.2), each tied to the sentence it comes from."""
from __future__ import annotations

from laocai_stats import load_facts

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def test_facts_resource_shape():
    facts = load_facts()
    assert facts["fact"].is_unique
    assert {"collaborator_team", "agent_systems", "collection_points", "agent_staff", "communications_department_staff"} <= set(facts["fact"])
    values = dict(zip(facts["fact"], facts["value"]))
    assert (values["collaborator_team"], values["agent_systems"], values["collection_points"], values["agent_staff"]) == (20, 7, 367, 434)
    parts = set(facts["part_of"].dropna())
    assert parts <= set(facts["fact"])


def test_each_fact_is_quoted_exactly_from_the_paper(paper_text):
    for fact in load_facts().itertuples():
        assert fact.sentence in paper_text, fact.fact
        assert fact.printed in fact.sentence, fact.fact
        assert (int(fact.printed) if fact.printed.isdigit() else WORDS[fact.printed]) == fact.value, fact.fact


def test_listed_items_appear_in_the_sentence():
    facts = load_facts()
    listed = facts.dropna(subset=["items"])
    assert len(listed) >= 2
    for fact in listed.itertuples():
        for item in fact.items.split("; "):
            assert item in fact.sentence, (fact.fact, item)


def test_counts_stated_with_their_parts_listed():
    facts = load_facts().set_index("fact")
    assert facts.loc["editorial_board_deputy_heads", "value"] == sum(
        facts.loc[f, "value"] for f in facts.index if facts.loc[f, "part_of"] == "editorial_board_deputy_heads")
    for fact in ("communication_forms", "communication_methods", "apparatus_levels", "editorial_board_secretaries"):
        assert len(facts.loc[fact, "items"].split("; ")) == facts.loc[fact, "value"], fact
