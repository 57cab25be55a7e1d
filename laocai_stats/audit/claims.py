"""The claims ledger (the text's statements about trends and effects) and the named rules that weigh them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from ..data.dataset import Dataset, default_data_dir
from ..data.package import DESCRIPTOR, read_descriptor, read_resource
from ..data.specs import IndicatorSpec, TableSpec
from ..errors import DataError, LaocaiError
from ..text import _, number
from .common import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, and_list

LEDGER_RESOURCE = "claims"
LEDGER_COLUMNS = ["claim", "section", "quote", "table", "indicators", "rule", "reading"]


def load_claims(data=None) -> pd.DataFrame:
    """The claims ledger: the `claims` resource of the package `data` names, else the shipped one.

    `data` may be None, a package folder or descriptor, or a Dataset; a data set that is not a
    package (a workbook) or has no ledger gets the shipped ledger, which transcribes this paper.
    Blank cells are <NA>; `indicators` stays a '; '-separated string.
    """
    return load_text_resource(data, LEDGER_RESOURCE, LEDGER_COLUMNS)


def load_text_resource(data, name: str, columns: list[str]) -> pd.DataFrame:
    """A resource about the paper's text (`claims`, `statements`) from the package `data` names, else the shipped one."""
    folder = _package_folder(data)
    resource = _resource(folder, name) if folder is not None else None
    if resource is None:
        folder = default_data_dir()
        resource = _resource(folder, name)
    if resource is None:
        raise LaocaiError(f"no '{name}' resource in {folder / DESCRIPTOR}")
    records, problems = read_resource(folder, resource, None)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(errors)
    names = [f["name"] for f in resource["schema"]["fields"]]
    missing = [c for c in columns if c not in names]
    if missing:
        raise LaocaiError(f"the '{name}' resource in {folder} lacks the column(s): {', '.join(missing)}")
    frame = pd.DataFrame.from_records(records, columns=names)[columns]
    return frame.astype(object).where(frame.notna(), pd.NA)


def _package_folder(data) -> Path | None:
    if data is None:
        return default_data_dir()
    path = Path(data.source) if isinstance(data, Dataset) else Path(data)
    if path.is_file() and path.name == DESCRIPTOR:
        path = path.parent
    return path if (path / DESCRIPTOR).is_file() else None


def _resource(folder: Path, name: str) -> dict | None:
    descriptor = read_descriptor(folder / DESCRIPTOR)
    return next((r for r in descriptor["resources"] if r["name"] == name), None)


# --- rules --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What a rule found: its verdict, the rule in words for the years or rows it saw, and the numbers."""

    verdict: str
    rule: str
    numbers: str
    note: str
    blank_inputs: int = 0


@dataclass(frozen=True)
class Rule:
    name: str
    summary: str
    test: Callable[[TableSpec, pd.DataFrame, list[IndicatorSpec]], Outcome]


RULES: dict[str, Rule] = {}


def rule(name: str, summary: str):
    """Register a rule under `name`; the ledger's `rule` column refers to rules by these names."""
    def register(test):
        RULES[name] = Rule(name, summary, test)
        return test
    return register


def fmt(value) -> str:
    """A count as the paper prints it (thousands separators, in the current language); a blank shows as '(blank)'."""
    return _("(blank)") if value is None or pd.isna(value) else number(int(value))


def fmt_en(value) -> str:
    """`fmt` in English, for the prose on the paper's English text (parts 2-4 of the audit, not translated): in a
    Vietnamese run '232.906' inside an English sentence would read as a decimal."""
    return "(blank)" if value is None or pd.isna(value) else f"{int(value):,}"


def indicator_ref(indicator: IndicatorSpec) -> str:
    """How the numbers name a row: its printed row number, else a short form of its printed label."""
    if indicator.printed_row:
        return f"row {indicator.printed_row}"
    short = getattr(indicator, "title", None) or indicator.label
    return short if len(short) <= 40 else short[:37].rstrip(" ,-(") + "..."


def _yearly(rows: pd.DataFrame, indicator: IndicatorSpec) -> pd.Series:
    mine = rows[rows["indicator"] == indicator.name].sort_values("year")
    return pd.Series(mine["value"].to_numpy(), index=mine["year"].astype(int).to_list(), dtype="Int64")


def _span(spec: TableSpec, rows: pd.DataFrame) -> tuple[int, int] | None:
    years = sorted(int(y) for y in rows["year"].unique()) if "year" in rows and len(rows) else []
    return (years[0], years[-1]) if years else None


def _not_checkable(words: str, note: str, numbers: str = "", blanks: int = 0) -> Outcome:
    return Outcome(NOT_CHECKABLE, words, numbers, note, blanks)


def _per_series(spec, rows, indicators, words_for, judge) -> Outcome:
    """Apply `judge(series)` -> (holds, numbers, failure, blank years) to each indicator; all must hold."""
    span = _span(spec, rows) if spec.keyed_by == "year" else None
    if span is None:
        return _not_checkable("a trend rule", f"Table {spec.number} is not laid out by year, so a trend rule cannot apply.")
    words = words_for(*span)
    numbers, failures, blank_notes, blanks = [], [], [], 0
    for indicator in indicators:
        series = _yearly(rows, indicator)
        holds, shown, failure, blank_years = judge(series)
        numbers.append(f"{indicator_ref(indicator)}: {shown}")
        if blank_years:
            blanks += len(blank_years)
            blank_notes.append(f"{indicator_ref(indicator)} is blank in {and_list(blank_years)}")
        elif holds is None:
            blank_notes.append(f"{indicator_ref(indicator)}: {failure}")
        elif not holds:
            failures.append(f"{indicator_ref(indicator)} {failure}")
    shown = "; ".join(numbers)
    if blank_notes:
        note = "; ".join(blank_notes) + ". A blank is not zero, so the rule cannot be applied."
        if failures:
            note += f" (Among the values present, {'; '.join(failures)}.)"
        return Outcome(NOT_CHECKABLE, words, shown, note, blanks)
    if failures:
        return Outcome(INCONSISTENT, words, shown, "Does not hold: " + "; ".join(failures) + ".")
    return Outcome(CONSISTENT, words, shown, "Holds for every row tested.")


def _chain(series: pd.Series) -> str:
    """'38 < 46 < 68' with the actual relation between neighbours, '(blank)' where a year is blank."""
    values = list(series)
    out = fmt_en(values[0]) if values else ""
    for previous, value in zip(values, values[1:]):
        if pd.isna(value) or pd.isna(previous):
            sign = ","
        else:
            sign = " <" if value > previous else (" >" if value < previous else " =")
        out += f"{sign} {fmt_en(value)}"
    years = list(series.index)
    return f"{out} ({years[0]}-{years[-1]})" if years else "no years"


def _blank_years(series: pd.Series) -> list[int]:
    return [int(y) for y, v in series.items() if pd.isna(v)]


@rule("rose_every_year", "rose in every year")
def rose_every_year(spec: TableSpec, rows: pd.DataFrame, indicators: list[IndicatorSpec]) -> Outcome:
    """Each year's value is above the year before's, in every row tested."""
    def judge(series):
        if len(series) < 2:
            return None, _chain(series), "needs at least two years", []
        blanks = _blank_years(series)
        if blanks:
            return None, _chain(series), None, blanks
        years, values = list(series.index), list(series)
        for y0, y1, v0, v1 in zip(years, years[1:], values, values[1:]):
            if not v1 > v0:
                verb = "fell" if v1 < v0 else "stayed level"
                return False, _chain(series), f"{verb} from {fmt_en(v0)} in {y0} to {fmt_en(v1)} in {y1}", []
        return True, _chain(series), None, []
    return _per_series(spec, rows, indicators, lambda a, b: f"rose in every year, {a}-{b}", judge)


@rule("higher_last_than_first", "higher in the last year than in the first")
def higher_last_than_first(spec: TableSpec, rows: pd.DataFrame, indicators: list[IndicatorSpec]) -> Outcome:
    """The last year's value is above the first year's; the years between are not inputs."""
    def judge(series):
        if len(series) < 2:
            return None, "one year only", "needs at least two years", []
        (y0, v0), (y1, v1) = (series.index[0], series.iloc[0]), (series.index[-1], series.iloc[-1])
        blanks = [int(y) for y, v in ((y0, v0), (y1, v1)) if pd.isna(v)]
        if blanks:
            return None, f"{fmt_en(v0)} in {y0}, {fmt_en(v1)} in {y1}", None, blanks
        change = int(v1) - int(v0)
        shown = f"{fmt_en(v0)} in {y0}, {fmt_en(v1)} in {y1} ({change:+,})"
        if v1 > v0:
            return True, shown, None, []
        return False, shown, f"was {'lower' if v1 < v0 else 'no higher'} in {y1} ({fmt_en(v1)}) than in {y0} ({fmt_en(v0)})", []
    return _per_series(spec, rows, indicators, lambda a, b: f"higher in {b} than in {a}", judge)


@rule("positive_every_year", "above zero in every year")
def positive_every_year(spec: TableSpec, rows: pd.DataFrame, indicators: list[IndicatorSpec]) -> Outcome:
    """Every year has a value above zero: the activity was reported in each year."""
    def judge(series):
        if len(series) == 0:
            return None, "no years", "has no years", []
        blanks = _blank_years(series)
        shown = ", ".join(fmt_en(v) for v in series) + f" ({series.index[0]}-{series.index[-1]})"
        if blanks:
            return None, shown, None, blanks
        zeros = [int(y) for y, v in series.items() if v <= 0]
        if zeros:
            return False, shown, f"is zero in {and_list(zeros)}", []
        return True, shown, None, []
    return _per_series(spec, rows, indicators, lambda a, b: f"above zero in every year, {a}-{b}", judge)


@rule("at_least_in_every_group", "the first indicator is at least the second in every row")
def at_least_in_every_group(spec: TableSpec, rows: pd.DataFrame, indicators: list[IndicatorSpec]) -> Outcome:
    """In every group (row) of a table by group, the first indicator is at least the second."""
    if spec.keyed_by != "group" or len(indicators) != 2:
        return _not_checkable("first indicator >= second in every row",
                              f"This rule needs a table by group and two indicators; Table {spec.number} is by {spec.keyed_by} and the claim names {len(indicators)}.")
    first, second = indicators
    group_word = (spec.group_label or "group").lower()
    words = f'"{first.label}" >= "{second.label}" in every {group_word} row'
    labels = {g.name: g.label for g in spec.groups}
    wide = {(r.indicator, r.group): r.value for r in rows.itertuples()}
    groups = list(dict.fromkeys(rows["group"]))
    shown, failures, blank_groups = [], [], []
    for group in groups:
        a, b = wide.get((first.name, group), pd.NA), wide.get((second.name, group), pd.NA)
        label = labels.get(group, group)
        if pd.isna(a) or pd.isna(b):
            blank_groups.append(label)
            shown.append(f"{label} {fmt_en(a)} vs {fmt_en(b)}")
            continue
        shown.append(f"{label} {fmt_en(a)} {'>=' if a >= b else '<'} {fmt_en(b)}")
        if a < b:
            failures.append(f"{label} has {fmt_en(a)} against {fmt_en(b)}")
    numbers = "; ".join(shown)
    if not groups:
        return _not_checkable(words, f"Table {spec.number} has no rows.")
    if blank_groups:
        return Outcome(NOT_CHECKABLE, words, numbers,
                       f"{and_list(blank_groups)}: a value is blank, and a blank is not zero, so the rule cannot be applied.",
                       sum(1 for g in groups for i in (first, second) if pd.isna(wide.get((i.name, g), pd.NA))))
    if failures:
        return Outcome(INCONSISTENT, words, numbers, "Does not hold: " + "; ".join(failures) + ".")
    return Outcome(CONSISTENT, words, numbers, f"Holds in all {len(groups)} rows.")


def split_items(text) -> list[str]:
    """A '; '-separated cell as a list; blank -> []."""
    if text is None or pd.isna(text) or not str(text).strip():
        return []
    return [part.strip() for part in str(text).split(";") if part.strip()]


def weigh_claim(claim: dict, dataset: Dataset) -> Outcome:
    """Apply the claim's named rule to its table and indicators in `dataset`."""
    name = claim.get("rule")
    if name is None or pd.isna(name):
        return Outcome(NOT_CHECKABLE, "not testable with the tables", "", claim["reading"])
    if name not in RULES:
        raise LaocaiError(f"claim '{claim['claim']}' names the rule '{name}', which is not one of: {', '.join(sorted(RULES))}")
    test = RULES[name]
    table = claim.get("table")
    if table is None or pd.isna(table):
        raise LaocaiError(f"claim '{claim['claim']}' has the rule '{name}' but names no table to apply it to")
    if table not in dataset.table_names():
        return _not_checkable(test.summary, f"This data set has no table '{table}'.")
    spec = dataset.spec(table)
    wanted = split_items(claim.get("indicators"))
    known = {i.name: i for i in spec.indicators}
    unknown = [w for w in wanted if w not in known]
    if unknown or not wanted:
        missing = ", ".join(unknown) if unknown else "none named"
        return _not_checkable(test.summary, f"Table {spec.number} has no indicator(s): {missing}.")
    rows = dataset.table(table).rows
    rows = rows[rows["indicator"].isin(wanted)].copy()
    return test.test(spec, rows, [known[w] for w in wanted])


@rule("increased_two_readings", "rose, weighed under a strict and a loose reading")
def increased_two_readings(spec: TableSpec, rows: pd.DataFrame, indicators: list[IndicatorSpec]) -> Outcome:
    """A vague verb ("enhanced", "increased", "strengthened") weighed twice: strict, a rise in every year
    (`rose_every_year`); loose, the last year above the first (`higher_last_than_first`).

    When the readings agree, that is the verdict. When they differ, both verdicts are given in the rule and the
    note, and the verdict column carries the strict reading's, so that a discrepancy is never hidden.
    """
    strict = rose_every_year(spec, rows, indicators)
    loose = higher_last_than_first(spec, rows, indicators)
    numbers = f"strict: {strict.numbers} | loose: {loose.numbers}"
    blanks = max(strict.blank_inputs, loose.blank_inputs)
    if strict.verdict == loose.verdict:
        return Outcome(strict.verdict, f"{strict.rule}, and so {loose.rule}", numbers,
                       f"Both readings agree ({strict.verdict}). {strict.note}", blanks)
    words = f"strict: {strict.rule} ({strict.verdict}); loose: {loose.rule} ({loose.verdict})"
    note = (f"The verb allows two readings and their verdicts differ. Strict reading, {strict.verdict}: {strict.note} "
            f"Loose reading, {loose.verdict}: {loose.note} The verdict shown is the strict reading's.")
    return Outcome(strict.verdict, words, numbers, note, blanks)
