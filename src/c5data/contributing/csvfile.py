"""A CSV file as a contributor's editor left it: its byte style (BOM, line ending, delimiter) and its records as written.

`fixing` rewrites a file into the package's style and `scaffold` inserts a row
without touching the bytes of any other record, so git shows one line changed.
"""

from __future__ import annotations

import csv
import io
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from c5data.reading.dialect import MISUSED_DELIMITERS, csv_fields_unbounded, misused_delimiter

BOMS = {b"\xef\xbb\xbf": "utf-8", b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
DELIMITERS = MISUSED_DELIMITERS


@dataclass
class CsvText:
    """A file's text without its BOM, and how its bytes were written."""

    text: str
    bom: str | None  # the encoding a byte-order mark announced, None without one
    newline: str  # the line ending most records end with
    final_newline: bool
    records: list[str] = field(default_factory=list)  # each record as written, with its line ending


def decode(data: bytes) -> tuple[str, str | None]:
    """The text of `data` and the encoding its BOM named (None without one); UnicodeDecodeError if it is not UTF-8."""
    for mark, encoding in BOMS.items():
        if data.startswith(mark):
            return data[len(mark) :].decode(encoding), encoding
    return data.decode("utf-8"), None


def split_records(text: str) -> list[str]:
    """The records of `text` as written (line endings kept); a quoted value may span lines."""
    records, pending = [], ""
    for line in text.splitlines(keepends=True):
        pending += line
        if pending.count('"') % 2 == 0:
            records.append(pending)
            pending = ""
    if pending:
        records.append(pending)
    return records


def newline_of(text: str, default: str = "\n") -> str:
    """The line ending most lines of `text` end with (`default` for a text without one)."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    if not crlf and not lf:
        return default
    return "\r\n" if crlf > lf else "\n"


def read(path: Path) -> CsvText:
    """`path` as a CsvText; UnicodeDecodeError when it is neither UTF-8 nor UTF-16 with a BOM."""
    text, bom = decode(path.read_bytes())
    return CsvText(text, bom, newline_of(text), text.endswith(("\n", "\r")), split_records(text))


def sniff_delimiter(header: str, expected: list[str]) -> str | None:
    """The delimiter a header line uses instead of a comma (the validator's own test, `reading.dialect.misused_delimiter`)."""
    return misused_delimiter(header, expected)


def parse(text: str, delimiter: str = ",") -> list[list[str]]:
    """Every record of `text` as a list of values."""
    with csv_fields_unbounded():  # the validator judges long cells; here they are only carried over
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def format_record(values: list[str], newline: str) -> str:
    """One record in the package's style: comma-separated, quoted only where needed."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=newline).writerow(values)
    return out.getvalue()


def committed_newline(path: Path) -> str | None:
    """The line ending of the file's last committed version in git (None outside git or for a new file)."""
    try:
        top = subprocess.run(["git", "-C", str(path.parent), "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=30)
        if top.returncode != 0:
            return None
        rel = path.resolve().relative_to(Path(top.stdout.strip()).resolve()).as_posix()
        shown = subprocess.run(["git", "-C", top.stdout.strip(), "show", f"HEAD:{rel}"], capture_output=True, timeout=30)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    if shown.returncode != 0:
        return None
    try:
        return newline_of(decode(shown.stdout)[0], default="\n")
    except UnicodeDecodeError:
        return None
