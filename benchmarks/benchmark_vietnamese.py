"""Benchmark the cost of working in Vietnamese: `reproduce` on the same figures in an English and a Vietnamese workbook.

Usage: .venv/bin/python benchmarks/benchmark_vietnamese.py [--runs 5] [--notebooks] [--json PATH]

Both workbooks are the shipped Lao Cai data exported by `laocai-stats export` (`--lang en`, `--lang vi`), so they hold
the same numbers; only the language differs (sheet names, headings, labels; the Vietnamese run's report, figures,
narrative and tables.xlsx headings go through the catalogue and Babel's number formatting). Each repetition times,
back to back and alternating which goes first, `laocai-stats reproduce --data WORKBOOK --out TMP` (without the
notebooks unless --notebooks). The medians are printed with the ratio vi/en.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmark_reproduce import environment

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def reproduce_seconds(workbook: Path, out: Path, notebooks: bool) -> float:
    if notebooks:
        command = [str(BIN / "laocai-stats"), "reproduce", "--data", str(workbook), "--out", str(out), "-q"]
    else:  # the library's own steps: tables, tables.xlsx, audit, figures, report
        command = [sys.executable, "-c", "import sys; from laocai_stats.run.reproduce import reproduce; "
                   "reproduce(sys.argv[1], sys.argv[2], notebooks=False, progress=False)", str(out), str(workbook)]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=environment(), check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--notebooks", action="store_true", help="time the whole reproduce, notebooks included")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args()
    samples: dict[str, list[float]] = {"en": [], "vi": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        workbooks = {}
        for lang in samples:
            workbooks[lang] = folder / f"laocai-{lang}.xlsx"
            subprocess.run([str(BIN / "laocai-stats"), "export", str(workbooks[lang]), "--lang", lang], check=True, capture_output=True)
        for run in range(args.runs):
            for lang in (("en", "vi") if run % 2 == 0 else ("vi", "en")):
                samples[lang].append(reproduce_seconds(workbooks[lang], folder / f"out-{lang}", args.notebooks))
    medians = {lang: statistics.median(values) for lang, values in samples.items()}
    ratio = medians["vi"] / medians["en"]
    what = "reproduce" if args.notebooks else "reproduce without notebooks"
    print(f"{what}, median of {args.runs}: English workbook {medians['en']:.2f} s, Vietnamese workbook {medians['vi']:.2f} s; "
          f"ratio vi/en {ratio:.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"samples": samples, "medians": medians, "ratio": ratio, "notebooks": args.notebooks,
                                               "machine": platform.platform(), "python": platform.python_version()},
                                              indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
