"""The `compare` subcommand: several provinces' data sets side by side."""
from __future__ import annotations

import shlex
import sys

from . import lang_option, verbosity_options


def cmd_compare(args) -> int:
    from ..data.dataset import open_dataset
    from ..text import use_language

    datasets = [open_dataset(source) for source in args.data_sets]
    # Written in --lang, else in the language of the first data set that names one (English if none does).
    lang = args.lang or next((d.language for d in datasets if d.language), None)
    with use_language(lang):
        return _compare(args, datasets)


def _compare(args, datasets) -> int:
    from ..publish.comparison import write_comparison
    from ..stats.compare import compare
    from ..errors import DataError
    from ..text import _, percent
    from . import frame_records, print_frame, print_json, print_warnings

    if args.out:  # refused before any work: an --out that would delete an input or a folder it did not make
        from ..publish.outputs import check_output_folder

        check_output_folder(args.out, args.data_sets)
    for dataset in datasets:  # errors first: a refused input gets its one line, and nothing else is said
        errors = [p for p in dataset.problems() if p.severity == "error"]
        if errors:
            raise DataError(errors)
    if not args.quiet:
        for dataset in datasets:
            print_warnings(dataset)
    comparison = compare(datasets)
    ranking = comparison.ranking.copy()
    notes = comparison.notes
    if args.format in ("text", "markdown"):
        # Rates as percentages for reading; CSV and JSON keep the fractions for computing.
        for column in ("cagr", "trend_growth", "trend_growth_low", "trend_growth_high"):
            ranking[column] = ranking[column].astype(object).map(percent)
    if args.quiet:
        pass
    elif args.format == "json":
        print_json({"provinces": frame_records(comparison.provinces), "ranking": frame_records(ranking),
                    "notes": frame_records(notes)})
    elif args.format == "text":
        ranking = ranking[["table", "indicator", "rank", "of", "province", "cagr", "from_year", "to_year"]]
        print(_("Ranking by CAGR over the years the provinces share (ties share a rank; n/a is not ranked):"))
        print_frame(ranking, "text")
        print()
        print(_("Notes ({count}):").format(count=len(notes)) if len(notes) else _("Notes: none; the data sets cover the same years and indicators."))
        for note in notes["note"]:
            print(f"- {note}")
    elif args.format == "markdown":
        print(_("## Ranking") + "\n")
        print_frame(ranking, "markdown")
        print("\n" + _("## Notes") + "\n")
        print_frame(notes, "markdown")
    else:
        print_frame(ranking, "csv")
        print()
        print_frame(notes, "csv")
    if args.out:
        written = write_comparison(comparison, args.out, svg=args.svg, inputs=args.data_sets)
        if args.verbose:
            for name in written:
                print(f"wrote {args.out}/{name}", file=sys.stderr)
        print(_("wrote {count} files to {folder}").format(count=len(written), folder=shlex.quote(str(args.out))), file=sys.stderr)
    return 0


def register(sub, *, data_option, format_option) -> None:
    p = sub.add_parser("compare", help="compare provinces: levels, growth, index, ratios and a ranking over shared years")
    p.add_argument("data_sets", nargs="+", metavar="DATA",
                   help="filled .xlsx workbooks or data package folders (data/laocai is the shipped Lao Cai data)")
    p.add_argument("--out", default=None, metavar="DIR",
                   help="also write the CSVs and figures into DIR (replaced only when the run succeeds)")
    p.add_argument("--svg", action="store_true",
                   help="with --out, write each figure as SVG too (default: PNG only; SVG is for editing or large prints)")
    format_option(p)
    verbosity_options(p)
    lang_option(p, "the language of the figures and the text (default: the first data set's own, else en)")
    p.set_defaults(func=cmd_compare)
