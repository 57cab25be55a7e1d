"""Indicators a province defines in its workbook: a row with a blank Id, and the paper's kinds and channels kept."""
from __future__ import annotations

from ..data.specs import IndicatorSpec, TableSpec
from ..text import _
from .cells import coordinate, shown
from .layout import CHANNEL_HEADER, CHANNELS, ID_HEADER, KIND_HEADER, KIND_WORDS, KINDS, UNIT_HEADER, canonical, normal, snake_id

# `sheet` below is the sheet being read (sheets._TableSheet) and `cols` its columns (sheets.Columns); not imported,
# since sheets imports this module.


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
    label = sheet.grid.text(row, cols.label)
    unit = sheet.grid.text(row, cols.unit) if cols.unit else ""
    typed_kind = sheet.grid.text(row, cols.kind) if cols.kind else ""
    typed_channel = sheet.grid.text(row, cols.channel) if cols.channel else ""
    kind, channel = canonical(typed_kind, KINDS), canonical(typed_channel, CHANNELS)
    kinds, channels = _(" or ").join(_(k) for k in KINDS), _(" or ").join(_(c) for c in CHANNELS)
    errors = len(sheet.result.problems)
    if cols.unit is None or cols.kind is None:
        wanted = _(" and ").join(_(h) for h, c in ((UNIT_HEADER, cols.unit), (KIND_HEADER, cols.kind)) if c is None)
        sheet.problem(_("a row with a blank {id} is a new indicator, and the header row has no '{wanted}' column to define it: "
                       "copy the header row from a fresh `laocai-stats template`").format(id=_(ID_HEADER), wanted=wanted), coordinate(row, 1))
        return None
    if not label:
        sheet.problem(_("a row with a blank {id} is a new indicator: type its name here").format(id=_(ID_HEADER)), coordinate(row, cols.label))
    if not unit:
        sheet.problem(_("type the unit the new indicator is counted in (e.g. posts, people)"), coordinate(row, cols.unit))
    if not typed_kind:
        sheet.problem(_("type the new indicator's kind: {kinds} (a flow is counted during each year, a level is in place in it)").format(
            kinds=kinds), coordinate(row, cols.kind))
    elif kind is None:
        sheet.problem(_("expected the kind {kinds}, found {typed}; pick one from the cell's list").format(kinds=kinds, typed=shown(typed_kind)),
                     coordinate(row, cols.kind))
    if typed_channel and channel is None:
        sheet.problem(_("expected the channel {channels} (the paper's section 2.4), found {typed}; pick one from the cell's list, or leave "
                       "it blank for an indicator outside both").format(channels=channels, typed=shown(typed_channel)), coordinate(row, cols.channel))
    if len(sheet.result.problems) > errors:
        return None
    ident = snake_id(label, "indicator")
    first = seen.get(ident)
    if first is not None or any(normal(i.name) == ident for i in sheet.spec.indicators):
        other = coordinate(first, cols.label) if first is not None else _("the paper's indicator '{id}'").format(id=ident)
        sheet.problem(_("the label {typed} gives the id '{id}', as {other} does; ids must differ within a table: change one of the two "
                       "labels").format(typed=shown(label), id=ident, other=other), coordinate(row, cols.label))
        return None
    indicator = IndicatorSpec(name=ident, label=label, unit=unit, kind=kind, channel=channel)
    added.append(indicator)
    sheet.problem(_("new indicator '{id}' ({label}, {unit}, a {kind}, {channel})").format(
        id=ident, label=label, unit=unit, kind=_(kind), channel=_("{channel} channel").format(channel=_(channel)) if channel else _("no channel")),
        coordinate(row, cols.label), severity="info")
    return indicator


def check_definition(sheet: "_TableSheet", row: int, cols: "Columns", indicator: IndicatorSpec) -> None:
    """A paper indicator's kind and channel are the paper's: a different one typed is refused."""
    for column, expected, what, words in ((cols.kind, indicator.kind, KIND_HEADER, KIND_WORDS), (cols.channel, indicator.channel, CHANNEL_HEADER, CHANNELS)):
        typed = sheet.grid.text(row, column) if column else ""
        if typed and expected and canonical(typed, words) != expected and indicator.name not in sheet.spec.added:
            sheet.problem(_("the {what} of '{id}' is the paper's, {expected}, found {typed}; restore {expected}, or add the figures as a "
                           "new indicator in a row of its own").format(what=_(what).lower(), id=indicator.name, expected=_(expected),
                                                                     typed=shown(typed)), coordinate(row, column))
