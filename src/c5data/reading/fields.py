"""Turn a Table Schema field into polars expressions: is the cell missing, what is its typed value.

One place knows how each Table Schema type is written in CSV; the validator
(type-error where a present value does not parse) and the build (typed
Parquet and DuckDB columns) both use it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

import polars as pl

from c5data.reading.tableschema import LEXICAL_PATTERNS, Field

_FORMATS = {
    "binary": r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",  # base64
    "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "uri": r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$",
    "uuid": r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
}

#: How each type is written, for messages and the codebook.
EXPECTED_FORM = {
    "string": "text",
    "integer": "a whole number such as 3",
    "number": "a number such as 1.5, within a 64-bit float's range (about ±1.8e308; INF for infinity)",
    "boolean": "true or false",
    "date": "an ISO date YYYY-MM-DD",
    "datetime": "an ISO date-time YYYY-MM-DDThh:mm:ssZ",
    "year": "a four-digit year",
    "time": "a time hh:mm:ss",  # fractions of a second beyond the microsecond are dropped, as for datetime
    "yearmonth": "a year and month YYYY-MM",
    "duration": "an ISO 8601 duration such as P1Y2M or PT30M",
    "geojson": "a GeoJSON object (JSON with a `type`)",
    "object": "a JSON object",
    "array": "a JSON array",
    "any": "any value",
}
GEOPOINT_FORMS = {
    "default": 'a point "lon, lat" such as "76.9, 43.2"',
    "array": "a point [lon, lat] such as [76.9, 43.2]",
    "object": 'a point {"lon": 76.9, "lat": 43.2}',
}
GEOPOINT = pl.Struct({"lon": pl.Float64, "lat": pl.Float64})

POLARS_TYPES = {
    "string": pl.String,
    "integer": pl.Int64,
    "number": pl.Float64,
    "boolean": pl.Boolean,
    "date": pl.Date,
    "datetime": pl.Datetime("us", "UTC"),
    "year": pl.Int64,
    "time": pl.Time,
    "yearmonth": pl.String,  # "YYYY-MM" as written: it sorts and compares as text
    "duration": pl.String,  # ISO 8601 as written: a month has no fixed length, so no exact interval type holds it
    "geopoint": GEOPOINT,
    "geojson": pl.String,  # JSON text, checked to be an object with a `type`
    "object": pl.String,
    "array": pl.String,
    "any": pl.String,
}


#: The patterns tried, in order, for a date, time or datetime whose `format` is `any`.
ANY_FORMATS = {
    "date": ["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%Y%m%d"],
    "time": ["%H:%M:%S%.f", "%H:%M", "%I:%M %p", "%I:%M:%S %p", "%H%M%S"],
    "datetime": ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"],
}
#: A number written as not-a-number or an infinity (the standard's NaN, INF and -INF, in any case).
_SPECIAL_NUMBER = r"(?i)^(nan|[+-]?inf)$"


def expected_form(field: Field) -> str:
    """What a valid value of the field looks like, in words, for error messages."""
    if field.type in ("date", "time", "datetime") and field.format != "default":
        return f"a {field.type} in any common form" if field.format == "any" else f"a {field.type} written as {field.format}"
    if field.type == "list":
        return f"a list of {EXPECTED_FORM[field.item_type]} items separated by '{field.delimiter}'"
    if field.type == "boolean":
        return f"one of {', '.join(field.true_values + field.false_values)}"
    if field.type == "string" and field.format in _FORMATS:
        return f"a valid {field.format}"
    if field.type == "geopoint":
        return GEOPOINT_FORMS.get(field.format, GEOPOINT_FORMS["default"])
    return EXPECTED_FORM.get(field.type, field.type)


def polars_type(field: Field) -> pl.DataType:
    """The polars dtype of a field's typed values."""
    base: Any = POLARS_TYPES[field.value_type]
    return pl.List(base) if field.type == "list" else base


def is_missing(field: Field, column: str | None = None) -> pl.Expr:
    """True where the cell is a missing value (or absent from its row)."""
    col = pl.col(column or field.name)
    return col.is_null() | col.is_in(field.missing_values)


def _numeric_text(expr: pl.Expr, field: Field) -> pl.Expr:
    """A number or integer cell as the plain form: text around a non-bare number, group and decimal characters."""
    if not field.bare_number:
        expr = expr.str.replace_all(r"^[^-+0-9]+|[^0-9]+$", "")
    if field.group_char:
        expr = expr.str.replace_all(field.group_char, "", literal=True)
    if field.decimal_char != ".":
        expr = expr.str.replace_all(field.decimal_char, ".", literal=True)
    return expr


def _microseconds(expr: pl.Expr) -> pl.Expr:
    """A time to the microsecond, as date-times are read: what the release's Parquet and DuckDB TIME columns hold
    (polars reads nanoseconds, and a finer value would not survive the build)."""
    return (expr.cast(pl.Int64) // 1000 * 1000).cast(pl.Time)


def _with_pattern(expr: pl.Expr, ftype: str, fmt: str) -> pl.Expr:
    """A date, time or datetime read with a strftime pattern (a datetime with an offset converted to UTC)."""
    if ftype == "date":
        return expr.str.to_date(fmt, strict=False)
    if ftype == "time":
        return _microseconds(expr.str.to_time(fmt, strict=False))
    if any(z in fmt for z in ("%z", "%:z", "%#z")):
        return _in_calendar(expr.str.to_datetime(fmt, time_unit="us", time_zone="UTC", strict=False))
    return _in_calendar(expr.str.to_datetime(fmt, time_unit="us", strict=False).dt.replace_time_zone("UTC"))


def _in_calendar(value: pl.Expr) -> pl.Expr:
    """A date-time whose offset moves it outside the years 1 to 9999 in UTC (0001-01-01T00:00:00+01:00) is null: no
    reader's date-time holds it (Python's, the failure cases', the release's text)."""
    return pl.when(value.dt.year().is_between(1, 9999)).then(value)


def _temporal(expr: pl.Expr, ftype: str, fmt: str) -> pl.Expr:
    """A date, time or datetime with a `format` other than default: one pattern, or (`any`) the first that reads."""
    if fmt != "any":
        return _with_pattern(expr, ftype, fmt)
    default = _parse(expr, ftype, Field("", type=ftype))
    return pl.coalesce(default, *(_with_pattern(expr, ftype, f) for f in ANY_FORMATS[ftype]))


def _parse(expr: pl.Expr, ftype: str, field: Field) -> pl.Expr:
    """Typed value of a string expression; null where it does not parse."""
    if ftype in ("date", "time", "datetime") and field.format != "default":
        return _temporal(expr, ftype, field.format)
    if ftype in ("number", "integer"):
        expr = _numeric_text(expr, field)
    if ftype in ("string", "any"):
        if ftype == "string" and field.format in _FORMATS:
            return pl.when(expr.str.contains(_FORMATS[field.format])).then(expr)
        return expr
    if ftype == "boolean":
        return pl.when(expr.is_in(field.true_values)).then(pl.lit(True)).when(expr.is_in(field.false_values)).then(pl.lit(False))
    if ftype in ("geojson", "object", "array"):
        return expr.map_batches(_json_values(ftype), return_dtype=pl.String)
    if ftype == "geopoint":
        return expr.map_batches(_geopoints(field.format), return_dtype=GEOPOINT)
    ok = expr.str.contains(LEXICAL_PATTERNS[ftype])
    if ftype == "duration":
        return pl.when(ok & (expr.str.len_chars() > 1) & ~expr.str.ends_with("T")).then(expr)
    if ftype == "yearmonth":
        return pl.when(ok).then(expr)
    if ftype == "time":
        return pl.when(ok).then(_microseconds(expr.str.to_time("%H:%M:%S%.f", strict=False)))
    if ftype in ("integer", "year"):
        return pl.when(ok).then(expr.cast(pl.Int64, strict=False))
    if ftype == "number":
        # 1e400 is a number as written but no 64-bit float holds it: read as infinity it would change the value
        value = expr.cast(pl.Float64, strict=False)
        return pl.when(expr.str.contains(_SPECIAL_NUMBER) | (ok & value.is_finite())).then(value)
    if ftype == "date":
        return pl.when(ok).then(expr.str.to_date("%Y-%m-%d", strict=False))
    if ftype == "datetime":
        # Explicit formats: without one, polars infers the format from the first value, so whether a cell
        # parses would depend on the rows before it. With an offset (Z = +00:00) it is converted to UTC,
        # without one it is read as UTC.
        text = expr.str.replace(r"Z$", "+00:00")
        with_offset = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%:z", time_zone="UTC", strict=False)
        naive = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False).dt.replace_time_zone("UTC")
        return pl.when(ok).then(_in_calendar(pl.coalesce(with_offset, naive)))
    raise ValueError(ftype)


def json_value(text: str) -> Any:
    """A cell's JSON value as the standard reads it (NaN and Infinity are no JSON: None), None when it is no JSON."""
    try:
        return json.loads(text, parse_constant=lambda name: None)
    except (ValueError, RecursionError):
        return None


def _json_values(ftype: str) -> Callable[[pl.Series], pl.Series]:
    """The cells that are valid JSON of the type's kind (an object with a `type` for GeoJSON), null elsewhere."""

    def keep(value: Any) -> bool:
        if ftype == "array":
            return isinstance(value, list)
        return isinstance(value, dict) and (ftype != "geojson" or isinstance(value.get("type"), str))

    def run(cells: pl.Series) -> pl.Series:
        return pl.Series([c if c is not None and keep(json_value(c)) else None for c in cells.to_list()], dtype=pl.String)

    return run


def _point(lon: Any, lat: Any) -> dict[str, float] | None:
    ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat))
    return {"lon": float(lon), "lat": float(lat)} if ok and -180 <= lon <= 180 and -90 <= lat <= 90 else None


def _geopoint(text: str, fmt: str) -> dict[str, float] | None:
    if fmt == "default":
        parts = text.split(",")
        if len(parts) != 2 or not all(re.fullmatch(LEXICAL_PATTERNS["number"], p.strip()) for p in parts):
            return None
        return _point(float(parts[0]), float(parts[1]))
    value = json_value(text)
    if fmt == "array":
        return _point(*value) if isinstance(value, list) and len(value) == 2 else None
    return _point(value.get("lon"), value.get("lat")) if isinstance(value, dict) and set(value) == {"lon", "lat"} else None


def _geopoints(fmt: str) -> Callable[[pl.Series], pl.Series]:
    def run(cells: pl.Series) -> pl.Series:
        return pl.Series([_geopoint(c, fmt) if c is not None else None for c in cells.to_list()], dtype=GEOPOINT)

    return run


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
        bad_items = items.list.eval(pl.element().is_in(field.missing_values) | (pl.element() != pl.element().str.strip_chars())).list.any()
        if field.item_type in ("string", "any") and not (field.item_type == "string" and field.format in _FORMATS):
            # items read as they are written: no parse and no item can fail one (a split yields no null item)
            return pl.when(~bad_items).then(items).cast(polars_type(field))
        parsed = items.list.eval(_parse(pl.element(), field.item_type, field))
        nulls = parsed.list.eval(pl.element().is_null()).list.any()
        return pl.when(~bad_items & ~nulls).then(parsed).cast(polars_type(field))
    return pl.when(~is_missing(field, column)).then(_parse(col, field.type, field)).cast(polars_type(field))


def cell_values(field: Field, texts: list[str]) -> list[Any]:
    """The typed value of each text as a cell of `field` is read (None where it does not parse)."""
    frame = pl.DataFrame({field.name: texts}, schema={field.name: pl.String})
    return frame.select(typed(field)).to_series().to_list()


def type_ok(field: Field, column: str | None = None) -> pl.Expr:
    """False where a present value cannot be read as the field's type."""
    return is_missing(field, column) | typed(field, column).is_not_null()
