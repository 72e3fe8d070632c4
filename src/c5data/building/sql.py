"""DuckDB DDL derived from the Table Schemas: types, NOT NULL, keys, CHECKs and comments.

The built database file and the in-memory database `query` builds from
`data/` run the same script, so SQL written against one works on the other.
Nothing here names a column of the data model; every statement comes from a
`TableSchema`.

DuckDB checks a foreign key against the rows already in the table, statement
by statement, so tables are created and filled parents first, and a table
that references itself (pledges.parent_pledge_id) is filled in passes: each
pass inserts the rows whose references are already present.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from c5data.reading.descriptor import Package, Resource
from c5data.reading.tables import Table
from c5data.reading.tableschema import Field, ForeignKey, bound_value

SCALAR_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP WITH TIME ZONE",
    "year": "BIGINT",
    "time": "TIME",
    "yearmonth": "VARCHAR",  # "YYYY-MM": sorts and compares as written
    "duration": "VARCHAR",  # ISO 8601 as written; DuckDB's INTERVAL does not read P1Y2M
    "geopoint": "STRUCT(lon DOUBLE, lat DOUBLE)",
    "geojson": "VARCHAR",  # JSON text (DuckDB's json functions read it)
    "object": "VARCHAR",
    "array": "VARCHAR",
    "any": "VARCHAR",
}


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    """A SQL literal for a constraint value written in a schema."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def duckdb_type(field: Field) -> str:
    """The DuckDB column type of a field (an array type for list fields)."""
    base = SCALAR_TYPES[field.value_type]
    return f"{base}[]" if field.type == "list" else base


def _typed_literal(field: Field, value: object) -> str:
    """A constraint value as a literal of the column's type (DuckDB casts a quoted number where needed)."""
    if field.value_type == "date":
        return f"DATE {literal(bound_value('date', value).isoformat())}"
    if field.value_type == "time":
        return f"TIME {literal(bound_value('time', value).isoformat())}"
    if field.value_type == "datetime":
        return f"TIMESTAMPTZ {literal(bound_value('datetime', value).isoformat())}"
    return literal(value)


def checks(field: Field) -> list[str]:
    """CHECK constraints for a field's value domain: enum, categories and bounds (patterns stay with the validator)."""
    if field.type == "list":
        return []
    col, c, out = ident(field.name), field.constraints, []
    allowed = c.get("enum") if isinstance(c.get("enum"), list) else field.categories
    if allowed:
        out.append(f"{col} IN ({', '.join(_typed_literal(field, v) for v in allowed)})")
    for key, op in (("minimum", ">="), ("maximum", "<="), ("exclusiveMinimum", ">"), ("exclusiveMaximum", "<")):
        if key in c and field.value_type in ("integer", "number", "date", "time", "datetime", "year", "yearmonth"):
            out.append(f"{col} {op} {_typed_literal(field, c[key])}")
    return out


def load_order(package: Package) -> list[Resource]:
    """Referenced tables before the tables that reference them (descriptor order among equals)."""
    remaining = list(package.resources)
    done: list[Resource] = []
    while remaining:
        names = {r.name for r in done}
        ready = [
            r
            for r in remaining
            if all(
                (fk.resource or r.name) in names | {r.name} for fk in r.schema.foreign_keys if not fk.from_list and package.resource(fk.resource or r.name) is not None
            )
        ]
        pick = ready[0] if ready else remaining[0]  # a cycle: its forward references stay unenforced
        done.append(pick)
        remaining.remove(pick)
    return done


def _enforceable(fk: ForeignKey, resource: Resource, package: Package, created: set[str]) -> bool:
    """DuckDB can enforce a scalar reference to a key of an existing table."""
    target = package.resource(fk.resource) if fk.resource else resource
    if fk.from_list or target is None or (target.name not in created and target is not resource):
        return False
    keys = [target.schema.primary_key, *target.schema.unique_keys]
    keys += [(f.name,) for f in target.schema.fields if f.constraints.get("unique") and _indexable(f)]
    return tuple(fk.ref_fields) in {tuple(k) for k in keys}


def _indexable(f: Field) -> bool:
    """DuckDB indexes this column's type, so it can declare it UNIQUE: not a LIST nor a geopoint's STRUCT (the
    validator has checked the values are unique either way)."""
    return f.type != "list" and f.value_type != "geopoint"


def create_table(resource: Resource, package: Package, created: set[str]) -> str:
    """The CREATE TABLE statement of a resource, with its keys, checks and the foreign keys DuckDB can enforce."""
    schema = resource.schema
    lines = []
    for f in schema.fields:
        parts = [ident(f.name), duckdb_type(f)]
        if f.required or f.name in schema.primary_key:
            parts.append("NOT NULL")
        if f.constraints.get("unique") and _indexable(f):
            parts.append("UNIQUE")
        parts += [f"CHECK ({c})" for c in checks(f)]
        lines.append(" ".join(parts))
    if schema.primary_key:
        lines.append(f"PRIMARY KEY ({', '.join(map(ident, schema.primary_key))})")
    for key in schema.unique_keys:
        lines.append(f"UNIQUE ({', '.join(map(ident, key))})")
    for fk in schema.foreign_keys:
        if _enforceable(fk, resource, package, created):
            target = fk.resource or resource.name
            lines.append(f"FOREIGN KEY ({', '.join(map(ident, fk.fields))}) REFERENCES {ident(target)} ({', '.join(map(ident, fk.ref_fields))})")
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {ident(resource.name)} (\n  {body}\n);"


def column_comment(field: Field, resource: Resource, package: Package, created: set[str]) -> str:
    """The field's description, plus the references DuckDB cannot enforce."""
    text = field.description or field.title
    for fk in resource.schema.foreign_keys:
        if field.name not in fk.fields or _enforceable(fk, resource, package, created):
            continue
        where = f"{fk.resource or resource.name}.{', '.join(fk.ref_fields)}"
        what = "Each item references" if fk.from_list else "References"
        text += f" {what} {where} (checked by `c5data validate`, not a DuckDB constraint)."
    return text.strip()


def comments(resource: Resource, package: Package, created: set[str]) -> list[str]:
    """COMMENT statements carrying the table's description and each column's documentation into DuckDB."""
    out = []
    if resource.schema.description:
        out.append(f"COMMENT ON TABLE {ident(resource.name)} IS {literal(resource.schema.description)};")
    for f in resource.schema.fields:
        text = column_comment(f, resource, package, created)
        if text:
            out.append(f"COMMENT ON COLUMN {ident(resource.name)}.{ident(f.name)} IS {literal(text)};")
    return out


def _self_references(resource: Resource, package: Package) -> list[ForeignKey]:
    return [fk for fk in resource.schema.foreign_keys if (fk.resource in ("", resource.name)) and _enforceable(fk, resource, package, {resource.name})]


def _key(frame: pl.DataFrame, cols: tuple[str, ...]) -> pl.Series:
    if len(cols) == 1:
        return frame.get_column(cols[0])
    return frame.select(pl.concat_str([pl.col(c).cast(pl.String) for c in cols], separator="\x1f")).to_series()


def insert_passes(table: Table, package: Package) -> int:
    """How many INSERT passes a self-referencing table needs (1 when it has none)."""
    fks = _self_references(table.resource, package)
    frame = table.typed
    if not fks or frame.height == 0:
        return 1
    done = pl.Series([False] * frame.height)
    passes = 0
    while not done.all():
        passes += 1
        ok = ~done
        for fk in fks:
            local = _key(frame, fk.fields)
            present = _key(frame.filter(done), fk.ref_fields)
            any_null = frame.select(pl.any_horizontal([pl.col(c).is_null() for c in fk.fields])).to_series()
            ok = ok & (any_null | local.is_in(present.implode()))
        if not ok.any():
            raise ValueError(
                f"{table.name}: {int((~done).sum())} row(s) reference rows of the same table that are missing "
                "or that reference them back in a cycle; they cannot be loaded with foreign keys"
            )
        done = done | ok
    return passes


def insert(table: Table, package: Package, source: str) -> list[str]:
    """INSERT statements that fill `table` from `source` (a relation with the same columns), parents first."""
    resource = table.resource
    name = ident(resource.name)
    cols = ", ".join(ident(f.name) for f in resource.schema.fields)
    order = ", ".join(map(ident, resource.schema.primary_key)) or cols
    fks = _self_references(resource, package)
    if not fks:
        return [f"INSERT INTO {name} SELECT {cols} FROM {source} ORDER BY {order};"]
    pk = resource.schema.primary_key
    conditions = ["NOT EXISTS (SELECT 1 FROM " + name + " x WHERE " + " AND ".join(f"x.{ident(k)} = s.{ident(k)}" for k in pk) + ")"]
    for fk in fks:
        nulls = " OR ".join(f"s.{ident(c)} IS NULL" for c in fk.fields)
        match = " AND ".join(f"x.{ident(r)} = s.{ident(c)}" for c, r in zip(fk.fields, fk.ref_fields))
        conditions.append(f"({nulls} OR EXISTS (SELECT 1 FROM {name} x WHERE {match}))")
    statement = f"INSERT INTO {name} SELECT {cols} FROM {source} s WHERE " + " AND ".join(conditions) + f" ORDER BY {', '.join('s.' + ident(k) for k in pk)};"
    return [statement] * insert_passes(table, package)


def source_name(resource: Resource) -> str:
    """The relation the loading script reads a table's typed rows from (an Arrow table registered under this name)."""
    return f"_src_{resource.name}"


def database_script(package: Package, tables: dict[str, Table], source: Callable[[Resource], str], as_of: dt.date | None = None) -> str:
    """The whole database: tables with keys and comments, filled from the relation named `source(resource)`, then the views.

    `as_of` is the date a view may judge "passed" against (a release's date; None: the day the query runs).
    """
    statements: list[str] = []
    created: set[str] = set()
    seen_at: dict[str, set[str]] = {}  # the tables that existed when each table was created
    for resource in load_order(package):
        created.add(resource.name)
        seen_at[resource.name] = set(created)
        statements.append(create_table(resource, package, seen_at[resource.name]))
        statements += insert(tables[resource.name], package, ident(source(resource)))
    for resource in package.resources:
        statements += comments(resource, package, seen_at[resource.name])
    statements += view_statements(package_views(package, as_of))
    return "\n".join(statements) + "\n"


@dataclass(frozen=True)
class View:
    """A documented view: its SQL reads only the tables and columns in `needs`."""

    name: str
    description: str
    needs: dict[str, tuple[str, ...]]
    sql: str
    columns: tuple[tuple[str, str], ...] = ()  # (column, definition) for the codebook, where the view defines its own
    shipped: bool = False  # also written to the release as views/<name>.csv and .parquet


def package_views(package: Package, as_of: dt.date | None = None) -> list[View]:
    """The views the package's extensions document (none for a package that no extension serves), as of `as_of`."""
    from c5data.extensions import for_package, views

    return views(for_package(package), {r.name: r for r in package.resources}, as_of)


def view_sql(view: View) -> list[str]:
    """The CREATE VIEW and COMMENT statements of one view (the built database and the site's SQL page run these)."""
    return [f"CREATE VIEW {ident(view.name)} AS{view.sql};", f"COMMENT ON VIEW {ident(view.name)} IS {literal(view.description)};"]


def view_statements(views: list[View]) -> list[str]:
    """CREATE VIEW and COMMENT statements for each view."""
    return [statement for view in views for statement in view_sql(view)]
