"""Validate a package: read each CSV once, derive the checks, run them with pandera, report every finding."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from typing import Any

import numpy as np
import polars as pl

from c5data.catalogue import lookup
from c5data.extensions import Extension, for_package
from c5data.findings import Finding, Omitted, Report
from c5data.reading.csv_scan import Allowance, RawTable, read_resource
from c5data.reading.descriptor import Package, Resource, load_package
from c5data.reading.fields import typed
from c5data.reading.tableschema import ForeignKey
from c5data.validation.checks import (
    CELL_FIELD,
    LINE,
    PART,
    CheckSpec,
    DerivedSchema,
    field_checks,
    key_checks,
    prepared_columns,
    reference_check,
    text_cells,
    to_pandera,
    typed_column,
)


def header_findings(raw: RawTable, resource: Resource) -> tuple[list[Finding], dict[str, int]]:
    """Compare the header with the schema; return findings and field name -> header position."""
    findings, positions = [], {}
    expected = resource.schema.field_names
    match = resource.schema.fields_match  # subset: more columns allowed; superset: fewer; partial: both
    seen: dict[str, int] = {}
    for j, label in enumerate(raw.header):
        if label.strip() == "":
            findings.append(Finding("blank-label", "header cell is empty", file=raw.path, line=raw.header_line, column=j + 1))
            continue
        if label in seen:
            findings.append(
                Finding(
                    "duplicate-label",
                    f"column {label!r} appears twice (first at column {seen[label] + 1})",
                    file=raw.path,
                    line=raw.header_line,
                    column=j + 1,
                    field=label,
                    value=label,
                )
            )
            continue
        seen[label] = j
        if label not in expected and (match in ("subset", "partial") or label in resource.schema.refused):
            continue  # allowed, or the column of a field already refused at the descriptor (one cause, one finding)
        if label not in expected:
            near = [n for n in expected if n.lower() == label.strip().lower() and n not in raw.header]
            hint = f"did you mean `{near[0]}`?" if near else None
            findings.append(
                Finding("extra-label", f"column {label!r} is not in the schema", file=raw.path, line=raw.header_line, column=j + 1, field=label, value=label, hint=hint)
            )
        else:
            positions[label] = j
    if match == "partial" and not positions and raw.header:
        findings.append(
            Finding(
                "missing-label",
                "no column of the header is a field of the schema (fieldsMatch: partial needs at least one)",
                file=raw.path,
                line=raw.header_line,
                hint=f"the schema's fields are: {', '.join(expected)}",
            )
        )
    for name in expected if match in ("exact", "equal", "subset") else ():
        if name not in positions:
            findings.append(
                Finding(
                    "missing-label",
                    f"column {name!r} is missing from the header",
                    file=raw.path,
                    line=raw.header_line,
                    field=name,
                    hint=f"the schema expects the columns: {', '.join(expected)}",
                )
            )
    if resource.schema.fields_match == "exact" and not findings:
        order = [label for label in raw.header if label in positions]
        if order != expected:
            first = next(j for j, (a, b) in enumerate(zip(order, expected)) if a != b)
            findings.append(
                Finding(
                    "incorrect-label",
                    f"column {first + 1} is {order[first]!r}, the schema puts {expected[first]!r} there",
                    file=raw.path,
                    line=raw.header_line,
                    column=first + 1,
                    field=order[first],
                    value=order[first],
                )
            )
    return findings, positions


def row_findings(raw: RawTable, budget: Budget | None = None) -> tuple[list[Finding], np.ndarray]:
    """blank-row, missing-cell and extra-cell; returns them with a mask of the rows to check further.

    With a `budget`, only the findings it keeps are made (the rest are counted), so a file of a million
    ragged rows costs a thousand findings, not a million.
    """
    findings: list[Finding] = []
    width = len(raw.header)
    if raw.n_rows == 0:
        return findings, np.zeros(0, dtype=bool)
    nonempty = raw.frame.select(pl.any_horizontal(pl.all().fill_null("") != "")).to_series().to_numpy() if width else np.zeros(raw.n_rows, bool)
    blank = (raw.cells == 0) | ~nonempty

    def kept(code: str, rows: np.ndarray) -> np.ndarray:
        if budget is None:
            return rows
        return rows[: budget.take(code, raw.path, "", len(rows))]

    for i in kept("blank-row", np.flatnonzero(blank)):
        findings.append(Finding("blank-row", "row is empty", file=raw.file_at(int(i)), line=int(raw.lines[i])))
    for i in kept("missing-cell", np.flatnonzero(~blank & (raw.cells < width))):
        n = int(raw.cells[i])
        findings.append(
            Finding(
                "missing-cell",
                f"row has {n} cell(s), the header has {width}",
                file=raw.file_at(int(i)),
                line=int(raw.lines[i]),
                column=n + 1,
                field=raw.header[n] if n < width else None,
            )
        )
    for i in kept("extra-cell", np.flatnonzero(~blank & (raw.cells > width))):
        findings.append(
            Finding("extra-cell", f"row has {int(raw.cells[i])} cells, the header has {width}", file=raw.file_at(int(i)), line=int(raw.lines[i]), column=width + 1)
        )
    return findings, ~blank


def working_frame(raw: RawTable, resource: Resource, positions: dict[str, int], keep: np.ndarray) -> pl.DataFrame:
    """Raw text per field (by name), its typed value in `<field>::v`, and each row's line."""
    present = [f for f in resource.schema.fields if f.name in positions]
    located = pl.DataFrame({LINE: raw.lines} | ({PART: raw.part} if raw.part is not None else {}))
    cells = raw.frame.select([pl.col(f"_{positions[f.name]}").alias(f.name) for f in present])
    frame = pl.concat([cells, located], how="horizontal") if present else located
    frame = frame.filter(pl.Series(keep)) if len(keep) else frame
    return frame.with_columns([typed(f).alias(typed_column(f.name)) for f in present])


def _located(spec: CheckSpec, frame: pl.DataFrame, failed: pl.Series) -> pl.DataFrame:
    """Line, value (and detail) of the rows at positions `failed` for one check.

    Values are row-local, so they are computed on the failed rows alone; a
    detail may use a window or a lookup over the whole table, so it is
    computed on the table and then picked.
    """
    value = spec.value if spec.value is not None else (pl.col(spec.field) if spec.field in frame.columns else pl.lit(None))
    cols = [pl.col(LINE), value.cast(pl.String).alias("value")] + [pl.col(c) for c in (PART, CELL_FIELD) if c in frame.columns]
    if spec.detail is None:
        return frame[failed].select(cols)
    return frame.select(*cols, spec.detail.cast(pl.String).alias("detail"))[failed]


FINDINGS_PER_CODE_AND_FILE = 1000


class Budget:
    """At most `cap` findings kept per code and file; the rest are only counted (see `Report.omitted`)."""

    def __init__(self, cap: int | None = None) -> None:
        self.cap = FINDINGS_PER_CODE_AND_FILE if cap is None else cap
        self.kept: dict[tuple[str, str | None], int] = {}
        self.over: dict[tuple[str, str | None, str], int] = {}

    def room(self, code: str, file: str | None) -> int:
        return max(self.cap - self.kept.get((code, file), 0), 0)

    def take(self, code: str, file: str | None, severity: str, wanted: int) -> int:
        """How many of `wanted` new findings to keep; the others are counted as omitted."""
        kept = min(wanted, self.room(code, file))
        self.kept[(code, file)] = self.kept.get((code, file), 0) + kept
        if wanted > kept:
            key = (code, file, severity or lookup(code).severity)
            self.over[key] = self.over.get(key, 0) + wanted - kept
        return kept

    def keep(self, findings: list[Finding]) -> list[Finding]:
        return [f for f in findings if self.take(f.code, f.file, f.severity, 1)]

    def omitted(self) -> list[Omitted]:
        return [Omitted(code, file, severity, n, self.cap) for (code, file, severity), n in sorted(self.over.items(), key=str)]


def _failed_rows(error: object) -> pl.Series:
    """Positions of the rows a pandera check failed, from the check's own output (one boolean per row)."""
    from pandera.constants import CHECK_OUTPUT_KEY

    output = error.check_output  # type: ignore[attr-defined]
    if isinstance(output, pl.LazyFrame):
        output = output.collect()
    failed: pl.Series = (~output.get_column(CHECK_OUTPUT_KEY).fill_null(False)).arg_true()
    return failed


class UnusableSchema(Exception):
    """The checks derived from a schema could not run on the table's columns (a field, or the table when None)."""

    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field


def _unusable(resource: Resource, name: str | None, exc: BaseException) -> Finding:
    """A schema whose checks cannot be built or run, as a finding located at the field (or the table's schema).

    The schema reader refuses every mistake it knows with its own message; this is the net under it, so a
    declaration it did not foresee is still reported against the schema, never as a crash."""
    reason = str(exc).split("\n")[0] or type(exc).__name__
    if name is None:
        return Finding("schema-error", f"the checks this schema declares cannot run on the table: {reason}", file=resource.path, table=resource.name)
    return Finding("field-error", f"the checks this field declares cannot run on its values: {reason}", file=resource.path, table=resource.name, field=name)


def _findings_from_errors(
    errors: list[tuple[int, Any]], derived: DerivedSchema, frames: tuple[pl.DataFrame, pl.DataFrame | None], raw: RawTable, budget: Budget
) -> list[Finding]:
    """Locate the rows each failed pandera check names, keeping what the budget allows of each (the rest is counted).

    `frames` are the table's rows and its text cells (for the part that checks those): a failing text cell
    names its own field.

    A failure that is not one of the specs' checks (a dtype, a missing column, a check that
    raised) means a check derived from the schema cannot run on its column: UnusableSchema.
    """
    import pandera.polars as pa

    failed_specs: list[tuple[int, pl.Series, bool]] = []
    for part, error in errors:
        column = error.schema.name if isinstance(error.schema, pa.Column) else None
        index = derived.spec_of.get((part, column, error.check_index)) if error.check is not None and error.check_index is not None else None
        if index is None or error.check_output is None:
            raise UnusableSchema(column.removesuffix("::v") if column else None, str(error).split("\n")[0])
        failed_specs.append((index, _failed_rows(error), derived.parts[part].cells))
    out: list[Finding] = []
    for index, rows, on_cells in sorted(failed_specs, key=lambda item: item[0]):
        spec = derived.specs[index]
        failed = rows.head(budget.take(spec.code, raw.path, spec.severity or "", rows.len()))
        if failed.is_empty():
            continue
        # value and detail only for the specs that failed (see `_located`).
        picked = _located(spec, frames[1] if on_cells and frames[1] is not None else frames[0], failed)
        for row in picked.iter_rows(named=True):
            name = row.get(CELL_FIELD, spec.field)
            column = raw.header.index(name) + 1 if name in raw.header else None
            message = spec.message + (f" ({row['detail']})" if row.get("detail") else "")
            hint = spec.suggest(row["value"]) if spec.suggest and row["value"] is not None else None
            out.append(
                Finding(
                    spec.code,
                    message,
                    file=raw.files[row[PART]] if PART in row else raw.path,
                    line=row[LINE],
                    column=column,
                    field=name,
                    value=row["value"],
                    hint=hint,
                    table=raw.name,
                    severity=spec.severity or "",
                )
            )
    return out


def run_schema(derived: DerivedSchema, frame: pl.DataFrame, raw: RawTable, budget: Budget | None = None) -> list[Finding]:
    """Run the table's pandera schema over every row (lazily: every check, never stopping at the first failure).

    pandera's settings are fixed here rather than read from the environment:
    validation on, at the depth of the data. A `PANDERA_VALIDATION_ENABLED=False`
    left in a shell must not turn an invalid package into a valid one.
    """
    import pandera.polars as pa
    from pandera.config import ValidationDepth, config_context

    row_specs = derived.specs[: len(derived.specs) - len(derived.text_specs)]
    checked = frame.with_columns(prepared_columns(row_specs))
    cells = text_cells(frame, derived.text_fields).with_columns(prepared_columns(derived.text_specs)) if derived.text_fields else None
    errors: list[tuple[int, object]] = []
    with config_context(validation_enabled=True, validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        for k, part in enumerate(derived.parts):
            target = cells if part.cells else checked if part.reads is None else checked.select(part.reads)
            if target is None:
                continue
            try:
                part.schema.validate(target, lazy=True)
            except pa.errors.SchemaErrors as exc:
                errors += [(k, error) for error in exc.schema_errors]
            except pa.errors.SchemaError as exc:  # raised alone when pandera cannot even start (a column it needs is absent)
                errors.append((k, exc))
    return _findings_from_errors(errors, derived, (frame, cells), raw, budget or Budget()) if errors else []


def _line_ending_findings(raws: dict[str, RawTable]) -> list[Finding]:
    """A file whose lines end with CRLF where most of the package's files use LF (a spreadsheet's save): one warning each."""
    crlf = [raw for raw in raws.values() if raw.crlf]
    if not crlf or len(crlf) * 2 >= len(raws):
        return []
    return [Finding("file-style", "the lines end with CRLF; the package's other files use LF", file=raw.path, line=1) for raw in crlf]


_ROW_ITSELF = {"extra-cell", "missing-cell", "blank-row", "primary-key", "unique-key"}  # about the row as a whole, not its shifted values


def _one_cause_per_ragged_row(findings: list[Finding], fields: dict[str, list[str]], tables: dict[str, str]) -> list[Finding]:
    """A row with too many or too few cells is reported once, with its probable cause, instead of once per shifted value.

    Its values sit under the wrong columns, so every cell and rule finding on that line is a consequence;
    the first of them shows where the row goes wrong, which names the value that probably holds an
    unquoted comma (too many cells) or lost one (too few).
    """
    ragged = {(f.file, f.line): f for f in findings if f.code in ("extra-cell", "missing-cell")}
    if not ragged:
        return findings
    consequences: dict[tuple[str | None, int | None], list[Finding]] = {}
    kept = []
    for f in findings:
        if (f.file, f.line) in ragged and f.code not in _ROW_ITSELF and lookup(f.code).kind in ("cell", "row", "rule"):
            consequences.setdefault((f.file, f.line), []).append(f)
        else:
            kept.append(f)
    out = []
    for f in kept:
        shifted = consequences.get((f.file, f.line))
        if f.code in ("extra-cell", "missing-cell") and (f.file, f.line) in ragged:
            names = fields.get(tables.get(f.file or "", ""), [])
            first = min((c for c in shifted or [] if c.column), key=lambda c: c.column or 0, default=None)
            if f.code == "extra-cell":
                where = ""
                if first is not None and first.column and first.column > 1:
                    before = names[first.column - 2] if first.column - 2 < len(names) else f"column {first.column - 1}"
                    where = f" (the first value out of place is in column {first.column}, {first.field}: look at column {first.column - 1}, {before}, or just before it)"
                f = replace(
                    f,
                    message=f"{f.message}: a value probably holds an unquoted comma{where}",
                    hint=f'put that value in double quotes ("like, this"); {len(shifted or [])} finding(s) on this line follow from the shift and are not listed',
                )
            elif shifted:
                f = replace(f, hint=f"{f.hint}; {len(shifted)} finding(s) on this line follow from the shift and are not listed")
        out.append(f)
    return out


def _key_type_mismatch(fk: ForeignKey, local: pl.DataFrame, target: pl.DataFrame) -> str | None:
    """Why a foreign key cannot be compared (its fields and the referenced ones have different types), or None."""
    for name, ref in zip(fk.fields, fk.ref_fields):
        mine: Any = local.schema[typed_column(name)]
        theirs = target.schema[typed_column(ref)]
        if fk.from_list and isinstance(mine, pl.List):
            mine = mine.inner
        if mine != theirs:
            return f"foreign key {name} ({mine}) and the field it references, {fk.resource or 'this table'}.{ref} ({theirs}), have different types; declare them alike"
    return None


def _table_specs(resource: Resource, frames: dict[str, pl.DataFrame], present: set[str], extensions: tuple[Extension, ...]) -> tuple[list[CheckSpec], list[Finding]]:
    """Every check of one table: its fields', its keys', its references' and the extensions'; with the findings of
    declarations that cannot be checked (a field whose checks cannot be built, a reference between unlike types)."""
    specs: list[CheckSpec] = []
    problems: list[Finding] = []
    for fld in resource.schema.fields:
        if fld.name in present:
            try:
                specs += field_checks(fld, fld.name in resource.schema.primary_key)
                specs += [spec for ext in extensions if ext.field_checks for spec in ext.field_checks(fld)]
            except Exception as exc:  # a declaration the schema reader let through but no check can express
                problems.append(_unusable(resource, fld.name, exc))
    specs += key_checks(resource.schema, present)
    frame = frames[resource.name]
    for fk in resource.schema.foreign_keys:
        target = frames.get(fk.resource or resource.name)
        if any(n not in present for n in fk.fields) or target is None or any(typed_column(n) not in target.columns for n in fk.ref_fields):
            continue
        local = frame.select([typed_column(n) for n in fk.fields])
        mismatch = _key_type_mismatch(fk, local, target)
        if mismatch:
            problems.append(Finding("schema-error", mismatch, file=resource.path, table=resource.name, field=fk.fields[0]))
            continue
        spec = reference_check(fk, target.select([typed_column(n) for n in fk.ref_fields]), resource.name, local)
        if spec is not None:
            specs.append(spec)
    for ext in extensions:
        if ext.table_checks:
            specs += ext.table_checks(frames, resource.name)  # may attach values looked up in other tables to `frames`
    return specs, problems


def validate_package(package: Package, descriptor_findings: list[Finding], raws: dict[str, RawTable] | None = None) -> Report:
    """Validate a loaded package; `raws` are resources already read (the build reads each CSV once for both)."""
    started = time.perf_counter()
    report = Report(path=str(package.root))
    report.findings += descriptor_findings
    budget = Budget()
    readable: dict[str, RawTable] = {}
    frames: dict[str, pl.DataFrame] = {}
    positions_by: dict[str, dict[str, int]] = {}
    allowance = Allowance()
    for resource in package.resources:
        raw = raws[resource.name] if raws and resource.name in raws else read_resource(resource, allowance)
        report.findings += budget.keep(raw.findings)
        if not raw.readable:
            continue
        hf, positions = header_findings(raw, resource)
        rf, keep = row_findings(raw, budget)
        report.findings += budget.keep(hf) + rf
        report.row_counts[resource.name] = raw.n_rows
        readable[resource.name] = raw
        positions_by[resource.name] = positions
        frames[resource.name] = working_frame(raw, resource, positions, keep)

    report.findings += budget.keep(_line_ending_findings(readable))
    extensions = for_package(package)
    text_specs = [spec for ext in extensions if ext.text_checks for spec in ext.text_checks()]
    for resource in package.resources:
        if resource.name not in frames:
            continue
        specs, problems = _table_specs(resource, frames, set(positions_by[resource.name]), extensions)
        report.findings += budget.keep(problems)
        present = [f for f in resource.schema.fields if f.name in positions_by[resource.name]]
        while True:  # a field whose checks cannot run is reported and left out; the others still run
            try:
                derived = to_pandera(resource.name, specs, present, failure_cases=budget.cap, text_specs=text_specs)
                report.findings += run_schema(derived, frames[resource.name], readable[resource.name], budget)
                break
            except UnusableSchema as exc:
                report.findings.append(_unusable(resource, exc.field, exc))
                if exc.field is None or not any(spec.field == exc.field for spec in specs):
                    break
                specs = [spec for spec in specs if spec.field != exc.field]
    report.findings = _one_cause_per_ragged_row(report.findings, {r.name: r.schema.field_names for r in package.resources}, {r.path: r.name for r in package.resources})
    report.omitted = budget.omitted()
    report.seconds = time.perf_counter() - started
    return report


def validate(path: str | os.PathLike[str] | None = None) -> Report:
    """Validate the package at `path` (a folder or its datapackage.json); never raises on bad input."""
    started = time.perf_counter()
    package, problems = load_package(path)
    if package is None:
        return Report(path=str(path or "."), findings=problems, seconds=time.perf_counter() - started)
    report = validate_package(package, problems)
    report.seconds = time.perf_counter() - started
    return report
