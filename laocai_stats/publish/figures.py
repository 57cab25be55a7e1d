"""Figures: plot functions that draw on an Axes and return it, and the registry of the project's figures.

Plot functions take the data first, then keyword-only options, accept `ax=None` and return the
Axes; they set no global theme (notebooks and `reproduce` apply `style.THEME`). A missing value
is drawn as a gap, never as zero.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import (
    FuncFormatter,
    LogLocator,
    MaxNLocator,
    NullFormatter,
)

from ..data.dataset import Dataset, as_dataset
from ..errors import LaocaiError
from ..stats.growth import index as index_series
from ..stats.ratios import RATIOS, ratios_as_series, yearly_ratios
from ..text import DEFAULT_LANGUAGE, N_, _, escape_markdown, in_data_language, language, missing, number, shorten
from .sources import PAPER_SHORT, credit, tables_label
from .style import percent_axis, save_figure  # noqa: F401  (save_figure: where reproduce and the notebooks have always found it)

INDEX_LABEL = N_("Index, first year with a value = 100")


def _axes(ax: Axes | None) -> Axes:
    return ax if ax is not None else plt.gca()


def _thousands(ax: Axes) -> None:
    if language() != DEFAULT_LANGUAGE:
        # The locale's separators (Vietnamese 1.263 and 0,5) on the axis too.
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v, 0) if abs(v) >= 1000 or v == int(v) else number(v, 1)))
        return
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"))


#: In a figure of panels laid out by constrained layout, the layout makes room for the whole source line beside the
#: first panel: a line longer than this many panel widths (a province's own source, or a translated one) would push
#: the other panels away or squeeze them to nothing, so it is wrapped to one panel's width.
SOURCE_MAX_PANELS = 1.25


def add_source(ax: Axes, text: str) -> Axes:
    """Write the source line under the Axes (kept by bbox_inches='tight' when saved)."""
    note = ax.annotate(text, xy=(0, 0), xycoords="axes fraction", xytext=(0, -40), textcoords="offset points",
                       ha="left", va="top", fontsize=8, color="0.3", annotation_clip=False)
    fig = ax.figure
    if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine) and ax.get_subplotspec() is not None:
        width = note.get_window_extent(fig.canvas.get_renderer()).width
        panel = fig.bbox.width / ax.get_subplotspec().get_gridspec().ncols
        if width > SOURCE_MAX_PANELS * panel:
            import textwrap

            note.set_text(textwrap.fill(text, width=max(20, int(len(text) * panel / width)), break_long_words=False))
    return ax


def plot_series(data: pd.DataFrame, *, indicators=None, labels: dict | None = None, index: bool = False,
                log: bool = False, ax: Axes | None = None, title: str | None = None, ylabel: str | None = None) -> Axes:
    """Lines of value (or index) by year, one per indicator, in one unit.

    Mixing units on one axis is refused unless `index=True`. Missing years are gaps in the line. A count axis
    starts at zero; a log axis says so in its label.
    """
    ax = _axes(ax)
    frame = data if indicators is None else data[data["indicator"].isin(indicators)]
    if frame.empty:
        raise LaocaiError("nothing to plot: no rows for the indicators asked for")
    order = list(dict.fromkeys(frame["indicator"])) if indicators is None else [i for i in indicators if i in set(frame["indicator"])]
    if index:
        frame = index_series(frame)
        column, ylabel = "index", _(INDEX_LABEL)
    else:
        units = frame["unit"].unique()
        if len(units) > 1:
            raise LaocaiError(f"these indicators have different units ({', '.join(units)}); plot them apart or use index=True")
        column, ylabel = "value", ylabel or str(units[0])
    years = sorted(frame["year"].unique())
    palette = sns.color_palette(n_colors=max(len(order), 1))
    markers = ["o", "s", "^", "D", "v", "P", "X"]
    for n, name in enumerate(order):
        series = frame[frame["indicator"] == name].set_index("year")[column].reindex(years)
        y = series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        ax.plot(years, y, marker=markers[n % len(markers)], color=palette[n], label=(labels or {}).get(name, name), gid=name)
    ax.set_xticks(years)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_("Year"))
    ax.set_ylabel(ylabel + (_(" (log scale)") if log else ""))
    if not index and not log:
        ax.set_ylim(bottom=0)
    if log:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_minor_formatter(NullFormatter())
    _thousands(ax)
    if len(order) > 1:
        ax.legend(loc="best", fontsize=7 if len(order) > 4 else 8)
    if title:
        ax.set_title(title)
    return ax


def plot_groups(data: pd.DataFrame, *, labels: dict | None = None, group_labels: dict | None = None,
                ax: Axes | None = None, title: str | None = None) -> Axes:
    """Horizontal bars per group (Table 1's agent systems), one colour per indicator."""
    ax = _axes(ax)
    frame = data.copy()
    frame["value"] = frame["value"].astype("Float64").astype(float)
    frame["Indicator"] = frame["indicator"].map(lambda i: (labels or {}).get(i, i))
    frame["Group"] = frame["group"].map(lambda g: (group_labels or {}).get(g, g))
    sns.barplot(data=frame, y="Group", x="value", hue="Indicator", orient="h", ax=ax, errorbar=None)
    units = list(dict.fromkeys(frame["unit"]))
    ax.set_xlabel(units[0] if len(units) == 1 else _("count ({units})").format(units="; ".join(
        f"{label}: {unit}" for label, unit in dict.fromkeys(zip(frame["Indicator"], frame["unit"])))))
    ax.set_ylabel("")
    if frame["indicator"].nunique() > 1:
        ax.legend(loc="lower right", fontsize=8, title=None)
    elif ax.get_legend():
        ax.get_legend().remove()
    if title:
        ax.set_title(title)
    return ax


def plot_growth(summary: pd.DataFrame, *, labels: dict | None = None, ax: Axes | None = None,
                title: str | None = None) -> Axes:
    """CAGR per indicator as bars, with the log-linear trend growth and its 95 % interval as a whisker."""
    ax = _axes(ax)
    frame = summary.reset_index(drop=True)
    names = [(labels or {}).get(i, i) for i in frame["indicator"]]
    positions = np.arange(len(frame))
    cagr = frame["cagr"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    trend = frame["trend_growth"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    low = frame["trend_growth_low"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    high = frame["trend_growth_high"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    colors = [sns.color_palette()[0] if not np.isnan(c) and c >= 0 else sns.color_palette()[3] for c in cagr]
    ax.barh(positions, np.nan_to_num(cagr, nan=0.0), color=colors, label=_("CAGR, first to last year"), gid="cagr")
    drawn = not np.isnan(trend).all()
    ax.errorbar(trend, positions, xerr=[trend - low, high - trend], fmt="o", color="0.15", ms=4,
                capsize=3, label=_("Log-linear trend growth, 95 % CI") if drawn else None, gid="trend")
    for pos, value in zip(positions, cagr):
        if np.isnan(value):
            ax.annotate(missing(), (0, pos), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.axvline(0, color="0.4", lw=0.8)
    ax.set_yticks(positions, names, fontsize=8)
    ax.invert_yaxis()
    percent_axis(ax.xaxis)
    ax.set_xlabel(_("Growth per year"))
    ax.legend(loc="lower right", fontsize=8)
    if title:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------------------------------------
# The registry: every figure the project publishes, the notebook that shows it, and how to draw it.

@dataclass(frozen=True)
class FigureSpec:
    name: str
    notebook: str
    tables: tuple[str, ...]
    caption: str
    draw: Callable[[Dataset], Figure]
    # Narrower than "any value in its tables" for figures of chosen indicators or ratios, so that a
    # blank indicator skips its figure with a note instead of failing to draw it.
    available: Callable[[Dataset], bool] | None = None


def source_line(dataset: Dataset, tables) -> str:
    numbers = ", ".join(_("Table {number}").format(number=dataset.spec(t).number) for t in tables if t in dataset.specs)
    if dataset.citation:
        origins = ", ".join(dict.fromkeys(dataset.spec(t).source for t in tables if t in dataset.specs))
        return _("Source: {paper}, {tables}; data from {origins}.").format(paper=PAPER_SHORT, tables=numbers, origins=origins)
    return credit(dataset, tables)


def _in_language(rows: pd.DataFrame, dataset: Dataset, table: str) -> pd.DataFrame:
    """The table's rows with their units in the current language (axis labels); unchanged in English."""
    if language() == DEFAULT_LANGUAGE:
        return rows
    units = {i.name: i.text("unit") for i in dataset.spec(table).indicators}
    return rows.assign(unit=rows["indicator"].map(units).fillna(rows["unit"]))


def _titles(dataset: Dataset, table: str) -> dict:
    return {i.name: i.display for i in dataset.spec(table).indicators}


def _has_values(dataset: Dataset, table: str, indicators=None) -> bool:
    if table not in dataset.specs:
        return False
    rows = dataset.table(table).rows
    if indicators is not None:
        rows = rows[rows["indicator"].isin(indicators)]
    return bool(rows["value"].notna().any())


def _panels(dataset: Dataset, table: str, title: str) -> Figure:
    """One panel per indicator with values, each in its own unit."""
    spec = dataset.spec(table)
    rows = _in_language(dataset.table(table).rows, dataset, table)
    names = [i.name for i in spec.indicators if rows.loc[rows["indicator"] == i.name, "value"].notna().any()]
    fig, axes = plt.subplots(1, len(names), figsize=(4.6 * len(names), 4.4), squeeze=False, layout="constrained")
    for ax, name in zip(axes[0], names):
        plot_series(rows, indicators=[name], ax=ax, title=_panel_title(spec.indicator(name)))
        ax.title.set_fontsize(10)
    fig.suptitle(title, fontweight="bold")
    add_source(axes[0][0], source_line(dataset, [table]))
    return fig


def _panel_title(indicator) -> str:
    """The indicator's title, with the label the paper prints when the title renames it and a note says so."""
    if indicator.note and indicator.title and indicator.title != indicator.label:
        return _('{title}\n(printed: "{label}")').format(title=indicator.display, label=indicator.label)
    return indicator.display


def _single(dataset: Dataset, table: str, indicators, title: str, *, index=False, log=False, ylabel=None) -> Figure:
    fig, ax = plt.subplots()
    rows = _in_language(dataset.table(table).rows, dataset, table)
    present = [i for i in indicators if rows.loc[rows["indicator"] == i, "value"].notna().any()]
    plot_series(rows, indicators=present, labels=_titles(dataset, table), ax=ax, title=title, index=index, log=log,
                ylabel=ylabel)
    add_source(ax, source_line(dataset, [table]))
    return fig


def _agents(dataset: Dataset) -> Figure:
    """One panel per indicator (each in its own unit), agent systems as rows."""
    spec = dataset.spec("agents")
    rows = _in_language(dataset.table("agents").rows, dataset, "agents")
    names = [i.name for i in spec.indicators]
    fig, axes = plt.subplots(1, len(names), figsize=(4.6 * len(names), 4.8), sharey=True, squeeze=False,
                             layout="constrained")
    for ax, name in zip(axes[0], names):
        plot_groups(rows[rows["indicator"] == name], labels=_titles(dataset, "agents"),
                    group_labels={g.name: g.text("label") for g in spec.groups}, ax=ax, title=spec.indicator(name).display)
        ax.title.set_fontsize(10)
    title = (_("Agent staff and collection points by agent system, {province}") if _paper_counts(dataset) else
             _("Table {number}, each count by {group}, {province}"))
    fig.suptitle(title.format(number=spec.number, group=spec.group_word(),
                              province=shorten(dataset.province)), fontweight="bold")
    add_source(axes[0][0], source_line(dataset, ["agents"]))
    return fig


def _paper_counts(dataset: Dataset) -> bool:
    """Whether Table 1 holds the paper's two counts and no other, so that its figure's title and caption may name them."""
    return [i.name for i in dataset.spec("agents").indicators] == ["agent_staff", "collection_points"]


def _ratios_have_values(dataset: Dataset, names) -> bool:
    ratios = yearly_ratios(dataset)
    return bool(ratios.loc[ratios["ratio"].isin(names), "value"].notna().any())


def _ratio_figure(dataset: Dataset, names, title: str) -> Figure:
    ratios = yearly_ratios(dataset)
    ratios = ratios[ratios["ratio"].isin(names) & ratios["value"].notna()]
    if ratios.empty:
        raise LaocaiError("no ratio has values in these data")
    series = ratios_as_series(ratios)
    fig, ax = plt.subplots()
    if language() != DEFAULT_LANGUAGE:
        series = series.assign(unit=series["unit"].map(_))
    plot_series(series, labels={r.name: _(r.label) for r in RATIOS}, ax=ax, title=title)
    add_source(ax, source_line(dataset, list(dict.fromkeys(ratios["table"]))))
    return fig


def _growth(dataset: Dataset, tables, title: str) -> Figure:
    """Every activity count of `tables`; `title` names the {tables} actually plotted and the {province}."""
    from ..stats.summary import ACTIVITY_KINDS, growth_summary

    summary = growth_summary(dataset)
    summary = summary[summary["table"].isin(tables) & summary["kind"].isin(ACTIVITY_KINDS)]
    plotted = tables_label(dataset.spec(t).number for t in dict.fromkeys(summary["table"]))
    title = title.format(tables=plotted, province=shorten(dataset.province))
    labels = {i.name: i.display for t in tables if t in dataset.specs for i in dataset.spec(t).indicators}
    fig, ax = plt.subplots(figsize=(8.0, 0.42 * len(summary) + 1.6))
    plot_growth(summary, labels=labels, ax=ax, title=title)
    add_source(ax, source_line(dataset, tables))
    return fig


def _channel_flows_have_values(dataset: Dataset) -> bool:
    from ..stats.channels import channel_series

    return bool(channel_series(dataset)["value"].notna().any())


def _channel_index(dataset: Dataset) -> Figure:
    from ..stats.channels import channel_series

    frame = channel_series(dataset)
    # A series with no value at all would be an empty line on a log axis: leave it out.
    known = frame.groupby(["table", "indicator"], sort=False)["value"].transform(lambda v: v.notna().any())
    frame = frame[known.astype(bool)]
    channels = list(dict.fromkeys(frame["channel"]))
    fig, axes = plt.subplots(1, len(channels), figsize=(6.4 * len(channels), 5.6), sharey=True, squeeze=False,
                             layout="constrained")
    labels = {i.name: i.display for t in dataset.table_names() for i in dataset.spec(t).indicators}
    for ax, channel in zip(axes[0], channels):
        part = frame[frame["channel"] == channel]
        plot_series(part, labels=labels, index=True, log=True, ax=ax, title=_("{channel} communication").format(channel=_(str(channel)).capitalize()))
        ax.title.set_fontsize(10)
    add_source(axes[0][0], source_line(dataset, list(dict.fromkeys(frame["table"]))))
    fig.suptitle(_("Direct against indirect channels, {province}").format(province=shorten(dataset.province)), fontweight="bold")
    return fig


FLOW_TABLES = ("conferences", "publications", "website", "press")

FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("overview_growth", "01-overview", FLOW_TABLES,
               N_("Growth per year of every flow indicator: CAGR and log-linear trend with 95 % interval"),
               lambda d: _growth(d, yearly_tables(d), _("Growth per year of each count of activity, {tables}, {province}"))),
    FigureSpec("agents_by_system", "02-agents", ("agents",),
               N_("Agent staff and collection points by agent system (Table 1)"), _agents),
    FigureSpec("conferences_counts", "03-conferences", ("conferences",),
               N_("Conferences per year by kind (Table 2)"),
               lambda d: _single(d, "conferences", ["training_conferences", "post_office_conferences", "health_insurance_conferences"],
                                 _("Conferences held per year, {province}").format(province=shorten(d.province))),
               lambda d: _has_values(d, "conferences", ["training_conferences", "post_office_conferences", "health_insurance_conferences"])),
    FigureSpec("conferences_attendees", "03-conferences", ("conferences",),
               N_("Attendees per year by kind of conference (Table 2)"),
               lambda d: _single(d, "conferences", ["training_attendees", "post_office_attendees", "health_insurance_attendees"],
                                 _("Conference attendances per year, {province}").format(province=shorten(d.province)),
                                 ylabel=_("attendances (a person at two conferences counts twice)")),
               lambda d: _has_values(d, "conferences", ["training_attendees", "post_office_attendees", "health_insurance_attendees"])),
    FigureSpec("conferences_attendees_per_conference", "03-conferences", ("conferences",),
               N_("Attendees per conference (Table 2)"),
               lambda d: _ratio_figure(d, [r.name for r in RATIOS if r.table == "conferences"],
                                       _("Attendees per conference, {province}").format(province=shorten(d.province))),
               lambda d: _ratios_have_values(d, [r.name for r in RATIOS if r.table == "conferences"])),
    FigureSpec("conferences_coordinating_units", "03-conferences", ("conferences",),
               N_("Coordinating units each year (Table 2)"),
               lambda d: _single(d, "conferences", ["coordinating_units"], _("Coordinating units, {province}").format(province=shorten(d.province))),
               lambda d: _has_values(d, "conferences", ["coordinating_units"])),
    FigureSpec("publications_by_kind", "04-publications", ("publications",),
               N_("Posters, flyers and collection agent signs per year (Table 3)"),
               lambda d: _panels(d, "publications", _("Visual propaganda and publications, {province}").format(province=shorten(d.province)))),
    FigureSpec("website_articles_visits", "05-website", ("website",),
               N_("Website articles and visits per year (Table 4)"),
               lambda d: _panels(d, "website", _("The provincial website, {province}").format(province=shorten(d.province)))),
    FigureSpec("website_visits_per_article", "05-website", ("website",),
               N_("Website visits per article (Table 4)"),
               lambda d: _ratio_figure(d, ["visits_per_article"], _("Website visits per article, {province}").format(province=shorten(d.province))),
               lambda d: _ratios_have_values(d, ["visits_per_article"])),
    FigureSpec("press_items_broadcasts", "06-press", ("press",),
               N_("Press, radio-TV items and loudspeaker broadcasts per year (Table 5)"),
               lambda d: _panels(d, "press", _("Press, radio-TV and loudspeakers, {province}").format(province=shorten(d.province)))),
    FigureSpec("channels_index", "07-channels", FLOW_TABLES,
               N_("Direct and indirect channels as an index, first year = 100 (Tables 2-5)"), _channel_index,
               lambda d: _channel_flows_have_values(d)),
)


MORE_TABLES_NOTEBOOK = "10-more-tables"


def yearly_tables(dataset: Dataset) -> list[str]:
    """Every table keyed by year, the paper's and the province's own, in table-number order."""
    return [t for t in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number) if dataset.spec(t).keyed_by == "year"]


def extra_tables(dataset: Dataset) -> list[str]:
    """The tables a data set adds to the paper's five, in table-number order."""
    return [t for t in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number) if not dataset.spec(t).reference]


def table_figure_name(dataset: Dataset, table: str) -> str:
    return f"table{dataset.spec(table).number}_{table}"


def figures_for(dataset: Dataset) -> tuple[FigureSpec, ...]:
    """The registry for one data set: the project's figures, then one generic figure per table it adds."""
    dataset = as_dataset(dataset)
    added = tuple(
        FigureSpec(table_figure_name(dataset, t), MORE_TABLES_NOTEBOOK, (t,),
                   _("Each indicator of Table {number} per year ({caption})").format(number=dataset.spec(t).number,
                                                                                     caption=dataset.spec(t).caption),
                   lambda d, t=t: _panels(d, t, _("Table {number}: {caption}, {province}").format(
                       number=d.spec(t).number, caption=d.spec(t).caption, province=shorten(d.province))))
        for t in extra_tables(dataset)
    )
    if "agents" in dataset.table_names() and not _paper_counts(dataset):  # a count added to Table 1, or one not reported
        spec = dataset.spec("agents")
        caption = _("Each count by {group} (Table {number})").format(group=spec.group_word(),
                                                                     number=spec.number)
        return tuple(replace(f, caption=caption) if f.tables == ("agents",) else f for f in FIGURES) + added
    return FIGURES + added


def figure_spec(name: str, dataset: Dataset | None = None) -> FigureSpec:
    known = figures_for(dataset) if dataset is not None else FIGURES
    for spec in known:
        if spec.name == name:
            return spec
    raise LaocaiError(f"unknown figure '{name}'; known: {', '.join(f.name for f in known)}")


def figure_available(name: str, dataset: Dataset) -> bool:
    """Whether the data hold values for the figure's tables (a table left blank has no figure), and
    for the figure's own indicators or ratios where it draws only some (a blank indicator has none)."""
    dataset = as_dataset(dataset)
    spec = figure_spec(name, dataset)
    if not any(_has_values(dataset, t) for t in spec.tables):
        return False
    return spec.available is None or spec.available(dataset)


@in_data_language
def draw(name: str, dataset: Dataset) -> Figure:
    """Draw one registered figure from the data; the caller shows or saves it."""
    dataset = as_dataset(dataset)
    spec = figure_spec(name, dataset)
    if not figure_available(name, dataset):
        raise LaocaiError(f"figure '{name}' needs values in {', '.join(spec.tables)} ({spec.caption}), and the data have none")
    return spec.draw(dataset)


@in_data_language
def show(name: str, dataset: Dataset) -> None:
    """In a notebook: display one registered figure once, or a note saying why the data have none."""
    from IPython.display import Markdown, display

    dataset = as_dataset(dataset)
    if not figure_available(name, dataset):
        display(Markdown(_("*No figure '{name}': {province}'s data have no values to draw it from ({caption}); "
                           "blank cells are missing, not zero.*").format(name=name, province=escape_markdown(dataset.province),
                                                                        caption=_(figure_spec(name, dataset).caption))))
        return
    fig = draw(name, dataset)
    # The registry's caption becomes the image's alt text in every rendering of the notebook (nbconvert reads it).
    display(fig, metadata={"image/png": {"alt": _(figure_spec(name, dataset).caption)}})
    plt.close(fig)
