"""The registry of data formats by file suffix, light enough to import before pandas.

A format outside the data stage (the workbook) registers its reader here, so that the data layer never imports
a later stage. A reader may be registered by name ("module:attribute"), imported the first time a file of its
format is opened: naming a format costs nothing, so `laocai-stats --help` starts without pandas or openpyxl.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable, Union

Reader = Callable[[Path], object]
READERS: dict[str, Union[Reader, str]] = {}


def register_reader(suffixes, reader: Union[Reader, str]) -> None:
    """Open files ending in any of `suffixes` (".xlsx", ...) with `reader(path)`; `reader` may be "module:attribute"."""
    for suffix in suffixes:
        READERS[suffix.lower()] = reader


def reader_for(suffix: str) -> Reader | None:
    """The reader registered for `suffix`, imported now if it was registered by name; None if there is none."""
    reader = READERS.get(suffix.lower())
    if isinstance(reader, str):
        module, _, attribute = reader.partition(":")
        reader = getattr(importlib.import_module(module), attribute)
        READERS[suffix.lower()] = reader
    return reader
