"""Writing output folders: CSVs safe to open in a spreadsheet, and folders replaced only when complete."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ..text import csv_frame


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV with '\\n' line ends, whole numbers without '.0', user text safe against spreadsheet formula injection."""
    path.parent.mkdir(parents=True, exist_ok=True)
    csv_frame(frame).to_csv(path, index=False, lineterminator="\n")


@contextlib.contextmanager
def staged_folder(out: Path):
    """Yield an empty staging folder beside `out`; on success it replaces `out`, on any failure it is removed.

    The replacement is two renames (the old folder aside, the new one in), restoring the old folder if
    the second fails, so `out` is never left half-written.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        yield staging
        backup = None
        if out.exists():
            backup = out.parent / f".{out.name}.previous-{os.getpid()}"
            out.rename(backup)
        try:
            staging.rename(out)
        except BaseException:
            if backup is not None:
                backup.rename(out)
            raise
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
