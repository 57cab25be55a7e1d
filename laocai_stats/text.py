"""Text shown to people or written to files: escaping what a user typed, translating messages, formatting numbers."""
from __future__ import annotations

import contextlib
import contextvars
import functools
from pathlib import Path

# English is the language of the code's messages; other languages come from gettext catalogues read at run time
# (laocai_stats/locales/LANG/LC_MESSAGES/laocai_stats.po), so a translator edits one reviewable file and no build
# step is needed. The language is a context variable: the edge (CLI, reproduce, a notebook) sets it once.
DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).with_name("locales")
DOMAIN = "laocai_stats"
_LANGUAGE = contextvars.ContextVar("laocai_stats_language", default=DEFAULT_LANGUAGE)

def nfc(value):
    """Text read from a user in Unicode NFC, so that one name has one spelling ("Hà" typed precomposed or with a
    combining accent compare equal); dicts and lists are normalised throughout; anything else is returned unchanged."""
    import unicodedata

    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


# OWASP "CSV Injection": a cell starting with one of these may be evaluated as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text):
    """Prefix text that a spreadsheet could read as a formula with a single quote; leave anything else as it is.

    Idempotent (an escaped text starts with the quote, which triggers nothing), so text read back
    from a workbook this package wrote can be written again unchanged. Non-strings pass through:
    numbers are never formulas.
    """
    if isinstance(text, str) and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_text(value):
    """Text for a spreadsheet cell: characters XML forbids dropped, formula triggers escaped; non-text unchanged."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))


def escape_frame(frame):
    """A copy of `frame` whose text columns and column names are escaped with `escape_formula`, for CSV output.

    Column names can be user text too: `compare` makes a column of each province's name.
    """
    import pandas as pd

    out = frame.copy()
    out.columns = [escape_formula(c) for c in out.columns]
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(escape_formula)
    return out


def plain_number(value):
    """A float as CSV text: whole numbers without a decimal point (15.0 -> '15'), others exactly (repr); missing -> None."""
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def csv_frame(frame):
    """`frame` ready for CSV: text escaped against formulas, float columns written as plain numbers (no '15.0')."""
    import pandas as pd

    out = escape_frame(frame)
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].map(plain_number).astype(object)
    return out


# Characters that make Markdown (CommonMark, GFM, Jupyter's math) or the HTML it may hold do something:
# HTML's three as entities, the rest backslash-escaped; line breaks would start a new block.
_MARKDOWN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": " ", "\r": " ",
                           **{c: "\\" + c for c in "\\`*_[]|~$"}})


def escape_markdown(text) -> str:
    """Text a user typed, to be shown literally inside Markdown: no link, image, HTML, emphasis, math or new block.

    `[x](javascript:alert(1))` stays those characters, `<script>` is shown rather than run. Every place that
    puts user text (a province's name, a label, a file name) into Markdown uses this; None becomes "".
    """
    if text is None:
        return ""
    return str(text).translate(_MARKDOWN)


def markdown_table(frame: pd.DataFrame, *, trusted: bool = False) -> str:
    """A GitHub-flavoured Markdown table; blank for missing values; cells escaped with `escape_markdown`
    unless `trusted` (Markdown this package wrote itself, such as the README's tables)."""
    import pandas as pd

    def cell(value) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if trusted:
            return str(value).replace("|", "\\|").replace("\n", " ")
        return escape_markdown(value)

    header = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


class UnknownLanguage(ValueError):
    """A language laocai-stats has no catalogue for. (This module imports nothing of the package: errors uses it.)"""


@functools.cache
def languages() -> tuple[str, ...]:
    """The languages laocai-stats can speak: English and every language with a catalogue."""
    found = sorted(p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")) if LOCALES_DIR.is_dir() else []
    return (DEFAULT_LANGUAGE, *[lang for lang in found if lang != DEFAULT_LANGUAGE])


def check_language(lang: str | None) -> str:
    """`lang` if laocai-stats has it (None gives the current language); else UnknownLanguage naming the choices."""
    if lang is None:
        return language()
    code = str(lang).strip().lower().replace("_", "-").split("-")[0]
    if code not in languages():
        raise UnknownLanguage(f"unknown language {lang!r}; expected one of: {', '.join(languages())}")
    return code


def language() -> str:
    """The language messages, labels and numbers are shown in now."""
    return _LANGUAGE.get()


@contextlib.contextmanager
def use_language(lang: str | None):
    """Show text in `lang` inside the block (None keeps the current language)."""
    token = _LANGUAGE.set(check_language(lang))
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def in_data_language(func):
    """Run `func` in the language of the Dataset among its arguments (its `language`; None keeps the current one).

    Text about a data set is written in the data's language: a Vietnamese workbook gives Vietnamese prose and figures.
    """
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        dataset = next((a for a in (*args, *kwargs.values()) if hasattr(a, "language") and hasattr(a, "specs")), None)
        with use_language(getattr(dataset, "language", None)):
            return func(*args, **kwargs)
    return wrapper


@functools.cache
def _catalogue(lang: str) -> dict[str, str]:
    if lang == DEFAULT_LANGUAGE:
        return {}
    from babel.messages.pofile import read_po

    path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    # Fuzzy entries are a translator's unchecked guesses: gettext does not use them, nor does this.
    return {_key(m.context, m.id): m.string for m in catalog if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def _key(context: str | None, message: str) -> str:
    # gettext's own convention: context and message joined by EOT.
    return f"{context}\x04{message}" if context else message


def _(message: str) -> str:
    """`message` (English, as written in the code) in the current language; itself where there is no translation."""
    return _catalogue(language()).get(message, message)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, read in `context` (e.g. "column": a CSV column's heading)."""
    return _catalogue(language()).get(_key(context, message), message)


def NC_(context: str, message: str) -> str:
    """Mark a message read in `context` for translation (see `pgettext`), without translating it."""
    return message


def N_(message: str) -> str:
    """Mark a message for translation where it is defined (a constant); translate it with `_` where it is shown."""
    return message


def translations(message: str) -> set[str]:
    """`message` in every language: what a reader recognises, whichever language a user's file is in."""
    return {message} | {_catalogue(lang).get(message, message) for lang in languages()}


def localized(obj, field: str, lang: str | None = None):
    """A descriptor's text in the current language: `obj.translations[lang][field]`, else the English `obj.<field>`.

    Translations are data beside the English text (DHIS2's idea), not catalogue messages: they belong to the data set.
    """
    lang = lang or language()
    table = getattr(obj, "translations", None) or {}
    value = (table.get(lang) or {}).get(field)
    return value if value else getattr(obj, field)


def missing() -> str:
    """How a missing number is shown to people."""
    return _("n/a")


def shorten(text, limit: int = 60) -> str:
    """A name short enough for a figure's title: cut at `limit` characters with an ellipsis (the full name stays in
    the data, the tables and the prose)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def percent(fraction, digits: int = 1) -> str:
    """0.295 -> '29.5 %' (Vietnamese: '29,5 %'); missing -> 'n/a'."""
    import pandas as pd

    if fraction is None or pd.isna(fraction):
        return missing()
    if language() == DEFAULT_LANGUAGE:
        return f"{fraction * 100:.{digits}f} %"
    # Babel's number with the locale's symbols; the space before % is the project's (ISO 80000) style, which the
    # English output already follows, where CLDR's Vietnamese pattern has none ('29,5%').
    return f"{_babel_number(fraction * 100, digits)} %"


def number(value, digits: int = 0) -> str:
    """Thousands separators as the paper prints them ('1,263'; Vietnamese '1.263'); missing -> 'n/a'."""
    import pandas as pd

    if value is None or pd.isna(value):
        return missing()
    if language() == DEFAULT_LANGUAGE:
        return f"{value:,.{digits}f}"
    return _babel_number(value, digits)


def _babel_number(value, digits: int) -> str:
    locale, pattern = _number_pattern(language(), digits)
    return pattern.apply(value, locale, decimal_quantization=True)


@functools.cache
def _number_pattern(lang: str, digits: int):
    """Babel's locale data and a parsed pattern, once per language and precision (figures format thousands of ticks)."""
    from babel import Locale
    from babel.numbers import parse_pattern

    return Locale.parse(lang), parse_pattern("#,##0" + ("." + "0" * digits if digits > 0 else ""))
