"""Direct against indirect communication (the paper's section 2.4): each indicator's channel, from the data.

The channel is part of an indicator's definition (the descriptor's `channel`, a table's default, or the
workbook's Channel column), so an indicator or table a province adds joins the comparison with no code change.
"""
from __future__ import annotations

import pandas as pd

from ..data.dataset import Dataset, as_dataset
from .growth import year_on_year
from .summary import growth_summary, yearly_frame

#: Section 2.4: direct = conferences, consulting and dialogue; indirect = publications and mass media.
CHANNEL_NAMES = ("direct", "indirect")


def indicator_channels(dataset: Dataset) -> dict[tuple[str, str], str]:
    """(table, indicator) -> channel, for every indicator that has one."""
    dataset = as_dataset(dataset)
    return {(name, i.name): i.channel for name in dataset.table_names()
            for i in dataset.spec(name).indicators if i.channel}


def _with_channel(frame: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    channels = indicator_channels(dataset)
    channel = pd.Series([channels.get(key) for key in zip(frame["table"], frame["indicator"])], index=frame.index, dtype=object)
    out = frame.assign(channel=channel)
    return out[out["channel"].notna() & (out["kind"] == "flow")]


def channel_series(dataset: Dataset) -> pd.DataFrame:
    """Yearly flow series of every channel table, with a `channel` column.

    Only flows: a level such as the number of coordinating units measures capacity, not output.
    """
    dataset = as_dataset(dataset)
    out = _with_channel(yearly_frame(dataset), dataset)
    return out[["channel", "table", "indicator", "year", "value", "unit"]].reset_index(drop=True)


def channel_growth(dataset: Dataset) -> pd.DataFrame:
    """The growth summary of every channel flow, with its channel, fastest CAGR first."""
    dataset = as_dataset(dataset)
    out = _with_channel(growth_summary(dataset), dataset)
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
    for channel in CHANNEL_NAMES:
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
