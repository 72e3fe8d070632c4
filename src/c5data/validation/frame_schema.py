"""pandera schemas of the package's tables for frames as analysts hold them (`c5data.load`), not as the validator reads files.

The validator checks the text of each cell as well as its value; an analyst
with a polars frame of typed values wants the Table Schema's constraints on
those values. Both come from the same derived checks (`checks.field_checks`):
here every check that pandera's own vocabulary states (isin, str_matches,
str_length, ge/le/gt/lt) goes on the field's column, `required` becomes
`nullable=False`, `unique` and the primary key become pandera's `unique`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import polars as pl

from c5data.reading.descriptor import load_package
from c5data.reading.fields import polars_type
from c5data.reading.tableschema import TableSchema
from c5data.validation.checks import field_checks, pandera_check

if TYPE_CHECKING:
    import pandera.polars


class NoSuchTable(LookupError):
    """The package has no readable table of that name."""


def _unique_where_given(data: pandera.polars.PolarsData) -> pl.LazyFrame:
    """Table Schema's `unique`: no value given twice (empty cells aside)."""
    column = pl.col(data.key)
    return data.lazyframe.select(column.is_null() | column.is_unique())


def frame_schema(schema: TableSchema, name: str) -> pandera.polars.DataFrameSchema:
    """A pandera DataFrameSchema for a polars frame holding one table's typed values, one column per field."""
    import pandera.polars as pa

    key = list(schema.primary_key)
    columns = {}
    for fld in schema.fields:
        checks = [pandera_check(spec) for spec in field_checks(fld, fld.name in key) if spec.builtin is not None]
        nullable = not (fld.required or fld.name in key)
        unique = bool(fld.constraints.get("unique"))
        if unique and nullable:  # the standard's `unique` leaves empty cells aside; pandera's counts nulls as repeats
            checks.append(pa.Check(_unique_where_given, name="unique", error="repeats a value that must be unique"))
        columns[fld.name] = pa.Column(
            polars_type(fld),
            checks=checks,
            nullable=nullable,
            unique=unique and not nullable,
            required=True,
            description=fld.description or None,
        )
    return pa.DataFrameSchema(columns, unique=key or None, strict=False, name=name, description=schema.description or None)


def pandera_schema(table: str, path: str | os.PathLike[str] | None = None) -> pandera.polars.DataFrameSchema:
    """The pandera schema of `table` in the package at `path` (default: the current folder), for `c5data.load(table)` frames.

    >>> schema = c5data.pandera_schema("meetings")
    >>> schema.validate(c5data.load("meetings"), lazy=True)  # raises pandera's SchemaErrors on a bad value
    """
    package, problems = load_package(path)
    resource = package.resource(table) if package is not None else None
    if resource is None or resource.schema is None:
        known = ", ".join(r.name for r in package.resources) if package is not None else ""
        why = "; ".join(f"{f.location}: {f.message}" for f in problems) if package is None else f"the package's tables are: {known}"
        raise NoSuchTable(f"no table {table!r} in the package at {path or '.'} ({why})")
    return frame_schema(resource.schema, table)
