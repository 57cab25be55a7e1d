"""Benchmark `laocai-stats reproduce` against running the same notebooks one after another with nbconvert.

Usage: .venv/bin/python benchmarks/benchmark_reproduce.py [--runs 3] [--jobs N] [--make-test] [--json PATH]

In one run on one machine, each repetition times, back to back:
  (a) `laocai-stats reproduce --out TMP` (tables, workbook, audit, figures, executed notebooks, HTML report);
  (b) `jupyter nbconvert --to notebook --execute --output-dir TMP NB` for each committed notebook, one after another
      (the naive way to re-run the analysis: the notebooks alone, nothing else);
and, with --make-test, (c) `make -o .venv/.installed test`: `make test` with the environment already built. The medians are printed with the
ratio a/b (the target is at most 0.2), and with --json written as JSON with every sample and the machine. Each command's CPU time
(user + system of it and every process it waited for, from getrusage) is recorded beside its wall time: on a shared machine it
moves far less with the load than the wall time does.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def environment() -> dict:
    """The variables `make` exports, so that every timed command runs as it would from the Makefile."""
    return dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0", PYDEVD_DISABLE_FILE_VALIDATION="1")


CPU: dict[str, list[float]] = {}  # CPU seconds of each timed command, by the sample it belongs to


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], *, cwd: Path = ROOT, must_pass: bool = True, cpu: list | None = None) -> float:
    """Wall seconds of `command`; its CPU seconds (with its waited-for children) are appended to `cpu` if given."""
    before = children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        last = (result.stderr.strip() or result.stdout.strip()).splitlines()[-1:]
        if must_pass:
            sys.exit(f"benchmark: {' '.join(command)} failed (status {result.returncode}): {last}")
        print(f"benchmark: note: {' '.join(command)} exited with status {result.returncode}: {last}", file=sys.stderr)
    if cpu is not None:
        cpu.append(children_cpu() - before)
    return elapsed


def committed_notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def time_reproduce(scratch: Path, jobs: int | None) -> float:
    command = [str(BIN / "laocai-stats"), "reproduce", "--out", str(scratch / "outputs"), "--quiet"]
    if jobs:
        command += ["--jobs", str(jobs)]
    return timed(command, cpu=CPU.setdefault("reproduce", []))


def time_nbconvert(scratch: Path) -> float:
    total = 0.0
    cpu: list[float] = []
    for notebook in committed_notebooks():
        total += timed([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                        "--output-dir", str(scratch / "nbconvert"), str(notebook)], cwd=notebook.parent, cpu=cpu)
    CPU.setdefault("nbconvert_sequential", []).append(sum(cpu))
    return total


def time_make_test() -> float:
    """`make test` with the environment already built: `-o` marks the venv's stamp as current, so no reinstall is timed.

    Timed whether or not every test passes (a failure is reported, not hidden)."""
    return timed(["make", "-o", ".venv/.installed", "test"], must_pass=False, cpu=CPU.setdefault("make_test", []))


def machine() -> dict:
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "processor": platform.processor() or platform.machine()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported (default 3)")
    parser.add_argument("--jobs", type=int, default=None, help="`reproduce --jobs` (default: one per core)")
    parser.add_argument("--make-test", action="store_true", help="also time `make test` (takes minutes)")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="write the results here as JSON")
    args = parser.parse_args(argv)

    samples: dict[str, list[float]] = {"reproduce": [], "nbconvert_sequential": []}
    if args.make_test:
        samples["make_test"] = []
    for run in range(1, args.runs + 1):
        scratch = Path(tempfile.mkdtemp(prefix="laocai-bench-"))
        try:
            samples["reproduce"].append(time_reproduce(scratch, args.jobs))
            samples["nbconvert_sequential"].append(time_nbconvert(scratch))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if args.make_test:
            samples["make_test"].append(time_make_test())
        print(f"run {run}/{args.runs}: " + ", ".join(f"{k} {v[-1]:.1f} s (cpu {CPU[k][-1]:.1f} s)" for k, v in samples.items()),
              file=sys.stderr, flush=True)

    medians = {k: statistics.median(v) for k, v in samples.items()}
    ratio = medians["reproduce"] / medians["nbconvert_sequential"]
    cpu_medians = {k: statistics.median(v) for k, v in CPU.items()}
    cpu_ratio = cpu_medians["reproduce"] / cpu_medians["nbconvert_sequential"]
    result = {"command": " ".join([Path(sys.executable).relative_to(ROOT).as_posix() if Path(sys.executable).is_relative_to(ROOT)
                                   else "python", "benchmarks/benchmark_reproduce.py", *(argv if argv is not None else sys.argv[1:])]),
              "runs": args.runs, "notebooks": [p.name for p in committed_notebooks()], "machine": machine(),
              "median_seconds": {k: round(v, 2) for k, v in medians.items()},
              "samples_seconds": {k: [round(x, 2) for x in v] for k, v in samples.items()},
              "median_cpu_seconds": {k: round(v, 2) for k, v in cpu_medians.items()},
              "samples_cpu_seconds": {k: [round(x, 2) for x in v] for k, v in CPU.items()},
              "ratio_reproduce_to_nbconvert": round(ratio, 3), "cpu_ratio_reproduce_to_nbconvert": round(cpu_ratio, 3),
              "target_ratio": 0.2, "target_met": ratio <= 0.2}
    for key, value in medians.items():
        print(f"{key:<22} median {value:7.1f} s   cpu {cpu_medians[key]:7.1f} s")
    print(f"{'ratio reproduce/naive':<22} {ratio:7.2f}  (target <= 0.20: {'met' if ratio <= 0.2 else 'NOT met'}); "
          f"cpu ratio {cpu_ratio:.2f}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
