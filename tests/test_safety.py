"""Formula-injection escaping (OWASP): what a spreadsheet could run gets a leading quote, nothing else changes."""
from __future__ import annotations

import pytest

from laocai_stats.text import escape_formula


@pytest.mark.parametrize("text", ["=1+2", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")'])
def test_triggers_are_escaped(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["Lao Cai", "Hà Giang", "", "1,263", " =not first", "'=already escaped", "a=b"])
def test_other_text_is_unchanged(text):
    assert escape_formula(text) == text


@pytest.mark.parametrize("text", ["=1+2", "@x", "plain"])
def test_escaping_twice_changes_nothing(text):
    assert escape_formula(escape_formula(text)) == escape_formula(text)


@pytest.mark.parametrize("value", [None, 12, -3, 1.5])
def test_non_text_passes_through(value):
    assert escape_formula(value) == value
