"""The workbook layout shared by the writer and the reader: sheet names, headers, metadata keys, ids."""
from __future__ import annotations

import re
import unicodedata
from functools import cache

from ..data.specs import TableSpec
from ..text import N_, _, translations

FORMAT_VERSION = "laocai-stats workbook, version 1"

# English constants marked for translation (N_); the writer shows them with `_`, the reader accepts every language.
INSTRUCTIONS_SHEET = N_("Instructions")
ABOUT_SHEET = N_("About")
SOURCES_SHEET = N_("Sources")

# Rows of a table sheet: caption, source line, a one-line reminder, then the header row.
CAPTION_ROW, SOURCE_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3, 4
FIRST_DATA_ROW = HEADER_ROW + 1
SOURCE_PREFIX = N_("Source:")

ID_HEADER = N_("Id")
NUMBER_HEADER = N_("No.")
INDICATOR_HEADER = N_("Indicator")
UNIT_HEADER = N_("Unit")
KIND_HEADER = N_("Kind")
CHANNEL_HEADER = N_("Channel")
KINDS = (N_("flow"), N_("level"))  # what an indicator added to a yearly table may be
CHANNELS = (N_("direct"), N_("indirect"))  # the paper's section 2.4; blank = outside the channel comparison
TOTAL_LABEL = N_("Total")

# (metadata key, label in column A of the About sheet); the value sits in column B.
ABOUT_FIELDS = (
    ("province", N_("Province")),
    ("title", N_("Title")),
    ("citation", N_("Citation")),
    ("name", N_("Data set name")),
    ("format", N_("Workbook format")),
    ("language", N_("Language")),
)
ABOUT_FIRST_ROW = 3

SOURCES_HEADER = (N_("Sheet"), N_("Cells"), N_("Source (document, page, date)"), N_("Note"))
SOURCES_HEADER_ROW = 4

KIND_MEANINGS = {
    "flow": N_("a flow: counted during each year; figures for different years may be added up"),
    "level": N_("a level: the number in place in that year; never add it up across years"),
    "snapshot": N_("a snapshot: counted once, at the time of the report; this table has no years"),
    "uncertain": N_("uncertain: the source does not say whether it is counted during each year or in place; never add it up across years"),
}

KIND_WORDS = (*KINDS, N_("snapshot"), N_("uncertain"))  # every kind, as the instructions name it

NUMBER_FORMAT = "#,##0"


def sheet_name(spec: TableSpec) -> str:
    # Excel refuses sheet names longer than 31 characters.
    return _("Table {number} {name}").format(number=spec.number, name=spec.text("name"))[:31]


def sheet_names(spec: TableSpec) -> set[str]:
    """The table's sheet name in every language, for the reader."""
    from ..text import languages, use_language

    names = set()
    for lang in languages():
        with use_language(lang):
            names.add(sheet_name(spec))
    return names


def caption(spec: TableSpec) -> str:
    return _("Table {number}: {caption}").format(number=spec.number, caption=spec.text("caption"))


def label_header(spec: TableSpec) -> str:
    return (spec.text("group_label") or _("Group")) if spec.keyed_by == "group" else _(INDICATOR_HEADER)


def label_headers(spec: TableSpec) -> set[str]:
    """The label column's heading in every language, normalised."""
    from ..text import languages, use_language

    found = set()
    for lang in languages():
        with use_language(lang):
            found.add(normal(label_header(spec)))
    return found


def indicator_header(indicator) -> str:
    """Column heading of an indicator in a table keyed by group: its label and unit."""
    return f"{indicator.text('label')} ({indicator.text('unit')})"


def indicator_headers(indicator) -> set[str]:
    """An indicator's column heading (and label) in every language, normalised."""
    from ..text import languages, use_language

    found = {normal(indicator.name)}
    for lang in languages():
        with use_language(lang):
            found |= {normal(indicator_header(indicator)), normal(indicator.text("label"))}
    return found


@cache
def in_every_language(item, field: str) -> set[str]:
    """A descriptor text (label, unit) of `item` in every language, normalised: a workbook may be in any of them."""
    from ..text import languages, use_language

    found = set()
    for lang in languages():
        with use_language(lang):
            found.add(normal(item.text(field)))
    return found


def canonical(typed: str, words) -> str | None:
    """The English word among `words` (e.g. the kinds) that `typed` names, in any language; None if none."""
    text = normal(typed)
    return next((word for word in words if text in forms(word)), None) if text else None


@cache
def forms(message: str) -> frozenset[str]:
    """A heading or label of the layout in every language, normalised: what the reader accepts."""
    return frozenset(normal(text) for text in translations(message))


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
    """The table definitions of the shipped package: the one registry every workbook is laid out from.

    Without the notes on the shipped data's own numbers (`data_note`): another province's workbook is not Lao Cai's data.
    """
    import dataclasses

    from ..data.package import PackageReader, default_data_dir

    def general(indicator):
        translations = {lang: {k: v for k, v in fields.items() if k != "data_note"}
                        for lang, fields in (indicator.translations or {}).items()} or None
        return dataclasses.replace(indicator, data_note=None, translations=translations)

    return {name: dataclasses.replace(spec, indicators=tuple(general(i) for i in spec.indicators))
            for name, spec in PackageReader(default_data_dir()).specs.items()}


def reference_years() -> list[int]:
    """The years the shipped data cover, for a template made without --years."""
    from ..data.package import PackageReader, default_data_dir

    reader = PackageReader(default_data_dir())
    years: set[int] = set()
    for name, spec in reader.specs.items():
        if spec.keyed_by == "year":
            years |= set(int(y) for y in reader.read_table(name).rows["year"])
    return sorted(years)
