"""Turn a Table Schema field into polars expressions: is the cell missing, what is its typed value.

One place knows how each Table Schema type is written in CSV; the validator
(type-error where a present value does not parse) and the build (typed
Parquet and DuckDB columns) both use it.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from c5data.reading.tableschema import LEXICAL_PATTERNS, Field

_FORMATS = {
    "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "uri": r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$",
    "uuid": r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
}

#: How each type is written, for messages and the codebook.
EXPECTED_FORM = {
    "string": "text",
    "integer": "a whole number such as 3",
    "number": "a number such as 1.5",
    "boolean": "true or false",
    "date": "an ISO date YYYY-MM-DD",
    "datetime": "an ISO date-time YYYY-MM-DDThh:mm:ssZ",
    "year": "a four-digit year",
    "any": "any value",
}

POLARS_TYPES = {
    "string": pl.String,
    "integer": pl.Int64,
    "number": pl.Float64,
    "boolean": pl.Boolean,
    "date": pl.Date,
    "datetime": pl.Datetime("us", "UTC"),
    "year": pl.Int64,
    "any": pl.String,
}


def expected_form(field: Field) -> str:
    if field.type == "list":
        return f"a list of {EXPECTED_FORM[field.item_type]} items separated by '{field.delimiter}'"
    if field.type == "boolean":
        return f"one of {', '.join(field.true_values + field.false_values)}"
    if field.type == "string" and field.format in _FORMATS:
        return f"a valid {field.format}"
    return EXPECTED_FORM.get(field.type, field.type)


def polars_type(field: Field) -> pl.DataType:
    """The polars dtype of a field's typed values."""
    base: Any = POLARS_TYPES[field.value_type]
    return pl.List(base) if field.type == "list" else base


def is_missing(field: Field, column: str | None = None) -> pl.Expr:
    """True where the cell is a missing value (or absent from its row)."""
    col = pl.col(column or field.name)
    return col.is_null() | col.is_in(field.missing_values)


def _parse(expr: pl.Expr, ftype: str, field: Field) -> pl.Expr:
    """Typed value of a string expression; null where it does not parse."""
    if ftype in ("string", "any"):
        if ftype == "string" and field.format in _FORMATS:
            return pl.when(expr.str.contains(_FORMATS[field.format])).then(expr)
        return expr
    if ftype == "boolean":
        return pl.when(expr.is_in(field.true_values)).then(pl.lit(True)).when(expr.is_in(field.false_values)).then(pl.lit(False))
    ok = expr.str.contains(LEXICAL_PATTERNS[ftype])
    if ftype in ("integer", "year"):
        return pl.when(ok).then(expr.cast(pl.Int64, strict=False))
    if ftype == "number":
        return pl.when(ok).then(expr.cast(pl.Float64, strict=False))
    if ftype == "date":
        return pl.when(ok).then(expr.str.to_date("%Y-%m-%d", strict=False))
    if ftype == "datetime":
        # Explicit formats: without one, polars infers the format from the first value, so whether a cell
        # parses would depend on the rows before it. With an offset (Z = +00:00) it is converted to UTC,
        # without one it is read as UTC.
        text = expr.str.replace(r"Z$", "+00:00")
        with_offset = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%:z", time_zone="UTC", strict=False)
        naive = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False).dt.replace_time_zone("UTC")
        return pl.when(ok).then(pl.coalesce(with_offset, naive))
    raise ValueError(ftype)


def split_items(field: Field, column: str | None = None) -> pl.Expr:
    """A list cell split into its raw items (null where the cell is missing)."""
    col = pl.col(column or field.name)
    return pl.when(~is_missing(field, column)).then(col.str.split(field.delimiter))


def typed(field: Field, column: str | None = None) -> pl.Expr:
    """The typed value of each cell: null where missing or where it does not parse.

    A list is null as a whole when any item fails to parse, so a half-read
    list never reaches a reference check.
    """
    col = pl.col(column or field.name)
    if field.type == "list":
        items = split_items(field, column)
        parsed = items.list.eval(_parse(pl.element(), field.item_type, field))
        bad_items = items.list.eval(pl.element().is_in(field.missing_values) | (pl.element() != pl.element().str.strip_chars())).list.any()
        nulls = parsed.list.eval(pl.element().is_null()).list.any()
        return pl.when(~bad_items & ~nulls).then(parsed).cast(polars_type(field))
    return pl.when(~is_missing(field, column)).then(_parse(col, field.type, field)).cast(polars_type(field))


def type_ok(field: Field, column: str | None = None) -> pl.Expr:
    """False where a present value cannot be read as the field's type."""
    return is_missing(field, column) | typed(field, column).is_not_null()
