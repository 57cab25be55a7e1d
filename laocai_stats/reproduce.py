"""`laocai-stats reproduce`: every table, figure and executed notebook from one data set, written atomically."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from .dataset import Dataset, default_data_dir, open_dataset
from .errors import DataError, LaocaiError

NOTEBOOK_DIR_NAME = "notebooks"


def notebooks_dir() -> Path:
    """The committed notebooks: beside the shipped data in a source checkout, or inside an installed wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_notebooks", here.parent / NOTEBOOK_DIR_NAME):
        if any(candidate.glob("[0-9][0-9]-*.ipynb")):
            return candidate
    raise LaocaiError("the analysis notebooks are missing from this installation")


def notebook_paths() -> list[Path]:
    return sorted(notebooks_dir().glob("[0-9][0-9]-*.ipynb"))


@dataclass
class Result:
    out: Path
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class Progress:
    """A tqdm bar on a terminal; plain `reproduce: step` lines when output goes to a file or pipe."""

    def __init__(self, total: int, enabled: bool = True):
        self.enabled = enabled
        self.bar = None
        self.done = 0
        self.total = total
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="step", file=sys.stderr, leave=False)

    def step(self, what: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.set_description_str(what[:40])
            self.bar.update(1)
        elif self.enabled:
            print(f"reproduce: [{self.done}/{self.total}] {what}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV with '\\n' line ends and user text made safe against spreadsheet formula injection."""
    from .safety import escape_formula

    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(escape_formula)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe.to_csv(path, index=False, lineterminator="\n")


def derived_tables(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """Every table `reproduce` writes, by file stem, in a stable order."""
    from .channels import channel_comparison, channel_growth, last_year_change
    from .growth import index, share_of_period, year_on_year
    from .ratios import agent_ratios, yearly_ratios
    from .summary import growth_summary, yearly_frame

    tables: dict[str, pd.DataFrame] = {}
    tables["growth"] = growth_summary(dataset)
    yearly = yearly_frame(dataset)
    tables["year_on_year"] = year_on_year(yearly)
    tables["index"] = index(yearly)
    flows = yearly[yearly["kind"] == "flow"]
    flows.attrs = {"kinds": {i: "flow" for i in flows["indicator"]}}
    tables["share_of_period"] = share_of_period(flows)
    tables["ratios"] = yearly_ratios(dataset)
    if "agents" in dataset.table_names():
        tables["agents_ratios"] = agent_ratios(dataset)
    tables["channels"] = channel_comparison(dataset)
    tables["channel_growth"] = channel_growth(dataset)
    tables["last_year_change"] = last_year_change(dataset)
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        table = dataset.table(name)
        tables[f"data_{name}"] = table.rows
        if not table.totals.empty:
            tables[f"data_{name}_printed_totals"] = table.totals
    return tables


def write_tables(dataset: Dataset, folder: Path) -> list[str]:
    written = []
    for stem, frame in derived_tables(dataset).items():
        write_csv(frame, folder / f"{stem}.csv")
        written.append(f"tables/{stem}.csv")
    return written


def write_audit(dataset: Dataset, folder: Path) -> list[str]:
    """The reviewer's audit: one row per check (CSV), the grades (CSV) and the pasteable Markdown."""
    from .audit import audit_markdown, grade_tables, run_audit

    checks = run_audit(dataset)
    grades = grade_tables(checks)
    write_csv(checks, folder / "audit.csv")
    write_csv(grades, folder / "grades.csv")
    (folder / "audit.md").write_text(audit_markdown(checks, grades) + "\n", encoding="utf-8")
    return ["audit/audit.csv", "audit/grades.csv", "audit/audit.md"]


def write_figures(dataset: Dataset, folder: Path, progress: Progress | None = None) -> tuple[list[str], list[str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .figures import FIGURES, draw, figure_available, save_figure
    from .style import themed

    folder.mkdir(parents=True, exist_ok=True)
    written, skipped = [], []
    with themed():
        for spec in FIGURES:
            if not figure_available(spec.name, dataset):
                skipped.append(f"figure {spec.name}: no values in {', '.join(spec.tables)}")
                continue
            fig = draw(spec.name, dataset)
            try:
                written += [f"figures/{p.name}" for p in save_figure(fig, folder / spec.name)]
            finally:
                plt.close(fig)
            if progress:
                progress.step(f"figures/{spec.name}")
    return written, skipped


def _run_notebook(source: str, target: str, parameters: dict) -> None:
    """Worker: execute one notebook with papermill, then drop run metadata (timings)."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .notebook_run import KERNEL_ARGUMENTS, clean

    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    try:
        papermill.execute_notebook(source, target, parameters=parameters, kernel_name="python3",
                                   cwd=str(Path(source).parent), progress_bar=False, log_output=False,
                                   extra_arguments=list(KERNEL_ARGUMENTS))
    except PapermillExecutionError as exc:
        cell = getattr(exc, "exec_count", None)
        reason = f"{exc.ename}: {exc.evalue}".strip()
        raise LaocaiError(f"notebook {Path(source).name} failed at cell {exc.cell_index + 1}"
                          f"{f' (execution count {cell})' if cell else ''}: {reason}") from None
    notebook = nbformat.read(target, as_version=4)
    nbformat.write(clean(notebook), target)


def run_notebooks(parameters: dict, folder: Path, *, jobs: int, progress: Progress | None = None) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = notebook_paths()
    written = []
    # Separate processes, not threads: each notebook's kernel client runs its own event loop.
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(_run_notebook, str(p), str(folder / p.name), parameters): p for p in paths}
        errors = []
        for future in as_completed(futures):
            path = futures[future]
            try:
                future.result()
            except LaocaiError as exc:
                errors.append(str(exc))
                continue
            written.append(f"notebooks/{path.name}")
            if progress:
                progress.step(f"notebooks/{path.name}")
    if errors:
        raise LaocaiError(" ".join(sorted(errors)))
    return sorted(written)


def notebook_parameters(data, dataset: Dataset, province: str | None) -> dict:
    """Parameters for papermill; none at all for the shipped data, so the run matches the committed notebooks."""
    source = None if data is None else str(Path(dataset.source if isinstance(data, Dataset) else data).resolve())
    if source is not None and Path(source) == default_data_dir().resolve():
        source = None
    parameters = {}
    if source is not None:
        parameters["data"] = source
    if province:
        parameters["province"] = province
    return parameters


def reproduce(out, data=None, *, province: str | None = None, jobs: int | None = None,
              notebooks: bool = True, progress: bool = True) -> Result:
    """Rebuild everything into `out`; on any failure the earlier `out` is left exactly as it was."""
    dataset = open_dataset(data, province=province)
    errors = [p for p in dataset.problems() if p.severity == "error"]
    if errors:
        raise DataError(errors)
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    from .figures import FIGURES

    steps = len(FIGURES) + (len(notebook_paths()) if notebooks else 0) + 2
    bar = Progress(steps, enabled=progress)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    result = Result(out)
    try:
        result.written += write_tables(dataset, staging / "tables")
        bar.step("tables")
        result.written += write_audit(dataset, staging / "audit")
        bar.step("audit")
        figures, skipped = write_figures(dataset, staging / "figures", bar)
        result.written += figures
        result.skipped += skipped
        if notebooks:
            parameters = notebook_parameters(data, dataset, province)
            result.written += run_notebooks(parameters, staging / "notebooks", jobs=jobs or os.cpu_count() or 1, progress=bar)
        _swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        bar.close()
    return result


def _swap_into_place(staging: Path, out: Path) -> None:
    """Replace `out` by `staging` with two renames, restoring `out` if the second fails."""
    backup = None
    if out.exists():
        backup = out.parent / f".{out.name}.previous-{os.getpid()}"
        out.rename(backup)
    try:
        staging.rename(out)
    except BaseException:
        if backup is not None:
            backup.rename(out)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
