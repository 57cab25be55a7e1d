"""The README's generated blocks match what the data and code give now, and its commands come first."""
from __future__ import annotations

import re
from pathlib import Path

from laocai_stats.publish.docs import BLOCK, GENERATORS, render

README = Path(__file__).resolve().parents[1] / "README.md"


def test_generated_blocks_are_current():
    text = README.read_text(encoding="utf-8")
    assert render(text) == text, "run `python -m laocai_stats.publish.docs` to regenerate the README's blocks"


def test_every_generator_has_a_block():
    names = {m["name"] for m in BLOCK.finditer(README.read_text(encoding="utf-8"))}
    assert names == set(GENERATORS)


def test_data_dictionary_lists_every_indicator_of_the_descriptor():
    from laocai_stats import list_tables, table_info

    dictionary = GENERATORS["data-dictionary"]()
    for table in list_tables():
        for indicator in table_info(table)["indicators"]:
            assert f"`{indicator['name']}`" in dictionary
            assert indicator["label"] in dictionary


def test_the_two_commands_come_first():
    text = README.read_text(encoding="utf-8")
    first_code = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    assert first_code.splitlines()[0].startswith("make reproduce")
    assert first_code.splitlines()[1].startswith("make test")


def test_ci_runs_the_readme_test_command():
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_the_notebook_list_names_every_notebook_in_the_tree():
    names = sorted(p.name for p in (README.parent / "notebooks").glob("*.ipynb"))
    listed = GENERATORS["notebooks"]()
    assert names and all(f"`notebooks/{name}`" in listed for name in names)
    assert "09-compare.ipynb" in listed


def test_the_readme_credits_the_sections_the_text_uses():
    from laocai_stats import load_facts

    text = README.read_text(encoding="utf-8")
    sections = sorted({str(s).split(" ")[0] for s in load_facts()["section"]})
    facts_line = next(line for line in text.splitlines() if "laocai-stats facts" in line)
    assert all(section in facts_line for section in sections), (sections, facts_line)
    channels = next(line for line in text.splitlines() if line.startswith("- **Direct and indirect channels**"))
    following = text[text.index(channels):text.index(channels) + 400]
    assert "3.3.1" in following and "3.3.2" in following


def test_the_growth_codebook_lists_every_column_of_growth_csv():
    from laocai_stats.stats.summary import EXTRA_COLUMNS, GROWTH_COLUMNS

    codebook = GENERATORS["growth-codebook"]()
    assert all(f"`{column}`" in codebook for column in GROWTH_COLUMNS + EXTRA_COLUMNS)
