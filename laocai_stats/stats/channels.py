"""Direct against indirect communication (the paper's section 2.4): which tables are which channel."""
from __future__ import annotations

import pandas as pd

from ..data.dataset import Dataset, as_dataset
from ..text import N_
from .growth import year_on_year
from .summary import growth_summary, yearly_frame

#: Section 2.4: direct = conferences, consulting and dialogue; indirect = publications and mass media.
CHANNELS = {
    "conferences": N_("direct"),
    "publications": N_("indirect"),
    "website": "indirect",
    "press": "indirect",
}


def channel_series(dataset: Dataset) -> pd.DataFrame:
    """Yearly flow series of every channel table, with a `channel` column.

    Only flows: a level such as the number of coordinating units measures capacity, not output.
    """
    frame = yearly_frame(as_dataset(dataset))
    frame = frame[frame["table"].isin(CHANNELS) & (frame["kind"] == "flow")]
    out = frame.assign(channel=frame["table"].map(CHANNELS))
    return out[["channel", "table", "indicator", "year", "value", "unit"]].reset_index(drop=True)


def channel_growth(dataset: Dataset) -> pd.DataFrame:
    """The growth summary of every channel flow, with its channel, fastest CAGR first."""
    summary = growth_summary(as_dataset(dataset))
    summary = summary[summary["table"].isin(CHANNELS) & (summary["kind"] == "flow")]
    out = summary.assign(channel=summary["table"].map(CHANNELS))
    out = out.sort_values("cagr", ascending=False, kind="stable", na_position="last")
    return out[["channel", "table", "indicator", "title", "label", "unit", "first_year", "last_year", "first_value",
                "last_value", "cagr", "trend_growth", "trend_growth_low", "trend_growth_high", "kendall_tau",
                "kendall_p"]].reset_index(drop=True)


def channel_comparison(dataset: Dataset) -> pd.DataFrame:
    """Per channel: how many flows, how many grew and declined (CAGR), and the median CAGR.

    Series without a CAGR (fewer than two values) are counted in `without_rate` and left out of
    the median.
    """
    growth = channel_growth(dataset)
    rows = []
    for channel in dict.fromkeys(CHANNELS.values()):
        part = growth[growth["channel"] == channel]
        rates = part["cagr"].dropna().astype(float)
        rows.append({
            "channel": channel,
            "indicators": len(part),
            "grew": int((rates > 0).sum()),
            "declined": int((rates < 0).sum()),
            "unchanged": int((rates == 0).sum()),
            "without_rate": int(part["cagr"].isna().sum()),
            "median_cagr": float(rates.median()) if len(rates) else float("nan"),
        })
    out = pd.DataFrame(rows)
    out["median_cagr"] = out["median_cagr"].astype("Float64")
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
