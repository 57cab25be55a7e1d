"""Helpers for the workbook tests: export the shipped data, damage a copy, read back every problem."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from laocai_stats.data.dataset import open_dataset
from laocai_stats.workbook.writer import write_workbook

# Nine nested entities of ten: expanded, the last is a billion "lol"s (about 3 GB).
BILLION_LAUGHS = "<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">" + "".join(
    f"<!ENTITY lol{i} \"{('&lol%d;' % (i - 1)) * 10}\">" for i in range(1, 10)
) + "]>"


def export_laocai(folder: Path, name: str = "laocai.xlsx") -> Path:
    return write_workbook(open_dataset(None), folder / name)


def edit(source: Path, target: Path, change) -> Path:
    """Copy a workbook through openpyxl, applying `change(wb)` on the way; the source is left alone."""
    wb = openpyxl.load_workbook(source)
    change(wb)
    wb.save(target)
    return target


def sheet_member(path: Path, title: str) -> str:
    """The zip member holding a sheet; openpyxl writes the n-th sheet as xl/worksheets/sheet<n>.xml."""
    index = openpyxl.load_workbook(path).sheetnames.index(title) + 1
    return f"xl/worksheets/sheet{index}.xml"


def patch_member(source: Path, target: Path, member: str, change) -> Path:
    """Rewrite one member of the zip by hand: what Excel would have saved, or what an attacker would."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == member:
                new = change(data.decode("utf-8"))
                assert new != data.decode("utf-8"), f"the patch changed nothing in {member}"
                data = new.encode("utf-8")
            zout.writestr(zipfile.ZipInfo(info.filename, date_time=info.date_time), data)
    return target


def with_saved_value(xml: str, cell: str, formula: str, saved: str, error: bool = False) -> str:
    """Give a formula the cached value Excel stores beside it (openpyxl writes none)."""
    pattern = rf'(<c r="{cell}"[^>]*?)(\s*/?)>\s*<f>{re.escape(formula)}</f>\s*<v\s*/>'
    kind = ' t="e"' if error else ""
    return re.sub(pattern, rf"\1{kind}><f>{formula}</f><v>{saved}</v>", xml, count=1)


def add_entities(xml: str) -> str:
    """Declare the billion laughs after the XML declaration and use it once."""
    head, sep, rest = xml.partition("?>")
    body = rest if sep else head
    prefix = head + sep if sep else ""
    body = re.sub(r"(<\w+:?\w*[^>]*?)(/?>)", r"\1 laughs=\"&lol9;\"\2", body, count=1)
    return prefix + BILLION_LAUGHS + body


def found(path: Path) -> list[tuple[str, str]]:
    """Every problem of a workbook as (severity, message with the file name left out)."""
    prefix = f"{path}, "
    out = []
    for problem in open_dataset(path).problems():
        text = str(problem)
        assert text.startswith(prefix), text
        out.append((problem.severity, text[len(prefix):]))
    return out
