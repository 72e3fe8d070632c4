"""Read one CSV resource once, keeping every row's physical line number.

The fast path scans the bytes with NumPy (a newline ends a record only outside
quotes, so quote parity tells which newlines count) and parses the cells with
polars. A file polars refuses, or whose record count disagrees with the scan,
falls back to Python's csv module, which is slower but exact. Either way no row
is dropped: blank rows and ragged rows stay in the frame and are reported.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from c5data import limits
from c5data.files.hashing import declared_file_mismatches
from c5data.files.paths import not_a_regular_file
from c5data.findings import Finding
from c5data.reading.descriptor import Resource
from c5data.reading.dialect import MISUSED_DELIMITERS, Dialect, csv_fields_unbounded, misused_delimiter

_INVALID_UTF8 = re.compile("[\udc80-\udcff]+")
_BOM = b"\xef\xbb\xbf"
_BLANK = re.compile(rb"[\r\n]*")  # a file of line breaks alone (matched without copying the bytes, as strip() would)


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
    files: list[str] = field(default_factory=list)  # every part's path; several for a multi-part resource
    part: np.ndarray | None = None  # which of `files` each data row comes from (None: one file)
    crlf: bool = False  # most lines end with CRLF (the validator compares the package's files)

    def __post_init__(self) -> None:
        if not self.files:
            self.files = [self.path]

    def file_at(self, row: int) -> str:
        """The file data row `row` was read from."""
        return self.files[int(self.part[row])] if self.part is not None else self.path

    @property
    def n_rows(self) -> int:
        return self.frame.height


def _check_declared(resource: Resource) -> list[Finding]:
    """`bytes` and `hash` declared in the descriptor (as in a built release) must match the file, or all parts one
    after the other for a multi-part resource (as stored, compressed or not)."""
    if "bytes" not in resource.descriptor and "hash" not in resource.descriptor:
        return []
    files = [file for _, file in resource.parts]
    mismatches = declared_file_mismatches(files, resource.descriptor.get("bytes"), resource.descriptor.get("hash"))
    return [Finding(code, message, file=resource.path) for code, message in mismatches]


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


def _transcode(data: bytes, encoding: str, path: str) -> tuple[bytes, list[Finding]]:
    """A part written in a declared encoding other than UTF-8, as UTF-8; the first bytes it cannot decode are
    reported at their line and every such byte is read as U+FFFD."""
    try:
        text, findings = data.decode(encoding), []
    except UnicodeDecodeError as exc:
        line = 1 + data[: exc.start].decode(encoding, errors="replace").count("\n")
        raw = data[exc.start : exc.end]
        findings = [Finding("encoding-error", f"bytes {raw.hex(' ')} are not valid {encoding}", file=path, line=line, value=raw.decode("latin-1"))]
        text = data.decode(encoding, errors="replace")
    return text.removeprefix("\ufeff").encode("utf-8"), findings


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
    # Commas between one record's start and the next one's (a record's newline is not a comma): one search per record.
    cells = np.diff(np.searchsorted(commas, np.append(starts, len(data)))) + 1
    empty = (record_ends - starts) == 0
    cr_only = (record_ends - starts == 1) & (buf[np.minimum(starts, len(data) - 1)] == 13) if len(data) else empty
    cells[empty | cr_only] = 0
    lines = 1 + np.searchsorted(newlines, starts)
    return starts, lines, cells, len(quotes) % 2 == 0


def _long_cells(raw: RawTable) -> list[Finding]:
    """A format-error at every cell (header included) longer than the limit on cell characters, on any parse path.

    Byte lengths are known without reading the text, and a cell has no more characters than bytes, so only a
    column holding a cell of more bytes than the limit is counted in characters."""
    limit = limits.CELL_CHARACTERS.int_value()

    def finding(chars: int, line: int, column: int, file: str) -> Finding:
        return Finding(
            "format-error",
            f"the cell holds {chars:,} characters, more than the limit of {limit:,} (set {limits.CELL_CHARACTERS.env} to change it)",
            file=file,
            line=line,
            column=column,
        )

    found = [finding(len(label), raw.header_line, j + 1, raw.path) for j, label in enumerate(raw.header) if len(label) > limit]
    for j, name in enumerate(raw.frame.columns):
        column = raw.frame.get_column(name)
        if not (column.str.len_bytes() > limit).any():
            continue
        chars = column.str.len_chars()
        for i in (chars > limit).arg_true().to_list():
            found.append(finding(int(chars[i]), int(raw.lines[i]), j + 1, raw.file_at(i)))
    return found


def _slow_parse(text: str, path: str) -> tuple[list[list[str]], list[int], Finding | None]:
    """Exact parse with the csv module: rows and the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, lines = [], []
    line = 1
    try:
        with csv_fields_unbounded():
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
    options: dict[str, Any] = {"delimiter": d.delimiter, "doublequote": d.double_quote, "escapechar": d.escape_char, "skipinitialspace": d.skip_initial_space}
    if d.quote_char is None:
        options["quoting"] = csv.QUOTE_NONE
    else:
        options["quotechar"] = d.quote_char
    state = {"line": 0, "start": 1, "boundary": True}

    def physical_lines() -> Iterator[str]:
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
        with csv_fields_unbounded():
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


_CHUNK = 1 << 20


class _Refused(Exception):
    """A data file that cannot be used, with the reason reported as a source-error."""


class Allowance:
    """What is left of the decompression limits while one package is read: per package, shared by its resources.

    Memory follows what a file decompresses to, not its size on disk, so a small hostile archive is stopped
    early: at the package's and the resource's aggregate limit, and at a ratio of bytes out per compressed byte
    read (checked as the stream goes, once past a floor). See `c5data.limits`.
    """

    def __init__(self) -> None:
        self.package_left = limits.DECOMPRESSED_PER_PACKAGE.int_value()
        self.ratio = limits.DECOMPRESSION_RATIO.value()
        self.floor = limits.RATIO_FLOOR.int_value()
        self.per_resource = limits.DECOMPRESSED_PER_RESOURCE.int_value()

    def read(self, stream: Any, compressed_read: Any, resource_left: list[int]) -> bytes:
        """All of `stream`, refused as soon as a limit is passed; `compressed_read()` says how many compressed bytes
        were consumed so far; `resource_left` is the resource's remaining allowance (one-item list, updated)."""
        chunks, total = [], 0
        while chunk := stream.read(_CHUNK):
            total += len(chunk)
            if total > resource_left[0]:
                raise _Refused(
                    f"its resource decompresses to more than {self.per_resource:,} bytes, the limit per resource "
                    f"(set {limits.DECOMPRESSED_PER_RESOURCE.env} to change it); refused as a possible zip bomb"
                )
            if total > self.package_left:
                raise _Refused(
                    f"the package's compressed files decompress to more than {limits.DECOMPRESSED_PER_PACKAGE.int_value():,} bytes, "
                    f"the limit per package (set {limits.DECOMPRESSED_PER_PACKAGE.env} to change it); refused as a possible zip bomb"
                )
            if total > self.floor and total > self.ratio * max(compressed_read(), 1):
                raise _Refused(
                    f"decompresses to more than {self.ratio:g} times its compressed size, the limit "
                    f"(set {limits.DECOMPRESSION_RATIO.env} to change it); refused as a possible zip bomb"
                )
            chunks.append(chunk)
        resource_left[0] -= total
        self.package_left -= total
        return b"".join(chunks)


class _Counting:
    """A binary file that counts the bytes read from it (the compressed bytes a decompressor has consumed)."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.handle.read(size)
        self.count += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


def _load(file: Path, kind: str | None, allowance: Allowance, resource_left: list[int]) -> bytes:
    """The bytes of one part, decompressed as a stream within the allowance."""
    if kind is None:
        return file.read_bytes()
    try:
        if kind == "gzip":
            with open(file, "rb") as raw:
                counted = _Counting(raw)
                with gzip.GzipFile(fileobj=counted, mode="rb") as stream:
                    return allowance.read(stream, lambda: counted.count, resource_left)
        with zipfile.ZipFile(file) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise _Refused(f"a zip data file holds exactly one file, this one holds {len(members)}")
            with archive.open(members[0]) as stream:
                return allowance.read(stream, lambda: members[0].compress_size, resource_left)
    except (gzip.BadGzipFile, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _Refused(f"cannot decompress it as {kind}: {exc}") from exc


def _read_part(resource: Resource, declared: str, file: Path, allowance: Allowance, resource_left: list[int]) -> tuple[bytes | None, list[Finding]]:
    refused = not_a_regular_file(file)
    if refused:
        return None, [Finding("source-error", f"the data file {refused}", file=declared)]
    kind = resource.compression(declared)
    try:
        return _load(file, kind, allowance, resource_left), []
    except FileNotFoundError:
        return None, [Finding("source-error", "file not found", file=declared)]
    except _Refused as exc:
        return None, [Finding("source-error", str(exc), file=declared)]
    except MemoryError:
        return None, [Finding("source-error", "not enough memory to read it; lower the limits or free memory", file=declared)]
    except OSError as exc:
        return None, [Finding("source-error", f"cannot read file: {exc.strerror or exc}", file=declared)]


def read_resource(resource: Resource, allowance: Allowance | None = None) -> RawTable:
    """Every part of a resource as one table; each row keeps the part (`files`) and physical line it comes from.

    A compressed part (gzip or zip) is decompressed first; the header is in the first part only, so the
    parts after it hold data rows alone (the Data Resource rule for `path: [..]`). `allowance` is the package's
    decompression allowance, shared by the resources of one package (default: a fresh one).
    """
    allowance = allowance or Allowance()
    resource_left = [allowance.per_resource]
    empty = RawTable(resource.name, resource.path, [], pl.DataFrame(), np.zeros(0, np.int64), np.zeros(0, np.int64), readable=False)
    findings: list[Finding] = []
    pieces: list[RawTable] = []
    for declared, file in resource.parts:
        data, problems = _read_part(resource, declared, file, allowance, resource_left)
        findings += problems
        if data is None:
            empty.findings = findings
            return empty
        if not pieces:
            try:
                findings += _check_declared(resource)
            except OSError as exc:
                findings.append(Finding("source-error", f"cannot read file: {exc.strerror or exc}", file=declared))
        piece = _parse(resource, declared, data, pieces[0].header if pieces else None)
        findings += piece.findings
        if not piece.readable:
            empty.findings = findings
            return empty
        if pieces and piece.n_rows and list(piece.frame.row(0)) == pieces[0].header:
            # a later part that repeats the header line (as frictionless-py and the R package write and read them)
            piece = replace(piece, frame=piece.frame.slice(1), lines=piece.lines[1:], cells=piece.cells[1:])
        pieces.append(piece)
    if len(pieces) == 1:
        pieces[0].findings = findings
        return pieces[0]
    first = pieces[0]
    width = len(first.header)
    frames = [p.frame if p.frame.width == width else _frame_from_rows([], width) for p in pieces]
    return RawTable(
        resource.name,
        resource.path,
        first.header,
        pl.concat(frames, how="vertical"),
        np.concatenate([p.lines for p in pieces]),
        np.concatenate([p.cells for p in pieces]),
        findings,
        header_line=first.header_line,
        files=[declared for declared, _ in resource.parts],
        part=np.concatenate([np.full(p.n_rows, k, dtype=np.int64) for k, p in enumerate(pieces)]),
    )


def _parse(resource: Resource, path: str, data: bytes, labels: list[str] | None) -> RawTable:
    """One part's bytes as a table; `labels` given: a part after the first, with no header of its own."""
    raw = _parse_part(resource, path, data, labels)
    if raw.readable:
        raw.findings += _long_cells(raw)
    head = data[:65536]
    raw.crlf = head.count(b"\r\n") * 2 > head.count(b"\n")
    return raw


def _parse_part(resource: Resource, path: str, data: bytes, labels: list[str] | None) -> RawTable:
    empty = RawTable(resource.name, path, [], pl.DataFrame(), np.zeros(0, np.int64), np.zeros(0, np.int64), readable=False)
    findings: list[Finding] = []
    if codecs.lookup(resource.encoding).name not in ("utf-8", "utf-8-sig"):
        data, enc = _transcode(data, resource.encoding, path)
    else:
        if data.startswith(_BOM):
            data = data[len(_BOM) :]
            findings.append(Finding("file-style", "the file starts with a UTF-8 byte-order mark", file=path, line=1))
        data, enc = _decode(data, path)
    findings += enc
    dialect = resource.dialect
    if labels is not None:
        dialect = replace(dialect, header=False, header_rows=(), comment_rows=())
    elif dialect.is_default:
        first_line = data[: data.find(b"\n") + 1 or len(data)].decode("utf-8", "replace")
        delimiter = misused_delimiter(first_line, resource.schema.field_names)
        if delimiter is not None:  # read it as written, so its rows are checked and nothing else is blamed on the separator
            name = MISUSED_DELIMITERS[delimiter]
            findings.append(Finding("wrong-delimiter", f"the file is {name}-separated ({delimiter!r}), not comma-separated", file=path, line=1, value=delimiter))
            dialect = replace(dialect, delimiter=delimiter)
    if _BLANK.fullmatch(data) and dialect.header:
        findings.append(Finding("blank-header", "the file is empty: no header row", file=path, line=1))
        empty.findings = findings
        return empty
    if not dialect.is_default and not (labels is not None and replace(dialect, header=True, header_rows=(1,)).is_default):
        return _read_with_dialect(resource, dialect, data.decode("utf-8"), path, findings, empty, labels)
    skip = 0 if labels is not None else 1

    starts, lines, cells, balanced = _scan(data)
    if labels is None:
        header_end = int(starts[1]) if len(starts) > 1 else len(data)
        with csv_fields_unbounded():
            header = next(csv.reader(io.StringIO(data[:header_end].decode("utf-8"), newline="")), [])
    else:
        header = list(labels)
    frame = None
    if balanced and len(starts) > skip:
        try:
            frame = pl.read_csv(io.BytesIO(data), has_header=skip == 1, infer_schema=False, truncate_ragged_lines=True, empty_string_is_null=False, quote_char='"')
        except Exception:  # polars refuses some irregular files that csv reads: use the exact path
            frame = None
        if frame is not None and (frame.height != len(starts) - skip or frame.width != len(header)):
            frame = None
        if frame is not None:
            frame.columns = [f"_{j}" for j in range(len(header))]
            lines, cells = lines[skip:], cells[skip:]
    if frame is None:
        rows, row_lines, problem = _slow_parse(data.decode("utf-8"), path)
        if problem is not None:
            findings.append(problem)
            empty.findings = findings
            return empty
        if labels is None:
            header = rows[0] if rows else []
        body = rows[skip:]
        frame = _frame_from_rows(body, len(header))
        lines = np.asarray(row_lines[skip:], dtype=np.int64)
        cells = np.asarray([0 if r == [] else len(r) for r in body], dtype=np.int64)
    frame = _null_absent_cells(frame, cells, len(header))
    return RawTable(resource.name, path, header, frame, np.asarray(lines, dtype=np.int64), np.asarray(cells, dtype=np.int64), findings)


def _null_absent_cells(frame: pl.DataFrame, cells: np.ndarray, width: int) -> pl.DataFrame:
    """A cell the row does not have is null, so it is never mistaken for an empty value (nothing to do when no row is short)."""
    if not width or not frame.height or bool((cells >= width).all()):
        return frame
    have = pl.Series(cells)
    return frame.with_columns(pl.when(have > j).then(pl.col(f"_{j}")).otherwise(None).alias(f"_{j}") for j in range(width))


def _read_with_dialect(resource: Resource, d: Dialect, text: str, path: str, findings: list[Finding], empty: RawTable, labels: list[str] | None) -> RawTable:
    """Any dialect but the default: the exact path, then `nullSequence` cells become the field's missing value."""
    rows, row_lines, problem = _dialect_parse(text, d, path)
    if problem is not None:
        empty.findings = findings + [problem]
        return empty
    if d.header and len(rows) < d.header_rows[-1]:
        empty.findings = findings + [Finding("blank-header", f"the file has {len(rows)} row(s); the dialect puts a header on row {d.header_rows[-1]}", file=path, line=1)]
        return empty
    header, body, lines, header_line = _split_header(rows, row_lines, d, labels if labels is not None else resource.schema.field_names)
    frame = _frame_from_rows(body, len(header))
    cells = np.asarray([0 if r == [] else len(r) for r in body], dtype=np.int64)
    frame = _null_absent_cells(frame, cells, len(header))
    if d.null_sequence is not None and frame.height:
        replaced = []
        for j, label in enumerate(header):
            fld = resource.schema.get(label)
            marker = fld.missing_values[0] if fld is not None and fld.missing_values else ""
            replaced.append(pl.when(pl.col(f"_{j}") == d.null_sequence).then(pl.lit(marker)).otherwise(pl.col(f"_{j}")).alias(f"_{j}"))
        frame = frame.with_columns(replaced)
    return RawTable(resource.name, path, header, frame, np.asarray(lines, dtype=np.int64), cells, findings, header_line=header_line)
