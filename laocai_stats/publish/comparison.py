"""Compare's outputs for people and files: a narrative of the comparison, and its CSVs and figures written atomically."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..stats.compare import KEYS, Comparison
from ..text import _, percent


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


def comparison_markdown(comparison: Comparison) -> str:
    """A narrative of the comparison; every number in it computed from the frames."""
    provinces = comparison.provinces
    names = list(provinces["province"])
    heading = _("### {count} province compared: {names}") if len(names) == 1 else _("### {count} provinces compared: {names}")
    lines = [heading.format(count=len(names), names=", ".join(names)), ""]
    for r in provinces.itertuples(index=False):
        lines.append(_("- **{province}** ({source}): {tables} tables, years {years}.").format(
            province=r.province, source=r.source, tables=r.tables, years=r.years))
    if len(names) > 1:
        ranking = comparison.ranking
        lines += ["", _("Fastest growth (CAGR over the years all provinces with values share):"), ""]
        for (table, indicator), part in ranking.groupby(KEYS, sort=False):
            leaders = part[part["rank"] == 1]
            title = comparison.labels.get(indicator, indicator)
            if leaders.empty:
                lines.append(_("- {title}: no province has a growth rate over shared years.").format(title=title))
                continue
            first = leaders.iloc[0]
            who = _(" and ").join(leaders["province"])
            among = (_("{count} provinces ranked").format(count=int(first["of"])) if first["of"] > 1
                     else _("the only province with values for it"))
            lines.append(_("- {title}: {who}, {cagr} a year over {first}-{last} ({among}).").format(
                title=title, who=who, cagr=percent(first["cagr"]), first=first["from_year"], last=first["to_year"], among=among))
        flows = comparison.growth[comparison.growth["kind"] == "flow"].dropna(subset=["cagr_shared"])
        if len(flows):
            median = flows.groupby("province", sort=False)["cagr_shared"].median()
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


def write_comparison(comparison: Comparison, out) -> list[str]:
    """Write the CSVs and one growth figure per table (PNG and SVG) into `out`, atomically.

    Everything goes into a staging folder beside `out` (`output_files.staged_folder`); on any
    failure the earlier `out` is left exactly as it was.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .compare_figures import comparison_tables_with_values, growth_figure
    from .figures import save_figure
    from .outputs import staged_folder, write_csv
    from .style import themed

    written = []
    with staged_folder(Path(out).resolve()) as staging:
        for stem, frame in comparison_tables(comparison).items():
            write_csv(frame, staging / f"{stem}.csv")
            written.append(f"{stem}.csv")
        (staging / "figures").mkdir()
        with themed():
            for table in comparison_tables_with_values(comparison):
                fig = growth_figure(comparison, table)
                try:
                    written += [f"figures/{p.name}" for p in save_figure(fig, staging / "figures" / f"growth_{table}")]
                finally:
                    plt.close(fig)
    return written
