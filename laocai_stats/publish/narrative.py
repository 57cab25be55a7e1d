"""Narrative Markdown for the notebooks and the report; every number in it is computed from the data."""
from __future__ import annotations

import pandas as pd

from ..data.dataset import Dataset, as_dataset
from ..stats.channels import channel_comparison, channel_growth, last_year_change
from ..stats.ratios import RATIOS, agent_ratios, yearly_ratios
from ..stats.summary import ACTIVITY_KINDS, growth_summary, yearly_frame
from ..text import escape_markdown, number, percent

ALPHA = 0.05


def _num(value) -> str:
    if value is None or pd.isna(value):
        return "n/a"
    value = float(value)
    return number(value, 0) if value == int(value) else number(value, 1)


#: Below this R² the log-linear rate describes little of the series; the prose leans on Theil-Sen and the raw values.
POOR_FIT_R2 = 0.5
#: The last year "changes the picture" when the CAGR with it and without it differ in sign or by more than this.
LAST_YEAR_SHIFT = 0.10


def _interval_excludes_zero(low, high) -> bool:
    return not (pd.isna(low) or pd.isna(high)) and (low > 0 or high < 0)


def _trend_words(row) -> str:
    """The rank-order test as a sentence; never a verdict of "no trend" beside a rate whose interval excludes zero."""
    if pd.isna(row["kendall_p"]):
        return f"No rank-order test: {row['kendall_method']}."
    direction = "higher" if row["kendall_tau"] > 0 else "lower"
    stat = (f"Rank order: Kendall's tau = {row['kendall_tau']:.2f} (p = {row['kendall_p']:.3f} unadjusted, "
            f"{row['kendall_p_holm']:.3f} after Holm's adjustment; {row['kendall_method']}, {row['kendall_n']} years)")
    if row["kendall_p"] < ALPHA:
        text = f"{stat}: later years are consistently {direction} (unadjusted p < {ALPHA})."
    else:
        text = f"{stat}: the order of the years alone could arise by chance (unadjusted p ≥ {ALPHA})."
        if _interval_excludes_zero(row["trend_growth_low"], row["trend_growth_high"]):
            text += (" The fitted rate's interval excludes zero nonetheless: it assumes steady growth on the log scale, "
                     "which the rank-order test does not, so the two answer different questions.")
    return text


def _fit_words(row) -> str:
    """How much the fitted rate describes (R²), the robust Theil-Sen rate, and the raw series when the fit is poor."""
    if pd.isna(row["theil_sen_growth"]):
        return ""
    robust = (f"Theil-Sen rate (robust to one odd year): {percent(row['theil_sen_growth'])} a year "
              f"(95 % CI {percent(row['theil_sen_low'])} to {percent(row['theil_sen_high'])}).")
    if pd.isna(row["loglinear_r2"]):
        return f" {robust}"
    if row["loglinear_r2"] < POOR_FIT_R2:
        return (f" The log-linear fit describes little of this series (R² = {row['loglinear_r2']:.2f}), so its rate "
                f"says little; read the {robust[:-1]} and the values year by year.")
    return f" The log-linear fit describes most of the series (R² = {row['loglinear_r2']:.2f}). {robust}"


def last_year_changes_picture(row) -> bool:
    """True when the CAGR without the last year differs in sign from the CAGR, or by more than LAST_YEAR_SHIFT."""
    with_, without = row["cagr"], row["cagr_without_last_year"]
    if pd.isna(with_) or pd.isna(without):
        return False
    return (with_ > 0) != (without > 0) or abs(with_ - without) > LAST_YEAR_SHIFT


def _last_year_words(row, previous_year) -> str:
    if not last_year_changes_picture(row):
        return ""
    return (f" The last year, {row['last_year']}, changes the picture: from {row['first_year']} to {previous_year} "
            f"the compound rate was {percent(row['cagr_without_last_year'])} a year, with {row['last_year']} it is "
            f"{percent(row['cagr'])}.")


def _raw_values(frame: pd.DataFrame, row) -> str:
    part = frame[(frame["table"] == row["table"]) & (frame["indicator"] == row["indicator"])]
    return ", ".join(f"{int(y)}: {_num(v)}" for y, v in zip(part["year"], part["value"]))


def indicator_sentence(row, title: str, frame: pd.DataFrame | None = None) -> str:
    """One bullet for one yearly indicator's growth row (`frame`, the yearly frame, adds the raw values).

    `title` and the unit are the data's text, escaped.
    """
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
    text += _fit_words(row)
    if frame is not None and not pd.isna(row["loglinear_r2"]) and row["loglinear_r2"] < POOR_FIT_R2:
        text += f" Values: {_raw_values(frame, row)}."
    text += f" {_trend_words(row)}"
    if frame is not None:
        years = frame[(frame["table"] == row["table"]) & (frame["indicator"] == row["indicator"])].dropna(subset=["value"])["year"]
        text += _last_year_words(row, int(years.iloc[-2]) if len(years) >= 2 else None)
    if row["peak_year"] != row["last_year"] and row["peak_value"] != row["trough_value"]:
        text += f" It peaked in {row['peak_year']} at {_num(row['peak_value'])}."
    if row["kind"] == "level":
        text += " This is a level observed each year, so it is never summed over years."
    elif row["kind"] == "uncertain":
        text += (" The source does not say whether this counts what was added each year or what stood in place, so it "
                 "is never summed over years (the data package's note says why).")
    if row["n_missing"]:
        text += f" {row['n_missing']} of its {row['n_years']} years have no value and are left out, not read as zero."
    return text


def measures_note(summary: pd.DataFrame) -> str:
    """Once per narrative: what the rank-order test and the fitted rate measure, and the smallest p the years allow."""
    tested = summary.dropna(subset=["kendall_p"])
    return (f"*Two measures.* Kendall's test asks only whether later years rank higher (or lower) than earlier ones; "
            f"the log-linear rate fits steady growth on the log scale, and its interval holds only if that shape fits "
            f"(R² says how well). With as few years as these, the smallest two-sided p the rank-order test can reach "
            f"is {_min_exact_p(tested)}, so a p above {ALPHA} is weak evidence either way. Adjusted p-values treat the "
            f"{len(tested)} series with a test in growth.csv as one family.")


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
    frame = yearly_frame(dataset)
    lines += [indicator_sentence(row, spec.indicator(row["indicator"]).display, frame) for _, row in summary.iterrows()]
    ratios = yearly_ratios(dataset)
    ratios = ratios[ratios["table"] == name]
    for ratio in RATIOS:
        part = ratios[(ratios["ratio"] == ratio.name) & ratios["value"].notna()]
        if len(part) >= 2:
            first, last = part.iloc[0], part.iloc[-1]
            top = part.loc[part["value"].astype(float).idxmax()]
            lines.append(f"- **{ratio.label}**: {_num(first['value'])} in {first['year']}, {_num(last['value'])} in "
                         f"{last['year']}; highest in {top['year']} ({_num(top['value'])}).")
    notes = [f"- **{escape_markdown(i.display)}**: {escape_markdown(i.note)}" for i in spec.indicators if i.note]
    if notes:
        lines += ["", "**What the indicators count.**", ""] + notes
    lines += ["", measures_note(growth_summary(dataset))]
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
        lines.append(f"- The largest system is **{escape_markdown(top['label'])}**, with {percent(top['share_of_staff'])} of the staff and "
                     f"{percent(top['share_of_points'])} of the collection points.")
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
    flows = summary[summary["kind"].isin(ACTIVITY_KINDS)].dropna(subset=["cagr"])
    years = [int(y) for y in pd.concat([summary["first_year"], summary["last_year"]]).dropna()]
    lines = [f"### {escape_markdown(dataset.province)} at a glance", ""]
    lines.append(f"- {len(dataset.table_names())} tables; {len(summary)} yearly indicators"
                 + (f" covering {min(years)}-{max(years)}" if years else "") + ".")
    if len(flows):
        fastest = flows.loc[flows["cagr"].astype(float).idxmax()]
        slowest = flows.loc[flows["cagr"].astype(float).idxmin()]
        grew = int((flows["cagr"] > 0).sum())
        lines.append(f"- {grew} of {len(flows)} counts of activity with a growth rate were higher in their last year than their "
                     f"first (end points only; each table's notebook gives the trend).")
        lines.append(f"- Fastest: **{escape_markdown(fastest['title'])}** (Table {fastest['table_number']}), {percent(fastest['cagr'])} a year "
                     f"({_num(fastest['first_value'])} to {_num(fastest['last_value'])}).")
        lines.append(f"- Slowest: **{escape_markdown(slowest['title'])}** (Table {slowest['table_number']}), {percent(slowest['cagr'])} a year "
                     f"({_num(slowest['first_value'])} to {_num(slowest['last_value'])}).")
    tested = summary.dropna(subset=["kendall_p"])
    counts = {label: int((tested[column] < ALPHA).sum()) for label, column in
              (("unadjusted", "kendall_p"), ("Holm", "kendall_p_holm"), ("BH", "kendall_p_bh"))}
    lines.append(f"- Rank-order trend (Kendall's tau) below p = {ALPHA}: {counts['unadjusted']} of {len(tested)} tested "
                 f"series unadjusted; {counts['Holm']} after Holm's adjustment for {len(tested)} tests (family-wise "
                 f"error); {counts['BH']} after Benjamini-Hochberg's (false discovery rate).")
    poor = summary[summary["loglinear_r2"] < POOR_FIT_R2]
    if len(poor):
        lines.append(f"- {len(poor)} series fit a steady log-linear rate poorly (R² below {POOR_FIT_R2}): "
                     + "; ".join(f"{escape_markdown(r['title'])} ({r['loglinear_r2']:.2f})" for _, r in poor.iterrows())
                     + ". Their trend rates describe little; their tables' notebooks give the Theil-Sen rate and the raw values.")
    turned = summary[[last_year_changes_picture(r) for _, r in summary.iterrows()]]
    if len(turned):
        lines.append(f"- The last year changes the picture for {len(turned)} series (the compound rate without it differs in "
                     f"sign or by more than {LAST_YEAR_SHIFT * 100:.0f} percentage points): "
                     + "; ".join(f"{escape_markdown(r['title'])}, {percent(r['cagr_without_last_year'])} a year to the year before "
                                 f"{r['last_year']}, {percent(r['cagr'])} with it" for _, r in turned.iterrows()) + ".")
    lines.append(f"- {measures_note(summary)}")
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
    lines.append("- A series grew or declined when its log-linear trend's 95 % interval lies above or below zero; "
                 "otherwise its direction is not clear from so few years. Counts and medians take one series per "
                 "activity (a conference, not its attendees again).")
    for channel, row in comparison.iterrows():
        without = (f"; {row['without_rate']} without a growth rate (fewer than two years with a value)"
                   if row["without_rate"] else "")
        unchanged = f", {row['unchanged']} unchanged" if row["unchanged"] else ""
        no_trend = f", {row['no_trend']} without a trend" if row["no_trend"] else ""
        left_out = row["indicators"] - row["activities"]
        twice = f" ({left_out} attendance series of the same activities left out)" if left_out else ""
        lines.append(f"- **{channel.capitalize()}** channels: {row['activities']} activities{twice}; {row['grew']} grew, "
                     f"{row['declined']} declined, {row['no_clear_direction']} with no clear direction{unchanged}{no_trend}"
                     f"{without}; median compound growth {percent(row['median_cagr'])} a year "
                     f"(interquartile range {percent(row['cagr_q1'])} to {percent(row['cagr_q3'])}).")
    known = growth.dropna(subset=["cagr"])
    if len(known):
        top = known.head(3)
        lines.append("- Fastest compound growth: " + "; ".join(f"{escape_markdown(r['title'])} ({r['channel']}, {percent(r['cagr'])} a year)" for _, r in top.iterrows()) + ".")
        declined = known[known["direction"] == "declined"]
        if len(declined):
            lines.append("- Declined (trend interval below zero): " + "; ".join(
                f"{escape_markdown(r['title'])} ({r['channel']}, {_num(r['first_value'])} in {r['first_year']} to "
                f"{_num(r['last_value'])} in {r['last_year']})" for _, r in declined.iterrows()) + ".")
        else:
            lines.append("- No channel flow's trend interval lies below zero.")
        lower = known[(known["cagr"] < 0) & (known["direction"] != "declined")]
        if len(lower):
            lines.append("- Lower in the last year than the first, without a declining trend: " + "; ".join(
                f"{escape_markdown(r['title'])} ({_num(r['first_value'])} to {_num(r['last_value'])}; direction: {r['direction']})"
                for _, r in lower.iterrows()) + ".")
    change = last_year_change(dataset).dropna(subset=["pct_change"])
    if len(change):
        year = int(change["year"].iloc[0])
        falls = change[change["pct_change"] < 0]
        rises = change[change["pct_change"] > 0]
        labels = {i.name: escape_markdown(i.display) for t in dataset.table_names() for i in dataset.spec(t).indicators}
        lines.append(f"- Into {year}, the last year of the data: {len(falls)} series fell and {len(rises)} rose against {year - 1}.")
        if len(falls):
            lines.append("  Falls: " + "; ".join(f"{labels[r['indicator']]} {_num(r['previous'])} to {_num(r['value'])} ({percent(r['pct_change'])})"
                                               for _, r in falls.iterrows()) + ".")
        if len(rises):
            biggest = rises.iloc[-1]
            lines.append(f"  Largest rise: {labels[biggest['indicator']]}, {_num(biggest['previous'])} to {_num(biggest['value'])} "
                         f"({percent(biggest['pct_change'])}).")
    return "\n".join(lines)
