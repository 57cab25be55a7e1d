"""Stage 7, the `laocai-stats` command line: the parser, the one dispatcher that turns errors into one line and
exit status 2, and one module per group of subcommands, each a thin wrapper over the library.

May import every stage. The data are resolved here, once, from the command's paths.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import importlib
import json
import signal
import sys

from ..errors import DataError, LaocaiError, stop_on_ctrl_c

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a Ctrl-C


SHOWN_WARNINGS = 3


def print_warnings(dataset, command: str = "validate") -> None:
    """The number of warnings in the data and the first few, one line each with sheet and cell, on stderr."""
    import shlex

    problems = dataset.problems()
    warnings = [p for p in problems if p.severity == "warning"]
    if not warnings or any(p.severity == "error" for p in problems):
        return  # errors stop the command with a line of their own
    first = f"; the first {SHOWN_WARNINGS}" if len(warnings) > SHOWN_WARNINGS else ""
    print(f"{dataset.province} ({dataset.source}): {len(warnings)} warning(s) in the data{first}:", file=sys.stderr)
    for problem in warnings[:SHOWN_WARNINGS]:
        print(f"  {str(problem).removeprefix(problem.file + ', ')}", file=sys.stderr)
    print(f"  all of them: laocai-stats {command} {shlex.quote(dataset.source)}", file=sys.stderr)


def frame_records(frame) -> list[dict]:
    """A frame as JSON-ready records: missing values become null (through pandas), numbers stay numbers."""
    return json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=15))


def print_json(value) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def print_frame(frame, fmt: str) -> None:
    if fmt == "csv":
        from ..text import csv_frame

        # Labels can come from a user's workbook: never let a spreadsheet run them as formulas.
        sys.stdout.write(csv_frame(frame).to_csv(index=False, lineterminator="\n"))
    elif fmt == "markdown":
        from ..text import markdown_table

        sys.stdout.write(markdown_table(frame) + "\n")
    elif fmt == "json":
        print_json(frame_records(frame))
    else:
        sys.stdout.write(frame.to_string(index=False) + "\n")


def lang_option(p, help_text: str) -> None:
    from ..text import languages

    p.add_argument("--lang", metavar="LANG", default=None, choices=languages(),
                   help=f"{help_text}; one of {', '.join(languages())}")
class VersionAction(argparse.Action):
    """`--version`: the installed version, read from the package metadata only when asked."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show the program's version number and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        from .. import __version__

        sys.stdout.write(f"{parser.prog} {__version__}\n")
        parser.exit()


def verbosity_options(p) -> None:
    """-q and -v for commands whose output can be long."""
    group = p.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help="print only errors and the final line")
    group.add_argument("-v", "--verbose", action="store_true", help="print more detail")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="laocai-stats",
        description="Tables, statistics, figures and an audit for the Lao Cai social insurance communication paper.",
    )
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def data_option(p):
        p.add_argument("--data", metavar="PATH", default=None,
                       help="a data package folder or a filled .xlsx workbook (default: the shipped Lao Cai data)")

    def format_option(p, choices=("text", "csv", "markdown", "json")):
        p.add_argument("--format", choices=choices, default="text", help="output format (default: text)")

    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub, data_option=data_option, format_option=format_option)
    return parser


# Each of these modules has `register(subparsers, *, data_option, format_option)` adding its subcommands;
# this file stays the one dispatcher that turns errors into one line and exit status 2.
COMMAND_MODULES: list[str] = ["laocai_stats.cli.data_commands", "laocai_stats.cli.audit_commands", "laocai_stats.cli.reproduce_commands", "laocai_stats.cli.workbook_commands", "laocai_stats.cli.compare_commands"]


class _ClosedPipeSafe:
    """stdout that, once the reader has gone (`laocai-stats validate BAD | head -1`), sends the rest to /dev/null:
    the command runs to its end and keeps its exit status, rather than a BrokenPipeError turning a failure into 0."""

    def __init__(self, stream):
        self._stream = stream

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def _closed(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())
        os.close(devnull)

    def write(self, text):
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._closed()
            return len(text)

    def flush(self):
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._closed()


def main(argv: list[str] | None = None) -> int:
    stop_on_ctrl_c()
    try:
        args = build_parser().parse_args(argv)  # inside: a Ctrl-C while the parser is built is one line too
        with contextlib.suppress(AttributeError, OSError, ValueError):
            sys.stdout.fileno()  # a real stream (not a test's capture without a file descriptor)
            if not isinstance(sys.stdout, _ClosedPipeSafe):
                sys.stdout = _ClosedPipeSafe(sys.stdout)
        return args.func(args)
    except DataError as exc:
        print(f"laocai-stats: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LaocaiError as exc:
        print(f"laocai-stats: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        # Ctrl-C: the run has already cleaned up on the way out (staging removed, workers stopped). A second
        # Ctrl-C during interpreter shutdown would print "Exception ignored ... KeyboardInterrupt": ignore it.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("laocai-stats: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # a write that bypassed the guard: the output was cut short, never a success
        return 141
    except OSError as exc:  # a file the command could not read or write: one line naming it, never a traceback
        where = exc.filename or "a file"
        print(f"laocai-stats: error: cannot read or write {where}: {exc.strerror or exc}; check the path, its "
              "permissions and the free space", file=sys.stderr)
        return EXIT_BAD_INPUT


def entry() -> None:
    """The `laocai-stats` and `python -m laocai_stats` entry point: `main`, then leave with its status.

    After a Ctrl-C the run has cleaned up, and the process leaves at once with status 130. Not through
    sys.exit: CPython 3.11 remembers a KeyboardInterrupt that escaped any nested PyRun_* call (a C
    extension's module initialisation runs one while it is being imported), even when `main` caught it,
    and would then end the process by SIGINT (status -2), not with 130.
    """
    status = main()
    if status == EXIT_INTERRUPTED:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(status)
    sys.exit(status)


if __name__ == "__main__":
    entry()
