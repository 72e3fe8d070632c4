"""`c5data new KIND`: one new row formed by a package's rules, checked against the rows it refers to, inserted in the file's style.

The kinds of row and how their ids are formed are the package's own (an extension's `kinds`
hook; the C+C5 package's are in `c5data.diplomacy.scaffold`); this module does the rest for any
package. A value that refers to another table (a foreign key, a list of them) must exist there, and
a value of an enum must be one of it; a near miss gets a "did you mean". The row goes where its
id sorts when the file is sorted (else at the end), with the file's line ending and quoting; no
other record's bytes change.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from c5data.contributing import csvfile
from c5data.files.atomic import write_bytes
from c5data.reading.descriptor import Package, Resource, load_package


class ScaffoldError(Exception):
    """The row cannot be added: a reference, an id or a value is wrong (exit 1) or the package cannot be read (exit 2)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (`Wang Yi` → `wang-yi`, `Ministry of Foreign Affairs` → `ministry-of-foreign-affairs`)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def id_date(date: str, precision: str | None) -> str:
    """A date as an id carries it: YYYY-MM-DD, YYYY-MM or YYYY by its precision (never a day or month not known)."""
    if precision == "year":
        return date[:4]
    if precision == "month":
        return date[:7]
    return date


@dataclass(frozen=True)
class Kind:
    """One kind of row `c5data new` makes: its table, its columns, how its id is formed and from what."""

    name: str
    table: str
    columns: tuple[str, ...]
    id_column: str | None
    make_id: Callable[[dict[str, str], set[str]], str] | None
    id_needs: tuple[str, ...] = ()  # values the id is formed from (asked for when missing)
    extra: tuple[str, ...] = ()  # values that form the id but are no column
    defaults: tuple[tuple[str, str], ...] = ()  # (column, column or literal "=value") used when a value is not given
    also_required: tuple[str, ...] = ()  # columns the package's rules require of a new row though its schema allows them empty


@dataclass
class NewRow:
    """The row formed (and where it goes), or written."""

    kind: str
    table: str
    file: str  # as declared in the package
    line: int  # the physical line the record starts on
    id: str | None
    record: str  # as written to the file
    written: bool

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"kind": self.kind, "table": self.table, "file": self.file, "line": self.line, "id": self.id, "record": self.record, "written": self.written}


def required(kind: Kind, package: Package) -> list[str]:
    """The values `kind` cannot be made without: the id's parts and every required column without a default."""
    resource = package.resource(kind.table)
    defaulted = {c for c, _ in kind.defaults}
    needed = list(kind.id_needs)
    if resource is not None:
        needed += [f.name for f in resource.schema.fields if (f.required or f.name in kind.also_required) and f.name != kind.id_column and f.name not in defaulted]
    return list(dict.fromkeys(needed))


def _rows(resource: Resource) -> tuple[csvfile.CsvText, list[list[str]]]:
    try:
        text = csvfile.read(resource.file)
    except (OSError, UnicodeDecodeError) as exc:
        raise ScaffoldError(f"{resource.path}: cannot be read ({exc}); run `c5data fix` then `c5data validate`", exit_code=2) from exc
    return text, csvfile.parse(text.text)


def _column(package: Package, table: str, column: str) -> list[str]:
    resource = package.resource(table)
    if resource is None:
        return []
    _, rows = _rows(resource)
    if not rows or column not in rows[0]:
        return []
    i = rows[0].index(column)
    return [r[i] for r in rows[1:] if len(r) > i]


def _suggest(value: str, known: list[str]) -> str:
    from c5data.validation.checks import suggester

    hint = suggester(known)(value)
    return f"; {hint}" if hint else ""


def check_values(resource: Resource, package: Package, values: dict[str, str]) -> list[str]:
    """Why the values cannot go in (empty when they can): an unknown reference or a value outside its enum, with a near match."""
    problems = []
    for fk in resource.schema.foreign_keys:
        if len(fk.fields) != 1 or not values.get(fk.fields[0]):
            continue
        name = fk.fields[0]
        fld = resource.schema.get(name)
        items = values[name].split(fld.delimiter) if fld is not None and fld.type == "list" else [values[name]]
        known = _column(package, fk.resource or resource.name, fk.ref_fields[0])
        target = package.resource(fk.resource or resource.name)
        where = target.path if target is not None else fk.resource
        for item in items:
            if item not in known:
                problems.append(f"{name}: {item!r} is not found in {where} ({fk.ref_fields[0]}){_suggest(item, known)}")
    for fld in resource.schema.fields:
        allowed = fld.constraints.get("enum") or fld.categories
        value = values.get(fld.name)
        if allowed and value and fld.type != "list" and value not in [str(a) for a in allowed]:
            problems.append(f"{fld.name}: {value!r} is not one of {', '.join(map(str, allowed))}{_suggest(value, [str(a) for a in allowed])}")
    return problems


def _insert_at(rows: list[list[str]], key_index: int | None, key: str | None) -> int:
    """The index among the data rows where a row with `key` goes: its sorted place when the file is sorted by key, else the end."""
    data = rows[1:]
    if key is None or key_index is None:
        return len(data)
    keys = [r[key_index] if len(r) > key_index else "" for r in data]
    if keys != sorted(keys):
        return len(data)
    return next((i for i, k in enumerate(keys) if k > key), len(data))


def kinds_for(package: Package | None) -> dict[str, Kind]:
    """The kinds of row the extensions serving `package` declare (none for a package without one)."""
    from c5data.extensions import for_package

    return {k.name: k for ext in for_package(package) if ext.kinds for k in ext.kinds()}


def new_row(kind_name: str, values: dict[str, str], path: str | os.PathLike[str] | None = None, dry_run: bool = False) -> NewRow:
    """Form one row of `kind_name` from `values`, check it, and insert it into its file (unless `dry_run`)."""
    package, findings = load_package(path)
    if package is None:
        raise ScaffoldError(f"{path or '.'}: cannot read the package: " + "; ".join(f"{f.location}: {f.message}" for f in findings[:3]), exit_code=2)
    kind = kinds_for(package).get(kind_name)
    if kind is None:
        raise ScaffoldError(f"{path or '.'}: this package declares no kind of row {kind_name!r} (c5data new works for the packages an extension serves)", exit_code=2)
    resource = package.resource(kind.table)
    if resource is None or len(resource.parts) != 1 or resource.compression(resource.path):
        raise ScaffoldError(f"the package has no plain CSV table {kind.table!r} to add a {kind.name} to", exit_code=2)
    values = {k: v.strip() for k, v in values.items() if v is not None and v.strip() != ""}
    for column, source in kind.defaults:
        if column not in values:
            default = source[1:] if source.startswith("=") else values.get(source)
            if default:
                values[column] = default
    missing = [name for name in required(kind, package) if not values.get(name)]
    if missing:
        raise ScaffoldError(f"a {kind.name} needs {', '.join('--' + m.replace('_', '-') for m in missing)}", exit_code=2)
    text, rows = _rows(resource)
    header = rows[0] if rows else resource.schema.field_names
    unknown = [c for c in values if c not in header and c not in kind.extra]
    if unknown:
        raise ScaffoldError(f"{resource.path} has no column {', '.join(unknown)}", exit_code=2)
    key_index = header.index(kind.id_column) if kind.id_column in header else None
    taken = {r[key_index] for r in rows[1:] if key_index is not None and len(r) > key_index}
    new_id = kind.make_id(values, taken) if kind.make_id is not None else None
    if new_id is not None and kind.id_column is not None:
        if new_id in taken:
            raise ScaffoldError(f"{resource.path} already has {kind.id_column} {new_id!r}: edit that row, or check the date and its precision")
        values[kind.id_column] = new_id
    problems = check_values(resource, package, values)
    pk = resource.schema.primary_key
    if new_id is None and pk and all(values.get(c) for c in pk):
        index = [header.index(c) for c in pk if c in header]
        if tuple(values[c] for c in pk) in {tuple(r[i] for i in index) for r in rows[1:] if len(r) > max(index)}:
            problems.append(f"{resource.path} already has a row with {', '.join(f'{c} {values[c]!r}' for c in pk)}")
    if problems:
        raise ScaffoldError(f"{resource.path}: the new {kind.name} is not added:\n  " + "\n  ".join(problems))
    record_values = [values.get(c, "") for c in header]
    position = _insert_at(rows, key_index, new_id)
    records = text.records if text.records else [csvfile.format_record(header, text.newline)]
    record = csvfile.format_record(record_values, text.newline)
    before = records[: position + 1]
    after = records[position + 1 :]
    if not after and before and not before[-1].endswith(("\n", "\r")):
        before = [*before[:-1], before[-1] + text.newline]  # the new last record: the old one gets its line ending
        record = record.rstrip("\r\n") if not text.final_newline else record
    line = 1 + sum(r.count("\n") for r in before)
    if not dry_run:
        bom = {"utf-8": b"\xef\xbb\xbf"}.get(text.bom or "", b"")
        write_bytes(Path(resource.file), bom + "".join([*before, record, *after]).encode("utf-8"))
    return NewRow(kind.name, kind.table, resource.path, line, new_id, record.rstrip("\r\n"), not dry_run)
