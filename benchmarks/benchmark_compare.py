"""Benchmark `laocai-stats compare` against plain openpyxl reading the same workbooks, and its scaling.

Usage: .venv/bin/python benchmarks/benchmark_compare.py [--runs 5] [--scale 7,63,630] [--json PATH] [--keep DIR]

Generates 630 filled province workbooks (all 63 of Vietnam's provinces, then a synthetic tenfold), then,
in one run on one machine, for each size of `--scale` (default 7, 63 and 630 workbooks, the first N of them)
and each of `--runs` repetitions, times back to back (interleaved, so that both see the same load):

- **openpyxl** (the baseline): a fresh `python` that imports openpyxl and reads every cell of every sheet of
  the N workbooks (`openpyxl.load_workbook(path, data_only=True)`), nothing else;
- **compare**: the whole command `laocai-stats compare N workbooks --out DIR`, Python start-up included:
  reading and validating every workbook, the statistics, the ranking printed, the CSVs and the figures (PNG).

Each is a child process; its wall time, CPU time (user + system, from `os.wait4`, far less sensitive than wall
time to other work on the machine) and peak memory (ru_maxrss) are recorded. It prints the medians, the ratio
compare / openpyxl at each size (the goal: at most 3 at 63 workbooks), the curve over the sizes and the ratio
of 630 to 63 workbooks (the goal: at most 10), and with --json writes every sample and the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
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
        path = folder / f"province-{n + 1:03d}.xlsx"
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


OPENPYXL_READ = """
import sys
import openpyxl
for path in sys.argv[1:]:
    workbook = openpyxl.load_workbook(path, data_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            pass
"""


def timed(command: list[str], env: dict) -> dict:
    """Run `command` as a child; its wall time, CPU time (user + system) and peak memory, from os.wait4."""
    # stderr into a file, not a pipe: 630 workbooks' warnings fill a pipe, and the child would wait on it for ever.
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        errors = stderr.read().decode(errors="replace")
    if child.returncode != 0:
        raise SystemExit(f"failed ({child.returncode}): {' '.join(command[:4])} ...\n{errors}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", default="7,63,630", help="numbers of workbooks to time (default: 7,63,630)")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--keep", metavar="DIR", help="generate the workbooks into DIR (kept, and reused when there)")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.scale.split(",")]
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    laocai = str(Path(sys.executable).with_name("laocai-stats"))
    with tempfile.TemporaryDirectory(prefix="laocai-bench-") as scratch:
        folder = Path(args.keep) if args.keep else Path(scratch) / "workbooks"
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        have = sorted(folder.glob("province-*.xlsx"))
        paths = have if len(have) >= max(sizes) else generate(folder, max(sizes))
        generated = time.perf_counter() - started
        samples = {n: {"openpyxl": [], "compare": []} for n in sizes}
        for run in range(args.runs):
            for n in sizes:
                files = [str(p) for p in paths[:n]]
                samples[n]["openpyxl"].append(timed([sys.executable, "-c", OPENPYXL_READ, *files], env))
                out = Path(scratch) / f"out-{n}-{run}"
                samples[n]["compare"].append(timed([laocai, "compare", *files, "--out", str(out)], env))
                base, cand = samples[n]["openpyxl"][-1], samples[n]["compare"][-1]
                print(f"run {run + 1}, {n} workbooks: openpyxl {base['wall_s']:.2f} s (cpu {base['cpu_s']:.2f}), "
                      f"compare {cand['wall_s']:.2f} s (cpu {cand['cpu_s']:.2f}, peak {cand['peak_rss_mb']:.0f} MB)",
                      flush=True)
    medians = {n: {who: {k: round(statistics.median(s[k] for s in runs), 3) for k in ("wall_s", "cpu_s", "peak_rss_mb")}
                   for who, runs in by.items()} for n, by in samples.items()}
    print(f"\nmedians of {args.runs} interleaved runs ({os.cpu_count()} cores):")
    print(f"{'workbooks':>9}  {'openpyxl s':>10}  {'compare s':>9}  {'ratio':>5}  {'cpu ratio':>9}  {'compare MB':>10}")
    ratios = {}
    for n in sizes:
        base, cand = medians[n]["openpyxl"], medians[n]["compare"]
        ratios[n] = {"wall": round(cand["wall_s"] / base["wall_s"], 2), "cpu": round(cand["cpu_s"] / base["cpu_s"], 2)}
        print(f"{n:>9}  {base['wall_s']:>10.2f}  {cand['wall_s']:>9.2f}  {ratios[n]['wall']:>5.2f}  "
              f"{ratios[n]['cpu']:>9.2f}  {cand['peak_rss_mb']:>10.0f}")
    summary = {"sizes": sizes, "runs": args.runs, "generate_s": round(generated, 1), "medians": medians,
               "compare_over_openpyxl": ratios, "samples": samples}
    if 63 in sizes:
        print(f"compare / openpyxl at 63 workbooks: {ratios[63]['wall']} wall, {ratios[63]['cpu']} cpu (goal: at most 3); "
              f"peak memory {medians[63]['compare']['peak_rss_mb']:.0f} MB (goal: under 250)")
    if 63 in sizes and 630 in sizes:
        scaling = {k: round(medians[630]["compare"][k] / medians[63]["compare"][k], 2) for k in ("wall_s", "cpu_s")}
        summary["scaling_630_over_63"] = scaling
        print(f"630 / 63 workbooks: {scaling['wall_s']} wall, {scaling['cpu_s']} cpu (goal: at most 10)")
    summary.update(python=platform.python_version(), machine=platform.machine(), cpu_count=os.cpu_count(),
                   command="python benchmarks/benchmark_compare.py " + " ".join(argv if argv is not None else sys.argv[1:]))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
