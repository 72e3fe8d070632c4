"""Derive a pandera (polars) schema for one table from its Table Schema, at run time.

Every check is a polars expression that is True where a row passes, wrapped
in a `pandera.Check` whose name keys a `CheckSpec`: the error code, the field
reported and the message. Nothing here restates a column: types, required,
pattern, enum, bounds, lengths, unique, categories, keys and references all
come from the `TableSchema`.

The frame checked has, per field present in the CSV, the raw text in column
`<field>` (null when the row lacks the cell) and the typed value in
`<field>::v`, plus `__line__` (the physical line of the row). Checks that a
package's policy asks of every text cell (an extension's `text_checks`) run
instead over one long frame per table, a row per given cell of its string and
list fields (`text_cells`), so a policy of five checks costs five pandera
checks per table, not five per field.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from c5data.reading.fields import cell_values, expected_form, is_missing, json_value, polars_type
from c5data.reading.tableschema import Field, ForeignKey, TableSchema, constraint_value

if TYPE_CHECKING:  # pandera is imported when a schema is built, not when this module is
    import pandera.polars

LINE = "__line__"
PART = "__part__"  # which file of a multi-part resource the row comes from (only when there are several)
CELL_FIELD = "__field__"  # in the frame of text cells: the field a cell belongs to
CELL_TEXT = "__text__"  # in the frame of text cells: the cell as written
TEXT_TYPES = ("string", "list")  # the fields whose cells are text as a reader sees it


def typed_column(name: str) -> str:
    """Column holding the typed values of field `name`."""
    return f"{name}::v"


@dataclass
class CheckSpec:
    """One check of a table and what a failing row of it means.

    The check itself is either one of pandera's built-in checks applied to the
    typed column of `field` (`builtin`: the `pandera.Check` method and its
    arguments, e.g. `("isin", {"allowed_values": [...]})`), or a polars
    expression over the frame (`expr`, True where the row passes) that
    becomes a custom pandera check. Either way pandera decides the verdict.
    """

    code: str
    field: str | None
    message: str
    expr: pl.Expr | None  # True where the row passes (None when `builtin` decides)
    detail: pl.Expr | None = None  # optional per-row text appended to the message
    suggest: Callable[[str], str | None] | None = None  # optional hint for a failing value
    severity: str | None = None  # overrides the catalogue's (e.g. rules that warn)
    value: pl.Expr | None = None  # what to show as the value; default: the raw cell of `field`
    needs: tuple[pl.Expr, ...] = ()  # columns `expr` reads that the check computes first (shared by several specs)
    builtin: tuple[str, dict[str, object]] | None = None  # a pandera built-in check on the typed column of `field`

    def __post_init__(self) -> None:
        if (self.expr is None) == (self.builtin is None):
            raise ValueError(f"{self.code} on {self.field}: a check is either an expression or a pandera built-in, exactly one")


def builtin(code: str, fld: Field, message: str, method: str, **arguments: object) -> CheckSpec:
    """A check that pandera's own vocabulary states (isin, str_matches, str_length, ge, le, gt, lt) on a field's typed values."""
    return CheckSpec(code, fld.name, message, None, builtin=(method, arguments))


@dataclass
class DerivedSchema:
    """One table's pandera schema and the spec behind each of its checks (by the check's identity)."""

    table: str
    schema: pandera.polars.DataFrameSchema | None  # the whole table in one schema (None for a wide table, run in parts)
    specs: list[CheckSpec] = field(default_factory=list)
    parts: list[SchemaPart] = field(default_factory=list)  # what the validator runs: the whole schema, or a wide table's parts
    spec_of: dict[tuple[int, str | None, int], int] = field(default_factory=dict)  # (part, column or None, check index) -> spec
    text_fields: list[Field] = field(default_factory=list)  # the fields whose cells the part of text cells reads
    text_specs: list[CheckSpec] = field(default_factory=list)  # the last of `specs`: those run on the text cells


def text_cells(frame: pl.DataFrame, fields: list[Field]) -> pl.DataFrame:
    """One row per given cell of `fields` (not absent, not a missing value): its field, its row's line (and part) and its text.

    The text is not copied: polars keeps views of the strings the frame holds.
    """
    names = pl.Enum([f.name for f in fields]) if fields else pl.Enum(["-"])
    located = [pl.col(LINE)] + ([pl.col(PART)] if PART in frame.columns else [])
    pieces = [
        frame.filter(pl.col(f.name).is_not_null() & ~is_missing(f)).select(pl.lit(f.name, dtype=names).alias(CELL_FIELD), *located, pl.col(f.name).alias(CELL_TEXT))
        for f in fields
    ]
    if not pieces:
        return pl.DataFrame(schema={CELL_FIELD: names, **frame.select(located).schema, CELL_TEXT: pl.String})
    return pl.concat(pieces, rechunk=False)


def _lit_of(fld: Field, raw: object) -> object:
    """A constraint bound written in the descriptor, as a value comparable with the typed column."""
    return constraint_value(fld, raw)


def _json_items(cell: str | None) -> list[object] | None:
    import json

    try:
        value = json.loads(cell) if cell is not None else None
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, list) else None


def _item_text(item: object, fld: Field) -> str:
    """An item of a JSON array as the cell text its `arrayItem` field reads (null as the field's missing value)."""
    import json

    if item is None:
        return fld.missing_values[0] if fld.missing_values else ""
    if isinstance(item, str):
        return item
    if isinstance(item, bool):
        return fld.true_values[0] if item else fld.false_values[0]
    return json.dumps(item)


def array_item_checks(fld: Field) -> list[CheckSpec]:
    """An array field's `arrayItem`: every item of each JSON array passes the item field's type and constraints.

    The items of all rows are read as one column of the item field and run through the item field's own checks
    by pandera (`unique` is left out: it speaks of a table's rows, not of one array's items); a row fails where
    any of its items does."""
    item = fld.array_item
    if item is None:
        return []

    def verdicts(spec: CheckSpec) -> Callable[[pl.Series], pl.Series]:
        def run(cells: pl.Series) -> pl.Series:
            arrays = [_json_items(c) for c in cells.to_list()]
            rows = [i for i, a in enumerate(arrays) for _ in a or []]
            texts = [_item_text(x, item) for a in arrays for x in a or []]
            items = pl.DataFrame({item.name: texts, "__row__": rows}, schema={item.name: pl.String, "__row__": pl.Int64})
            items = items.with_columns(pl.Series(typed_column(item.name), cell_values(item, texts), dtype=polars_type(item)))
            passed = pandera_check(spec)(items.lazy(), column=typed_column(item.name)).check_output.collect().to_series()
            bad = items.get_column("__row__").filter(~passed.fill_null(True)).unique()
            return ~pl.Series(range(len(arrays)), dtype=pl.Int64).is_in(bad.implode())

        return run

    return [
        CheckSpec(spec.code, fld.name, f"has an item that {spec.message}", pl.col(fld.name).map_batches(verdicts(spec), return_dtype=pl.Boolean))
        for spec in field_checks(item, False)
        if spec.code != "unique-error"
    ]


def _json_sizes(cells: pl.Series) -> pl.Series:
    """The number of items (array) or properties (object) of each JSON cell; null where there is no value."""
    sizes = [None if cell is None else json_value(cell) for cell in cells.to_list()]
    return pl.Series([len(v) if isinstance(v, (list, dict)) else None for v in sizes], dtype=pl.Int64)


def json_checks(fld: Field) -> list[CheckSpec]:
    """`minLength`, `maxLength` and `jsonSchema` of an array or object field, on its typed values (valid JSON text).

    The size of each cell is computed once (a column both length checks read), not once per check."""
    c, val = fld.constraints, pl.col(typed_column(fld.name))
    unit = "item(s)" if fld.type == "array" else "propert(ies)"
    name = f"{fld.name}::size"
    sizes = (val.map_batches(_json_sizes, return_dtype=pl.Int64).alias(name),)
    size = pl.col(name)
    checks = []
    if "minLength" in c:
        checks.append(CheckSpec("constraint-error", fld.name, f"has fewer than {c['minLength']} {unit}", size.is_null() | (size >= c["minLength"]), needs=sizes))
    if "maxLength" in c:
        checks.append(CheckSpec("constraint-error", fld.name, f"has more than {c['maxLength']} {unit}", size.is_null() | (size <= c["maxLength"]), needs=sizes))
    if "jsonSchema" in c:
        import json

        import jsonschema

        validator = jsonschema.validators.validator_for(c["jsonSchema"])(c["jsonSchema"])

        def verdicts(cells: pl.Series) -> pl.Series:  # the cells are valid JSON (typed values), read as Python reads them
            return pl.Series([cell is None or validator.is_valid(json.loads(cell)) for cell in cells.to_list()], dtype=pl.Boolean)

        checks.append(CheckSpec("constraint-error", fld.name, "does not match the field's jsonSchema", val.map_batches(verdicts, return_dtype=pl.Boolean)))
    return checks


def _first_line_of(cols: list[str]) -> pl.Expr:
    return pl.format("first used on line {}", pl.col(LINE).first().over(cols))


def _later_duplicate(cols: list[str]) -> pl.Expr:
    """True on the 2nd and later rows sharing all `cols` (all non-null)."""
    all_present = pl.all_horizontal([pl.col(c).is_not_null() for c in cols])
    first = pl.col(cols[0]).is_first_distinct() if len(cols) == 1 else pl.struct(cols).is_first_distinct()
    return all_present & ~first


def suggester(candidates: list[str] | pl.Series) -> Callable[[str], str | None]:
    """'did you mean …?' for a near-miss reference (case slips first, then spelling).

    The lookup tables are built on the first call, so a check that never fails costs nothing here
    (a reference to a 500,000-row table would otherwise convert every key to Python up front).
    """
    state: dict[str, object] = {}

    def tables() -> tuple[list[str], set[str], dict[str, str]]:
        if not state:
            names = list(dict.fromkeys(candidates.cast(pl.String).to_list() if isinstance(candidates, pl.Series) else candidates))
            by_lower: dict[str, str] = {}
            for c in names:
                by_lower.setdefault(c.lower(), c)
            state.update(names=names, known=set(names), by_lower=by_lower)
        return state["names"], state["known"], state["by_lower"]  # type: ignore[return-value]

    def suggest(value: str) -> str | None:
        names, known, by_lower = tables()
        items = [i for i in value.split(";")] if ";" in value else [value]
        hints = []
        for item in items:
            item = item.strip()
            if item in known:
                continue
            match = by_lower.get(item.lower())
            if match is None:
                close = difflib.get_close_matches(item, names, n=1, cutoff=0.6)
                match = close[0] if close else None
            if match is not None:
                hints.append(f"did you mean `{match}`?")
        return " ".join(hints) or None

    return suggest


def field_checks(fld: Field, is_key: bool) -> list[CheckSpec]:
    """The single-column checks a field's type and constraints call for."""
    raw, val = pl.col(fld.name), pl.col(typed_column(fld.name))
    present = raw.is_not_null()  # null: the row lacks this cell (reported as missing-cell)
    missing = is_missing(fld)
    given = present & ~missing
    checks: list[CheckSpec] = []
    c = fld.constraints
    if fld.required or is_key:
        checks.append(CheckSpec("constraint-error", fld.name, "is required but empty", ~(present & missing)))
    checks.append(CheckSpec("type-error", fld.name, f"is not {expected_form(fld)}", ~given | val.is_not_null()))
    checks += array_item_checks(fld)
    if fld.type == "list":
        items = val.list
        if "enum" in c:
            allowed = [_lit_of(fld, x) for x in c["enum"]]
            checks.append(CheckSpec("constraint-error", fld.name, f"has an item not in {c['enum']}", val.is_null() | items.eval(pl.element().is_in(allowed)).list.all()))
        if "pattern" in c:
            pat = f"^(?:{c['pattern']})$"
            checks.append(
                CheckSpec(
                    "constraint-error",
                    fld.name,
                    f"has an item not matching the pattern {c['pattern']}",
                    val.is_null() | items.eval(pl.element().cast(pl.String).str.contains(pat)).list.all(),
                )
            )
        if "minLength" in c:
            checks.append(CheckSpec("constraint-error", fld.name, f"has fewer than {c['minLength']} item(s)", val.is_null() | (items.len() >= c["minLength"])))
        if "maxLength" in c:
            checks.append(CheckSpec("constraint-error", fld.name, f"has more than {c['maxLength']} item(s)", val.is_null() | (items.len() <= c["maxLength"])))
    else:
        if "pattern" in c and fld.type == "string":
            checks.append(builtin("constraint-error", fld, f"does not match the pattern {c['pattern']}", "str_matches", pattern=f"^(?:{c['pattern']})$"))
        if "enum" in c:
            allowed = [_lit_of(fld, x) for x in c["enum"]]
            shown = ", ".join(map(str, c["enum"]))
            spec = builtin("constraint-error", fld, f"is not one of: {shown}", "isin", allowed_values=pl.Series(allowed, dtype=polars_type(fld)))
            spec.suggest = suggester([str(x) for x in c["enum"]])
            checks.append(spec)
        bounds = [
            ("minimum", "is below the minimum", "ge", "min_value"),
            ("maximum", "is above the maximum", "le", "max_value"),
            ("exclusiveMinimum", "must be greater than", "gt", "min_value"),
            ("exclusiveMaximum", "must be less than", "lt", "max_value"),
        ]
        for key, text, method, argument in bounds:
            if key in c:
                checks.append(builtin("constraint-error", fld, f"{text} {c[key]}", method, **{argument: _lit_of(fld, c[key])}))
        if fld.type in ("array", "object"):
            checks += json_checks(fld)
        if fld.type == "string":
            if "minLength" in c:
                checks.append(builtin("constraint-error", fld, f"is shorter than {c['minLength']} characters", "str_length", min_value=c["minLength"]))
            if "maxLength" in c:
                checks.append(builtin("constraint-error", fld, f"is longer than {c['maxLength']} characters", "str_length", max_value=c["maxLength"]))
        if c.get("unique"):
            checks.append(
                CheckSpec(
                    "unique-error",
                    fld.name,
                    "repeats a value that must be unique",
                    ~_later_duplicate([typed_column(fld.name)]),
                    detail=_first_line_of([typed_column(fld.name)]),
                )
            )
        if fld.categories is not None:
            cats = pl.Series(fld.categories).cast(polars_type(fld), strict=False)
            spec = builtin("category-error", fld, f"is not one of the categories: {', '.join(fld.categories)}", "isin", allowed_values=cats)
            spec.suggest = suggester(fld.categories)
            checks.append(spec)
    return checks


def key_checks(schema: TableSchema, present: set[str]) -> list[CheckSpec]:
    """primaryKey and uniqueKeys over typed values, flagging the 2nd and later rows."""
    checks = []
    keys = [("primary-key", schema.primary_key)] + [("unique-key", k) for k in schema.unique_keys]
    for code, key in keys:
        if not key or any(n not in present for n in key):
            continue
        cols = [typed_column(n) for n in key]
        value = pl.concat_str([pl.col(n) for n in key], separator=", ") if len(key) > 1 else None
        checks.append(CheckSpec(code, key[0], f"duplicates the key ({', '.join(key)})", ~_later_duplicate(cols), detail=_first_line_of(cols), value=value))
    return checks


def _referenced_keys(targets: pl.Series, local: pl.Series | None) -> pl.Series:
    """The target keys a reference can match: all of them, or, when the referencing column names fewer
    values than there are targets (a mostly empty parent id), only the targets it names, so the check
    hashes the smaller side."""
    keys = targets.drop_nulls()
    if local is not None:
        wanted = (local.explode() if local.dtype == pl.List else local).drop_nulls()
        if wanted.len() < keys.len():
            return keys.filter(keys.is_in(wanted.cast(keys.dtype).unique().implode())).unique()
    return keys.unique()


def reference_check(fk: ForeignKey, targets: pl.DataFrame | None, table: str, local: pl.DataFrame | None = None) -> CheckSpec | None:
    """A foreign key as a check: `targets` holds the referenced typed key columns (None: cannot check);
    `local`, the referencing typed columns, lets a sparse reference be checked against the keys it names."""
    if targets is None:
        return None
    ref_name = fk.resource or table
    where = f"{ref_name}.{', '.join(fk.ref_fields)}"
    if len(fk.fields) == 1:
        name = fk.fields[0]
        target = targets.get_column(targets.columns[0])
        keys = _referenced_keys(target, local.get_column(typed_column(name)) if local is not None else None).implode()
        val = pl.col(typed_column(name))
        if fk.from_list:
            unresolved = val.list.eval(pl.element().filter(~pl.element().is_in(keys)))
            return CheckSpec(
                "foreign-key",
                name,
                f"has item(s) not found in {where}",
                val.is_null() | val.list.eval(pl.element().is_in(keys)).list.all(),
                value=unresolved.list.join(";"),
                suggest=suggester(target.drop_nulls()),
            )
        return CheckSpec("foreign-key", name, f"is not found in {where}", val.is_null() | val.is_in(keys), suggest=suggester(target.drop_nulls()))
    joined = targets.select(pl.concat_str(pl.all().cast(pl.String), separator="\x1f")).to_series().drop_nulls().unique()
    composite = pl.concat_str([pl.col(typed_column(n)).cast(pl.String) for n in fk.fields], separator="\x1f")
    return CheckSpec(
        "foreign-key",
        fk.fields[0],
        f"({', '.join(fk.fields)}) is not found in {where}",
        composite.is_null() | composite.is_in(joined.implode()),
        value=pl.concat_str([pl.col(n) for n in fk.fields], separator=", "),
    )


def prepared_columns(specs: list[CheckSpec]) -> list[pl.Expr]:
    """The columns the specs need computed first, each once (specs of one field share its text flags)."""
    by_name: dict[str, pl.Expr] = {}
    for spec in specs:
        for expr in spec.needs:
            by_name.setdefault(expr.meta.output_name(), expr)
    return list(by_name.values())


def _custom(expr: pl.Expr) -> Callable[[pandera.polars.PolarsData], pl.LazyFrame]:
    """A pandera check function: the spec's verdict per row (a row whose verdict is null passes)."""
    verdict = expr.fill_null(True)

    def check(data: pandera.polars.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(verdict)

    return check


def pandera_check(spec: CheckSpec, failure_cases: int | None = None) -> pandera.polars.Check:
    """The pandera check a spec declares; pandera keeps at most `failure_cases` failing rows of it."""
    import pandera.polars as pa

    if spec.builtin is not None:
        method, arguments = spec.builtin
        # nulls (missing or untyped cells) pass, as the standard says: pandera's ignore_na default
        check: pa.Check = getattr(pa.Check, method)(**arguments, name=spec.code, error=spec.message, n_failure_cases=failure_cases)
        return check
    if spec.expr is None:  # unreachable: a CheckSpec holds a built-in or an expression (see __post_init__)
        raise ValueError(f"{spec.code} on {spec.field}: neither a built-in check nor an expression")
    return pa.Check(_custom(spec.expr), ignore_na=False, name=spec.code, error=spec.message, n_failure_cases=failure_cases)


#: Fields per pandera schema when a table is wide: pandera looks up the frame's schema once per column it
#: checks, so one schema over thousands of columns costs time quadratic in their number; parts of this many
#: fields, each run on the columns it reads, keep it linear.
FIELDS_PER_PART = 32


@dataclass
class SchemaPart:
    """A pandera schema over some of a table's fields and the frame columns its checks read."""

    schema: pandera.polars.DataFrameSchema
    reads: list[str] | None  # None: the whole frame
    cells: bool = False  # run on the frame of text cells (`text_cells`), not on the table's rows


def _reads(specs: list[CheckSpec], declared: list[str]) -> list[str]:
    """The frame columns a part needs: those it declares and every column its expressions read."""
    names = dict.fromkeys(declared)
    for spec in specs:
        for expr in [spec.expr, *spec.needs]:
            if expr is not None:
                names.update(dict.fromkeys(expr.meta.root_names()))
    return list(names)


def to_pandera(
    table: str,
    specs: list[CheckSpec],
    fields: list[Field],
    failure_cases: int | None = None,
    text_specs: list[CheckSpec] | None = None,
) -> DerivedSchema:
    """The pandera schema of one table: a column per field, each check where pandera's users would put it.

    The typed column of every field present (`<field>::v`) is declared with
    the Table Schema type as its polars dtype, so pandera guards the typing
    step, and carries the field's built-in checks (isin, str_matches,
    str_length, ge/le/gt/lt). A custom check of one field goes on the field's
    column of text as written, so its failure cases show the cells as the
    file has them; a check of several columns or none is a DataFrame-level
    check. pandera runs every check and decides every verdict; it keeps at
    most `failure_cases` failing rows of each, so a million failing rows cost
    a count, not a million objects. A wide table is run in parts of
    `FIELDS_PER_PART` fields (see `DerivedSchema.parts`). `text_specs`, the
    checks of every text cell, go on the text column of a last part, run on
    the table's `text_cells`.
    """
    derived = _row_schema(table, specs, fields, failure_cases)
    text_fields = [f for f in fields if f.type in TEXT_TYPES]
    if text_specs and text_fields:
        import pandera.polars as pa

        checks = [pandera_check(spec, failure_cases) for spec in text_specs]
        part = len(derived.parts)
        cells = pa.DataFrameSchema({CELL_TEXT: pa.Column(pl.String, checks=checks, nullable=False)}, strict=False, name=f"{table} (text cells)")
        derived.parts.append(SchemaPart(cells, None, cells=True))
        derived.spec_of |= {(part, CELL_TEXT, k): len(derived.specs) + k for k in range(len(text_specs))}
        derived.specs += text_specs
        derived.text_fields, derived.text_specs = text_fields, list(text_specs)
    return derived


def _row_schema(table: str, specs: list[CheckSpec], fields: list[Field], failure_cases: int | None) -> DerivedSchema:
    """The row checks of `to_pandera`: one schema, or a wide table's parts."""
    import pandera.polars as pa

    present = {f.name for f in fields}
    typed_checks: dict[str, list[pa.Check]] = {f.name: [] for f in fields}
    text_checks: dict[str, list[pa.Check]] = {f.name: [] for f in fields}
    specs_of_field: dict[str | None, list[CheckSpec]] = {}
    frame_checks: list[pa.Check] = []
    placement: list[tuple[str | None, int]] = []
    for spec in specs:
        check = pandera_check(spec, failure_cases)
        if spec.builtin is not None and spec.field in present:
            column, placed = typed_column(spec.field), typed_checks[spec.field]
        elif spec.field in present:
            column, placed = spec.field, text_checks[spec.field]
        else:
            column, placed = None, frame_checks
        placement.append((column, len(placed)))
        placed.append(check)
        specs_of_field.setdefault(spec.field if spec.field in present else None, []).append(spec)
    columns = {}
    for f in fields:
        columns[f.name] = pa.Column(pl.String, checks=text_checks[f.name], nullable=True, required=True)
        columns[typed_column(f.name)] = pa.Column(polars_type(f), checks=typed_checks[f.name], nullable=True, required=True)
    if len(fields) <= FIELDS_PER_PART:
        whole = pa.DataFrameSchema(columns, checks=frame_checks, strict=False, coerce=False, name=table)
        derived = DerivedSchema(table, whole, list(specs))
        derived.parts = [SchemaPart(whole, None)]
        derived.spec_of = {(0, column, index): i for i, (column, index) in enumerate(placement)}
        return derived
    derived = DerivedSchema(table, None, list(specs))  # a wide table is only ever run in parts (pandera copies every column it is given)
    for start in range(0, len(fields), FIELDS_PER_PART):
        chunk = fields[start : start + FIELDS_PER_PART]
        declared = [name for f in chunk for name in (f.name, typed_column(f.name))]
        part_specs = [spec for f in chunk for spec in specs_of_field.get(f.name, [])]
        derived.parts.append(SchemaPart(pa.DataFrameSchema({n: columns[n] for n in declared}, strict=False, coerce=False, name=table), _reads(part_specs, declared)))
    if frame_checks:
        derived.parts.append(SchemaPart(pa.DataFrameSchema(checks=frame_checks, strict=False, coerce=False, name=table), _reads(specs_of_field[None], [])))
    part_of = {name: k for k, part in enumerate(derived.parts) for name in part.schema.columns}
    derived.spec_of = {(part_of[column] if column is not None else len(derived.parts) - 1, column, index): i for i, (column, index) in enumerate(placement)}
    return derived
