"""Tables, statistics and figures for the Lao Cai social insurance communication paper.

The stages, each a subpackage that imports only the ones before it: `data` (read one province's data) ->
`workbook` (the Excel workbook) -> `stats` -> `audit` -> `publish` -> `run` (reproduce) -> `cli`.
This module re-exports the public loaders; see ARCHITECTURE.md.
"""
from importlib.metadata import PackageNotFoundError, version

from .data.dataset import Dataset, open_dataset
from .data.loaders import (
    list_tables,
    load_all,
    load_facts,
    load_table,
    printed_table,
    printed_totals,
    sum_over_years,
    table_info,
    tables_overview,
)
from .errors import AggregationError, DataError, LaocaiError
from .workbook import reader as _workbook_reader  # noqa: F401  (registers the .xlsx format with the data layer)

try:
    __version__ = version("laocai-stats")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

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
