"""Benchmark `laocai-stats reproduce` on a province's own workbook against the run on the shipped Lao Cai data.

Usage: .venv/bin/python benchmarks/benchmark_own_tables.py [--runs 3] [--jobs N] [--json PATH]

The workbook is the one the tests use (tests/own_tables_helpers.py): an indicator added to Table 3, one deleted
from Table 5, a whole Table 6 of the province's own, its own sources. Each repetition times, back to back,
`laocai-stats reproduce --out TMP --quiet` on (a) the shipped data and (b) that workbook; the medians are printed
with the ratio b/a (the target is at most 1.10: the province's own tables cost at most 10 % more). Wall time
and CPU time (user + system of the command and every process it waited for) are both measured: on a machine
shared with other work the wall time varies far more than the CPU time, so both ratios are printed.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import time
import sys
import tempfile
from pathlib import Path

from benchmark_reproduce import BIN, ROOT, environment

sys.path.insert(0, str(ROOT / "tests"))
from own_tables_helpers import own_workbook  # noqa: E402


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (children's user + system) of one command, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=environment(), capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.strip()[-300:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    samples: dict[str, dict[str, list[float]]] = {"laocai": {"wall": [], "cpu": []}, "own": {"wall": [], "cpu": []}}
    with tempfile.TemporaryDirectory() as tmp:
        workbook = own_workbook(Path(tmp) / "own.xlsx")
        for run in range(args.runs):
            for name, data in (("laocai", []), ("own", ["--data", str(workbook)])):
                out = Path(tmp) / f"{name}-{run}"
                wall, cpu = timed([str(BIN / "laocai-stats"), "reproduce", *data, "--out", str(out), "--quiet", *jobs])
                samples[name]["wall"].append(wall)
                samples[name]["cpu"].append(cpu)
    medians = {name: {k: statistics.median(v) for k, v in s.items()} for name, s in samples.items()}
    ratios = {k: medians["own"][k] / medians["laocai"][k] for k in ("wall", "cpu")}
    for name, label in (("laocai", "Lao Cai"), ("own", "own workbook")):
        print(f"reproduce, {label + ':':<14} median wall {medians[name]['wall']:.2f} s, CPU {medians[name]['cpu']:.2f} s over {args.runs} runs")
    print(f"ratio own / Lao Cai: wall {ratios['wall']:.3f}, CPU {ratios['cpu']:.3f} (target at most 1.10)")
    if args.json:
        args.json.write_text(json.dumps({"samples": samples, "medians": medians, "ratios": ratios}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
