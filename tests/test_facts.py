"""The counts section 3.1 states, each tied to the sentence it comes from."""
from __future__ import annotations

from laocai_stats import load_facts


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
        assert int(fact.printed) == fact.value, fact.fact


def test_listed_items_appear_in_the_sentence():
    facts = load_facts()
    listed = facts.dropna(subset=["items"])
    assert len(listed) >= 2
    for fact in listed.itertuples():
        for item in fact.items.split("; "):
            assert item in fact.sentence, (fact.fact, item)
