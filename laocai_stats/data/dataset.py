"""One province's data, from a data package folder or a filled workbook, behind one interface."""
from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, LaocaiError, Problem
from ..text import check_language, nfc
from .formats import READERS, reader_for, register_reader  # noqa: F401  (register_reader: for readers)
from .frames import TableData
from .limits import check_province
from .package import PackageReader, default_data_dir
from .specs import TableSpec

if TYPE_CHECKING:
    import pandas as pd


class Dataset:
    """Metadata at once; each table read, validated and kept on first use."""

    def __init__(self, reader, *, province: str | None = None, lang: str | None = None):
        self._reader = reader
        self._province = nfc(province)
        self._language = check_language(lang) if lang else None
        self._tables: dict[str, TableData] = {}
        self._derived: dict = {}

    def __repr__(self) -> str:
        return f"Dataset(province={self.province!r}, tables={self.table_names()})"

    @property
    def source(self) -> str:
        return self._reader.source

    @property
    def province(self) -> str:
        return self._province or self._reader.metadata.get("province") or "unnamed province"

    @property
    def language(self) -> str | None:
        """The language text about these data is written in: the one asked for, else the data's own (a workbook's
        About sheet records it); None where neither says, so that the caller's language holds."""
        return self._language or self._reader.metadata.get("language") or None

    @property
    def metadata(self) -> dict:
        """What the data say about themselves: name, province, title, citation and (a workbook's) sources."""
        return dict(self._reader.metadata)

    @property
    def citation(self) -> str | None:
        return self._reader.metadata.get("citation")

    @property
    def specs(self) -> dict[str, TableSpec]:
        return self._reader.specs

    def table_names(self) -> list[str]:
        return sorted(self._reader.specs)

    def spec(self, name: str) -> TableSpec:
        if name not in self._reader.specs:
            known = ", ".join(self.table_names()) or "none"
            raise LaocaiError(f"unknown table '{name}'; {self.source} has: {known}")
        return self._reader.specs[name]

    def table(self, name: str) -> TableData:
        self.spec(name)
        if name not in self._tables:
            self._tables[name] = self._reader.read_table(name)
        return self._tables[name]

    @cached_property
    def facts(self) -> pd.DataFrame | None:
        return self._reader.read_facts()

    def derived(self, key, compute) -> pd.DataFrame:
        """A frame computed from these data by `compute(self)` once and kept under `key` (which names everything else
        it depends on, such as the language); each call gets a copy of its own, so no caller changes another's."""
        if key not in self._derived:
            self._derived[key] = compute(self)
        return self._derived[key].copy()

    def problems(self) -> list[Problem]:
        """Every error and warning in the whole data set."""
        return self._reader.problems()


def as_dataset(obj) -> Dataset:
    """`obj` itself if it is a Dataset; else LaocaiError. Inside the library the data are resolved once, at the edge."""
    if isinstance(obj, Dataset):
        return obj
    raise LaocaiError(f"expected a Dataset, got {type(obj).__name__}: open the data once with "
                      "laocai_stats.open_dataset(path) and pass the result")


def open_dataset(data=None, *, province: str | None = None, lang: str | None = None) -> Dataset:
    """Resolve `data`: None (the shipped Lao Cai data), a Dataset, a package folder or descriptor, or a workbook.

    `province` renames the data set's province in titles and prose (the data are unchanged); it must be text
    of at most 200 characters. `lang` sets the language of the text written about them (default: the data's own).
    """
    province = check_province(province)
    if isinstance(data, Dataset):
        province = nfc(province)
        if (province and province != data.province) or (lang and check_language(lang) != data.language):
            renamed = Dataset(data._reader, province=province or data._province, lang=lang or data._language)
            renamed._tables = data._tables
            return renamed
        return data
    if data is None:
        data = default_data_dir()
    if not isinstance(data, (str, Path)):
        raise LaocaiError(f"data must be a folder, a datapackage.json or an .xlsx workbook; got {type(data).__name__}")
    path = Path(data)
    if not path.exists():
        raise DataError(Problem(str(path), "not found; expected a data package folder or an .xlsx workbook"))
    reader = reader_for(path.suffix) if path.is_file() else None
    if reader is not None:
        return Dataset(reader(path), province=province, lang=lang)
    if path.is_dir() or path.suffix.lower() == ".json":
        return Dataset(PackageReader(path), province=province, lang=lang)
    raise DataError(Problem(str(path), "expected a data package folder, a datapackage.json or an .xlsx workbook"))
