"""Pathological inputs from the security review, generated small on disk (sparse files, deflated XML), never committed.

Used by tests/test_hostile_inputs.py (bounded sizes) and benchmarks/benchmark_hostile.py (the review's full sizes).
"""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from laocai_stats.data.dataset import default_data_dir, open_dataset
from laocai_stats.workbook.writer import write_workbook


def exported(folder: Path, name: str = "laocai.xlsx") -> Path:
    return write_workbook(open_dataset(None), folder / name)


def workbook_with_cells(folder: Path, cells: int, *, formulas: bool = False, name: str = "many.xlsx") -> Path:
    """The shipped data as a workbook plus an extra sheet of `cells` cells (values or formulas), written as deflated
    XML in chunks: a few hundred kilobytes on disk for millions of cells."""
    source = exported(folder, "base.xlsx")
    target = folder / name
    cell = "<c><f>1+1</f></c>" if formulas else "<c><v>1</v></c>"  # no references: they compress to almost nothing
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b"</sheets>", b'<sheet name="Extra" sheetId="99" r:id="rIdExtra"/></sheets>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdExtra" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/worksheet" Target="worksheets/extra.xml"/></Relationships>')
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/worksheets/extra.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
            zout.writestr(info, data)
        with zout.open("xl/worksheets/extra.xml", "w") as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main"><sheetData>')
            row = ("<row>" + cell * 1000 + "</row>").encode()
            for _ in range(cells // 1000):
                out.write(row)
            out.write(("<row>" + cell * (cells % 1000) + "</row>").encode())
            out.write(b"</sheetData></worksheet>")
    source.unlink()
    return target


def sparse_file(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no disk space (a hole); reading it whole would cost `size` of memory."""
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


def package_copy(folder: Path) -> Path:
    target = folder / "pkg"
    shutil.copytree(default_data_dir(), target)
    return target


def csv_with_rows(package: Path, rows: int) -> Path:
    """The package's website.csv grown to `rows` data rows (the checksum left stale: the row limit comes first)."""
    path = package / "website.csv"
    header, first = path.read_text(encoding="utf-8").splitlines()[:2]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(header + "\n")
        for _ in range(rows):
            handle.write(first + "\n")
    return path


def deep_descriptor(package: Path, depth: int) -> Path:
    path = package / "datapackage.json"
    descriptor = path.read_text(encoding="utf-8")
    path.write_text(descriptor.rstrip().rstrip("}") + ', "x": ' + "[" * depth + "]" * depth + "}\n", encoding="utf-8")
    return path


def set_province(package: Path, province: str) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["province"] = province
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
