"""Read one CSV resource once, keeping every row's physical line number.

The fast path scans the bytes with NumPy (a newline ends a record only outside
quotes, so quote parity tells which newlines count) and parses the cells with
polars. A file polars refuses, or whose record count disagrees with the scan,
falls back to Python's csv module, which is slower but exact. Either way no row
is dropped: blank rows and ragged rows stay in the frame and are reported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from c5data.files.hashing import declared_mismatches
from c5data.files.paths import not_a_regular_file
from c5data.findings import Finding
from c5data.reading.descriptor import Resource
from c5data.reading.dialect import Dialect

_INVALID_UTF8 = re.compile("[\udc80-\udcff]+")
_BOM = b"\xef\xbb\xbf"


@dataclass
class RawTable:
    """A resource's cells as strings, exactly as written, with their locations."""

    name: str
    path: str
    header: list[str]
    frame: pl.DataFrame  # one String column per header position, named by label; null = cell absent from the row
    lines: np.ndarray  # physical line (1-based) where each data row starts
    cells: np.ndarray  # number of cells in each data row
    findings: list[Finding] = field(default_factory=list)
    readable: bool = True
    header_line: int = 1  # physical line of the (first) header row

    @property
    def n_rows(self) -> int:
        return self.frame.height


def _check_declared(resource: Resource, data: bytes) -> list[Finding]:
    """`bytes` and `hash` declared in the descriptor (as in a built release) must match the file."""
    return [Finding(code, message, file=resource.path) for code, message in declared_mismatches(data, resource.descriptor.get("bytes"), resource.descriptor.get("hash"))]


def _decode(data: bytes, path: str) -> tuple[bytes, list[Finding]]:
    """Report every line holding bytes that are not UTF-8, then go on with U+FFFD in their place."""
    try:
        data.decode("utf-8")
        return data, []
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    findings, last_line = [], -1
    newlines = np.asarray([m.start() for m in re.finditer("\n", text)], dtype=np.int64)
    for m in _INVALID_UTF8.finditer(text):
        line = 1 + int(np.searchsorted(newlines, m.start()))
        if line == last_line:
            continue
        last_line = line
        raw = m.group().encode("utf-8", errors="surrogateescape")
        findings.append(Finding("encoding-error", f"bytes {raw.hex(' ')} are not valid UTF-8", file=path, line=line, value=raw.decode("latin-1")))
    return _INVALID_UTF8.sub("\ufffd", text).encode("utf-8"), findings


def _scan(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Record start offsets, their physical lines, their cell counts, and whether quotes balance."""
    buf = np.frombuffer(data, np.uint8)
    newlines = np.flatnonzero(buf == 10)
    quotes = np.flatnonzero(buf == 34)
    even = (np.searchsorted(quotes, newlines) & 1) == 0
    ends = newlines[even]
    starts = np.concatenate(([0], ends + 1))
    if starts[-1] >= len(data):
        starts = starts[:-1]
    commas = np.flatnonzero(buf == 44)
    if len(quotes):
        commas = commas[(np.searchsorted(quotes, commas) & 1) == 0]
    record_ends = np.append(ends, len(data))[: len(starts)]
    # commas before each record's end minus commas before its start: one search per record, not per comma
    cells = np.searchsorted(commas, record_ends) - np.searchsorted(commas, starts) + 1
    empty = (record_ends - starts) == 0
    cr_only = (record_ends - starts == 1) & (buf[np.minimum(starts, len(data) - 1)] == 13) if len(data) else empty
    cells[empty | cr_only] = 0
    lines = 1 + np.searchsorted(newlines, starts)
    return starts, lines, cells, len(quotes) % 2 == 0


def _slow_parse(text: str, path: str) -> tuple[list[list[str]], list[int], Finding | None]:
    """Exact parse with the csv module: rows and the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, lines = [], []
    line = 1
    try:
        for row in reader:
            rows.append(row)
            lines.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        return rows, lines, Finding("format-error", f"malformed CSV: {exc}", file=path, line=line)
    return rows, lines, None


def _dialect_parse(text: str, d: Dialect, path: str) -> tuple[list[list[str]], list[int], Finding | None]:
    """Exact parse of any Table Dialect with the csv module: records and the physical line each starts on.

    A line starting with `commentChar` between records is skipped whole (inside a quoted cell it is data).
    """
    options: dict = {"delimiter": d.delimiter, "doublequote": d.double_quote, "escapechar": d.escape_char, "skipinitialspace": d.skip_initial_space}
    if d.quote_char is None:
        options["quoting"] = csv.QUOTE_NONE
    else:
        options["quotechar"] = d.quote_char
    state = {"line": 0, "start": 1, "boundary": True}

    def physical_lines():
        for line in io.StringIO(text, newline=""):
            state["line"] += 1
            if state["boundary"]:
                state["start"] = state["line"]
                if d.comment_char is not None and line.startswith(d.comment_char):
                    continue
                state["boundary"] = False
            yield line

    rows, lines = [], []
    reader = csv.reader(physical_lines(), strict=True, **options)
    try:
        for row in reader:
            rows.append(row)
            lines.append(state["start"])
            state["boundary"] = True
    except csv.Error as exc:
        return rows, lines, Finding("format-error", f"malformed CSV: {exc}", file=path, line=state["start"])
    return rows, lines, None


def _split_header(rows: list[list[str]], lines: list[int], d: Dialect, fields: list[str]) -> tuple[list[str], list[list[str]], list[int], int]:
    """Header labels (header rows joined with headerJoin, or the schema's names without a header), data rows and lines."""
    if not d.header:
        skipped = set(d.comment_rows)
        body = [(r, n) for i, (r, n) in enumerate(zip(rows, lines), start=1) if i not in skipped]
        return list(fields), [r for r, _ in body], [n for _, n in body], 1
    heads = [rows[i - 1] for i in d.header_rows if i <= len(rows)]
    width = max((len(h) for h in heads), default=0)
    header = [d.header_join.join(h[j] for h in heads if j < len(h)) for j in range(width)]
    first = d.header_rows[0]
    skipped = set(d.header_rows) | set(d.comment_rows)
    body = [(r, n) for i, (r, n) in enumerate(zip(rows, lines), start=1) if i > first and i not in skipped]
    header_line = lines[first - 1] if first <= len(lines) else 1
    return header, [r for r, _ in body], [n for _, n in body], header_line


def _frame_from_rows(rows: list[list[str]], width: int) -> pl.DataFrame:
    columns = {f"_{j}": [r[j] if j < len(r) else None for r in rows] for j in range(width)}
    return pl.DataFrame(columns, schema={k: pl.String for k in columns})


def read_resource(resource: Resource) -> RawTable:
    path = resource.path
    empty = RawTable(resource.name, path, [], pl.DataFrame(), np.zeros(0, np.int64), np.zeros(0, np.int64), readable=False)
    refused = not_a_regular_file(resource.file)
    if refused:
        empty.findings.append(Finding("source-error", f"the data file {refused}", file=path))
        return empty
    try:
        data = resource.file.read_bytes()
    except FileNotFoundError:
        empty.findings.append(Finding("source-error", "file not found", file=path))
        return empty
    except OSError as exc:
        empty.findings.append(Finding("source-error", f"cannot read file: {exc.strerror or exc}", file=path))
        return empty
    findings = _check_declared(resource, data)
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    data, enc = _decode(data, path)
    findings += enc
    dialect = resource.dialect
    if not data.strip(b"\r\n") and dialect.header:
        findings.append(Finding("blank-header", "the file is empty: no header row", file=path, line=1))
        empty.findings = findings
        return empty
    if not dialect.is_default:
        return _read_with_dialect(resource, data.decode("utf-8"), path, findings, empty)

    starts, lines, cells, balanced = _scan(data)
    header_end = int(starts[1]) if len(starts) > 1 else len(data)
    header_text = data[:header_end].decode("utf-8")
    header = next(csv.reader(io.StringIO(header_text, newline="")), [])
    frame = None
    if balanced:
        try:
            frame = pl.read_csv(io.BytesIO(data), has_header=True, infer_schema=False, truncate_ragged_lines=True, empty_string_is_null=False, quote_char='"')
        except Exception:  # polars refuses some irregular files that csv reads: use the exact path
            frame = None
        if frame is not None and (frame.height != len(starts) - 1 or frame.width != len(header)):
            frame = None
        if frame is not None:
            frame.columns = [f"_{j}" for j in range(len(header))]
            lines, cells = lines[1:], cells[1:]
    if frame is None:
        rows, row_lines, problem = _slow_parse(data.decode("utf-8"), path)
        if problem is not None:
            findings.append(problem)
            empty.findings = findings
            return empty
        header = rows[0] if rows else []
        body = rows[1:]
        frame = _frame_from_rows(body, len(header))
        lines = np.asarray(row_lines[1:], dtype=np.int64)
        cells = np.asarray([0 if r == [] else len(r) for r in body], dtype=np.int64)
    # A cell the row does not have is null, so it is never mistaken for an empty value.
    frame = (
        frame.with_columns(pl.when(pl.Series(cells) > j).then(pl.col(f"_{j}")).otherwise(None).alias(f"_{j}") for j in range(len(header)))
        if len(header) and frame.height
        else frame
    )
    return RawTable(resource.name, path, header, frame, np.asarray(lines, dtype=np.int64), np.asarray(cells, dtype=np.int64), findings)


def _read_with_dialect(resource: Resource, text: str, path: str, findings: list[Finding], empty: RawTable) -> RawTable:
    """Any dialect but the default: the exact path, then `nullSequence` cells become the field's missing value."""
    d = resource.dialect
    rows, row_lines, problem = _dialect_parse(text, d, path)
    if problem is not None:
        empty.findings = findings + [problem]
        return empty
    if d.header and len(rows) < d.header_rows[-1]:
        empty.findings = findings + [Finding("blank-header", f"the file has {len(rows)} row(s); the dialect puts a header on row {d.header_rows[-1]}", file=path, line=1)]
        return empty
    header, body, lines, header_line = _split_header(rows, row_lines, d, resource.schema.field_names)
    frame = _frame_from_rows(body, len(header))
    cells = np.asarray([0 if r == [] else len(r) for r in body], dtype=np.int64)
    if len(header) and frame.height:
        frame = frame.with_columns(pl.when(pl.Series(cells) > j).then(pl.col(f"_{j}")).otherwise(None).alias(f"_{j}") for j in range(len(header)))
    if d.null_sequence is not None and frame.height:
        replaced = []
        for j, label in enumerate(header):
            fld = resource.schema.get(label)
            marker = fld.missing_values[0] if fld is not None and fld.missing_values else ""
            replaced.append(pl.when(pl.col(f"_{j}") == d.null_sequence).then(pl.lit(marker)).otherwise(pl.col(f"_{j}")).alias(f"_{j}"))
        frame = frame.with_columns(replaced)
    return RawTable(resource.name, path, header, frame, np.asarray(lines, dtype=np.int64), cells, findings, header_line=header_line)
