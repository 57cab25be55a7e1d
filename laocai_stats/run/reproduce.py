"""`laocai-stats reproduce`: every table, figure, executed notebook and the HTML report from one data set, written atomically."""
from __future__ import annotations

import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from ..data.dataset import Dataset, default_data_dir, open_dataset
from ..errors import DataError, LaocaiError, raise_if_interrupted
from ..publish.outputs import MANIFEST, check_output_folder, staged_folder, write_csv
from ..publish.report import NOTEBOOK_HTML_DIR, REPORT_DIR, write_report
from ..text import DEFAULT_LANGUAGE, _, in_data_language

NOTEBOOK_DIR_NAME = "notebooks"
CELL_TIMEOUT = 600  # seconds for one cell
KERNEL_START_TIMEOUT = 120  # seconds for a kernel to start
SWITCH_HINT = "LAOCAI_STATS_FORK_KERNELS=0"


def notebooks_dir() -> Path:
    """The committed notebooks: beside the shipped data in a source checkout, or inside an installed wheel."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_notebooks", package.parent / NOTEBOOK_DIR_NAME):
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
        raise_if_interrupted()  # between steps: a Ctrl-C a library swallowed stops the run here
        self.done += 1
        if self.bar is not None:
            self.bar.set_description_str(what[:40])
            self.bar.update(1)
        elif self.enabled:
            print(f"reproduce: [{self.done}/{self.total}] {what}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def derived_tables(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """Every table `reproduce` writes, by file stem, in a stable order."""
    from ..stats.channels import channel_comparison, channel_growth, last_year_change
    from ..stats.growth import index, share_of_period, year_on_year
    from ..stats.ratios import agent_ratios, yearly_ratios
    from ..stats.summary import growth_table, yearly_frame

    tables: dict[str, pd.DataFrame] = {}
    tables["growth"] = growth_table(dataset)
    yearly = yearly_frame(dataset)
    tables["year_on_year"] = year_on_year(yearly)
    tables["index"] = index(yearly)
    flows = yearly[yearly["kind"] == "flow"]
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
    return {stem: with_province(frame, dataset.province) for stem, frame in tables.items()}


PROVINCE_COLUMN = "province"


def with_province(frame: pd.DataFrame, province: str) -> pd.DataFrame:
    """A new frame with the province as its first column, so that two runs' tables can be told apart."""
    out = frame.copy()
    out.insert(0, PROVINCE_COLUMN, pd.Series([province] * len(out), index=out.index, dtype=object))
    return out


TABLES_WORKBOOK = "tables.xlsx"
TABLES_DESCRIPTOR = "datapackage.json"  # the derived CSVs' codebook (publish/codebook.py)


def write_tables(dataset: Dataset, folder: Path) -> list[str]:
    """Each table as CSV, their codebook as a data package, and all of them in one workbook, a sheet each."""
    import json

    from .. import __version__
    from ..publish.codebook import tables_descriptor, workbook_layout
    from ..publish.tables_workbook import write_tables_workbook

    written = []
    tables = derived_tables(dataset)
    for stem, frame in tables.items():
        write_csv(frame, folder / f"{stem}.csv")
        written.append(f"tables/{stem}.csv")
    descriptor = tables_descriptor(tables, dataset, __version__)
    (folder / TABLES_DESCRIPTOR).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(f"tables/{TABLES_DESCRIPTOR}")
    from ..publish.sources import sources_rows

    about = [(_("Province"), dataset.province)] + [(_("Source"), _("{table}, cells {cells}: {source}").format(table=table, cells=cells, source=source))
                                                   for table, cells, source in sources_rows(dataset)]
    write_tables_workbook(tables, folder / TABLES_WORKBOOK, **workbook_layout(tables, dataset, __version__),
                          title=_("Derived tables, {province}").format(province=dataset.province), about=about)
    written.append(f"tables/{TABLES_WORKBOOK}")
    return written


def write_audit(dataset: Dataset, folder: Path) -> list[str]:
    """The reviewer's audit: one row per check (CSV), the grades (CSV) and the pasteable Markdown."""
    from ..audit.checks import grade_tables, run_audit
    from ..audit.report import audit_markdown

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

    from ..publish.figures import draw, figure_available, figures_for, save_figure
    from ..publish.style import themed

    folder.mkdir(parents=True, exist_ok=True)
    written, skipped = [], []
    with themed():
        for spec in figures_for(dataset):
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


def _run_notebook(source: str, target: str, parameters: dict, html_target: str | None = None) -> None:
    """Worker: execute one notebook with papermill, drop run metadata (timings), render it as a report page.

    With a `lang` parameter the notebook's Markdown is translated before it runs; its code cells follow `lang` themselves."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .notebooks import KERNEL_ARGUMENTS, clean, in_language
    from .warm_kernels import ForkKernelManager, can_fork

    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    warm = {"kernel_manager_class": ForkKernelManager} if can_fork() else {}
    try:
        # Timeouts so that a kernel that hangs (or dies while starting) fails the run with a message
        # instead of waiting for ever: no cell of these notebooks takes more than a few seconds.
        lang = parameters.get("lang") or DEFAULT_LANGUAGE
        notebook = source if lang == DEFAULT_LANGUAGE else in_language(nbformat.read(source, as_version=4), lang)
        papermill.execute_notebook(notebook, target, parameters=parameters, kernel_name="python3",
                                   cwd=str(Path(source).parent), progress_bar=False, log_output=False,
                                   extra_arguments=list(KERNEL_ARGUMENTS), execution_timeout=CELL_TIMEOUT,
                                   start_timeout=KERNEL_START_TIMEOUT, **warm)
    except PapermillExecutionError as exc:
        cell = getattr(exc, "exec_count", None)
        reason = f"{exc.ename}: {exc.evalue}".strip()
        raise LaocaiError(f"notebook {Path(source).name} failed at cell {exc.cell_index + 1}"
                          f"{f' (execution count {cell})' if cell else ''}: {reason}") from None
    except (TimeoutError, RuntimeError) as exc:
        raise LaocaiError(f"notebook {Path(source).name} did not finish: {type(exc).__name__}: {exc}; "
                          f"set {SWITCH_HINT} to start kernels the usual way") from None
    notebook = hide_paths(clean(nbformat.read(target, as_version=4)), parameters)
    nbformat.write(notebook, target)
    if html_target is not None:
        from ..publish.report import render_notebook

        render_notebook(Path(target), Path(html_target))


def hide_paths(notebook, parameters: dict):
    """The notebook with each path parameter shown as its file name only: no output holds a path of the user's machine."""
    import json

    import nbformat

    text = nbformat.writes(notebook)
    for value in parameters.values():
        if isinstance(value, str) and Path(value).is_absolute():
            escaped = value.encode("unicode_escape").decode("ascii")  # papermill writes non-ASCII text this way
            for form in dict.fromkeys((value, escaped, json.dumps(value, ensure_ascii=False)[1:-1], json.dumps(escaped)[1:-1])):
                text = text.replace(form, Path(value).name)
    return nbformat.reads(text, as_version=4)


def _worker_context():
    """Workers forked from this process once it has imported the notebooks' libraries, where fork() is safe; else spawned."""
    from .warm_kernels import can_fork, preload

    if can_fork():
        preload()
        return get_context("fork")
    return get_context("spawn")


def _warm_worker(parent: int) -> None:
    """A worker's start: die with `reproduce` (whose Ctrl-C ends the workers), import the libraries."""
    from .warm_kernels import can_fork, die_with_parent, preload

    die_with_parent(parent)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    if can_fork():
        preload()


class NotebookRuns:
    """Every notebook executing in worker processes, `jobs` at a time, while the caller does other work.

    Separate processes, not threads: each notebook's kernel client runs its own event loop. The workers
    start with the notebooks' libraries imported (forked from this process after `preload`, or importing
    them once when spawned), and every kernel a worker starts is forked from it (warm_kernels). Start
    this before drawing anything: the workers are forked when it starts.
    """

    def __init__(self, parameters: dict, folder: Path, *, jobs: int, html_folder: Path | None = None):
        folder.mkdir(parents=True, exist_ok=True)
        self.html_folder = html_folder
        # Ctrl-C is this process's to handle (it stops the workers and removes the staging folder). The workers, and
        # the kernels they fork, start with SIGINT blocked: a terminal sends it to the whole process group, and a
        # child hit just after fork() prints "Exception ignored ... KeyboardInterrupt" from its at-fork hooks.
        blocked = hasattr(signal, "pthread_sigmask")
        if blocked:
            previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            # The longest first, so that no worker is left running a long one alone at the end: a committed notebook's
            # size (its stored outputs, mostly figures) is how long it takes, near enough.
            paths = sorted(notebook_paths(), key=lambda p: p.stat().st_size, reverse=True)
            workers = max(1, min(jobs, len(paths)))  # never more workers than notebooks
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context(), initializer=_warm_worker,
                                            initargs=(os.getpid(),))
            self.futures = {self.pool.submit(_run_notebook, str(p), str(folder / p.name), parameters, self._html_target(p)): p
                            for p in paths}
        finally:
            if blocked:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def _html_target(self, path: Path) -> str | None:
        return None if self.html_folder is None else str(self.html_folder / f"{path.stem}.html")

    def collect(self, progress: Progress | None = None) -> list[str]:
        """Wait for every notebook; the files written, or one LaocaiError naming each notebook that failed."""
        written, errors = [], []
        try:
            for future in as_completed(self.futures):
                path = self.futures[future]
                try:
                    future.result()
                except LaocaiError as exc:
                    errors.append(str(exc))
                    continue
                written.append(f"notebooks/{path.name}")
                if self.html_folder is not None:
                    written.append(f"{self.html_folder.parent.name}/{self.html_folder.name}/{path.stem}.html")
                if progress:
                    progress.step(f"notebooks/{path.name}")
        finally:
            self.cancel()
        if errors:
            raise LaocaiError(" ".join(sorted(errors)))
        return sorted(written)

    def cancel(self) -> None:
        """Drop the notebooks not yet started and end the running ones now: their workers are killed, and each
        worker's kernels die with it (warm_kernels.die_with_parent). Nothing of theirs is kept."""
        for future in self.futures:
            future.cancel()
        for process in list((getattr(self.pool, "_processes", None) or {}).values()):
            if process.is_alive():
                process.kill()
        self.pool.shutdown(wait=True, cancel_futures=True)


def run_notebooks(parameters: dict, folder: Path, *, jobs: int, progress: Progress | None = None,
                  html_folder: Path | None = None) -> list[str]:
    """Execute every notebook into `folder`, `jobs` at a time; with `html_folder`, each also rendered there as HTML."""
    return NotebookRuns(parameters, folder, jobs=jobs, html_folder=html_folder).collect(progress)


def notebook_parameters(data, dataset: Dataset, province: str | None) -> dict:
    """Parameters for papermill; none at all for the shipped data in English, so the run matches the committed notebooks.

    `lang` is the run's language (`--lang`, else the data's own), so that the notebooks speak the report's language."""
    source = None if data is None else str(Path(dataset.source if isinstance(data, Dataset) else data).resolve())
    if source is not None and Path(source) == default_data_dir().resolve():
        source = None
    parameters = {}
    if source is not None:
        parameters["data"] = source
    if province:
        parameters["province"] = province
    if dataset.language and not (source is None and dataset.language == DEFAULT_LANGUAGE):
        parameters["lang"] = dataset.language
    return parameters


def reproduce(out, data=None, *, province: str | None = None, lang: str | None = None, jobs: int | None = None,
              notebooks: bool = True, progress: bool = True) -> Result:
    """Rebuild everything into `out`; on any failure the earlier `out` is left exactly as it was.

    Text for people (report, figures, narrative, tables.xlsx headings) is in `lang`, else in the data's own language.
    """
    dataset = open_dataset(data, province=province, lang=lang)
    return _reproduce(dataset, out, data, province=province, jobs=jobs, notebooks=notebooks, progress=progress)


@in_data_language
def _reproduce(dataset: Dataset, out, data, *, province, jobs, notebooks, progress) -> Result:
    inputs = [dataset.source]
    out = check_output_folder(out, inputs)  # refused before any work, and again when the staging folder is made
    errors = [p for p in dataset.problems() if p.severity == "error"]
    if errors:
        raise DataError(errors)
    from ..publish.figures import figures_for

    steps = len(figures_for(dataset)) + (len(notebook_paths()) if notebooks else 0) + 3
    bar = Progress(steps, enabled=progress)
    result = Result(out)
    try:
        with staged_folder(out, inputs=inputs) as staging:
            runs = None
            try:
                if notebooks:  # started first: the kernels run while this process writes the tables and figures
                    parameters = notebook_parameters(data, dataset, province)
                    if "data" in parameters:  # read once here, as the kernels will name it: forked kernels reuse it
                        open_dataset(parameters["data"]).problems()
                    runs = NotebookRuns(parameters, staging / "notebooks",
                                        jobs=jobs or os.cpu_count() or 1, html_folder=staging / REPORT_DIR / NOTEBOOK_HTML_DIR)
                result.written += write_tables(dataset, staging / "tables")
                bar.step("tables")
                result.written += write_audit(dataset, staging / "audit")
                bar.step("audit")
                figures, skipped = write_figures(dataset, staging / "figures", bar)
                result.written += figures
                result.skipped += skipped
                if runs is not None:
                    result.written += runs.collect(bar)
                executed = sorted((staging / "notebooks").glob("*.ipynb")) if notebooks else []
                result.written += write_report(dataset, staging, notebooks=executed)
                bar.step("report")
                result.written.append(MANIFEST)  # written by staged_folder as the folder moves into place
            except BaseException:
                if runs is not None:  # stop the workers before the staging folder is removed under them
                    runs.cancel()
                raise
    finally:
        bar.close()
    return result
