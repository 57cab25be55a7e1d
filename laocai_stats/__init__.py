"""Tables, statistics and figures for the Lao Cai social insurance communication paper."""
from importlib.metadata import PackageNotFoundError, version

from .dataset import Dataset, open_dataset
from .errors import AggregationError, DataError, LaocaiError
from .tables import (
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
