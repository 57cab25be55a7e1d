"""Tables, statistics and figures for the Lao Cai social insurance communication paper.

The stages, each a subpackage that imports only the ones before it: `data` (read one province's data) ->
`workbook` (the Excel workbook) -> `stats` -> `audit` -> `publish` -> `run` (reproduce) -> `cli`.
This module re-exports the public loaders; see ARCHITECTURE.md.

Importing it is cheap: the loaders (and pandas with them) are imported on first use of one of their names
(PEP 562), so that `laocai-stats --help` answers without loading pandas, matplotlib or openpyxl.
"""
from importlib import import_module

from .data.formats import register_reader as _register_reader
from .errors import AggregationError, DataError, LaocaiError

# The .xlsx format, by name: its reader (and openpyxl) is imported the first time a workbook is opened.
_register_reader((".xlsx", ".xlsm"), "laocai_stats.workbook.reader:WorkbookReader")

# Public name -> the module that defines it, imported when the name is first used.
_LAZY = {
    "Dataset": "data.dataset",
    "open_dataset": "data.dataset",
    **{name: "data.loaders" for name in ("list_tables", "load_all", "load_facts", "load_table", "printed_table",
                                         "printed_totals", "sum_over_years", "table_info", "tables_overview")},
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # 0.1 s of imports: only when asked

    try:
        return version("laocai-stats")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str):
    if name == "__version__":
        globals()[name] = _version()
        return globals()[name]
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'laocai_stats' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | {"__version__"})


__all__ = [
    "AggregationError",
    "DataError",
    "Dataset",
    "LaocaiError",
    "list_tables",
    "load_all",
    "load_facts",
    "load_table",
    "open_dataset",
    "printed_table",
    "printed_totals",
    "sum_over_years",
    "table_info",
    "tables_overview",
]
