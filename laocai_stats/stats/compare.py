"""Provinces side by side: levels, growth, index, ratios and a ranking over the years they share, with notes."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..data.dataset import Dataset, open_dataset
from ..errors import DataError, LaocaiError
from ..text import N_, _
from .growth import cagr, index
from .ratios import RATIOS, ratio_rows
from .summary import yearly_frame
from .trend import log_linear_trend

KEYS = ["table", "indicator"]
NOTE_COLUMNS = ["topic", "table", "indicator", "province", "note"]


@dataclass
class Comparison:
    """Everything `compare` computes; every frame is new and may be written as it is."""

    provinces: pd.DataFrame  # province, source, tables, first_year, last_year
    stacked: pd.DataFrame  # tidy yearly values of every province: province, table, indicator, kind, year, value, unit
    shared: pd.DataFrame  # per indicator: the provinces with values and the years they all share
    side_by_side: pd.DataFrame  # levels over the shared years, one column per province
    growth: pd.DataFrame  # per province and indicator: CAGR and trend over the shared years and over its own years
    index: pd.DataFrame  # first shared year = 100, one column per province
    ratios: pd.DataFrame  # per-unit ratios over the years they share, one column per province
    ranking: pd.DataFrame  # provinces ranked per indicator by CAGR over the shared years
    notes: pd.DataFrame  # every difference in years or indicators, and what was done about it
    labels: dict = field(default_factory=dict)  # indicator -> display title


# ---------------------------------------------------------------------------------------------
# Loading: each input validated, each with its own province name.

def _not_reported_notes(notes: pd.DataFrame, datasets: list[Dataset]) -> pd.DataFrame:
    """Say 'not reported' where a province deleted a row of the paper's table, rather than that it lacks the indicator."""
    deleted = {(d.province, t, i.name) for d in datasets for t in d.table_names() for i in d.spec(t).not_reported}
    out = notes.copy()
    for n, r in out.iterrows():
        if (r["province"], r["table"], r["indicator"]) in deleted:
            out.at[n, "note"] = _("{indicator} is not reported by {province} (the paper's row was deleted from its data; "
                                  "not the same as a figure left blank): left out of its comparison").format(
                indicator=r["indicator"], province=r["province"])
    return out


def _group_table_notes(datasets: list[Dataset]) -> pd.DataFrame:
    """A table keyed by group (the paper's Table 1) has no years: said once, with each count a province does not report."""
    rows = []
    for name in sorted({t for d in datasets for t in d.table_names() if d.spec(t).keyed_by == "group"} if len(datasets) > 1 else ()):
        spec = next(d.spec(name) for d in datasets if name in d.table_names())
        rows.append({"topic": "tables", "table": name, "indicator": "", "province": "",
                     "note": _("Table {number} counts by {group}, not by year: it has no growth to compare, so it is left out of the "
                               "comparison; each province's own outputs show it").format(
                                 number=spec.number, group=spec.group_word())})
        for d in datasets:
            for i in d.spec(name).not_reported if name in d.table_names() else ():
                rows.append({"topic": "indicators", "table": name, "indicator": i.name, "province": d.province,
                             "note": _("{indicator} is not reported by {province} (the paper's column was deleted from its data; not "
                                       "the same as a figure left blank)").format(indicator=i.name, province=d.province)})
    return pd.DataFrame(rows, columns=["topic", "table", "indicator", "province", "note"])


def as_sources(value) -> list:
    """One source (a path or a Dataset) or many, as a list: papermill's `-p others b.xlsx` passes one string."""
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike, Dataset)):
        return [value]
    return list(value)


def open_datasets(sources, *, check: bool = True) -> tuple[list[Dataset], list[str]]:
    """Open every input (path or Dataset), refuse the first with an error, and give each a distinct name.

    Two inputs naming the same province are told apart by their file names ("Ha Giang (a.xlsx)");
    if even those are equal the call is refused, since a comparison could not say which is which.
    Returns the data sets and notes on any renaming.
    """
    datasets = [open_dataset(s) for s in sources]
    if not datasets:
        raise LaocaiError("nothing to compare: give at least one data set")
    if check:
        for dataset in datasets:
            errors = [p for p in dataset.problems() if p.severity == "error"]
            if errors:
                raise DataError(errors)
    names = [d.province for d in datasets]
    notes = []
    for name in sorted({n for n in names if names.count(n) > 1}):
        clashing = [i for i, n in enumerate(names) if n == name]
        files = [Path(datasets[i].source).name for i in clashing]
        if len(set(files)) < len(files):
            raise LaocaiError(f"{len(clashing)} data sets are called '{name}' and have the same file name "
                              f"({', '.join(datasets[i].source for i in clashing)}); give each its own province name")
        for i, file in zip(clashing, files):
            names[i] = f"{name} ({file})"
        notes.append(_("{count} data sets are called '{name}': told apart by file name as {names}").format(
            count=len(clashing), name=name, names=", ".join(names[i] for i in clashing)))
    renamed = [open_dataset(d, province=n) if n != d.province else d for d, n in zip(datasets, names)]
    return renamed, notes


# ---------------------------------------------------------------------------------------------
# Pure functions on frames.

def _range(years) -> str:
    years = sorted(int(y) for y in years)
    if not years:
        return "no year with a value"
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    return ", ".join(str(y) for y in years)


def stack(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Tidy yearly frames of several provinces (name -> frame) as one frame with a `province` column first."""
    parts = [frame.assign(province=name) for name, frame in frames.items()]
    out = pd.concat(parts, ignore_index=True)
    out = out[["province"] + [c for c in out.columns if c != "province"]]
    out["value"] = out["value"].astype("Float64")
    out.attrs = {}
    return out


def shared_years(stacked: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: which provinces have any value, which have none, and the years every one of the former has a value."""
    provinces = list(dict.fromkeys(stacked["province"]))
    known = stacked[stacked["value"].notna()]
    years_of = known.groupby(["table", "indicator", "province"], sort=False)["year"].agg(lambda y: frozenset(int(v) for v in y))
    rows = []
    for (table, indicator), part in stacked.groupby(KEYS, sort=False):
        present = list(dict.fromkeys(part["province"]))
        with_values = [p for p in present if (table, indicator, p) in years_of.index]
        common = frozenset.intersection(*[years_of[(table, indicator, p)] for p in with_values]) if with_values else frozenset()
        rows.append({
            "table": table, "indicator": indicator, "unit": part["unit"].iloc[0], "kind": part["kind"].iloc[0],
            "provinces": len(with_values),
            "blank_in": [p for p in present if p not in with_values],
            "absent_in": [p for p in provinces if p not in present],
            "years": sorted(common),
            "first_shared": min(common) if common else pd.NA,
            "last_shared": max(common) if common else pd.NA,
            "n_shared": len(common),
            "ranges": {p: _range(years_of[(table, indicator, p)]) for p in with_values},
        })
    out = pd.DataFrame(rows, columns=["table", "indicator", "unit", "kind", "provinces", "blank_in", "absent_in", "years",
                                      "first_shared", "last_shared", "n_shared", "ranges"])
    for column in ("first_shared", "last_shared"):
        out[column] = out[column].astype("Int64")
    return out


def _on_shared_years(stacked: pd.DataFrame, shared: pd.DataFrame) -> pd.DataFrame:
    """The rows in the years every province with values shares; a blank province's rows stay, as missing."""
    allowed = shared[["table", "indicator", "years"]].explode("years").dropna().rename(columns={"years": "year"})
    allowed["year"] = allowed["year"].astype("int64")
    return stacked.merge(allowed, on=["table", "indicator", "year"], how="inner")


def _wide(frame: pd.DataFrame, column: str, provinces: list[str], keys: list[str]) -> pd.DataFrame:
    """One row per key and year, one column per province (in input order)."""
    if frame.empty:
        return pd.DataFrame(columns=[*keys, "year", *provinces])
    order = {k: n for n, k in enumerate(dict.fromkeys(map(tuple, frame[keys].to_numpy())))}
    wide = frame.set_index([*keys, "year", "province"])[column].unstack("province")
    wide = wide.reindex(columns=[p for p in provinces if p in wide.columns]).reset_index()
    wide.columns.name = None
    wide = wide.assign(_order=[order[tuple(r)] for r in wide[keys].to_numpy()])
    wide = wide.sort_values(["_order", "year"], kind="stable").drop(columns="_order").reset_index(drop=True)
    for p in provinces:
        if p in wide.columns:
            wide[p] = wide[p].astype("Float64")
    return wide


def side_by_side(stacked: pd.DataFrame, shared: pd.DataFrame) -> pd.DataFrame:
    """Levels over the years every province with values shares: table, indicator, unit, year, then one column per province."""
    provinces = list(dict.fromkeys(stacked["province"]))
    return _wide(_on_shared_years(stacked, shared), "value", provinces, ["table", "indicator", "unit"])


def _growth_part(frame: pd.DataFrame, suffix: str) -> pd.DataFrame:
    keys = ["province", *KEYS]
    if frame.empty:
        return pd.DataFrame(columns=[*keys, *(f"{c}_{suffix}" for c in
                                              ("first_year", "last_year", "cagr", "trend_growth", "trend_growth_low",
                                               "trend_growth_high", "trend_n"))])
    rates = cagr(frame)[[*keys, "first_year", "last_year", "cagr"]]
    trend = log_linear_trend(frame)[[*keys, "trend_growth", "trend_growth_low", "trend_growth_high", "trend_n"]]
    out = rates.merge(trend, on=keys, how="left")
    return out.rename(columns={c: f"{c}_{suffix}" for c in out.columns if c not in keys})


def province_growth(stacked: pd.DataFrame, shared: pd.DataFrame) -> pd.DataFrame:
    """CAGR and log-linear trend growth (95 % interval) per province and indicator, twice.

    `*_shared` over the years every province with values shares, so that provinces are compared
    like with like; `*_own` over the province's own years with a value. Missing stays missing: a
    blank indicator has <NA> throughout.
    """
    keys = ["province", *KEYS]
    base = stacked[[*keys, "unit", "kind"]].drop_duplicates(keys).reset_index(drop=True)
    own = _growth_part(stacked, "own")
    common = _growth_part(_on_shared_years(stacked, shared), "shared")
    out = base.merge(common, on=keys, how="left").merge(own, on=keys, how="left")
    for column in out.columns:
        if column.startswith(("first_year", "last_year", "trend_n")):
            out[column] = out[column].astype("Int64")
        elif column.startswith(("cagr", "trend_growth")):
            out[column] = out[column].astype("Float64")
    return out


def province_index(stacked: pd.DataFrame, shared: pd.DataFrame) -> pd.DataFrame:
    """Each province's values over the shared years as an index, first shared year = 100, one column per province."""
    provinces = list(dict.fromkeys(stacked["province"]))
    on_shared = _on_shared_years(stacked, shared)
    if on_shared.empty:
        return _wide(on_shared, "value", provinces, KEYS)
    # Every province has a value in every shared year, so each series' first value is the first shared year's.
    indexed = index(on_shared)
    return _wide(indexed, "index", provinces, KEYS)


def province_ratios(stacked: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-unit ratios of every province (`stack`ed yearly frames) side by side over the years they share; and their shared years."""
    ratios = ratio_rows(stacked)
    if ratios.empty:
        empty = pd.DataFrame(columns=["table", "indicator", "unit", "year"])
        return empty, shared_years(pd.DataFrame(columns=["province", "table", "indicator", "kind", "year", "value", "unit"]))
    stacked = ratios.rename(columns={"ratio": "indicator"})[["province", "table", "indicator", "year", "value", "unit"]]
    stacked = stacked.assign(kind="ratio")
    shared = shared_years(stacked)
    wide = side_by_side(stacked, shared).rename(columns={"indicator": "ratio"})
    return wide, shared


def rank_provinces(growth: pd.DataFrame) -> pd.DataFrame:
    """Provinces ranked within each indicator by CAGR over the shared years, fastest first.

    Ties share the best rank of the tie ("1, 2, 2, 4", competition ranking), flagged in `tied`. A
    province without a CAGR there (blank, or fewer than two shared years, or a first value of 0)
    is not ranked: its rank is <NA>, it comes last, and the notes say why. `of` is how many were ranked.
    """
    keys = KEYS
    out = growth[["province", *keys, "unit", "cagr_shared", "trend_growth_shared", "trend_growth_low_shared",
                  "trend_growth_high_shared", "first_year_shared", "last_year_shared"]].copy()
    rate = out["cagr_shared"].astype("Float64")
    # Rounded so that two equal growth rates computed along different float paths still tie.
    key = rate.round(12)
    out["rank"] = key.groupby([out[k] for k in keys], sort=False).rank(method="min", ascending=False).astype("Int64")
    out["of"] = rate.notna().groupby([out[k] for k in keys], sort=False).transform("sum").astype("int64")
    counts = out.groupby([*keys, "rank"], sort=False, dropna=True)["province"].transform("size")
    out["tied"] = (counts > 1).fillna(False).astype(bool) & out["rank"].notna().to_numpy(dtype=bool)
    order = {k: n for n, k in enumerate(dict.fromkeys(map(tuple, out[keys].to_numpy())))}
    out["_order"] = [order[tuple(r)] for r in out[keys].to_numpy()]
    out["_rank"] = out["rank"].astype("Float64").fillna(float("inf"))
    out = out.sort_values(["_order", "_rank"], kind="stable").drop(columns=["_order", "_rank"])
    out = out.rename(columns={"cagr_shared": "cagr", "trend_growth_shared": "trend_growth",
                              "trend_growth_low_shared": "trend_growth_low", "trend_growth_high_shared": "trend_growth_high",
                              "first_year_shared": "from_year", "last_year_shared": "to_year"})
    return out[["table", "indicator", "rank", "of", "tied", "province", "cagr", "trend_growth", "trend_growth_low",
                "trend_growth_high", "from_year", "to_year", "unit"]].reset_index(drop=True)


def comparison_notes(provinces: pd.DataFrame, shared: pd.DataFrame, ranking: pd.DataFrame,
                     ratio_shared: pd.DataFrame | None = None, extra: list[str] = ()) -> pd.DataFrame:
    """Every place where the provinces' data differ, and what the comparison does about it, one row each."""
    rows = [{"topic": "names", "table": "", "indicator": "", "province": "", "note": text} for text in extra]
    if len(provinces) == 1:
        rows.append({"topic": "provinces", "table": "", "indicator": "", "province": provinces["province"].iloc[0],
                     "note": _("only one data set: nothing to compare it with; give two or more to compare provinces")})
    spans = dict(zip(provinces["province"], provinces["years"]))
    if len(set(spans.values())) > 1:
        rows.append({"topic": "years", "table": "", "indicator": "", "province": "",
                     "note": _("the data sets cover different years: {spans}").format(
                         spans="; ".join(f"{p} {y}" for p, y in spans.items()))})

    def indicator_notes(frame: pd.DataFrame, blank_note: str) -> None:
        for r in frame.itertuples(index=False):
            base = {"table": r.table, "indicator": r.indicator}
            for p in r.absent_in:
                rows.append({**base, "topic": "indicators", "province": p,
                             "note": _("{indicator} is not in {province}'s data: left out of its comparison").format(
                                 indicator=r.indicator, province=p)})
            for p in r.blank_in:
                rows.append({**base, "topic": "blank", "province": p,
                             "note": _(blank_note).format(indicator=r.indicator, province=p)})
            if r.provinces and len(set(r.ranges.values())) > 1:
                groups: dict[str, list[str]] = {}
                for p, span in r.ranges.items():
                    groups.setdefault(span, []).append(p)
                listed = "; ".join(f"{', '.join(ps)} {span}" for span, ps in groups.items())
                over = (_("{indicator}: years with a value differ ({listed}): compared over {years} only") if r.n_shared
                        else _("{indicator}: years with a value differ ({listed}): no year in common, so not compared"))
                rows.append({**base, "topic": "years", "province": "",
                             "note": over.format(indicator=r.indicator, listed=listed, years=_range(r.years))})
            if r.provinces > 1 and 0 < r.n_shared < 2:
                rows.append({**base, "topic": "years", "province": "",
                             "note": _("{indicator}: one shared year ({years}): no growth rate over the shared years").format(
                                 indicator=r.indicator, years=_range(r.years))})

    indicator_notes(shared, N_("{indicator} is blank for {province}: left out of its comparison and its ranking"))
    if ratio_shared is not None and not ratio_shared.empty:
        indicator_notes(ratio_shared, N_("{indicator} is blank for {province}: left out of its comparison and the ratio table"))
    unranked = ranking[ranking["rank"].isna()]
    blank = {(r.table, r.indicator, p) for r in shared.itertuples(index=False) for p in [*r.blank_in, *r.absent_in]}
    for r in unranked.itertuples(index=False):
        if (r.table, r.indicator, r.province) in blank:
            continue
        rows.append({"topic": "ranking", "table": r.table, "indicator": r.indicator, "province": r.province,
                     "note": _("{indicator} has no CAGR over the shared years for {province} "
                               "(fewer than two shared years, or a first value of 0): not ranked").format(
                         indicator=r.indicator, province=r.province)})
    tied = ranking[ranking["tied"]]
    for (table, indicator, rank), part in tied.groupby(["table", "indicator", "rank"], sort=False):
        rows.append({"topic": "ranking", "table": table, "indicator": indicator, "province": "",
                     "note": _("{indicator}: {provinces} tie at rank {rank} (equal CAGR)").format(
                         indicator=indicator, provinces=", ".join(part["province"]), rank=rank)})
    return pd.DataFrame(rows, columns=NOTE_COLUMNS)


# ---------------------------------------------------------------------------------------------
# The whole comparison.

def compare(sources, others=(), *, check: bool = True) -> Comparison:
    """Compare several provinces' data sets (folders, workbooks or Datasets): every frame the CLI and notebook show.

    `sources` and `others` are each one source or a list of them; the comparison takes them in that order.
    """
    datasets, name_notes = open_datasets(as_sources(sources) + as_sources(others), check=check)
    yearly = {d.province: yearly_frame(d) for d in datasets}
    stacked = stack(yearly)
    provinces = pd.DataFrame([{
        "province": d.province,
        "source": Path(d.source).name,
        "tables": len(d.table_names()),
        "years": _range(yearly[d.province]["year"].unique()),
    } for d in datasets])
    shared = shared_years(stacked)
    growth = province_growth(stacked, shared)
    ranking = rank_provinces(growth)
    ratio_wide, ratio_shared = province_ratios(stacked)
    notes = comparison_notes(provinces, shared, ranking, ratio_shared, name_notes)
    notes = _not_reported_notes(notes, datasets)
    notes = pd.concat([notes, _group_table_notes(datasets)], ignore_index=True)
    labels = {i.name: i.display for d in datasets for t in d.table_names() for i in d.spec(t).indicators}
    labels.update({r.name: _(r.label) for r in RATIOS})
    return Comparison(
        provinces=provinces,
        stacked=stacked,
        shared=shared.assign(years=shared["years"].map(_range)).drop(columns=["ranges"]).assign(
            blank_in=shared["blank_in"].map(", ".join), absent_in=shared["absent_in"].map(", ".join)),
        side_by_side=side_by_side(stacked, shared),
        growth=growth,
        index=province_index(stacked, shared),
        ratios=ratio_wide,
        ranking=ranking,
        notes=notes,
        labels=labels,
    )
