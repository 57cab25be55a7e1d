"""The data package: it validates, its provenance holds, and every class of bad data is refused with a located message."""
from __future__ import annotations

import json

import pytest
from conftest import edit_csv, edit_descriptor

from laocai_stats import DataError, list_tables, load_table, printed_totals, table_info
from laocai_stats.data.dataset import default_data_dir
from laocai_stats.data.package import read_resource, sha256_of

SHIPPED = default_data_dir()
DESCRIPTOR = json.loads((SHIPPED / "datapackage.json").read_text(encoding="utf-8"))


def test_frictionless_validates_the_descriptor():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(SHIPPED / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_catches_a_damaged_file(package):
    # The same descriptor must fail when a count turns negative: proves the test above can fail.
    frictionless = pytest.importorskip("frictionless")
    edit_csv(package, "press", "press_items,2018,232", "press_items,2018,-232")
    report = frictionless.validate(str(package / "datapackage.json"))
    assert not report.valid


@pytest.mark.parametrize("resource", DESCRIPTOR["resources"], ids=lambda r: r["name"])
def test_every_resource_has_a_matching_checksum(resource):
    assert resource["hash"] == sha256_of(SHIPPED / resource["path"])
    assert resource["bytes"] == (SHIPPED / resource["path"]).stat().st_size


def test_descriptor_carries_the_citation():
    assert DESCRIPTOR["citation"].startswith("Le Thi Xuan Huong and Bui Thi Thu Ha (2024).")
    assert "2583-049X" in DESCRIPTOR["citation"]


@pytest.mark.parametrize("name", list_tables())
def test_every_indicator_has_label_unit_and_kind(name):
    info = table_info(name)
    assert info["caption"] and info["section"] and info["source"]
    for indicator in info["indicators"]:
        assert indicator["label"].strip()
        assert indicator["unit"].strip()
        assert indicator["kind"] in {"flow", "level", "snapshot", "uncertain"}
    expected_kind = {"snapshot"} if name == "agents" else {"flow", "level", "uncertain"}
    assert {i["kind"] for i in info["indicators"]} <= expected_kind


@pytest.mark.parametrize("resource", [r for r in DESCRIPTOR["resources"] if "indicators" in r], ids=lambda r: r["name"])
def test_schema_enum_matches_declared_indicators(resource):
    field = next(f for f in resource["schema"]["fields"] if f["name"] == "indicator")
    assert field["constraints"]["enum"] == [i["name"] for i in resource["indicators"]]


# Each bad-data class: (file to edit, old line, new line, words the message must contain)
BAD_DATA = {
    "wrong type": ("website", "articles,2018,218", "articles,2018,two hundred", ["website.csv", "row 4", "column 'value'", "expected a whole number", "'two hundred'"]),
    "thousands separator": ("website", "visits,2018,48317", 'visits,2018,"48,317"', ["website.csv", "row 9", "column 'value'", "without thousands separators"]),
    "fraction": ("press", "press_items,2016,163", "press_items,2016,16.5", ["press.csv", "row 2", "column 'value'", "expected a whole number"]),
    "negative count": ("press", "press_items,2018,232", "press_items,2018,-232", ["press.csv", "row 4", "column 'value'", "at least 0", "-232"]),
    "duplicate key": ("website", "articles,2017,206", "articles,2016,206", ["website.csv", "row 3", "duplicate key", "indicator='articles', year=2016", "first in row 2"]),
    "unknown indicator": ("publications", "flyers,2016,70312", "leaflets,2016,70312", ["publications.csv", "row 7", "column 'indicator'", "unknown indicator 'leaflets'", "flyers"]),
    "unknown group": ("agents", "agent_staff,school,6", "agent_staff,temple,6", ["agents.csv", "row 8", "column 'group'", "unknown group 'temple'"]),
    "blank year": ("press", "press_items,2019,265", "press_items,,265", ["press.csv", "row 5", "column 'year'", "expected a value"]),
    "implausible year": ("press", "press_items,2019,265", "press_items,265,265", ["press.csv", "row 5", "column 'year'", "expected a year between"]),
    "wrong header": ("website", "indicator,year,value", "indicator,yr,value", ["website.csv", "row 1", "expected the columns indicator, year, value"]),
    "ragged row": ("website", "articles,2018,218", "articles,2018,218,1", ["website.csv", "row 4", "expected 3 cells, found 4"]),
    "negative printed total": ("website_totals", "articles,Total,1116", "articles,Total,-1", ["website_totals.csv", "row 2", "column 'value'"]),
}


@pytest.mark.parametrize("case", BAD_DATA, ids=list(BAD_DATA))
def test_bad_data_is_refused_with_a_located_message(package, case):
    resource, old, new, words = BAD_DATA[case]
    edit_csv(package, resource, old, new)
    table = resource.removesuffix("_totals")
    with pytest.raises(DataError) as caught:
        load_table(table, data=package)
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def test_checksum_mismatch(package):
    edit_csv(package, "press", "press_items,2018,232", "press_items,2018,233", rehash=False)
    with pytest.raises(DataError, match=r"press\.csv: checksum mismatch: datapackage\.json records sha256:"):
        load_table("press", data=package)


def test_missing_file(package):
    (package / "website.csv").unlink()
    with pytest.raises(DataError, match=r"website\.csv: file not found \(resource 'website'"):
        load_table("website", data=package)


def test_missing_descriptor(tmp_path):
    with pytest.raises(DataError, match="descriptor not found"):
        load_table("press", data=tmp_path)


def test_descriptor_that_is_not_json(package):
    (package / "datapackage.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(DataError, match=r"datapackage\.json, row 1, column '3': not valid JSON"):
        load_table("press", data=package)


def test_descriptor_with_an_unknown_kind(package):
    def change(d):
        d["resources"][2]["indicators"][0]["kind"] = "stock"
    edit_descriptor(package, change)
    with pytest.raises(DataError, match=r"\$\.resources\[2\]\.indicators\[0\]\.kind: 'stock' must be one of \['flow', 'level', 'snapshot', 'uncertain'\]"):
        load_table("press", data=package)


def test_descriptor_path_cannot_leave_the_folder(package):
    def change(d):
        d["resources"][0]["path"] = "../agents.csv"
    edit_descriptor(package, change)
    with pytest.raises(DataError, match="leaves the package folder"):
        load_table("agents", data=package)


def test_every_problem_is_collected(package):
    edit_csv(package, "press", "press_items,2018,232", "press_items,2018,-1")
    edit_csv(package, "press", "press_items,2019,265", "press_items,2019,x")
    with pytest.raises(DataError) as caught:
        load_table("press", data=package)
    assert len(caught.value.problems) == 2
    assert "(and 1 more problem;" in str(caught.value)


def test_a_blank_value_is_missing_not_zero(package):
    edit_csv(package, "website", "visits,2018,48317", "visits,2018,")
    frame = load_table("website", data=package)
    value = frame.loc[(frame["indicator"] == "visits") & (frame["year"] == 2018), "value"].iloc[0]
    assert value is not None and str(value) == "<NA>"


def test_an_absent_row_is_missing_too(package):
    edit_csv(package, "website", "visits,2018,48317\n", "")
    frame = load_table("website", data=package)
    assert len(frame) == 10
    assert frame["value"].isna().sum() == 1


def test_a_package_with_other_years_and_rows_out_of_order(package):
    """Nothing assumes 2016-2020: a package for 2011-2013, rows shuffled, loads in order."""
    (package / "website.csv").write_text(
        "indicator,year,value\nvisits,2013,30\narticles,2012,2\nvisits,2011,10\narticles,2011,1\narticles,2013,3\nvisits,2012,20\n",
        encoding="utf-8",
    )
    (package / "website_totals.csv").write_text("indicator,label,value\narticles,Total,6\n", encoding="utf-8")
    from laocai_stats.data.package import rehash

    rehash(package)
    frame = load_table("website", data=package)
    assert frame["year"].tolist() == [2011, 2012, 2013] * 2
    assert frame["value"].tolist() == [1, 2, 3, 10, 20, 30]
    assert printed_totals("website", data=package)["value"].tolist() == [6]
    from laocai_stats import printed_table

    assert printed_table("website", data=package)["Year"].tolist() == ["2011", "2012", "2013", "Total"]


def test_read_resource_reports_all_rows(package):
    edit_csv(package, "press", "press_items,2016,163", "press_items,2016,-1")
    resource = next(r for r in DESCRIPTOR["resources"] if r["name"] == "press")
    _, problems = read_resource(package, resource, None)
    assert any(p.row == 2 and p.column == "value" for p in problems)


def test_a_kind_in_doubt_is_never_summed_and_says_why():
    from laocai_stats import AggregationError, load_table, sum_over_years

    signs = next(i for i in table_info("publications")["indicators"] if i["name"] == "agent_signs")
    assert signs["kind"] == "uncertain" and "never summed" in signs["note"]
    assert "232" in signs["data_note"] and "379" in signs["data_note"]  # the paper's own numbers, in their own note
    frame = load_table("publications")
    values = frame[frame["indicator"] == "agent_signs"]["value"]
    assert int(values.sum()) == 379  # the note's number, from the data
    with pytest.raises(AggregationError, match="uncertain kind"):
        sum_over_years(frame)
