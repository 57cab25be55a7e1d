"""Compare's outputs for people and files: a narrative of the comparison, and its CSVs and figures written atomically."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..stats.compare import KEYS, Comparison
from ..stats.summary import ACTIVITY_KINDS
from ..text import percent


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
    lines = [f"### {len(names)} province{'s' if len(names) != 1 else ''} compared: {', '.join(names)}", ""]
    for r in provinces.itertuples(index=False):
        lines.append(f"- **{r.province}** ({r.source}): {r.tables} tables, years {r.years}.")
    if len(names) > 1:
        ranking = comparison.ranking
        lines += ["", "Fastest growth (CAGR over the years all provinces with values share):", ""]
        for (table, indicator), part in ranking.groupby(KEYS, sort=False):
            leaders = part[part["rank"] == 1]
            title = comparison.labels.get(indicator, indicator)
            if leaders.empty:
                lines.append(f"- {title}: no province has a growth rate over shared years.")
                continue
            first = leaders.iloc[0]
            who = " and ".join(leaders["province"])
            among = (f"{int(first['of'])} provinces ranked" if first["of"] > 1
                     else "the only province with values for it")
            lines.append(f"- {title}: {who}, {percent(first['cagr'])} a year over {first['from_year']}-{first['to_year']} "
                         f"({among}).")
        flows = comparison.growth[comparison.growth["kind"].isin(ACTIVITY_KINDS)].dropna(subset=["cagr_shared"])
        if len(flows):
            median = flows.groupby("province", sort=False)["cagr_shared"].median()
            lines += ["", "- Median CAGR of the flows over the shared years: "
                      + "; ".join(f"{p} {percent(median.get(p))}" for p in names) + "."]
    else:
        lines.append("- Only one data set was given, so there is nothing to rank; give `others` (a list of workbooks "
                     "or data package folders) to compare provinces.")
    notes = comparison.notes
    if len(notes):
        lines.append(f"- {len(notes)} note{'s' if len(notes) != 1 else ''} on differences between the data sets "
                     "(years, blank or absent indicators, ties); see the notes table.")
    else:
        lines.append("- The data sets cover the same years and indicators: every comparison is like with like.")
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
