"""`tables`, `show`, `facts`, `validate` and `rehash`: reading and checking one data set."""
from __future__ import annotations

import sys

from . import EXIT_BAD_INPUT, print_frame


def cmd_tables(args) -> int:
    from ..data.loaders import list_tables, table_info

    for name in list_tables(args.data):
        info = table_info(name, args.data)
        print(f"{name:<13} {info['table']:<8} {info['caption']}")
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
        return _report_problems(args.path, dataset.problems())


def _report_problems(path, problems) -> int:
    from ..text import _

    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        print(f"{_(problem.severity)}: {problem}")
    if errors:
        warnings = len(problems) - len(errors)
        print(_("{path}: {errors} error(s), {warnings} warning(s); fix the errors above and validate again").format(
            path=path, errors=len(errors), warnings=warnings), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(_("{path}: valid ({warnings} warning(s))").format(path=path, warnings=len(problems)))
    return 0


def cmd_rehash(args) -> int:
    from ..data.package import rehash

    changed = rehash(args.folder)
    print(f"updated checksums of: {', '.join(changed)}" if changed else "all checksums already up to date")
    return 0


def register(sub, *, data_option, format_option) -> None:
    p = sub.add_parser("tables", help="list the tables")
    data_option(p)
    p.set_defaults(func=cmd_tables)

    p = sub.add_parser("show", help="print one table (tidy by default)")
    p.add_argument("table")
    data_option(p)
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--printed", action="store_true", help="lay it out as the paper prints it, total row included")
    shape.add_argument("--totals", action="store_true", help="only the printed total row")
    format_option(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("facts", help="the counts section 3.1 of the paper states, with their sentences")
    data_option(p)
    format_option(p)
    p.set_defaults(func=cmd_facts)

    p = sub.add_parser("validate", help="check a data package folder or workbook and list every problem")
    p.add_argument("path")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("rehash", help="record the current checksums of a data package's files")
    p.add_argument("folder")
    p.set_defaults(func=cmd_rehash)

