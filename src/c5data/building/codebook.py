"""What the codebook says about each column and key, worked out once from the Table Schemas.

The Markdown codebook (`build/writers/codebook.py`) and the site's codebook
page both render these facts, so the two cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from c5data.building.sql import duckdb_type
from c5data.reading.descriptor import Resource
from c5data.reading.fields import expected_form
from c5data.reading.tableschema import Field

#: Types whose written form the codebook spells out (the others are plain numbers, text or ISO dates).
WRITTEN_FORM_NOTED = {"time", "yearmonth", "duration", "geopoint", "geojson", "object", "array"}
_BOUNDS = (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<"))


@dataclass
class ColumnFacts:
    field: Field
    type_text: str  # e.g. "date", "string (uri)", "list of string"
    type_note: str  # e.g. how list items are separated in CSV
    duckdb: str
    required: bool
    constraints: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (words, code) e.g. ("≥", "") or ("pattern", "^[a-z]+$")
    allowed: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (value, label) of categories or enum
    allowed_kind: str = "values"


@dataclass
class KeyFacts:
    kind: str  # "primary", "unique", "foreign" or "list" (a reference from each item of a list field)
    fields: tuple[str, ...]
    resource: str = ""  # the referenced table, for references
    ref_fields: tuple[str, ...] = ()


def column_facts(f: Field, resource: Resource) -> ColumnFacts:
    """Type, DuckDB type, whether required, constraints and allowed values of one column."""
    if f.type == "list":
        type_text, type_note = f"list of {f.item_type}", f"items separated by “{f.delimiter}” in CSV"
    else:
        type_text = f.type if f.format in ("", "default") else f"{f.type} ({f.format})"
        type_note = f"written as {expected_form(f)}" if f.type in WRITTEN_FORM_NOTED else ""
    c = f.constraints
    cons: list[tuple[str, str]] = []
    if "pattern" in c:
        cons.append(("pattern" if f.type != "list" else "each item matches", str(c["pattern"])))
    cons += [(f"{symbol} {c[key]}", "") for key, symbol in _BOUNDS if key in c]
    unit = {"list": "item(s)", "array": "item(s)", "object": "propert(ies)"}.get(f.type, "characters")
    cons += [(f"{word} {c[key]} {unit}", "") for key, word in (("minLength", "at least"), ("maxLength", "at most")) if key in c]
    if "jsonSchema" in c:
        cons.append(("matches the JSON Schema", json.dumps(c["jsonSchema"], sort_keys=True)))
    if c.get("unique"):
        cons.append(("unique", ""))
    allowed: list[tuple[str, str]] = []
    if f.categories:
        allowed = [(v, f.category_labels.get(v, "")) for v in f.categories]
    elif isinstance(c.get("enum"), list):
        allowed = [(str(v), "") for v in c["enum"]]
    return ColumnFacts(
        f,
        type_text,
        type_note,
        duckdb_type(f),
        f.required or f.name in resource.schema.primary_key,
        cons,
        allowed,
        "categories (value — label)" if f.categories else "values",
    )


def key_facts(resource: Resource) -> list[KeyFacts]:
    """Primary key, unique keys and references of a table, in that order."""
    s = resource.schema
    out = [KeyFacts("primary", tuple(s.primary_key))] if s.primary_key else []
    out += [KeyFacts("unique", tuple(key)) for key in s.unique_keys]
    out += [KeyFacts("list" if fk.from_list else "foreign", tuple(fk.fields), fk.resource or resource.name, tuple(fk.ref_fields)) for fk in s.foreign_keys]
    return out
