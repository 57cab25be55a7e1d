"""Narrative Markdown for the notebooks and the report; every number in it is computed from the data."""
from __future__ import annotations

import pandas as pd

from ..data.dataset import Dataset, as_dataset
from ..stats.channels import channel_comparison, channel_growth, last_year_change
from ..stats.ratios import RATIOS, agent_ratios, yearly_ratios
from ..stats.summary import growth_summary
from ..text import _, escape_markdown, in_data_language, missing, number, percent

ALPHA = 0.05


def _num(value) -> str:
    if value is None or pd.isna(value):
        return missing()
    value = float(value)
    return number(value, 0) if value == int(value) else number(value, 1)


def _word(value) -> str:
    """A word growth.csv keeps in English (a method, a note, a channel) in the current language."""
    return _(str(value))


def _trend_words(row) -> str:
    """Kendall's verdict as a sentence, saying how few points there were."""
    if pd.isna(row["kendall_p"]):
        return _("No trend test: {method}.").format(method=_word(row["kendall_method"]))
    direction = _("rise") if row["kendall_tau"] > 0 else _("fall")
    stat = _("Kendall's tau = {tau} (p = {p}, {method}, {n} years)").format(
        tau=number(row["kendall_tau"], 2), p=number(row["kendall_p"], 3), method=_word(row["kendall_method"]), n=row["kendall_n"])
    if row["kendall_p"] < ALPHA:
        return _("{stat}: a steady {direction}, unlikely to be chance.").format(stat=stat, direction=direction)
    return _("{stat}: not distinguishable from no trend.").format(stat=stat)


def indicator_sentence(row, title: str, unit: str | None = None) -> str:
    """One bullet for one yearly indicator's growth row; `title` and the unit (in the current language, default the row's)
    are the data's text, escaped."""
    title = escape_markdown(title)
    unit = escape_markdown(unit or row["unit"])
    if pd.isna(row["first_year"]):
        return _("- **{title}**: no value in the data.").format(title=title)
    if row["first_year"] == row["last_year"]:
        return _("- **{title}**: only one year with a value ({year}: {value} {unit}).").format(
            title=title, year=row["first_year"], value=_num(row["first_value"]), unit=unit)
    text = _("- **{title}**: {first} in {first_year} to {last} in {last_year} ({unit}; change {change}").format(
        title=title, first=_num(row["first_value"]), first_year=row["first_year"], last=_num(row["last_value"]),
        last_year=row["last_year"], unit=unit, change=percent(row["pct_change"]))
    if not pd.isna(row["cagr"]):
        text += _(", {cagr} a year compounded").format(cagr=percent(row["cagr"]))
    text += ")."
    if not pd.isna(row["trend_growth_low"]):
        text += _(" Log-linear trend: {growth} a year (95 % CI {low} to {high}).").format(
            growth=percent(row["trend_growth"]), low=percent(row["trend_growth_low"]), high=percent(row["trend_growth_high"]))
    elif row["trend_note"]:
        text += _(" No trend interval: {note}.").format(note=_word(row["trend_note"]))
    text += f" {_trend_words(row)}"
    if row["peak_year"] != row["last_year"] and row["peak_value"] != row["trough_value"]:
        text += _(" It peaked in {year} at {value}.").format(year=row["peak_year"], value=_num(row["peak_value"]))
    if row["kind"] == "level":
        text += _(" This is a level observed each year, so it is never summed over years.")
    if row["n_missing"]:
        text += _(" {missing} of its {years} years have no value and are left out, not read as zero.").format(
            missing=row["n_missing"], years=row["n_years"])
    return text


@in_data_language
def totals_sentences(name: str, dataset: Dataset) -> list[str]:
    """The audit's check of each printed total of the table (part 1 of `laocai-stats audit`), in words."""
    from ..audit.common import INCONSISTENT
    from ..audit.totals import printed_total_checks

    spec = as_dataset(dataset).spec(name)
    out = []
    for indicator, check in printed_total_checks(name, dataset):
        text = _("- **{title}**, printed total {total}: {note}").format(
            title=escape_markdown(spec.indicator(indicator).display), total=_num(check["printed"]), note=check["note"])
        if check["verdict"] == INCONSISTENT:
            text += _(" ({numbers}.) The data keep the printed total; the audit reports it.").format(numbers=check["numbers"])
        out.append(text)
    return out


@in_data_language
def table_narrative(name: str, dataset: Dataset) -> str:
    """The closing narrative of one table's notebook."""
    dataset = as_dataset(dataset)
    spec = dataset.spec(name)
    if spec.keyed_by == "group":
        return _agents_narrative(dataset)
    summary = growth_summary(dataset)
    summary = summary[summary["table"] == name]
    lines = [_("### What Table {number} shows for {province}").format(number=spec.number, province=escape_markdown(dataset.province)), ""]
    lines += [indicator_sentence(row, spec.indicator(row["indicator"]).display, spec.indicator(row["indicator"]).text("unit"))
              for _index, row in summary.iterrows()]
    ratios = yearly_ratios(dataset)
    ratios = ratios[ratios["table"] == name]
    for ratio in RATIOS:
        part = ratios[(ratios["ratio"] == ratio.name) & ratios["value"].notna()]
        if len(part) >= 2:
            first, last = part.iloc[0], part.iloc[-1]
            top = part.loc[part["value"].astype(float).idxmax()]
            lines.append(_("- **{ratio}**: {first} in {first_year}, {last} in {last_year}; highest in {top_year} ({top}).").format(
                ratio=_(ratio.label), first=_num(first["value"]), first_year=first["year"], last=_num(last["value"]),
                last_year=last["year"], top_year=top["year"], top=_num(top["value"])))
    total_lines = totals_sentences(name, dataset)
    if total_lines:
        lines += ["", _("**Printed totals.**"), ""] + total_lines
    return "\n".join(lines)


def _agents_narrative(dataset) -> str:
    ratios = agent_ratios(dataset)
    staff, points = ratios["agent_staff"], ratios["collection_points"]
    lines = [_("### What Table {number} shows for {province}").format(number=1, province=escape_markdown(dataset.province)), ""]
    lines.append(_("- {systems} agent systems; their rows add up to {staff} agent staff and {points} collection points").format(
        systems=len(ratios), staff=_num(staff.sum()), points=_num(points.sum()))
        + (_(" (some rows have no value, so these sums are partial).") if staff.isna().any() or points.isna().any() else "."))
    known = ratios.dropna(subset=["share_of_staff"])
    if len(known):
        top = known.loc[known["share_of_staff"].astype(float).idxmax()]
        lines.append(_("- The largest system is **{label}**, with {staff} of the staff and {points} of the collection points.").format(
            label=escape_markdown(top["label"]), staff=percent(top["share_of_staff"]), points=percent(top["share_of_points"])))
    per_point = ratios.dropna(subset=["staff_per_point"])
    if len(per_point):
        most = per_point.loc[per_point["staff_per_point"].astype(float).idxmax()]
        one = int((per_point["staff_per_point"] == 1).sum())
        lines.append(_("- {one} of {systems} systems have exactly one agent per collection point; **{label}** has the most, "
                       "{ratio} staff per point ({staff} staff for {points}).").format(
            one=one, systems=len(per_point), label=escape_markdown(most["label"]), ratio=_num(most["staff_per_point"]),
            staff=_num(most["agent_staff"]), points=_plural(most["collection_points"])))
    lines.append(_("- Table 1 is a one-time snapshot: there are no years, so it has no growth rates."))
    total_lines = totals_sentences("agents", dataset)
    if total_lines:
        lines += ["", _("**Printed totals.**"), ""] + total_lines
    return "\n".join(lines)


def _plural(count) -> str:
    return (_("{count} collection point") if count == 1 else _("{count} collection points")).format(count=_num(count))


@in_data_language
def overview_narrative(dataset: Dataset) -> str:
    dataset = as_dataset(dataset)
    summary = growth_summary(dataset)
    flows = summary[summary["kind"] == "flow"].dropna(subset=["cagr"])
    years = [int(y) for y in pd.concat([summary["first_year"], summary["last_year"]]).dropna()]
    lines = [_("### {province} at a glance").format(province=escape_markdown(dataset.province)), ""]
    lines.append(_("- {tables} tables; {indicators} yearly indicators").format(tables=len(dataset.table_names()), indicators=len(summary))
                 + (_(" covering {first}-{last}").format(first=min(years), last=max(years)) if years else "") + ".")
    if len(flows):
        fastest = flows.loc[flows["cagr"].astype(float).idxmax()]
        slowest = flows.loc[flows["cagr"].astype(float).idxmin()]
        grew = int((flows["cagr"] > 0).sum())
        lines.append(_("- {grew} of {flows} flows with a growth rate grew between their first and last year.").format(grew=grew, flows=len(flows)))
        for words, row in ((_("Fastest"), fastest), (_("Slowest"), slowest)):
            lines.append(_("- {which}: **{title}** (Table {number}), {cagr} a year ({first} to {last}).").format(
                which=words, title=_title(dataset, row), number=row["table_number"], cagr=percent(row["cagr"]),
                first=_num(row["first_value"]), last=_num(row["last_value"])))
    tested = summary.dropna(subset=["kendall_p"])
    steady = tested[tested["kendall_p"] < ALPHA]
    lines.append(_("- {steady} of {tested} tested series show a monotonic trend unlikely to be chance (Kendall's tau, p < {alpha}); "
                   "with as few years as these, the smallest attainable p-value is {min_p}, so a non-significant result is weak "
                   "evidence either way.").format(steady=len(steady), tested=len(tested), alpha=number(ALPHA, 2), min_p=_min_exact_p(tested)))
    blanks = int(summary["n_missing"].sum())
    if blanks:
        lines.append(_("- {missing} indicator-years have no value; every statistic leaves them out rather than reading them as zero.").format(missing=blanks))
    else:
        lines.append(_("- Every indicator has a value in every year of its table."))
    return "\n".join(lines)


def _min_exact_p(tested: pd.DataFrame) -> str:
    import math

    if tested.empty:
        return missing()
    n = int(tested["kendall_n"].min())
    return _("{p} (for {n} years)").format(p=number(2 / math.factorial(n), 3), n=n)


def _title(dataset: Dataset, row) -> str:
    """An indicator's short title in the current language, escaped for Markdown (growth.csv keeps the English one)."""
    try:
        return escape_markdown(dataset.spec(row["table"]).indicator(row["indicator"]).display)
    except Exception:  # a series the descriptor does not name: its English title is all there is
        return escape_markdown(row["title"])


@in_data_language
def channels_narrative(dataset: Dataset) -> str:
    dataset = as_dataset(dataset)
    comparison = channel_comparison(dataset).set_index("channel")
    growth = channel_growth(dataset)
    lines = [_("### Direct against indirect communication, {province}").format(province=escape_markdown(dataset.province)), ""]
    for channel, row in comparison.iterrows():
        # Blank series have no rate: say so, or "7 indicators; 4 grew, 0 declined" leaves three unexplained.
        without = (_("; {count} without a growth rate (fewer than two years with a value)").format(count=row["without_rate"])
                   if row["without_rate"] else "")
        lines.append(_("- **{channel}** channels: {indicators} flow indicators; {grew} grew, {declined} declined{without}; "
                       "median growth {median} a year.").format(
            channel=_word(channel).capitalize(), indicators=row["indicators"], grew=row["grew"], declined=row["declined"],
            without=without, median=percent(row["median_cagr"])))
    known = growth.dropna(subset=["cagr"])
    if len(known):
        top = known.head(3)
        lines.append(_("- Fastest growing: ") + "; ".join(
            _("{title} ({channel}, {cagr} a year)").format(title=_title(dataset, r), channel=_word(r["channel"]), cagr=percent(r["cagr"]))
            for _index, r in top.iterrows()) + ".")
        declined = known[known["cagr"] < 0]
        if len(declined):
            lines.append(_("- Declined: ") + "; ".join(
                _("{title} ({channel}, {first} in {first_year} to {last} in {last_year})").format(
                    title=_title(dataset, r), channel=_word(r["channel"]), first=_num(r["first_value"]), first_year=r["first_year"],
                    last=_num(r["last_value"]), last_year=r["last_year"]) for _index, r in declined.iterrows()) + ".")
        else:
            lines.append(_("- No channel flow declined between its first and last year."))
    change = last_year_change(dataset).dropna(subset=["pct_change"])
    if len(change):
        year = int(change["year"].iloc[0])
        falls = change[change["pct_change"] < 0]
        rises = change[change["pct_change"] > 0]
        labels = {i.name: escape_markdown(i.display) for t in dataset.table_names() for i in dataset.spec(t).indicators}
        lines.append(_("- Into {year}, the last year of the data: {falls} flows fell and {rises} rose against {before}.").format(
            year=year, falls=len(falls), rises=len(rises), before=year - 1))
        if len(falls):
            lines.append(_("  Falls: ") + "; ".join(
                _("{title} {before} to {after} ({change})").format(title=labels[r["indicator"]], before=_num(r["previous"]),
                                                                  after=_num(r["value"]), change=percent(r["pct_change"]))
                for _index, r in falls.iterrows()) + ".")
        if len(rises):
            biggest = rises.iloc[-1]
            lines.append(_("  Largest rise: {title}, {before} to {after} ({change}).").format(
                title=labels[biggest["indicator"]], before=_num(biggest["previous"]), after=_num(biggest["value"]),
                change=percent(biggest["pct_change"])))
    return "\n".join(lines)
