"""Comparing provinces: shared years, like-with-like growth, ranking with ties and blanks, notes, the CLI and the figure."""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from province_helpers import province_workbook  # noqa: E402

from laocai_stats import LaocaiError  # noqa: E402
from laocai_stats.cli import main
from laocai_stats.data.dataset import default_data_dir
from laocai_stats.publish.compare_figures import growth_figure, plot_province_growth
from laocai_stats.publish.comparison import comparison_markdown
from laocai_stats.stats.compare import compare, rank_provinces

A_VALUES = {"training_conferences": [10, 12, 15, 18, 20], "articles": [100, 110, 121, 133, 146],
            "visits": [1000, 1500, 2000, 2600, 3000], "posters": [40, 50, 60, 70, 80]}
B_VALUES = {"training_conferences": [30, 33, 36, 40, 44, 50], "articles": [50, 60, 72, 80, 90, 100],
            "posters": [20, 25, 30, 30, 35, 40]}


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two")
    a = province_workbook(folder / "a.xlsx", "Alpha", range(2016, 2021), A_VALUES)
    b = province_workbook(folder / "b.xlsx", "Beta", range(2018, 2024), B_VALUES)  # visits left blank
    return a, b, compare([a, b])


def row(frame, **where):
    mask = np.ones(len(frame), dtype=bool)
    for key, value in where.items():
        mask &= (frame[key] == value).to_numpy(dtype=bool)
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


def test_shared_years_are_the_years_every_province_with_values_has(two):
    shared = two[2].shared
    training = row(shared, indicator="training_conferences")
    assert (training["first_shared"], training["last_shared"], training["n_shared"]) == (2018, 2020, 3)
    assert training["years"] == "2018-2020"
    visits = row(shared, indicator="visits")
    assert visits["blank_in"] == "Beta" and visits["provinces"] == 1
    assert visits["years"] == "2016-2020"  # only Alpha has values, so all of its years


def test_levels_side_by_side_over_shared_years_and_missing_stays_missing(two):
    wide = two[2].side_by_side
    training = wide[wide["indicator"] == "training_conferences"]
    assert training["year"].tolist() == [2018, 2019, 2020]
    assert training["Alpha"].tolist() == [15, 18, 20]
    assert training["Beta"].tolist() == [30, 33, 36]
    visits = wide[wide["indicator"] == "visits"]
    assert visits["Alpha"].tolist() == [1000, 1500, 2000, 2600, 3000]
    assert visits["Beta"].isna().all()  # blank, not zero
    assert not (wide[["Alpha", "Beta"]] == 0).any().any()


def test_growth_over_shared_years_and_over_own_years(two):
    growth = two[2].growth
    alpha = row(growth, province="Alpha", indicator="training_conferences")
    beta = row(growth, province="Beta", indicator="training_conferences")
    assert alpha["cagr_shared"] == pytest.approx((20 / 15) ** 0.5 - 1)
    assert beta["cagr_shared"] == pytest.approx((36 / 30) ** 0.5 - 1)
    assert alpha["cagr_own"] == pytest.approx((20 / 10) ** 0.25 - 1)
    assert beta["cagr_own"] == pytest.approx((50 / 30) ** 0.2 - 1)
    assert (beta["first_year_own"], beta["last_year_own"]) == (2018, 2023)
    assert beta["trend_n_shared"] == 3 and beta["trend_n_own"] == 6
    assert beta["trend_growth_low_own"] < beta["trend_growth_own"] < beta["trend_growth_high_own"]
    blank = row(growth, province="Beta", indicator="visits")
    assert pd.isna(blank["cagr_shared"]) and pd.isna(blank["cagr_own"]) and pd.isna(blank["trend_growth_own"])


def test_index_starts_at_100_in_the_first_shared_year(two):
    index = two[2].index
    training = index[index["indicator"] == "training_conferences"]
    assert training["year"].tolist() == [2018, 2019, 2020]
    assert training["Alpha"].tolist() == pytest.approx([100, 120, 400 / 3])
    assert training["Beta"].tolist() == pytest.approx([100, 110, 120])


def test_per_unit_ratios_side_by_side(two):
    ratios = two[2].ratios
    per_article = ratios[ratios["ratio"] == "visits_per_article"]
    assert per_article["Alpha"].tolist() == pytest.approx([10, 1500 / 110, 2000 / 121, 2600 / 133, 3000 / 146])
    assert per_article["Beta"].isna().all()


def test_ranking_by_cagr_over_shared_years(two):
    ranking = two[2].ranking
    training = ranking[ranking["indicator"] == "training_conferences"]
    assert training["province"].tolist() == ["Alpha", "Beta"]  # 15.5 % against 9.5 % a year over 2018-2020
    assert training["rank"].tolist() == [1, 2] and set(training["of"]) == {2}
    visits = ranking[ranking["indicator"] == "visits"]
    assert visits["province"].tolist() == ["Alpha", "Beta"]
    assert visits["rank"].iloc[0] == 1 and pd.isna(visits["rank"].iloc[1])


def test_notes_say_where_years_and_indicators_differ(two):
    notes = two[2].notes["note"].tolist()
    assert "the data sets cover different years: Alpha 2016-2020; Beta 2018-2023" in notes
    assert ("training_conferences: years with a value differ (Alpha 2016-2020; Beta 2018-2023): "
            "compared over 2018-2020 only") in notes
    assert "visits is blank for Beta: left out of its comparison and its ranking" in notes
    assert "visits_per_article is blank for Beta: left out of its comparison and the ratio table" in notes


def test_the_narrative_is_computed_from_the_comparison(two):
    text = comparison_markdown(two[2])
    assert "### 2 provinces compared: Alpha, Beta" in text
    assert "- **Beta** (b.xlsx): 5 tables, years 2018-2023." in text
    assert "Alpha, 15.5 % a year over 2018-2020 (2 provinces ranked)" in text


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """Five provinces over the same years: two tie on posters, one leaves posters blank."""
    folder = tmp_path_factory.mktemp("many")
    posters = {"P1": [100, 120, 140, 170, 200], "P2": [50, 60, 70, 85, 100], "P3": [100, 110, 120, 140, 150],
               "P4": [100, 150, 200, 250, 300], "P5": None}
    paths = []
    for name, series in posters.items():
        values = {"articles": [10, 20, 30, 40, 50]}
        if series:
            values["posters"] = series
        paths.append(province_workbook(folder / f"{name.lower()}.xlsx", name, range(2016, 2021), values))
    return paths, compare(paths)


def test_many_provinces_rank_with_ties_and_blanks(many):
    ranking = many[1].ranking
    posters = ranking[ranking["indicator"] == "posters"]
    assert posters["province"].tolist() == ["P4", "P1", "P2", "P3", "P5"]
    assert posters["rank"].tolist()[:4] == [1, 2, 2, 4] and pd.isna(posters["rank"].iloc[4])
    assert posters["tied"].tolist() == [False, True, True, False, False]
    assert set(posters["of"]) == {4}
    notes = many[1].notes["note"].tolist()
    assert "posters: P1, P2 tie at rank 2 (equal CAGR)" in notes
    assert "posters is blank for P5: left out of its comparison and its ranking" in notes
    assert not any("years" in n and "differ" in n for n in notes)  # same years everywhere: nothing to say
    articles = ranking[ranking["indicator"] == "articles"]
    assert articles["rank"].tolist() == [1] * 5 and articles["tied"].all()


def test_ranking_is_a_pure_function_of_the_growth_frame(many):
    growth = many[1].growth
    before = growth.copy()
    again = rank_provinces(growth)
    pd.testing.assert_frame_equal(growth, before)
    pd.testing.assert_frame_equal(again, many[1].ranking)


def test_the_shipped_package_compares_with_a_workbook(two):
    result = compare([default_data_dir(), two[1]])
    assert list(result.provinces["province"]) == ["Lao Cai", "Beta"]
    training = row(result.growth, province="Lao Cai", indicator="training_conferences")
    assert training["cagr_shared"] == pytest.approx((107 / 68) ** 0.5 - 1)  # Table 2, 2018 and 2020
    assert training["cagr_own"] == pytest.approx((107 / 38) ** 0.25 - 1)


def test_same_province_names_are_told_apart_or_refused(tmp_path):
    one = province_workbook(tmp_path / "one.xlsx", "Ha Giang", range(2016, 2021), A_VALUES)
    two = province_workbook(tmp_path / "two.xlsx", "Ha Giang", range(2016, 2021), A_VALUES)
    result = compare([one, two])
    assert list(result.provinces["province"]) == ["Ha Giang (one.xlsx)", "Ha Giang (two.xlsx)"]
    assert any("told apart by file name" in n for n in result.notes["note"])
    (tmp_path / "copy").mkdir()
    same = province_workbook(tmp_path / "copy" / "one.xlsx", "Ha Giang", range(2016, 2021), A_VALUES)
    with pytest.raises(LaocaiError, match="are called 'Ha Giang' and have the same file name"):
        compare([one, same])


def test_the_figure_plots_the_computed_cagrs(two):
    growth = two[2].growth
    fig, ax = plt.subplots()
    try:
        plot_province_growth(growth, indicator="visits", ax=ax)
        dots = next(line for line in ax.get_lines() if line.get_gid() == "cagr")
        x = np.asarray(dots.get_xdata(), dtype=float)
        expected = growth[growth["indicator"] == "visits"]["cagr_shared"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        np.testing.assert_allclose(x, expected)
        assert np.isnan(x[1])  # Beta's blank: no dot, never a zero
        assert [t.get_text() for t in ax.get_yticklabels()] == ["Alpha", "Beta"]
        assert "n/a" in [t.get_text() for t in ax.texts]
    finally:
        plt.close(fig)
    fig = growth_figure(two[2], "conferences")
    try:
        panels = [ax for ax in fig.axes if ax.get_visible()]
        assert len(panels) == 7
        first = next(line for line in panels[1].get_lines() if line.get_gid() == "cagr")
        training = growth[growth["indicator"] == "training_conferences"]["cagr_shared"].astype(float)
        np.testing.assert_allclose(first.get_xdata(), training)
    finally:
        plt.close(fig)


def test_cli_prints_the_ranking_and_notes_and_writes_everything(two, tmp_path, capsys):
    a, b, _ = two
    out = tmp_path / "compared"
    assert main(["compare", str(a), str(b), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Ranking by CAGR over the years the provinces share" in printed
    assert "- visits is blank for Beta: left out of its comparison and its ranking" in printed
    for name in ("side_by_side", "growth", "ranking", "notes", "index", "ratios", "shared_years", "provinces"):
        assert (out / f"{name}.csv").stat().st_size > 0
    for table in ("conferences", "publications", "website"):
        assert (out / "figures" / f"growth_{table}.png").stat().st_size > 0
    assert not list((out / "figures").glob("*.svg"))  # PNG only unless asked
    assert not (out / "figures" / "growth_press.png").exists()  # no province has a value in it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compared"]  # no staging folder left
    with open(out / "ranking.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["province"] for r in rows if r["indicator"] == "training_conferences"] == ["Alpha", "Beta"]
    assert main(["compare", str(a), str(b), "--format", "csv"]) == 0
    ranking_csv = capsys.readouterr().out.split("\n\n")[0]
    assert list(csv.DictReader(io.StringIO(ranking_csv)))[0]["province"] == "Alpha"


def test_compare_svg_on_request_and_every_figure_byte_identical_run_to_run(two, tmp_path, capsys):
    a, b, _ = two
    for run in ("one", "two"):
        assert main(["compare", str(a), str(b), "--out", str(tmp_path / run), "--svg"]) == 0
    capsys.readouterr()
    figures = sorted(p.name for p in (tmp_path / "one" / "figures").iterdir())
    assert figures == sorted(f"growth_{t}.{s}" for t in ("conferences", "publications", "website") for s in ("png", "svg"))
    for name in figures:
        assert (tmp_path / "one" / "figures" / name).read_bytes() == (tmp_path / "two" / "figures" / name).read_bytes(), name


def test_with_many_provinces_a_tables_panels_share_one_row_and_span_the_dots():
    from laocai_stats.publish.compare_figures import MANY_PROVINCES

    n = MANY_PROVINCES + 1
    provinces = [f"P{i:02d}" for i in range(n)]
    rates = np.linspace(-0.1, 0.3, n)
    growth = pd.DataFrame({
        "province": provinces * 2, "table": "t", "indicator": ["a"] * n + ["b"] * n,
        "cagr_shared": np.r_[rates, rates], "trend_growth_shared": np.r_[rates, rates],
        # One very wide interval must not squeeze the other dots into a sliver.
        "trend_growth_low_shared": np.r_[rates - 0.01, rates - 0.01], "trend_growth_high_shared": np.r_[rates + 0.01, rates + 5.0],
    })
    comparison = SimpleNamespace(growth=growth, labels={},
                                 shared=pd.DataFrame({"table": ["t", "t"], "indicator": ["a", "b"], "years": ["2016-2020"] * 2}),
                                 provinces=pd.DataFrame({"source": [f"{p}.xlsx" for p in provinces]}))
    fig = growth_figure(comparison, "t")
    try:
        panels = [ax for ax in fig.axes if ax.get_visible()]
        assert len(panels) == 2
        assert panels[0].get_position().y0 == pytest.approx(panels[1].get_position().y0)  # one row
        for ax in panels:
            low, high = ax.get_xlim()
            assert low < -0.1 and 0.3 < high < 0.5
        # Each province named once, on its own row, in the first panel (as texts: a tick per row costs too much).
        assert [(t.get_text(), t.get_position()[1]) for t in panels[0].texts] == [(p, i) for i, p in enumerate(provinces)]
        assert not panels[1].texts and not panels[1].get_yticklabels()
    finally:
        plt.close(fig)


def test_cli_refuses_a_bad_workbook_with_its_located_message(two, tmp_path):
    a, b, _ = two
    wb = openpyxl.load_workbook(b)
    wb["Table 4 website"]["F5"] = -30  # 2020's articles: a negative count
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "laocai_stats", "compare", str(a), str(bad), "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert f"{bad}, sheet 'Table 4 website', cell F5" in lines[0]
    assert not out.exists() and result.stdout == ""


def test_cli_exit_status_2_for_a_missing_file(tmp_path, capsys):
    assert main(["compare", str(tmp_path / "nowhere.xlsx")]) == 2
    assert "nowhere.xlsx: not found" in capsys.readouterr().err


def test_compare_with_figures_imports_neither_seaborn_nor_scipy_stats(two, tmp_path):
    # Half a second of every `compare`: its figures are plain matplotlib, its statistics need no scipy.stats.
    a, b, _ = two
    probe = ("import sys\nfrom laocai_stats.cli import main\n"
             f"assert main(['compare', {str(a)!r}, {str(b)!r}, '--out', {str(tmp_path / 'out')!r}]) == 0\n"
             "print(sorted(m for m in sys.modules if m == 'seaborn' or m.startswith('scipy.stats')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "figures" / "growth_conferences.png").stat().st_size > 0
