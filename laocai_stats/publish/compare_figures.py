"""Figures of a province comparison: each indicator's growth by province, one figure per table."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from ..errors import LaocaiError
from ..text import N_, _, escape_markdown, missing, shorten
from .style import percent_axis

# Above this many provinces a table's panels go side by side in one row (see `growth_figure`).
MANY_PROVINCES = 12
PERIODS = {"shared": N_("over the years the provinces share"), "own": N_("over each province's own years")}


def _floats(series: pd.Series) -> np.ndarray:
    return series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def plot_province_growth(growth: pd.DataFrame, *, indicator: str, table: str | None = None, period: str = "shared",
                         ax: Axes | None = None, title: str | None = None, focus: bool = False,
                         label_rows: bool = True, light_rows: bool = False) -> Axes:
    """One indicator's CAGR per province as dots, with the log-linear trend growth and its 95 % interval as a whisker.

    `growth` is `compare.province_growth`'s frame; `period` picks its `*_shared` or `*_own` columns.
    Provinces are rows in the frame's order. A province without a CAGR gets no dot (never a zero)
    and the label "n/a". With `focus`, the x axis spans the dots (CAGR and trend growth) and zero rather than
    the whiskers, so that one wide interval cannot squeeze every dot into a sliver; a whisker reaching past
    the panel is cut at its edge (the figure says so). `label_rows=False` leaves the province names to the
    panel beside it. `light_rows` draws each row's name and grid line as plain artists rather than ticks (see
    `_light_rows`): the same picture, at half the cost with 63 provinces.
    """
    if period not in PERIODS:
        raise LaocaiError(f"period must be one of {', '.join(PERIODS)}; got '{period}'")
    ax = ax if ax is not None else plt.gca()
    frame = growth[growth["indicator"] == indicator]
    if table is not None:
        frame = frame[frame["table"] == table]
    if frame.empty:
        raise LaocaiError(f"nothing to plot: no growth rows for '{indicator}'")
    frame = frame.reset_index(drop=True)
    positions = np.arange(len(frame))
    rate = _floats(frame[f"cagr_{period}"])
    trend = _floats(frame[f"trend_growth_{period}"])
    low = _floats(frame[f"trend_growth_low_{period}"])
    high = _floats(frame[f"trend_growth_high_{period}"])
    palette = plt.rcParams["axes.prop_cycle"].by_key()["color"]  # the theme's, as sns.color_palette() gives it
    # The interval's whisker sits just below the dot so that the two never hide each other.
    drawn = not np.isnan(trend).all()
    ax.errorbar(trend, positions + 0.18, xerr=[trend - low, high - trend], fmt="|", color="0.35", ms=6,
                capsize=2, lw=1, label=_("Log-linear trend growth, 95 % CI") if drawn else None, gid="trend")
    ax.plot(rate, positions, "o", color=palette[0], ms=5, label=_("CAGR"), gid="cagr")
    for pos, value in zip(positions, rate):
        if np.isnan(value):
            ax.annotate(missing(), (0, pos), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7, color="0.3")
    ax.axvline(0, color="0.4", lw=0.8)
    names = [shorten(p, 40) for p in frame["province"]]
    size = 8 if len(frame) < 20 else 6
    if not light_rows:
        if label_rows:
            ax.set_yticks(positions, names, fontsize=size)
    else:
        _light_rows(ax, positions, names if label_rows else (), size)
    ax.set_ylim(len(frame) - 0.5, -0.5)
    if focus:
        points = np.concatenate([rate, trend, [0.0]])
        points = points[~np.isnan(points)]
        pad = max(points.max() - points.min(), 0.02) * 0.08
        ax.set_xlim(points.min() - pad, points.max() + pad)
    # Few ticks: a narrow panel with wide intervals would otherwise crowd its percent labels into each other.
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    percent_axis(ax.xaxis)
    ax.set_xlabel(_("Growth per year, {period}").format(period=_(PERIODS[period])), fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def _light_rows(ax: Axes, positions, names, size: float) -> None:
    """Rows named and ruled as the theme's y ticks would be, without ticks: one text per name, one line collection.

    A tick is five artists (two marks, a grid line, two labels), each laid out and drawn on every pass; with
    63 provinces in seven panels the ticks cost more than the data. The names sit where tick labels would.
    """
    rc = plt.rcParams
    ax.set_yticks([])
    ax.hlines(positions, 0, 1, transform=ax.get_yaxis_transform(), colors=rc["grid.color"],
              linewidths=rc["grid.linewidth"], zorder=0.5)
    pad = (rc["ytick.major.pad"] + rc["ytick.major.size"]) / 72  # points to inches, as a tick label's offset
    at = ax.get_yaxis_transform() + ScaledTranslation(-pad, 0, ax.figure.dpi_scale_trans)
    color = rc["ytick.color"] if rc["ytick.labelcolor"] == "inherit" else rc["ytick.labelcolor"]
    for pos, name in zip(positions, names):
        ax.text(0, pos, name, transform=at, ha="right", va="center", fontsize=size, color=color, clip_on=False)


def growth_figure(comparison, table: str, *, period: str = "shared") -> Figure:
    """One panel per indicator of `table`, provinces as rows; the caller shows, saves or closes it."""
    growth = comparison.growth[comparison.growth["table"] == table]
    indicators = list(dict.fromkeys(growth["indicator"]))
    if not indicators:
        raise LaocaiError(f"no indicator of table '{table}' in the comparison")
    provinces = growth["province"].nunique()
    many = provinces > MANY_PROVINCES
    if many:
        # Many provinces: every indicator side by side in one row, so that each province's name is read once
        # and its dots are followed across the panels along its grid line; narrower panels, smaller rows.
        width, rows, panel, row_height = len(indicators), 1, 2.8, 0.16
    else:
        width = min(len(indicators), 3)
        rows, panel, row_height = -(-len(indicators) // width), 3.6, 0.22
    fig, axes = plt.subplots(rows, width, figsize=(panel * width, (row_height * provinces + 1.5) * rows + 1.0),
                             squeeze=False, sharey=not many, layout="constrained")
    shared = comparison.shared[comparison.shared["table"] == table].set_index("indicator")["years"]
    for ax, name in zip(axes.flat, indicators):
        title = textwrap.fill(comparison.labels.get(name, name), 34 if provinces <= MANY_PROVINCES else 18)
        if period == "shared":
            title += "\n(" + str(shared.get(name, _("no shared year"))) + ")"
        plot_province_growth(growth, indicator=name, table=table, period=period, ax=ax, title=title, focus=many,
                             label_rows=not many or ax is axes[0][0], light_rows=many)
        ax.title.set_fontsize(9 if not many else 8)
        ax.set_xlabel("")
        ax.tick_params(axis="x", labelsize=8)
    for ax in list(axes.flat)[len(indicators):]:
        ax.set_visible(False)
    handles, labels = axes[0][0].get_legend_handles_labels()
    if many:
        # Beside the panels, halfway down: a tall figure's legend at a corner would meet its title or caption.
        fig.legend(handles, labels, loc="outside right center", fontsize=8)
    else:
        fig.legend(handles, labels, loc="outside right upper", fontsize=8)
    fig.suptitle(_("Growth by province: {table}").format(table=table), fontweight="bold")
    years = _(" (years under each title)") if period == "shared" else ""
    cut = _(" Each panel spans the dots; an interval reaching past its edge is cut there.") if many else ""
    # Wrapped to the figure's width (about 13 characters an inch at 8 points): a caption wider than the figure is cut.
    chars = max(40, int(fig.get_figwidth() * 13))
    caption = [_("Growth per year, {period}").format(period=_(PERIODS[period])) + f"{years}.{cut}",
               _("Data: {sources}").format(sources=textwrap.shorten(", ".join(comparison.provinces["source"]), 120))]
    fig.supxlabel("\n".join(textwrap.fill(line, chars) for line in caption), fontsize=8, color="0.3")
    return fig


def comparison_tables_with_values(comparison) -> list[str]:
    """The tables with at least one value in some province, in the comparison's order (blank tables get no figure)."""
    known = comparison.stacked[comparison.stacked["value"].notna()]
    return list(dict.fromkeys(known["table"]))


def show_growth_figures(comparison, *, period: str = "shared") -> None:
    """In a notebook: display each table's growth figure once (a blank table gets a note instead)."""
    from IPython.display import Markdown, display

    drawn = comparison_tables_with_values(comparison)
    for table in dict.fromkeys(comparison.stacked["table"]):
        if table not in drawn:
            display(Markdown("*" + _("No growth figure for {table}: no province has a value in it.").format(
                table=escape_markdown(table)) + "*"))
            continue
        fig = growth_figure(comparison, table, period=period)
        alt = _("Growth by province: {table}").format(table=table) + f", {_(PERIODS[period])}"
        display(fig, metadata={"image/png": {"alt": alt}})
        plt.close(fig)
