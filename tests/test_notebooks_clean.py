"""The committed notebooks: numbered, narrative, parameterised, and free of anything that varies between runs."""
from __future__ import annotations

import json
import re

import nbformat
import pytest

from laocai_stats.run.reproduce import notebook_paths

NOTEBOOKS = notebook_paths()


def test_there_is_one_notebook_per_question():
    names = [p.stem for p in NOTEBOOKS]
    assert names[0] == "01-overview"
    for table in ("agents", "conferences", "publications", "website", "press", "channels", "audit"):
        assert any(n.endswith(table) for n in names)
    assert all(re.fullmatch(r"\d\d-[a-z-]+", n) for n in names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_shape(path):
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and "Table" in first.source
    assert "parameters" in notebook.cells[1].metadata.get("tags", [])
    assert 'data: "Optional[str]" = None' in notebook.cells[1].source  # typed, for papermill (tests/test_papermill.py)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*(def|class) ", cell.source, flags=re.M), "functions belong in the package"
    assert notebook.cells[-1].cell_type == "code" and "Markdown(" in notebook.cells[-1].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_clean(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, "every code cell was executed"
        assert "execution" not in cell.metadata
        for output in cell.outputs:
            assert output.output_type != "error"
            assert output.get("name") != "stderr", output.get("text")
    assert "papermill" not in notebook.metadata
    text = json.dumps(notebook)
    for forbidden in ("/work/", "/tmp/", "/home/", "/root/", "Warning:", "Traceback"):
        assert forbidden not in text
