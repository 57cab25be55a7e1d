"""The `reproduce` subcommand."""
from __future__ import annotations

import shlex
import sys

from . import lang_option, verbosity_options


def cmd_reproduce(args) -> int:
    from ..data.dataset import open_dataset
    from ..run.reproduce import reproduce
    from . import print_warnings

    data = open_dataset(args.data, province=args.province, lang=args.lang) if args.data is not None else None
    if data is not None and not args.quiet:
        print_warnings(data)
    result = reproduce(args.out, data, province=args.province, lang=args.lang, jobs=args.jobs, progress=not args.quiet)
    for note in result.skipped:
        print(f"skipped {note}", file=sys.stderr)
    if args.verbose:
        for name in result.written:
            print(f"wrote {result.out / name}")
    print(f"wrote {len(result.written)} files to {shlex.quote(str(result.out))}")
    return 0


def register(sub, *, data_option, format_option) -> None:
    p = sub.add_parser("reproduce", help="rebuild every table, figure, executed notebook and the HTML report into one folder")
    data_option(p)
    p.add_argument("--out", default="outputs", metavar="DIR", help="output folder (default: outputs); replaced only when the run succeeds")
    p.add_argument("--province", default=None, help="province name for titles and prose (default: the data's own)")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="notebooks run at once (default: one per core)")
    verbosity_options(p)  # -q: no progress; -v: also every file written
    lang_option(p, "the language of the report, figures, narrative and tables.xlsx headings (default: the data's own, else en)")
    p.set_defaults(func=cmd_reproduce)
