"""The `laocai-stats audit` command: the reviewer's audit as text, CSV, JSON or Markdown."""
from __future__ import annotations

import json
import sys

from . import lang_option

EXIT_INCONSISTENT = 1


def cmd_audit(args) -> int:
    from ..audit.checks import grade_tables, run_audit
    from ..audit.common import INCONSISTENT
    from ..audit.report import audit_markdown, audit_text
    from ..data.dataset import open_dataset

    audit = run_audit(open_dataset(args.data, lang=args.lang))  # its text in the data's language, or --lang
    grades = grade_tables(audit)
    if args.format == "csv":
        from ..text import csv_frame

        sys.stdout.write(csv_frame(audit).to_csv(index=False, lineterminator="\n"))
    elif args.format == "json":
        # Through pandas for its NA -> null handling, then json for plain formatting (no escaped slashes).
        records = json.loads(audit.to_json(orient="records"))
        sys.stdout.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(audit_markdown(audit, grades))
    else:
        sys.stdout.write(audit_text(audit, grades))
    if args.strict and (audit["verdict"] == INCONSISTENT).any():
        return EXIT_INCONSISTENT
    return 0


def register(subparsers, *, data_option, format_option) -> None:
    p = subparsers.add_parser(
        "audit",
        help="recompute every printed total, check the text's counts and claims against the tables, grade each table",
        description="A reviewer's audit of the paper's tables: one row per check with the printed value, the "
                    "recomputed value, the difference (recomputed minus printed), a verdict and a note.",
    )
    data_option(p)
    format_option(p, choices=("text", "csv", "json", "markdown"))
    p.add_argument("--strict", action="store_true", help="exit with status 1 when any check is inconsistent")
    lang_option(p, "the language of the audit's text: locations, rules, notes, headings (default: the data's own, else en); "
                   "verdicts and grades stay English codes in csv and json")
    p.set_defaults(func=cmd_audit)
