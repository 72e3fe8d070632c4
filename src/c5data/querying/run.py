"""Run SQL on the package and print the result as a table, CSV or JSON.

The SQL runs on the built database when there is one, otherwise on `data/`
loaded in memory (`c5data.querying.connection`); the views exist either way.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import os
from dataclasses import dataclass
from typing import Any

FORMATS = ("table", "csv", "json")


class QueryError(Exception):
    """The SQL failed (exit code 1); the message is DuckDB's."""

    exit_code = 1


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    source: str  # the database file, or "<folder> (data/ in memory)"
    truncated: bool = False  # more rows than `max_rows` matched; only the first were fetched


def sandbox(con: Any) -> None:
    """No file, network or extension access from the SQL, and no way to turn it back on.

    `c5data query` runs SQL that may come from anyone (a pull request, a copied recipe): it can read the tables
    and views already loaded, nothing else. The Python API (`c5data.connect`) stays open for analysts.
    """
    con.execute("SET temp_directory = ''")  # nothing spills to disk: the query writes nowhere (set while still allowed)
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def query(sql: str, path: str | os.PathLike[str] | None = None, *, data: bool = False, timeout: float | None = None, max_rows: int | None = None) -> QueryResult:
    """Run SQL, sandboxed, on the built database (or on data/ in memory); its columns, rows and where they came from.

    The query is interrupted after `timeout` seconds and returns at most `max_rows` rows (defaults: the
    `QUERY_SECONDS` and `QUERY_ROWS` limits of `c5data.limits`), so a runaway recursive CTE or a huge
    result cannot hold the machine.
    """
    import threading

    import duckdb

    from c5data import limits
    from c5data.querying.connection import choose, connect

    if not sql.strip():
        raise QueryError('the SQL is empty; give a statement such as "SELECT * FROM meetings LIMIT 5"')
    seconds = timeout if timeout is not None else limits.QUERY_SECONDS.value()
    cap = max_rows if max_rows is not None else limits.QUERY_ROWS.int_value()
    built, _ = choose(path, data)
    con = connect(path, data=data)
    timer = threading.Timer(seconds, con.interrupt)
    try:
        try:
            sandbox(con)
            timer.start()
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            rows = cursor.fetchmany(cap + 1) if cursor.description else []
        except duckdb.InterruptException as exc:
            raise QueryError(f"the query ran longer than {seconds:g} s and was stopped (set {limits.QUERY_SECONDS.env} or pass --timeout to allow more)") from exc
        except duckdb.Error as exc:
            raise QueryError(str(exc)) from exc
        finally:
            timer.cancel()
    finally:
        con.close()
    source = str(built) if built is not None else f"{path or '.'} (data/ in memory)"
    return QueryResult(columns, rows[:cap], source, truncated=len(rows) > cap)


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO text, decimals as numbers, lists kept."""
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)  # JSON has no NaN or Infinity: written as text rather than as invalid JSON
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return value


def _text(value: Any) -> str:
    """A cell as text: lists joined with ';' as in the CSV files, null as empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(_text(v) for v in value)
    plain = _plain(value)
    if isinstance(plain, bool):
        return "true" if plain else "false"
    return str(plain)


def render(result: QueryResult, fmt: str = "table") -> str:
    """A query result as an aligned text table, CSV or JSON."""
    if fmt == "json":
        return json.dumps([dict(zip(result.columns, map(_plain, row))) for row in result.rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([_text(v) for v in row] for row in result.rows)
        return buffer.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    cells = [[_text(v).replace("\n", " ") for v in row] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]

    def line(values: list[str]) -> str:
        return " | ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(result.columns), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    out.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''}{', the first only: more matched' if result.truncated else ''})")
    return "\n".join(out)
