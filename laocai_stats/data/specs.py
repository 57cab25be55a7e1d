"""Table and indicator specifications, read from a data package descriptor."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..text import _, localized

# Years outside this range are almost certainly typing mistakes (a value in the year column).
YEAR_RANGE = (1900, 2100)


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    label: str
    unit: str
    kind: str
    printed_row: str | None = None
    heading: str | None = None
    printed_unit: str | None = None
    note: str | None = None  # what the indicator counts, true of any province's data
    # A note on this data set's own numbers (e.g. the paper's sums): kept with these data, never passed on to a
    # workbook made from them for another province (workbook.layout.reference_specs drops it)
    data_note: str | None = None
    title: str | None = None
    channel: str | None = None  # "direct" or "indirect" (the paper's section 2.4); None for no channel
    # language -> field -> text, beside the English fields (e.g. {"vi": {"label": ..., "unit": ...}})
    translations: dict | None = field(default=None, compare=False, hash=False)

    @property
    def display(self) -> str:
        """A short name for figures and prose, in the current language: the title if the data give one, else the label."""
        return localized(self, "title") if self.title else localized(self, "label")

    def text(self, field_name: str):
        """One of the descriptor's text fields (label, unit, heading, note, title) in the current language."""
        return localized(self, field_name)

    def note_text(self) -> str | None:
        """The note, then the note on this data set's own numbers, in the current language; None without either."""
        return " ".join(self.text(f) for f in ("note", "data_note") if getattr(self, f)) or None


@dataclass(frozen=True)
class GroupSpec:
    name: str
    label: str
    printed_row: str | None = None
    translations: dict | None = field(default=None, compare=False, hash=False)

    def text(self, field_name: str):
        return localized(self, field_name)


@dataclass(frozen=True)
class TableSpec:
    name: str
    number: int
    caption: str
    section: str
    source: str
    keyed_by: str  # "year" or "group"
    printed_layout: str  # "indicators_in_rows", "indicators_in_columns" or "groups_in_rows"
    indicators: tuple[IndicatorSpec, ...]
    groups: tuple[GroupSpec, ...] = ()
    group_label: str | None = None
    headings: dict[str, str] = field(default_factory=dict)
    row_header: str | None = None
    path: str = ""
    totals_path: str | None = None
    # Indicators of the paper's table that this data set does not report (rows deleted from the workbook): they have
    # no rows in the tidy frame, unlike an indicator reported blank (unknown), which has rows with missing values.
    not_reported: tuple[IndicatorSpec, ...] = ()
    added: tuple[str, ...] = ()  # names of indicators this data set added to the paper's table
    reference: bool = True  # False for a table the paper does not have
    translations: dict | None = field(default=None, compare=False, hash=False)

    def text(self, field_name: str):
        """caption, name (the short name of its sheet), group_label or row_header in the current language."""
        return localized(self, field_name)

    def group_word(self) -> str:
        """What one row of a table keyed by group is, in the current language, lower case: 'agent system'."""
        return (self.text("group_label") or _("group")).lower()

    @property
    def key(self) -> str:
        return self.keyed_by

    def indicator(self, name: str) -> IndicatorSpec:
        for spec in self.indicators:
            if spec.name == name:
                return spec
        from ..errors import LaocaiError

        known = ", ".join(i.name for i in self.indicators)
        raise LaocaiError(f"table '{self.name}' has no indicator '{name}'; it has: {known}")

    def info(self) -> dict:
        """Plain-data description, as `table_info` returns it."""
        out = {
            "name": self.name,
            "table": f"Table {self.number}",
            "number": self.number,
            "caption": self.caption,
            "section": self.section,
            "source": self.source,
            "keyed_by": self.keyed_by,
            "indicators": [
                {k: v for k, v in vars(i).items() if v is not None and k != "translations"} for i in self.indicators
            ],
        }
        if self.not_reported:
            out["not_reported"] = [i.name for i in self.not_reported]
        if self.groups:
            out["group_label"] = self.group_label
            out["groups"] = [{k: v for k, v in vars(g).items() if v is not None and k != "translations"} for g in self.groups]
        return out


def spec_from_resource(resource: dict, totals_path: str | None = None) -> TableSpec:
    """Build a TableSpec from a descriptor resource already checked against the JSON Schema."""
    return TableSpec(
        name=resource["name"],
        number=int(resource["table_number"]),
        caption=resource["caption"],
        section=resource["section"],
        source=resource["source"],
        keyed_by=resource["keyed_by"],
        printed_layout=resource["printed_layout"],
        indicators=tuple(_indicator(i, resource) for i in resource["indicators"]),
        not_reported=tuple(_indicator(i, resource) for i in resource.get("not_reported", [])),
        added=tuple(resource.get("added_indicators", [])),
        reference=bool(resource.get("paper_table", True)),
        groups=tuple(
            GroupSpec(**{k: g.get(k) for k in GroupSpec.__dataclass_fields__})
            for g in resource.get("groups", [])
        ),
        group_label=resource.get("group_label"),
        headings=dict(resource.get("headings", {})),
        row_header=resource.get("row_header"),
        path=resource["path"],
        totals_path=totals_path,
        translations=resource.get("translations"),
    )


def _indicator(entry: dict, resource: dict) -> IndicatorSpec:
    """An indicator of a descriptor resource; its channel defaults to the table's."""
    values = {k: entry.get(k) for k in IndicatorSpec.__dataclass_fields__}
    values["channel"] = values["channel"] or resource.get("channel")
    return IndicatorSpec(**values)
