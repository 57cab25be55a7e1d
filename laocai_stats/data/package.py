"""Read and validate a data package folder: a Frictionless descriptor and its CSV files."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, LaocaiError, Problem
from ..text import nfc
from .frames import TableData, tidy_frame, totals_frame
from .limits import (
    MAX_CSV_ROWS,
    MAX_DESCRIPTOR_BYTES,
    MAX_DESCRIPTOR_DEPTH,
    MAX_TEXT_CHARS,
    check_file_size,
    json_depth,
    long_text_in_json,
    text_problem,
    too_many_digits,
)
from .specs import YEAR_RANGE, TableSpec, spec_from_resource

if TYPE_CHECKING:
    import pandas as pd

DESCRIPTOR = "datapackage.json"


@cache
def _descriptor_validator():
    # fastjsonschema compiles the schema to Python; jsonschema would add ~1.5 s of imports to every command.
    import fastjsonschema

    text = resources.files("laocai_stats").joinpath("data/schemas/datapackage.schema.json").read_text("utf-8")
    return fastjsonschema.compile(json.loads(text))


def descriptor_path(path: str | Path) -> Path:
    """The descriptor file for a package folder or a descriptor path."""
    path = Path(path)
    if path.is_dir():
        path = path / DESCRIPTOR
    if not path.is_file():
        raise DataError(Problem(str(path), "data package descriptor not found; expected a folder holding datapackage.json"))
    return path


def read_descriptor(path: Path) -> dict:
    """Parse the descriptor (within the size and nesting limits) and check it against the package's JSON Schema."""
    check_file_size(path, MAX_DESCRIPTOR_BYTES, "the descriptor")
    try:
        descriptor = nfc(json.loads(path.read_text(encoding="utf-8")))
    except UnicodeDecodeError:
        raise DataError(Problem(str(path), "expected UTF-8 JSON text")) from None
    except json.JSONDecodeError as exc:
        raise DataError(Problem(str(path), f"not valid JSON: {exc.msg}", row=exc.lineno, column=str(exc.colno))) from None
    except RecursionError:
        descriptor = None
    if descriptor is None or json_depth(descriptor) > MAX_DESCRIPTOR_DEPTH:
        raise DataError(Problem(str(path), f"refused: the JSON is nested more than {MAX_DESCRIPTOR_DEPTH} levels deep; "
                                           "a descriptor needs about 8"))
    too_long = long_text_in_json(descriptor)
    if too_long:
        raise DataError(Problem(str(path), too_long))
    import fastjsonschema

    try:
        _descriptor_validator()(descriptor)
    except fastjsonschema.JsonSchemaValueException as exc:
        # The message starts with the path it names ("data.resources[2].kind must be ..."): say it our way.
        what = exc.message.removeprefix(exc.name).strip()
        raise DataError(Problem(str(path), f"at {_json_path(exc.path[1:])}: {exc.value!r} {what}")) from None
    problems = _consistency_problems(path, descriptor)
    if problems:
        raise DataError(problems)
    return descriptor


def _json_path(parts) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) or str(part).isdigit() else f".{part}"
    return out


def _consistency_problems(path: Path, descriptor: dict) -> list[Problem]:
    """Checks JSON Schema cannot express: unique names, enums that match the indicator lists."""
    problems = []
    names = [r["name"] for r in descriptor["resources"]]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(str(path), f"resource name '{name}' is used more than once"))
    by_name = {r["name"]: r for r in descriptor["resources"]}
    for r in descriptor["resources"]:
        if ".." in Path(r["path"]).parts:
            problems.append(Problem(str(path), f"resource '{r['name']}': path '{r['path']}' leaves the package folder"))
        fields = {f["name"]: f for f in r["schema"]["fields"]}
        if "table_number" in r:
            declared = [i["name"] for i in r["indicators"]]
            if len(set(declared)) != len(declared):
                problems.append(Problem(str(path), f"resource '{r['name']}': an indicator is declared twice"))
            key = r["keyed_by"]
            for needed in ("indicator", key, "value"):
                if needed not in fields:
                    problems.append(Problem(str(path), f"resource '{r['name']}': schema needs a field '{needed}'"))
        target = r.get("totals_of")
        if target is not None and "table_number" not in by_name.get(target, {}):
            problems.append(Problem(str(path), f"resource '{r['name']}': totals_of names '{target}', which is not a table in this package"))
    return problems


def sha256_of(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def default_data_dir() -> Path:
    """The shipped Lao Cai package: inside an installed wheel, or the repository's data/ folder."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_data" / "laocai", package.parent / "data" / "laocai"):
        if (candidate / "datapackage.json").is_file():
            return candidate
    raise LaocaiError("the shipped Lao Cai data package is missing from this installation")


class PackageReader:
    """Reads one data package folder; each table is validated when it is first read."""

    def __init__(self, path: str | Path):
        self.descriptor_file = descriptor_path(path)
        self.base = self.descriptor_file.parent
        self.descriptor = read_descriptor(self.descriptor_file)
        self._resources = {r["name"]: r for r in self.descriptor["resources"]}
        totals = {r["totals_of"]: r for r in self.descriptor["resources"] if "totals_of" in r}
        self.specs: dict[str, TableSpec] = {
            r["name"]: spec_from_resource(r, totals.get(r["name"], {}).get("path"))
            for r in self.descriptor["resources"]
            if "table_number" in r
        }
        self._totals = {name: r["name"] for name, r in totals.items()}

    @property
    def source(self) -> str:
        return str(self.base)

    @property
    def metadata(self) -> dict:
        d = self.descriptor
        meta = {"name": d["name"], "province": d.get("province"), "citation": d.get("citation"), "title": d.get("title")}
        if d.get("sheet_sources"):  # a package exported from a workbook keeps its Sources sheet
            meta["sources"] = [dict(e) for e in d["sheet_sources"]]
        return meta

    def read_table(self, name: str) -> TableData:
        spec = self.specs[name]
        records, problems = read_resource(self.base, self._resources[name], spec)
        totals_records: list[dict] = []
        if name in self._totals:
            totals_records, more = read_resource(self.base, self._resources[self._totals[name]], spec)
            problems += more
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise DataError(errors)
        return TableData(spec, tidy_frame(spec, records), totals_frame(spec, totals_records), tuple(problems))

    def read_facts(self) -> pd.DataFrame | None:
        resource = self._resources.get("facts")
        if resource is None:
            return None
        records, problems = read_resource(self.base, resource, None)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise DataError(errors)
        import pandas as pd

        columns = [f["name"] for f in resource["schema"]["fields"]]
        frame = pd.DataFrame.from_records(records, columns=columns)
        if "value" in frame:
            frame["value"] = pd.array(frame["value"], dtype="Int64")
        return frame

    def problems(self) -> list[Problem]:
        """Every problem in every resource, for `laocai-stats validate`."""
        found: list[Problem] = []
        for resource in self.descriptor["resources"]:
            spec = self.specs.get(resource["name"]) or self.specs.get(resource.get("totals_of", ""))
            found += read_resource(self.base, resource, spec)[1]
        return found


def resource_path(base: Path, resource: dict) -> Path:
    """The resource's file, once it is a regular file inside the package folder (not a link, not elsewhere, not too big).

    Checked before a byte is read, so that a link to /etc/passwd is refused without quoting it.
    """
    path = base / resource["path"]
    shown = str(path)
    if path.is_symlink() or (path.exists() and not path.resolve().is_relative_to(base.resolve())):
        raise DataError(Problem(shown, f"refused: resource '{resource['name']}' is a link or lies outside the package folder "
                                       f"{base}; copy the file itself into the folder"))
    if not path.is_file():
        raise DataError(Problem(shown, f"file not found (resource '{resource['name']}' in {DESCRIPTOR} names it)"))
    check_file_size(path)
    return path


def read_resource(base: Path, resource: dict, spec: TableSpec | None) -> tuple[list[dict], list[Problem]]:
    """Parse one CSV resource against its Table Schema; return typed records and every problem."""
    try:
        path = resource_path(base, resource)
    except DataError as exc:
        return [], exc.problems
    shown = str(path)
    raw = path.read_bytes()
    problems = []
    expected_hash = resource.get("hash")
    if expected_hash is not None:
        actual = "sha256:" + hashlib.sha256(raw).hexdigest()
        if actual != expected_hash:
            problems.append(Problem(
                shown,
                f"checksum mismatch: {DESCRIPTOR} records {expected_hash[:19]}..., the file has {actual[:19]}...; "
                "if the change is intended, run `laocai-stats rehash` on the folder",
            ))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], problems + [Problem(shown, f"expected UTF-8 text; byte {exc.start} is not")]
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:  # counted while read: a huge file stops at the limit
            rows.append(nfc(row))
            if len(rows) > MAX_CSV_ROWS + 1:
                return [], problems + [Problem(shown, f"refused: more than {MAX_CSV_ROWS:,} rows, over the limit (a table "
                                                      "needs a few dozen); it was not read", row=len(rows))]
    except csv.Error as exc:
        return [], problems + [Problem(shown, f"not a readable CSV: {exc}", row=reader.line_num)]
    fields = resource["schema"]["fields"]
    names = [f["name"] for f in fields]
    if not rows:
        return [], problems + [Problem(shown, f"file is empty; expected a header row: {','.join(names)}", row=1)]
    header = [h.strip() for h in rows[0]]
    if header != names:
        return [], problems + [Problem(shown, f"expected the columns {', '.join(names)}; found {', '.join(header) or 'none'}", row=1)]
    records: list[dict] = []
    seen: dict[tuple, int] = {}
    unique_seen: dict[str, dict] = {f["name"]: {} for f in fields if f.get("constraints", {}).get("unique")}
    primary_key = resource["schema"].get("primaryKey", [])
    allowed = _allowed_values(spec)
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            problems.append(Problem(shown, f"expected {len(names)} cells, found {len(cells)}", row=line))
            continue
        record, ok = {}, True
        for field, cell in zip(fields, cells):
            value, message = _parse_cell(field, cell.strip(), allowed.get(field["name"]))
            if message:
                problems.append(Problem(shown, message, row=line, column=field["name"]))
                ok = False
            record[field["name"]] = value
        if not ok:
            continue
        for name, firsts in unique_seen.items():
            if record[name] in firsts:
                problems.append(Problem(shown, f"'{record[name]}' appears again (first in row {firsts[record[name]]}); expected unique values", row=line, column=name))
                ok = False
            firsts.setdefault(record[name], line)
        if primary_key:
            key = tuple(record[k] for k in primary_key)
            if key in seen:
                shown_key = ", ".join(f"{k}={v!r}" for k, v in zip(primary_key, key))
                problems.append(Problem(shown, f"duplicate key ({shown_key}), first in row {seen[key]}; expected one row per key", row=line))
                ok = False
            seen.setdefault(key, line)
        if ok:
            records.append(record)
    return records, problems


def _allowed_values(spec: TableSpec | None) -> dict[str, list[str]]:
    if spec is None:
        return {}
    allowed = {"indicator": [i.name for i in spec.indicators]}
    if spec.groups:
        allowed["group"] = [g.name for g in spec.groups]
    return allowed


def _parse_cell(field: dict, cell: str, allowed: list[str] | None):
    """Return (value, None) or (None, what was expected)."""
    constraints = field.get("constraints", {})
    name = field["name"]
    if field["type"] != "integer" and len(cell) > MAX_TEXT_CHARS:
        return None, text_problem(cell)
    if cell == "":
        if constraints.get("required"):
            return None, "expected a value, found a blank cell"
        return None, None
    if field["type"] == "integer":
        digits = cell[1:] if cell[:1] in "+-" else cell
        if digits.isascii() and digits.isdigit() and too_many_digits(digits):
            return None, too_many_digits(digits)
        if not digits.isascii() or not digits.isdigit():
            what = "a year" if name == "year" else "a whole number"
            hint = " without thousands separators" if any(c in cell for c in ",. ") and digits.replace(",", "").replace(".", "").replace(" ", "").isdigit() else ""
            return None, f"expected {what}{hint}, found '{cell if len(cell) <= 40 else cell[:39] + '…'}'"
        value = int(cell)
        minimum = constraints.get("minimum")
        if minimum is not None and value < minimum:
            return None, f"expected a count of at least {minimum}, found {value}"
        if name == "year" and not YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
            return None, f"expected a year between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}, found {value}"
        return value, None
    choices = allowed if allowed is not None else constraints.get("enum")
    if choices is not None and cell not in choices:
        return None, f"unknown {name} '{cell}'; expected one of: {', '.join(choices)}"
    return cell, None


def rehash(path: str | Path) -> list[str]:
    """Record each resource's current checksum and size in the descriptor; return what changed."""
    descriptor_file = descriptor_path(path)
    descriptor = read_descriptor(descriptor_file)
    changed = []
    for resource in descriptor["resources"]:
        file = resource_path(descriptor_file.parent, resource)
        digest, size = sha256_of(file), file.stat().st_size
        if resource.get("hash") != digest or resource.get("bytes") != size:
            changed.append(resource["name"])
        resource["hash"], resource["bytes"] = digest, size
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    tmp = descriptor_file.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(descriptor_file)
    return changed

