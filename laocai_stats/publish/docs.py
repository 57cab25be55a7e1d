"""Generated parts of the README (data dictionary, findings, outputs map), kept current by a test."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..data.dataset import open_dataset
from ..text import markdown_table

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
                         "label as printed": i.label, "unit": i.unit, "kind": i.kind, "note": i.note_text() or ""})
    return markdown_table(pd.DataFrame(rows), trusted=True)


def findings() -> str:
    from ..audit.checks import grade_tables, run_audit
    from ..audit.report import findings_markdown

    checks = run_audit(open_dataset())
    text = findings_markdown(checks, grade_tables(checks))
    # The README has its own heading; drop the audit's first-level heading if any, demote the rest.
    return "\n".join(line.replace("### ", "#### ", 1) if line.startswith("### ") else line for line in text.splitlines())


def outputs_map() -> str:
    """Replication-package style: each of the paper's tables and each figure, the notebook and the files that make it."""
    from . import report

    dataset = open_dataset()
    rows = [{"paper": e["paper"], "what": e["what"], "notebook": f"`notebooks/{e['notebook']}.ipynb`",
             "output files": ", ".join([f"`data/laocai/{name}`" for name in e["inputs"]] + [f"`{f}`" for f in e["files"]])}
            for e in report.outputs_map(dataset)]
    return markdown_table(pd.DataFrame(rows), trusted=True)


def notebooks() -> str:
    """The notebooks in the tree, each with the title its first cell gives."""
    import json

    folder = Path(__file__).resolve().parents[2] / "notebooks"
    rows = []
    for path in sorted(folder.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        first = next((c for c in cells if c["cell_type"] == "markdown"), None)
        title = "".join(first["source"]).splitlines()[0].lstrip("# ").strip() if first else ""
        rows.append({"notebook": f"`notebooks/{path.name}`", "title": title})
    return markdown_table(pd.DataFrame(rows), trusted=True)


def growth_codebook() -> str:
    """growth.csv's columns and what each means, from stats.summary.GROWTH_CODEBOOK."""
    from ..stats.summary import GROWTH_CODEBOOK

    return markdown_table(pd.DataFrame([{"column": f"`{k}`", "meaning": v} for k, v in GROWTH_CODEBOOK.items()]), trusted=True)


KEY_PACKAGES = ("pandas", "numpy", "scipy", "matplotlib", "seaborn", "openpyxl", "defusedxml", "fastjsonschema",
                "papermill", "nbclient", "ipykernel", "jupyterlab", "nbval", "pytest", "frictionless")


def key_pins() -> str:
    """The versions the stored outputs were made with, read from requirements.lock."""
    lock = Path(__file__).resolve().parents[2] / "requirements.lock"
    pins, markers = {}, 0
    for line in lock.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            pin, _, marker = line.strip().partition(" ; ")  # a marker limits a pin to some platforms
            name, version = pin.split("==")
            pins[name.lower()] = version
            markers += bool(marker)
    listed = ", ".join(f"{name} {pins[name]}" for name in KEY_PACKAGES if name in pins)
    return (f"{listed}; {len(pins)} packages in all ({markers} of them only on some platforms), every one pinned "
            "exactly in `requirements.lock`.")


def output_dictionary() -> str:
    """Every column of the derived CSVs, from the codebook `reproduce` wrote (outputs/tables/datapackage.json)."""
    import json

    descriptor = Path(__file__).resolve().parents[2] / "outputs" / "tables" / "datapackage.json"
    resources = json.loads(descriptor.read_text(encoding="utf-8"))["resources"]
    rows: dict[tuple, dict] = {}
    for resource in resources:
        for field in resource["schema"]["fields"]:
            key = (field["name"], field["type"], field.get("unit", ""), field["description"])
            row = rows.setdefault(key, {"column": f"`{field['name']}`", "type": field["type"], "unit": field.get("unit", ""),
                                        "meaning": field["description"], "in": []})
            row["in"].append(resource["name"])
    for row in rows.values():
        data = [n for n in row["in"] if n.startswith("data_")]
        row["in"] = ", ".join([n for n in row["in"] if not n.startswith("data_")] + (["data_*"] if data else []))
    return markdown_table(pd.DataFrame(list(rows.values())), trusted=True)


GENERATORS = {"output-dictionary": output_dictionary, "data-dictionary": data_dictionary, "findings": findings,
              "outputs-map": outputs_map, "key-pins": key_pins, "notebooks": notebooks, "growth-codebook": growth_codebook}


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

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "README.md"
    print("README updated" if update_readme(target) else "README already current")
