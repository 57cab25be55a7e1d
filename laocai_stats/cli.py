"""The `laocai-stats` command line: each subcommand is a thin wrapper over the library."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from . import __version__
from .errors import DataError, LaocaiError

EXIT_BAD_INPUT = 2


def _print_frame(frame, fmt: str) -> None:
    if fmt == "csv":
        from .safety import escape_frame

        # Labels can come from a user's workbook: never let a spreadsheet run them as formulas.
        sys.stdout.write(escape_frame(frame).to_csv(index=False, lineterminator="\n"))
    elif fmt == "markdown":
        from .formatting import markdown_table

        sys.stdout.write(markdown_table(frame) + "\n")
    else:
        sys.stdout.write(frame.to_string(index=False) + "\n")


def cmd_tables(args) -> int:
    from .tables import list_tables, table_info

    for name in list_tables(args.data):
        info = table_info(name, args.data)
        print(f"{name:<13} {info['table']:<8} {info['caption']}")
    return 0


def cmd_show(args) -> int:
    from .tables import load_table, printed_table, printed_totals

    if args.printed:
        frame = printed_table(args.table, args.data)
    elif args.totals:
        frame = printed_totals(args.table, args.data)
    else:
        frame = load_table(args.table, args.data)
    _print_frame(frame, args.format)
    return 0


def cmd_facts(args) -> int:
    from .tables import load_facts

    frame = load_facts(args.data)
    columns = ["fact", "section", "value", "unit", "part_of"] if args.format == "text" else list(frame.columns)
    _print_frame(frame[columns], args.format)
    return 0


def cmd_validate(args) -> int:
    from .dataset import open_dataset

    dataset = open_dataset(args.path)
    problems = dataset.problems()
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        print(f"{problem.severity}: {problem}")
    if errors:
        warnings = len(problems) - len(errors)
        print(f"{args.path}: {len(errors)} error(s), {warnings} warning(s); fix the errors above and validate again", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{args.path}: valid ({len(problems)} warning(s))")
    return 0


def cmd_rehash(args) -> int:
    from .datapackage import rehash

    changed = rehash(args.folder)
    print(f"updated checksums of: {', '.join(changed)}" if changed else "all checksums already up to date")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="laocai-stats",
        description="Tables, statistics, figures and an audit for the Lao Cai social insurance communication paper.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def data_option(p):
        p.add_argument("--data", metavar="PATH", default=None,
                       help="a data package folder or a filled .xlsx workbook (default: the shipped Lao Cai data)")

    def format_option(p, choices=("text", "csv", "markdown")):
        p.add_argument("--format", choices=choices, default="text", help="output format (default: text)")

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

    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub, data_option=data_option, format_option=format_option)
    return parser


# Each of these modules has `register(subparsers, *, data_option, format_option)` adding its subcommands;
# this file stays the one dispatcher that turns errors into one line and exit status 2.
COMMAND_MODULES: list[str] = ["laocai_stats.audit_commands", "laocai_stats.reproduce_commands", "laocai_stats.workbook_commands", "laocai_stats.compare_commands"]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DataError as exc:
        print(f"laocai-stats: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LaocaiError as exc:
        print(f"laocai-stats: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("laocai-stats: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
