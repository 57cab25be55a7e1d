"""The `template` and `export` commands: files written, bad arguments refused on one line with status 2."""
from __future__ import annotations

import pandas as pd
import pytest

from laocai_stats import LaocaiError, load_table, open_dataset
from laocai_stats.cli import main
from laocai_stats.cli.workbook_commands import parse_years


def test_template_command(tmp_path, capsys):
    out = tmp_path / "hg.xlsx"
    assert main(["template", str(out), "--province", "Ha Giang", "--years", "2019-2023"]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    frame = load_table("press", out)
    assert sorted(frame["year"].unique()) == [2019, 2020, 2021, 2022, 2023]
    assert open_dataset(out).province == "Ha Giang"


def test_export_command_round_trip(tmp_path, capsys):
    out = tmp_path / "lc.xlsx"
    assert main(["export", str(out)]) == 0
    assert "Lao Cai" in capsys.readouterr().out
    pd.testing.assert_frame_equal(load_table("publications", out), load_table("publications"))
    again = tmp_path / "again.xlsx"
    assert main(["export", str(again), "--data", str(out)]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_existing_file_is_kept_unless_forced(tmp_path, capsys):
    out = tmp_path / "mine.xlsx"
    out.write_bytes(b"a filled workbook")
    assert main(["template", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"laocai-stats: error: {out} already exists; choose another name, or add --force to replace it\n"
    assert out.read_bytes() == b"a filled workbook"
    assert main(["export", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"PK")


@pytest.mark.parametrize("years, message", [
    ("2019 to 2023", None),
    ("2023-2019", "runs backwards"),
    ("nineteen", "expected a range such as 2019-2023"),
    ("1850-1860", "expected years between 1900 and 2100"),
])
def test_years_option(tmp_path, capsys, years, message):
    out = tmp_path / "t.xlsx"
    status = main(["template", str(out), "--years", years])
    if message is None:
        assert status == 0 and out.exists()
        return
    assert status == 2 and not out.exists()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_parse_years():
    assert parse_years("2019-2023") == [2019, 2020, 2021, 2022, 2023]
    assert parse_years("2020") == [2020]
    assert parse_years("2016–2020") == [2016, 2017, 2018, 2019, 2020]
    with pytest.raises(LaocaiError):
        parse_years("2019-")
