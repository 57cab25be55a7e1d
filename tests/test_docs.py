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
