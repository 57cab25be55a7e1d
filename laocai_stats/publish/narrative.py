"""Narrative Markdown for the notebooks and the report; every number in it is computed from the data."""
from __future__ import annotations

import pandas as pd

from ..data.dataset import Dataset, as_dataset
from ..stats.channels import channel_comparison, channel_growth, last_year_change
from ..stats.ratios import RATIOS, agent_ratios, yearly_ratios
from ..stats.summary import growth_summary
from ..text import escape_markdown, number, percent

ALPHA = 0.05


def _num(value) -> str:
    if value is None or pd.isna(value):
        return "n/a"
    value = float(value)
    return number(value, 0) if value == int(value) else number(value, 1)


def _trend_words(row) -> str:
    """Kendall's verdict as a sentence, saying how few points there were."""
    if pd.isna(row["kendall_p"]):
        return f"No trend test: {row['kendall_method']}."
    direction = "rise" if row["kendall_tau"] > 0 else "fall"
    stat = f"Kendall's tau = {row['kendall_tau']:.2f} (p = {row['kendall_p']:.3f}, {row['kendall_method']}, {row['kendall_n']} years)"
    if row["kendall_p"] < ALPHA:
        return f"{stat}: a steady {direction}, unlikely to be chance."
    return f"{stat}: not distinguishable from no trend."


def indicator_sentence(row, title: str) -> str:
    """One bullet for one yearly indicator's growth row; `title` and the unit are the data's text, escaped."""
    title = escape_markdown(title)
    row = {**row, "unit": escape_markdown(row["unit"])}
    if pd.isna(row["first_year"]):
        return f"- **{title}**: no value in the data."
    if row["first_year"] == row["last_year"]:
        return f"- **{title}**: only one year with a value ({row['first_year']}: {_num(row['first_value'])} {row['unit']})."
    text = (f"- **{title}**: {_num(row['first_value'])} in {row['first_year']} to {_num(row['last_value'])} in "
            f"{row['last_year']} ({row['unit']}; change {percent(row['pct_change'])}")
    if not pd.isna(row["cagr"]):
        text += f", {percent(row['cagr'])} a year compounded"
    text += ")."
    if not pd.isna(row["trend_growth_low"]):
        text += (f" Log-linear trend: {percent(row['trend_growth'])} a year "
                 f"(95 % CI {percent(row['trend_growth_low'])} to {percent(row['trend_growth_high'])}).")
    elif row["trend_note"]:
        text += f" No trend interval: {row['trend_note']}."
    text += f" {_trend_words(row)}"
    if row["peak_year"] != row["last_year"] and row["peak_value"] != row["trough_value"]:
        text += f" It peaked in {row['peak_year']} at {_num(row['peak_value'])}."
    if row["kind"] == "level":
        text += " This is a level observed each year, so it is never summed over years."
    if row["n_missing"]:
        text += f" {row['n_missing']} of its {row['n_years']} years have no value and are left out, not read as zero."
    return text


def totals_sentences(name: str, dataset: Dataset) -> list[str]:
    """The audit's check of each printed total of the table (part 1 of `laocai-stats audit`), in words."""
    from ..audit.common import INCONSISTENT
    from ..audit.totals import printed_total_checks

    spec = as_dataset(dataset).spec(name)
    out = []
    for indicator, check in printed_total_checks(name, dataset):
        text = f"- **{escape_markdown(spec.indicator(indicator).display)}**, printed total {_num(check['printed'])}: {check['note']}"
        if check["verdict"] == INCONSISTENT:
            text += f" ({check['numbers']}.) The data keep the printed total; the audit reports it."
        out.append(text)
    return out


def table_narrative(name: str, dataset: Dataset) -> str:
    """The closing narrative of one table's notebook."""
    dataset = as_dataset(dataset)
    spec = dataset.spec(name)
    if spec.keyed_by == "group":
        return _agents_narrative(dataset)
    summary = growth_summary(dataset)
    summary = summary[summary["table"] == name]
    lines = [f"### What Table {spec.number} shows for {escape_markdown(dataset.province)}", ""]
    lines += [indicator_sentence(row, spec.indicator(row["indicator"]).display) for _, row in summary.iterrows()]
    ratios = yearly_ratios(dataset)
    ratios = ratios[ratios["table"] == name]
    for ratio in RATIOS:
        part = ratios[(ratios["ratio"] == ratio.name) & ratios["value"].notna()]
        if len(part) >= 2:
            first, last = part.iloc[0], part.iloc[-1]
            top = part.loc[part["value"].astype(float).idxmax()]
            lines.append(f"- **{ratio.label}**: {_num(first['value'])} in {first['year']}, {_num(last['value'])} in "
                         f"{last['year']}; highest in {top['year']} ({_num(top['value'])}).")
    total_lines = totals_sentences(name, dataset)
    if total_lines:
        lines += ["", "**Printed totals.**", ""] + total_lines
    return "\n".join(lines)


def _agents_narrative(dataset) -> str:
    ratios = agent_ratios(dataset)
    staff, points = ratios["agent_staff"], ratios["collection_points"]
    lines = [f"### What Table 1 shows for {escape_markdown(dataset.province)}", ""]
    lines.append(f"- {len(ratios)} agent systems; their rows add up to {_num(staff.sum())} agent staff and "
                 f"{_num(points.sum())} collection points" + (" (some rows have no value, so these sums are partial)." if staff.isna().any() or points.isna().any() else "."))
    known = ratios.dropna(subset=["share_of_staff"])
    if len(known):
        top = known.loc[known["share_of_staff"].astype(float).idxmax()]
        points_share = (f"{percent(top['share_of_points'])} of the collection points" if pd.notna(top["share_of_points"])
                        else "its collection points not given")
        lines.append(f"- The largest system is **{escape_markdown(top['label'])}**, with {percent(top['share_of_staff'])} of the staff and "
                     f"{points_share}.")
    per_point = ratios.dropna(subset=["staff_per_point"])
    if len(per_point):
        most = per_point.loc[per_point["staff_per_point"].astype(float).idxmax()]
        one = int((per_point["staff_per_point"] == 1).sum())
        lines.append(f"- {one} of {len(per_point)} systems have exactly one agent per collection point; "
                     f"**{escape_markdown(most['label'])}** has the most, {_num(most['staff_per_point'])} staff per point "
                     f"({_num(most['agent_staff'])} staff for {_plural(most['collection_points'], 'collection point')}).")
    lines.append("- Table 1 is a one-time snapshot: there are no years, so it has no growth rates.")
    total_lines = totals_sentences("agents", dataset)
    if total_lines:
        lines += ["", "**Printed totals.**", ""] + total_lines
    return "\n".join(lines)


def _plural(count, noun: str) -> str:
    return f"{_num(count)} {noun}{'' if count == 1 else 's'}"


def overview_narrative(dataset: Dataset) -> str:
    dataset = as_dataset(dataset)
    summary = growth_summary(dataset)
    flows = summary[summary["kind"] == "flow"].dropna(subset=["cagr"])
    years = [int(y) for y in pd.concat([summary["first_year"], summary["last_year"]]).dropna()]
    lines = [f"### {escape_markdown(dataset.province)} at a glance", ""]
    lines.append(f"- {len(dataset.table_names())} tables; {len(summary)} yearly indicators"
                 + (f" covering {min(years)}-{max(years)}" if years else "") + ".")
    if len(flows):
        fastest = flows.loc[flows["cagr"].astype(float).idxmax()]
        slowest = flows.loc[flows["cagr"].astype(float).idxmin()]
        grew = int((flows["cagr"] > 0).sum())
        lines.append(f"- {grew} of {len(flows)} flows with a growth rate grew between their first and last year.")
        lines.append(f"- Fastest: **{escape_markdown(fastest['title'])}** (Table {fastest['table_number']}), {percent(fastest['cagr'])} a year "
                     f"({_num(fastest['first_value'])} to {_num(fastest['last_value'])}).")
        lines.append(f"- Slowest: **{escape_markdown(slowest['title'])}** (Table {slowest['table_number']}), {percent(slowest['cagr'])} a year "
                     f"({_num(slowest['first_value'])} to {_num(slowest['last_value'])}).")
    tested = summary.dropna(subset=["kendall_p"])
    steady = tested[tested["kendall_p"] < ALPHA]
    lines.append(f"- {len(steady)} of {len(tested)} tested series show a monotonic trend unlikely to be chance "
                 f"(Kendall's tau, p < {ALPHA}); with as few years as these, the smallest attainable p-value is "
                 f"{_min_exact_p(tested)}, so a non-significant result is weak evidence either way.")
    missing = int(summary["n_missing"].sum())
    if missing:
        lines.append(f"- {missing} indicator-years have no value; every statistic leaves them out rather than reading them as zero.")
    else:
        lines.append("- Every indicator has a value in every year of its table.")
    return "\n".join(lines)


def _min_exact_p(tested: pd.DataFrame) -> str:
    import math

    if tested.empty:
        return "n/a"
    n = int(tested["kendall_n"].min())
    return f"{2 / math.factorial(n):.3f} (for {n} years)"


def channels_narrative(dataset: Dataset) -> str:
    dataset = as_dataset(dataset)
    comparison = channel_comparison(dataset).set_index("channel")
    growth = channel_growth(dataset)
    lines = [f"### Direct against indirect communication, {escape_markdown(dataset.province)}", ""]
    for channel, row in comparison.iterrows():
        # Blank series have no rate: say so, or "7 indicators; 4 grew, 0 declined" leaves three unexplained.
        without = (f"; {row['without_rate']} without a growth rate (fewer than two years with a value)"
                   if row["without_rate"] else "")
        lines.append(f"- **{channel.capitalize()}** channels: {row['indicators']} flow indicators; {row['grew']} grew, "
                     f"{row['declined']} declined{without}; median growth {percent(row['median_cagr'])} a year.")
    known = growth.dropna(subset=["cagr"])
    if len(known):
        top = known.head(3)
        lines.append("- Fastest growing: " + "; ".join(f"{escape_markdown(r['title'])} ({r['channel']}, {percent(r['cagr'])} a year)" for _, r in top.iterrows()) + ".")
        declined = known[known["cagr"] < 0]
        if len(declined):
            lines.append("- Declined: " + "; ".join(f"{escape_markdown(r['title'])} ({r['channel']}, {_num(r['first_value'])} in {r['first_year']} to "
                                                   f"{_num(r['last_value'])} in {r['last_year']})" for _, r in declined.iterrows()) + ".")
        else:
            lines.append("- No channel flow declined between its first and last year.")
    change = last_year_change(dataset).dropna(subset=["pct_change"])
    if len(change):
        year = int(change["year"].iloc[0])
        falls = change[change["pct_change"] < 0]
        rises = change[change["pct_change"] > 0]
        labels = {i.name: escape_markdown(i.display) for t in dataset.table_names() for i in dataset.spec(t).indicators}
        lines.append(f"- Into {year}, the last year of the data: {len(falls)} flows fell and {len(rises)} rose against {year - 1}.")
        if len(falls):
            lines.append("  Falls: " + "; ".join(f"{labels[r['indicator']]} {_num(r['previous'])} to {_num(r['value'])} ({percent(r['pct_change'])})"
                                               for _, r in falls.iterrows()) + ".")
        if len(rises):
            biggest = rises.iloc[-1]
            lines.append(f"  Largest rise: {labels[biggest['indicator']]}, {_num(biggest['previous'])} to {_num(biggest['value'])} "
                         f"({percent(biggest['pct_change'])}).")
    return "\n".join(lines)


def more_tables_intro(dataset: Dataset) -> str:
    """Notebook 10's opening: the tables the data add to the paper's five, or that there are none."""
    from ..text import escape_markdown
    from .figures import extra_tables

    dataset = as_dataset(dataset)
    extra = extra_tables(dataset)
    province = escape_markdown(dataset.province)
    if not extra:
        return f"{province}'s data have no tables beyond the paper's five, so this notebook has nothing more to show."
    listed = "; ".join(f"Table {dataset.spec(t).number} ({escape_markdown(dataset.spec(t).caption)})" for t in extra)
    return f"{province}'s data add {_plural(len(extra), 'table')} to the paper's five: {listed}."


def table_heading(name: str, dataset: Dataset) -> str:
    """A table's heading and source line, for a notebook walking several tables."""
    from ..text import escape_markdown
    from .sources import data_line

    spec = as_dataset(dataset).spec(name)
    return f"## Table {spec.number}: {escape_markdown(spec.caption)}\n\n{data_line(dataset, name)}"
