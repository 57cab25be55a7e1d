"""Working in Vietnamese: the catalogue, the template, validate, reproduce and compare in the data's language."""
from __future__ import annotations

import csv
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from laocai_stats import open_dataset
from laocai_stats.data.dataset import default_data_dir
from laocai_stats.text import LOCALES_DIR, languages, number, percent, use_language
from laocai_stats.workbook.layout import FORMAT_VERSION, reference_specs
from laocai_stats.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parents[1]
PROVINCE_NFD = unicodedata.normalize("NFD", "Hà Giang")
SOURCE = "Báo cáo công tác tuyên truyền năm 2016-2020, Bảo hiểm xã hội tỉnh Hà Giang"
# Letters only Vietnamese uses (among the languages laocai-stats speaks): a text holding one is Vietnamese.
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèéìíòóùúýõĩũ]", re.IGNORECASE)


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "laocai_stats", *map(str, args)], capture_output=True, text=True, timeout=300)


# ---------------------------------------------------------------------------------------------
# Numbers and the catalogue

def test_numbers_follow_the_language_and_english_is_unchanged():
    assert (number(1263), percent(0.295), number(0.5, 1)) == ("1,263", "29.5 %", "0.5")
    with use_language("vi"):
        assert (number(1263), percent(0.295), number(0.5, 1), number(1263000)) == ("1.263", "29,5 %", "0,5", "1.263.000")
        assert percent(-0.038) == "-3,8 %"
    assert number(1263) == "1,263"  # the language is back to English after the block


def test_vietnamese_is_offered_and_an_unknown_language_is_refused():
    assert languages() == ("en", "vi")
    with pytest.raises(ValueError, match="unknown language 'fr'; expected one of: en, vi"):
        with use_language("fr"):
            pass


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{(\w*)\}", text))


def test_every_message_of_the_code_has_a_checked_vietnamese_translation():
    """Babel's extraction of every `_`/`N_` message in the package; each must be translated, fuzzy-free, with the same
    {placeholders}, or a Vietnamese user sees English (or a KeyError) where the message is shown."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    keywords = {"_": None, "N_": None, "pgettext": ((1, "c"), 2), "NC_": ((1, "c"), 2)}
    extracted = {(context, message) for _file, _line, message, _comments, context in
                 extract_from_dir(ROOT / "laocai_stats", method_map=[("**.py", "python")], keywords=keywords)
                 if isinstance(message, str)}
    assert len(extracted) > 250
    with (LOCALES_DIR / "vi" / "LC_MESSAGES" / "laocai_stats.po").open("rb") as handle:
        catalogue = {(m.context, m.id): m for m in read_po(handle) if m.id}
    untranslated = sorted(m for _c, m in extracted if (_c, m) not in catalogue or not catalogue[_c, m].string or catalogue[_c, m].fuzzy)
    assert untranslated == [], "untranslated (see README, Working in Vietnamese): " + "; ".join(untranslated[:5])
    for message in catalogue.values():
        assert _placeholders(message.id) == _placeholders(message.string), message.id


def test_every_csv_column_has_a_heading_for_tables_xlsx():
    from laocai_stats.publish.tables_workbook import COLUMN_HEADINGS

    columns = {c for path in (ROOT / "outputs" / "tables").glob("*.csv")
               for c in path.read_text(encoding="utf-8").splitlines()[0].split(",")}
    assert columns - set(COLUMN_HEADINGS) == set()
    with use_language("vi"):
        from laocai_stats.text import pgettext

        assert [c for c in columns if pgettext("column", c) == c] == []


def test_the_descriptor_carries_vietnamese_beside_every_english_label():
    for spec in reference_specs().values():
        for indicator in spec.indicators:  # the notes the narrative quotes ("What the indicators count")
            assert not indicator.note or VIETNAMESE.search(indicator.translations["vi"].get("note", "")), indicator.name
        assert VIETNAMESE.search(spec.translations["vi"]["caption"]), spec.name
        for item in (*spec.indicators, *spec.groups):
            assert VIETNAMESE.search(item.translations["vi"]["label"]), item.name
        with use_language("vi"):
            assert {i.text("unit") for i in spec.indicators}.isdisjoint({i.unit for i in spec.indicators})


# ---------------------------------------------------------------------------------------------
# The template

def _texts(path: Path) -> dict[tuple[str, str], str]:
    """(sheet position, cell) -> text of every text cell, plus the sheet names and data-validation messages."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for n, ws in enumerate(wb.worksheets):
        out[(str(n), "title")] = ws.title
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    out[(str(n), cell.coordinate)] = cell.value
        for k, dv in enumerate(ws.data_validations.dataValidation):
            for attr in ("errorTitle", "error", "promptTitle", "prompt"):
                if getattr(dv, attr):
                    out[(str(n), f"validation {k} {attr}")] = getattr(dv, attr)
    return out


def test_template_in_vietnamese_leaves_no_english_text_outside_ids(tmp_path):
    english = _texts(write_workbook(None, tmp_path / "en.xlsx", province="Hà Giang"))
    result = cli("template", tmp_path / "vi.xlsx", "--lang", "vi", "--province", "Hà Giang")
    assert result.returncode == 0, result.stderr
    vietnamese = _texts(tmp_path / "vi.xlsx")
    ids = {i.name for s in reference_specs().values() for i in s.indicators} | \
          {g.name for s in reference_specs().values() for g in s.groups}
    # What may stay the same in both languages: ids, row numbers, the format tag, the data set's name (a slug such as
    # ha-giang-communication-2016-2020) and the province's name.
    same = {key: text for key, text in vietnamese.items() if english.get(key) == text}
    allowed = ids | {FORMAT_VERSION, "Hà Giang"}
    left = {key: text for key, text in same.items()
            if text not in allowed and not re.fullmatch(r"[\d.]+|[a-z0-9]+(?:-[a-z0-9]+)+", text) and not VIETNAMESE.search(text)}
    assert left == {}, f"English left in the Vietnamese template: {left}"
    assert len(vietnamese) >= len(english)
    about = openpyxl.load_workbook(tmp_path / "vi.xlsx")["Thông tin chung"]
    assert ["Ngôn ngữ", "vi"] in [[c.value for c in row][:2] for row in about.iter_rows()]


def test_english_template_is_unchanged_by_the_catalogue(tmp_path):
    """English stays the default: sheet names and headings as before, so English workbooks read as they did."""
    wb = openpyxl.load_workbook(write_workbook(None, tmp_path / "en.xlsx"))
    assert wb.sheetnames[:3] == ["Instructions", "About", "Table 1 agents"] and wb.sheetnames[-1] == "Sources"
    assert [c.value for c in wb["Table 3 publications"][4]][:3] == ["Id", "Indicator", "Unit"]


# ---------------------------------------------------------------------------------------------
# A workbook filled in Vietnamese, end to end

def _fill(path: Path) -> Path:
    """The Vietnamese template filled: Lao Cai's numbers plus 1000 (so that Vietnamese thousands show), the
    province's own sources, its name typed in NFD as some keyboards do."""
    laocai = open_dataset(None)
    write_workbook(None, path, province=PROVINCE_NFD, lang="vi")
    wb = openpyxl.load_workbook(path)
    for spec in laocai.specs.values():
        ws = next(ws for ws in wb.worksheets if ws.title.startswith(f"Bảng {spec.number} "))
        ws["B2"] = SOURCE
        rows = laocai.table(spec.name).rows
        header = [c.value for c in ws[4]]
        if spec.keyed_by == "year":
            columns = {v: n + 1 for n, v in enumerate(header) if isinstance(v, int)}
            for row in ws.iter_rows(min_row=5):
                ident = row[0].value
                for r in rows[rows["indicator"] == ident].itertuples():
                    if r.value is not None and r.value == r.value:
                        ws.cell(row[0].row, columns[int(r.year)], int(r.value) + 1000)
        else:
            with use_language("vi"):
                columns = {i.name: header.index(f"{i.text('label')} ({i.text('unit')})") + 1 for i in spec.indicators}
            for row in ws.iter_rows(min_row=5):
                for r in rows[rows["group"] == row[0].value].itertuples():
                    if r.value == r.value and r.value is not None:
                        ws.cell(row[0].row, columns[r.indicator], int(r.value))
    wb.save(path)
    return path


@pytest.fixture(scope="session")
def vi_workbook(tmp_path_factory) -> Path:
    return _fill(tmp_path_factory.mktemp("vi") / "hà giang.xlsx")


@pytest.fixture(scope="session")
def vi_outputs(vi_workbook, tmp_path_factory) -> Path:
    from laocai_stats.run.reproduce import reproduce

    out = tmp_path_factory.mktemp("vi-out") / "out"
    reproduce(out, data=vi_workbook, progress=False, notebooks=False)
    return out


def test_a_vietnamese_workbook_reads_as_the_numbers_typed(vi_workbook):
    dataset = open_dataset(vi_workbook)
    assert dataset.language == "vi"
    laocai = open_dataset(None)
    for name in ("conferences", "publications", "website", "press"):
        typed = dataset.table(name).rows["value"].astype("Float64")
        assert (typed == laocai.table(name).rows["value"].astype("Float64") + 1000).fillna(True).all(), name
    assert dataset.spec("publications").source == SOURCE


def test_validate_answers_in_the_workbooks_language(vi_workbook, tmp_path):
    broken = tmp_path / "broken.xlsx"
    wb = openpyxl.load_workbook(vi_workbook)
    wb["Bảng 4 cổng thông tin"]["E5"] = "abc"
    wb.save(broken)
    result = cli("validate", broken)
    assert result.returncode == 2
    assert "lỗi: " in result.stdout and "trang tính 'Bảng 4 cổng thông tin', ô E5: cần một số nguyên" in result.stdout
    assert "hãy sửa các lỗi trên rồi kiểm tra lại" in result.stderr
    assert "expected" not in result.stdout
    english = tmp_path / "english.xlsx"
    write_workbook(open_dataset(vi_workbook), english, lang="en")
    wb = openpyxl.load_workbook(english)
    wb["Table 4 website"]["E5"] = "abc"
    wb.save(english)
    result = cli("validate", english)
    assert "error: " in result.stdout and "cell E5: expected a whole number" in result.stdout


def test_reproduce_writes_vietnamese_for_a_vietnamese_workbook(vi_outputs):
    report = (vi_outputs / "report" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in report
    assert "<h2>Tóm tắt tăng trưởng</h2>" in report and "Growth summary" not in report
    assert re.search(r"\d,\d %", report) and not re.search(r"\d\.\d %", report)
    assert re.search(r">\d{1,3}\.\d{3}<", report)  # a first or last value with Vietnamese thousands
    svg = (vi_outputs / "figures" / "publications_by_kind.svg").read_text(encoding="utf-8")
    assert "Tuyên truyền trực quan và ấn phẩm" in svg and "Năm" in svg
    tables = openpyxl.load_workbook(vi_outputs / "tables" / "tables.xlsx")
    assert tables.sheetnames[0] == "Mục lục"
    assert [c.value for c in tables["growth"][1]][:4] == ["Tỉnh", "Bảng", "Chỉ tiêu", "Đơn vị tính"]  # the province column first (issue 12)


def test_csvs_keep_the_machine_format_in_vietnamese(vi_outputs):
    with (vi_outputs / "tables" / "growth.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    english = (ROOT / "outputs" / "tables" / "growth.csv").read_text(encoding="utf-8").splitlines()[0]
    assert ",".join(rows[0]) == english  # the same English column names
    float(rows[0]["cagr"]), int(float(rows[0]["first_value"]))  # plain numbers, a point for decimals
    assert not any("," in row["first_value"] or " %" in row["cagr"] for row in rows)


def test_narrative_is_vietnamese_with_vietnamese_numbers(vi_workbook):
    from laocai_stats.publish import narrative

    text = narrative.table_narrative("publications", open_dataset(vi_workbook))
    assert text.startswith("### Bảng 3 cho thấy gì về")
    assert re.search(r"từ \d{1,3}\.\d{3} năm 2016", text) and re.search(r"\d+,\d %", text)
    assert "Kendall's tau" not in text and "a year" not in text
    # --lang overrides the data's language
    assert narrative.table_narrative("publications", open_dataset(vi_workbook, lang="en")).startswith("### What Table 3 shows")


def test_lao_cai_in_vietnamese_on_request_and_in_english_by_default():
    from laocai_stats.publish import narrative

    assert narrative.overview_narrative(open_dataset(None)).startswith("### Lao Cai at a glance")
    assert narrative.overview_narrative(open_dataset(None, lang="vi")).startswith("### Tổng quan về Lao Cai")


def test_compare_with_lao_cai_speaks_the_first_data_sets_language(vi_workbook, tmp_path):
    result = cli("compare", vi_workbook, default_data_dir(), "--out", tmp_path / "cmp", "--svg")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Xếp hạng theo CAGR") and re.search(r"\d,\d %", result.stdout)
    svg = (tmp_path / "cmp" / "figures" / "growth_publications.svg").read_text(encoding="utf-8")
    assert "Tăng trưởng theo tỉnh" in svg
    english = cli("compare", vi_workbook, default_data_dir(), "--lang", "en")
    assert english.stdout.startswith("Ranking by CAGR")


def test_the_comparisons_notes_speak_the_runs_language(vi_workbook):
    from laocai_stats.stats.compare import compare

    with use_language("vi"):
        notes = compare([vi_workbook, default_data_dir()]).notes["note"].tolist()
    assert notes, "the Vietnamese workbook differs from Lao Cai's data: the comparison has notes"
    english = ("left out of its comparison", "is blank for", "cover different years", "tie at rank", "not ranked",
               "is not in", "is not reported by", "counts by")
    assert [n for n in notes if any(e in n for e in english)] == []


def test_the_catalogue_defines_each_message_once():
    """Babel keeps the last of two definitions silently; `msgfmt -c` refuses the file."""
    text = (LOCALES_DIR / "vi" / "LC_MESSAGES" / "laocai_stats.po").read_text(encoding="utf-8")
    keys = re.findall(r'^(?:msgctxt ("(?:[^"\\]|\\.)*")\n)?msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr', text, flags=re.M)
    assert len(keys) > 250
    assert [k for k in set(keys) if keys.count(k) > 1] == []


def test_the_wheel_carries_the_catalogue(built_wheel):
    """The catalogue is read at run time, so an installed laocai-stats must hold the .po file (the wheel: conftest.py)."""
    wheel = built_wheel
    assert "laocai_stats/locales/vi/LC_MESSAGES/laocai_stats.po" in zipfile.ZipFile(wheel).namelist()


# ---------------------------------------------------------------------------------------------
# A Vietnamese workbook with the province's own rows and table (issue 12's test, in Vietnamese)

def _header(ws) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[4] if c.value is not None}


def _own_rows(path: Path) -> Path:
    """The filled Vietnamese workbook, plus an indicator added to Table 3, one of Table 5 deleted, and a Table 6."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Bảng 3 ấn phẩm"]
    head = _header(ws)
    row = max(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value) + 1
    ws.cell(row, head["Chỉ tiêu"], "Bài đăng trên Facebook")
    ws.cell(row, head["Đơn vị tính"], "bài")
    ws.cell(row, head["Loại"], "phát sinh")
    ws.cell(row, head["Kênh"], "gián tiếp")
    for n, year in enumerate(range(2016, 2021)):
        ws.cell(row, head[str(year)], 1200 + 300 * n)
    ws = wb["Bảng 5 báo chí"]
    ws.delete_rows(next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "loudspeaker_broadcasts"))
    table6 = wb.copy_worksheet(wb["Bảng 4 cổng thông tin"])
    table6.title = "Bảng 6 mạng xã hội"
    table6["A1"] = "Bảng 6: Tuyên truyền trên mạng xã hội"
    table6["B2"] = SOURCE
    head = _header(table6)
    rows = [("Lượt chia sẻ bài viết", "lượt", "phát sinh", "gián tiếp", [2100, 2500, 3900, 4800, 6100]),
            ("Số trang Zalo hoạt động", "trang", "hiện có", "", [3, 4, 4, 6, 7])]
    for r in range(5, table6.max_row + 1):
        for c in range(1, table6.max_column + 1):
            table6.cell(r, c).value = None
    for offset, (label, unit, kind, channel, values) in enumerate(rows):
        r = 5 + offset
        table6.cell(r, head["Chỉ tiêu"], label)
        table6.cell(r, head["Đơn vị tính"], unit)
        table6.cell(r, head["Loại"], kind)
        table6.cell(r, head["Kênh"], channel or None)
        for year, value in zip(range(2016, 2021), values):
            table6.cell(r, head[str(year)], value)
    wb.save(path)
    return path


@pytest.fixture(scope="session")
def vi_own_outputs(vi_workbook, tmp_path_factory) -> tuple[Path, Path]:
    from laocai_stats.run.reproduce import reproduce

    folder = tmp_path_factory.mktemp("vi-own")
    workbook = _own_rows(Path(__import__("shutil").copy(vi_workbook, folder / "hà giang riêng.xlsx")))
    reproduce(folder / "out", data=workbook, progress=False, notebooks=False)
    return workbook, folder / "out"


def test_own_rows_and_table_in_vietnamese_run_end_to_end(vi_own_outputs):
    workbook, out = vi_own_outputs
    result = cli("validate", workbook)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "chỉ tiêu mới 'bai_dang_tren_facebook'" in result.stdout
    assert "bảng mới 'mang_xa_hoi'" in result.stdout
    dataset = open_dataset(workbook)
    assert dataset.province == "Hà Giang" == unicodedata.normalize("NFC", PROVINCE_NFD)
    added = dataset.spec("publications").indicator("bai_dang_tren_facebook")
    assert (added.kind, added.channel) == ("flow", "indirect")
    assert [i.name for i in dataset.spec("press").not_reported] == ["loudspeaker_broadcasts"]
    table6 = dataset.spec("mang_xa_hoi")
    assert [(i.kind, i.channel) for i in table6.indicators] == [("flow", "indirect"), ("level", None)]
    with (out / "tables" / "growth.csv").open(encoding="utf-8") as handle:
        growth = {(r["table"], r["indicator"]): r for r in csv.DictReader(handle)}
    assert float(growth["publications", "bai_dang_tren_facebook"]["cagr"]) > 0
    assert {i.name for i in table6.indicators} <= {i for t, i in growth if t == "mang_xa_hoi"}
    assert {r["province"] for r in growth.values()} == {"Hà Giang"}
    report = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in report and "Hà Giang" in report and PROVINCE_NFD not in report
    assert SOURCE in report and "Lao Cai Provincial Social Security" not in report
    assert "<td>Bảng 6</td><td>Tuyên truyền trên mạng xã hội</td>" in report  # the new table, its number in Vietnamese
    assert "Mỗi chỉ tiêu của Bảng 6 theo năm (Tuyên truyền trên mạng xã hội)" in report  # its figure's caption
    assert any("Bảng 6" in (out / "figures" / p.name).read_text(encoding="utf-8") for p in (out / "figures").glob("table6_*.svg"))
    tables = openpyxl.load_workbook(out / "tables" / "tables.xlsx")
    assert [c.value for c in tables["growth"][1]][:2] == ["Tỉnh", "Bảng"]


# ---------------------------------------------------------------------------------------------
# Nothing English left where the data are Vietnamese: the notebooks, the audit, the lower layers' words

def _english_fragments() -> list[str]:
    """The English of every catalogue message that has a Vietnamese translation, cut at its {placeholders} and
    Markdown markup: the runs of at least four words a Vietnamese output must never hold."""
    from babel.messages.pofile import read_po

    with (LOCALES_DIR / "vi" / "LC_MESSAGES" / "laocai_stats.po").open("rb") as handle:
        messages = [m for m in read_po(handle) if m.id and isinstance(m.id, str) and m.string and m.string != m.id]
    fragments = set()
    for message in messages:
        for part in re.split(r"\{\w*\}|\*\*|[`*#|]|\n", message.id):
            part = part.strip(" .,:;()-")
            if len(re.findall(r"[A-Za-z']+", part)) >= 4:
                fragments.add(part)
    return sorted(fragments)


def _people_text(folder: Path) -> dict[str, str]:
    """The text people read in an output folder: report pages (code cells and tags dropped), Markdown, the figures'
    words, the Contents and headings of tables.xlsx."""
    import html as html_module

    texts = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".html":
            page = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
            page = re.sub(r'<div class="jp-Cell jp-CodeCell.*?<div class="jp-Cell-outputWrapper', " ", page, flags=re.S)
            page = re.sub(r"<(code|pre)\b.*?</\1>", " ", page, flags=re.S)
            texts[str(path)] = html_module.unescape(re.sub(r"<[^>]+>", " ", page))
        elif path.suffix == ".md":
            texts[str(path)] = path.read_text(encoding="utf-8")
        elif path.suffix == ".svg":
            texts[str(path)] = " ".join(re.findall(r"<!-- (.*?) -->", path.read_text(encoding="utf-8")))
        elif path.suffix == ".xlsx":  # the Contents sheet and every heading; the tables' values are the CSVs' (machine words)
            sheets = openpyxl.load_workbook(path).worksheets
            cells = [c for row in sheets[0].iter_rows() for c in row] + [c for ws in sheets[1:] for c in ws[1]]
            texts[str(path)] = " ".join(str(c.value) for c in cells if isinstance(c.value, str))
    return {name: " ".join(text.split()) for name, text in texts.items()}


def test_a_vietnamese_run_holds_no_english_sentence_of_the_catalogue(vi_own_outputs):
    _workbook, out = vi_own_outputs
    fragments = _english_fragments()
    assert len(fragments) > 200
    found = {(Path(name).name, fragment) for name, text in _people_text(out).items() for fragment in fragments if fragment in text}
    assert found == set(), f"English in the Vietnamese outputs: {sorted(found)[:8]}"


def test_the_audit_is_written_in_the_datas_language(vi_outputs):
    audit_md = (vi_outputs / "audit" / "audit.md").read_text(encoding="utf-8")
    assert audit_md.startswith("## Kiểm tra các bảng của Hà Giang")
    assert "### Xếp loại" in audit_md and "| Bảng | Xếp loại | Lý do |" in audit_md and "| Bảng 1 | tái lập được |" in audit_md
    assert "không kiểm tra được" in audit_md and re.search(r"\d\.\d{3} so với \d\.\d{3} \+ \d\.\d{3}", audit_md)  # Vietnamese digits
    for english in ("Audit of the tables", "Grades", "checks on the data", "Verdicts:", "printed total", "is printed as a total",
                    "Total number of training conferences"):  # the last: the descriptor's Vietnamese heading is used
        assert english not in audit_md, english
    # audit.csv is a machine file: its verdicts and table keys stay the fixed English codes
    with (vi_outputs / "audit" / "audit.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["verdict"] for r in rows} <= {"consistent", "inconsistent", "not checkable", "not applicable"}
    assert all(r["table"].startswith("Table ") for r in rows if r["table"])


def test_laocai_stats_audit_answers_in_the_datas_language_or_lang(vi_workbook):
    vietnamese = cli("audit", "--data", vi_workbook)
    assert vietnamese.returncode == 0 and vietnamese.stdout.startswith("Kiểm tra: ") and "Xếp loại" in vietnamese.stdout
    assert cli("audit", "--data", vi_workbook, "--lang", "en").stdout.startswith("Audit: ")
    assert cli("audit", "--lang", "vi", "--format", "markdown").stdout.startswith("## Kiểm tra các bảng của Lao Cai")


def test_the_english_audit_is_unchanged_and_lao_cai_in_vietnamese_on_request():
    from laocai_stats.audit.checks import grade_tables, run_audit
    from laocai_stats.audit.report import audit_markdown

    checks = run_audit(open_dataset(None))
    assert audit_markdown(checks, grade_tables(checks)) + "\n" == (ROOT / "outputs" / "audit" / "audit.md").read_text(encoding="utf-8")
    checks = run_audit(open_dataset(None, lang="vi"))
    text = audit_markdown(checks, grade_tables(checks))
    assert text.startswith("## Kiểm tra các bảng của Lao Cai") and "| Bảng 4 | tái lập được, có chênh lệch |" in text
    assert "Tổng cộng đã in bằng tổng của 5 năm 2016-2020." in text  # a note of part 1, in Vietnamese


def test_lower_layer_words_follow_the_language(vi_own_outputs):
    from laocai_stats.publish.sources import credit
    from laocai_stats.stats.trend import note_in_language

    assert note_in_language("needs at least 3 years with a value, has 2") == "needs at least 3 years with a value, has 2"
    with use_language("vi"):
        assert note_in_language("needs at least 3 years with a value, has 2") == "cần ít nhất 3 năm có số liệu, chỉ có 2"
        assert note_in_language("exact permutation (ties)") == "hoán vị chính xác (có giá trị trùng)"
    workbook, out = vi_own_outputs
    from laocai_stats.publish.narrative import table_narrative

    prose = table_narrative("conferences", open_dataset(workbook)) + table_narrative("mang_xa_hoi", open_dataset(workbook))
    assert "Lượt người tham dự, không phải số người khác nhau" in prose and "Attendances" not in prose  # the descriptor's note
    assert "; hoán vị chính xác (có giá trị trùng), 5 năm)" in prose and "; chính xác, 5 năm)" in prose  # the test's method
    report = (out / "report" / "index.html").read_text(encoding="utf-8")
    for english in ("exact permutation", "; exact,", "asymptotic", "No trend interval", "as printed in", "analysed with the method"):
        assert english not in report and english not in prose, english
    line = credit(open_dataset(workbook), ["publications"])
    assert line == f"Nguồn: {SOURCE}. Số liệu của Hà Giang (Bảng 3), phân tích theo phương pháp của Le & Bui (2024)."
    assert credit(open_dataset(None), ["press"]).startswith("Source: Lao Cai Provincial Social Security, as printed in")
    svg = (out / "figures" / "publications_by_kind.svg").read_text(encoding="utf-8")
    assert "Nguồn:" in svg and "Source:" not in svg


# ---------------------------------------------------------------------------------------------
# The overview figure names the tables it plots

def test_table_numbers_are_named_as_ranges():
    from laocai_stats.publish.sources import tables_label

    assert tables_label([2, 3, 4, 5]) == "Tables 2-5"
    assert tables_label([5, 2, 3, 4, 6]) == "Tables 2-6"
    assert tables_label([2, 3, 5, 7, 8]) == "Tables 2-3, 5, 7-8"
    assert tables_label([3]) == "Table 3"
    with use_language("vi"):
        assert tables_label([2, 3, 4, 5, 6]) == "Bảng 2-6"


def test_the_overview_title_names_the_tables_plotted(vi_own_outputs):
    _workbook, out = vi_own_outputs
    svg = (out / "figures" / "overview_growth.svg").read_text(encoding="utf-8")
    assert "Tăng trưởng mỗi năm của từng số đếm hoạt động, Bảng 2-6, Hà Giang" in svg and "Bảng 2-5" not in svg
    laocai = (ROOT / "outputs" / "figures" / "overview_growth.svg").read_text(encoding="utf-8")
    assert "Growth per year of each count of activity, Tables 2-5, Lao Cai" in laocai


# ---------------------------------------------------------------------------------------------
# The notebooks in the run's language

def test_every_block_of_the_notebooks_markdown_is_translated():
    import nbformat

    from laocai_stats.run.notebooks import in_language, markdown_blocks
    from laocai_stats.run.reproduce import notebook_paths

    for path in notebook_paths():
        notebook = nbformat.read(path, as_version=4)
        english = [b for c in notebook.cells if c.cell_type == "markdown" for b in markdown_blocks(c.source)]
        translated = [b for c in in_language(notebook, "vi").cells if c.cell_type == "markdown" for b in markdown_blocks(c.source)]
        assert len(english) == len(translated) and english, path.name
        left = [b for b in translated if b in english and re.search(r"[A-Za-z]{3,}", b)]
        assert left == [], f"{path.name}: untranslated Markdown {left[:2]}"
        assert in_language(notebook, "en") == notebook and in_language(notebook, None) == notebook


def test_notebook_parameters_carry_the_runs_language(vi_workbook):
    from laocai_stats.run.reproduce import notebook_parameters

    assert notebook_parameters(None, open_dataset(None), None) == {}  # the committed notebooks' own run: no parameters
    assert notebook_parameters(None, open_dataset(None, lang="vi"), None) == {"lang": "vi"}
    assert notebook_parameters(vi_workbook, open_dataset(vi_workbook), None)["lang"] == "vi"
    assert notebook_parameters(vi_workbook, open_dataset(vi_workbook, lang="en"), None)["lang"] == "en"  # --lang overrides


@pytest.fixture(scope="session")
def vi_notebook_pages(vi_workbook, tmp_path_factory) -> Path:
    """Three notebooks executed on the Vietnamese workbook as `reproduce` runs them, their pages and the report."""
    from laocai_stats.publish.report import write_report
    from laocai_stats.run.reproduce import _run_notebook, notebook_parameters, notebook_paths

    root = tmp_path_factory.mktemp("vi-notebooks")
    dataset = open_dataset(vi_workbook)
    parameters = notebook_parameters(vi_workbook, dataset, None)
    executed = []
    for path in (p for p in notebook_paths() if p.name.startswith(("03-", "08-", "09-"))):
        executed.append(root / "notebooks" / path.name)
        executed[-1].parent.mkdir(exist_ok=True)
        _run_notebook(str(path), str(executed[-1]), parameters, str(root / "report" / "notebooks" / f"{path.stem}.html"))
    write_report(dataset, root, notebooks=executed)
    return root


def test_the_notebooks_speak_the_datas_language(vi_notebook_pages):
    page = (vi_notebook_pages / "report" / "notebooks" / "03-conferences.html").read_text(encoding="utf-8")
    for vietnamese in ("Bảng 2: hội nghị, tư vấn và đối thoại", "Bảng như đã in", "Thay đổi so với năm trước",
                       "Các con số cho thấy gì", "Số liệu: <strong>Hà Giang</strong>", "Nguồn: Báo cáo công tác tuyên truyền"):
        assert vietnamese in page, vietnamese
    for english in ("The table as printed", "Year-on-year change", "What the numbers say", "Data: <strong>", "Source:"):
        assert english not in page, english
    audit_page = (vi_notebook_pages / "report" / "notebooks" / "08-audit.html").read_text(encoding="utf-8")
    assert "Đánh giá từng bảng" in audit_page and "Các phát hiện" in audit_page and "Phần kiểm tra đã chạy" in audit_page
    assert "The audit ran" not in audit_page
    compare_page = (vi_notebook_pages / "report" / "notebooks" / "09-compare.html").read_text(encoding="utf-8")
    assert "Các tỉnh được so sánh: <strong>Hà Giang</strong>" in compare_page and "So sánh 1 tỉnh: Hà Giang" in compare_page
    assert "Compared:" not in compare_page and "province compared" not in compare_page
    report = (vi_notebook_pages / "report" / "index.html").read_text(encoding="utf-8")
    assert "Bảng 2: hội nghị, tư vấn và đối thoại" in report  # the notebook list shows the translated titles
    # The frames a notebook shows are the CSVs' (English column names and words such as kendall_method): not prose.
    pages = {name: re.sub(r"<table[^>]*dataframe.*?</table>", " ", Path(name).read_text(encoding="utf-8"), flags=re.S)
             for name in map(str, (vi_notebook_pages / "report" / "notebooks").glob("*.html"))}
    texts = {name: " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|pre|code)\b.*?</\1>", " ", page, flags=re.S)).split())
             for name, page in pages.items()}
    found = {f for text in texts.values() for f in _english_fragments() if f in text}
    assert found == set(), sorted(found)[:8]


def test_a_long_source_line_does_not_squeeze_the_panels(vi_workbook):
    """A province's own Source line (here a Vietnamese one) under a figure of panels is wrapped: constrained layout
    made room for all of it beside the first panel and squeezed the panels to nothing ("axes sizes collapsed")."""
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from laocai_stats.publish.figures import draw
    from laocai_stats.publish.style import themed

    def narrowest_panel(name, dataset) -> float:
        fig = draw(name, dataset)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # matplotlib warns when it gives up the layout
            fig.canvas.draw()
        plt.close(fig)
        return min(ax.get_position().width for ax in fig.axes)

    with themed():
        for name in ("agents_by_system", "publications_by_kind"):
            assert narrowest_panel(name, open_dataset(vi_workbook)) > 0.8 * narrowest_panel(name, open_dataset(None)), name


def test_the_audits_english_prose_keeps_english_numbers_in_a_vietnamese_run():
    """Parts 2-4 weigh the paper's English text and stay English: '232.906' there would read as a decimal."""
    from laocai_stats.audit.checks import run_audit

    audit = run_audit(open_dataset(None, lang="vi"))
    english = audit[audit["kind"].isin(["claim", "parts", "text vs table", "items"])]
    text = " ".join(english["note"].astype(str)) + " " + " ".join(english["numbers"].astype(str))
    assert re.findall(r"\b\d{1,3}\.\d{3}\b", text) == [] and re.search(r"\b\d{1,3},\d{3}\b", text)
    translated = audit[audit["kind"] == "total"]
    assert re.search(r"\b\d{1,3}\.\d{3}\b", " ".join(translated["numbers"].astype(str)))  # Vietnamese where translated
