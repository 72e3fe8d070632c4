"""The floor: plain DuckDB SQL doing the package's key and value checks, derived from the same Table Schemas.

Each CSV is read once with `read_csv(all_varchar=true)` into a table with each
row's line; then one SQL query per check kind reports (file, line, code):

- rows: blank-row (every cell empty), extra-cell (a cell past the header);
- cells: required, type (integer, number, boolean, date, list items), pattern,
  enum, min/max length, bounds, unique, categories;
- keys: primaryKey and uniqueKeys (2nd and later rows), foreignKeys (anti-join),
  list references (`x-listForeignKeys`, every item via unnest);
- one rule: chair-count (a second chair in a meeting), so that every injected
  defect kind has a check here. The other cross-table rules and the text
  hygiene checks (whitespace, control characters, NFC, formulas) are c5data's
  alone and are not in the floor.

Line numbers are the row's position + 1: exact for files without multi-line
quoted cells and without physically empty lines (DuckDB skips those), which is
what the generator writes. Output: JSON `{"findings": [...], "counts": {...}}`.

    python -m benchmarks.duckdb_baseline PACKAGE_DIR
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import duckdb

EXTRA = "__extra__"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _s(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _in_list(values: list[Any]) -> str:
    return "(" + ", ".join(_s(x) for x in values) + ")"


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row is not None else 0


def _load(con: duckdb.DuckDBPyConnection, root: Path, resource: dict[str, Any], schema: dict[str, Any]) -> str:
    table = f"t_{resource['name']}"
    names = [f["name"] for f in schema["fields"]]
    columns = "{" + ", ".join(f"{_s(n)}: 'VARCHAR'" for n in names + [EXTRA]) + "}"
    path = str(root / resource["path"])
    con.execute(f"""
        CREATE TABLE {table} AS
        SELECT row_number() OVER () + 1 AS __line__, *
        FROM read_csv({_s(path)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
                      strict_mode = false, null_padding = true, all_varchar = true, columns = {columns})
    """)
    return table


def _cast(ftype: str, expr: str) -> str | None:
    """SQL that is NULL where a present text value does not parse as `ftype` (None: nothing to parse)."""
    return {
        "integer": f"TRY_CAST({expr} AS BIGINT)",
        "year": f"TRY_CAST({expr} AS BIGINT)",
        "number": f"TRY_CAST({expr} AS DOUBLE)",
        "date": f"CASE WHEN regexp_full_match({expr}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') THEN TRY_CAST({expr} AS DATE) END",
        "datetime": f"TRY_CAST({expr} AS TIMESTAMPTZ)",
    }.get(ftype)


def _field_checks(fld: dict[str, Any], is_key: bool) -> list[tuple[str, str]]:
    """(code, SQL condition true on a failing row) for one field; cells are NULL when empty."""
    col = _q(fld["name"])
    ftype = fld.get("type", "string")
    c = fld.get("constraints", {})
    out = []
    if c.get("required") or is_key:
        out.append(("constraint-error", f"{col} IS NULL"))
    if ftype == "list":
        items = f"string_split({col}, {_s(fld.get('delimiter', ','))})"
        if "minLength" in c:
            out.append(("constraint-error", f"len({items}) < {int(c['minLength'])}"))
        if "maxLength" in c:
            out.append(("constraint-error", f"len({items}) > {int(c['maxLength'])}"))
        d = re.escape(fld.get("delimiter", ","))
        # an empty item, or an item with leading or trailing whitespace
        out.append(("type-error", f"regexp_matches({col}, {_s(f'(^|{d})({d}|$|[[:space:]])|[[:space:]]({d}|$)')})"))
        return out
    if ftype == "boolean":
        values = fld.get("trueValues", ["true", "True", "TRUE", "1"]) + fld.get("falseValues", ["false", "False", "FALSE", "0"])
        out.append(("type-error", f"{col} NOT IN {_in_list(values)}"))
    typed = _cast(ftype, col)
    if typed is not None:
        out.append(("type-error", f"{col} IS NOT NULL AND {typed} IS NULL"))
    value = typed or col
    if "pattern" in c:
        out.append(("constraint-error", f"NOT regexp_full_match({col}, {_s(c['pattern'])})"))
    if "enum" in c:
        out.append(("constraint-error", f"{col} NOT IN {_in_list(c['enum'])}"))
    if "maxLength" in c:
        out.append(("constraint-error", f"length({col}) > {int(c['maxLength'])}"))
    if "minLength" in c:
        out.append(("constraint-error", f"length({col}) < {int(c['minLength'])}"))
    for key, op in (("minimum", "<"), ("maximum", ">"), ("exclusiveMinimum", "<="), ("exclusiveMaximum", ">=")):
        if key in c:
            bound = _s(c[key]) + "::DATE" if ftype == "date" else str(c[key])
            out.append(("constraint-error", f"{value} {op} {bound}"))
    if fld.get("categories"):
        cats = [x["value"] if isinstance(x, dict) else x for x in fld["categories"]]
        out.append(("category-error", f"{col} NOT IN {_in_list(cats)}"))
    if c.get("unique"):
        out.append(("unique-error", f"{col} IS NOT NULL AND row_number() OVER (PARTITION BY {col} ORDER BY __line__) > 1"))
    return out


def validate(root: str | Path) -> dict[str, Any]:
    root = Path(root)
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    con = duckdb.connect()
    schemas, tables = {}, {}
    for res in package["resources"]:
        schema = res["schema"]
        if isinstance(schema, str):
            schema = json.loads((root / schema).read_text(encoding="utf-8"))
        schemas[res["name"]] = schema
        tables[res["name"]] = _load(con, root, res, schema)

    parts: list[str] = []  # SELECT file, line, code
    for res in package["resources"]:
        name, schema, t = res["name"], schemas[res["name"]], tables[res["name"]]
        file = _s(res["path"])
        fields = [f["name"] for f in schema["fields"]]
        blank = " AND ".join(f"{_q(n)} IS NULL" for n in fields + [EXTRA])
        rows = f"(SELECT * FROM {t} WHERE NOT ({blank}))"
        parts.append(f"SELECT {file}, __line__, 'blank-row' FROM {t} WHERE {blank}")
        parts.append(f"SELECT {file}, __line__, 'extra-cell' FROM {t} WHERE {_q(EXTRA)} IS NOT NULL")
        pk = schema.get("primaryKey", [])
        pk = [pk] if isinstance(pk, str) else pk
        cell_checks = []
        for fld in schema["fields"]:
            cell_checks += _field_checks(fld, fld["name"] in pk)
        windowed = [(code, cond) for code, cond in cell_checks if "OVER" in cond]
        plain = [(code, cond) for code, cond in cell_checks if "OVER" not in cond]
        if plain:
            # one scan for every plain cell check of the table
            flags = ", ".join(f"({cond}) AS c{i}" for i, (_, cond) in enumerate(plain))
            cases = " UNION ALL ".join(f"SELECT {file}, __line__, {_s(code)} FROM f WHERE c{i}" for i, (code, _) in enumerate(plain))
            parts.append(f"(WITH f AS MATERIALIZED (SELECT __line__, {flags} FROM {rows}) {cases})")
        for code, cond in windowed:
            parts.append(f"SELECT {file}, __line__, {_s(code)} FROM (SELECT __line__, ({cond}) AS bad FROM {rows}) WHERE bad")
        keys = [("primary-key", pk)] + [("unique-key", [k] if isinstance(k, str) else k) for k in schema.get("uniqueKeys", [])]
        for code, key in keys:
            if key:
                cols = ", ".join(_q(k) for k in key)
                present = " AND ".join(f"{_q(k)} IS NOT NULL" for k in key)
                parts.append(
                    f"SELECT {file}, __line__, {_s(code)} FROM (SELECT __line__, {present} AND "
                    f"row_number() OVER (PARTITION BY {cols} ORDER BY __line__) > 1 AS bad FROM {rows}) WHERE bad"
                )
        list_fields = {f["name"]: f.get("delimiter", ",") for f in schema["fields"] if f.get("type") == "list"}
        for prop in ("foreignKeys", "x-listForeignKeys"):
            for fk in schema.get(prop, []):
                local = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
                ref = fk["reference"]
                ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
                target = tables[ref.get("resource") or name]
                if local[0] in list_fields:
                    parts.append(
                        f"SELECT DISTINCT {file}, __line__, 'foreign-key' FROM (SELECT __line__, "
                        f"unnest(string_split({_q(local[0])}, {_s(list_fields[local[0]])})) AS item FROM {rows}) i "
                        f"WHERE NOT EXISTS (SELECT 1 FROM {target} r WHERE r.{_q(ref_fields[0])} = i.item)"
                    )
                else:
                    match = " AND ".join(f"r.{_q(rf)} = l.{_q(lf)}" for lf, rf in zip(local, ref_fields))
                    present = " AND ".join(f"l.{_q(lf)} IS NOT NULL" for lf in local)
                    parts.append(f"SELECT {file}, __line__, 'foreign-key' FROM {rows} l WHERE {present} AND NOT EXISTS (SELECT 1 FROM {target} r WHERE {match})")
        if name == "participants":
            parts.append(
                f"SELECT {file}, __line__, 'chair-count' FROM (SELECT __line__, role = 'chair' AND "
                f"sum(CASE WHEN role = 'chair' THEN 1 ELSE 0 END) OVER (PARTITION BY meeting_id ORDER BY __line__) > 1 "
                f"AS bad FROM {rows}) WHERE bad"
            )

    findings = con.execute(" UNION ALL ".join(parts)).fetchall()
    counts: dict[str, int] = {}
    for _, _, code in findings:
        counts[code] = counts.get(code, 0) + 1
    return {
        "findings": [{"file": f, "line": int(line), "code": code} for f, line, code in sorted(findings)],
        "counts": dict(sorted(counts.items())),
        "rows": {n: _count(con, t) for n, t in tables.items()},
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = argv[0] if argv else "."
    result = validate(root)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 1 if result["findings"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
