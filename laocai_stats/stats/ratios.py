"""Per-unit ratios: attendees per conference, visits per article, and Table 1's staff per point and shares."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.dataset import Dataset, as_dataset
from ..text import N_


@dataclass(frozen=True)
class Ratio:
    name: str
    table: str
    numerator: str
    denominator: str
    unit: str
    label: str


#: Every yearly ratio the analysis reports; the figures, notebooks and growth tables read this.
RATIOS = (
    Ratio("attendees_per_training_conference", "conferences", "training_attendees", "training_conferences",
          N_("people per conference"), N_("Attendees per training conference, consultation, dialogue or seminar")),
    Ratio("attendees_per_post_office_conference", "conferences", "post_office_attendees", "post_office_conferences",
          N_("people per conference"), N_("Attendees per Post Office voluntary-insurance conference")),
    Ratio("attendees_per_health_insurance_conference", "conferences", "health_insurance_attendees", "health_insurance_conferences",
          N_("people per conference"), N_("Attendees per health insurance conference")),
    Ratio("visits_per_article", "website", "visits", "articles", N_("visits per article"), N_("Website visits per article posted")),
)


RATIO_COLUMNS = ["ratio", "table", "year", "numerator", "denominator", "value", "unit"]


def yearly_ratios(dataset: Dataset) -> pd.DataFrame:
    """One row per ratio and year: numerator, denominator and their quotient.

    The quotient is <NA> when either count is missing or the denominator is 0. Ratios whose
    table or indicators the data set lacks are left out.
    """
    from .summary import yearly_frame

    return ratio_rows(yearly_frame(as_dataset(dataset)))


def ratio_rows(yearly: pd.DataFrame) -> pd.DataFrame:
    """`yearly_ratios` of a tidy yearly frame (`summary.yearly_frame`), or of several provinces' at once.

    With a `province` column (`compare.stack`) every province's ratios are computed in one pass, in the
    provinces' order, each as `yearly_ratios` gives them: ratio by ratio, years ascending. A data set
    declares every year of a table for each of its indicators, so a ratio is there exactly where both
    its indicators are.
    """
    by = ["province"] if "province" in yearly.columns else []
    columns = [*by, *RATIO_COLUMNS]
    order = {p: n for n, p in enumerate(dict.fromkeys(yearly["province"]))} if by else {}
    parts = []
    for n, ratio in enumerate(RATIOS):
        in_table = yearly[yearly["table"] == ratio.table]
        top = in_table.loc[in_table["indicator"] == ratio.numerator, [*by, "year", "value"]]
        bottom = in_table.loc[in_table["indicator"] == ratio.denominator, [*by, "year", "value"]]
        both = top.merge(bottom, on=[*by, "year"], suffixes=("_top", "_bottom"))
        if both.empty:
            continue
        numerator = both["value_top"].astype("Float64")
        denominator = both["value_bottom"].astype("Float64")
        part = pd.DataFrame({
            **{c: both[c] for c in by},
            "ratio": ratio.name,
            "table": ratio.table,
            "year": both["year"].astype("int64"),
            "numerator": numerator,
            "denominator": denominator,
            "value": numerator / denominator.where(denominator != 0),
            "unit": ratio.unit,
            "_ratio": n,
        })
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts, ignore_index=True)
    keys = ["_ratio", "year"]
    if by:
        out["_province"] = out["province"].map(order)
        keys = ["_province", *keys]
    out = out.sort_values(keys, kind="stable")[columns].reset_index(drop=True)
    for column in ("numerator", "denominator", "value"):
        out[column] = out[column].astype("Float64")
    out.attrs = {}
    return out


def ratios_as_series(ratios: pd.DataFrame) -> pd.DataFrame:
    """Ratios in the tidy yearly shape (indicator, year, value, unit), so the growth functions apply."""
    out = ratios.rename(columns={"ratio": "indicator"})[["table", "indicator", "year", "value", "unit"]].copy()
    out.attrs = {"kinds": {name: "level" for name in out["indicator"].unique()}}
    return out


# The paper's names of the shares of Table 1's counts; a count a province adds gets `share_of_<its id>`.
SHARE_COLUMNS = {"agent_staff": "share_of_staff", "collection_points": "share_of_points"}


def share_column(indicator: str) -> str:
    return SHARE_COLUMNS.get(indicator, f"share_of_{indicator}")


def agent_ratios(dataset: Dataset) -> pd.DataFrame:
    """Table 1 per agent system: each count the data report, staff per point, and each system's share of each count.

    Shares are of the sum of the rows (not of the printed total, which the audit checks). If any
    system's count is missing the shares of that count are <NA>, since the whole is unknown;
    staff per point is <NA> for a system with a missing count or no points, and absent when the data
    do not report staff or points. A count the data do not report (its column deleted) has no column.
    """
    dataset = as_dataset(dataset)
    table = dataset.table("agents")
    names = [i.name for i in table.spec.indicators]
    wide = table.rows.pivot(index="group", columns="indicator", values="value")
    order = list(dict.fromkeys(table.rows["group"]))
    wide = wide.reindex(index=order, columns=names)
    labels = {g.name: g.text("label") for g in table.spec.groups}
    out = pd.DataFrame({"group": order, "label": [labels.get(g, g) for g in order]})
    for name in names:
        out[name] = wide[name].to_numpy()
    counts = {name: wide[name].astype("Float64") for name in names}
    if {"agent_staff", "collection_points"} <= set(names):
        points = counts["collection_points"]
        out["staff_per_point"] = (counts["agent_staff"] / points.where(points != 0)).to_numpy()
    for name, count in counts.items():
        total = np.nan if count.isna().any() else count.sum()
        out[share_column(name)] = (count / total).to_numpy() if total else np.nan
    for column in out.columns[2 + len(names):]:
        out[column] = out[column].astype("Float64")
    return out
