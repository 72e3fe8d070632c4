"""Table Schemas read into plain objects: the single source of truth for every column.

Validation, DuckDB DDL, Parquet types and the codebook are all derived from
these objects; nothing else in the project restates a type or a constraint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from c5data.findings import Finding
from c5data.reading.profile import CONSTRAINTS, TABLE_SCHEMA, stray_properties
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
GEOPOINT_FORMATS = {"default", "array", "object"}
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

    if ftype in ("time", "yearmonth", "duration"):
        if not isinstance(value, str) or not re.match(LEXICAL_PATTERNS[ftype], value):
            raise ValueError(f"{value!r} is not written as a {ftype}")
        return dt.time.fromisoformat(value) if ftype == "time" else value  # months and durations stay text as written
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


def _bound_fits(key: str, value: Any, fld: Field) -> bool:
    """Whether a constraint value written in the descriptor can be compared with the field's values."""
    if key in ("minLength", "maxLength"):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    try:
        constraint_value(fld, value)
    except ValueError:
        return False
    return True


def _pattern_problem(pattern: Any) -> str | None:
    """Why a pattern cannot be used, or None. Checks run on polars' regex engine, which has no look-around
    or back-references, so a pattern must compile there as well as in Python."""
    if not isinstance(pattern, str):
        return "must be a string"
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"does not compile: {exc}"
    return _engine_problem(f"^(?:{pattern})$")


def _engine_problem(regex: str) -> str | None:
    """Why polars' regex engine (Rust's `regex`) refuses `regex`, or None."""
    import polars as pl

    try:
        pl.Series([""]).str.contains(regex)
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


BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
LENGTHS = ("minLength", "maxLength")
#: The constraints each type takes (Table Schema v2, as frictionless-py applies them); any other is refused, since
#: a constraint no check applies would be accepted and ignored. Beyond the standard: a list's `enum` and `pattern`
#: apply to each item. Refused: bounds of durations (months and days have no fixed length) and an enum of JSON values.
_ORDERED = {"required", "unique", "enum", *BOUNDS}
SUPPORTED_CONSTRAINTS: dict[str, set[str]] = {
    "string": {"required", "unique", "enum", "pattern", *LENGTHS},
    "list": {"required", "unique", "enum", "pattern", *LENGTHS},
    **{t: _ORDERED for t in ("integer", "number", "date", "time", "datetime", "year", "yearmonth")},
    **{t: {"required", "unique", "enum"} for t in ("boolean", "any", "duration")},
    **{t: {"required", "unique", *LENGTHS, "jsonSchema"} for t in ("object", "array")},
    **{t: {"required", "unique"} for t in ("geojson", "geopoint")},
}
_MISSING_VALUES = "`missingValues` must be a list of strings or of objects with a string `value`"


class _Problems(list[Finding]):
    """The findings of one schema as it is read, each located in the schema's file (and at a field, when named)."""

    def __init__(self, where: str, pointer: str) -> None:
        super().__init__()
        self.where, self.pointer = where, pointer

    def bad(self, code: str, message: str, name: str | None = None) -> None:
        self.append(Finding(code, message, file=self.where, field=name))


def parse_schema(descriptor: Any, where: str, pointer: str = "") -> tuple[TableSchema | None, list[Finding]]:
    """Read a Table Schema descriptor; return it with any schema-error/field-error findings.

    `pointer` is where the schema sits in `where` (an inline schema: `/resources/0/schema`). Each mistake is
    a field-error at its field: a field whose name, type or form cannot be used is left out, a constraint,
    category list or x-script that cannot be applied is dropped. A mistake that leaves no schema to read
    (no fields, a profile violation outside the fields, an unknown fieldsMatch) returns None."""
    problems = _Problems(where, pointer)
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("fields"), list) or not descriptor["fields"]:
        problems.bad("schema-error", "a Table Schema is an object with a non-empty `fields` array")
        return None, problems
    in_field, wrong = _profile_problems(descriptor, where, pointer)
    if wrong:
        return None, problems + wrong
    problems += [Finding(code, message, file=where, field=at, hint=hint) for at, code, message, hint in stray_properties(descriptor, TABLE_SCHEMA, pointer)]
    missing = _missing_values(descriptor.get("missingValues", [""]))
    if missing is None:
        problems.bad("schema-error", _MISSING_VALUES)
        missing = [""]
    fields_match = descriptor.get("fieldsMatch", "exact")
    if fields_match not in FIELDS_MATCH:
        expected = ", ".join(sorted(FIELDS_MATCH))
        problems.append(Finding("schema-error", f"unknown fieldsMatch {fields_match!r}; expected one of {expected}", file=where, field=f"{pointer}/fieldsMatch"))
        return None, problems
    fields = _fields(descriptor["fields"], missing, in_field, problems)
    schema = TableSchema(fields=fields, missing_values=missing, description=descriptor.get("description", ""), fields_match=fields_match)
    declared = [raw["name"] for raw in descriptor["fields"] if isinstance(raw, dict) and isinstance(raw.get("name"), str)]
    schema.refused = tuple(n for n in dict.fromkeys(declared) if n not in schema.field_names)
    _keys(descriptor, schema, problems)
    for prop in ("foreignKeys", "x-listForeignKeys"):
        schema.foreign_keys += _foreign_keys(prop, descriptor.get(prop, []), schema, problems)
    return schema, list(problems)


def _profile_problems(descriptor: dict[str, Any], where: str, pointer: str) -> tuple[dict[int, list[str]], list[Finding]]:
    """The standard's profile, applied: what breaks it inside a field (by field index) and elsewhere (schema-errors).

    Against the profile a value would be misread (`"required": "false"` is truthy): a field that breaks it is
    refused, anything else refuses the schema."""
    in_field: dict[int, list[str]] = {}
    wrong = []
    for at, message in profile_problems(descriptor, "schema", pointer):
        index = re.match(re.escape(pointer) + r"/fields/([0-9]+)(?:/|$)", at)
        if index:
            in_field.setdefault(int(index.group(1)), []).append(f"{at}: {message}")
        else:
            wrong.append(Finding("schema-error", f"{at}: {message}", file=where, field=at))
    return in_field, wrong


def _fields(raws: list[Any], missing: list[str], in_field: dict[int, list[str]], problems: _Problems) -> list[Field]:
    """Every field that can be read; each one that cannot is a field-error and is left out."""
    fields: list[Field] = []
    seen: set[str] = set()
    for i, raw in enumerate(raws, start=1):
        name = _name(raw, i, seen, problems)
        if name is None:
            continue
        seen.add(name)
        if i - 1 in in_field:
            problems += [Finding("field-error", message, file=problems.where, field=name) for message in in_field[i - 1]]
            continue
        try:
            fld = _field(raw, name, missing, problems)
        except (ValueError, TypeError, OverflowError, re.error) as exc:  # a value this reader did not foresee: the field's mistake, reported
            problems.bad("field-error", f"cannot be read: {exc}", name)
            continue
        if fld is not None:
            fields.append(fld)
    return fields


def _name(raw: Any, i: int, seen: set[str], problems: _Problems) -> str | None:
    """The field's name, or None (a field-error) when it has none, repeats one or takes a reserved one."""
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        problems.bad("field-error", f"field #{i} has no name")
        return None
    name: str = raw["name"]
    if name in seen:
        problems.bad("field-error", f"field {name!r} is declared twice", name)
    elif name.lower() in {n.lower() for n in seen}:
        problems.bad("field-error", f"field {name!r} differs from another field only by case; SQL column names ignore case, so they must differ otherwise", name)
    elif name.startswith("__") and name.endswith("__"):
        problems.bad("field-error", f"field name {name!r} is reserved (names of the form __name__ are the validator's own columns)", name)
    else:
        return name
    return None


def _field(raw: dict[str, Any], name: str, missing: list[str], problems: _Problems) -> Field | None:
    """One field descriptor read into a Field, or None (with a field-error) when its type or form cannot be applied."""
    ftype = raw.get("type", "any")
    problem = _form_problem(raw, ftype)
    field_missing = _missing_values(raw.get("missingValues", missing)) if problem is None else []
    if problem is None and field_missing is None:
        problem = _MISSING_VALUES
    if problem:
        problems.bad("field-error", problem, name)
        return None
    fld = Field(
        name=name,
        type=ftype,
        title=raw.get("title", ""),
        description=raw.get("description", ""),
        format=temporal_format(raw.get("format", "default")),
        missing_values=field_missing or [],
        group_char=raw.get("groupChar", ""),
        decimal_char=raw.get("decimalChar", "."),
        bare_number=raw.get("bareNumber", True),
        item_type=raw.get("itemType", "string"),
        delimiter=raw.get("delimiter", ","),
        true_values=raw.get("trueValues", DEFAULT_TRUE),
        false_values=raw.get("falseValues", DEFAULT_FALSE),
    )
    list_problem = _list_problem(fld) if ftype == "list" else None
    if list_problem:
        problems.bad("field-error", list_problem, name)
        return None
    fld.constraints = _constraints(fld, raw.get("constraints", {}), problems)
    fld.script = _script(raw.get("x-script", ""), name, problems)
    fld.categories = _categories(fld, raw, problems)
    if ftype == "array" and "arrayItem" in raw:
        fld.array_item = _array_item(raw["arrayItem"], name, problems)
        if fld.array_item is None:
            return None
    return fld


def _form_problem(raw: dict[str, Any], ftype: Any) -> str | None:
    """Why a field's type, `format` or number characters cannot be applied, or None."""
    if ftype not in TYPES:
        return f"unknown type {ftype!r}; expected one of {', '.join(sorted(TYPES))}"
    if ftype == "geopoint":
        fmt = raw.get("format", "default")
        return None if fmt in GEOPOINT_FORMATS else f"unknown geopoint format {fmt!r}; expected default, array or object"
    return _format_problem(ftype, temporal_format(raw.get("format", "default"))) or (_number_problem(raw) if ftype in ("number", "integer") else None)


def _list_problem(fld: Field) -> str | None:
    """Why a list field's `delimiter` cannot split its cells (its `itemType` the profile has checked)."""
    if len(fld.delimiter) != 1:
        return "list delimiter must be one character"
    return None


def _constraints(fld: Field, constraints: Any, problems: _Problems) -> dict[str, Any]:
    """The field's constraints that can be applied; each that cannot is a field-error and is dropped."""
    if not isinstance(constraints, dict):
        problems.bad("field-error", "`constraints` must be an object", fld.name)
        return {}
    kept: dict[str, Any] = {}
    for key, value in constraints.items():
        problem = _constraint_problem(fld, key, value) if key in CONSTRAINTS else None  # a custom property is left alone
        if problem:
            problems.bad("field-error", problem, fld.name)
        else:
            kept[key] = value
    return kept


def _constraint_problem(fld: Field, key: str, value: Any) -> str | None:
    """Why one constraint cannot be applied to the field, or None."""
    if key not in SUPPORTED_CONSTRAINTS[fld.type]:
        takes = ", ".join(sorted(SUPPORTED_CONSTRAINTS[fld.type]))
        return f"constraint {key} is not supported for type {fld.type}; a {fld.type} field takes {takes}"
    if key == "pattern":
        problem = _pattern_problem(value)
        return f"constraint pattern {value!r} {problem}" if problem else None
    if key == "enum":
        return _enum_problem(fld, value)
    if key == "jsonSchema":
        return _json_schema_problem(value)
    if key in BOUNDS or key in LENGTHS:
        return None if _bound_fits(key, value, fld) else f"constraint {key} {value!r} does not fit type {fld.type}"
    return None


def _json_schema_problem(schema: Any) -> str | None:
    """Why a `jsonSchema` constraint cannot be applied: not a JSON Schema its own metaschema accepts."""
    import jsonschema

    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as exc:
        return f"constraint jsonSchema is not a valid JSON Schema: {exc.message}"
    return None


def _enum_problem(fld: Field, values: Any) -> str | None:
    """Why an `enum` cannot be applied: not a list, or a value that is not one of the field's values."""
    if not isinstance(values, list):
        return "constraint enum must be a list"
    if fld.value_type in ("string", "any"):
        textual = all(isinstance(x, str) for x in values)
        return None if textual else f"constraint enum {values!r} must list strings for a {fld.type} field"
    if not all(_bound_fits("enum", x, fld) for x in values):
        return f"constraint enum {values!r} has values that do not fit type {fld.type}"
    return None


def _script(script: Any, name: str, problems: _Problems) -> str:
    """`x-script`: the name of a Unicode script that the validator's regex engine knows, or "" (a field-error)."""
    if not script:
        return ""
    if not isinstance(script, str) or not re.fullmatch(r"[A-Z][a-z]+(_[A-Z][a-z]+)*", script) or _engine_problem(rf"\p{{{script}}}"):
        problems.bad("field-error", f"x-script must name a Unicode script such as Latin or Cyrillic, got {script!r}", name)
        return ""
    return script


def _categories(fld: Field, raw: dict[str, Any], problems: _Problems) -> list[str] | None:
    """`categories` (values, or `{"value", "label"}` objects whose labels go to `category_labels`) of a string or integer field."""
    cats = raw.get("categories")
    if cats is None:
        return None
    if fld.type not in ("string", "integer"):
        problems.bad("field-error", f"categories are for string and integer fields, not {fld.type}", fld.name)
        return None
    if not isinstance(cats, list) or not cats:
        problems.bad("field-error", "`categories` must be a non-empty list", fld.name)
        return None
    values = []
    for c in cats:
        if isinstance(c, dict) and "value" in c:
            values.append(str(c["value"]))
            if "label" in c:
                fld.category_labels[str(c["value"])] = str(c["label"])
        else:
            values.append(str(c))
    return values


#: Field types that cannot be a primary or unique key: DuckDB has no key or index on lists, arrays and JSON.
UNKEYABLE = {"list", "array", "object", "geojson", "geopoint"}


def _keys(descriptor: dict[str, Any], schema: TableSchema, problems: _Problems) -> None:
    """`primaryKey` and `uniqueKeys`: every key names known fields of a type that can be a key."""
    names = set(schema.field_names)
    unkeyable = {f.name for f in schema.fields if f.type in UNKEYABLE}
    try:
        if "primaryKey" in descriptor:
            key = _as_tuple(descriptor["primaryKey"])
            for n in key:
                if n not in names:
                    problems.bad("schema-error", f"primaryKey names unknown field {n!r}")
            schema.primary_key = tuple(n for n in key if n in names)
            if any(n in unkeyable for n in schema.primary_key):
                problems.bad("schema-error", f"primaryKey {list(schema.primary_key)} includes a field of a type that cannot be a key ({', '.join(sorted(unkeyable))})")
                schema.primary_key = ()
        for uk in descriptor.get("uniqueKeys", []):
            unique = _as_tuple(uk)  # the profile has refused an empty one
            if any(n in unkeyable for n in unique):
                problems.bad("schema-error", f"uniqueKeys entry {list(unique)} includes a field of a type that cannot be a key")
            elif any(n not in names for n in unique):
                problems.bad("schema-error", f"uniqueKeys entry {list(unique)} names an unknown field")
            else:
                schema.unique_keys.append(unique)
    except ValueError as exc:
        problems.bad("schema-error", str(exc))


_FOREIGN_KEY_FORM = 'expected {"fields": [...], "reference": {"resource": "...", "fields": [...]}}'


def _foreign_keys(prop: str, entries: Any, schema: TableSchema, problems: _Problems) -> list[ForeignKey]:
    """`foreignKeys` (or `x-listForeignKeys`, references from list fields): each entry that can be checked."""
    if not isinstance(entries, list):
        problems.bad("schema-error", f"{prop} must be a list of references; {_FOREIGN_KEY_FORM}")
        return []
    found = []
    for entry in entries:
        fk, problem = _foreign_key(prop, entry, schema)
        if problem:
            problems.bad("schema-error", problem)
        elif fk is not None:
            found.append(fk)
    return found


def _foreign_key(prop: str, entry: Any, schema: TableSchema) -> tuple[ForeignKey | None, str | None]:
    """One reference, or why it cannot be checked."""
    ref = entry.get("reference") if isinstance(entry, dict) else None
    if not isinstance(ref, dict) or not isinstance(ref.get("resource", ""), str):
        return None, f"{prop} entry {entry!r} is malformed; {_FOREIGN_KEY_FORM}"
    try:
        local, ref_fields = _as_tuple(entry.get("fields")), _as_tuple(ref.get("fields"))
    except ValueError as exc:
        return None, f"{prop} entry is malformed: {exc}"
    if not local:
        return None, f"{prop} entry names no field; a reference needs at least one"
    names = set(schema.field_names)
    if len(local) != len(ref_fields) or any(n not in names for n in local):
        return None, f"{prop} entry {list(local)} names unknown fields or has a length mismatch"
    lists = {f.name for f in schema.fields if f.type == "list"}
    from_list = any(n in lists for n in local)
    if from_list and len(local) != 1:
        return None, f"a reference from a list field must have one field, got {list(local)}"
    return ForeignKey(local, ref.get("resource", "") or "", ref_fields, from_list), None


def _array_item(item: Any, name: str, problems: _Problems) -> Field | None:
    """An array field's `arrayItem`: a field descriptor without a name, read as a field would be (None if refused)."""
    if not isinstance(item, dict) or item.get("type") in ("array", "list"):
        problems.bad("field-error", "arrayItem must be a field descriptor whose type is not array or list", name)
        return None
    schema, found = parse_schema({"fields": [{**item, "name": name}]}, problems.where, problems.pointer)
    problems += [replace(f, message=f"arrayItem: {f.message}") for f in found]
    return schema.fields[0] if schema is not None and schema.fields else None
