"""What laocai-stats will read, checked before the work starts: each refusal is one located line.

Five small tables fit in a few kilobytes; these bounds are hundreds of times that, and keep any input a
machine can be handed (10 MB at most) to a validation of seconds and well under a gigabyte of memory.
The README's section "Limits" states them; change them here.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import DataError, LaocaiError, Problem

MAX_FILE_BYTES = 10 * 2**20        # a workbook, a CSV resource
MAX_DESCRIPTOR_BYTES = 2 * 2**20   # datapackage.json
MAX_DESCRIPTOR_DEPTH = 32          # nesting of JSON objects and lists in the descriptor
MAX_CSV_ROWS = 10_000              # rows of one CSV resource
MAX_UNPACKED_BYTES = 50 * 2**20    # a workbook's zip archive, unpacked
MAX_CELLS_PER_SHEET = 50_000       # cells one worksheet may hold
MAX_CELLS = 100_000                # cells in the whole workbook
MAX_PROVINCE_CHARS = 200           # a province's name
MAX_TEXT_CHARS = 1000              # any other text: a label, a title, a source, a quotation
MAX_DIGITS = 15                    # a count has at most this many digits (below 10**15)


def check_file_size(path: Path, limit: int = MAX_FILE_BYTES, what: str = "the file") -> None:
    """Refuse a file over `limit` bytes before reading any of it (a sparse 1 GB file costs nothing to refuse)."""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise DataError(Problem(str(path), f"cannot read {what}: {exc.strerror or exc}")) from None
    if size > limit:
        raise DataError(Problem(str(path), f"refused: {what} is {_mb(size)}, over the limit of {_mb(limit)} "
                                           "(five small tables need far less); it was not read"))


def _mb(size: int) -> str:
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{size:,} bytes"


def text_problem(text, limit: int = MAX_TEXT_CHARS) -> str | None:
    """Why `text` is too long to accept, or None."""
    if isinstance(text, str) and len(text) > limit:
        return f"the text is {len(text):,} characters long, over the limit of {limit}; shorten it"
    return None


def check_province(province) -> str | None:
    """A province name given by the caller (`--province`, `open_dataset(province=...)`): None, or text within the limit."""
    if province is None:
        return None
    if not isinstance(province, str):
        raise LaocaiError(f"province must be text, got {type(province).__name__}: {province!r:.40}")
    if len(province) > MAX_PROVINCE_CHARS:
        raise LaocaiError(f"--province: the name is {len(province):,} characters long, over the limit of "
                          f"{MAX_PROVINCE_CHARS}; give a shorter name")
    return province


def json_depth(value, limit: int = MAX_DESCRIPTOR_DEPTH) -> int:
    """The nesting depth of parsed JSON, counted without recursion and stopping past `limit`."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def long_text_in_json(value) -> str | None:
    """A message naming the first string of parsed JSON over its limit (the province's 200, any other 1000), or None."""
    stack = [(value, "$")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, f"{where}.{k}") for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, f"{where}[{n}]") for n, v in enumerate(item))
        elif isinstance(item, str):
            limit = MAX_PROVINCE_CHARS if where == "$.province" else MAX_TEXT_CHARS
            if len(item) > limit:
                return f"at {where}: {text_problem(item, limit)}"
    return None


def too_many_digits(text: str) -> str | None:
    """A message for a number with more digits than any count has (Python refuses past 4,300), or None."""
    digits = sum(c.isdigit() for c in text[:MAX_DIGITS + 10])
    if digits > MAX_DIGITS:
        shown = text if len(text) <= 20 else text[:12] + "…"
        return f"expected a whole number below 10^{MAX_DIGITS}, found a number of {len(text):,} characters ('{shown}')"
    return None
