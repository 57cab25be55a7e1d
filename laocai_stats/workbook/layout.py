"""The workbook layout shared by the writer and the reader: sheet names, headers, metadata keys, ids."""
from __future__ import annotations

import re
import unicodedata
from functools import cache

from ..data.specs import TableSpec

FORMAT_VERSION = "laocai-stats workbook, version 1"

INSTRUCTIONS_SHEET = "Instructions"
ABOUT_SHEET = "About"
SOURCES_SHEET = "Sources"

# Rows of a table sheet: caption, source line, a one-line reminder, then the header row.
CAPTION_ROW, SOURCE_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3, 4
FIRST_DATA_ROW = HEADER_ROW + 1
SOURCE_PREFIX = "Source:"

ID_HEADER = "Id"
NUMBER_HEADER = "No."
INDICATOR_HEADER = "Indicator"
UNIT_HEADER = "Unit"
KIND_HEADER = "Kind"
CHANNEL_HEADER = "Channel"
KINDS = ("flow", "level")  # what an indicator added to a yearly table may be
CHANNELS = ("direct", "indirect")  # the paper's section 2.4; blank = outside the channel comparison
TOTAL_LABEL = "Total"

# (metadata key, label in column A of the About sheet); the value sits in column B.
ABOUT_FIELDS = (
    ("province", "Province"),
    ("title", "Title"),
    ("citation", "Citation"),
    ("name", "Data set name"),
    ("format", "Workbook format"),
)
ABOUT_FIRST_ROW = 3

SOURCES_HEADER = ("Sheet", "Cells", "Source (document, page, date)", "Note")
SOURCES_HEADER_ROW = 4

KIND_MEANINGS = {
    "flow": "a flow: counted during each year; figures for different years may be added up",
    "level": "a level: the number in place in that year; never add it up across years",
    "snapshot": "a snapshot: counted once, at the time of the report; this table has no years",
    "uncertain": "uncertain: the source does not say whether it is counted during each year or in place; never add it up across years",
}

NUMBER_FORMAT = "#,##0"


def sheet_name(spec: TableSpec) -> str:
    # Excel refuses sheet names longer than 31 characters.
    return f"Table {spec.number} {spec.name}"[:31]


def caption(spec: TableSpec) -> str:
    return f"Table {spec.number}: {spec.caption}"


def label_header(spec: TableSpec) -> str:
    return (spec.group_label or "Group") if spec.keyed_by == "group" else INDICATOR_HEADER


def indicator_header(indicator) -> str:
    """Column heading of an indicator in a table keyed by group: its label and unit."""
    return f"{indicator.label} ({indicator.unit})"


def has_number_column(spec: TableSpec) -> bool:
    return spec.keyed_by == "group" or any(i.printed_row for i in spec.indicators)


def offers_total(spec: TableSpec) -> bool:
    """Tables whose printed original has a total (a row over groups, or a column over years)."""
    return spec.totals_path is not None


def normal(text) -> str:
    """Case- and spacing-insensitive form of a heading, for matching what a user may have retyped."""
    return " ".join(str(text).split()).casefold() if text is not None else ""


SNAKE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def snake_id(label: str, prefix: str = "group") -> str:
    """A stable snake_case id from a label: accents dropped (Vietnamese included), apostrophes removed."""
    text = label.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’`]", "", text.lower())
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    if not text:
        return prefix
    return text if text[0].isalpha() else f"{prefix}_{text}"


@cache
def reference_specs() -> dict[str, TableSpec]:
    """The table definitions of the shipped package: the one registry every workbook is laid out from."""
    from ..data.package import PackageReader, default_data_dir

    return dict(PackageReader(default_data_dir()).specs)


def reference_years() -> list[int]:
    """The years the shipped data cover, for a template made without --years."""
    from ..data.package import PackageReader, default_data_dir

    reader = PackageReader(default_data_dir())
    years: set[int] = set()
    for name, spec in reader.specs.items():
        if spec.keyed_by == "year":
            years |= set(int(y) for y in reader.read_table(name).rows["year"])
    return sorted(years)
