"""Indicators a province defines in its workbook: a row (or, in a table keyed by group, a column) with no Id, and
the paper's kinds and channels kept."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..data.specs import IndicatorSpec, TableSpec
from ..text import _
from .cells import coordinate, shown
from .layout import CHANNEL_HEADER, CHANNELS, ID_HEADER, KIND_HEADER, KIND_WORDS, KINDS, UNIT_HEADER, canonical, forms, normal, snake_id

# `sheet` below is the sheet being read (sheets._TableSheet) and `cols` its columns (sheets.Columns); not imported,
# since sheets imports this module.

HEADING_WITH_UNIT = re.compile(r"^(?P<label>.*?)\s*\((?P<unit>[^()]*)\)\s*$")


@dataclass(frozen=True)
class Typed:
    """What a user typed for one part of a new indicator's definition, and where (None: the layout has no place for it)."""
    text: str
    where: str | None


def unknown_id(spec: TableSpec, id_text: str, ids: str) -> str:
    """What to say of an Id no indicator of the table has."""
    if not spec.reference:
        return _("the {id} {typed} in a table the paper does not have: this sheet seems copied from another table and still holds "
                 "its Ids; clear column A ({id}) of this table's rows, so that each row becomes a new indicator").format(
                   id=_(ID_HEADER), typed=shown(id_text))
    return _("unknown indicator id {typed}; expected one of: {ids}; to add an indicator, leave {id} blank and type its label, unit, "
             "{kind} and {channel} (write notes below the table, after a blank row)").format(
               typed=shown(id_text), ids=ids, id=_(ID_HEADER), kind=_(KIND_HEADER).lower(), channel=_(CHANNEL_HEADER).lower())


def added_indicator(sheet: "_TableSheet", row: int, cols: "Columns", seen: dict[str, int], added: list[IndicatorSpec]) -> IndicatorSpec | None:
    """A row with a blank Id: a new indicator, defined by its label, unit, kind and channel (in any language)."""
    if cols.unit is None or cols.kind is None:
        wanted = _(" and ").join(_(h) for h, c in ((UNIT_HEADER, cols.unit), (KIND_HEADER, cols.kind)) if c is None)
        sheet.problem(_("a row with a blank {id} is a new indicator, and the header row has no '{wanted}' column to define it: "
                       "copy the header row from a fresh `laocai-stats template`").format(id=_(ID_HEADER), wanted=wanted), coordinate(row, 1))
        return None
    parts = [Typed(sheet.grid.text(row, column), coordinate(row, column)) if column else Typed("", None)
             for column in (cols.label, cols.unit, cols.kind, cols.channel)]
    firsts = {ident: coordinate(first, cols.label) for ident, first in seen.items()}
    return define(sheet, *parts, firsts, added,
                  no_label=_("a row with a blank {id} is a new indicator: type its name here").format(id=_(ID_HEADER)),
                  no_unit=_("type the unit the new indicator is counted in (e.g. posts, people)"))


def added_column(sheet: "_TableSheet", column: int, header: int, rows: dict[str, int | None], firsts: dict[str, str],
                 added: list[IndicatorSpec]) -> IndicatorSpec | None:
    """A column of a table keyed by group whose heading names none of the paper's indicators: a new indicator, its
    label and unit in the heading ('Contracts signed (contracts)'), its kind and channel in the Kind and Channel rows."""
    heading = sheet.grid.text(header, column)
    where = coordinate(header, column)
    if rows["kind"] is None:
        sheet.problem(_("a column heading the paper's table does not have is a new indicator, and the table has no '{kind}' row "
                        "below it to define it: copy the rows {kind} and {channel} from a fresh `laocai-stats template`, or restore "
                        "one of the paper's headings: {known}").format(
                          kind=_(KIND_HEADER), channel=_(CHANNEL_HEADER), known=_known_headings(sheet.spec)), where)
        return None
    match = HEADING_WITH_UNIT.match(heading)
    label, unit = (match["label"], match["unit"].strip()) if match else (heading, "")
    typed = [Typed(sheet.grid.text(r, column), coordinate(r, column)) if r else Typed("", None) for r in (rows["kind"], rows["channel"])]
    return define(sheet, Typed(label, where), Typed(unit, where), *typed, firsts, added,
                  no_label=_("a column with figures is a new indicator: type its name and unit here, as 'Contracts signed (contracts)'"),
                  no_unit=_("a column heading the paper's table does not have is a new indicator: type the unit it is counted in, in "
                            "brackets after its name, as 'Contracts signed (contracts)', or restore one of the paper's headings: "
                            "{known}").format(known=_known_headings(sheet.spec)))


def _known_headings(spec: TableSpec) -> str:
    from .layout import indicator_header

    return ", ".join(f"'{indicator_header(i)}'" for i in spec.indicators)


def define(sheet: "_TableSheet", label: Typed, unit: Typed, typed_kind: Typed, typed_channel: Typed, firsts: dict[str, str],
           added: list[IndicatorSpec], *, no_label: str, no_unit: str) -> IndicatorSpec | None:
    """A new indicator from its typed label, unit, kind and channel; a located problem for each part missing or wrong."""
    kind, channel = canonical(typed_kind.text, KINDS), canonical(typed_channel.text, CHANNELS)
    kinds, channels = _(" or ").join(_(k) for k in KINDS), _(" or ").join(_(c) for c in CHANNELS)
    errors = len(sheet.result.problems)
    if not label.text:
        sheet.problem(no_label, label.where)
    if not unit.text:
        sheet.problem(no_unit, unit.where)
    if not typed_kind.text:
        sheet.problem(_("type the new indicator's kind: {kinds} (a flow is counted during each year, a level is in place in it)").format(
            kinds=kinds), typed_kind.where)
    elif kind is None:
        sheet.problem(_("expected the kind {kinds}, found {typed}; pick one from the cell's list").format(kinds=kinds, typed=shown(typed_kind.text)),
                      typed_kind.where)
    if typed_channel.text and channel is None:
        sheet.problem(_("expected the channel {channels} (the paper's section 2.4), found {typed}; pick one from the cell's list, or leave "
                       "it blank for an indicator outside both").format(channels=channels, typed=shown(typed_channel.text)), typed_channel.where)
    if len(sheet.result.problems) > errors:
        return None
    ident = snake_id(label.text, "indicator")
    first = firsts.get(ident)
    if first is not None or any(normal(i.name) == ident for i in sheet.spec.indicators):
        other = first if first is not None else _("the paper's indicator '{id}'").format(id=ident)
        sheet.problem(_("the label {typed} gives the id '{id}', as {other} does; ids must differ within a table: change one of the two "
                       "labels").format(typed=shown(label.text), id=ident, other=other), label.where)
        return None
    indicator = IndicatorSpec(name=ident, label=label.text, unit=unit.text, kind=kind, channel=channel)
    added.append(indicator)
    firsts[ident] = label.where
    sheet.problem(_("new indicator '{id}' ({label}, {unit}, a {kind}, {channel})").format(
        id=ident, label=label.text, unit=unit.text, kind=_(kind), channel=_("{channel} channel").format(channel=_(channel)) if channel else _("no channel")),
        label.where, severity="info")
    return indicator


def definition_rows(sheet: "_TableSheet", start: int, cols: "Columns") -> dict[str, int | None]:
    """The Kind and Channel rows of a table keyed by group: the rows from `start` on whose Id or label cell names them."""
    found: dict[str, int | None] = {"kind": None, "channel": None}
    for row in range(start, sheet.grid.last_row + 1):
        what = definition_word(sheet, row, cols)
        if what is not None and found[what] is None:
            found[what] = row
    return found


def definition_word(sheet: "_TableSheet", row: int, cols: "Columns") -> str | None:
    """'kind' or 'channel' if `row` is the Kind or Channel row of a table keyed by group (in any language), else None."""
    texts = {normal(sheet.grid.value(row, 1)), normal(sheet.grid.value(row, cols.label))}
    for what, heading in (("kind", KIND_HEADER), ("channel", CHANNEL_HEADER)):
        if texts & forms(heading):
            return what
    return None


def check_definition(sheet: "_TableSheet", indicator: IndicatorSpec, kind: Typed, channel: Typed) -> None:
    """A paper indicator's kind and channel are the paper's: a different one typed is refused."""
    for typed, expected, what, words in ((kind, indicator.kind, KIND_HEADER, KIND_WORDS), (channel, indicator.channel, CHANNEL_HEADER, CHANNELS)):
        if typed.text and expected and canonical(typed.text, words) != expected and indicator.name not in sheet.spec.added:
            sheet.problem(_("the {what} of '{id}' is the paper's, {expected}, found {typed}; restore {expected}, or add the figures as a "
                           "new indicator of its own (a row; in a table by group, a column)").format(what=_(what).lower(), id=indicator.name, expected=_(expected),
                                                                     typed=shown(typed.text)), typed.where)
