"""Compare's outputs for people and files: a narrative of the comparison, and its CSVs and figures written atomically."""
from __future__ import annotations


import pandas as pd

from ..stats.compare import KEYS, Comparison
from ..stats.summary import ACTIVITY_KINDS
from ..text import _, escape_markdown, percent, use_language


def comparison_tables(comparison: Comparison) -> dict[str, pd.DataFrame]:
    """The CSVs `compare --out` writes, by file stem."""
    return {
        "provinces": comparison.provinces,
        "shared_years": comparison.shared,
        "side_by_side": comparison.side_by_side,
        "growth": comparison.growth,
        "index": comparison.index,
        "ratios": comparison.ratios,
        "ranking": comparison.ranking,
        "notes": comparison.notes,
    }


COMPARISON_WORKBOOK = "comparison.xlsx"  # the same tables for spreadsheet users: text stays intact (no CSV import)
DESCRIPTIONS = {
    "provinces": "each data set: its province, file, number of tables and years",
    "shared_years": "per indicator: the provinces with values and the years they all share",
    "side_by_side": "levels over the shared years, one column per province",
    "growth": "per province and indicator: CAGR and trend growth over the shared years and over its own years",
    "index": "first shared year = 100, one column per province",
    "ratios": "per-unit ratios over the years the provinces share, one column per province",
    "ranking": "provinces ranked per indicator by CAGR over the shared years",
    "notes": "every difference in years or indicators, and what the comparison does about it",
}


def compared_line(comparison: Comparison, *, lang: str | None = None) -> str:
    """'Compared: **Lao Cai**, **Ha Giang**' (the names escaped: they are data), in `lang` (None: the current language)."""
    with use_language(lang):
        return _("Compared: {names}").format(names=", ".join(f"**{escape_markdown(p)}**" for p in comparison.provinces["province"]))


def comparison_markdown(comparison: Comparison, *, lang: str | None = None) -> str:
    """A narrative of the comparison in `lang` (None: the current language); every number in it computed from the frames."""
    with use_language(lang):
        return _comparison_markdown(comparison)


def _comparison_markdown(comparison: Comparison) -> str:
    provinces = comparison.provinces
    names = [escape_markdown(p) for p in provinces["province"]]
    heading = _("### {count} province compared: {names}") if len(names) == 1 else _("### {count} provinces compared: {names}")
    lines = [heading.format(count=len(names), names=", ".join(names)), ""]
    for r in provinces.itertuples(index=False):
        lines.append(_("- **{province}** ({source}): {tables} tables, years {years}.").format(
            province=escape_markdown(r.province), source=escape_markdown(r.source), tables=r.tables, years=r.years))
    if len(names) > 1:
        ranking = comparison.ranking
        lines += ["", _("Fastest growth (CAGR over the years all provinces with values share):"), ""]
        for (table, indicator), part in ranking.groupby(KEYS, sort=False):
            leaders = part[part["rank"] == 1]
            title = escape_markdown(comparison.labels.get(indicator, indicator))
            if leaders.empty:
                lines.append(_("- {title}: no province has a growth rate over shared years.").format(title=title))
                continue
            first = leaders.iloc[0]
            who = _(" and ").join(escape_markdown(p) for p in leaders["province"])
            among = (_("{count} provinces ranked").format(count=int(first["of"])) if first["of"] > 1
                     else _("the only province with values for it"))
            lines.append(_("- {title}: {who}, {cagr} a year over {first}-{last} ({among}).").format(
                title=title, who=who, cagr=percent(first["cagr"]), first=first["from_year"], last=first["to_year"], among=among))
        flows = comparison.growth[comparison.growth["kind"].isin(ACTIVITY_KINDS)].dropna(subset=["cagr_shared"])
        if len(flows):
            median = flows.groupby("province", sort=False)["cagr_shared"].median()
            median.index = [escape_markdown(p) for p in median.index]
            lines += ["", _("- Median CAGR of the flows over the shared years: ")
                      + "; ".join(f"{p} {percent(median.get(p))}" for p in names) + "."]
    else:
        lines.append(_("- Only one data set was given, so there is nothing to rank; give `others` (a list of workbooks "
                       "or data package folders) to compare provinces."))
    notes = comparison.notes
    if len(notes):
        line = (_("- {count} note on differences between the data sets (years, blank or absent indicators, ties); see the notes table.")
                if len(notes) == 1 else
                _("- {count} notes on differences between the data sets (years, blank or absent indicators, ties); see the notes table."))
        lines.append(line.format(count=len(notes)))
    else:
        lines.append(_("- The data sets cover the same years and indicators: every comparison is like with like."))
    return "\n".join(lines)


def write_comparison(comparison: Comparison, out, *, svg: bool = False, inputs=()) -> list[str]:
    """Write the CSVs, comparison.xlsx and one growth figure per table (PNG; SVG too with `svg=True`) into `out`, atomically.

    PNG only by default: with many provinces an SVG costs as much again to write as the PNG and is
    rarely opened; ask for it (`compare --svg`) to edit a figure or print it large. Both are
    byte-identical run to run. Everything goes into a staging folder beside `out`
    (`outputs.staged_folder`); on any failure the earlier `out` is left exactly as it was. `inputs`
    (the compared data sets) are never written over.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .compare_figures import comparison_tables_with_values, growth_figure
    from .outputs import MANIFEST, staged_folder, write_csv
    from .style import plain_themed, save_figure

    from .. import __version__
    from .codebook import number_formats
    from .tables_workbook import write_tables_workbook

    written = []
    formats = (".png", ".svg") if svg else (".png",)
    tables = comparison_tables(comparison)
    with staged_folder(out, inputs=inputs) as staging:
        for stem, frame in tables.items():
            write_csv(frame, staging / f"{stem}.csv")
            written.append(f"{stem}.csv")
        note = f"{', '.join(comparison.provinces['province'])}: compared by laocai-stats {__version__}."
        write_tables_workbook(tables, staging / COMPARISON_WORKBOOK, descriptions=DESCRIPTIONS,
                              number_formats=number_formats(tables, strict=False), note=note)
        written.append(COMPARISON_WORKBOOK)
        (staging / "figures").mkdir()
        with plain_themed():  # seaborn's theme without importing seaborn
            for table in comparison_tables_with_values(comparison):
                fig = growth_figure(comparison, table)
                try:
                    # No tight bounding box: the constrained layout already fits every text inside the figure,
                    # and finding the box would lay the figure out once more.
                    paths = save_figure(fig, staging / "figures" / f"growth_{table}", formats=formats, tight=False)
                    written += [f"figures/{p.name}" for p in paths]
                finally:
                    plt.close(fig)
    return [*written, MANIFEST]  # the manifest: written by staged_folder as the folder moves into place
