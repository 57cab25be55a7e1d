"""The `template` and `export` commands: workbooks for entering another province's figures."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from ..data.specs import YEAR_RANGE
from ..errors import LaocaiError
from . import lang_option

RANGE = re.compile(r"^\s*(\d{4})\s*(?:(?:-|–|—|\.\.|:|to)\s*(\d{4}))?\s*$")


def parse_years(text: str) -> list[int]:
    """'2019-2023' -> [2019, ..., 2023]; '2020' -> [2020]."""
    match = RANGE.match(text)
    if not match:
        raise LaocaiError(f"--years: expected a range such as 2019-2023 (or one year), found {text!r}")
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if first > last:
        raise LaocaiError(f"--years: the range {text!r} runs backwards; expected the first year first, e.g. {last}-{first}")
    if first < YEAR_RANGE[0] or last > YEAR_RANGE[1]:
        raise LaocaiError(f"--years: expected years between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}, found {text!r}")
    return list(range(first, last + 1))


def _check_target(out: str, force: bool, inputs=()) -> Path:
    from ..publish.outputs import check_output_file

    check_output_file(out, inputs)  # never an input or the shipped data, even with --force
    path = Path(out)
    if path.exists() and not force:
        raise LaocaiError(f"{shlex.quote(str(out))} already exists; choose another name, or add --force to replace it")
    return path


def cmd_template(args) -> int:
    from ..workbook.writer import write_workbook

    years = parse_years(args.years) if args.years is not None else None
    path = write_workbook(None, _check_target(args.out, args.force), province=args.province, years=years, lang=args.lang)
    print(f"wrote {shlex.quote(str(path))}: a blank workbook to fill in in Excel or LibreOffice Calc; then check it with `laocai-stats validate {shlex.quote(str(path))}`")
    return 0


def cmd_export(args) -> int:
    from ..data.dataset import open_dataset

    if args.to_package is not None:
        return _export_package(args)
    if args.out is None:
        raise LaocaiError("export: give the workbook to write (OUT.xlsx), or --to-package DIR to write a data package")
    from ..workbook.writer import write_workbook

    dataset = open_dataset(args.data)
    path = write_workbook(dataset, _check_target(args.out, args.force, [dataset.source]), lang=args.lang)
    print(f"wrote {shlex.quote(str(path))}: the {dataset.province} data in the workbook layout")
    return 0


def _export_package(args) -> int:
    """`export FILE.xlsx --to-package DIR`: the data set as a Frictionless data package, written all at once or not at all."""
    from ..data.dataset import open_dataset
    from ..data.package_writer import write_package
    from ..errors import DataError
    from ..publish.outputs import staged_folder

    dataset = open_dataset(args.out if args.out is not None else args.data)
    errors = [p for p in dataset.problems() if p.severity == "error"]
    if errors:
        raise DataError(errors)
    target = Path(args.to_package)
    if target.exists() and (not target.is_dir() or any(target.iterdir())) and not args.force:
        raise LaocaiError(f"{shlex.quote(str(target))} already exists and is not empty; choose another folder, "
                          "or add --force to replace it")
    with staged_folder(target.resolve(), inputs=[dataset.source]) as staging:
        written = write_package(dataset, staging)
    print(f"wrote {len(written)} files to {shlex.quote(str(target))}: the {dataset.province} data as a data package; "
          f"read it with --data {shlex.quote(str(target))}")
    return 0


def register(subparsers, *, data_option, format_option) -> None:
    p = subparsers.add_parser("template", help="write a blank workbook for entering another province's figures")
    p.add_argument("out", metavar="OUT.xlsx")
    p.add_argument("--province", metavar="NAME", help="the province's name, written on the About sheet")
    p.add_argument("--years", metavar="FIRST-LAST", help="the year columns, e.g. 2019-2023 (default: the years of the shipped data)")
    p.add_argument("--force", action="store_true", help="replace OUT.xlsx if it exists")
    lang_option(p, "the workbook's language: instructions, sheet names, headings, labels and units (default: en)")
    p.set_defaults(func=cmd_template)

    p = subparsers.add_parser("export", help="write a data set (default: the shipped Lao Cai data) as a filled workbook, "
                                             "or a workbook as a data package (export FILE.xlsx --to-package DIR)")
    p.add_argument("out", metavar="OUT.xlsx", nargs="?", help="the workbook to write; with --to-package, the workbook to read")
    data_option(p)
    p.add_argument("--to-package", metavar="DIR", default=None,
                   help="write the data (FILE.xlsx, or --data) as a Frictionless data package folder DIR")
    p.add_argument("--force", action="store_true", help="replace OUT.xlsx (or DIR) if it exists")
    lang_option(p, "the workbook's language (default: the data's own, else en)")
    p.set_defaults(func=cmd_export)
