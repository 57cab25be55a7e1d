"""The whole audit: its four parts run in order, and a replication grade per table."""
from __future__ import annotations

import pandas as pd

from ..data.dataset import Dataset, as_dataset, open_dataset
from ..data.loaders import load_table, printed_totals
from ..data.sources import table_origins
from ..text import NC_, _, in_data_language, language, number, use_language
from .claims import RULES, fmt, load_claims, weigh_claim
from .common import (
    COLUMNS,
    CONSISTENT,
    INCONSISTENT,
    NOT_APPLICABLE,
    NOT_CHECKABLE,
    check_row,
    present,
)
from .facts import fact_checks
from .statements import claims_contradicted, load_statements, statement_checks
from .totals import total_checks

# Grades are fixed English codes in grades.csv; reports show them in their language (pgettext "grade").
REPRODUCED = NC_("grade", "reproduced")
WITH_DISCREPANCIES = NC_("grade", "reproduced with discrepancies")
NOT_REPRODUCIBLE = NC_("grade", "not reproducible")
GRADES = (REPRODUCED, WITH_DISCREPANCIES, NOT_REPRODUCIBLE)
GRADE_COLUMNS = ["table", "grade", "reasons"]


@in_data_language
def run_audit(dataset: Dataset) -> pd.DataFrame:
    """One row per check, in a stable order: part 1 (printed totals), 2 (the text's counts), 3 (claims), 4 (the text
    against itself).

    `difference` is recomputed minus printed. The text-based parts 2 to 4 apply only to the
    paper's own data (a data set with the facts resource, for the shipped data's province); for
    any other data set they are listed with the verdict 'not applicable'. `attrs` carries the
    province, whether the text applied, an inventory of the tables for `grade_tables`, and the language its prose
    (locations, rules, notes) is written in: the data's, which the audit's reports keep.
    """
    dataset = as_dataset(dataset)
    reference = open_dataset()
    applies, why_not = _text_applies(dataset, reference)
    rows = total_checks(dataset)
    statements = load_statements(dataset)
    if applies:
        rows += fact_checks(dataset.facts, dataset)
        rows += _claim_checks(load_claims(dataset), dataset, claims_contradicted(statements))
        rows += statement_checks(statements)
    else:
        # The text's checks concern the paper's text: said once, not repeated for each of them.
        rows += [_text_scope(dataset, reference, why_not)] + _source_checks(dataset)
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
        "language": language(),
    }
    return frame


def _text_applies(dataset: Dataset, reference: Dataset) -> tuple[bool, str]:
    if dataset.facts is None:
        return False, _("the data set for {province} carries no facts resource (the counts the paper's text states), so the "
                        "text's counts and claims are not applied").format(province=dataset.province)
    if dataset.province != reference.province:
        return False, _("the data set is for {province}; the paper's text describes {paper_province}, so its counts and claims "
                        "are not applied").format(province=dataset.province, paper_province=reference.province)
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



# --- part 3: the claims ledger ------------------------------------------------------------------

def _claim_checks(ledger: pd.DataFrame, dataset: Dataset | None, contradicted: dict | None = None) -> list[dict]:
    rows = []
    for claim in ledger.to_dict("records"):
        testable = present(claim.get("rule"))
        table = ""
        if dataset is not None and present(claim.get("table")) and claim["table"] in dataset.table_names():
            table = f"Table {dataset.spec(claim['table']).number}"
        base = check_row(check=f"claim.{claim['claim']}", part=3, kind="claim" if testable else "claim (untestable)",
                    table=table, section=claim["section"], location=f'"{claim["quote"]}"')
        if dataset is None:
            rule = RULES[claim["rule"]].summary if testable and claim["rule"] in RULES else "not testable with the tables"
            rows.append({**base, "rule": rule, "note": claim["reading"]})
            continue
        outcome = weigh_claim(claim, dataset)
        note = claim["reading"] if not testable else f"{outcome.note} Reading: {claim['reading']}"
        if (contradicted or {}).get(claim["claim"]):
            pairs = ", ".join((contradicted or {})[claim["claim"]])
            note += (f" The text contradicts this statement elsewhere ({pairs}, part 4); the verdict here means only "
                     "that the tables do not contradict it.")
        rows.append({**base, "rule": outcome.rule, "verdict": outcome.verdict, "numbers": outcome.numbers,
                     "note": note, "blank_inputs": outcome.blank_inputs})
    return rows


def _text_scope(dataset: Dataset, reference: Dataset, why: str) -> dict:
    """One row saying that the paper's text checks were not applied, how many there are, and why."""
    counts = len(fact_checks(reference.facts, None))
    claims = len(load_claims(reference))
    note = _("{why}. The paper's {counts} checks of the counts its text states and its {claims} claims concern the paper's "
             "text about {paper_province}, not these data.").format(why=why[0].upper() + why[1:], counts=counts, claims=claims,
                                                                    paper_province=reference.province)
    return {**check_row(check="text.scope", part=2, kind="scope", table="", section="", location=_("the paper's text")),
            "rule": _("the paper's text checks apply to the paper's own data only"), "verdict": NOT_APPLICABLE,
            "numbers": "", "note": note, "blank_inputs": 0}


def _source_checks(dataset: Dataset) -> list[dict]:
    """For data that are not the paper's: whether each table with figures says where they come from."""
    rows = []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        spec = dataset.spec(name)
        if not load_table(name, dataset)["value"].notna().any():
            continue
        origins = table_origins(dataset, name)
        base = check_row(check=f"source.{name}", part=2, kind="source", table=f"Table {spec.number}", section="",
                         location=_("sheet '{sheet}'").format(sheet=spec.path) if spec.path else name)
        rows.append({**base, "rule": _("the figures name their source (the Source line or the Sources sheet)"),
                     "verdict": CONSISTENT if origins else NOT_CHECKABLE, "numbers": "; ".join(origins),
                     "note": "" if origins else _("no source stated: write it after 'Source:' on the table's sheet, or on the Sources sheet"),
                     "blank_inputs": 0})
    return rows


# --- grades -------------------------------------------------------------------------------------

def grade_tables(audit: pd.DataFrame) -> pd.DataFrame:
    """A replication-report grade per table, from the printed-total checks and the text's counts about it.

    reproduced: nothing inconsistent and nothing left uncomputed for a blank cell;
    reproduced with discrepancies: a check is inconsistent, or some but not all of its numbers
    could be recomputed; not reproducible: none of its derived numbers could be recomputed, or
    every cell of the table is blank.
    Claims weigh the text's reading of a table, not the table, and do not enter the grade. The reasons are written in
    the audit's language.
    """
    with use_language(audit.attrs.get("language")):
        return _grade_tables(audit)


def signed(value) -> str:
    """A difference with its sign, in the current language's digits: '+1,263', '-5'."""
    return ("+" if value >= 0 else "") + number(int(value))


def _grade_tables(audit: pd.DataFrame) -> pd.DataFrame:
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
            reasons.append(_("{location}: {numbers}, printed {printed} (difference {difference})").format(
                location=check.location, numbers=check.numbers, printed=fmt(check.printed), difference=signed(check.difference))
                           if not pd.isna(check.difference) else f"{check.location}: {check.note}")
        for check in blocked.itertuples():
            reasons.append(_("{location}: cannot be recomputed, {count} blank input(s)").format(location=check.location, count=check.blank_inputs))
        totals = mine[mine["kind"] == "total"]
        if len(totals):
            reasons.append(_("{equal} of {count} printed totals equal the sum of their rows").format(
                equal=int((totals['verdict'] == CONSISTENT).sum()), count=len(totals)))
        else:
            reasons.append(_("prints no total row"))
        text = mine[mine["kind"] == "text vs table"]
        if len(text):
            reasons.append(_("{agree} of {count} comparisons with the counts the text states agree").format(
                agree=int((text['verdict'] == CONSISTENT).sum()), count=len(text)))
        headings = mine[mine["kind"] == "heading"]
        for head in dict.fromkeys(h.split(".")[1] for h in headings["check"]):
            reasons.append(_("row {head} is printed as a total but the table does not say of what (not checkable)").format(
                head=head.removeprefix("row")))
        if entry.get("blank_cells"):
            reasons.append(_("{blank} of {count} cells blank").format(blank=entry['blank_cells'], count=entry['cells']))
        elif entry.get("cells") and derived.empty:
            reasons.append(_("nothing derived to recompute; all {count} cells present").format(count=entry['cells']))
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


