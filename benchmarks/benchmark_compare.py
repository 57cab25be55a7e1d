"""Benchmark `laocai-stats compare` on 63 generated province workbooks (all of Vietnam's provinces at once).

Usage: .venv/bin/python benchmarks/benchmark_compare.py [--provinces 63] [--runs 3] [--json PATH] [--keep DIR]

Each run is a fresh child process (imports included, as a user's command would be) that times
`compare()` on every workbook (reading and validating them, then the statistics) and then
`write_comparison()` (CSVs and PNG+SVG figures); its peak memory is the child's ru_maxrss. The
medians of the runs are printed and, with --json, written as JSON.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The yearly indicators of the template, by sheet, with the row each sits on and a typical first-year size.
SHEETS = {
    "Table 2 conferences": {"coordinating_units": (5, 15), "training_conferences": (7, 60), "training_attendees": (8, 3000),
                            "post_office_conferences": (10, 100), "post_office_attendees": (11, 2000),
                            "health_insurance_conferences": (13, 5), "health_insurance_attendees": (14, 300)},
    "Table 3 publications": {"posters": (5, 800), "flyers": (6, 100000), "agent_signs": (7, 60)},
    "Table 4 website": {"articles": (5, 200), "visits": (6, 50000)},
    "Table 5 press": {"press_items": (5, 300), "loudspeaker_broadcasts": (6, 1500)},
}
AGENT_ROWS = range(5, 12)


def generate(folder: Path, count: int) -> list[Path]:
    """`count` filled workbooks with varied numbers; every 7th covers other years, every 5th leaves visits blank."""
    import numpy as np
    import openpyxl

    from laocai_stats.workbook.writer import write_workbook

    rng = np.random.default_rng(20240601)
    paths = []
    for n in range(count):
        years = list(range(2018, 2024)) if n % 7 == 3 else list(range(2016, 2021))
        path = folder / f"province-{n + 1:02d}.xlsx"
        write_workbook(None, path, province=f"Province {n + 1:02d}", years=years)
        wb = openpyxl.load_workbook(path)
        for sheet, rows in SHEETS.items():
            ws = wb[sheet]
            columns = {c.value: c.column_letter for c in ws[4] if isinstance(c.value, int)}
            for indicator, (row, size) in rows.items():
                if indicator == "visits" and n % 5 == 4:
                    continue  # left blank: missing, not zero
                level = size * rng.uniform(0.3, 3.0)
                growth = rng.normal(0.1, 0.15)
                for k, year in enumerate(years):
                    noise = rng.normal(1.0, 0.08)
                    ws[f"{columns[year]}{row}"] = max(1, int(round(level * (1 + growth) ** k * noise)))
        ws = wb["Table 1 agents"]
        for row in AGENT_ROWS:
            ws[f"D{row}"] = int(rng.integers(5, 200))
            ws[f"E{row}"] = int(rng.integers(1, 150))
        wb.save(path)
        paths.append(path)
    return paths


def child(folder: Path, out: Path) -> None:
    """One timed run; prints its measurements as JSON."""
    start = time.perf_counter()
    from laocai_stats.publish.comparison import write_comparison
    from laocai_stats.stats.compare import compare

    imported = time.perf_counter()
    comparison = compare(sorted(folder.glob("*.xlsx")))
    compared = time.perf_counter()
    written = write_comparison(comparison, out)
    done = time.perf_counter()
    print(json.dumps({
        "import_s": imported - start,
        "compare_s": compared - imported,
        "write_s": done - compared,
        "total_s": done - start,
        "files_written": len(written),
        "provinces": len(comparison.provinces),
        "notes": len(comparison.notes),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=63)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--keep", metavar="DIR", help="generate the workbooks into DIR and keep them")
    parser.add_argument("--child", nargs=2, metavar=("WORKBOOKS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]))
        return 0
    with tempfile.TemporaryDirectory(prefix="laocai-bench-") as scratch:
        folder = Path(args.keep) if args.keep else Path(scratch) / "workbooks"
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        generate(folder, args.provinces)
        generated = time.perf_counter() - started
        runs = []
        for n in range(args.runs):
            result = subprocess.run([sys.executable, __file__, "--child", str(folder), str(Path(scratch) / f"out-{n}")],
                                    capture_output=True, text=True, check=True)
            runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
            print(f"run {n + 1}: compare {runs[-1]['compare_s']:.2f} s, write {runs[-1]['write_s']:.2f} s, "
                  f"total {runs[-1]['total_s']:.2f} s, peak {runs[-1]['peak_rss_mb']:.0f} MB", flush=True)
    summary = {
        "provinces": args.provinces,
        "runs": args.runs,
        "generate_s": round(generated, 2),
        **{f"median_{k}": round(statistics.median(r[k] for r in runs), 2)
           for k in ("import_s", "compare_s", "write_s", "total_s", "peak_rss_mb")},
        "files_written": runs[0]["files_written"],
        "notes": runs[0]["notes"],
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": __import__("os").cpu_count(),
        "command": "python benchmarks/benchmark_compare.py" + (f" --provinces {args.provinces}" if args.provinces != 63 else ""),
    }
    print(f"{args.provinces} workbooks: compare (read, validate, statistics) median {summary['median_compare_s']} s; "
          f"writing CSVs and figures {summary['median_write_s']} s; whole run {summary['median_total_s']} s; "
          f"peak memory {summary['median_peak_rss_mb']:.0f} MB (median of {args.runs} runs)")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
