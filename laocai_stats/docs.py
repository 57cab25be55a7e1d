"""Generated parts of the README (data dictionary, findings, outputs map), kept current by a test."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .dataset import open_dataset
from .formatting import markdown_table

BLOCK = re.compile(r"(<!-- (?P<name>[a-z-]+):start -->\n)(?P<body>.*?)(<!-- (?P=name):end -->)", re.S)


def data_dictionary() -> str:
    """One row per indicator of the shipped package: where it is printed, its id, unit and kind."""
    dataset = open_dataset()
    rows = []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        spec = dataset.spec(name)
        for i in spec.indicators:
            where = f"Table {spec.number}" + (f", row {i.printed_row}" if i.printed_row else "")
            rows.append({"table (file)": f"`{name}` ({spec.path})", "printed at": where, "indicator": f"`{i.name}`",
                         "label as printed": i.label, "unit": i.unit, "kind": i.kind})
    return markdown_table(pd.DataFrame(rows))


def findings() -> str:
    from .audit import findings_markdown, grade_tables, run_audit

    checks = run_audit()
    text = findings_markdown(checks, grade_tables(checks))
    # The README has its own heading; drop the audit's first-level heading if any, demote the rest.
    return "\n".join(line.replace("### ", "#### ", 1) if line.startswith("### ") else line for line in text.splitlines())


def outputs_map() -> str:
    """Replication-package style: each of the paper's tables and each figure, the notebook and the files that make it."""
    from .figures import FIGURES

    dataset = open_dataset()
    from .report import table_notebook  # the same mapping the report uses: from the figure registry
    rows = []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        spec = dataset.spec(name)
        files = [f"`data/laocai/{spec.path}`", f"`tables/data_{name}.csv`"]
        if spec.totals_path:
            files.append(f"`tables/data_{name}_printed_totals.csv`")
        rows.append({"paper": f"Table {spec.number}", "what": spec.caption,
                     "notebook": f"`notebooks/{table_notebook(name)}.ipynb`", "output files": ", ".join(files)})
    rows.append({"paper": "Tables 2-5", "what": "Growth summary: CAGR, trend growth and 95 % CI, Kendall's tau",
                 "notebook": "`notebooks/01-overview.ipynb`", "output files": "`tables/growth.csv`"})
    rows.append({"paper": "Tables 1-5, text", "what": "Reviewer audit: totals, text counts, claims, grades",
                 "notebook": "`notebooks/08-audit.ipynb`", "output files": "`audit/audit.csv`, `audit/grades.csv`, `audit/audit.md`"})
    for spec in FIGURES:
        rows.append({"paper": ", ".join(f"Table {dataset.spec(t).number}" for t in spec.tables), "what": f"Figure: {spec.caption}",
                     "notebook": f"`notebooks/{spec.notebook}.ipynb`", "output files": f"`figures/{spec.name}.png`, `.svg`"})
    return markdown_table(pd.DataFrame(rows))


KEY_PACKAGES = ("pandas", "numpy", "scipy", "matplotlib", "seaborn", "openpyxl", "defusedxml", "fastjsonschema",
                "papermill", "nbclient", "ipykernel", "jupyterlab", "nbval", "pytest", "frictionless")


def key_pins() -> str:
    """The versions the stored outputs were made with, read from requirements.lock."""
    lock = Path(__file__).resolve().parents[1] / "requirements.lock"
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.strip().split("==")
            pins[name.lower()] = version
    total = len(pins)
    listed = ", ".join(f"{name} {pins[name]}" for name in KEY_PACKAGES if name in pins)
    return f"{listed}; {total} packages in all, every one pinned exactly in `requirements.lock`."


GENERATORS = {"data-dictionary": data_dictionary, "findings": findings, "outputs-map": outputs_map, "key-pins": key_pins}


def render(text: str) -> str:
    """The README text with every generated block replaced by what the data give now."""
    def replace(match: re.Match) -> str:
        body = GENERATORS[match["name"]]().rstrip("\n") + "\n"
        return f"{match.group(1)}{body}{match.group(4)}"
    return BLOCK.sub(replace, text)


def update_readme(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    new = render(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "README.md"
    print("README updated" if update_readme(target) else "README already current")
