"""`c5data fix` / `validate --fix`: only the changes that cannot alter what a row says.

A file saved by a spreadsheet comes back as the package writes it: UTF-8 without a
byte-order mark, the line ending the file had when it was last committed (else the
package's), commas as separators, no trailing whitespace in a value, Unicode NFC,
and the case of an enum or code value that matches exactly one allowed value.
Everything else (a bad date, an unknown id, a value in the wrong column) is left to
the contributor, with the validator's hint. A record no fix touches keeps its bytes.
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c5data.contributing import csvfile
from c5data.files.atomic import write_bytes
from c5data.reading.descriptor import Package, Resource, load_package
from c5data.reading.tableschema import Field

NEWLINE_NAMES = {"\n": "LF", "\r\n": "CRLF"}


class FixError(Exception):
    """The package cannot be read, so nothing can be fixed (exit code 2)."""

    exit_code = 2


@dataclass
class FileFix:
    """What fixing one file changed, and the file before and after."""

    path: str
    changes: list[str]
    before: bytes
    after: bytes

    def diff(self, limit: int | None = 200) -> str:
        """A unified diff of the change (line endings shown as \\r where they differ), at most `limit` lines."""

        def lines(data: bytes) -> list[str]:
            text, _ = csvfile.decode(data)
            return [line.replace("\r", "\\r") for line in text.split("\n")]

        out = list(difflib.unified_diff(lines(self.before), lines(self.after), f"a/{self.path}", f"b/{self.path}", lineterm="", n=0))
        if limit is not None and len(out) > limit:
            out = [*out[:limit], f"... {len(out) - limit} more diff lines"]
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: path, changes and the diff."""
        return {"path": self.path, "changes": self.changes, "diff": self.diff(limit=None)}


@dataclass
class FixResult:
    """Every file changed (or that would be, on a dry run) and every file left alone with why."""

    fixed: list[FileFix] = field(default_factory=list)
    left: list[tuple[str, str]] = field(default_factory=list)
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the result."""
        return {"dry_run": self.dry_run, "fixed": [f.to_dict() for f in self.fixed], "left": [{"path": p, "reason": r} for p, r in self.left]}


def _allowed(fld: Field) -> list[str] | None:
    values = fld.constraints.get("enum") or fld.categories
    return [str(v) for v in values] if values else None


def _case_fix(value: str, allowed: list[str] | set[str]) -> str:
    """`value` in the case of the one allowed value it matches ignoring case (unchanged when none or several match)."""
    if value in allowed:
        return value
    matches = [a for a in allowed if a.lower() == value.lower()]
    return matches[0] if len(matches) == 1 else value


def _key_values(resource: Resource | None, column: str) -> set[str]:
    """The values of one column of a referenced table, read as written (empty when it cannot be read)."""
    if resource is None or len(resource.parts) != 1 or resource.compression(resource.path):
        return set()
    try:
        rows = csvfile.parse(csvfile.read(resource.file).text)
    except (OSError, UnicodeDecodeError):
        return set()
    if not rows or column not in rows[0]:
        return set()
    i = rows[0].index(column)
    return {r[i] for r in rows[1:] if len(r) > i}


def _vocabularies(resource: Resource, package: Package) -> dict[str, set[str] | list[str]]:
    """column -> the values it may take, for enum fields and single-column foreign keys (codes such as ISO3)."""
    vocab: dict[str, set[str] | list[str]] = {}
    for fld in resource.schema.fields:
        allowed = _allowed(fld)
        if allowed:
            vocab[fld.name] = allowed
    for fk in resource.schema.foreign_keys:
        if len(fk.fields) == 1:
            target = package.resource(fk.resource) if fk.resource else resource
            keys = _key_values(target, fk.ref_fields[0])
            if keys:
                vocab.setdefault(fk.fields[0], keys)
    return vocab


def _package_newline(package: Package) -> str:
    """The line ending most of the package's CSV files use (LF when none says)."""
    seen: Counter[str] = Counter()
    for res in package.resources:
        try:
            seen[csvfile.newline_of(res.file.read_bytes()[:65536].decode("utf-8", "replace"))] += 1
        except OSError:
            continue
    return seen.most_common(1)[0][0] if seen else "\n"


def fix_file(resource: Resource, package: Package, default_newline: str) -> tuple[FileFix | None, str | None]:
    """The fix of one resource's file (None when nothing changes) or why it is left alone."""
    if len(resource.parts) != 1 or resource.compression(resource.path) or resource.descriptor.get("dialect"):
        return None, "compressed, in parts or with its own dialect: left as it is"
    before = resource.file.read_bytes()
    try:
        text, bom = csvfile.decode(before)
    except UnicodeDecodeError:
        return None, "not UTF-8: save it as UTF-8 (CSV UTF-8 in a spreadsheet); the validator's encoding-error lines say where"
    records = csvfile.split_records(text)
    if not records:
        return None, None
    newline = csvfile.committed_newline(resource.file) or default_newline
    delimiter = csvfile.sniff_delimiter(records[0], resource.schema.field_names)
    rows = csvfile.parse(text, delimiter or ",")
    if len(rows) != len(records):
        return None, "a quote is not closed: fix it by hand where the validator points"
    changes: list[str] = []
    if bom:
        changes.append(f"removed the byte-order mark ({bom})" if bom == "utf-8" else f"re-encoded from {bom} to UTF-8")
    old_newline = csvfile.newline_of(text, default=newline)
    if any(r[len(r.rstrip("\r\n")) :] not in ("", newline) for r in records):
        changes.append(f"line endings {NEWLINE_NAMES.get(old_newline, old_newline)} → {NEWLINE_NAMES[newline]}")
    if delimiter:
        changes.append(f"{csvfile.DELIMITERS[delimiter]}-separated ({delimiter!r}) → comma-separated")
    header = [unicodedata.normalize("NFC", h).strip() for h in rows[0]]
    fields = {f.name: f for f in resource.schema.fields}
    vocab = _vocabularies(resource, package)
    counts: Counter[str] = Counter()
    fixed_rows = [header]
    for row in rows[1:]:
        new_row = []
        for i, value in enumerate(row):
            new = value.rstrip()
            if new != value:
                counts["trailing whitespace"] += 1
            nfc = unicodedata.normalize("NFC", new)
            if nfc != new:
                counts["Unicode NFC"] += 1
            new = nfc
            name = header[i] if i < len(header) else None
            if name in vocab and new:
                fld = fields.get(name)
                if fld is not None and fld.type == "list":
                    items = new.split(fld.delimiter)
                    cased = fld.delimiter.join(_case_fix(item, vocab[name]) for item in items)
                else:
                    cased = _case_fix(new, vocab[name])
                if cased != new:
                    counts["case of an enum or code value"] += 1
                    new = cased
            new_row.append(new)
        fixed_rows.append(new_row)
    changes += [f"{n} value(s): {what}" for what, n in counts.items()]
    out = []
    for record, old_row, new_row in zip(records, rows, fixed_rows):
        if delimiter or old_row != new_row:
            out.append(csvfile.format_record(new_row, newline if record.endswith(("\n", "\r")) else ""))
        else:
            body = record.rstrip("\r\n")
            out.append(body + (newline if len(body) != len(record) else ""))
    after = "".join(out).encode("utf-8")
    if after == before:
        return None, None
    return FileFix(resource.path, changes or ["normalised"], before, after), None


def fix(path: str | os.PathLike[str] | None = None, dry_run: bool = False) -> FixResult:
    """Apply the safe fixes to every CSV file of the package at `path` (atomically, file by file); `dry_run` writes nothing."""
    package, findings = load_package(path)
    if package is None:
        problems = "; ".join(f"{f.location}: {f.message}" for f in findings[:3])
        raise FixError(f"{path or '.'}: cannot read the package: {problems}")
    result = FixResult(dry_run=dry_run)
    default_newline = _package_newline(package)
    for resource in package.resources:
        if not resource.file.is_file():
            continue
        file_fix, reason = fix_file(resource, package, default_newline)
        if reason:
            result.left.append((resource.path, reason))
        if file_fix is not None:
            result.fixed.append(file_fix)
            if not dry_run:
                write_bytes(Path(resource.file), file_fix.after)
    return result
