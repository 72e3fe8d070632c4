"""Arrow types and schemas derived from the Table Schemas, shared by Parquet, DuckDB and `query`.

The schema is declared, not inferred from the data, so an empty or all-null
column keeps its type; each field's title and description travel as field
metadata (Parquet keeps them).
"""

from __future__ import annotations

import pyarrow as pa

from c5data.reading.tables import Table
from c5data.reading.tableschema import Field, TableSchema

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "year": pa.int64(),
    "time": pa.time64("us"),
    "yearmonth": pa.string(),
    "duration": pa.string(),
    "geopoint": pa.struct([("lon", pa.float64()), ("lat", pa.float64())]),
    "geojson": pa.string(),
    "object": pa.string(),
    "array": pa.string(),
    "any": pa.string(),
}


def arrow_type(field: Field) -> pa.DataType:
    """The Arrow type a field's values are stored as (a list type for list fields)."""
    base = ARROW_TYPES[field.value_type]
    return pa.list_(base) if field.type == "list" else base


def arrow_schema(schema: TableSchema) -> pa.Schema:
    """The Arrow schema of a table, with titles and descriptions kept as field metadata."""
    fields = []
    for f in schema.fields:
        meta = {k: v for k, v in (("title", f.title), ("description", f.description)) if v}
        fields.append(pa.field(f.name, arrow_type(f), nullable=not f.required, metadata=meta or None))
    return pa.schema(fields, metadata={"description": schema.description} if schema.description else None)


def to_arrow(table: Table) -> pa.Table:
    """The typed rows as an Arrow table with the declared schema."""
    target = arrow_schema(table.resource.schema)
    data = table.typed.to_arrow()
    return pa.Table.from_arrays([data.column(f.name).cast(f.type) for f in target], schema=target)
