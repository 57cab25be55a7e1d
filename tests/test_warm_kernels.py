"""Kernels forked from a warm process: the same outputs as a normal kernel, the libraries already loaded, a switch to turn it off."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import nbformat
import pytest

from laocai_stats.run import warm_kernels
from laocai_stats.run.warm_kernels import ForkedProcess, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="fork() is not available or not safe on this platform")

NOTEBOOK_CELLS = [
    "import sys\nprint('preloaded' if 'seaborn' in sys.modules else 'fresh')",
    "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport pandas as pd\n"
    "fig, ax = plt.subplots(figsize=(2, 2))\nax.plot([1, 2, 3], [3, 1, 2])\nplt.show()",
    "import os\npd.DataFrame({'cwd': [os.path.basename(os.getcwd())], 'x': [1.5]})",
]

RUNNER = textwrap.dedent("""
    import sys
    import nbformat, papermill
    from laocai_stats.run.notebooks import KERNEL_ARGUMENTS, clean
    from laocai_stats.run.warm_kernels import ForkKernelManager, preload
    source, target, mode = sys.argv[1:]
    extra = {}
    if mode == "fork":
        preload()
        extra["kernel_manager_class"] = ForkKernelManager
    papermill.execute_notebook(source, target, kernel_name="python3", progress_bar=False, log_output=False,
                               cwd=sys.argv[1].rsplit("/", 1)[0], extra_arguments=list(KERNEL_ARGUMENTS), **extra)
    nbformat.write(clean(nbformat.read(target, as_version=4)), target)
""")


def run(tmp_path, mode: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in NOTEBOOK_CELLS]
    for n, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{n}"
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folder = tmp_path / "work"
    folder.mkdir(exist_ok=True)
    source = folder / "probe.ipynb"
    nbformat.write(notebook, source)
    target = tmp_path / f"{mode}.ipynb"
    env = dict(os.environ, MPLBACKEND="Agg")
    result = subprocess.run([sys.executable, "-c", RUNNER, str(source), str(target), mode], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return nbformat.read(target, as_version=4)


def test_a_forked_kernel_gives_the_outputs_of_a_new_one_with_the_libraries_already_loaded(tmp_path):
    fresh, forked = run(tmp_path, "spawn"), run(tmp_path, "fork")
    assert fresh.cells[0].outputs[0]["text"] == "fresh\n"
    assert forked.cells[0].outputs[0]["text"] == "preloaded\n"
    for a, b in zip(fresh.cells[1:], forked.cells[1:]):
        assert a.outputs == b.outputs
    assert "image/png" in forked.cells[1].outputs[0]["data"]
    assert "work" in forked.cells[2].outputs[0]["data"]["text/plain"]  # ran in the notebook's folder


def test_the_switch_turns_forking_off(monkeypatch):
    monkeypatch.setenv(warm_kernels.SWITCH, "0")
    assert not can_fork()
    monkeypatch.setenv(warm_kernels.SWITCH, "1")
    assert can_fork()


def test_forked_process_handle_reports_the_exit_status():
    pid = os.fork()
    if pid == 0:
        os._exit(3)
    process = ForkedProcess(pid)
    assert process.wait(timeout=10) == 3
    assert process.poll() == 3
    process.kill()  # a finished process: nothing to signal, no error
