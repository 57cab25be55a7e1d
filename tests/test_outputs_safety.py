"""--out never loses a user's file: a folder is replaced only when laocai-stats made it (its manifest says so),
never an input, an existing file, `/`, home or the shipped data; file-system errors are one line."""
from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from laocai_stats.cli import main
from laocai_stats.data.dataset import default_data_dir
from laocai_stats.errors import LaocaiError
from laocai_stats.publish import outputs
from laocai_stats.publish.outputs import MANIFEST, check_output_folder, staged_folder

ROOT = Path(__file__).resolve().parents[1]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(out: Path, files: dict[str, str], **kwargs) -> None:
    with staged_folder(out, **kwargs) as staging:
        for name, text in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(text, encoding="utf-8")


@pytest.fixture
def thesis(tmp_path) -> Path:
    """A student's folder: a workbook exported from the shipped data and their own notes."""
    folder = tmp_path / "thesis"
    folder.mkdir()
    assert main(["export", str(folder / "ha-giang.xlsx")]) == 0
    (folder / "notes.txt").write_text("three months of work", encoding="utf-8")
    return folder


@pytest.mark.parametrize("out", ["thesis", "thesis/ha-giang.xlsx", "thesis/notes.txt", "."])
def test_reproduce_refuses_an_out_that_would_delete_the_users_files(thesis, out, monkeypatch, capsys):
    monkeypatch.chdir(thesis.parent)
    before = snapshot(thesis.parent)
    assert main(["reproduce", "--data", "thesis/ha-giang.xlsx", "--out", out, "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "refusing" in err and "--out" in err, err
    assert snapshot(thesis.parent) == before


def test_a_folder_without_the_manifest_is_refused_and_a_new_name_suggested(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "essay.docx").write_bytes(b"x")
    with pytest.raises(LaocaiError, match="did not make.*mine-laocai-stats"):
        build(folder, {"a.csv": "1"})
    assert snapshot(folder) == {"essay.docx": b"x"}


def test_a_folder_laocai_stats_made_is_replaced_but_not_with_a_users_file_in_it(tmp_path):
    out = tmp_path / "out"
    build(out, {"a.csv": "1", "sub/b.csv": "2"})
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["created_by"] == "laocai-stats" and manifest["files"] == ["a.csv", "sub/b.csv"]
    build(out, {"c.csv": "3"})
    assert sorted(snapshot(out)) == [MANIFEST, "c.csv"]
    (out / "sub").mkdir()
    (out / "sub" / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(LaocaiError, match="mine.txt, which laocai-stats did not write"):
        build(out, {"d.csv": "4"})
    assert (out / "sub" / "mine.txt").read_text(encoding="utf-8") == "keep"


def test_the_manifest_is_deterministic(tmp_path):
    build(tmp_path / "a", {"x.csv": "1", "y/z.csv": "2"})
    build(tmp_path / "b", {"y/z.csv": "2", "x.csv": "1"})
    assert (tmp_path / "a" / MANIFEST).read_bytes() == (tmp_path / "b" / MANIFEST).read_bytes()


@pytest.mark.parametrize("where", ["root", "home", "shipped data", "inside shipped data", "repository data",
                                   "repository notebooks", "repository", "existing file"])
def test_protected_places_are_refused(where, tmp_path):
    target = {
        "root": Path("/"), "home": Path.home(), "shipped data": default_data_dir(),
        "inside shipped data": default_data_dir() / "new", "repository data": ROOT / "data",
        "repository notebooks": ROOT / "notebooks", "repository": ROOT, "existing file": tmp_path / "notes.txt",
    }[where]
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(LaocaiError, match="refusing"):
        check_output_folder(target)


def test_an_out_inside_or_around_an_input_is_refused_through_a_symlink_too(tmp_path):
    package = tmp_path / "pkg"
    shutil.copytree(default_data_dir(), package)
    (tmp_path / "link").symlink_to(package)
    for out in (package, package / "outputs", tmp_path / "link", tmp_path / "link" / "x", tmp_path):
        with pytest.raises(LaocaiError, match="input"):
            check_output_folder(out, [package])


def test_compare_refuses_an_out_holding_its_inputs(thesis, capsys):
    before = snapshot(thesis)
    assert main(["compare", str(thesis / "ha-giang.xlsx"), "--out", str(thesis)]) == 2
    assert "refusing" in capsys.readouterr().err
    assert snapshot(thesis) == before


def test_export_and_template_never_write_over_an_input_or_the_shipped_data(thesis, capsys):
    workbook = thesis / "ha-giang.xlsx"
    before = workbook.read_bytes()
    assert main(["export", str(workbook), "--data", str(workbook), "--force"]) == 2
    assert workbook.read_bytes() == before
    assert main(["template", str(default_data_dir() / "datapackage.json"), "--force"]) == 2
    assert "refusing" in capsys.readouterr().err


def test_a_failed_run_leaves_the_earlier_folder_byte_identical(tmp_path):
    out = tmp_path / "out"
    build(out, {"a.csv": "1"})
    before = snapshot(out)
    with pytest.raises(RuntimeError):
        with staged_folder(out) as staging:
            (staging / "a.csv").write_text("half", encoding="utf-8")
            raise RuntimeError("a step failed")
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_folder_respects_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        build(tmp_path / "out", {"a.csv": "1"})
    finally:
        os.umask(old)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755


def test_staging_folders_of_dead_runs_are_removed_and_live_ones_kept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".out.staging-{dead_pid}-abcd"
    stale.mkdir()
    (stale / outputs.STAGING_MARKER).touch()  # as staged_folder leaves it
    (stale / "half.csv").write_text("x", encoding="utf-8")
    live = tmp_path / f".out.staging-{os.getppid()}-abcd"
    live.mkdir()
    (live / outputs.STAGING_MARKER).touch()
    build(tmp_path / "out", {"a.csv": "1"})
    assert not stale.exists() and live.exists()


def test_a_folder_that_only_looks_like_a_dead_runs_staging_is_left_alone(tmp_path):
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout)
    mine = tmp_path / f".out.staging-{dead}-notes"  # the user's, with no marker and no manifest
    mine.mkdir()
    (mine / "thesis.docx").write_text("chapter 1", encoding="utf-8")
    aside = tmp_path / f".out.previous-{dead}"
    aside.mkdir()
    (aside / "draft.txt").write_text("mine", encoding="utf-8")
    build(tmp_path / "out", {"a.csv": "1"})
    assert (mine / "thesis.docx").read_text(encoding="utf-8") == "chapter 1"
    assert (aside / "draft.txt").read_text(encoding="utf-8") == "mine"


def test_a_file_dropped_into_the_outputs_during_a_run_is_not_deleted(tmp_path):
    out = tmp_path / "out"
    build(out, {"a.csv": "1"})
    with pytest.raises(LaocaiError, match="which laocai-stats did not write"):
        with staged_folder(out) as staging:
            (staging / "a.csv").write_text("2", encoding="utf-8")
            (out / "notes.txt").write_text("mine", encoding="utf-8")  # while the run works
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine" and snapshot(out)["a.csv"] == b"1"
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "the staging folder is removed"


def test_gitignore_covers_staging_folders():
    ignored = subprocess.run(["git", "check-ignore", "-q", "outputs/../.outputs.staging-123-ab/x"], cwd=ROOT)
    assert ignored.returncode == 0


@pytest.mark.parametrize("code, words", [(errno.EROFS, "read-only"), (errno.ENOSPC, "disk is full"),
                                         (errno.EBUSY, "in use"), (errno.EACCES, "permission")])
def test_file_system_errors_are_one_line_naming_the_folder(tmp_path, monkeypatch, capsys, code, words):
    out = tmp_path / "out"
    build(out, {"a.csv": "1"})
    before = snapshot(out)

    def failing(self, *args, **kwargs):
        raise OSError(code, os.strerror(code), str(self))

    monkeypatch.setattr(outputs, "write_manifest", lambda folder: failing(folder / MANIFEST))
    with pytest.raises(LaocaiError, match=f"cannot write {out}.*{words}"):
        build(out, {"b.csv": "2"})
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_read_only_file_system_for_real(tmp_path, capsys):
    """Needs root (CI runs as root): a read-only bind mount; skipped elsewhere with the reason."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a read-only file system (CI runs it)")
    target = tmp_path / "ro"
    target.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(target)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        assert main(["compare", str(default_data_dir()), "--out", str(target / "out"), "--format", "csv"]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "read-only" in err, err
    finally:
        subprocess.run(["umount", str(target)])


def test_earlier_outputs_a_dead_run_had_moved_aside_are_put_back(tmp_path):
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout)
    build(tmp_path / "made", {"a.csv": "1"})
    aside = tmp_path / f".out.previous-{dead}"
    (tmp_path / "made").rename(aside)  # killed between its two renames: `out` gone, the earlier folder aside
    outputs.remove_stale(tmp_path / "out")
    assert snapshot(tmp_path / "out")["a.csv"] == b"1" and not aside.exists()


def test_a_set_aside_folder_holding_a_file_laocai_stats_did_not_write_is_left_alone(tmp_path):
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout)
    build(tmp_path / "made", {"a.csv": "1"})
    aside = tmp_path / f".out.previous-{dead}"
    (tmp_path / "made").rename(aside)
    (aside / "thesis.docx").write_text("chapter 1", encoding="utf-8")  # saved there by the user since
    build(tmp_path / "out", {"a.csv": "2"})  # `out` exists: a set-aside folder of ours would be removed
    assert (aside / "thesis.docx").read_text(encoding="utf-8") == "chapter 1"
    assert snapshot(tmp_path / "out")["a.csv"] == b"2"
