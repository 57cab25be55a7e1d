"""Benchmark `laocai-stats reproduce` on a province's own workbook against the run on the shipped Lao Cai data.

Usage: .venv/bin/python benchmarks/benchmark_own_tables.py [--runs 3] [--jobs N] [--json PATH]

The workbook is the one the tests use (tests/own_tables_helpers.py): an indicator added to Table 3, one deleted
from Table 5, a whole Table 6 of the province's own, its own sources. Each repetition times, back to back,
`laocai-stats reproduce --out TMP --quiet` on (a) the shipped data and (b) that workbook; the medians are printed
with the ratio b/a (the target is at most 1.10: the province's own tables cost at most 10 % more).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from benchmark_reproduce import BIN, ROOT, timed

sys.path.insert(0, str(ROOT / "tests"))
from own_tables_helpers import own_workbook  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    samples: dict[str, list[float]] = {"laocai": [], "own": []}
    with tempfile.TemporaryDirectory() as tmp:
        workbook = own_workbook(Path(tmp) / "own.xlsx")
        for run in range(args.runs):
            for name, data in (("laocai", []), ("own", ["--data", str(workbook)])):
                out = Path(tmp) / f"{name}-{run}"
                samples[name].append(timed([str(BIN / "laocai-stats"), "reproduce", *data, "--out", str(out), "--quiet", *jobs]))
    medians = {k: statistics.median(v) for k, v in samples.items()}
    ratio = medians["own"] / medians["laocai"]
    print(f"reproduce, Lao Cai:          median {medians['laocai']:.2f} s over {args.runs} runs")
    print(f"reproduce, own workbook:     median {medians['own']:.2f} s over {args.runs} runs")
    print(f"ratio own / Lao Cai:         {ratio:.3f} (target at most 1.10)")
    if args.json:
        args.json.write_text(json.dumps({"samples": samples, "medians": medians, "ratio": ratio}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
