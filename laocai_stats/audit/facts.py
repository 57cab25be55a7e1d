"""Part 2 of the audit: the counts the paper's text states, against the tables, their stated parts and listed items."""
from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from ..data.dataset import Dataset
from ..data.loaders import load_table, printed_totals
from .claims import fmt_en, split_items
from .common import (
    CONSISTENT,
    INCONSISTENT,
    NOT_CHECKABLE,
    and_list,
    check_row,
    present,
)
from .totals import members, what_is_summed


class TextLink(NamedTuple):
    """A count the text states and the table number it should equal: the table's rows, a row sum, or its printed total."""

    fact: str
    table: str
    measure: str  # "rows", "sum" or "printed total"
    indicator: str | None = None


# Section 3.1 says which table these counts describe only by repeating them; the links are ours.
TEXT_TABLE_LINKS = (
    TextLink("agent_systems", "agents", "rows"),
    TextLink("collection_points", "agents", "sum", "collection_points"),
    TextLink("collection_points", "agents", "printed total", "collection_points"),
    TextLink("agent_staff", "agents", "sum", "agent_staff"),
    TextLink("agent_staff", "agents", "printed total", "agent_staff"),
)

def fact_checks(facts: pd.DataFrame, dataset: Dataset | None) -> list[dict]:
    """Each stated count against the table it describes, its stated parts, and the items it lists.

    With `dataset` None the checks are only listed (their verdicts are set by the caller).
    """
    facts = facts.reset_index(drop=True)
    by_name = {f["fact"]: f for f in facts.to_dict("records")}
    parts_of = {}
    for f in facts.to_dict("records"):
        if present(f.get("part_of")):
            parts_of.setdefault(f["part_of"], []).append(f)
    rows = []
    for fact in facts.to_dict("records"):
        links = [link for link in TEXT_TABLE_LINKS if link.fact == fact["fact"]]
        for link in links:
            rows.append(_link_check(fact, link, dataset))
        if fact["fact"] in parts_of:
            rows.append(_parts_check(fact, parts_of[fact["fact"]], dataset is not None))
        items = split_items(fact.get("items"))
        if items:
            rows.append(_items_check(fact, items, dataset is not None))
        is_part = present(fact.get("part_of")) and fact["part_of"] in by_name
        if not links and fact["fact"] not in parts_of and not items and not is_part:
            rows.append(check_row(check=f"text.{fact['fact']}.unchecked", part=2, kind="unchecked", section=fact["section"],
                             location=f'"{fact["sentence"]}"', rule="nothing to check it against",
                             printed=fact["value"], verdict=NOT_CHECKABLE,
                             note="No table covers this count, and the text states no parts or list of it."))
    return rows



def _link_check(fact: dict, link: TextLink, dataset: Dataset | None) -> dict:
    slug = link.measure.replace(" ", "-")
    base = check_row(check=f"text.{fact['fact']}.{link.table}-{slug}", part=2, kind="text vs table", section=fact["section"],
                location=f'"{fact["sentence"]}"', printed=fact["value"])
    if dataset is None:
        return {**base, "rule": f"the text's count = the {link.measure} of table '{link.table}'"}
    if link.table not in dataset.table_names():
        return {**base, "rule": f"the text's count = the {link.measure} of table '{link.table}'", "verdict": NOT_CHECKABLE,
                "note": f"This data set has no table '{link.table}'."}
    spec = dataset.spec(link.table)
    base["table"] = f"Table {spec.number}"
    table = load_table(link.table, dataset)
    if link.measure == "rows":
        key = spec.keyed_by
        labels = {g.name: g.label for g in spec.groups}
        present = list(dict.fromkeys(table[key]))
        names = [labels.get(k, str(k)) for k in present]
        what = (spec.group_label or key).lower()
        recomputed = len(present)
        base.update(rule=f"the text's count = the number of {what} rows in Table {spec.number}",
                    numbers=f"{recomputed} rows: " + "; ".join(names))
    else:
        if link.indicator not in {i.name for i in spec.indicators}:
            return {**base, "rule": f"the text's count = the {link.measure} of Table {spec.number}", "verdict": NOT_CHECKABLE,
                    "note": f"Table {spec.number} has no indicator '{link.indicator}'."}
        indicator = spec.indicator(link.indicator)
        if link.measure == "sum":
            values, keys = members(spec, table, indicator.name)
            over = what_is_summed(spec, keys)
            base["rule"] = f'the text\'s count = the sum of Table {spec.number}\'s "{indicator.label}" over {over}'
            blanks = [k for k, v in zip(keys, values) if pd.isna(v)]
            shown = " + ".join(fmt_en(v) for v in values)
            if blanks:
                return {**base, "verdict": NOT_CHECKABLE, "numbers": shown, "blank_inputs": len(blanks),
                        "note": f"{and_list(blanks)} {'is' if len(blanks) == 1 else 'are'} blank; a blank is not zero, so the rows cannot be summed."}
            recomputed = int(sum(int(v) for v in values))
            base["numbers"] = f"{shown} = {fmt_en(recomputed)}"
        else:
            totals = printed_totals(link.table, dataset)
            mine = totals[totals["indicator"] == indicator.name]
            base["rule"] = f'the text\'s count = Table {spec.number}\'s printed total of "{indicator.label}"'
            if mine.empty or pd.isna(mine["value"].iloc[0]):
                return {**base, "verdict": NOT_CHECKABLE, "blank_inputs": 0 if mine.empty else 1,
                        "note": f"Table {spec.number} prints no total for this column." if mine.empty else "The printed total is blank."}
            recomputed = int(mine["value"].iloc[0])
            base["numbers"] = f"{mine['label'].iloc[0]} row: {fmt_en(recomputed)}"
    difference = recomputed - int(fact["value"])
    verdict = CONSISTENT if difference == 0 else INCONSISTENT
    note = (f"The text's {fact['printed']} matches Table {spec.number}." if difference == 0 else
            f"The text states {fmt_en(fact['value'])}; Table {spec.number} gives {fmt_en(recomputed)}.")
    return {**base, "recomputed": recomputed, "difference": difference, "verdict": verdict, "note": note}


def _sentences(*facts: dict) -> str:
    return " / ".join(f'"{s}"' for s in dict.fromkeys(f["sentence"] for f in facts))


def _parts_check(whole: dict, parts: list[dict], evaluate: bool) -> dict:
    names = " + ".join(p["fact"] for p in parts)
    base = check_row(check=f"text.{whole['fact']}.parts", part=2, kind="parts", section=whole["section"],
                location=_sentences(whole, *parts), printed=whole["value"])
    if len(parts) == 1:
        # A single stated part ("In which, the Office has 02") is a subset, not a breakdown.
        base["rule"] = f"the only stated part ({parts[0]['fact']}) does not exceed the whole"
    else:
        base["rule"] = f"the stated parts add up to the whole: {whole['fact']} = {names}"
    if not evaluate:
        return base
    units = {p["unit"] for p in parts} | {whole["unit"]}
    if len(units) > 1:
        return {**base, "verdict": NOT_CHECKABLE, "note": f"The parts are counted in different units ({', '.join(sorted(units))})."}
    if len(parts) == 1:
        part = parts[0]
        holds = int(part["value"]) <= int(whole["value"])
        return {**base, "verdict": CONSISTENT if holds else INCONSISTENT,
                "numbers": f"{part['fact']} {fmt_en(part['value'])} {'<=' if holds else '>'} {whole['fact']} {fmt_en(whole['value'])}",
                "note": "The text gives only this part, so the check is that it does not exceed the whole."
                        + ("" if holds else f" It does: {fmt_en(part['value'])} of {fmt_en(whole['value'])}.")}
    recomputed = int(sum(int(p["value"]) for p in parts))
    difference = recomputed - int(whole["value"])
    shown = " + ".join(f"{fmt_en(p['value'])} ({p['fact']})" for p in parts)
    note = ("The stated parts add up to the stated whole." if difference == 0 else
            f"The parts add up to {fmt_en(recomputed)}, but the text states {fmt_en(whole['value'])}.")
    return {**base, "recomputed": recomputed, "difference": difference,
            "verdict": CONSISTENT if difference == 0 else INCONSISTENT,
            "numbers": f"{shown} = {fmt_en(recomputed)}", "note": note}


def _items_check(fact: dict, items: list[str], evaluate: bool) -> dict:
    base = check_row(check=f"text.{fact['fact']}.items", part=2, kind="items", section=fact["section"],
                location=f'"{fact["sentence"]}"', printed=fact["value"],
                rule="the stated count = the number of items the sentence lists")
    if not evaluate:
        return base
    recomputed = len(items)
    difference = recomputed - int(fact["value"])
    note = (f"The sentence lists {recomputed} items, as many as it states." if difference == 0 else
            f"The sentence states {fact['printed']} but lists {recomputed}.")
    return {**base, "recomputed": recomputed, "difference": difference,
            "verdict": CONSISTENT if difference == 0 else INCONSISTENT,
            "numbers": f"{recomputed} listed: " + "; ".join(f"({n}) {item}" for n, item in enumerate(items, 1)),
            "note": note}

