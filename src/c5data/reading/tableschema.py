"""Table Schemas read into plain objects: the single source of truth for every column.

Validation, DuckDB DDL, Parquet types and the codebook are all derived from
these objects; nothing else in the project restates a type or a constraint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from c5data.findings import Finding
from c5data.reading.profile import TABLE_SCHEMA, stray_properties
from c5data.reading.standard import profile_problems

TYPES = {
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "geopoint",
    "geojson",
    "object",
    "array",
    "list",
    "any",
}
#: Types whose values have no order and no literal to list: no minimum/maximum, enum or categories.
UNORDERED = {"geopoint", "geojson", "object", "array"}
GEOPOINT_FORMATS = {"default", "array", "object"}
LIST_ITEM_TYPES = {"string", "integer", "number", "boolean", "date", "time", "datetime"}
#: `fieldsMatch`: how the header is matched with the fields (exact: by order; the others: by name).
FIELDS_MATCH = {"exact", "equal", "subset", "superset", "partial"}
#: `format` of a string field: each one is checked (fields.py), an unknown one is refused.
STRING_FORMATS = {"default", "email", "uri", "uuid", "binary"}
TEMPORAL = {"date", "time", "datetime"}
#: strftime directives a temporal `format` pattern may use (Python's and polars' readers share them).
_DIRECTIVE = re.compile(r"%[-_0^#]?(\.[0-9]?f|:z|#z|[A-Za-z%])")
_DIRECTIVES = set("aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZf%")
DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]


@dataclass
class Field:
    name: str
    type: str = "any"  # Table Schema v2: a field without a type is `any`
    title: str = ""
    description: str = ""
    format: str = "default"
    constraints: dict[str, Any] = field(default_factory=dict)
    categories: list[str] | None = None
    category_labels: dict[str, str] = field(default_factory=dict)
    item_type: str = "string"
    delimiter: str = ","
    true_values: list[str] = field(default_factory=lambda: list(DEFAULT_TRUE))
    false_values: list[str] = field(default_factory=lambda: list(DEFAULT_FALSE))
    missing_values: list[str] = field(default_factory=lambda: [""])
    group_char: str = ""  # number/integer: `groupChar`, removed before the value is read ("1,000")
    decimal_char: str = "."  # number: `decimalChar`
    bare_number: bool = True  # number/integer: false strips leading and trailing non-numeric text ("€95", "95%")
    array_item: Field | None = None  # array: `arrayItem`, the field every item of the JSON array must satisfy
    script: str = ""  # `x-script`: the Unicode script every letter must belong to (e.g. Latin for an English title)

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))

    @property
    def value_type(self) -> str:
        """The type each value (or each list item) is parsed as."""
        return self.item_type if self.type == "list" else self.type


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str  # "" means the table itself
    ref_fields: tuple[str, ...]
    from_list: bool = False  # the local field is a list: every item must resolve


@dataclass
class TableSchema:
    fields: list[Field]
    primary_key: tuple[str, ...] = ()
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    unique_keys: list[tuple[str, ...]] = field(default_factory=list)
    missing_values: list[str] = field(default_factory=lambda: [""])
    fields_match: str = "exact"
    description: str = ""
    refused: tuple[str, ...] = ()  # declared fields refused with a field-error: their columns are not reported again

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def get(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


#: How each scalar type is written in a CSV cell (and in a constraint value of the descriptor).
LEXICAL_PATTERNS = {
    "integer": r"^[+-]?[0-9]+$",
    "number": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "datetime": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
    "year": r"^[0-9]{4}$",
    "time": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?$",
    "yearmonth": r"^[0-9]{4}-(0[1-9]|1[0-2])$",
    # ISO 8601 duration (fields.py also refuses "P" alone and a T with nothing after it: no look-ahead in polars)
    "duration": r"^P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?$",
}


def bound_value(ftype: str, value: Any) -> Any:
    """A constraint value written in the descriptor as a Python value comparable with the field's typed values.

    Dates become `date`s and date-times timezone-aware `datetime`s in UTC (a
    date-time without an offset is read as UTC, as cells are). Raises
    ValueError when the value does not fit the type.
    """
    import datetime as dt

    if ftype in ("time", "yearmonth"):
        if not isinstance(value, str) or not re.match(LEXICAL_PATTERNS[ftype], value):
            raise ValueError(f"{value!r} is not written as a {ftype}")
        return dt.time.fromisoformat(value) if ftype == "time" else value
    if ftype in ("date", "datetime"):
        if not isinstance(value, str) or not re.match(LEXICAL_PATTERNS[ftype], value):
            raise ValueError(f"{value!r} is not written as a {ftype}")
        if ftype == "date":
            return dt.date.fromisoformat(value)
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        try:
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
        except OverflowError as exc:  # 9999-12-31T23:59:59-05:00 is past the last instant a date-time holds in UTC
            raise ValueError(f"{value!r} lies outside the years 1 to 9999 once in UTC") from exc
    if ftype == "boolean" and not isinstance(value, bool):
        raise ValueError(f"{value!r} is not true or false")
    if ftype in ("integer", "year") and (not isinstance(value, int) or isinstance(value, bool)):
        raise ValueError(f"{value!r} is not a whole number")
    if ftype == "number" and (not isinstance(value, (int, float)) or isinstance(value, bool)):
        raise ValueError(f"{value!r} is not a number")
    return value


def constraint_value(fld: Field, value: Any) -> Any:
    """A constraint value (`enum` item or bound) as a typed value of the field, or raises ValueError.

    Written as the JSON value of its type (`3`, `"2024-01-31"`) or, in a string, as a cell of the field would be
    written (`"3"`, `"31.01.2024"` for a date with the format `%d.%m.%Y`)."""
    try:
        return bound_value(fld.value_type, value)
    except ValueError:
        if not isinstance(value, str) or fld.value_type in ("string", "any"):
            raise
    from c5data.reading.fields import cell_values  # fields.py builds on this module: imported when used

    try:
        parsed = cell_values(replace(fld, type=fld.value_type, missing_values=[]), [value])[0]
    except (OverflowError, ValueError):  # read, but outside what Python's dates can hold (year 9999 past UTC)
        parsed = None
    if parsed is None:
        raise ValueError(f"{value!r} is not written as a {fld.value_type}")
    return parsed


def _bound_fits(ftype: str, key: str, value: Any, fld: Field | None = None) -> bool:
    """Whether a constraint value written in the descriptor can be compared with the field's values."""
    if key in ("minLength", "maxLength"):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    try:
        constraint_value(fld, value) if fld is not None else bound_value(ftype, value)
    except ValueError:
        return False
    if ftype == "duration" and key != "enum":
        return False  # months and days have no fixed length: durations are not ordered
    return key == "enum" or ftype in ("date", "time", "datetime", "boolean", "integer", "year", "number") or isinstance(value, (int, float, str))


def _pattern_problem(pattern: Any) -> str | None:
    """Why a pattern cannot be used, or None. Checks run on polars' regex engine, which has no look-around
    or back-references, so a pattern must compile there as well as in Python."""
    if not isinstance(pattern, str):
        return "must be a string"
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"does not compile: {exc}"
    import polars as pl

    try:
        pl.Series([""]).str.contains(f"^(?:{pattern})$")
    except Exception as exc:  # polars raises ComputeError with the regex engine's explanation
        reason = str(exc).split("\n")
        detail = next((line.strip() for line in reason if line.strip().startswith("error:")), reason[0])
        return f"is not supported by the validator's regex engine ({detail})"
    return None


def _missing_values(value: Any) -> list[str] | None:
    """`missingValues` as the strings to read as missing: a list of strings or (v2) of `{"value": …, "label": …}`."""
    if isinstance(value, list) and all(isinstance(m, str) for m in value):
        return list(value)
    if isinstance(value, list) and all(isinstance(m, dict) and isinstance(m.get("value"), str) for m in value):
        return [m["value"] for m in value]
    return None


def temporal_format(fmt: Any) -> str:
    """A date/time/datetime `format` without the `fmt:` prefix of v0 descriptors (v2 says to drop it)."""
    return fmt[4:] if isinstance(fmt, str) and fmt.startswith("fmt:") else fmt


def _format_problem(ftype: str, fmt: Any) -> str | None:
    """Why a field's `format` cannot be applied, or None: every format is applied or refused, never ignored."""
    if ftype == "string" and fmt not in STRING_FORMATS:
        return f"unknown string format {fmt!r}; expected one of {', '.join(sorted(STRING_FORMATS))}"
    if ftype not in TEMPORAL or fmt in ("default", "any"):
        return None
    directives = _DIRECTIVE.findall(fmt) if isinstance(fmt, str) else []
    unknown = sorted({d for d in directives if d[-1] not in _DIRECTIVES})
    if not directives or unknown:
        why = f"uses unknown directive(s) {', '.join('%' + d for d in unknown)}" if unknown else "has no % directive"
        return f"{ftype} format {fmt!r} {why}; expected default, any or a pattern such as %d.%m.%Y"
    return None


def _number_problem(raw: dict[str, Any]) -> str | None:
    if raw.get("decimalChar", ".") == "":
        return "decimalChar must not be empty"
    if raw.get("groupChar") and raw.get("groupChar") == raw.get("decimalChar", "."):
        return "groupChar and decimalChar must differ"
    return None


def _as_tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(f"expected a field name or a list of field names, got {value!r}")


def parse_schema(descriptor: Any, where: str, pointer: str = "") -> tuple[TableSchema | None, list[Finding]]:
    """Read a Table Schema descriptor; return it with any schema-error/field-error findings.

    `pointer` is where the schema sits in `where` (an inline schema: `/resources/0/schema`)."""
    problems: list[Finding] = []

    def bad(code: str, message: str, name: str | None = None) -> None:
        problems.append(Finding(code, message, file=where, field=name))

    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("fields"), list) or not descriptor["fields"]:
        bad("schema-error", "a Table Schema is an object with a non-empty `fields` array")
        return None, problems
    # Against the standard's profile a value would be misread (`"required": "false"` is truthy): a field that breaks
    # it is refused (field-error), anything else refuses the schema.
    in_field: dict[int, list[str]] = {}
    wrong = []
    for at, message in profile_problems(descriptor, "schema", pointer):
        index = re.match(re.escape(pointer) + r"/fields/([0-9]+)(?:/|$)", at)
        if index:
            in_field.setdefault(int(index.group(1)), []).append(f"{at}: {message}")
        else:
            wrong.append(Finding("schema-error", f"{at}: {message}", file=where, field=at))
    if wrong:
        return None, problems + wrong
    problems += [Finding(code, message, file=where, field=pointer, hint=hint) for pointer, code, message, hint in stray_properties(descriptor, TABLE_SCHEMA, pointer)]
    missing = _missing_values(descriptor.get("missingValues", [""]))
    if missing is None:
        bad("schema-error", "`missingValues` must be a list of strings or of objects with a string `value`")
        missing = [""]
    fields_match = descriptor.get("fieldsMatch", "exact")
    if fields_match not in FIELDS_MATCH:
        expected = ", ".join(sorted(FIELDS_MATCH))
        problems.append(Finding("schema-error", f"unknown fieldsMatch {fields_match!r}; expected one of {expected}", file=where, field=f"{pointer}/fieldsMatch"))
        return None, problems
    fields: list[Field] = []
    seen: set[str] = set()
    for i, raw in enumerate(descriptor["fields"], start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
            bad("field-error", f"field #{i} has no name")
            continue
        name = raw["name"]
        if name in seen:
            bad("field-error", f"field {name!r} is declared twice", name)
            continue
        if name.lower() in {n.lower() for n in seen}:
            bad("field-error", f"field {name!r} differs from another field only by case; SQL column names ignore case, so they must differ otherwise", name)
            continue
        if name.startswith("__") and name.endswith("__"):
            bad("field-error", f"field name {name!r} is reserved (names of the form __name__ are the validator's own columns)", name)
            continue
        seen.add(name)
        if i - 1 in in_field:
            problems += [Finding("field-error", message, file=where, field=name) for message in in_field[i - 1]]
            continue
        ftype = raw.get("type", "any")
        if ftype not in TYPES:
            bad("field-error", f"unknown type {ftype!r}; expected one of {', '.join(sorted(TYPES))}", name)
            continue
        if ftype == "geopoint" and raw.get("format", "default") not in GEOPOINT_FORMATS:
            bad("field-error", f"unknown geopoint format {raw.get('format')!r}; expected default, array or object", name)
            continue
        fmt = temporal_format(raw.get("format", "default"))
        problem = _format_problem(ftype, fmt) or (_number_problem(raw) if ftype in ("number", "integer") else None)
        field_missing = _missing_values(raw.get("missingValues", missing))
        if problem is None and field_missing is None:
            problem = "`missingValues` must be a list of strings or of objects with a string `value`"
        if problem:
            bad("field-error", problem, name)
            continue
        fld = Field(
            name=name,
            type=ftype,
            title=raw.get("title", ""),
            description=raw.get("description", ""),
            format=fmt,
            missing_values=field_missing or [],
            group_char=raw.get("groupChar", ""),
            decimal_char=raw.get("decimalChar", "."),
            bare_number=raw.get("bareNumber", True),
            item_type=raw.get("itemType", "string"),
            delimiter=raw.get("delimiter", ","),
            true_values=raw.get("trueValues", DEFAULT_TRUE),
            false_values=raw.get("falseValues", DEFAULT_FALSE),
        )
        constraints = raw.get("constraints", {})
        if ftype in UNORDERED and isinstance(constraints, dict):
            for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"):
                if key in constraints:
                    bad("field-error", f"constraint {key} is not supported for type {ftype}", name)
            constraints = {k: v for k, v in constraints.items() if k not in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")}
            if "categories" in raw:
                bad("field-error", f"categories are not supported for type {ftype}", name)
                raw = {k: v for k, v in raw.items() if k != "categories"}
        if not isinstance(constraints, dict):
            bad("field-error", "`constraints` must be an object", name)
            constraints = {}
        if "pattern" in constraints:
            problem = _pattern_problem(constraints["pattern"])
            if problem:
                bad("field-error", f"constraint pattern {constraints['pattern']!r} {problem}", name)
                constraints = {k: v for k, v in constraints.items() if k != "pattern"}
        if "enum" in constraints and isinstance(constraints["enum"], list) and ftype in ("string", "list") and not all(isinstance(x, str) for x in constraints["enum"]):
            bad("field-error", f"constraint enum {constraints['enum']!r} must list strings for a {ftype} field", name)
            constraints = {k: v for k, v in constraints.items() if k != "enum"}
        if "enum" in constraints and not isinstance(constraints["enum"], list):
            bad("field-error", "constraint enum must be a list", name)
            constraints = {k: v for k, v in constraints.items() if k != "enum"}
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength"):
            if key in constraints and not _bound_fits(ftype, key, constraints[key], fld):
                bad("field-error", f"constraint {key} {constraints[key]!r} does not fit type {ftype}", name)
                constraints = {k: v for k, v in constraints.items() if k != key}
        if (
            "enum" in constraints
            and ftype in ("integer", "number", "boolean", "date", "time", "yearmonth")
            and not all(_bound_fits(ftype, "enum", x, fld) for x in constraints["enum"])
        ):
            bad("field-error", f"constraint enum {constraints['enum']!r} has values that do not fit type {ftype}", name)
            constraints = {k: v for k, v in constraints.items() if k != "enum"}
        fld.constraints = constraints
        if ftype == "array" and "arrayItem" in raw:
            item = _array_item(raw["arrayItem"], name, where, pointer, problems)
            if item is None:
                continue
            fld.array_item = item
        script = raw.get("x-script", "")
        if script and (not isinstance(script, str) or not re.fullmatch(r"[A-Z][a-z]+(_[A-Z][a-z]+)*", script)):
            bad("field-error", f"x-script must name a Unicode script such as Latin or Cyrillic, got {script!r}", name)
            script = ""
        fld.script = script
        if ftype == "list":
            if fld.item_type not in LIST_ITEM_TYPES:
                bad("field-error", f"unknown itemType {fld.item_type!r}", name)
                continue
            if not isinstance(fld.delimiter, str) or len(fld.delimiter) != 1:
                bad("field-error", "list delimiter must be one character", name)
                continue
        cats = raw.get("categories")
        if cats is not None and ftype not in ("string", "integer"):
            bad("field-error", f"categories are for string and integer fields, not {ftype}", name)
            cats = None
        if cats is not None:
            if not isinstance(cats, list) or not cats:
                bad("field-error", "`categories` must be a non-empty list", name)
            else:
                values = []
                for c in cats:
                    if isinstance(c, dict) and "value" in c:
                        values.append(str(c["value"]))
                        if "label" in c:
                            fld.category_labels[str(c["value"])] = str(c["label"])
                    else:
                        values.append(str(c))
                fld.categories = values
        fields.append(fld)

    names = {f.name for f in fields}
    unkeyable = {f.name for f in fields if f.type in ("list", "array", "object", "geojson", "geopoint")}  # no SQL key or index on these
    schema = TableSchema(fields=fields, missing_values=missing, description=descriptor.get("description", ""), fields_match=fields_match)
    declared = [raw["name"] for raw in descriptor["fields"] if isinstance(raw, dict) and isinstance(raw.get("name"), str)]
    schema.refused = tuple(n for n in dict.fromkeys(declared) if n not in names)
    try:
        if "primaryKey" in descriptor:
            schema.primary_key = _as_tuple(descriptor["primaryKey"])
            for n in schema.primary_key:
                if n not in names:
                    bad("schema-error", f"primaryKey names unknown field {n!r}")
            schema.primary_key = tuple(n for n in schema.primary_key if n in names)
            if any(n in unkeyable for n in schema.primary_key):
                bad("schema-error", f"primaryKey {list(schema.primary_key)} includes a field of a type that cannot be a key ({', '.join(sorted(unkeyable))})")
                schema.primary_key = ()
        for uk in descriptor.get("uniqueKeys", []):
            unique = _as_tuple(uk)
            if not unique:
                bad("schema-error", "uniqueKeys entry [] names no field; a key needs at least one")
                continue
            if any(n in unkeyable for n in unique):
                bad("schema-error", f"uniqueKeys entry {list(unique)} includes a field of a type that cannot be a key")
                continue
            if any(n not in names for n in unique):
                bad("schema-error", f"uniqueKeys entry {list(unique)} names an unknown field")
                continue
            schema.unique_keys.append(unique)
    except ValueError as exc:
        bad("schema-error", str(exc))
    list_fields = {f.name for f in fields if f.type == "list"}
    for prop in ("foreignKeys", "x-listForeignKeys"):
        for fk in descriptor.get(prop, []):
            try:
                local = _as_tuple(fk["fields"])
                ref = fk.get("reference", {})
                ref_fields = _as_tuple(ref["fields"])
            except (KeyError, TypeError, ValueError) as exc:
                bad("schema-error", f"{prop} entry is malformed: {exc}")
                continue
            if len(local) != len(ref_fields) or any(n not in names for n in local):
                bad("schema-error", f"{prop} entry {list(local)} names unknown fields or has a length mismatch")
                continue
            from_list = any(n in list_fields for n in local)
            if from_list and len(local) != 1:
                bad("schema-error", f"a reference from a list field must have one field, got {list(local)}")
                continue
            if not isinstance(ref, dict) or not isinstance(ref.get("resource", ""), str):
                bad("schema-error", f"{prop} entry's reference must be an object naming a resource")
                continue
            schema.foreign_keys.append(ForeignKey(local, ref.get("resource", "") or "", ref_fields, from_list))
    return schema, problems


def _array_item(item: Any, name: str, where: str, pointer: str, problems: list[Finding]) -> Field | None:
    """An array field's `arrayItem`: a field descriptor without a name, read as a field would be (None if refused)."""
    if not isinstance(item, dict) or item.get("type") in ("array", "list"):
        problems.append(Finding("field-error", "arrayItem must be a field descriptor whose type is not array or list", file=where, field=name))
        return None
    schema, found = parse_schema({"fields": [{**item, "name": name}]}, where, pointer)
    problems += [replace(f, message=f"arrayItem: {f.message}") for f in found]
    return schema.fields[0] if schema is not None and schema.fields else None
