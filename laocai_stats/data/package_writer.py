"""Write a data set as a Frictionless data package: the folder format the shipped data use, readable with --data.

Everything the data define travels: tables (the paper's and the data's own), indicators with their units, kinds
and channels, indicators not reported, groups, printed totals, sources and the workbook's Sources sheet.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .dataset import Dataset, as_dataset
from .package import DESCRIPTOR, sha256_of
from .specs import TableSpec

VALUE_FIELD = {"name": "value", "type": "integer", "description": "The count; blank means unknown (missing, not zero).",
               "constraints": {"minimum": 0}}


def write_package(dataset: Dataset, folder: Path) -> list[str]:
    """Write `dataset` into `folder` (empty, made by the caller): one CSV per table and totals, and the descriptor."""
    dataset = as_dataset(dataset)
    meta = dataset.metadata
    resources = []
    written = []
    for name in sorted(dataset.table_names(), key=lambda n: dataset.spec(n).number):
        table = dataset.table(name)
        spec = table.spec
        rows = table.rows[["indicator", spec.key, "value"]]
        resources.append(_resource(folder, f"{name}.csv", _table_resource(spec), rows))
        written.append(f"{name}.csv")
        if not table.totals.empty:
            totals = table.totals[["indicator", "label", "value"]]
            resources.append(_resource(folder, f"{name}_totals.csv", _totals_resource(spec), totals))
            written.append(f"{name}_totals.csv")
    origins = list(dict.fromkeys(dataset.spec(n).source for n in dataset.table_names() if dataset.spec(n).source))
    descriptor = {
        "profile": "tabular-data-package",
        "name": meta.get("name") or "province-data",
        "title": meta.get("title") or f"Policy communication, {dataset.province}",
        "province": dataset.province,
        **({"citation": meta["citation"]} if meta.get("citation") else {}),
        "sources": [{"title": o} for o in origins],
        "sheet_sources": [{k: e.get(k) or "" for k in ("sheet", "cells", "source", "note")} for e in meta.get("sources") or []],
        "resources": resources,
    }
    (folder / DESCRIPTOR).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return written + [DESCRIPTOR]


def _resource(folder: Path, path: str, resource: dict, frame: pd.DataFrame) -> dict:
    file = folder / path
    frame.to_csv(file, index=False, lineterminator="\n")
    return {"name": path.removesuffix(".csv"), "path": path, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", **resource, "hash": sha256_of(file), "bytes": file.stat().st_size}


def _indicator(i) -> dict:
    return {k: v for k, v in vars(i).items() if v is not None}


def _table_resource(spec: TableSpec) -> dict:
    names = [i.name for i in spec.indicators]
    key_field = ({"name": "year", "type": "integer", "constraints": {"required": True}} if spec.keyed_by == "year" else
                 {"name": "group", "type": "string", "constraints": {"required": True, "enum": [g.name for g in spec.groups]}})
    out = {
        "title": f"Table {spec.number}: {spec.caption}", "table_number": spec.number, "caption": spec.caption,
        "section": spec.section, "source": spec.source, "keyed_by": spec.keyed_by, "printed_layout": spec.printed_layout,
        "indicators": [_indicator(i) for i in spec.indicators],
        "schema": {"fields": [{"name": "indicator", "type": "string", "constraints": {"required": True, "enum": names}},
                              key_field, VALUE_FIELD],
                   "primaryKey": ["indicator", spec.key], "missingValues": [""]},
    }
    if spec.not_reported:
        out["not_reported"] = [_indicator(i) for i in spec.not_reported]
    if spec.added:
        out["added_indicators"] = list(spec.added)
    if not spec.reference:
        out["paper_table"] = False
    if spec.groups:
        out["groups"] = [{k: v for k, v in vars(g).items() if v is not None} for g in spec.groups]
        out["group_label"] = spec.group_label
    if spec.headings:
        out["headings"] = dict(spec.headings)
    if spec.row_header:
        out["row_header"] = spec.row_header
    return out


def _totals_resource(spec: TableSpec) -> dict:
    return {
        "title": f"Table {spec.number}: totals as typed", "totals_of": spec.name,
        "schema": {"fields": [{"name": "indicator", "type": "string",
                               "constraints": {"required": True, "enum": [i.name for i in spec.indicators]}},
                              {"name": "label", "type": "string", "constraints": {"required": True}},
                              {**VALUE_FIELD, "description": "The total as typed, not recomputed."}],
                   "primaryKey": ["indicator"], "missingValues": [""]},
    }
