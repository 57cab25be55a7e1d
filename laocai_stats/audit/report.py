"""The audit for people: counts of verdicts, a short narrative of the findings, Markdown and terminal renderings."""
from __future__ import annotations

import pandas as pd

import functools
import re

from ..text import _, escape_markdown, markdown_table, number, pgettext, use_language
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
from .checks import signed
from .totals import HEADING_PREAMBLE_END


def in_audit_language(func):
    """Run `func` in the language the audit's prose was written in (`run_audit` records it in `attrs`)."""
    @functools.wraps(func)
    def wrapper(audit, *args, **kwargs):
        with use_language(audit.attrs.get("language")):
            return func(audit, *args, **kwargs)
    return wrapper


def verdict(value: str) -> str:
    """A verdict (a fixed English code in audit.csv) as a word of the current language."""
    return pgettext("verdict", value)


def table_name(value: str) -> str:
    """'Table 2' (the audit's key) as the current language writes it."""
    found = re.fullmatch(r"Table (\d+)", value or "")
    return _("Table {number}").format(number=found.group(1)) if found else value


def verdict_counts(audit: pd.DataFrame) -> dict[str, int]:
    """How many checks got each verdict, in the fixed order of VERDICTS."""
    counts = audit["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in VERDICTS}


def _count_words(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {verdict(v)}" for v, n in counts.items() if n)


@in_audit_language
def summary_line(audit: pd.DataFrame, *, markdown: bool = False) -> str:
    """'52 checks on the data for Lao Cai: 20 consistent, 1 inconsistent, 31 not checkable.' (the name escaped for Markdown)"""
    province = audit.attrs.get("province") or _("this data set")
    province = escape_markdown(province) if markdown else province
    return _("{count} checks on the data for {province}: {verdicts}.").format(
        count=len(audit), province=province, verdicts=_count_words(verdict_counts(audit)))


@in_audit_language
def findings_markdown(audit: pd.DataFrame, grades: pd.DataFrame) -> str:
    """A short narrative of the findings; every number in it is read from `audit` and `grades`."""
    out = [_("The audit ran {summary}").format(summary=summary_line(audit, markdown=True))]
    md = escape_markdown  # table names, locations and notes of part 1 quote the data's own labels

    totals = audit[audit["kind"] == "total"]
    if len(totals):
        bad = totals[totals["verdict"] == INCONSISTENT]
        ok = totals[totals["verdict"] == CONSISTENT]
        blocked = totals[totals["verdict"] == NOT_CHECKABLE]
        line = _("**Printed totals.** {equal} of the {count} printed totals equal the sum of the rows or years they total.").format(
            equal=len(ok), count=len(totals))
        if len(bad):
            line += " " + (_("{count} does not:") if len(bad) == 1 else _("{count} do not:")).format(count=len(bad))
        out.append(line)
        for check in bad.itertuples():
            sentence = (_("- {table}, {location}: {numbers}, printed {printed} (the sum exceeds the printed total by {difference}).")
                        if check.difference > 0 else
                        _("- {table}, {location}: {numbers}, printed {printed} (the sum falls short of the printed total by {difference})."))
            out.append(sentence.format(table=md(table_name(check.table)), location=md(check.location), numbers=md(check.numbers),
                                       printed=fmt(check.printed), difference=number(abs(int(check.difference)))))
        if len(blocked):
            out.append(_("{count} cannot be recomputed:").format(count=len(blocked)))
        for check in blocked.itertuples():
            out.append(f"- {md(table_name(check.table))}, {md(check.location)}: {md(check.note)}")
    else:
        out.append(_("**Printed totals.** The tables print no totals."))

    headings = audit[audit["kind"] == "heading"]
    if len(headings):
        out.append((_("**Rows printed as totals of unstated rows.** {count} row is not checkable: the table does not say what it totals.")
                    if len(headings) == 1 else
                    _("**Rows printed as totals of unstated rows.** {count} rows are not checkable: the table does not say what they total."))
                   .format(count=len(headings)))
        for check in headings.itertuples():
            conclusion = check.note.split(_(HEADING_PREAMBLE_END))[-1].strip()
            out.append(f"- {md(table_name(check.table))}, {md(check.location)}: {md(conclusion)} {md(check.numbers)}.")

    part2 = audit[audit["part"] == 2]
    part3 = audit[audit["part"] == 3]
    scope = part2[part2["kind"] == "scope"]
    if len(scope):
        out.append(_("**The paper's text.** Not applied: {why}").format(why=md(scope['note'].iloc[0])))
        sources = part2[part2["kind"] == "source"]
        if len(sources):
            stated = int((sources["verdict"] == CONSISTENT).sum())
            out.append(_("**Sources.** {stated} of {count} tables with figures name their source.").format(stated=stated, count=len(sources)))
            for check in sources[sources["verdict"] != CONSISTENT].itertuples():
                out.append(f"- {md(table_name(check.table))}, {md(check.location)}: {md(check.note)}.")
    elif len(part2) and (part2["verdict"] == NOT_APPLICABLE).all():
        why = audit.attrs.get("text_not_applicable_because") or _("the data set is not the paper's")
        out.append(_("**The paper's text.** Not applied: {why}.").format(why=md(why)))
    else:
        checked = part2[part2["verdict"].isin([CONSISTENT, INCONSISTENT])]
        bad = part2[part2["verdict"] == INCONSISTENT]
        unchecked = part2[part2["verdict"] == NOT_CHECKABLE]
        line = _("**Counts in the text.** {checked} checks of the counts the text states, against the tables and against their "
                 "own stated parts and lists: {consistent} {consistent_word}, {inconsistent} {inconsistent_word}.").format(
            checked=len(checked), consistent=int((checked['verdict'] == CONSISTENT).sum()), consistent_word=verdict(CONSISTENT),
            inconsistent=len(bad), inconsistent_word=verdict(INCONSISTENT))
        if len(unchecked):
            line += " " + _("{count} counts have nothing to be checked against.").format(count=len(unchecked))
        out.append(line)
        for check in bad.itertuples():
            out.append(_("- Section {section}, {rule}: {numbers}; {note}").format(section=check.section, rule=check.rule,
                                                                                  numbers=check.numbers, note=check.note))

        testable = part3[part3["kind"] == "claim"]
        untestable = part3[part3["kind"] != "claim"]
        counts = verdict_counts(testable)
        results = part3[part3["section"].str.match(r"[34]\b")]
        weighed = results[results["kind"] == "claim"]
        line = _("**Claims.** The ledger holds {count} evaluative statements of the text; {results} of them are in the results "
                 "and discussion (sections 3 and 4), and the tables can weigh {weighed} of those. Of the {testable} weighed in "
                 "all: {verdicts} ({consistent} means only that the tables do not contradict the statement). {untestable} cannot "
                 "be weighed with the tables; each is listed below with the reason.").format(
            count=len(part3), results=len(results), weighed=len(weighed), testable=len(testable),
            verdicts=_count_words(counts) or _("none"), consistent=verdict(CONSISTENT), untestable=len(untestable))
        out.append(line)
        for check in testable[testable["verdict"] != CONSISTENT].itertuples():
            out.append(_('- Section {section}, {location}, tested as "{rule}" on {table}: {verdict}. {numbers}. {note}').format(
                section=check.section, location=check.location, rule=check.rule, table=table_name(check.table),
                verdict=verdict(check.verdict), numbers=check.numbers, note=check.note.split(' Reading:')[0]))
        for check in testable[testable["verdict"] == CONSISTENT].itertuples():
            out.append(_("- Section {section}, {location}: {rule} ({table}); {verdict}.").format(
                section=check.section, location=check.location, rule=check.rule, table=table_name(check.table), verdict=verdict(CONSISTENT)))
        out.append(_("Not weighable with the tables:"))
        for check in untestable.itertuples():
            out.append(_("- Section {section}, {location}: {note}").format(section=check.section, location=check.location, note=check.note))

        part4 = audit[audit["part"] == 4]
        if len(part4):
            bad = part4[part4["verdict"] == INCONSISTENT]
            out.append(_("**The text against itself.** {count} pairs of statements set against each other: {verdicts}.").format(
                count=len(part4), verdicts=_count_words(verdict_counts(part4))))
            for check in part4.itertuples():
                out.append(_("- Sections {section}: {verdict}. {location}. {note}").format(
                    section=check.section, verdict=verdict(check.verdict), location=check.location, note=check.note))

    grade_words = "; ".join(f"{table_name(g.table)} {pgettext('grade', g.grade)}" for g in grades.itertuples())
    out.append(_("**Grades.** {grades}.").format(grades=grade_words) if grade_words else _("**Grades.** No tables."))
    return "\n\n".join(_join_bullets(out))


def verdict_note() -> str:
    """What each verdict means, in the current language."""
    return _("Verdicts: {meanings}.").format(meanings="; ".join(f"{verdict(v)}: {_(meaning)}" for v, meaning in VERDICT_MEANINGS.items()))


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
    count = lambda v: "" if pd.isna(v) else number(int(v))
    difference = lambda v: "" if pd.isna(v) else signed(v)
    where = [", ".join(p for p in (table_name(t), _("section {section}").format(section=s) if s else "", loc) if p)
             for t, s, loc in zip(audit["table"], audit["section"], audit["location"])]
    return pd.DataFrame({
        _("Check"): audit["check"], _("Where"): where, _("Rule"): audit["rule"],
        _("Printed"): audit["printed"].map(count), _("Recomputed"): audit["recomputed"].map(count),
        _("Difference"): audit["difference"].map(difference), _("Verdict"): audit["verdict"].map(verdict),
        _("Numbers"): audit["numbers"], _("Note"): audit["note"],
    })


@in_audit_language
def audit_markdown(audit: pd.DataFrame, grades: pd.DataFrame) -> str:
    """The whole audit, pasteable into a review: grades, the checks by part, and the findings, in the audit's language."""
    province = escape_markdown(audit.attrs.get("province", ""))
    grades_shown = pd.DataFrame({_("Table"): grades["table"].map(table_name), _("Grade"): grades["grade"].map(lambda g: pgettext("grade", g)),
                                 _("Reasons"): grades["reasons"]})
    blocks = [_("## Audit of the tables for {province}").format(province=province) if province else _("## Audit of the tables"),
              summary_line(audit, markdown=True),
              _("Differences are recomputed minus printed. A blank input makes a check not checkable; it is never counted as zero."),
              verdict_note(),
              _("### Grades"), markdown_table(grades_shown), _("### Checks")]
    display = _display(audit)
    for part, title in PARTS.items():
        mine = display[audit["part"].to_numpy() == part]
        if len(mine):
            blocks += [f"#### {part}. {_(title)}", markdown_table(mine)]
    blocks += [_("### Findings"), findings_markdown(audit, grades)]
    return "\n\n".join(blocks) + "\n"


@in_audit_language
def audit_text(audit: pd.DataFrame, grades: pd.DataFrame, width: int = 80) -> str:
    """The audit for a terminal: grades first, then one short block per check, wrapped to `width`."""
    import textwrap

    wrap = lambda text, indent: textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent,
                                              break_long_words=False, break_on_hyphens=False)
    lines = [wrap(_("Audit: {summary}").format(summary=summary_line(audit)), ""),
             wrap(_("Differences are recomputed minus printed; a blank is never counted as zero."), ""),
             wrap(verdict_note(), ""), "", _("Grades")]
    for g in grades.itertuples():
        lines.append(f"  {table_name(g.table):<9}{pgettext('grade', g.grade)}")
        lines.append(wrap(g.reasons, " " * 11))
    for part, title in PARTS.items():
        mine = audit[audit["part"] == part]
        if mine.empty:
            continue
        lines += ["", f"{part}. {_(title)}", "-" * min(width, 80)]
        for n, check in enumerate(mine.itertuples()):
            if n:
                lines.append("")
            head = ", ".join(p for p in (table_name(check.table), _("section {section}").format(section=check.section) if check.section else "") if p)
            word = verdict(check.verdict).upper()
            first = f"{word:<15}{check.check}" if len(word) < 15 else f"{word} {check.check}"
            if head and len(first) + len(head) + 4 <= width:
                lines.append(f"{first}  [{head}]")
            else:
                lines += [first] + ([f"    [{head}]"] if head else [])
            lines.append(wrap(check.location, "    "))
            if check.rule:
                lines.append(wrap(_("rule: {rule}").format(rule=check.rule), "    "))
            figures = [f"{label} {value}" for label, value in (
                (_("printed"), "" if pd.isna(check.printed) else number(int(check.printed))),
                (_("recomputed"), "" if pd.isna(check.recomputed) else number(int(check.recomputed))),
                (_("difference"), "" if pd.isna(check.difference) else signed(check.difference))) if value]
            if figures:
                lines.append("    " + "   ".join(figures))
            if check.numbers:
                lines.append(wrap(check.numbers, "    "))
            if check.note:
                lines.append(wrap(check.note, "    "))
    return "\n".join(lines) + "\n"
