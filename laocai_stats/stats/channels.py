"""Direct against indirect communication: which tables are which channel.

Section 2.4 defines the two channels; sections 3.3.1 (direct: Table 2) and 3.3.2 (indirect: Tables 3-5) put the
tables under them.
"""
from __future__ import annotations

import pandas as pd

from ..data.dataset import Dataset, as_dataset
from ..text import N_
from .growth import year_on_year
from .summary import ACTIVITY_KINDS, growth_summary, yearly_frame

#: Section 3.3.1 reports Table 2 as direct communication, 3.3.2 Tables 3-5 as indirect (2.4 defines both).
CHANNELS = {
    "conferences": N_("direct"),
    "publications": N_("indirect"),
    "website": "indirect",
    "press": "indirect",
}


def channel_series(dataset: Dataset) -> pd.DataFrame:
    """Yearly flow series of every channel table, with a `channel` column.

    Only counts of activity (ACTIVITY_KINDS): a level such as the number of coordinating units measures capacity, not output.
    """
    frame = yearly_frame(as_dataset(dataset))
    frame = frame[frame["table"].isin(CHANNELS) & frame["kind"].isin(ACTIVITY_KINDS)]
    out = frame.assign(channel=frame["table"].map(CHANNELS))
    return out[["channel", "table", "indicator", "year", "value", "unit"]].reset_index(drop=True)


def direction(growth, low, high) -> str:
    """A series' direction from its log-linear trend interval: grew (above zero), declined (below), or neither.

    A constant series (growth 0, no interval) is "unchanged"; a series without a trend "no trend".
    """
    if pd.isna(low) or pd.isna(high):
        return "unchanged" if not pd.isna(growth) and growth == 0 else "no trend"
    return "grew" if low > 0 else "declined" if high < 0 else "no clear direction"


def channel_growth(dataset: Dataset) -> pd.DataFrame:
    """The growth summary of every channel flow, with its channel, activity and direction, fastest CAGR first.

    An activity is the printed heading the series sits under (a kind of conference and its attendees are one
    activity); a series without a heading is its own activity. `primary` marks the first series of each activity,
    the one that counts its events; the others (attendances) describe the same activity again.
    """
    dataset = as_dataset(dataset)
    summary = growth_summary(dataset)
    summary = summary[summary["table"].isin(CHANNELS) & summary["kind"].isin(ACTIVITY_KINDS)]
    headings = {(t, i.name): getattr(i, "heading", None) or i.name for t in CHANNELS if t in dataset.table_names()
                for i in dataset.spec(t).indicators}
    activity = [f"{t}: {headings[(t, i)]}" for t, i in zip(summary["table"], summary["indicator"])]
    out = summary.assign(channel=summary["table"].map(CHANNELS), activity=activity,
                         direction=[direction(*r) for r in zip(summary["trend_growth"], summary["trend_growth_low"],
                                                             summary["trend_growth_high"])])
    out["primary"] = ~out.duplicated("activity")
    out = out.sort_values("cagr", ascending=False, kind="stable", na_position="last")
    return out[["channel", "table", "indicator", "title", "label", "unit", "activity", "primary", "first_year", "last_year",
                "first_value", "last_value", "cagr", "trend_growth", "trend_growth_low", "trend_growth_high", "direction",
                "loglinear_r2", "theil_sen_growth", "kendall_tau", "kendall_p", "kendall_p_holm"]].reset_index(drop=True)


def _quantile(values: pd.Series, q: float) -> float:
    return float(values.quantile(q)) if len(values) else float("nan")


def channel_comparison(dataset: Dataset) -> pd.DataFrame:
    """Per channel: activities, their directions (from the trend interval), and the median CAGR with its IQR.

    One series per activity (the `primary` one, counting events) enters the counts and the median, so that a
    conference and its attendees do not count twice; `note` names the series left out. A series' direction is
    `direction()` of its log-linear 95 % interval, not its first and last years. Series without a CAGR are
    counted in `without_rate` and left out of the median.
    """
    growth = channel_growth(dataset)
    rows = []
    for channel in dict.fromkeys(CHANNELS.values()):
        every = growth[growth["channel"] == channel]
        part = every[every["primary"]]
        rates = part["cagr"].dropna().astype(float)
        left_out = every[~every["primary"]]
        rows.append({
            "channel": channel,
            "indicators": len(every),
            "activities": len(part),
            "grew": int((part["direction"] == "grew").sum()),
            "declined": int((part["direction"] == "declined").sum()),
            "unchanged": int((part["direction"] == "unchanged").sum()),
            "no_clear_direction": int((part["direction"] == "no clear direction").sum()),
            "no_trend": int((part["direction"] == "no trend").sum()),
            "without_rate": int(part["cagr"].isna().sum()),
            "median_cagr": float(rates.median()) if len(rates) else float("nan"),
            "cagr_q1": _quantile(rates, 0.25),
            "cagr_q3": _quantile(rates, 0.75),
            "note": ("one series per activity; left out as the same activity counted again: " + ", ".join(left_out["indicator"])
                     if len(left_out) else "one series per activity"),
        })
    out = pd.DataFrame(rows)
    for column in ("median_cagr", "cagr_q1", "cagr_q3"):
        out[column] = out[column].astype("Float64")
    return out


def last_year_change(dataset: Dataset) -> pd.DataFrame:
    """Each channel flow's change into its data's last year, from the year before, largest fall first."""
    series = channel_series(dataset)
    if series.empty:
        return series.assign(previous=pd.Series(dtype="Float64"), change=pd.Series(dtype="Float64"), pct_change=pd.Series(dtype="Float64"))
    changes = year_on_year(series)
    last = int(series["year"].max())
    out = changes[changes["year"] == last]
    out = out.sort_values("pct_change", kind="stable", na_position="last")
    return out[["channel", "table", "indicator", "year", "previous", "value", "change", "pct_change", "unit"]].reset_index(drop=True)
