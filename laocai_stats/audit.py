"""The reviewer's audit: printed totals recomputed, the text's counts and claims checked against the tables."""
from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from .claims import (
    CONSISTENT,
    INCONSISTENT,
    NOT_APPLICABLE,
    NOT_CHECKABLE,
    RULES,
    VERDICTS,
    fmt,
    load_claims,
    split_items,
    weigh_claim,
)
from .dataset import Dataset, open_dataset
from .specs import TableSpec
from .tables import load_table, printed_totals

COLUMNS = [
    "check", "part", "kind", "table", "section", "location", "rule",
    "printed", "recomputed", "difference", "verdict", "numbers", "note", "blank_inputs",
]
PARTS = {
    1: "Printed totals against their rows",
    2: "Counts in the text against the tables and their stated parts",
    3: "Claims ledger",
}
REPRODUCED = "reproduced"
WITH_DISCREPANCIES = "reproduced with discrepancies"
NOT_REPRODUCIBLE = "not reproducible"
GRADES = (REPRODUCED, WITH_DISCREPANCIES, NOT_REPRODUCIBLE)
GRADE_COLUMNS = ["table", "grade", "reasons"]


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


def run_audit(data=None) -> pd.DataFrame:
    """One row per check, in a stable order: part 1 (printed totals), 2 (the text's counts), 3 (claims).

    `difference` is recomputed minus printed. The text-based parts 2 and 3 apply only to the
    paper's own data (a data set with the facts resource, for the shipped data's province); for
    any other data set they are listed with the verdict 'not applicable'. `attrs` carries the
    province, whether the text applied, and an inventory of the tables for `grade_tables`.
    """
    dataset = open_dataset(data)
    reference = open_dataset(None)
    applies, why_not = _text_applies(dataset, reference)
    rows = _total_checks(dataset)
    if applies:
        rows += _fact_checks(dataset.facts, dataset)
        rows += _claim_checks(load_claims(dataset), dataset)
    else:
        rows += _not_applicable(_fact_checks(reference.facts, None), why_not)
        rows += _not_applicable(_claim_checks(load_claims(dataset), None), why_not)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("printed", "recomputed", "difference"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    frame["part"] = frame["part"].astype("int64")
    frame["blank_inputs"] = frame["blank_inputs"].astype("int64")
    for column in ("kind", "table", "section", "location", "rule", "numbers", "note"):
        frame[column] = frame[column].fillna("").astype(object)
    frame.attrs = {
        "province": dataset.province,
        "source": dataset.source,
        "text_applies": applies,
        "text_not_applicable_because": why_not,
        "tables": _inventory(dataset),
    }
    return frame


def _text_applies(dataset: Dataset, reference: Dataset) -> tuple[bool, str]:
    if dataset.facts is None:
        return False, (f"the data set for {dataset.province} carries no facts resource (the counts the paper's text "
                       "states), so the text's counts and claims are not applied")
    if dataset.province != reference.province:
        return False, (f"the data set is for {dataset.province}; the paper's text describes {reference.province}, "
                       "so its counts and claims are not applied")
    return True, ""


def _inventory(dataset: Dataset) -> list[dict]:
    out = []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        spec = dataset.spec(name)
        rows = load_table(name, dataset)
        out.append({
            "table": f"Table {spec.number}", "name": name,
            "cells": int(len(rows)), "blank_cells": int(rows["value"].isna().sum()),
            "printed_totals": int(len(printed_totals(name, dataset))),
        })
    return out


def _row(**values) -> dict:
    out = dict.fromkeys(COLUMNS)
    out.update(blank_inputs=0)
    out.update(values)
    return out


# --- part 1: printed totals ---------------------------------------------------------------------

def _total_checks(dataset: Dataset) -> list[dict]:
    rows = []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        rows += [check for _, check in printed_total_checks(name, dataset)]
        rows += _heading_checks(dataset.spec(name), load_table(name, dataset))
    return rows


def printed_total_checks(name: str, data=None) -> list[tuple[str, dict]]:
    """Each printed total of one table against the sum of what it totals: (indicator, check row), as in part 1."""
    dataset = open_dataset(data)
    spec, table = dataset.spec(name), load_table(name, dataset)
    return [(total.indicator, _total_check(spec, table, total))
            for total in printed_totals(name, dataset).itertuples(index=False)]


def _members(spec: TableSpec, table: pd.DataFrame, indicator: str) -> tuple[list, list[str]]:
    """The values a total of `indicator` adds up, in the paper's order, and what each one is."""
    mine = table[table["indicator"] == indicator]
    if spec.keyed_by == "year":
        mine = mine.sort_values("year")
        return list(mine["value"]), [str(int(y)) for y in mine["year"]]
    labels = {g.name: g.label for g in spec.groups}
    return list(mine["value"]), [labels.get(g, g) for g in mine["group"]]


def _what_is_summed(spec: TableSpec, keys: list[str]) -> str:
    if spec.keyed_by == "year":
        return f"the {len(keys)} years {keys[0]}-{keys[-1]}" if keys else "the years"
    return f"the {len(keys)} {(spec.group_label or 'group').lower()} rows"


def _total_check(spec: TableSpec, table: pd.DataFrame, total) -> dict:
    indicator = spec.indicator(total.indicator)
    values, keys = _members(spec, table, indicator.name)
    over = _what_is_summed(spec, keys)
    if spec.printed_layout == "indicators_in_rows":
        location = f'row "{indicator.label}", {total.label} column'
    else:
        location = f'{total.label} row, column "{indicator.label}"'
    base = _row(check=f"T{spec.number}.total.{indicator.name}", part=1, kind="total", table=f"Table {spec.number}",
                section=spec.section, location=location, rule=f"printed total = sum of {over}", printed=total.value)
    blanks = [k for k, v in zip(keys, values) if pd.isna(v)]
    shown = " + ".join(fmt(v) for v in values)
    if spec.keyed_by == "year" and indicator.kind != "flow":
        return {**base, "verdict": NOT_CHECKABLE, "numbers": shown,
                "note": f'"{indicator.label}" is a {indicator.kind}, not a yearly flow: summed across years it has no meaning, so no sum can stand behind the printed total.'}
    if pd.isna(total.value):
        return {**base, "verdict": NOT_CHECKABLE, "numbers": shown, "note": "The total cell is blank; there is no printed total to compare."}
    if not values:
        return {**base, "verdict": NOT_CHECKABLE, "note": "The table has no rows for this total."}
    if blanks:
        return {**base, "verdict": NOT_CHECKABLE, "numbers": shown, "blank_inputs": len(blanks),
                "note": f"{_and(blanks)} {'is' if len(blanks) == 1 else 'are'} blank; a blank is not zero, so {over} cannot be summed."}
    recomputed = int(sum(int(v) for v in values))
    difference = recomputed - int(total.value)
    if difference == 0:
        verdict, note = CONSISTENT, f"The printed total equals the sum of {over}."
    else:
        verdict = INCONSISTENT
        note = (f"{over[0].upper() + over[1:]} sum to {fmt(recomputed)}, {abs(difference):,} "
                f"{'more' if difference > 0 else 'fewer'} than the {fmt(total.value)} printed.")
    return {**base, "recomputed": recomputed, "difference": difference, "verdict": verdict,
            "numbers": f"{shown} = {fmt(recomputed)}", "note": note}


def _heading_checks(spec: TableSpec, table: pd.DataFrame) -> list[dict]:
    """Rows printed under a heading named as a total, set against the other headed rows with the same sub-number.

    The paper never says which rows such a heading totals, so these are never checkable; the
    note says whether the numbers even allow it to be the total of the other headed rows.
    """
    if spec.keyed_by != "year" or not spec.headings:
        return []
    out = []
    for head, text in spec.headings.items():
        if not text.strip().lower().startswith("total"):
            continue
        for member in [i for i in spec.indicators if (i.printed_row or "").startswith(f"{head}.")]:
            sub = member.printed_row.split(".", 1)[1]
            parts = [i for i in spec.indicators
                     if i.printed_row and "." in i.printed_row and i.printed_row.split(".", 1)[1] == sub
                     and i.printed_row.split(".")[0] != head and i.printed_row.split(".")[0] in spec.headings]
            if parts:
                out.append(_heading_check(spec, table, head, text, member, parts))
    return out


_HEADING_PREAMBLE_END = "so no sum can be recomputed for it."


def _heading_check(spec, table, head, text, member, parts) -> dict:
    mine, keys = _members(spec, table, member.name)
    theirs = [_members(spec, table, p.name)[0] for p in parts]
    part_rows = [p.printed_row for p in parts]
    part_heads = [r.split(".")[0] for r in part_rows]
    expr = " + ".join(part_rows)
    shown, smaller, equal, blanks = [], [], [], 0
    for k, year in enumerate(keys):
        values = [m[k] for m in theirs]
        missing = sum(pd.isna(v) for v in [mine[k], *values])
        if missing:
            blanks += missing
            shown.append(f"{year}: {fmt(mine[k])} vs {' + '.join(fmt(v) for v in values)}")
            continue
        total = int(sum(int(v) for v in values))
        shown.append(f"{year}: {fmt(mine[k])} vs {' + '.join(fmt(v) for v in values)} = {fmt(total)}")
        if mine[k] < total:
            smaller.append(year)
        elif mine[k] == total:
            equal.append(year)
    note = f'Row {head} is printed as a total ("{text}"), but the table does not say which rows it totals, {_HEADING_PREAMBLE_END}'
    if smaller:
        note += (f" It cannot be the total of rows {_and(part_heads)}: {member.printed_row} is smaller than "
                 f"{expr} in {_and(smaller)}. Read as a category of its own.")
    elif blanks:
        note += " Some of these cells are blank, so the comparison is incomplete."
    elif len(equal) == len(keys):
        note += f" It equals {expr} in every year, so it may be their total."
    else:
        note += f" It is at least {expr} in every year, so it may include rows {_and(part_heads)} with other events."
    return _row(check=f"T{spec.number}.row{head}.{member.name}", part=1, kind="heading", table=f"Table {spec.number}",
                section=spec.section,
                location=f'row {head} "{text}", row {member.printed_row} "{member.label}", {keys[0]}-{keys[-1]}' if keys else f"row {head}",
                rule=f"if row {head} totals rows {_and(part_heads)}: {member.printed_row} = {expr} in each year",
                verdict=NOT_CHECKABLE, numbers="; ".join(shown), note=note, blank_inputs=blanks)


def _and(items) -> str:
    items = [str(i) for i in items]
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- part 2: counts the text states -------------------------------------------------------------

def _fact_checks(facts: pd.DataFrame, dataset: Dataset | None) -> list[dict]:
    """Each stated count against the table it describes, its stated parts, and the items it lists.

    With `dataset` None the checks are only listed (their verdicts are set by the caller).
    """
    facts = facts.reset_index(drop=True)
    by_name = {f["fact"]: f for f in facts.to_dict("records")}
    parts_of = {}
    for f in facts.to_dict("records"):
        if _present(f.get("part_of")):
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
        is_part = _present(fact.get("part_of")) and fact["part_of"] in by_name
        if not links and fact["fact"] not in parts_of and not items and not is_part:
            rows.append(_row(check=f"text.{fact['fact']}.unchecked", part=2, kind="unchecked", section=fact["section"],
                             location=f'"{fact["sentence"]}"', rule="nothing to check it against",
                             printed=fact["value"], verdict=NOT_CHECKABLE,
                             note="No table covers this count, and the text states no parts or list of it."))
    return rows


def _present(value) -> bool:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return False
    return str(value).strip() != ""


def _link_check(fact: dict, link: TextLink, dataset: Dataset | None) -> dict:
    slug = link.measure.replace(" ", "-")
    base = _row(check=f"text.{fact['fact']}.{link.table}-{slug}", part=2, kind="text vs table", section=fact["section"],
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
            values, keys = _members(spec, table, indicator.name)
            over = _what_is_summed(spec, keys)
            base["rule"] = f'the text\'s count = the sum of Table {spec.number}\'s "{indicator.label}" over {over}'
            blanks = [k for k, v in zip(keys, values) if pd.isna(v)]
            shown = " + ".join(fmt(v) for v in values)
            if blanks:
                return {**base, "verdict": NOT_CHECKABLE, "numbers": shown, "blank_inputs": len(blanks),
                        "note": f"{_and(blanks)} {'is' if len(blanks) == 1 else 'are'} blank; a blank is not zero, so the rows cannot be summed."}
            recomputed = int(sum(int(v) for v in values))
            base["numbers"] = f"{shown} = {fmt(recomputed)}"
        else:
            totals = printed_totals(link.table, dataset)
            mine = totals[totals["indicator"] == indicator.name]
            base["rule"] = f'the text\'s count = Table {spec.number}\'s printed total of "{indicator.label}"'
            if mine.empty or pd.isna(mine["value"].iloc[0]):
                return {**base, "verdict": NOT_CHECKABLE, "blank_inputs": 0 if mine.empty else 1,
                        "note": f"Table {spec.number} prints no total for this column." if mine.empty else "The printed total is blank."}
            recomputed = int(mine["value"].iloc[0])
            base["numbers"] = f"{mine['label'].iloc[0]} row: {fmt(recomputed)}"
    difference = recomputed - int(fact["value"])
    verdict = CONSISTENT if difference == 0 else INCONSISTENT
    note = (f"The text's {fact['printed']} matches Table {spec.number}." if difference == 0 else
            f"The text states {fmt(fact['value'])}; Table {spec.number} gives {fmt(recomputed)}.")
    return {**base, "recomputed": recomputed, "difference": difference, "verdict": verdict, "note": note}


def _sentences(*facts: dict) -> str:
    return " / ".join(f'"{s}"' for s in dict.fromkeys(f["sentence"] for f in facts))


def _parts_check(whole: dict, parts: list[dict], evaluate: bool) -> dict:
    names = " + ".join(p["fact"] for p in parts)
    base = _row(check=f"text.{whole['fact']}.parts", part=2, kind="parts", section=whole["section"],
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
                "numbers": f"{part['fact']} {fmt(part['value'])} {'<=' if holds else '>'} {whole['fact']} {fmt(whole['value'])}",
                "note": "The text gives only this part, so the check is that it does not exceed the whole."
                        + ("" if holds else f" It does: {fmt(part['value'])} of {fmt(whole['value'])}.")}
    recomputed = int(sum(int(p["value"]) for p in parts))
    difference = recomputed - int(whole["value"])
    shown = " + ".join(f"{fmt(p['value'])} ({p['fact']})" for p in parts)
    note = ("The stated parts add up to the stated whole." if difference == 0 else
            f"The parts add up to {fmt(recomputed)}, but the text states {fmt(whole['value'])}.")
    return {**base, "recomputed": recomputed, "difference": difference,
            "verdict": CONSISTENT if difference == 0 else INCONSISTENT,
            "numbers": f"{shown} = {fmt(recomputed)}", "note": note}


def _items_check(fact: dict, items: list[str], evaluate: bool) -> dict:
    base = _row(check=f"text.{fact['fact']}.items", part=2, kind="items", section=fact["section"],
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


# --- part 3: the claims ledger ------------------------------------------------------------------

def _claim_checks(ledger: pd.DataFrame, dataset: Dataset | None) -> list[dict]:
    rows = []
    for claim in ledger.to_dict("records"):
        testable = _present(claim.get("rule"))
        table = ""
        if dataset is not None and _present(claim.get("table")) and claim["table"] in dataset.table_names():
            table = f"Table {dataset.spec(claim['table']).number}"
        base = _row(check=f"claim.{claim['claim']}", part=3, kind="claim" if testable else "claim (untestable)",
                    table=table, section=claim["section"], location=f'"{claim["quote"]}"')
        if dataset is None:
            rule = RULES[claim["rule"]].summary if testable and claim["rule"] in RULES else "not testable with the tables"
            rows.append({**base, "rule": rule, "note": claim["reading"]})
            continue
        outcome = weigh_claim(claim, dataset)
        note = claim["reading"] if not testable else f"{outcome.note} Reading: {claim['reading']}"
        rows.append({**base, "rule": outcome.rule, "verdict": outcome.verdict, "numbers": outcome.numbers,
                     "note": note, "blank_inputs": outcome.blank_inputs})
    return rows


def _not_applicable(rows: list[dict], why: str) -> list[dict]:
    note = why[0].upper() + why[1:] + "."
    return [{**r, "table": r.get("table") or "", "printed": None, "recomputed": None, "difference": None,
             "verdict": NOT_APPLICABLE, "numbers": "", "note": note, "blank_inputs": 0} for r in rows]


# --- grades -------------------------------------------------------------------------------------

def grade_tables(audit: pd.DataFrame) -> pd.DataFrame:
    """A replication-report grade per table, from the printed-total checks and the text's counts about it.

    reproduced: nothing inconsistent and nothing left uncomputed for a blank cell;
    reproduced with discrepancies: a check is inconsistent, or some but not all of its numbers
    could be recomputed; not reproducible: none of its derived numbers could be recomputed, or
    every cell of the table is blank.
    Claims weigh the text's reading of a table, not the table, and do not enter the grade.
    """
    inventory = audit.attrs.get("tables") or [
        {"table": t, "cells": None, "blank_cells": 0, "printed_totals": None}
        for t in dict.fromkeys(audit.loc[audit["part"] == 1, "table"])
    ]
    records = []
    for entry in inventory:
        name = entry["table"]
        mine = audit[(audit["table"] == name) & audit["part"].isin([1, 2]) & (audit["verdict"] != NOT_APPLICABLE)]
        derived = mine[mine["kind"].isin(["total", "text vs table"])]
        inconsistent = mine[mine["verdict"] == INCONSISTENT]
        blocked = derived[(derived["verdict"] == NOT_CHECKABLE) & (derived["blank_inputs"] > 0)]
        consistent = derived[derived["verdict"] == CONSISTENT]
        reasons = []
        for check in inconsistent.itertuples():
            reasons.append(f"{check.location}: {check.numbers}, printed {fmt(check.printed)} (difference {int(check.difference):+,})"
                           if not pd.isna(check.difference) else f"{check.location}: {check.note}")
        for check in blocked.itertuples():
            reasons.append(f"{check.location}: cannot be recomputed, {check.blank_inputs} blank input(s)")
        totals = mine[mine["kind"] == "total"]
        if len(totals):
            reasons.append(f"{int((totals['verdict'] == CONSISTENT).sum())} of {len(totals)} printed totals equal the sum of their rows")
        else:
            reasons.append("prints no total row")
        text = mine[mine["kind"] == "text vs table"]
        if len(text):
            reasons.append(f"{int((text['verdict'] == CONSISTENT).sum())} of {len(text)} comparisons with the counts the text states agree")
        headings = mine[mine["kind"] == "heading"]
        for head in dict.fromkeys(h.split(".")[1] for h in headings["check"]):
            reasons.append(f"{head.replace('row', 'row ')} is printed as a total but the table does not say of what (not checkable)")
        if entry.get("blank_cells"):
            reasons.append(f"{entry['blank_cells']} of {entry['cells']} cells blank")
        elif entry.get("cells") and derived.empty:
            reasons.append(f"nothing derived to recompute; all {entry['cells']} cells present")
        all_blank = bool(entry.get("cells")) and entry.get("blank_cells") == entry.get("cells")
        if all_blank:
            grade = NOT_REPRODUCIBLE  # nothing was reported, so nothing can be reproduced
        elif len(inconsistent):
            grade = WITH_DISCREPANCIES
        elif len(blocked):
            grade = WITH_DISCREPANCIES if len(consistent) else NOT_REPRODUCIBLE
        else:
            grade = REPRODUCED
        records.append({"table": name, "grade": grade, "reasons": "; ".join(reasons)})
    return pd.DataFrame(records, columns=GRADE_COLUMNS)


# --- prose and rendering ------------------------------------------------------------------------

def verdict_counts(audit: pd.DataFrame) -> dict[str, int]:
    """How many checks got each verdict, in the fixed order of VERDICTS."""
    counts = audit["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in VERDICTS}


def _count_words(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {v}" for v, n in counts.items() if n)


def summary_line(audit: pd.DataFrame) -> str:
    """'52 checks on the data for Lao Cai: 20 consistent, 1 inconsistent, 31 not checkable.'"""
    province = audit.attrs.get("province", "this data set")
    return f"{len(audit)} checks on the data for {province}: {_count_words(verdict_counts(audit))}."


def findings_markdown(audit: pd.DataFrame, grades: pd.DataFrame) -> str:
    """A short narrative of the findings; every number in it is read from `audit` and `grades`."""
    out = [f"The audit ran {summary_line(audit)}"]

    totals = audit[audit["kind"] == "total"]
    if len(totals):
        bad = totals[totals["verdict"] == INCONSISTENT]
        ok = totals[totals["verdict"] == CONSISTENT]
        blocked = totals[totals["verdict"] == NOT_CHECKABLE]
        line = f"**Printed totals.** {len(ok)} of the {len(totals)} printed totals equal the sum of the rows or years they total."
        if len(bad):
            line += f" {len(bad)} {'does' if len(bad) == 1 else 'do'} not:"
        out.append(line)
        for check in bad.itertuples():
            out.append(f"- {check.table}, {check.location}: {check.numbers}, printed {fmt(check.printed)} "
                       f"(the {'sum exceeds' if check.difference > 0 else 'sum falls short of'} the printed total by {abs(int(check.difference)):,}).")
        if len(blocked):
            out.append(f"{len(blocked)} cannot be recomputed:")
        for check in blocked.itertuples():
            out.append(f"- {check.table}, {check.location}: {check.note}")
    else:
        out.append("**Printed totals.** The tables print no totals.")

    headings = audit[audit["kind"] == "heading"]
    if len(headings):
        out.append(f"**Rows printed as totals of unstated rows.** {len(headings)} "
                   f"{'row is' if len(headings) == 1 else 'rows are'} not checkable: the table does not say what they total.")
        for check in headings.itertuples():
            conclusion = check.note.split(_HEADING_PREAMBLE_END)[-1].strip()
            out.append(f"- {check.table}, {check.location}: {conclusion} {check.numbers}.")

    part2 = audit[audit["part"] == 2]
    part3 = audit[audit["part"] == 3]
    if len(part2) and (part2["verdict"] == NOT_APPLICABLE).all():
        why = audit.attrs.get("text_not_applicable_because") or "the data set is not the paper's"
        out.append(f"**The paper's text.** Not applied: {why} ({len(part2)} count checks and {len(part3)} claims listed as not applicable).")
    else:
        checked = part2[part2["verdict"].isin([CONSISTENT, INCONSISTENT])]
        bad = part2[part2["verdict"] == INCONSISTENT]
        unchecked = part2[part2["verdict"] == NOT_CHECKABLE]
        line = (f"**Counts in the text.** {len(checked)} checks of the counts the text states, against the tables and "
                f"against their own stated parts and lists: {int((checked['verdict'] == CONSISTENT).sum())} consistent, "
                f"{len(bad)} inconsistent.")
        if len(unchecked):
            line += f" {len(unchecked)} counts have nothing to be checked against."
        out.append(line)
        for check in bad.itertuples():
            out.append(f"- Section {check.section}, {check.rule}: {check.numbers}; {check.note}")

        testable = part3[part3["kind"] == "claim"]
        untestable = part3[part3["kind"] != "claim"]
        counts = verdict_counts(testable)
        line = (f"**Claims.** The ledger holds {len(part3)} statements about trends or effects. "
                f"{len(testable)} can be tested against the tables: {_count_words(counts) or 'none'}. "
                f"{len(untestable)} cannot be tested with the tables; the ledger lists each with the reason.")
        out.append(line)
        for check in testable[testable["verdict"] != CONSISTENT].itertuples():
            out.append(f"- Section {check.section}, {check.location}, tested as \"{check.rule}\" on {check.table}: "
                       f"{check.verdict}. {check.numbers}. {check.note.split(' Reading:')[0]}")
        for check in testable[testable["verdict"] == CONSISTENT].itertuples():
            out.append(f"- Section {check.section}, {check.location}: {check.rule} ({check.table}); consistent.")

    grade_words = "; ".join(f"{g.table} {g.grade}" for g in grades.itertuples())
    out.append(f"**Grades.** {grade_words}." if grade_words else "**Grades.** No tables.")
    return "\n\n".join(_join_bullets(out))


def _join_bullets(blocks: list[str]) -> list[str]:
    """Consecutive bullet lines form one Markdown list (no blank lines between them)."""
    joined: list[str] = []
    for block in blocks:
        if block.startswith("- ") and joined and joined[-1].split("\n")[-1].startswith("- "):
            joined[-1] += "\n" + block
        else:
            joined.append(block)
    return joined


def _display(audit: pd.DataFrame) -> pd.DataFrame:
    number = lambda v: "" if pd.isna(v) else f"{int(v):,}"
    signed = lambda v: "" if pd.isna(v) else f"{int(v):+,}"
    where = [", ".join(p for p in (t, f"section {s}" if s else "", loc) if p)
             for t, s, loc in zip(audit["table"], audit["section"], audit["location"])]
    return pd.DataFrame({
        "Check": audit["check"], "Where": where, "Rule": audit["rule"],
        "Printed": audit["printed"].map(number), "Recomputed": audit["recomputed"].map(number),
        "Difference": audit["difference"].map(signed), "Verdict": audit["verdict"],
        "Numbers": audit["numbers"], "Note": audit["note"],
    })


def audit_markdown(audit: pd.DataFrame, grades: pd.DataFrame) -> str:
    """The whole audit, pasteable into a review: grades, the checks by part, and the findings."""
    from .formatting import markdown_table

    province = audit.attrs.get("province", "")
    blocks = [f"## Audit of the tables{' for ' + province if province else ''}", summary_line(audit),
              "Differences are recomputed minus printed. A blank input makes a check not checkable; it is never counted as zero.",
              "### Grades", markdown_table(grades.rename(columns=str.capitalize)), "### Checks"]
    display = _display(audit)
    for part, title in PARTS.items():
        mine = display[audit["part"].to_numpy() == part]
        if len(mine):
            blocks += [f"#### {part}. {title}", markdown_table(mine)]
    blocks += ["### Findings", findings_markdown(audit, grades)]
    return "\n\n".join(blocks) + "\n"


def audit_text(audit: pd.DataFrame, grades: pd.DataFrame, width: int = 80) -> str:
    """The audit for a terminal: grades first, then one short block per check, wrapped to `width`."""
    import textwrap

    wrap = lambda text, indent: textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent,
                                              break_long_words=False, break_on_hyphens=False)
    lines = [wrap(f"Audit: {summary_line(audit)}", ""), wrap("Differences are recomputed minus printed; a blank is never counted as zero.", ""), "", "Grades"]
    for g in grades.itertuples():
        lines.append(f"  {g.table:<9}{g.grade}")
        lines.append(wrap(g.reasons, " " * 11))
    for part, title in PARTS.items():
        mine = audit[audit["part"] == part]
        if mine.empty:
            continue
        lines += ["", f"{part}. {title}", "-" * min(width, 80)]
        for n, check in enumerate(mine.itertuples()):
            if n:
                lines.append("")
            head = ", ".join(p for p in (check.table, f"section {check.section}" if check.section else "") if p)
            first = f"{check.verdict.upper():<15}{check.check}"
            if head and len(first) + len(head) + 4 <= width:
                lines.append(f"{first}  [{head}]")
            else:
                lines += [first] + ([f"    [{head}]"] if head else [])
            lines.append(wrap(check.location, "    "))
            if check.rule:
                lines.append(wrap(f"rule: {check.rule}", "    "))
            figures = [f"{label} {value}" for label, value in (
                ("printed", "" if pd.isna(check.printed) else f"{int(check.printed):,}"),
                ("recomputed", "" if pd.isna(check.recomputed) else f"{int(check.recomputed):,}"),
                ("difference", "" if pd.isna(check.difference) else f"{int(check.difference):+,}")) if value]
            if figures:
                lines.append("    " + "   ".join(figures))
            if check.numbers:
                lines.append(wrap(check.numbers, "    "))
            if check.note:
                lines.append(wrap(check.note, "    "))
    return "\n".join(lines) + "\n"
