"""Table Dialect v2 for CSV: how a resource's file is written, parsed once from the descriptor.

The default (comma, double quote doubled inside a quoted cell, one header row, no comments) is what
`csv_scan` reads on its fast path; any other dialect is read with Python's `csv` module, still keeping
the physical line every record starts on.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@contextmanager
def csv_fields_unbounded() -> Iterator[None]:
    """Python's csv module without its own field limit (131,072 characters) while a file is parsed.

    The one limit on cell characters (`limits.CELL_CHARACTERS`) is applied after parsing, by `csv_scan`, so a
    long cell is the same located finding on the fast path (polars has no limit) and on the csv module's paths.
    """
    previous = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


@dataclass(frozen=True)
class Dialect:
    delimiter: str = ","
    quote_char: str | None = '"'  # None: no quoting at all
    double_quote: bool = True
    escape_char: str | None = None
    line_terminator: str = "\r\n"  # read: any of \n, \r\n (and \r on the exact path); written: the release's own
    header: bool = True
    header_rows: tuple[int, ...] = (1,)
    header_join: str = " "
    comment_rows: tuple[int, ...] = ()
    comment_char: str | None = None
    skip_initial_space: bool = False
    null_sequence: str | None = None
    declared: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_default(self) -> bool:
        """The common case, read on the fast path."""
        return self == Dialect()


def _one_char(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 1 and value not in "\r\n"


def _comment_clash(d: Dialect) -> str | None:
    """Which character of the dialect a comment marker starts with (a record can start with it too), or None."""
    if d.comment_char is None:
        return None
    first = d.comment_char[0]
    for name, char in (("delimiter", d.delimiter), ("quoteChar", d.quote_char), ("escapeChar", d.escape_char)):
        if first == char:
            return f"{name} ({char!r})"
    return None


def parse_dialect(desc: dict[str, Any]) -> tuple[Dialect, list[tuple[str, str]]]:
    """The dialect a descriptor declares (types already checked by the profile), with (property, problem) pairs."""
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    comment = desc.get("commentChar")
    if comment is not None:  # v2: "a string of one or more characters" that starts a comment line
        if isinstance(comment, str) and comment and not set(comment) & {"\r", "\n"}:
            values["comment_char"] = comment
        else:
            problems.append(("commentChar", f"must be one or more characters on one line, not {comment!r}"))
    for key, attr in (("delimiter", "delimiter"), ("quoteChar", "quote_char"), ("escapeChar", "escape_char")):
        if key in desc:
            if _one_char(desc[key]) or (key == "quoteChar" and desc[key] == ""):
                values[attr] = desc[key] or None
            else:
                problems.append((key, f"must be one character, not {desc[key]!r}"))
    if "lineTerminator" in desc:
        if desc["lineTerminator"] in ("\n", "\r\n", "\r"):
            values["line_terminator"] = desc["lineTerminator"]
        else:
            problems.append(("lineTerminator", f"must be \\n, \\r\\n or \\r, not {desc['lineTerminator']!r}"))
    for key, attr in (("doubleQuote", "double_quote"), ("header", "header"), ("skipInitialSpace", "skip_initial_space")):
        if key in desc:
            values[attr] = bool(desc[key])
    for key, attr in (("headerRows", "header_rows"), ("commentRows", "comment_rows")):
        if key in desc:
            rows = desc[key]
            if all(isinstance(r, int) and not isinstance(r, bool) and r >= 1 for r in rows) and len(set(rows)) == len(rows):
                values[attr] = tuple(sorted(rows))
            else:
                problems.append((key, "must list distinct row numbers from 1"))
    if "headerJoin" in desc:
        values["header_join"] = desc["headerJoin"]
    if "nullSequence" in desc:
        values["null_sequence"] = desc["nullSequence"]
    if values.get("header") is False:
        values["header_rows"] = ()
    elif "header_rows" in values and not values["header_rows"]:
        values["header"] = False
    dialect = Dialect(**values, declared=dict(desc))
    return dialect, problems + _clashes(dialect)


def _clashes(dialect: Dialect) -> list[tuple[str, str]]:
    """(property, problem) pairs for properties that are each valid but cannot be used together."""
    problems: list[tuple[str, str]] = []
    if dialect.delimiter in (dialect.quote_char, dialect.escape_char):
        problems.append(("delimiter", "must differ from quoteChar and escapeChar"))
    clash = _comment_clash(dialect)
    if clash:
        problems.append(("commentChar", f"must not start with the {clash}, or every record starting with that character would be skipped as a comment"))
    if not dialect.double_quote and dialect.escape_char is None and dialect.quote_char is not None:
        problems.append(("doubleQuote", "false needs an escapeChar, or a quote inside a quoted cell cannot be written"))
    overlap = set(dialect.header_rows) & set(dialect.comment_rows)
    if overlap:
        problems.append(("commentRows", f"row(s) {sorted(overlap)} are also header rows"))
    return problems


MISUSED_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "vertical bar"}


def misused_delimiter(header_line: str, expected: list[str]) -> str | None:
    """The delimiter a header line uses instead of the comma, when splitting on it gives the expected column names (None otherwise)."""
    first = header_line.rstrip("\r\n")
    with csv_fields_unbounded():
        if "," in first and len(next(csv.reader([first]))) > 1:
            return None
        for delimiter in MISUSED_DELIMITERS:
            if delimiter in first:
                names = [n.strip() for n in next(csv.reader([first], delimiter=delimiter))]
                if len(names) > 1 and (names == expected or set(names) <= set(expected)):
                    return delimiter
    return None
