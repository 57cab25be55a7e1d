"""Benchmark the review's pathological inputs and the Kendall test with ties (issue 10).

Usage: .venv/bin/python benchmarks/benchmark_hostile.py [--reproduce] [--json PATH]

Part 1: each hostile file of the security review, generated in a scratch folder (sparse or deflated: small on disk),
is validated by `laocai-stats validate` in a fresh child process; its wall time and peak memory (the child's own
ru_maxrss) are printed against the targets (under 5 s and under 1 GB for any input of 10 MB or less).
Part 2: the growth summary (and, with --reproduce, a whole `reproduce`) on a 10-year workbook with tied values,
printed as a ratio against the same on a 5-year workbook (the target: at most 2).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))


MEASURED = ("import resource, sys; from laocai_stats.cli import main; status = main(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(status)")


def timed(arguments: list[str]) -> dict:
    """Run `laocai-stats ARGUMENTS` in a fresh child; its exit status, wall time, own peak memory and last message."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", MEASURED, *arguments], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = result.stderr.strip().splitlines()
    return {"status": result.returncode, "seconds": round(seconds, 2), "peak_mb": round(int(lines[-1]) / 1024),
            "message": (lines[-2] if len(lines) > 1 else "")[:160]}


def hostile_files(folder: Path) -> dict[str, Path]:
    from hostile_files import csv_with_rows, deep_descriptor, package_copy, set_province, sparse_file, workbook_with_cells

    files = {
        "6M-cell workbook (200 KB)": workbook_with_cells(folder, 6_000_000, name="cells.xlsx"),
        "2M formula cells": workbook_with_cells(folder, 2_000_000, formulas=True, name="formulas.xlsx"),
        "49k formula cells (under the limit)": workbook_with_cells(folder, 49_000, formulas=True, name="under.xlsx"),
        "1 GB file named .xlsx (sparse)": sparse_file(folder / "big.xlsx", 2**30),
    }
    for label, change in {"100 MB CSV (sparse)": lambda p: sparse_file(p / "website.csv", 100 * 2**20),
                          "9,999-row CSV": lambda p: csv_with_rows(p, 9_999),
                          "descriptor nested 100,000 deep": lambda p: deep_descriptor(p, 100_000),
                          "32,000-character province": lambda p: set_province(p, "x" * 32_000)}.items():
        sub = folder / f"pkg-{len(files)}"
        sub.mkdir()
        package = package_copy(sub)
        change(package)
        files[label] = package
    return files


def ties_workbook(folder: Path, years: list[int], name: str) -> Path:
    """A filled workbook whose every series has tied values (two years share each value)."""
    import openpyxl
    from benchmark_compare import SHEETS

    from laocai_stats.workbook.writer import write_workbook

    path = folder / name
    write_workbook(None, path, province="Tied", years=years)
    wb = openpyxl.load_workbook(path)
    for sheet, rows in SHEETS.items():
        ws = wb[sheet]
        columns = {c.value: c.column_letter for c in ws[4] if isinstance(c.value, int)}
        for row, size in rows.values():
            for k, year in enumerate(years):
                ws[f"{columns[year]}{row}"] = size + 10 * (k // 2)  # 15, 15, 25, 25, ...: ties everywhere
    wb.save(path)
    return path


def growth_seconds(path: Path) -> float:
    code = ("import time; from laocai_stats import open_dataset; from laocai_stats.stats.summary import growth_summary; "
            f"d = open_dataset({str(path)!r}); d.problems(); t = time.perf_counter(); growth_summary(d); "
            "print(time.perf_counter() - t)")
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reproduce", action="store_true", help="also time whole reproduce runs (about a minute)")
    parser.add_argument("--json", metavar="PATH")
    args = parser.parse_args(argv)
    results: dict = {"validate": {}, "kendall": {}}
    with tempfile.TemporaryDirectory(prefix="laocai-hostile-") as scratch:
        folder = Path(scratch)
        for label, path in hostile_files(folder).items():
            size = path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.iterdir())
            r = timed(["validate", str(path)])
            r["size_on_disk_kb"] = round(size / 1024)
            results["validate"][label] = r
            ok = r["seconds"] < 5 and r["peak_mb"] < 1024
            print(f"{'ok ' if ok else 'SLOW'} {label:38s} exit {r['status']}  {r['seconds']:6.2f} s  {r['peak_mb']:5d} MB  {r['message'][:90]}")
        five = ties_workbook(folder, list(range(2016, 2021)), "five.xlsx")
        ten = ties_workbook(folder, list(range(2011, 2021)), "ten.xlsx")
        eight = ties_workbook(folder, list(range(2013, 2021)), "eight.xlsx")
        base = growth_seconds(five)
        for label, path in (("8 years, ties", eight), ("10 years, ties", ten)):
            seconds = growth_seconds(path)
            results["kendall"][label] = {"seconds": round(seconds, 3), "ratio_to_5_years": round(seconds / base, 2)}
            print(f"growth summary, {label}: {seconds:.3f} s = {seconds / base:.2f}x the 5-year run ({base:.3f} s; target <= 2x "
                  "for a whole reproduce)")
        if args.reproduce:
            runs = {}
            for label, path in (("5 years", five), ("10 years, ties", ten)):
                r = timed(["reproduce", "--data", str(path), "--quiet",
                           "--out", str(folder / f"out-{path.stem}")])
                runs[label] = r["seconds"]
            ratio = runs["10 years, ties"] / runs["5 years"]
            results["reproduce"] = {**runs, "ratio": round(ratio, 2)}
            print(f"reproduce: 5 years {runs['5 years']:.1f} s, 10 years with ties {runs['10 years, ties']:.1f} s: "
                  f"ratio {ratio:.2f} (target <= 2)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
