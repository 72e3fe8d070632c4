"""Derive a pandera (polars) schema for one table from its Table Schema, at run time.

Every check is a polars expression that is True where a row passes, wrapped
in a `pandera.Check` whose name keys a `CheckSpec`: the error code, the field
reported and the message. Nothing here restates a column: types, required,
pattern, enum, bounds, lengths, unique, categories, keys and references all
come from the `TableSchema`.

The frame checked has, per field present in the CSV, the raw text in column
`<field>` (null when the row lacks the cell) and the typed value in
`<field>::v`, plus `__line__` (the physical line of the row).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from c5data.reading.fields import expected_form, is_missing, polars_type
from c5data.reading.tableschema import Field, ForeignKey, TableSchema, bound_value

if TYPE_CHECKING:  # pandera is imported when a schema is built, not when this module is
    import pandera.polars

LINE = "__line__"
PART = "__part__"  # which file of a multi-part resource the row comes from (only when there are several)
_CONTROL = r"[\x00-\x1f\x7f]"
_FORMULA = r"^[=+\-@\t\r]"  # what spreadsheets start evaluating; only text fields are checked, so -5 in a number field is fine
# Characters that change how text is displayed without being seen: bidirectional overrides and isolates, zero-width
# spaces, word joiners and a stray byte-order mark. Zero-width (non-)joiners (U+200C, U+200D) stay allowed: scripts
# such as Persian need them.
_INVISIBLE = "[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"


def typed_column(name: str) -> str:
    """Column holding the typed values of field `name`."""
    return f"{name}::v"


@dataclass
class CheckSpec:
    """What a failing row of one check means."""

    code: str
    field: str | None
    message: str
    expr: pl.Expr  # True where the row passes
    detail: pl.Expr | None = None  # optional per-row text appended to the message
    suggest: Callable[[str], str | None] | None = None  # optional hint for a failing value
    severity: str | None = None  # overrides the catalogue's (e.g. rules that warn)
    value: pl.Expr | None = None  # what to show as the value; default: the raw cell of `field`
    needs: tuple[pl.Expr, ...] = ()  # columns `expr` reads that the check computes first (shared by several specs)


@dataclass
class DerivedSchema:
    """One table's pandera schema and the specs behind its single check.

    `verdicts` is filled when pandera runs the check: one boolean column per
    spec (`ok0`, `ok1`, …), so a failing row is traced to the specs it breaks
    without evaluating anything a second time.
    """

    table: str
    schema: pandera.polars.DataFrameSchema
    specs: list[CheckSpec] = field(default_factory=list)
    verdicts: pl.DataFrame | None = None

    @property
    def check_name(self) -> str:
        return f"{self.table}.checks"


def _lit_of(fld: Field, raw: object) -> object:
    """A constraint bound written in the descriptor, as a value comparable with the typed column."""
    return bound_value(fld.value_type, raw)


def _first_line_of(cols: list[str]) -> pl.Expr:
    return pl.format("first used on line {}", pl.col(LINE).first().over(cols))


def _later_duplicate(cols: list[str]) -> pl.Expr:
    """True on the 2nd and later rows sharing all `cols` (all non-null)."""
    all_present = pl.all_horizontal([pl.col(c).is_not_null() for c in cols])
    first = pl.col(cols[0]).is_first_distinct() if len(cols) == 1 else pl.struct(cols).is_first_distinct()
    return all_present & ~first


def _is_nfc(s: pl.Series) -> pl.Series:
    """True where the text is in NFC; only the rows with a non-ASCII character are normalised (ASCII is always NFC)."""
    out = s.str.len_bytes() == s.str.len_chars()
    todo = (~out).fill_null(False).arg_true()
    if len(todo):
        sub = s.gather(todo)
        out = out.scatter(todo, sub == sub.str.normalize("NFC"))
    return out


#: The per-cell text checks computed in one pass over a column (True where the cell passes).
TEXT_FLAGS = ("control", "invisible", "nfc")
_TEXT_FLAGS_TYPE = pl.Struct({name: pl.Boolean for name in TEXT_FLAGS})


def _text_flags(s: pl.Series) -> pl.Series:
    """Control characters, invisible characters and NFC for every cell of one text column, as a struct.

    The whole column's bytes are looked at once first: a column with no
    control byte needs no per-cell search for one, and an ASCII column can hold
    neither an invisible character nor text outside NFC. Only what that cannot
    rule out is searched cell by cell, so the cost follows the text there is.
    """
    passing = pl.repeat(True, s.len(), eager=True, dtype=pl.Boolean)
    joined = s.str.join("").cast(pl.Binary).item() if s.len() else b""
    data = np.frombuffer(joined or b"", np.uint8)
    low, high = (int(data.min()), int(data.max())) if len(data) else (0x20, 0)  # two reductions, no array made
    has_control = low < 0x20 or (high >= 0x7F and bool((data == 0x7F).any()))
    non_ascii = high >= 0x80
    # Every invisible character listed is encoded starting with byte E2 (U+2xxx) or EF (U+FEFF).
    may_be_invisible = non_ascii and bool(((data == 0xE2) | (data == 0xEF)).any())
    flags = {
        "control": (~s.str.contains(_CONTROL)).fill_null(True) if has_control else passing,
        "invisible": (~s.str.contains(_INVISIBLE)).fill_null(True) if may_be_invisible else passing,
        "nfc": _is_nfc(s).fill_null(True) if non_ascii else passing,
    }
    return pl.DataFrame(flags).to_struct(s.name)


def text_flags_column(name: str) -> str:
    """Column holding the text flags of field `name` (computed by the check, shared by the specs that read it)."""
    return f"{name}::text"


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
            checks.append(
                CheckSpec("constraint-error", fld.name, f"does not match the pattern {c['pattern']}", val.is_null() | val.str.contains(f"^(?:{c['pattern']})$"))
            )
        if "enum" in c:
            allowed = [_lit_of(fld, x) for x in c["enum"]]
            shown = ", ".join(map(str, c["enum"]))
            checks.append(
                CheckSpec(
                    "constraint-error",
                    fld.name,
                    f"is not one of: {shown}",
                    val.is_null() | val.is_in(pl.Series(allowed, dtype=polars_type(fld)).implode()),
                    suggest=suggester([str(x) for x in c["enum"]]),
                )
            )
        bounds = [
            ("minimum", "is below the minimum", lambda a, b: a >= b),
            ("maximum", "is above the maximum", lambda a, b: a <= b),
            ("exclusiveMinimum", "must be greater than", lambda a, b: a > b),
            ("exclusiveMaximum", "must be less than", lambda a, b: a < b),
        ]
        for key, text, ok in bounds:
            if key in c:
                checks.append(CheckSpec("constraint-error", fld.name, f"{text} {c[key]}", val.is_null() | ok(val, pl.lit(_lit_of(fld, c[key])))))
        if fld.type == "string":
            if "minLength" in c:
                checks.append(
                    CheckSpec("constraint-error", fld.name, f"is shorter than {c['minLength']} characters", val.is_null() | (val.str.len_chars() >= c["minLength"]))
                )
            if "maxLength" in c:
                checks.append(
                    CheckSpec("constraint-error", fld.name, f"is longer than {c['maxLength']} characters", val.is_null() | (val.str.len_chars() <= c["maxLength"]))
                )
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
            checks.append(
                CheckSpec(
                    "category-error",
                    fld.name,
                    f"is not one of the categories: {', '.join(fld.categories)}",
                    val.is_null() | val.is_in(cats.implode()),
                    suggest=suggester(fld.categories),
                )
            )
    if fld.type in ("string", "list"):
        prepared = (raw.map_batches(_text_flags, return_dtype=_TEXT_FLAGS_TYPE).alias(text_flags_column(fld.name)),)
        flag = pl.col(text_flags_column(fld.name)).struct.field
        checks += [
            CheckSpec("text-whitespace", fld.name, "has leading or trailing whitespace", ~given | (raw == raw.str.strip_chars())),
            CheckSpec("text-control", fld.name, "contains a control character", ~given | flag("control"), needs=prepared),
            CheckSpec("text-nfc", fld.name, "is not in Unicode NFC", ~given | flag("nfc"), needs=prepared),
            CheckSpec("text-formula", fld.name, "starts like a spreadsheet formula", ~given | ~raw.str.contains(_FORMULA)),
            CheckSpec("text-invisible", fld.name, "holds an invisible or text-direction character", ~given | flag("invisible"), needs=prepared),
        ]
        if fld.script:
            checks.append(
                CheckSpec(
                    "text-script",
                    fld.name,
                    f"holds letters outside the {fld.script} script",
                    ~given | ~raw.str.contains(rf"[\p{{L}}--\p{{{fld.script}}}]"),
                )
            )
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


def to_pandera(table: str, specs: list[CheckSpec], fields: list[Field]) -> DerivedSchema:
    """The pandera schema of one table: one check that evaluates every spec and guards the typed columns' dtypes.

    All specs go to pandera as one check whose function evaluates every
    spec in a single polars `select`: the table is planned and scanned once
    (shared subexpressions, columns in parallel) whatever the number of
    constraints, where a check per spec would pay pandera's several collects
    each. The typed column of every field present (`<field>::v`) must have the
    Table Schema type's polars dtype: the check compares the frame's schema
    once (declaring each column to pandera would collect the frame's schema
    once per column, which is quadratic in the number of fields). Pandera keeps
    a single failure case: the failing rows are traced from the verdicts (see
    `validator`), so memory does not grow with the failing rows' values.
    """
    import pandera.polars as pa

    derived = DerivedSchema(table, pa.DataFrameSchema(name=table), list(specs))
    verdict_exprs = [spec.expr.fill_null(True).alias(f"ok{i}") for i, spec in enumerate(specs)]
    prepared = prepared_columns(specs)
    dtypes = {typed_column(f.name): polars_type(f) for f in fields}

    def all_specs_pass(data: pandera.polars.PolarsData) -> pl.LazyFrame:
        schema = data.lazyframe.collect_schema()
        wrong = {name: (str(schema.get(name)), str(dtype)) for name, dtype in dtypes.items() if schema.get(name) != dtype}
        if wrong:  # the typing step is broken, not the data
            raise TypingBroken(f"{table}: typed columns with the wrong dtype (found, expected): {wrong}")
        derived.verdicts = _verdicts(data.lazyframe.collect(), verdict_exprs, prepared) if specs else pl.DataFrame()
        return (derived.verdicts.lazy() if specs else data.lazyframe.select(pl.lit(True))).select(pl.all_horizontal(pl.all()).alias("ok"))

    check = pa.Check(all_specs_pass, name=derived.check_name, error=derived.check_name, ignore_na=False, n_failure_cases=1)
    derived.schema = pa.DataFrameSchema(checks=[check], strict=False, coerce=False, name=table)
    return derived


#: Verdicts evaluated per select; one select of thousands of expressions costs more than linear time to plan.
VERDICT_BATCH = 256


def _roots(exprs: list[pl.Expr]) -> set[str] | None:
    """The columns the expressions read (None when one reads columns not named, e.g. `pl.all()`)."""
    try:
        return {name for e in exprs for name in e.meta.root_names()}
    except pl.exceptions.PolarsError:
        return None


def _verdicts(frame: pl.DataFrame, exprs: list[pl.Expr], prepared: list[pl.Expr]) -> pl.DataFrame:
    """Every spec's verdict column, evaluated in batches each on the columns it reads (with the prepared columns
    it needs), so time stays linear in the number of fields: planning one select of thousands of expressions over
    thousands of columns is not (specs of one field sit together, so a batch reads a few columns)."""
    preps = {e.meta.output_name(): e for e in prepared}
    parts = []
    for start in range(0, len(exprs), VERDICT_BATCH):
        batch = exprs[start : start + VERDICT_BATCH]
        roots = _roots(batch)
        needs = list(preps.values()) if roots is None else [preps[r] for r in sorted(roots) if r in preps]
        needed = _roots(needs)
        if roots is None or needed is None:
            sub = frame
        else:
            wanted = ({LINE} | roots | needed) - preps.keys()
            sub = frame.select([c for c in frame.columns if c in wanted])
        parts.append((sub.with_columns(needs) if needs else sub).select(batch))
    return pl.concat(parts, how="horizontal")


class TypingBroken(Exception):
    """A typed column lacks the dtype its Table Schema type gives: a bug of the typing step, never bad data."""
