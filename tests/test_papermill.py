"""Papermill: every notebook's parameters are typed, and 09-compare takes `others` as one path or as a list."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from province_helpers import province_workbook

from laocai_stats.stats.compare import as_sources, compare

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
PAPERMILL = Path(sys.executable).with_name("papermill")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_parameter_has_a_type_papermill_reads(notebook):
    import papermill

    parameters = papermill.inspect_notebook(str(notebook))
    assert {"data", "province"} <= set(parameters)
    for name, parameter in parameters.items():
        assert parameter["inferred_type_name"] not in ("None", ""), f"{notebook.name}: {name} has no type"
        assert parameter["help"], f"{notebook.name}: {name} has no help text"


def test_compare_takes_one_source_or_a_list(tmp_path):
    one = province_workbook(tmp_path / "ha-giang.xlsx", "Ha Giang", range(2016, 2021), {"articles": [1, 2, 3, 4, 5]})
    assert as_sources(str(one)) == [str(one)] and as_sources(one) == [one] and as_sources(None) == []
    assert as_sources([one, one]) == [one, one]
    single = compare(str(ROOT / "data" / "laocai"), str(one))
    listed = compare([str(ROOT / "data" / "laocai"), str(one)])
    assert list(single.provinces["province"]) == list(listed.provinces["province"]) == ["Lao Cai", "Ha Giang"]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("papermill")
    a = province_workbook(folder / "ha-giang.xlsx", "Ha Giang", range(2016, 2021), {"articles": [10, 20, 30, 40, 50]})
    b = province_workbook(folder / "yen-bai.xlsx", "Yen Bai", range(2016, 2021), {"articles": [5, 6, 7, 8, 9]})
    return a, b


def provinces_in(notebook: Path) -> str:
    """The text of the executed notebook's province table (the cell showing `comparison.provinces`)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    shown = [c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip() == "comparison.provinces"]
    return "".join(shown[0]["outputs"][0]["data"]["text/plain"])


@pytest.mark.parametrize("how", ["one path (-p)", "a list (-y)"])
def test_papermill_runs_09_compare_with_the_readme_command(workbooks, tmp_path, how):
    a, b = workbooks
    args = ["-p", "others", str(a)] if how.startswith("one") else ["-y", f"others: [{a}, {b}]"]
    out = tmp_path / "out.ipynb"
    env = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    result = subprocess.run([str(PAPERMILL), str(ROOT / "notebooks" / "09-compare.ipynb"), str(out), *args,
                             "--no-progress-bar", "-k", "python3"], capture_output=True, text=True, timeout=600,
                            cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    shown = provinces_in(out)
    assert "Lao Cai" in shown and "Ha Giang" in shown
    assert ("Yen Bai" in shown) == how.startswith("a list")
