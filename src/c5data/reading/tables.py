"""Each resource read once into two aligned frames: its cells as written, and their typed values.

The build writes the CSVs from the text frame (so a value is released exactly
as it was written) and Parquet and DuckDB from the typed frame (so dates are
dates and `list` fields are lists); `diff` compares the text frames. Both are
sorted by primary key, which makes every artifact independent of the order
rows happen to have in the source files.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from c5data.reading.csv_scan import RawTable, read_resource
from c5data.reading.descriptor import Package, Resource
from c5data.reading.fields import typed


class TableError(Exception):
    """A resource cannot be read as a table (missing file, header without a schema field …)."""


@dataclass
class Table:
    resource: Resource
    text: pl.DataFrame  # one String column per schema field, as written (null only where the row lacks the cell)
    typed: pl.DataFrame  # the same rows and columns, typed per the Table Schema

    @property
    def name(self) -> str:
        return self.resource.name

    @property
    def height(self) -> int:
        return self.typed.height


def read_table(resource: Resource, raw: RawTable | None = None) -> Table:
    """Read one resource (or use `raw`, already read); columns follow the schema's field order, rows the primary key."""
    raw = raw if raw is not None else read_resource(resource)
    if not raw.readable:
        reasons = "; ".join(f.message for f in raw.findings) or "unreadable"
        raise TableError(f"{resource.path}: {reasons}")
    fields = resource.schema.fields
    missing = [f.name for f in fields if f.name not in raw.header]
    if missing and resource.schema.fields_match not in ("superset", "partial"):
        raise TableError(f"{resource.path}: columns missing from the header: {', '.join(missing)}")
    # a field the header leaves out (fieldsMatch superset or partial) has no cell in any row: null, as a short row's
    text = (
        raw.frame.select([pl.col(f"_{raw.header.index(f.name)}").alias(f.name) if f.name in raw.header else pl.lit(None, pl.String).alias(f.name) for f in fields])
        if raw.frame.width
        else pl.DataFrame({f.name: [] for f in fields}, schema={f.name: pl.String for f in fields})
    )
    typed_frame = text.select([typed(f).alias(f.name) for f in fields])
    key = list(resource.schema.primary_key) or [f.name for f in fields if f.type != "list"]
    order = typed_frame.select(key).with_row_index("__i__").sort(key, nulls_last=True, maintain_order=True).get_column("__i__")
    return Table(resource, text[order], typed_frame[order])


def read_tables(package: Package, raws: dict[str, RawTable] | None = None) -> dict[str, Table]:
    """Every resource of the package, in descriptor order (reusing `raws` where given)."""
    return {r.name: read_table(r, (raws or {}).get(r.name)) for r in package.resources}


def missing_to_null(table: Table) -> pl.DataFrame:
    """The text frame with every missing-value marker (e.g. the empty string) as null, for comparisons."""
    fields = table.resource.schema.fields
    return table.text.select([pl.when(pl.col(f.name).is_in(f.missing_values)).then(None).otherwise(pl.col(f.name)).alias(f.name) for f in fields])
