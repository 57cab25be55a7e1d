"""Writing output folders: CSVs safe to open in a spreadsheet, and folders replaced only when complete and only
when laocai-stats made them.

One mechanism for every command that writes a folder (`reproduce`, `compare --out`): `staged_folder`.

- The target is checked before anything is written (`check_output_folder`): it must not be, contain or lie inside
  an input or a protected folder (`/`, the home folder, the shipped data, the repository's data/ and notebooks/),
  must not be an existing file, and an existing folder is replaced only when it carries laocai-stats' manifest
  (`MANIFEST`) and holds nothing the manifest does not list. Each refusal is one line; nothing is touched.
- Everything is written into a staging folder beside the target, which replaces the target only when every step
  succeeded; a failed or interrupted run leaves the earlier folder exactly as it was. Staging folders left by
  runs that died (their process is gone) are removed by the next run.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
from pathlib import Path

import pandas as pd

from ..errors import LaocaiError, raise_if_interrupted
from ..text import csv_frame

MANIFEST = ".laocai-stats-manifest.json"
# Dropped in a staging folder the moment it is made: the next run removes a dead run's staging folder only if it
# carries this (or a manifest), so a folder of the user's that merely has a staging-like name is never touched.
STAGING_MARKER = ".laocai-stats-staging"
STAGING = ".{name}.staging-{pid}-{token}"
PREVIOUS = ".{name}.previous-{pid}"
# Litter that file managers and Jupyter leave in a folder someone looked at: never the user's own work.
LITTER = {".DS_Store", "Thumbs.db", "desktop.ini", ".ipynb_checkpoints"}
WHAT_TO_DO = {
    errno.EROFS: "the file system is read-only; choose an --out on a writable disk",
    errno.ENOSPC: "the disk is full; free some space or choose an --out on another disk",
    errno.EDQUOT: "the disk quota is used up; free some space or choose an --out on another disk",
    errno.EACCES: "permission denied; choose an --out in a folder you can write to",
    errno.EPERM: "permission denied; choose an --out in a folder you can write to",
    errno.EBUSY: "the folder is in use (a mount point?); choose a new folder for --out",
    errno.ENOTDIR: "a part of the path is a file, not a folder; choose another --out",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter --out",
}


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV with '\\n' line ends, whole numbers without '.0', user text (column names included) safe against
    spreadsheet formula injection."""
    path.parent.mkdir(parents=True, exist_ok=True)
    csv_frame(frame).to_csv(path, index=False, lineterminator="\n")


def _same(a: Path, b: Path) -> bool:
    """Whether two paths name the same file or folder: the same resolved path, or (case-insensitive file
    systems, hard links) the same inode."""
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _within(inner: Path, outer: Path) -> bool:
    """Whether `inner` is `outer` or lies inside it; both resolved."""
    return any(_same(p, outer) for p in (inner, *inner.parents))


def protected_folders() -> list[Path]:
    """Folders no --out may be, contain or lie inside: the shipped data and notebooks, and the package itself."""
    from ..data.package import default_data_dir

    package = Path(__file__).resolve().parents[1]
    found = [package, package / "_data", package / "_notebooks"]
    with contextlib.suppress(LaocaiError):
        found.append(default_data_dir().resolve())
    if (package.parent / "pyproject.toml").is_file():  # a source checkout: its data and notebooks
        found += [package.parent / "data", package.parent / "notebooks"]
    return [p for p in found if p.exists()]


def suggest_name(out: Path) -> Path:
    """A sibling of `out` that does not exist yet."""
    for n in range(1, 1000):
        candidate = out.with_name(f"{out.name}-laocai-stats" + (f"-{n}" if n > 1 else ""))
        if not candidate.exists():
            return candidate
    return out.with_name(f"{out.name}-laocai-stats-{secrets.token_hex(3)}")


def read_manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("created_by") != "laocai-stats" or not isinstance(manifest.get("files"), list):
        return None
    return manifest


def _files_in(folder: Path) -> set[str]:
    found = set()
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in LITTER]
        for name in files:
            if name not in LITTER:
                found.add((Path(root) / name).relative_to(folder).as_posix())
    return found


def unlisted(folder: Path, manifest: dict) -> list[str]:
    """The files in `folder` that its manifest does not list: what laocai-stats did not write there."""
    return sorted(_files_in(folder) - set(manifest["files"]) - {MANIFEST})


def check_output_folder(out, inputs=()) -> Path:
    """The resolved `out`, once it is safe to replace; else LaocaiError in one line, and nothing touched."""
    given = str(out)
    out = Path(os.path.expanduser(str(out))).resolve()
    home = Path.home().resolve()
    new = f"choose a new folder, e.g. --out {suggest_name(out) if out.parent != out and not _same(out, home) else home / 'laocai-outputs'}"
    if out.parent == out:
        raise LaocaiError(f"--out {given}: refusing to write over the root folder; {new}")
    if _same(out, home):
        raise LaocaiError(f"--out {given}: refusing to write over your home folder; {new}")
    for source in [Path(p) for p in inputs if p is not None]:
        source = Path(os.path.expanduser(str(source))).resolve()
        if _within(out, source) or _within(source, out):
            relation = "is" if _same(out, source) else ("lies inside" if _within(out, source) else "contains")
            raise LaocaiError(f"--out {given}: refusing, it {relation} the input {source}, which would be deleted; {new}")
    for folder in protected_folders():
        if _within(out, folder) or _within(folder, out):
            relation = "is" if _same(out, folder) else ("lies inside" if _within(out, folder) else "contains")
            raise LaocaiError(f"--out {given}: refusing, it {relation} {folder}, which laocai-stats needs; {new}")
    if out.exists() and not out.is_dir():
        raise LaocaiError(f"--out {given}: refusing, it is an existing file, not a folder; {new}")
    if out.is_dir() and any(out.iterdir()):
        manifest = read_manifest(out)
        if manifest is None:
            raise LaocaiError(f"--out {given}: refusing to replace a folder laocai-stats did not make (it holds other "
                              f"files and no {MANIFEST}); nothing was changed; {new}")
        extra = unlisted(out, manifest)
        if extra:
            raise LaocaiError(f"--out {given}: refusing, it holds {out / extra[0]}, which laocai-stats did not write"
                              f"{f' (and {len(extra) - 1} more)' if len(extra) > 1 else ''}; move it elsewhere, or {new}")
    return out


def check_output_file(out, inputs=()) -> Path:
    """The resolved `out` for a single file (`template`, `export`): never an input, a folder, or inside a protected folder."""
    given = str(out)
    path = Path(os.path.expanduser(str(out))).resolve()
    for source in [Path(os.path.expanduser(str(p))).resolve() for p in inputs if p is not None]:
        if _within(path, source):
            raise LaocaiError(f"{given}: refusing to write over the input {source}; choose another name, e.g. {suggest_name(path.with_suffix('')).name}.xlsx")
    for folder in protected_folders():
        if _within(path, folder):
            raise LaocaiError(f"{given}: refusing to write inside {folder}, which laocai-stats needs; choose another folder")
    if path.is_dir():
        raise LaocaiError(f"{given}: is a folder; give a file name such as {path / 'workbook.xlsx'}")
    return path


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(out: Path) -> None:
    """Remove the staging folders of runs that died, and put back an earlier folder a dead run had moved aside."""
    prefix_staging, prefix_previous = f".{out.name}.staging-", f".{out.name}.previous-"
    with contextlib.suppress(OSError):
        for entry in out.parent.iterdir():
            for prefix in (prefix_staging, prefix_previous):
                if not entry.name.startswith(prefix):
                    continue
                pid = entry.name[len(prefix):].split("-", 1)[0]
                if not pid.isdigit() or _pid_alive(int(pid)) or not entry.is_dir() or entry.is_symlink():
                    continue
                manifest = read_manifest(entry)
                # Ours: a set-aside output folder holding only what its manifest lists, or a staging folder with our marker
                ours = (manifest is not None and not unlisted(entry, manifest)) or (
                    prefix == prefix_staging and (entry / STAGING_MARKER).is_file())
                if not ours:
                    continue  # not made by laocai-stats, or holding a file it did not write: left alone
                if prefix == prefix_previous and not out.exists():
                    entry.rename(out)  # the run died between its two renames: the earlier outputs come back
                else:
                    shutil.rmtree(entry, ignore_errors=True)


def write_manifest(folder: Path) -> None:
    """List every file in `folder` (sorted, so the manifest is the same for the same outputs)."""
    from .. import __version__

    files = sorted(_files_in(folder) - {MANIFEST})
    manifest = {"created_by": "laocai-stats", "version": __version__,
                "note": "laocai-stats replaces this folder as a whole on its next run; do not keep your own files here",
                "files": files}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def os_error_message(exc: OSError, where: Path) -> str:
    what = WHAT_TO_DO.get(exc.errno, "choose another --out")
    return f"cannot write {where}: {exc.strerror or exc}; {what}"


@contextlib.contextmanager
def staged_folder(out, *, inputs=()):
    """Yield an empty staging folder beside `out`; on success it replaces `out`, on any failure it is removed.

    `out` is checked first (`check_output_folder`; `inputs` are the paths the run reads). The replacement is
    two renames (the old folder aside, the new one in), restoring the old folder if the second fails, so
    `out` is never left half-written. File-system errors (read-only, full disk, ...) become one LaocaiError line.
    """
    out = check_output_folder(out, inputs)
    staging = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(out)
        staging = out.parent / STAGING.format(name=out.name, pid=os.getpid(), token=secrets.token_hex(4))
        staging.mkdir(mode=0o777)  # the umask applies, as for any folder the user makes
        (staging / STAGING_MARKER).touch()
        yield staging
        raise_if_interrupted()  # a Ctrl-C that a library swallowed still stops the run here, before anything moves
        (staging / STAGING_MARKER).unlink()
        write_manifest(staging)
        # Checked again at the moment of replacing: the run took a while, and a file the user dropped into `out`
        # meanwhile must not be deleted with it.
        check_output_folder(out, inputs)
        backup = None
        if out.exists():
            backup = out.parent / PREVIOUS.format(name=out.name, pid=os.getpid())
            out.rename(backup)
        try:
            staging.rename(out)
        except BaseException:
            if backup is not None:
                backup.rename(out)
            raise
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
    except OSError as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise LaocaiError(os_error_message(exc, out)) from None
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
