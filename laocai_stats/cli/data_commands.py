"""`tables`, `show`, `facts`, `validate` and `rehash`: reading and checking one data set."""
from __future__ import annotations

import shlex
import sys

from . import EXIT_BAD_INPUT, print_frame, print_json, verbosity_options


def cmd_tables(args) -> int:
    import pandas as pd

    from ..data.loaders import list_tables, table_info

    infos = {name: table_info(name, args.data) for name in list_tables(args.data)}
    if args.format == "text":
        for name, info in infos.items():
            print(f"{name:<13} {info['table']:<8} {info['caption']}")
        return 0
    frame = pd.DataFrame([{"name": name, "table": info["table"], "caption": info["caption"],
                           "indicators": len(info["indicators"])} for name, info in infos.items()])
    print_frame(frame, args.format)
    return 0


def cmd_show(args) -> int:
    from ..data.loaders import load_table, printed_table, printed_totals

    if args.printed:
        frame = printed_table(args.table, args.data)
    elif args.totals:
        frame = printed_totals(args.table, args.data)
    else:
        frame = load_table(args.table, args.data)
    print_frame(frame, args.format)
    return 0


def cmd_facts(args) -> int:
    from ..data.loaders import load_facts

    frame = load_facts(args.data)
    columns = ["fact", "section", "value", "unit", "part_of"] if args.format == "text" else list(frame.columns)
    print_frame(frame[columns], args.format)
    return 0


def cmd_validate(args) -> int:
    from ..data.dataset import open_dataset
    from ..text import use_language

    dataset = open_dataset(args.path)
    # Answered in the workbook's language (its About sheet records it).
    with use_language(dataset.language):
        return _report_problems(args, dataset)


def _report_problems(args, dataset) -> int:
    from ..text import _

    problems = dataset.problems()
    errors = [p for p in problems if p.severity == "error"]
    if args.format == "json":
        print_json({"path": args.path, "valid": not errors, "errors": len(errors), "warnings": len(problems) - len(errors),
                    "problems": [{"severity": p.severity, "file": p.file, "sheet": p.sheet, "cell": p.cell, "row": p.row,
                                  "column": p.column, "message": p.message, "text": str(p)} for p in problems]})
        return EXIT_BAD_INPUT if errors else 0
    for problem in problems:
        if problem.severity == "error" or not args.quiet:
            print(f"{_(problem.severity)}: {problem}")
    if args.verbose:
        print(f"{args.path}: checked {len(dataset.table_names())} tables of {dataset.province}", file=sys.stderr)
    if errors:
        warnings = sum(p.severity == "warning" for p in problems)
        print(_("{path}: {errors} error(s), {warnings} warning(s); fix the errors above and validate again").format(
            path=shlex.quote(str(args.path)), errors=len(errors), warnings=warnings), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(_("{path}: valid ({warnings} warning(s))").format(path=shlex.quote(str(args.path)),
                                                           warnings=sum(p.severity == "warning" for p in problems)))
    return 0


def cmd_rehash(args) -> int:
    from ..data.package import rehash

    changed = rehash(args.folder)
    print(f"updated checksums of: {', '.join(changed)}" if changed else "all checksums already up to date")
    return 0


def register(sub, *, data_option, format_option) -> None:
    p = sub.add_parser("tables", help="list the tables")
    data_option(p)
    format_option(p)
    p.set_defaults(func=cmd_tables)

    p = sub.add_parser("show", help="print one table (tidy by default)")
    p.add_argument("table")
    data_option(p)
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--printed", action="store_true", help="lay it out as the paper prints it, total row included")
    shape.add_argument("--totals", action="store_true", help="only the printed total row")
    format_option(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("facts", help="the counts the paper's text states (sections 2.4, 3.1, 3.3.1, 3.3.2), with their sentences")
    data_option(p)
    format_option(p)
    p.set_defaults(func=cmd_facts)

    p = sub.add_parser("validate", help="check a data package folder or workbook and list every problem")
    p.add_argument("path")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: one line per problem; json: every problem with its location (default: text)")
    verbosity_options(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("rehash", help="record the current checksums of a data package's files")
    p.add_argument("folder")
    p.set_defaults(func=cmd_rehash)

