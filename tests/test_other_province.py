"""`reproduce` on another province: other years (2018-2023), other numbers, a blank indicator and a blank table."""
from __future__ import annotations

import csv
import hashlib
import math
from pathlib import Path

import nbformat
import openpyxl
import pytest
from province_helpers import province_workbook

from laocai_stats import DataError
from laocai_stats.run.reproduce import notebook_paths, reproduce

ROOT = Path(__file__).resolve().parents[1]
YEARS = range(2018, 2024)
# Other numbers than Lao Cai's; website visits and the whole of Table 5 (press) are left blank.
VALUES = {
    "coordinating_units": [4, 4, 5, 5, 6, 6],
    "training_conferences": [20, 25, 31, 28, 40, 44],
    "training_attendees": [900, 1100, 1500, 1300, 2000, 2300],
    "post_office_conferences": [3, 5, 8, 8, 12, 15],
    "post_office_attendees": [150, 260, 400, 390, 610, 800],
    "health_insurance_conferences": [10, 12, 11, 15, 18, 21],
    "health_insurance_attendees": [500, 650, 600, 820, 990, 1200],
    "posters": [60, 75, 80, 92, 110, 130],
    "flyers": [5000, 7000, 6500, 9000, 12000, 15000],
    "agent_signs": [30, 30, 45, 50, 62, 70],
    "articles": [210, 260, 300, 340, 390, 450],
}
AGENTS = {"peoples_committee": (120, 110), "post_office": (90, 40)}


def committed_hashes() -> dict[str, str]:
    """Every committed notebook and output file, by path, with its SHA-256."""
    files = list(notebook_paths()) + [p for p in (ROOT / "outputs").rglob("*") if p.is_file()]
    return {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture(scope="module")
def province_run(tmp_path_factory):
    """One real reproduce on the other province's workbook (about 45 s), with hashes of the committed files around it."""
    folder = tmp_path_factory.mktemp("other")
    workbook = province_workbook(folder / "test-province.xlsx", "Somewhere", YEARS, VALUES, agents=AGENTS)
    before = committed_hashes()
    result = reproduce(folder / "out", data=workbook, province="Test Province", jobs=2, progress=False)
    return result, before, committed_hashes()


def rows(province_run, name: str) -> list[dict]:
    with open(province_run[0].out / "tables" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_growth_follows_the_workbook_not_lao_cai(province_run):
    growth = {r["indicator"]: r for r in rows(province_run, "growth")}
    training = growth["training_conferences"]
    assert (training["first_year"], training["last_year"]) == ("2018", "2023")
    assert (float(training["first_value"]), float(training["last_value"])) == (20.0, 44.0)
    assert float(training["cagr"]) == pytest.approx((44 / 20) ** (1 / 5) - 1)
    assert float(growth["flyers"]["last_value"]) == 15000.0
    assert {r["first_year"] for r in growth.values() if r["first_year"]} == {"2018"}
    assert {r["last_year"] for r in growth.values() if r["last_year"]} == {"2023"}


def test_the_blank_indicator_is_missing_not_zero(province_run):
    growth = {r["indicator"]: r for r in rows(province_run, "growth")}
    for name in ("visits", "press_items", "loudspeaker_broadcasts"):
        row = growth[name]
        assert row["first_value"] == row["last_value"] == row["cagr"] == row["trend_growth"] == "", name
        assert row["n_missing"] == "6"
    data = [r for r in rows(province_run, "data_website") if r["indicator"] == "visits"]
    assert [r["year"] for r in data] == [str(y) for y in YEARS]
    assert all(r["value"] == "" for r in data)
    per_article = [r for r in rows(province_run, "ratios") if r["ratio"] == "visits_per_article"]
    assert per_article and all(r["value"] == "" for r in per_article)
    index = [r for r in rows(province_run, "index") if r["indicator"] == "visits"]
    assert index and all(r["index"] == "" for r in index)


def test_figures_leave_out_the_blank_indicator_and_skip_the_blank_table(province_run):
    result = province_run[0]
    figures = result.out / "figures"
    assert sorted(result.skipped) == ["figure press_items_broadcasts: no values in press",
                                      "figure website_visits_per_article: no values in website"]
    assert not (figures / "press_items_broadcasts.svg").exists()
    assert not (figures / "website_visits_per_article.svg").exists()
    svg = (figures / "website_articles_visits.svg").read_text(encoding="utf-8")
    assert "Website articles" in svg and "Website visits" not in svg
    assert "Test Province" in svg
    assert (figures / "overview_growth.png").stat().st_size > 0


def test_notebooks_ran_on_the_other_province_without_errors(province_run):
    out = province_run[0].out / "notebooks"
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in notebook_paths()]
    for path in sorted(out.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        text = path.read_text(encoding="utf-8")
        assert "Test Province" in text, path.name
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                assert output.output_type != "error", (path.name, output.get("evalue"))
    narrative = nbformat.read(out / "05-website.ipynb", as_version=4).cells[-1].outputs[0]["data"]["text/markdown"]
    assert "210 in 2018 to 450 in 2023" in narrative
    assert "**Website visits**: no value in the data." in narrative
    press = nbformat.read(out / "06-press.ipynb", as_version=4)
    assert any("No figure 'press_items_broadcasts'" in o.get("data", {}).get("text/markdown", "")
               for c in press.cells for o in c.get("outputs", []))


def test_the_committed_notebooks_and_outputs_are_untouched(province_run):
    _, before, after = province_run
    assert before == after
    assert any(k.startswith("outputs/") for k in before)


def test_other_years_enter_the_statistics(province_run):
    last = rows(province_run, "last_year_change")
    assert {r["year"] for r in last} == {"2023"}
    share = [r for r in rows(province_run, "share_of_period") if r["indicator"] == "articles"]
    assert math.isclose(sum(float(r["share"]) for r in share), 1.0)
    assert [r["year"] for r in share] == [str(y) for y in YEARS]


def test_a_workbook_with_an_error_stops_before_any_notebook_runs(tmp_path, monkeypatch):
    from laocai_stats.run import reproduce as reproduce_module

    good = province_workbook(tmp_path / "good.xlsx", "Bad Data", YEARS, VALUES)
    wb = openpyxl.load_workbook(good)
    wb["Table 4 website"]["F5"] = -300  # 2020's articles: a negative count
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)

    def never(*args, **kwargs):
        raise AssertionError("a notebook ran on bad data")

    monkeypatch.setattr(reproduce_module, "run_notebooks", never)
    out = tmp_path / "out"
    with pytest.raises(DataError) as caught:
        reproduce(out, data=bad, province="Bad Data", jobs=1, progress=False)
    assert "sheet 'Table 4 website', cell F5" in str(caught.value)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx", "good.xlsx"]
