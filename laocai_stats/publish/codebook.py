"""The codebook of the derived tables: what each CSV holds and each column's type, unit and meaning.

One registry drives three things: `tables/datapackage.json` (a Frictionless descriptor beside the CSVs), the
number formats and Contents sheet of `tables.xlsx`, and the README's output dictionary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..data.dataset import Dataset
from ..text import N_, _

RATE = "fraction (0.295 = 29.5 %)"
AS_UNIT = "as in the row's `unit`"


@dataclass(frozen=True)
class Column:
    type: str  # Frictionless field type: string, integer or number
    unit: str  # what a value is measured in ("" for text)
    description: str
    style: str = ""  # tables.xlsx number format: count, rate, decimal or "" (none)


COLUMNS = {
    "province": Column("string", "", "the province whose data the row comes from (Unicode NFC), the same in every table"),
    "status": Column("string", "", "reported (the data give the indicator; blank years are unknown) or not reported "
                                   "(the province deleted the paper's row: every statistic blank)"),
    "table": Column("string", "", "the data table's short name; its number and caption are in the data's descriptor or workbook"),
    "indicator": Column("string", "", "the indicator's id; its label as printed, unit and kind are in the data package"),
    "unit": Column("string", "", "the unit of the counts in this row"),
    "kind": Column("string", "", "flow (counted during a year), level (observed each year), snapshot (taken once) or "
                                 "uncertain (the source does not say; never summed over years)"),
    "year": Column("integer", "year", "calendar year"),
    "value": Column("integer", AS_UNIT, "the count for that year, as printed; blank when not reported (missing, not zero)", "count"),
    "group": Column("string", "", "collection-agent system id (Table 1); its printed label is in the data package"),
    "label": Column("string", "", "the row's label as the paper prints it"),
    "title": Column("string", "", "a short title of the indicator, for figures and tables"),
    "agent_staff": Column("integer", "people", "agent staff of the agent system (Table 1)", "count"),
    "collection_points": Column("integer", "points", "collection points of the agent system (Table 1)", "count"),
    "staff_per_point": Column("number", "people per point", "agent staff / collection points", "decimal"),
    "share_of_staff": Column("number", RATE, "the system's share of all agent staff", "rate"),
    "share_of_points": Column("number", RATE, "the system's share of all collection points", "rate"),
    "channel": Column("string", "", "direct or indirect communication, the channels section 2.4 defines (the paper: Table 2, "
                                    "section 3.3.1, direct; Tables 3-5, section 3.3.2, indirect; a province's own indicators "
                                    "as its workbook says)"),
    "first_year": Column("integer", "year", "first year with a value"),
    "last_year": Column("integer", "year", "last year with a value"),
    "first_value": Column("integer", AS_UNIT, "the value in first_year", "count"),
    "last_value": Column("integer", AS_UNIT, "the value in last_year", "count"),
    "change": Column("integer", AS_UNIT, "the later value minus the earlier one", "count"),
    "pct_change": Column("number", RATE, "change / the earlier value", "rate"),
    "cagr": Column("number", RATE, "compound annual growth rate from first_year to last_year", "rate"),
    "trend_growth": Column("number", RATE, "exp(b) - 1, b the OLS slope of ln(value) on year", "rate"),
    "trend_growth_low": Column("number", RATE, "lower end of trend_growth's 95 % interval (t, n - 2 df)", "rate"),
    "trend_growth_high": Column("number", RATE, "upper end of trend_growth's 95 % interval (t, n - 2 df)", "rate"),
    "kendall_tau": Column("number", "", "Kendall's tau-b of value against year (monotonic trend)", "decimal"),
    "kendall_p": Column("number", "probability", "two-sided p-value of kendall_tau (method in kendall_method)", "decimal"),
    "kendall_method": Column("string", "", "how kendall_p was computed: exact (no ties); exact permutation (ties) over "
                                           "every ordering, up to 8 years; asymptotic (ties), the normal approximation "
                                           "with tie correction, beyond 8 years (bounded cost); or why not"),
    "kendall_n": Column("integer", "years", "years used for Kendall's tau", "count"),
    "table_number": Column("integer", "", "the table's number in the paper"),
    "n_years": Column("integer", "years", "years in the table", "count"),
    "n_missing": Column("integer", "years", "years without a value (missing, not zero)", "count"),
    "trend_n": Column("integer", "years", "years used for the trend", "count"),
    "trend_note": Column("string", "", "why there is no trend, when there is none"),
    "peak_year": Column("integer", "year", "year of the highest value"),
    "peak_value": Column("integer", AS_UNIT, "the highest value", "count"),
    "trough_year": Column("integer", "year", "year of the lowest value"),
    "trough_value": Column("integer", AS_UNIT, "the lowest value", "count"),
    "indicators": Column("integer", "indicators", "counts of activity in the channel (conferences and their attendances apart)", "count"),
    "activities": Column("integer", "activities", "activities in the channel: one series each (the count of events, not "
                                                  "their attendances again)", "count"),
    "grew": Column("integer", "activities", "activities whose log-linear trend's 95 % interval lies above zero", "count"),
    "declined": Column("integer", "activities", "activities whose log-linear trend's 95 % interval lies below zero", "count"),
    "unchanged": Column("integer", "activities", "constant series", "count"),
    "no_clear_direction": Column("integer", "activities", "activities whose trend interval includes zero", "count"),
    "no_trend": Column("integer", "activities", "activities without a trend (too few values, or a zero)", "count"),
    "without_rate": Column("integer", "activities", "activities with fewer than two values, so no CAGR", "count"),
    "median_cagr": Column("number", RATE, "median CAGR of the channel's activities, one series each", "rate"),
    "cagr_q1": Column("number", RATE, "lower quartile of the same CAGRs (the IQR's lower end)", "rate"),
    "cagr_q3": Column("number", RATE, "upper quartile of the same CAGRs (the IQR's upper end)", "rate"),
    "note": Column("string", "", "which series were left out of the counts and medians, and why"),
    "activity": Column("string", "", "the activity the series counts: its table and the printed heading it sits under"),
    "primary": Column("boolean", "", "true for the series that counts the activity's events, the one counts and medians use"),
    "direction": Column("string", "", "grew / declined (trend interval above / below zero), no clear direction, unchanged "
                                      "or no trend"),
    "base": Column("integer", AS_UNIT, "the value in the first year with a value (the index's base)", "count"),
    "index": Column("number", "index (first year = 100)", "value / base x 100", "decimal"),
    "previous": Column("integer", AS_UNIT, "the value in the year before", "count"),
    "ratio": Column("string", "", "the per-unit ratio's id"),
    "numerator": Column("integer", AS_UNIT, "the ratio's numerator (a count)", "count"),
    "denominator": Column("integer", AS_UNIT, "the ratio's denominator (a count)", "count"),
    "period_total": Column("integer", AS_UNIT, "sum of the flow over the years, when no year is missing", "count"),
    "share": Column("number", RATE, "value / period_total", "rate"),
}
def _from_growth_codebook() -> dict[str, Column]:
    """growth.csv's columns added by issue 13, described once, in stats.summary.GROWTH_CODEBOOK."""
    from ..stats.summary import GROWTH_CODEBOOK

    kinds = {"kendall_p_holm": ("number", "probability", "decimal"), "kendall_p_bh": ("number", "probability", "decimal"),
             "loglinear_r2": ("number", "", "decimal"), "theil_sen_growth": ("number", RATE, "rate"),
             "theil_sen_low": ("number", RATE, "rate"), "theil_sen_high": ("number", RATE, "rate"),
             "cagr_without_last_year": ("number", RATE, "rate")}
    return {name: Column(t, unit, GROWTH_CODEBOOK[name], style) for name, (t, unit, style) in kinds.items()}


COLUMNS.update(_from_growth_codebook())

# Where a column name means something else in one table.
OVERRIDES = {
    ("ratios", "value"): Column("number", "as in the row's `unit`", "numerator / denominator", "decimal"),
    ("ratios", "unit"): Column("string", "", "the ratio's unit, e.g. people per conference"),
}

DESCRIPTIONS = {
    "growth": N_("one row per yearly indicator: first and last value, change, CAGR, log-linear trend growth with its 95 % "
                 "interval and R², Theil-Sen growth, Kendall's tau and p (unadjusted, Holm, BH), CAGR without the last "
                 "year, peak and trough"),
    "year_on_year": N_("each indicator's change from the year before"),
    "index": N_("each indicator as an index, first year with a value = 100"),
    "share_of_period": N_("each flow's share of its total over the years"),
    "ratios": N_("per-unit ratios each year (e.g. attendees per conference)"),
    "agents_ratios": N_("Table 1: staff per collection point and each agent system's shares"),
    "channels": N_("direct against indirect channels: how many activities grew or declined by their trend, median CAGR "
                   "and its IQR, one series per activity"),
    "channel_growth": N_("growth of every count of activity, with its channel, activity and trend direction"),
    "last_year_change": N_("each flow's change in the last year"),
}
FORMATS = {"count": "#,##0", "rate": "0.0 %", "decimal": "#,##0.00"}


# agents_ratios has a column per count of Table 1 and one per share: a count a province adds to Table 1 brings both.
ADDED_COUNT = Column("integer", "", "a count the data add to Table 1, per agent system; its label, unit and kind are in the "
                     "data's descriptor or workbook", "count")
ADDED_SHARE = Column("number", RATE, "the system's share of the rows' sum of a count the data add to Table 1", "rate")


def column(stem: str, name: str) -> Column:
    found = OVERRIDES.get((stem, name))
    if found is None and stem == "agents_ratios" and name not in COLUMNS:
        found = ADDED_SHARE if name.startswith("share_of_") else ADDED_COUNT
    if found is None and name not in COLUMNS:
        raise KeyError(f"the codebook has no column '{name}' (table {stem}): add it to laocai_stats/publish/codebook.py")
    return found or COLUMNS[name]


def describe(stem: str, dataset: Dataset) -> str:
    """What one derived table holds, in a sentence."""
    match = re.fullmatch(r"data_(\w+?)(_printed_totals)?", stem)
    if match:
        spec = dataset.spec(match.group(1))
        if match.group(2):
            return _("Table {number}'s printed total row, kept exactly as printed ({caption})").format(
                number=spec.number, caption=spec.text("caption"))
        return _("Table {number} as printed, tidy: one row per indicator and {key} ({caption})").format(
            number=spec.number, key=_("year") if spec.keyed_by == "year" else _("group"), caption=spec.text("caption"))
    return _(DESCRIPTIONS[stem])


def tables_descriptor(tables: dict[str, pd.DataFrame], dataset: Dataset, version: str) -> dict:
    """A Frictionless Data Package (v2) describing every derived CSV: its columns' types, units and meanings."""
    resources = []
    for stem, frame in tables.items():
        fields = []
        for name in frame.columns:
            col = column(stem, str(name))
            field = {"name": str(name), "type": col.type, "description": col.description}
            if col.unit:
                field["unit"] = col.unit
            fields.append(field)
        resources.append({"name": stem, "path": f"{stem}.csv", "type": "table", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "description": describe(stem, dataset),
                          "schema": {"fields": fields, "missingValues": [""]}})
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": re.sub(r"[^a-z0-9]+", "-", dataset.province.lower()).strip("-") + "-derived-tables",
        "title": f"Derived tables: growth, ratios and channels for {dataset.province}",
        "province": dataset.province,
        "description": "Computed by laocai-stats from the data below; rates are fractions (0.295 = 29.5 %); a blank "
                       "cell is missing (never zero). The same data give the same bytes.",
        "created_by": f"laocai-stats {version}",
        "sources": [{"title": dataset.citation or f"{dataset.province}: {Path(dataset.source).name}"}],
        "resources": resources,
    }


def number_formats(tables: dict[str, pd.DataFrame], *, strict: bool = True) -> dict[str, dict[str, str]]:
    """Each table's column -> Excel number format, from the codebook (unknown columns unformatted unless `strict`)."""
    formats: dict[str, dict[str, str]] = {}
    for stem, frame in tables.items():
        for name in map(str, frame.columns):
            if not strict and name not in COLUMNS and (stem, name) not in OVERRIDES:
                continue
            style = column(stem, name).style
            if style:
                formats.setdefault(stem, {})[name] = FORMATS[style]
    return formats


def workbook_layout(tables: dict[str, pd.DataFrame], dataset: Dataset, version: str) -> dict:
    """tables.xlsx's Contents descriptions, number formats and note, from the codebook."""
    return {"descriptions": {stem: describe(stem, dataset) for stem in tables}, "number_formats": number_formats(tables),
            "note": _("{province}: made by laocai-stats {version} from {file}. The same tables as CSV, with their codebook in "
                      "datapackage.json. Rates are stored as fractions and shown as %.").format(
                          province=dataset.province, version=version, file=Path(dataset.source).name)}
