"""The DuckDB DDL derived from the Table Schemas: constraint literals of every bounded type load into DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from c5data.building.sql import checks, duckdb_type
from c5data.reading.tableschema import parse_schema


@pytest.mark.parametrize(
    ("ftype", "low", "high", "inside", "outside"),
    [
        ("date", "2024-01-01", "2024-12-31", "2024-06-01", "2025-01-01"),
        ("datetime", "2024-01-01T00:00:00Z", "2024-12-31T23:59:59", "2024-06-01 12:00:00+00", "2025-01-01 00:00:00+00"),
        ("integer", 1, 10, "5", "11"),
    ],
)
def test_bound_checks_are_valid_duckdb_and_enforced(ftype, low, high, inside, outside):
    schema, problems = parse_schema({"fields": [{"name": "x", "type": ftype, "constraints": {"minimum": low, "maximum": high}}]}, "t")
    assert problems == []
    field = schema.fields[0]
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t (x {duckdb_type(field)} {' '.join(f'CHECK ({c})' for c in checks(field))})")
    con.execute(f"INSERT INTO t VALUES ('{inside}')")
    with pytest.raises(duckdb.ConstraintException):
        con.execute(f"INSERT INTO t VALUES ('{outside}')")
