"""Part 1 of the audit: each printed total against the sum of what it totals, and rows printed as totals of unstated rows."""
from __future__ import annotations

import pandas as pd

from ..data.dataset import Dataset, as_dataset
from ..data.loaders import load_table, printed_totals
from ..data.specs import TableSpec
from .claims import fmt
from ..text import N_, _, number
from .common import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, and_list, check_row


def total_checks(dataset: Dataset) -> list[dict]:
    rows = []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        rows += [check for _, check in printed_total_checks(name, dataset)]
        rows += _heading_checks(dataset.spec(name), load_table(name, dataset))
    return rows


def printed_total_checks(name: str, dataset: Dataset) -> list[tuple[str, dict]]:
    """Each printed total of one table against the sum of what it totals: (indicator, check row), as in part 1."""
    dataset = as_dataset(dataset)
    spec, table = dataset.spec(name), load_table(name, dataset)
    return [(total.indicator, _total_check(spec, table, total))
            for total in printed_totals(name, dataset).itertuples(index=False)]


def members(spec: TableSpec, table: pd.DataFrame, indicator: str) -> tuple[list, list[str]]:
    """The values a total of `indicator` adds up, in the paper's order, and what each one is."""
    mine = table[table["indicator"] == indicator]
    if spec.keyed_by == "year":
        mine = mine.sort_values("year")
        return list(mine["value"]), [str(int(y)) for y in mine["year"]]
    labels = {g.name: g.text("label") for g in spec.groups}
    return list(mine["value"]), [labels.get(g, g) for g in mine["group"]]


def what_is_summed(spec: TableSpec, keys: list[str]) -> str:
    if spec.keyed_by == "year":
        return _("the {count} years {first}-{last}").format(count=len(keys), first=keys[0], last=keys[-1]) if keys else _("the years")
    return _("the {count} {group} rows").format(count=len(keys), group=spec.group_word())


def _total_check(spec: TableSpec, table: pd.DataFrame, total) -> dict:
    indicator = spec.indicator(total.indicator)
    values, keys = members(spec, table, indicator.name)
    over = what_is_summed(spec, keys)
    label = indicator.text("label")
    if spec.printed_layout == "indicators_in_rows":
        location = _('row "{label}", {total} column').format(label=label, total=total.label)
    else:
        location = _('{total} row, column "{label}"').format(label=label, total=total.label)
    base = check_row(check=f"T{spec.number}.total.{indicator.name}", part=1, kind="total", table=f"Table {spec.number}",
                section=spec.section, location=location, rule=_("printed total = sum of {what}").format(what=over), printed=total.value)
    blanks = [k for k, v in zip(keys, values) if pd.isna(v)]
    shown = " + ".join(fmt(v) for v in values)
    if spec.keyed_by == "year" and indicator.kind != "flow":
        return {**base, "verdict": NOT_CHECKABLE, "numbers": shown,
                "note": _('"{label}" is a {kind}, not a yearly flow: summed across years it has no meaning, so no sum can stand '
                          'behind the printed total.').format(label=label, kind=_(indicator.kind))}
    if pd.isna(total.value):
        return {**base, "verdict": NOT_CHECKABLE, "numbers": shown, "note": _("The total cell is blank; there is no printed total to compare.")}
    if not values:
        return {**base, "verdict": NOT_CHECKABLE, "note": _("The table has no rows for this total.")}
    if blanks:
        blank = _("{items} is blank") if len(blanks) == 1 else _("{items} are blank")
        return {**base, "verdict": NOT_CHECKABLE, "numbers": shown, "blank_inputs": len(blanks),
                "note": _("{blank}; a blank is not zero, so {what} cannot be summed.").format(blank=blank.format(items=and_list(blanks)), what=over)}
    recomputed = int(sum(int(v) for v in values))
    difference = recomputed - int(total.value)
    if difference == 0:
        verdict, note = CONSISTENT, _("The printed total equals the sum of {what}.").format(what=over)
    else:
        verdict = INCONSISTENT
        note = (_("{what} sum to {recomputed}, {difference} more than the {printed} printed.") if difference > 0 else
                _("{what} sum to {recomputed}, {difference} fewer than the {printed} printed.")).format(
            what=over[0].upper() + over[1:], recomputed=fmt(recomputed), difference=number(abs(difference)), printed=fmt(total.value))
    return {**base, "recomputed": recomputed, "difference": difference, "verdict": verdict,
            "numbers": f"{shown} = {fmt(recomputed)}", "note": note}


def _heading_checks(spec: TableSpec, table: pd.DataFrame) -> list[dict]:
    """Rows printed under a heading named as a total, set against the other headed rows with the same sub-number.

    The paper never says which rows such a heading totals, so these are never checkable; the
    note says whether the numbers even allow it to be the total of the other headed rows.
    """
    if spec.keyed_by != "year" or not spec.headings:
        return []
    out = []
    for head, text in spec.headings.items():
        if not text.strip().lower().startswith("total"):
            continue
        pairs = []
        for member in [i for i in spec.indicators if (i.printed_row or "").startswith(f"{head}.")]:
            sub = member.printed_row.split(".", 1)[1]
            parts = [i for i in spec.indicators
                     if i.printed_row and "." in i.printed_row and i.printed_row.split(".", 1)[1] == sub
                     and i.printed_row.split(".")[0] != head and i.printed_row.split(".")[0] in spec.headings]
            if parts:
                pairs.append((member, parts))
        # One row of the heading smaller than the same rows of the others rules out every reading of the
        # heading as their total or as including them: its other rows are read in that light, not alone.
        ruled_out = [(m, p, years) for m, p in pairs if (years := _smaller_years(table, m, p))]
        out += [_heading_check(spec, table, head, text, member, parts, ruled_out) for member, parts in pairs]
    return out


def _smaller_years(table, member, parts) -> list[str]:
    """Years in which `member` is smaller than the sum of `parts` (years with a blank are left out)."""
    def by_year(name):
        return table[table["indicator"] == name].set_index("year")["value"]

    mine, theirs = by_year(member.name), [by_year(p.name) for p in parts]
    out = []
    for year in mine.index:
        values = [mine[year], *(t.get(year, pd.NA) for t in theirs)]
        if not any(pd.isna(v) for v in values) and values[0] < sum(int(v) for v in values[1:]):
            out.append(str(int(year)))
    return out


HEADING_PREAMBLE_END = N_("so no sum can be recomputed for it.")


def _heading_check(spec, table, head, text, member, parts, ruled_out=()) -> dict:
    text = member.text("heading") if getattr(member, "heading", None) == text else text  # as the data's language prints it
    mine, keys = members(spec, table, member.name)
    theirs = [members(spec, table, p.name)[0] for p in parts]
    part_rows = [p.printed_row for p in parts]
    part_heads = [r.split(".")[0] for r in part_rows]
    expr = " + ".join(part_rows)
    shown, smaller, equal, blanks = [], [], [], 0
    for k, year in enumerate(keys):
        values = [m[k] for m in theirs]
        missing = sum(pd.isna(v) for v in [mine[k], *values])
        if missing:
            blanks += missing
            shown.append(_("{year}: {value} vs {parts}").format(year=year, value=fmt(mine[k]), parts=" + ".join(fmt(v) for v in values)))
            continue
        total = int(sum(int(v) for v in values))
        shown.append(_("{year}: {value} vs {parts} = {total}").format(year=year, value=fmt(mine[k]), parts=" + ".join(fmt(v) for v in values),
                                                                     total=fmt(total)))
        if mine[k] < total:
            smaller.append(year)
        elif mine[k] == total:
            equal.append(year)
    note = _('Row {head} is printed as a total ("{text}"), but the table does not say which rows it totals, {end}').format(
        head=head, text=text, end=_(HEADING_PREAMBLE_END))
    if smaller:
        note += " " + _("It cannot be the total of rows {rows}: {row} is smaller than {parts} in {years}. Read as a category of its own.").format(
            rows=and_list(part_heads), row=member.printed_row, parts=expr, years=and_list(smaller))
    elif ruled_out:
        other, other_parts, years = ruled_out[0]
        note += " " + _("Its numbers alone would allow row {head} to include rows {rows}, but row {head} cannot: {other} is smaller than "
                        "{other_parts} in {years}. So {row} counts what row {head}'s own events had ({unit}), and its being at least "
                        "{parts} says nothing about rows {rows}.").format(
            head=head, rows=and_list(part_heads), other=other.printed_row, other_parts=" + ".join(p.printed_row for p in other_parts),
            years=and_list(years), row=member.printed_row, unit=member.text("unit"), parts=expr)
    elif blanks:
        note += " " + _("Some of these cells are blank, so the comparison is incomplete.")
    elif len(equal) == len(keys):
        note += " " + _("It equals {parts} in every year, so it may be their total.").format(parts=expr)
    else:
        note += " " + _("It is at least {parts} in every year, so it may include rows {rows} with other events.").format(
            parts=expr, rows=and_list(part_heads))
    return check_row(check=f"T{spec.number}.row{head}.{member.name}", part=1, kind="heading", table=f"Table {spec.number}",
                section=spec.section,
                location=_('row {head} "{text}", row {row} "{label}", {first}-{last}').format(
                    head=head, text=text, row=member.printed_row, label=member.text("label"), first=keys[0], last=keys[-1])
                if keys else _("row {head}").format(head=head),
                rule=_("if row {head} totals rows {rows}: {row} = {parts} in each year").format(
                    head=head, rows=and_list(part_heads), row=member.printed_row, parts=expr),
                verdict=NOT_CHECKABLE, numbers="; ".join(shown), note=note, blank_inputs=blanks)

