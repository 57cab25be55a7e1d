"""The audit for people: counts of verdicts, a short narrative of the findings, Markdown and terminal renderings."""
from __future__ import annotations

import pandas as pd

from ..text import escape_markdown, markdown_table
from .claims import fmt
from .common import (
    CONSISTENT,
    INCONSISTENT,
    NOT_APPLICABLE,
    NOT_CHECKABLE,
    PARTS,
    VERDICT_MEANINGS,
    VERDICTS,
)
from .totals import HEADING_PREAMBLE_END


def verdict_counts(audit: pd.DataFrame) -> dict[str, int]:
    """How many checks got each verdict, in the fixed order of VERDICTS."""
    counts = audit["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in VERDICTS}


def _count_words(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {v}" for v, n in counts.items() if n)


def summary_line(audit: pd.DataFrame, *, markdown: bool = False) -> str:
    """'52 checks on the data for Lao Cai: 20 consistent, 1 inconsistent, 31 not checkable.' (the name escaped for Markdown)"""
    province = audit.attrs.get("province", "this data set")
    province = escape_markdown(province) if markdown else province
    return f"{len(audit)} checks on the data for {province}: {_count_words(verdict_counts(audit))}."


def findings_markdown(audit: pd.DataFrame, grades: pd.DataFrame) -> str:
    """A short narrative of the findings; every number in it is read from `audit` and `grades`."""
    out = [f"The audit ran {summary_line(audit, markdown=True)}"]
    md = escape_markdown  # table names, locations and notes of part 1 quote the data's own labels

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
            out.append(f"- {md(check.table)}, {md(check.location)}: {md(check.numbers)}, printed {fmt(check.printed)} "
                       f"(the {'sum exceeds' if check.difference > 0 else 'sum falls short of'} the printed total by {abs(int(check.difference)):,}).")
        if len(blocked):
            out.append(f"{len(blocked)} cannot be recomputed:")
        for check in blocked.itertuples():
            out.append(f"- {md(check.table)}, {md(check.location)}: {md(check.note)}")
    else:
        out.append("**Printed totals.** The tables print no totals.")

    headings = audit[audit["kind"] == "heading"]
    if len(headings):
        out.append(f"**Rows printed as totals of unstated rows.** {len(headings)} "
                   f"{'row is' if len(headings) == 1 else 'rows are'} not checkable: the table does not say what they total.")
        for check in headings.itertuples():
            conclusion = check.note.split(HEADING_PREAMBLE_END)[-1].strip()
            out.append(f"- {md(check.table)}, {md(check.location)}: {md(conclusion)} {md(check.numbers)}.")

    part2 = audit[audit["part"] == 2]
    part3 = audit[audit["part"] == 3]
    if len(part2) and (part2["verdict"] == NOT_APPLICABLE).all():
        why = audit.attrs.get("text_not_applicable_because") or "the data set is not the paper's"
        out.append(f"**The paper's text.** Not applied: {md(why)} ({len(part2)} count checks and {len(part3)} claims listed as not applicable).")
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
        results = part3[part3["section"].str.match(r"[34]\b")]
        weighed = results[results["kind"] == "claim"]
        line = (f"**Claims.** The ledger holds {len(part3)} evaluative statements of the text; {len(results)} of them are "
                f"in the results and discussion (sections 3 and 4), and the tables can weigh {len(weighed)} of those. "
                f"Of the {len(testable)} weighed in all: {_count_words(counts) or 'none'} (consistent means only that "
                f"the tables do not contradict the statement). {len(untestable)} cannot be weighed with the tables; each is "
                f"listed below with the reason.")
        out.append(line)
        for check in testable[testable["verdict"] != CONSISTENT].itertuples():
            out.append(f"- Section {check.section}, {check.location}, tested as \"{check.rule}\" on {check.table}: "
                       f"{check.verdict}. {check.numbers}. {check.note.split(' Reading:')[0]}")
        for check in testable[testable["verdict"] == CONSISTENT].itertuples():
            out.append(f"- Section {check.section}, {check.location}: {check.rule} ({check.table}); consistent.")
        out.append("Not weighable with the tables:")
        for check in untestable.itertuples():
            out.append(f"- Section {check.section}, {check.location}: {check.note}")

        part4 = audit[audit["part"] == 4]
        if len(part4):
            bad = part4[part4["verdict"] == INCONSISTENT]
            out.append(f"**The text against itself.** {len(part4)} pairs of statements set against each other: "
                       f"{_count_words(verdict_counts(part4))}.")
            for check in part4.itertuples():
                out.append(f"- Sections {check.section}: {check.verdict}. {check.location}. {check.note}")

    grade_words = "; ".join(f"{g.table} {g.grade}" for g in grades.itertuples())
    out.append(f"**Grades.** {grade_words}." if grade_words else "**Grades.** No tables.")
    return "\n\n".join(_join_bullets(out))


VERDICT_NOTE = "Verdicts: " + "; ".join(f"{verdict}: {meaning}" for verdict, meaning in VERDICT_MEANINGS.items()) + "."


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
    province = escape_markdown(audit.attrs.get("province", ""))
    blocks = [f"## Audit of the tables{' for ' + province if province else ''}", summary_line(audit, markdown=True),
              "Differences are recomputed minus printed. A blank input makes a check not checkable; it is never counted as zero.",
              VERDICT_NOTE,
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
    lines = [wrap(f"Audit: {summary_line(audit)}", ""), wrap("Differences are recomputed minus printed; a blank is never counted as zero.", ""),
             wrap(VERDICT_NOTE, ""), "", "Grades"]
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
