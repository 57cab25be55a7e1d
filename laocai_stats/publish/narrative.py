"""Narrative Markdown for the notebooks and the report; every number in it is computed from the data."""
from __future__ import annotations

import pandas as pd

from ..data.dataset import Dataset, as_dataset
from ..stats.channels import channel_comparison, channel_growth, last_year_change
from ..stats.ratios import RATIOS, agent_ratios, yearly_ratios
from ..stats.summary import ACTIVITY_KINDS, growth_summary, yearly_frame
from ..stats.trend import note_in_language
from ..text import _, escape_markdown, in_data_language, missing, number, percent, pgettext, NC_

ALPHA = 0.05
#: A channel flow's direction (stats.channels.direction) as the narrative words it; the catalogue translates each.
DIRECTION = "direction"
DIRECTIONS = (NC_("direction", "grew"), NC_("direction", "declined"), NC_("direction", "no clear direction"),
              NC_("direction", "unchanged"), NC_("direction", "no trend"))


def _num(value) -> str:
    if value is None or pd.isna(value):
        return missing()
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
        return _("No rank-order test: {method}.").format(method=note_in_language(row["kendall_method"]))
    stat = _("Rank order: Kendall's tau = {tau} (p = {p} unadjusted, {p_holm} after Holm's adjustment; {method}, "
             "{n} years)").format(tau=number(row["kendall_tau"], 2), p=number(row["kendall_p"], 3),
                                  p_holm=number(row["kendall_p_holm"], 3), method=note_in_language(row["kendall_method"]), n=row["kendall_n"])
    alpha = number(ALPHA, 2)
    if row["kendall_p"] < ALPHA:
        if row["kendall_tau"] > 0:
            text = _("{stat}: later years are consistently higher (unadjusted p < {alpha}).").format(stat=stat, alpha=alpha)
        else:
            text = _("{stat}: later years are consistently lower (unadjusted p < {alpha}).").format(stat=stat, alpha=alpha)
    else:
        text = _("{stat}: the order of the years alone could arise by chance (unadjusted p ≥ {alpha}).").format(
            stat=stat, alpha=alpha)
        if _interval_excludes_zero(row["trend_growth_low"], row["trend_growth_high"]):
            text += " " + _("The fitted rate's interval excludes zero nonetheless: it assumes steady growth on the log "
                            "scale, which the rank-order test does not, so the two answer different questions.")
    return text


def _fit_words(row) -> str:
    """How much the fitted rate describes (R²), the robust Theil-Sen rate, and the raw series when the fit is poor."""
    if pd.isna(row["theil_sen_growth"]):
        return ""
    rates = dict(rate=percent(row["theil_sen_growth"]), low=percent(row["theil_sen_low"]), high=percent(row["theil_sen_high"]))
    robust = _("Theil-Sen rate (robust to one odd year): {rate} a year (95 % CI {low} to {high}).").format(**rates)
    if pd.isna(row["loglinear_r2"]):
        return f" {robust}"
    r2 = number(row["loglinear_r2"], 2)
    if row["loglinear_r2"] < POOR_FIT_R2:
        return " " + _("The log-linear fit describes little of this series (R² = {r2}), so its rate says little; read the "
                       "Theil-Sen rate (robust to one odd year): {rate} a year (95 % CI {low} to {high}) and the values "
                       "year by year.").format(r2=r2, **rates)
    return " " + _("The log-linear fit describes most of the series (R² = {r2}). {robust}").format(r2=r2, robust=robust)


def last_year_changes_picture(row) -> bool:
    """True when the CAGR without the last year differs in sign from the CAGR, or by more than LAST_YEAR_SHIFT."""
    with_, without = row["cagr"], row["cagr_without_last_year"]
    if pd.isna(with_) or pd.isna(without):
        return False
    return (with_ > 0) != (without > 0) or abs(with_ - without) > LAST_YEAR_SHIFT


def _last_year_words(row, previous_year) -> str:
    if not last_year_changes_picture(row):
        return ""
    return " " + _("The last year, {last}, changes the picture: from {first} to {previous} the compound rate was "
                   "{without} a year, with {last} it is {cagr}.").format(
        last=row["last_year"], first=row["first_year"], previous=previous_year,
        without=percent(row["cagr_without_last_year"]), cagr=percent(row["cagr"]))


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
        return _("- **{title}**: no value in the data.").format(title=title)
    if row["first_year"] == row["last_year"]:
        return _("- **{title}**: only one year with a value ({year}: {value} {unit}).").format(
            title=title, year=row["first_year"], value=_num(row["first_value"]), unit=row["unit"])
    values = dict(title=title, first_value=_num(row["first_value"]), first_year=row["first_year"],
                  last_value=_num(row["last_value"]), last_year=row["last_year"], unit=row["unit"],
                  change=percent(row["pct_change"]))
    if not pd.isna(row["cagr"]):
        text = _("- **{title}**: {first_value} in {first_year} to {last_value} in {last_year} ({unit}; change {change}, "
                 "{cagr} a year compounded).").format(cagr=percent(row["cagr"]), **values)
    else:
        text = _("- **{title}**: {first_value} in {first_year} to {last_value} in {last_year} ({unit}; change "
                 "{change}).").format(**values)
    if not pd.isna(row["trend_growth_low"]):
        text += " " + _("Log-linear trend: {rate} a year (95 % CI {low} to {high}).").format(
            rate=percent(row["trend_growth"]), low=percent(row["trend_growth_low"]), high=percent(row["trend_growth_high"]))
    elif row["trend_note"]:
        text += " " + _("No trend interval: {note}.").format(note=note_in_language(row["trend_note"]))
    text += _fit_words(row)
    if frame is not None and not pd.isna(row["loglinear_r2"]) and row["loglinear_r2"] < POOR_FIT_R2:
        text += " " + _("Values: {values}.").format(values=_raw_values(frame, row))
    text += f" {_trend_words(row)}"
    if frame is not None:
        years = frame[(frame["table"] == row["table"]) & (frame["indicator"] == row["indicator"])].dropna(subset=["value"])["year"]
        text += _last_year_words(row, int(years.iloc[-2]) if len(years) >= 2 else None)
    if row["peak_year"] != row["last_year"] and row["peak_value"] != row["trough_value"]:
        text += " " + _("It peaked in {year} at {value}.").format(year=row["peak_year"], value=_num(row["peak_value"]))
    if row["kind"] == "level":
        text += " " + _("This is a level observed each year, so it is never summed over years.")
    elif row["kind"] == "uncertain":
        text += " " + _("The source does not say whether this counts what was added each year or what stood in place, "
                        "so it is never summed over years (the data package's note says why).")
    if row["n_missing"]:
        text += " " + _("{missing} of its {years} years have no value and are left out, not read as zero.").format(
            missing=row["n_missing"], years=row["n_years"])
    return text


def measures_note(summary: pd.DataFrame) -> str:
    """Once per narrative: what the rank-order test and the fitted rate measure, and the smallest p the years allow."""
    tested = summary.dropna(subset=["kendall_p"])
    return _("*Two measures.* Kendall's test asks only whether later years rank higher (or lower) than earlier ones; "
             "the log-linear rate fits steady growth on the log scale, and its interval holds only if that shape fits "
             "(R² says how well). With as few years as these, the smallest two-sided p the rank-order test can reach "
             "is {min_p}, so a p above {alpha} is weak evidence either way. Adjusted p-values treat the {n} series "
             "with a test in growth.csv as one family.").format(min_p=_min_exact_p(tested), alpha=number(ALPHA, 2),
                                                                 n=len(tested))


@in_data_language
def totals_sentences(name: str, dataset: Dataset) -> list[str]:
    """The audit's check of each printed total of the table (part 1 of `laocai-stats audit`), in words."""
    from ..audit.common import INCONSISTENT
    from ..audit.totals import printed_total_checks

    spec = as_dataset(dataset).spec(name)
    out = []
    for indicator, check in printed_total_checks(name, dataset):
        text = _("- **{indicator}**, printed total {printed}: {note}").format(
            indicator=escape_markdown(spec.indicator(indicator).display), printed=_num(check["printed"]), note=check["note"])
        if check["verdict"] == INCONSISTENT:
            text += " " + _("({numbers}.) The data keep the printed total; the audit reports it.").format(numbers=check["numbers"])
        out.append(text)
    return out


@in_data_language
def table_narrative(name: str, dataset: Dataset) -> str:
    """The closing narrative of one table's notebook."""
    dataset = as_dataset(dataset)
    spec = dataset.spec(name)
    if spec.keyed_by == "group":
        return _agents_narrative(dataset)
    every = growth_summary(dataset)  # every series: the measures note counts them all (one family of tests)
    summary = every[every["table"] == name]
    lines = [_("### What Table {number} shows for {province}").format(number=spec.number,
                                                                      province=escape_markdown(dataset.province)), ""]
    frame = yearly_frame(dataset)
    lines += [indicator_sentence({**row, "unit": spec.indicator(row["indicator"]).text("unit")},
                                 spec.indicator(row["indicator"]).display, frame) for _i, row in summary.iterrows()]
    ratios = yearly_ratios(dataset)
    ratios = ratios[ratios["table"] == name]
    for ratio in RATIOS:
        part = ratios[(ratios["ratio"] == ratio.name) & ratios["value"].notna()]
        if len(part) >= 2:
            first, last = part.iloc[0], part.iloc[-1]
            top = part.loc[part["value"].astype(float).idxmax()]
            lines.append(_("- **{ratio}**: {first_value} in {first_year}, {last_value} in {last_year}; highest in "
                           "{top_year} ({top_value}).").format(
                ratio=_(ratio.label), first_value=_num(first["value"]), first_year=first["year"],
                last_value=_num(last["value"]), last_year=last["year"], top_year=top["year"], top_value=_num(top["value"])))
    notes = [f"- **{escape_markdown(i.display)}**: {escape_markdown(i.note_text())}" for i in spec.indicators if i.note_text()]
    if notes:
        lines += ["", _("**What the indicators count.**"), ""] + notes
    lines += ["", measures_note(every)]
    total_lines = totals_sentences(name, dataset)
    if total_lines:
        lines += ["", _("**Printed totals.**"), ""] + total_lines
    return "\n".join(lines)


def _agents_narrative(dataset) -> str:
    ratios = agent_ratios(dataset)
    spec = dataset.spec("agents")
    lines = [_("### What Table {number} shows for {province}").format(number=spec.number, province=escape_markdown(dataset.province)), ""]
    paper = ("agent_staff", "collection_points")
    if set(paper) <= set(ratios.columns):
        staff, points = ratios["agent_staff"], ratios["collection_points"]
        sums = dict(systems=len(ratios), staff=_num(staff.sum()), points=_num(points.sum()))
        if staff.isna().any() or points.isna().any():
            lines.append(_("- {systems} agent systems; their rows add up to {staff} agent staff and {points} collection points "
                           "(some rows have no value, so these sums are partial).").format(**sums))
        else:
            lines.append(_("- {systems} agent systems; their rows add up to {staff} agent staff and {points} collection "
                           "points.").format(**sums))
    # Any other count (one the data add, or one of the paper's two alone) in a sentence of its own.
    for indicator in [i for i in spec.indicators if not set(paper) <= set(ratios.columns) or i.name not in paper]:
        count = ratios[indicator.name]
        text = (_("- {count}: the rows of the {systems} agent systems add up to {sum} {unit} (some rows have no value, so the "
                  "sum is partial).") if count.isna().any() else
                _("- {count}: the rows of the {systems} agent systems add up to {sum} {unit}."))
        lines.append(text.format(count=escape_markdown(indicator.display), systems=len(ratios), sum=_num(count.sum()),
                                 unit=escape_markdown(indicator.text("unit"))))
    for indicator in spec.not_reported:
        lines.append(_("- {count} is not reported in these data (the province left its column out), which is not the same as a "
                       "figure left blank (unknown).").format(count=escape_markdown(indicator.display)))
    known = ratios.dropna(subset=["share_of_staff"]) if "share_of_staff" in ratios else ratios.iloc[0:0]
    if len(known):
        top = known.loc[known["share_of_staff"].astype(float).idxmax()]
        largest = dict(label=escape_markdown(top["label"]), staff=percent(top["share_of_staff"]))
        if pd.notna(top.get("share_of_points", pd.NA)):
            lines.append(_("- The largest system is **{label}**, with {staff} of the staff and {points} of the collection "
                           "points.").format(points=percent(top["share_of_points"]), **largest))
        elif "collection_points" in ratios:
            lines.append(_("- The largest system is **{label}**, with {staff} of the staff and its collection points not "
                           "given.").format(**largest))
        else:
            lines.append(_("- The largest system is **{label}**, with {staff} of the staff.").format(**largest))
    per_point = ratios.dropna(subset=["staff_per_point"]) if "staff_per_point" in ratios else ratios.iloc[0:0]
    if len(per_point):
        most = per_point.loc[per_point["staff_per_point"].astype(float).idxmax()]
        one = int((per_point["staff_per_point"] == 1).sum())
        lines.append(_("- {one} of {systems} systems have exactly one agent per collection point; **{label}** has the "
                       "most, {per_point} staff per point ({staff} staff for {points}).").format(
            one=one, systems=len(per_point), label=escape_markdown(most["label"]), per_point=_num(most["staff_per_point"]),
            staff=_num(most["agent_staff"]), points=_collection_points(most["collection_points"])))
    lines.append(_("- Table 1 is a one-time snapshot: there are no years, so it has no growth rates."))
    total_lines = totals_sentences("agents", dataset)
    if total_lines:
        lines += ["", _("**Printed totals.**"), ""] + total_lines
    return "\n".join(lines)


def _collection_points(count) -> str:
    if count == 1:
        return _("{count} collection point").format(count=_num(count))
    return _("{count} collection points").format(count=_num(count))


@in_data_language
def overview_narrative(dataset: Dataset) -> str:
    dataset = as_dataset(dataset)
    summary = growth_summary(dataset)
    flows = summary[summary["kind"].isin(ACTIVITY_KINDS)].dropna(subset=["cagr"])
    years = [int(y) for y in pd.concat([summary["first_year"], summary["last_year"]]).dropna()]
    lines = [_("### {province} at a glance").format(province=escape_markdown(dataset.province)), ""]
    if years:
        lines.append(_("- {tables} tables; {indicators} yearly indicators covering {first}-{last}.").format(
            tables=len(dataset.table_names()), indicators=len(summary), first=min(years), last=max(years)))
    else:
        lines.append(_("- {tables} tables; {indicators} yearly indicators.").format(
            tables=len(dataset.table_names()), indicators=len(summary)))
    if len(flows):
        fastest = flows.loc[flows["cagr"].astype(float).idxmax()]
        slowest = flows.loc[flows["cagr"].astype(float).idxmin()]
        grew = int((flows["cagr"] > 0).sum())
        lines.append(_("- {grew} of {flows} counts of activity with a growth rate were higher in their last year than their "
                       "first (end points only; each table's notebook gives the trend).").format(grew=grew, flows=len(flows)))
        lines.append(_("- Fastest: **{title}** (Table {number}), {cagr} a year ({first} to {last}).").format(**_extreme(fastest)))
        lines.append(_("- Slowest: **{title}** (Table {number}), {cagr} a year ({first} to {last}).").format(**_extreme(slowest)))
    tested = summary.dropna(subset=["kendall_p"])
    counts = {label: int((tested[column] < ALPHA).sum()) for label, column in
              (("unadjusted", "kendall_p"), ("Holm", "kendall_p_holm"), ("BH", "kendall_p_bh"))}
    lines.append(_("- Rank-order trend (Kendall's tau) below p = {alpha}: {unadjusted} of {tested} tested series unadjusted; "
                   "{holm} after Holm's adjustment for {tested} tests (family-wise error); {bh} after "
                   "Benjamini-Hochberg's (false discovery rate).").format(
        alpha=number(ALPHA, 2), unadjusted=counts["unadjusted"], tested=len(tested), holm=counts["Holm"], bh=counts["BH"]))
    poor = summary[summary["loglinear_r2"] < POOR_FIT_R2]
    if len(poor):
        series = "; ".join(f"{escape_markdown(r['title'])} ({number(r['loglinear_r2'], 2)})" for _i, r in poor.iterrows())
        lines.append(_("- {n} series fit a steady log-linear rate poorly (R² below {r2}): {series}. Their trend rates "
                       "describe little; their tables' notebooks give the Theil-Sen rate and the raw values.").format(
            n=len(poor), r2=number(POOR_FIT_R2, 1), series=series))
    turned = summary[[last_year_changes_picture(r) for _i, r in summary.iterrows()]]
    if len(turned):
        series = "; ".join(_("{title}, {without} a year to the year before {year}, {cagr} with it").format(
            title=escape_markdown(r["title"]), without=percent(r["cagr_without_last_year"]), year=r["last_year"],
            cagr=percent(r["cagr"])) for _i, r in turned.iterrows())
        lines.append(_("- The last year changes the picture for {n} series (the compound rate without it differs in sign or "
                       "by more than {points} percentage points): {series}.").format(
            n=len(turned), points=number(LAST_YEAR_SHIFT * 100), series=series))
    lines.append(f"- {measures_note(summary)}")
    absent = int(summary["n_missing"].sum())
    if absent:
        lines.append(_("- {n} indicator-years have no value; every statistic leaves them out rather than reading them as "
                       "zero.").format(n=absent))
    else:
        lines.append(_("- Every indicator has a value in every year of its table."))
    return "\n".join(lines)


def _direction(row) -> str:
    word = row["direction"]
    return pgettext(DIRECTION, word)


def _extreme(row) -> dict:
    return dict(title=escape_markdown(row["title"]), number=row["table_number"], cagr=percent(row["cagr"]),
                first=_num(row["first_value"]), last=_num(row["last_value"]))


def _min_exact_p(tested: pd.DataFrame) -> str:
    import math

    if tested.empty:
        return missing()
    n = int(tested["kendall_n"].min())
    return _("{p} (for {n} years)").format(p=number(2 / math.factorial(n), 3), n=n)


@in_data_language
def channels_narrative(dataset: Dataset) -> str:
    dataset = as_dataset(dataset)
    comparison = channel_comparison(dataset).set_index("channel")
    growth = channel_growth(dataset)
    lines = [_("### Direct against indirect communication, {province}").format(province=escape_markdown(dataset.province)), ""]
    lines.append(_("- A series grew or declined when its log-linear trend's 95 % interval lies above or below zero; "
                   "otherwise its direction is not clear from so few years. Counts and medians take one series per "
                   "activity (a conference, not its attendees again)."))
    for channel, row in comparison.iterrows():
        without = (_("; {n} without a growth rate (fewer than two years with a value)").format(n=row["without_rate"])
                   if row["without_rate"] else "")
        unchanged = _(", {n} unchanged").format(n=row["unchanged"]) if row["unchanged"] else ""
        no_trend = _(", {n} without a trend").format(n=row["no_trend"]) if row["no_trend"] else ""
        left_out = row["indicators"] - row["activities"]
        twice = _(" ({n} attendance series of the same activities left out)").format(n=left_out) if left_out else ""
        lines.append(_("- **{channel}** channels: {activities} activities{twice}; {grew} grew, {declined} declined, "
                       "{unclear} with no clear direction{unchanged}{no_trend}{without}; median compound growth {median} "
                       "a year (interquartile range {q1} to {q3}).").format(
            channel=_(str(channel)).capitalize(), activities=row["activities"], twice=twice, grew=row["grew"],
            declined=row["declined"], unclear=row["no_clear_direction"], unchanged=unchanged, no_trend=no_trend,
            without=without, median=percent(row["median_cagr"]), q1=percent(row["cagr_q1"]), q3=percent(row["cagr_q3"])))
    known = growth.dropna(subset=["cagr"])
    if len(known):
        top = known.head(3)
        lines.append(_("- Fastest compound growth: {series}.").format(series="; ".join(
            _("{title} ({channel}, {cagr} a year)").format(title=escape_markdown(r["title"]), channel=_(str(r["channel"])),
                                                          cagr=percent(r["cagr"])) for _i, r in top.iterrows())))
        declined = known[known["direction"] == "declined"]
        if len(declined):
            lines.append(_("- Declined (trend interval below zero): {series}.").format(series="; ".join(
                _("{title} ({channel}, {first_value} in {first_year} to {last_value} in {last_year})").format(
                    title=escape_markdown(r["title"]), channel=_(str(r["channel"])), first_value=_num(r["first_value"]),
                    first_year=r["first_year"], last_value=_num(r["last_value"]), last_year=r["last_year"])
                for _i, r in declined.iterrows())))
        else:
            lines.append(_("- No channel flow's trend interval lies below zero."))
        lower = known[(known["cagr"] < 0) & (known["direction"] != "declined")]
        if len(lower):
            lines.append(_("- Lower in the last year than the first, without a declining trend: {series}.").format(
                series="; ".join(_("{title} ({first} to {last}; direction: {direction})").format(
                    title=escape_markdown(r["title"]), first=_num(r["first_value"]), last=_num(r["last_value"]),
                    direction=_direction(r)) for _i, r in lower.iterrows())))
    change = last_year_change(dataset).dropna(subset=["pct_change"])
    if len(change):
        year = int(change["year"].iloc[0])
        falls = change[change["pct_change"] < 0]
        rises = change[change["pct_change"] > 0]
        labels = {i.name: escape_markdown(i.display) for t in dataset.table_names() for i in dataset.spec(t).indicators}
        lines.append(_("- Into {year}, the last year of the data: {falls} series fell and {rises} rose against "
                       "{previous}.").format(year=year, falls=len(falls), rises=len(rises), previous=year - 1))
        if len(falls):
            lines.append(_("  Falls: {series}.").format(series="; ".join(_("{label} {previous} to {value} ({change})").format(
                label=labels[r["indicator"]], previous=_num(r["previous"]), value=_num(r["value"]),
                change=percent(r["pct_change"])) for _i, r in falls.iterrows())))
        if len(rises):
            biggest = rises.iloc[-1]
            lines.append(_("  Largest rise: {label}, {previous} to {value} ({change}).").format(
                label=labels[biggest["indicator"]], previous=_num(biggest["previous"]), value=_num(biggest["value"]),
                change=percent(biggest["pct_change"])))
    return "\n".join(lines)


@in_data_language
def more_tables_intro(dataset: Dataset) -> str:
    """Notebook 10's opening: the tables the data add to the paper's five, or that there are none."""
    from .figures import extra_tables

    dataset = as_dataset(dataset)
    extra = extra_tables(dataset)
    province = escape_markdown(dataset.province)
    if not extra:
        return _("{province}'s data have no tables beyond the paper's five, so this notebook has nothing more to "
                 "show.").format(province=province)
    listed = "; ".join(_("Table {number} ({caption})").format(number=dataset.spec(t).number,
                                                             caption=escape_markdown(dataset.spec(t).text("caption"))) for t in extra)
    if len(extra) == 1:
        return _("{province}'s data add {count} table to the paper's five: {listed}.").format(
            province=province, count=_num(len(extra)), listed=listed)
    return _("{province}'s data add {count} tables to the paper's five: {listed}.").format(
        province=province, count=_num(len(extra)), listed=listed)


@in_data_language
def table_heading(name: str, dataset: Dataset) -> str:
    """A table's heading and source line, for a notebook walking several tables."""
    from .sources import data_line

    spec = as_dataset(dataset).spec(name)
    heading = _("## Table {number}: {caption}").format(number=spec.number, caption=escape_markdown(spec.text("caption")))
    return f"{heading}\n\n{data_line(dataset, name)}"
