"""The public loaders: list, describe and load the paper's tables as tidy frames."""
from __future__ import annotations

import pandas as pd

from ..errors import AggregationError, LaocaiError
from ..text import DEFAULT_LANGUAGE, _, language, localized, number, use_language
from .dataset import open_dataset
from .frames import require_frame
from .specs import TableSpec


def list_tables(data=None) -> list[str]:
    """Names of the tables in a data set, sorted: ['agents', 'conferences', 'press', 'publications', 'website']."""
    return open_dataset(data).table_names()


def table_info(name: str, data=None) -> dict:
    """Table number, caption, section, source, and each indicator's printed label, unit and kind."""
    return open_dataset(data).spec(name).info()


def load_table(name: str, data=None) -> pd.DataFrame:
    """A tidy frame: indicator, year (or group for `agents`), value (nullable integer), unit.

    Rows follow the paper's order; total rows are never included (see `printed_totals`). A value
    the data leave blank is <NA>. The data are validated first; bad data raise `DataError`.
    """
    return _copy(open_dataset(data).table(name).rows)


def printed_totals(name: str, data=None) -> pd.DataFrame:
    """The table's printed total row (indicator, label, value, unit), exactly as printed; empty if none."""
    return _copy(open_dataset(data).table(name).totals)


def load_all(data=None) -> pd.DataFrame:
    """Every table stacked in table-number order, with a `table` column; `year` and `group` are blank where they do not apply."""
    dataset = open_dataset(data)
    names = sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number)
    frames = []
    for name in names:
        frame = dataset.table(name).rows.assign(table=name)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["table", "indicator", "year", "group", "value", "unit"])
    stacked = pd.concat(frames, ignore_index=True)
    for column in ("year", "group"):
        if column not in stacked:
            stacked[column] = pd.NA
    stacked["year"] = stacked["year"].astype("Int64")
    stacked = stacked[["table", "indicator", "year", "group", "value", "unit"]]
    stacked.attrs = {"kinds": {k: v for n in names for k, v in dataset.table(n).rows.attrs["kinds"].items()}}
    return stacked


def tables_overview(data=None) -> pd.DataFrame:
    """One row per table: number, name, caption (in the data's language), section, indicators, and the years or
    groups it covers."""
    dataset = open_dataset(data)
    rows = []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        spec = dataset.spec(name)
        frame = dataset.table(name).rows
        if spec.keyed_by == "year":
            years = sorted(frame["year"].unique())
            covers = f"{years[0]}-{years[-1]}" if years else "no years"
        else:
            covers = f"{frame['group'].nunique()} {(spec.group_label or 'group').lower()}s"
        rows.append({
            "table": f"Table {spec.number}", "name": name, "caption": localized(spec, "caption", dataset.language), "section": spec.section,
            "indicators": len(spec.indicators), "covers": covers,
            "values": int(frame["value"].notna().sum()), "missing": int(frame["value"].isna().sum()),
        })
    return pd.DataFrame(rows)


def load_facts(data=None) -> pd.DataFrame:
    """The counts the paper's text states (section 3.1), each with the sentence it comes from."""
    facts = open_dataset(data).facts
    if facts is None:
        raise LaocaiError("this data set has no facts resource (only the shipped Lao Cai package does)")
    return facts.copy()


def sum_over_years(frame: pd.DataFrame, *, skipna: bool = False) -> pd.DataFrame:
    """Sum each indicator over the years in `frame`; refused for levels, snapshots and uncertain kinds.

    A flow counted each year can be added up; a level (coordinating units) or a one-time snapshot
    cannot, and asking raises `AggregationError`. With skipna=False (the default) an indicator with
    any missing year sums to <NA>; with skipna=True the missing years are left out and the
    `years` column says how many years were added.
    """
    require_frame(frame, ["indicator", "value", "unit"], "sum_over_years")
    if "year" not in frame or frame["year"].isna().all():
        raise AggregationError("this frame has no years to sum over (Table 1 is a one-time snapshot)")
    require_flows(frame, "summing over years")
    grouped = frame.groupby("indicator", sort=False)
    out = pd.DataFrame({
        "value": grouped["value"].sum(min_count=1) if skipna else grouped["value"].apply(lambda s: pd.NA if s.isna().any() else s.sum()),
        "years": grouped["value"].count(),
        "unit": grouped["unit"].first(),
    }).reset_index()
    out["value"] = out["value"].astype("Int64")
    return out


def indicator_kinds(frame: pd.DataFrame) -> dict[str, str]:
    """Each indicator's kind (flow, level, snapshot): a `kind` column, else the frame's provenance, else the shipped registry."""
    dataset = open_dataset(None)
    kinds = {i.name: i.kind for n in dataset.table_names() for i in dataset.spec(n).indicators}
    kinds.update(frame.attrs.get("kinds", {}))
    if "kind" in frame.columns:
        kinds.update(zip(frame["indicator"], frame["kind"]))
    return kinds


def require_flows(frame: pd.DataFrame, what: str) -> None:
    """Raise AggregationError unless every indicator in `frame` is known to be a flow."""
    kinds = indicator_kinds(frame)
    unknown = sorted(set(frame["indicator"]) - set(kinds))
    if unknown:
        raise AggregationError(f"{what}: cannot tell whether {', '.join(unknown)} is a flow (kind unknown)")
    refused = sorted({i for i in frame["indicator"] if kinds[i] != "flow"})
    if refused:
        detail = ", ".join(f"{i} ({kinds[i]})" for i in refused)
        doubt = (" (an uncertain kind: the source does not say whether it is a flow; the descriptor's note says why)"
                 if any(kinds[i] == "uncertain" for i in refused) else "")
        raise AggregationError(f"{what} is refused for {detail}: only a flow counted each year can be added up over years{doubt}")


def printed_table(name: str, data=None) -> pd.DataFrame:
    """The table laid out as the paper prints it: printed labels, numbers with thousands separators, the total row.

    Blank cells (headings, missing values) are empty strings. For display, not for computing: labels, headings and
    numbers are in the data's language (a Vietnamese workbook shows its Vietnamese labels and 1.263).
    """
    dataset = open_dataset(data)
    with use_language(dataset.language):
        return _printed_table(dataset.table(name))


def _printed_table(table) -> pd.DataFrame:
    spec, rows, totals = table.spec, table.rows, table.totals
    fmt = lambda v: "" if pd.isna(v) else number(int(v))
    shown = lambda item: item.text("label")
    if spec.keyed_by == "group":
        wide = rows.pivot(index="group", columns="indicator", values="value")
        labels = {g.name: (g.printed_row or "", shown(g)) for g in spec.groups}
        records = []
        for group in dict.fromkeys(rows["group"]):
            row_no, label = labels.get(group, ("", group))
            records.append([row_no, label] + [fmt(wide.loc[group, i.name]) for i in spec.indicators])
        records += _total_records(spec, totals, fmt, lead=2)
        return pd.DataFrame(records, columns=[_("S. No"), _row_header(spec, spec.group_label or "Group")] + [shown(i) for i in spec.indicators])
    years = sorted(rows["year"].unique())
    wide = rows.pivot(index="indicator", columns="year", values="value")
    if spec.printed_layout == "indicators_in_columns":
        records = [[str(y)] + [fmt(wide.loc[i.name, y]) for i in spec.indicators] for y in years]
        records += _total_records(spec, totals, fmt, lead=1)
        return pd.DataFrame(records, columns=[_row_header(spec, "Year")] + [shown(i) for i in spec.indicators])
    with_units = any(i.printed_unit for i in spec.indicators)
    # The unit as the paper prints it; in another language, the descriptor's translated unit.
    unit = (lambda i: i.printed_unit or "") if language() == DEFAULT_LANGUAGE else (lambda i: i.text("unit"))
    records, shown_headings = [], set()
    for i in spec.indicators:
        heading_row = (i.printed_row or "").split(".")[0]
        if i.heading and heading_row not in shown_headings:
            shown_headings.add(heading_row)
            records.append([heading_row, i.text("heading")] + ([""] if with_units else []) + [""] * len(years))
        records.append([i.printed_row or "", shown(i)] + ([unit(i)] if with_units else []) + [fmt(wide.loc[i.name, y]) for y in years])
    columns = [_("S. No"), _row_header(spec, "Indicator")] + ([_("Unit")] if with_units else []) + [str(y) for y in years]
    frame = pd.DataFrame(records, columns=columns)
    if not any(i.printed_row for i in spec.indicators):
        frame = frame.drop(columns=_("S. No"))
    return frame


def _row_header(spec: TableSpec, default: str) -> str:
    """The heading of the label column: the paper's (English) in English, else the default's translation."""
    if language() == DEFAULT_LANGUAGE:
        return spec.row_header or default
    translated = spec.text("row_header")
    return translated if translated and translated != spec.row_header else _(default)


def _total_records(spec: TableSpec, totals: pd.DataFrame, fmt, *, lead: int) -> list[list[str]]:
    if totals.empty:
        return []
    by_indicator = dict(zip(totals["indicator"], totals["value"]))
    label = totals["label"].iloc[0]
    head = ([""] * (lead - 1)) + [label]
    return [head + [fmt(by_indicator.get(i.name, pd.NA)) for i in spec.indicators]]


def _copy(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    return out
