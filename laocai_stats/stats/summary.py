"""The growth summary: one row per yearly indicator, the table `reproduce` writes as growth.csv."""
from __future__ import annotations

import pandas as pd

from ..data.dataset import Dataset, as_dataset
from ..text import language
from .growth import cagr, peaks
from .robust import benjamini_hochberg, cagr_without_last_year, holm, loglinear_fit, theil_sen_trend
from .trend import kendall_trend, log_linear_trend

#: growth.csv's codebook: every column, in order, with what it means. The README and the outputs'
#: descriptor read it from here; rates are fractions (0.12 = 12 %).
GROWTH_CODEBOOK = {
    "table": "the table's name in the data package",
    "indicator": "the indicator's name in the table",
    "unit": "the unit of its values",
    "kind": "flow (counted during each year; may be summed over years), level (observed each year; never summed) "
            "or uncertain (the descriptor says why; summing it needs a note)",
    "first_year": "the first year with a value",
    "last_year": "the last year with a value",
    "first_value": "the value in first_year",
    "last_value": "the value in last_year",
    "change": "last_value - first_value",
    "pct_change": "change / first_value",
    "cagr": "compound annual growth rate from first_year to last_year: (last/first)^(1/years) - 1",
    "trend_growth": "log-linear trend rate: exp(slope) - 1 of an OLS fit of ln(value) on year",
    "trend_growth_low": "lower end of trend_growth's 95 % t interval",
    "trend_growth_high": "upper end of trend_growth's 95 % t interval",
    "kendall_tau": "Kendall's tau-b between year and value (rank order: how consistently later years are higher)",
    "kendall_p": "two-sided p-value of kendall_tau (method in kendall_method), not adjusted for many tests",
    "kendall_p_holm": "kendall_p adjusted by Holm's method; the family is every series with a kendall_p in this file",
    "kendall_p_bh": "kendall_p adjusted by Benjamini-Hochberg (false discovery rate); the same family",
    "loglinear_r2": "R² of the log-linear fit: the share of ln(value)'s spread the trend rate describes",
    "theil_sen_growth": "Theil-Sen rate on the log scale: exp(median pairwise slope of ln(value)) - 1; robust to one odd year",
    "theil_sen_low": "lower end of theil_sen_growth's 95 % interval (SciPy theilslopes)",
    "theil_sen_high": "upper end of theil_sen_growth's 95 % interval",
    "cagr_without_last_year": "cagr from first_year to the year before last_year: how much the last year moves the rate",
    "table_number": "the table's number in the paper",
    "title": "the indicator's title for display",
    "label": "the row's label as printed in the paper",
    "n_years": "years in the table",
    "n_missing": "years without a value (left out of every statistic, not read as zero)",
    "trend_n": "years that entered the log-linear fit",
    "trend_note": "why trend_growth or its interval is missing, when it is",
    "kendall_n": "years that entered Kendall's test",
    "kendall_method": "how kendall_p was computed (exact, exact permutation with ties, asymptotic) or why it is missing",
    "peak_year": "year of the highest value (earliest if tied)",
    "peak_value": "the highest value",
    "trough_year": "year of the lowest value (earliest if tied)",
    "trough_value": "the lowest value",
}

#: Kinds that count activity in a year, whose growth rates are compared across series (a level measures capacity).
#: "uncertain" (collection agent signs) is one of them for rates, never for sums (data.loaders.require_flows).
ACTIVITY_KINDS = ("flow", "uncertain")

#: The columns growth.csv promises, in order; more follow them.
GROWTH_COLUMNS = list(GROWTH_CODEBOOK)[: list(GROWTH_CODEBOOK).index("cagr_without_last_year") + 1]
EXTRA_COLUMNS = list(GROWTH_CODEBOOK)[len(GROWTH_COLUMNS):]


def yearly_frame(dataset: Dataset) -> pd.DataFrame:
    """Every yearly table stacked, with `table` and `kind` columns, in table-number order."""
    dataset = as_dataset(dataset)
    columns = ["table", "indicator", "kind", "year", "value", "unit"]
    frames, tables, kinds = [], [], []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        spec = dataset.spec(name)
        if spec.keyed_by != "year":
            continue
        rows = dataset.table(name).rows
        kind = {i.name: i.kind for i in spec.indicators}
        frames.append(rows)
        tables += [name] * len(rows)
        kinds += [kind.get(i) for i in rows["indicator"]]
    if not frames:
        return _with_kinds(pd.DataFrame(columns=columns))
    # One concatenation and two plain columns: a frame per table each given its columns costs more than the data.
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "table", tables)
    out.insert(2, "kind", kinds)
    return _with_kinds(out[columns])


def _with_kinds(frame: pd.DataFrame) -> pd.DataFrame:
    frame.attrs = {"kinds": dict(zip(frame["indicator"], frame["kind"]))}
    return frame


def growth_summary(dataset: Dataset) -> pd.DataFrame:
    """One row per yearly indicator with every column of GROWTH_CODEBOOK (growth.csv).

    Computed once per data set and language (titles and labels are in the current language): a notebook, a
    figure and a narrative asking for it again get a copy of the same frame.
    """
    return as_dataset(dataset).derived(("growth_summary", language()), _growth_summary)


def _growth_summary(dataset: Dataset) -> pd.DataFrame:
    frame = yearly_frame(dataset)
    keys = ["table", "indicator"]
    out = cagr(frame)
    parts = (log_linear_trend(frame), kendall_trend(frame), loglinear_fit(frame), theil_sen_trend(frame),
             cagr_without_last_year(frame), peaks(frame))
    for part in parts:
        out = out.merge(part, on=keys, how="left")
    out["kendall_p_holm"] = holm(out["kendall_p"])
    out["kendall_p_bh"] = benjamini_hochberg(out["kendall_p"])
    meta = {}
    for name in dataset.table_names():
        spec = dataset.spec(name)
        for i in spec.indicators:
            meta[(name, i.name)] = {"kind": i.kind, "title": i.display, "label": i.text("label"), "table_number": spec.number}
    for column in ("kind", "title", "label", "table_number"):
        out[column] = [meta[(t, i)][column] for t, i in zip(out["table"], out["indicator"])]
    return out[GROWTH_COLUMNS + EXTRA_COLUMNS].reset_index(drop=True)


REPORTED, NOT_REPORTED = "reported", "not reported"


def growth_table(dataset: Dataset) -> pd.DataFrame:
    """growth.csv: the growth summary with a `status` column, and a row for each paper indicator not reported.

    An indicator reported blank (unknown) is computed like any other, with missing statistics where its values
    are missing (`n_missing` counts them); an indicator the data do not report (a paper row deleted) gets a row
    with status 'not reported' and every statistic blank: it is neither zero nor unknown, it was not counted.
    """
    dataset = as_dataset(dataset)
    summary = growth_summary(dataset).assign(status=REPORTED)
    rows = []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        spec = dataset.spec(name)
        if spec.keyed_by != "year":
            continue
        for i in spec.not_reported:
            rows.append({"table": name, "indicator": i.name, "unit": i.unit, "kind": i.kind, "table_number": spec.number,
                         "title": i.display, "label": i.label, "n_years": 0, "status": NOT_REPORTED})
    if not rows:
        return summary
    # Whole-number columns become nullable, so that the blank statistics stay blank (never 0 or 0.0).
    dtypes = {c: ("Int64" if str(t) in ("int64", "Int64") else t) for c, t in summary.dtypes.items()}
    missing = pd.DataFrame(rows).reindex(columns=summary.columns)
    return pd.concat([summary.astype(dtypes), missing.astype(dtypes)], ignore_index=True)

